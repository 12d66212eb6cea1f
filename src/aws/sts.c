/* SPDX-License-Identifier: Apache-2.0 */
#include "aws/sts.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The largest STS answer read (a few KiB in practice). */
#define STS_ANSWER_MAX (256u * 1024u)

enum { F_KEY, F_SECRET, F_TOKEN, F_EXPIRATION, F_COUNT };

static const char *const element_names[F_COUNT] = {"AccessKeyId", "SecretAccessKey", "SessionToken",
                                                   "Expiration"};

typedef struct creds_parser {
    int depth_in_credentials; /* 0 = outside <Credentials> */
    int field;                /* the field being read, or -1 */
    int seen_credentials;
    int too_long;
    char values[F_COUNT][4096];
    size_t lens[F_COUNT];
} creds_parser;

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    (void)attrs;
    creds_parser *s = ud;
    if (s->depth_in_credentials) {
        s->depth_in_credentials++;
        s->field = -1;
        if (s->depth_in_credentials == 2)
            for (int i = 0; i < F_COUNT; i++)
                if (!strcmp(name, element_names[i])) {
                    s->field = i;
                    s->lens[i] = 0;
                    s->values[i][0] = '\0';
                }
    } else if (!s->seen_credentials && !strcmp(name, "Credentials")) {
        s->depth_in_credentials = 1;
        s->seen_credentials = 1;
    }
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    (void)name;
    creds_parser *s = ud;
    if (s->depth_in_credentials)
        s->depth_in_credentials--;
    s->field = -1;
}

static void XMLCALL on_text(void *ud, const XML_Char *text, int len)
{
    creds_parser *s = ud;
    if (s->field < 0)
        return;
    char *out = s->values[s->field];
    size_t *n = &s->lens[s->field];
    if (*n + (size_t)len >= sizeof s->values[0]) {
        s->too_long = 1;
        return;
    }
    memcpy(out + *n, text, (size_t)len);
    *n += (size_t)len;
    out[*n] = '\0';
}

int sts_parse_credentials(const char *xml, size_t len, aws_credentials *out, char *why, size_t cap)
{
    memset(out, 0, sizeof *out);
    creds_parser *s = calloc(1, sizeof *s);
    XML_Parser p = s ? XML_ParserCreate("UTF-8") : NULL;
    if (!p) {
        free(s);
        snprintf(why, cap, "out of memory");
        return -1;
    }
    s->field = -1;
    XML_SetUserData(p, s);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    int ok = len <= STS_ANSWER_MAX && XML_Parse(p, xml, (int)len, 1) == XML_STATUS_OK;
    XML_ParserFree(p);
    static const char *const names[3] = {"AccessKeyId", "SecretAccessKey", "SessionToken"};
    int rc = -1;
    if (!ok || !s->seen_credentials) {
        snprintf(why, cap, "the STS answer holds no Credentials");
    } else if (s->too_long) {
        snprintf(why, cap, "a value in the STS answer's Credentials is too long");
    } else if (aws_credentials_fill(out, s->values[F_KEY], s->values[F_SECRET], s->values[F_TOKEN],
                                    names, "the STS answer", why, cap) == 0) {
        rc = 0;
        if (s->values[F_EXPIRATION][0]) {
            out->expiration_ms = aws_credentials_parse_time(s->values[F_EXPIRATION]);
            if (out->expiration_ms < 0) {
                aws_credentials_wipe(out);
                snprintf(why, cap, "Expiration in the STS answer is not a time");
                rc = -1;
            }
        }
    }
    explicit_bzero(s, sizeof *s);
    free(s);
    return rc;
}

static int call(aws_client *c, const char *action, const sts_role_request *r, const char *token,
                aws_credentials *out, aws_error *err)
{
    memset(out, 0, sizeof *out);
    http_header params[5];
    size_t n = 0;
    char duration[16];
    params[n++] = (http_header){"RoleArn", r->role_arn};
    params[n++] = (http_header){"RoleSessionName", r->session_name};
    if (r->duration_seconds > 0) {
        snprintf(duration, sizeof duration, "%d", r->duration_seconds);
        params[n++] = (http_header){"DurationSeconds", duration};
    }
    if (token)
        params[n++] = (http_header){"WebIdentityToken", token};
    else if (r->external_id && *r->external_id)
        params[n++] = (http_header){"ExternalId", r->external_id};
    buf xml;
    buf_init(&xml, STS_ANSWER_MAX);
    int rc = aws_call_query(c, &AWS_SERVICE_STS, action, STS_API_VERSION, params, n, &xml, err);
    if (rc == 0) {
        char why[256];
        if (sts_parse_credentials(xml.data ? xml.data : "", xml.len, out, why, sizeof why) != 0) {
            aws_error_set(err, 200, AWS_ERR_PARSE, "STS %s %.1024s: %s", action, r->role_arn, why);
            rc = -1;
        }
    } else {
        aws_error prior = *err;
        char text[sizeof err->message];
        aws_error_str(&prior, text, sizeof text);
        aws_error_set(err, prior.http_status, prior.code, "STS %s %.512s: %s", action, r->role_arn,
                      text);
        err->attempts = prior.attempts;
    }
    if (xml.data)
        explicit_bzero(xml.data, xml.len);
    buf_free(&xml);
    return rc;
}

int sts_assume_role(aws_client *c, const sts_role_request *r, aws_credentials *out, aws_error *err)
{
    int rc = call(c, "AssumeRole", r, NULL, out, err);
    if (rc == 0)
        snprintf(out->source, sizeof out->source, "assume_role");
    return rc;
}

int sts_assume_role_with_web_identity(aws_client *c, const sts_role_request *r, const char *token,
                                      aws_credentials *out, aws_error *err)
{
    int rc = call(c, "AssumeRoleWithWebIdentity", r, token, out, err);
    if (rc == 0)
        snprintf(out->source, sizeof out->source, "web_identity");
    return rc;
}
