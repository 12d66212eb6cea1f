/* SPDX-License-Identifier: Apache-2.0 */
#include "aws/error.h"

#include <ctype.h>
#include <expat.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

/* How much of an error body is read for its message (masked whole). */
#define ERROR_TEXT_MAX (1u << 20)
/* A message made from a body that is not an AWS error document. */
#define ERROR_EXCERPT_MAX 200

void aws_error_clear(aws_error *err)
{
    memset(err, 0, sizeof *err);
}

void aws_error_set(aws_error *err, int http_status, const char *code, const char *fmt, ...)
{
    int attempts = err->attempts;
    aws_error_clear(err);
    err->attempts = attempts;
    err->http_status = http_status;
    snprintf(err->code, sizeof err->code, "%s", code);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

/* "com.amazonaws.ecs#ClusterNotFoundException" -> "ClusterNotFoundException";
 * "Code:http://internal.amazon.com/..." -> "Code". Only the characters an
 * error code is made of are kept. */
static void set_code(aws_error *err, const char *raw, size_t len)
{
    const char *hash = memchr(raw, '#', len);
    if (hash) {
        len -= (size_t)(hash + 1 - raw);
        raw = hash + 1;
    }
    const char *colon = memchr(raw, ':', len);
    if (colon)
        len = (size_t)(colon - raw);
    size_t o = 0;
    for (size_t i = 0; i < len && o + 1 < sizeof err->code; i++) {
        char c = raw[i];
        if (isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-')
            err->code[o++] = c;
    }
    err->code[o] = '\0';
}

/* The message as it may be shown: masked whole, then cut to the field. */
static void set_message(aws_error *err, const char *text, size_t len, const redactor *r)
{
    if (redact_is_blind(r)) {
        snprintf(err->message, sizeof err->message,
                 "(message withheld: it could show a secret value of this request that cannot "
                 "be masked here)");
        return;
    }
    buf masked, clean;
    buf_init(&masked, 2 * len + 64);
    buf_init(&clean, 3 * len + 64);
    redact_append(r, text, len, &masked);
    utf8_append_lossy(&clean, buf_cstr(&masked), masked.len);
    const char *s = buf_cstr(&clean);
    size_t n = utf8_cut(s, clean.len, sizeof err->message - 1);
    memcpy(err->message, s, n);
    err->message[n] = '\0';
    buf_free(&masked);
    buf_free(&clean);
}

static int decode_json(aws_error *err, const char *body, size_t len, const redactor *r)
{
    json_t *doc = json_loadb(body, len, 0, NULL);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return -1;
    }
    const char *code = json_string_value(json_object_get(doc, "__type"));
    if (!code)
        code = json_string_value(json_object_get(doc, "code"));
    if (!code)
        code = json_string_value(json_object_get(doc, "Code"));
    const char *msg = json_string_value(json_object_get(doc, "message"));
    if (!msg)
        msg = json_string_value(json_object_get(doc, "Message"));
    if (code)
        set_code(err, code, strlen(code));
    if (msg)
        set_message(err, msg, strlen(msg), r);
    json_decref(doc);
    return code ? 0 : -1;
}

/* Collects the text of the first <Code> and <Message> elements, at any depth. */
typedef struct xml_state {
    int in; /* 1 = Code, 2 = Message */
    int have_code, have_message;
    char code[128];
    size_t code_len;
    buf message; /* whole: masked before it is cut */
} xml_state;

static void XMLCALL xml_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    (void)attrs;
    xml_state *s = ud;
    if (!strcmp(name, "Code") && !s->have_code)
        s->in = 1;
    else if (!strcmp(name, "Message") && !s->have_message)
        s->in = 2;
}

static void XMLCALL xml_end(void *ud, const XML_Char *name)
{
    xml_state *s = ud;
    if (s->in == 1 && !strcmp(name, "Code"))
        s->have_code = 1;
    if (s->in == 2 && !strcmp(name, "Message"))
        s->have_message = 1;
    s->in = 0;
}

static void XMLCALL xml_text(void *ud, const XML_Char *text, int len)
{
    xml_state *s = ud;
    size_t n = (size_t)len;
    if (s->in == 1 && s->code_len + n < sizeof s->code) {
        memcpy(s->code + s->code_len, text, n);
        s->code_len += n;
        s->code[s->code_len] = '\0';
    } else if (s->in == 2) {
        buf_append(&s->message, text, n);
    }
}

static int decode_xml(aws_error *err, const char *body, size_t len, const redactor *r)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p)
        return -1;
    xml_state s = {0};
    buf_init(&s.message, ERROR_TEXT_MAX);
    XML_SetUserData(p, &s);
    XML_SetElementHandler(p, xml_start, xml_end);
    XML_SetCharacterDataHandler(p, xml_text);
    /* A truncated or malformed document may still have given us the code. */
    XML_Parse(p, body, (int)(len > ERROR_TEXT_MAX ? ERROR_TEXT_MAX : len), 1);
    XML_ParserFree(p);
    int rc = -1;
    if (s.have_code && s.code[0]) {
        set_code(err, s.code, strlen(s.code));
        set_message(err, buf_cstr(&s.message), s.message.len, r);
        rc = 0;
    }
    buf_free(&s.message);
    return rc;
}

/* The start of a body as a one-line message, when it is printable text:
 * white space folded, and nothing when it holds other control bytes. */
static void body_excerpt(aws_error *err, const char *body, size_t len, const redactor *r)
{
    buf line;
    buf_init(&line, ERROR_TEXT_MAX);
    for (size_t i = 0; i < len && i < ERROR_TEXT_MAX; i++) {
        unsigned char c = (unsigned char)body[i];
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
        if (c < 0x20 || c == 0x7f) {
            buf_free(&line);
            return;
        }
        if (c == ' ' && line.len && line.data[line.len - 1] == ' ')
            continue;
        buf_append(&line, &c, 1);
    }
    set_message(err, buf_cstr(&line), line.len, r);
    buf_free(&line);
    /* An excerpt, not the whole page: a short one reads best in a Reason. */
    size_t n = utf8_cut(err->message, strlen(err->message), ERROR_EXCERPT_MAX);
    err->message[n] = '\0';
}

void aws_error_decode(aws_error *err, int http_status, const char *errortype, const char *body,
                      size_t body_len, const redactor *r)
{
    int attempts = err->attempts;
    aws_error_clear(err);
    err->attempts = attempts;
    err->http_status = http_status;
    if (!body)
        body_len = 0;
    if (body_len && decode_json(err, body, body_len, r) == 0)
        return;
    if (errortype && *errortype) {
        set_code(err, errortype, strlen(errortype));
        if (!err->message[0] && body_len)
            body_excerpt(err, body, body_len, r);
        return;
    }
    if (body_len && decode_xml(err, body, body_len, r) == 0)
        return;
    snprintf(err->code, sizeof err->code, "HTTP%d", http_status);
    if (!err->message[0])
        body_excerpt(err, body, body_len, r);
    if (!err->message[0])
        snprintf(err->message, sizeof err->message, "HTTP status %d", http_status);
}

const char *aws_error_str(const aws_error *err, char *out, size_t cap)
{
    if (cap == 0)
        return out;
    int n = err->message[0] ? snprintf(out, cap, "%s: %s", err->code, err->message)
                            : snprintf(out, cap, "%s", err->code);
    if (n > 0 && (size_t)n >= cap)
        out[utf8_cut(out, cap - 1, cap - 1)] = '\0';
    return out;
}
