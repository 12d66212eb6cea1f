/* SPDX-License-Identifier: Apache-2.0 */
#include "aws/cloudformation.h"

#include <expat.h>
#include <stdio.h>
#include <string.h>

typedef struct status_parser {
    int inside;
    int done;
    char *out;
    size_t cap;
    size_t len;
} status_parser;

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    (void)attrs;
    status_parser *s = ud;
    if (!s->done && !strcmp(name, "StackStatus"))
        s->inside = 1;
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    status_parser *s = ud;
    if (s->inside && !strcmp(name, "StackStatus")) {
        s->inside = 0;
        s->done = 1;
    }
}

static void XMLCALL on_text(void *ud, const XML_Char *text, int len)
{
    status_parser *s = ud;
    if (!s->inside)
        return;
    for (int i = 0; i < len && s->len + 1 < s->cap; i++)
        s->out[s->len++] = text[i];
    s->out[s->len] = '\0';
}

int cloudformation_parse_status(const char *xml, size_t len, char *status, size_t cap)
{
    if (cap == 0)
        return -1;
    status[0] = '\0';
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p)
        return -1;
    status_parser s = {.out = status, .cap = cap};
    XML_SetUserData(p, &s);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    int ok = XML_Parse(p, xml, (int)len, 1) == XML_STATUS_OK;
    XML_ParserFree(p);
    return ok && s.done && status[0] ? 0 : -1;
}

int cloudformation_stack_status(aws_client *c, const char *stack, char *status, size_t cap,
                                aws_error *err)
{
    http_header params[] = {{"StackName", stack}};
    buf xml;
    buf_init(&xml, 4u << 20);
    int rc = aws_call_query(c, &AWS_SERVICE_CLOUDFORMATION, "DescribeStacks", "2010-05-15", params,
                            1, &xml, err);
    if (rc == 0 && cloudformation_parse_status(xml.data ? xml.data : "", xml.len, status, cap)) {
        aws_error_set(err, 200, AWS_ERR_PARSE, "DescribeStacks: no StackStatus in the answer");
        rc = -1;
    }
    buf_free(&xml);
    return rc;
}
