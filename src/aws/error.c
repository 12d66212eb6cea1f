#include "aws/error.h"

#include <ctype.h>
#include <expat.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
 * "Code:http://internal.amazon.com/..." -> "Code". */
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
    while (len && isspace((unsigned char)raw[len - 1]))
        len--;
    while (len && isspace((unsigned char)*raw)) {
        raw++;
        len--;
    }
    snprintf(err->code, sizeof err->code, "%.*s", (int)len, raw);
}

static int decode_json(aws_error *err, const char *body, size_t len)
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
        snprintf(err->message, sizeof err->message, "%s", msg);
    json_decref(doc);
    return code ? 0 : -1;
}

/* Collects the text of the first <Code> and <Message> elements, at any depth. */
typedef struct xml_state {
    aws_error *err;
    int in; /* 1 = Code, 2 = Message */
    int have_code, have_message;
    char code[128];
    size_t code_len, msg_len;
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
    } else if (s->in == 2 && s->msg_len + n < sizeof s->err->message) {
        memcpy(s->err->message + s->msg_len, text, n);
        s->msg_len += n;
        s->err->message[s->msg_len] = '\0';
    }
}

static int decode_xml(aws_error *err, const char *body, size_t len)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p)
        return -1;
    xml_state s = {.err = err};
    XML_SetUserData(p, &s);
    XML_SetElementHandler(p, xml_start, xml_end);
    XML_SetCharacterDataHandler(p, xml_text);
    /* A truncated or malformed document may still have given us the code. */
    XML_Parse(p, body, (int)(len > 1u << 20 ? 1u << 20 : len), 1);
    XML_ParserFree(p);
    if (!s.have_code || !s.code[0])
        return -1;
    set_code(err, s.code, strlen(s.code));
    return 0;
}

/* The start of a body as a one-line message, when it is printable text. */
static void body_excerpt(aws_error *err, const char *body, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < len && o + 1 < sizeof err->message && o < 200; i++) {
        unsigned char c = (unsigned char)body[i];
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
        if (c < 0x20 || c == 0x7f) {
            o = 0;
            break;
        }
        if (c == ' ' && o && err->message[o - 1] == ' ')
            continue;
        err->message[o++] = (char)c;
    }
    err->message[o] = '\0';
}

void aws_error_decode(aws_error *err, int http_status, const char *errortype, const char *body,
                      size_t body_len)
{
    int attempts = err->attempts;
    aws_error_clear(err);
    err->attempts = attempts;
    err->http_status = http_status;
    if (!body)
        body_len = 0;
    if (body_len && decode_json(err, body, body_len) == 0)
        return;
    if (errortype && *errortype) {
        set_code(err, errortype, strlen(errortype));
        if (!err->message[0] && body_len)
            body_excerpt(err, body, body_len);
        return;
    }
    if (body_len && decode_xml(err, body, body_len) == 0)
        return;
    snprintf(err->code, sizeof err->code, "HTTP%d", http_status);
    if (!err->message[0])
        body_excerpt(err, body, body_len);
    if (!err->message[0])
        snprintf(err->message, sizeof err->message, "HTTP status %d", http_status);
}

const char *aws_error_str(const aws_error *err, char *out, size_t cap)
{
    if (err->message[0])
        snprintf(out, cap, "%s: %s", err->code, err->message);
    else
        snprintf(out, cap, "%s", err->code);
    return out;
}
