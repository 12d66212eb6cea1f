/* SPDX-License-Identifier: Apache-2.0 */
#include "aws/metadata_credentials.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"

#define ECS_CREDENTIALS_HOST "http://169.254.170.2"
#define IMDS_DEFAULT "http://169.254.169.254"
#define LOCAL_TIMEOUT_MS 2000
#define LOCAL_CONNECT_TIMEOUT_MS 1000
#define TOKEN_FILE_MAX (16u * 1024u)
#define ANSWER_MAX (64u * 1024u)

static const char *const json_names[3] = {"AccessKeyId", "SecretAccessKey", "Token"};

int metadata_parse_credentials(const char *json, const char *where, aws_credentials *out, char *why,
                               size_t cap)
{
    memset(out, 0, sizeof *out);
    json_t *doc = json_loads(json, 0, NULL);
    if (!json_is_object(doc)) {
        json_decref(doc);
        snprintf(why, cap, "%s is not a JSON object", where);
        return -1;
    }
    const char *key = json_string_value(json_object_get(doc, "AccessKeyId"));
    const char *secret = json_string_value(json_object_get(doc, "SecretAccessKey"));
    const char *token = json_string_value(json_object_get(doc, "Token"));
    const char *expiration = json_string_value(json_object_get(doc, "Expiration"));
    int rc = aws_credentials_fill(out, key, secret, token, json_names, where, why, cap);
    if (rc == 0 && expiration) {
        out->expiration_ms = aws_credentials_parse_time(expiration);
        if (out->expiration_ms < 0) {
            aws_credentials_wipe(out);
            snprintf(why, cap, "Expiration in %s is not a time", where);
            rc = -1;
        }
    }
    json_decref(doc);
    return rc;
}

/* One GET or PUT to a local credentials service; the 200 answer's body in
 * body. Returns 0, or -1 with why (never the URL: it may hold a token). */
static int get_local(http_client *http, const char *method, const char *url,
                     const http_header *headers, size_t n, buf *body, char *why, size_t cap)
{
    http_request req = {.method = method,
                        .url = url,
                        .headers = headers,
                        .n_headers = n,
                        .timeout_ms = LOCAL_TIMEOUT_MS,
                        .connect_timeout_ms = LOCAL_CONNECT_TIMEOUT_MS};
    http_response resp;
    aws_error err;
    if (http_send(http, &req, &resp, &err) != 0) {
        snprintf(why, cap, "%s", err.message);
        return -1;
    }
    int rc = 0;
    if (resp.status != 200) {
        snprintf(why, cap, "HTTP %ld", resp.status);
        rc = -1;
    } else {
        buf_reset(body);
        buf_append(body, resp.body.data, resp.body.len);
        if (buf_failed(body)) {
            snprintf(why, cap, "answer larger than %u bytes", ANSWER_MAX);
            rc = -1;
        }
    }
    http_response_free(&resp);
    return rc;
}

/* Hosts plain http may reach: loopback (127.0.0.0/8, ::1) and the ECS/EKS
 * agents' link-local addresses, as in the AWS SDKs. */
static int is_local_host(const char *host)
{
    static const char *const hosts[] = {"localhost",      "[::1]",          "169.254.170.2",
                                        "169.254.170.23", "[fd00:ec2::23]", NULL};
    struct in_addr v4;
    if (inet_pton(AF_INET, host, &v4) == 1)
        return (ntohl(v4.s_addr) >> 24) == 127;
    for (const char *const *p = hosts; *p; p++)
        if (strcasecmp(host, *p) == 0)
            return 1;
    return 0;
}

/* AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or plain http to a local
 * host. curl's URL parser gives the scheme and the whole host, so "HTTP://",
 * "127.evil.com" or "127.0.0.1@evil.com" cannot pass for an allowed one. */
static int full_uri_allowed(const char *url)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *user = NULL;
    int ok = 0;
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_NO_USER)
        ok = !strcmp(scheme, "https") || (!strcmp(scheme, "http") && is_local_host(host));
    curl_free(user);
    curl_free(host);
    curl_free(scheme);
    curl_url_cleanup(u);
    return ok;
}

static int printable(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

/* The Authorization value into out ("" when none is configured). Returns
 * METADATA_FOUND, or METADATA_REFUSED / METADATA_FAILED with why naming the
 * variable or the file. */
static metadata_status container_token(char *out, size_t cap, char *why, size_t why_cap)
{
    const char *token = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    const char *file = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    out[0] = '\0';
    if (file && *file) {
        buf b;
        buf_init(&b, TOKEN_FILE_MAX);
        if (buf_append_file(&b, file) != 0) {
            buf_free(&b);
            snprintf(why, why_cap,
                     "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE %.512s (or it is "
                     "larger than %u bytes)",
                     file, TOKEN_FILE_MAX);
            return METADATA_FAILED;
        }
        size_t n = b.len;
        if (n && b.data[n - 1] == '\n')
            n--;
        if (n && b.data[n - 1] == '\r')
            n--;
        int ok = n < cap && memchr(b.data ? b.data : "", '\0', n) == NULL;
        if (ok) {
            memcpy(out, b.data ? b.data : "", n);
            out[n] = '\0';
        }
        if (b.data)
            explicit_bzero(b.data, b.len);
        buf_free(&b);
        if (!ok || !http_header_value_ok(out)) {
            explicit_bzero(out, cap);
            snprintf(why, why_cap,
                     "the token in AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE %.512s holds a control "
                     "character (or is too long); refusing to send it",
                     file);
            return METADATA_REFUSED;
        }
    } else if (token) {
        if (strlen(token) >= cap || !http_header_value_ok(token)) {
            snprintf(why, why_cap,
                     "AWS_CONTAINER_AUTHORIZATION_TOKEN holds a control character (or is too "
                     "long); refusing to send it");
            return METADATA_REFUSED;
        }
        snprintf(out, cap, "%s", token);
    }
    return METADATA_FOUND;
}

metadata_status metadata_container_credentials(http_client *http, aws_credentials *out, char *why,
                                               size_t cap)
{
    const char *rel = getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    const char *full = getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    char url[1024];
    memset(out, 0, sizeof *out);
    if (rel && *rel) {
        if (rel[0] != '/' || !printable(rel) ||
            strlen(rel) + sizeof ECS_CREDENTIALS_HOST > sizeof url) {
            snprintf(why, cap,
                     "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must be a path starting with '/' "
                     "(no spaces or control characters); refusing to use it");
            return METADATA_REFUSED;
        }
        snprintf(url, sizeof url, ECS_CREDENTIALS_HOST "%s", rel);
    } else if (full && *full) {
        if (!printable(full) || strlen(full) >= sizeof url || !full_uri_allowed(full)) {
            /* Not the URI itself: it may hold user info or a token. */
            snprintf(why, cap,
                     "AWS_CONTAINER_CREDENTIALS_FULL_URI is refused: only https, or plain http "
                     "to loopback or the ECS/EKS link-local hosts, without user info");
            return METADATA_REFUSED;
        }
        snprintf(url, sizeof url, "%s", full);
    } else {
        snprintf(why, cap, "not configured");
        return METADATA_ABSENT;
    }
    char token[TOKEN_FILE_MAX];
    metadata_status st = container_token(token, sizeof token, why, cap);
    if (st != METADATA_FOUND)
        return st;
    http_header auth = {"Authorization", token};
    buf body;
    buf_init(&body, ANSWER_MAX);
    st = METADATA_FOUND;
    if (get_local(http, "GET", url, &auth, token[0] ? 1 : 0, &body, why, cap) != 0 ||
        metadata_parse_credentials(buf_cstr(&body), "the container endpoint's answer", out, why,
                                   cap) != 0)
        st = METADATA_FAILED;
    explicit_bzero(token, sizeof token);
    if (body.data)
        explicit_bzero(body.data, body.len);
    buf_free(&body);
    if (st == METADATA_FOUND)
        snprintf(out->source, sizeof out->source, "container");
    return st;
}

/* An IAM role name as IMDS may give it: it goes into the next URL's path. */
static int role_name_ok(const char *s)
{
    if (!*s || strlen(s) > 64)
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("+=,.@_-", *p)))
            return 0;
    return 1;
}

metadata_status metadata_imds_credentials(http_client *http, aws_credentials *out, char *why,
                                          size_t cap)
{
    memset(out, 0, sizeof *out);
    const char *disabled = getenv("AWS_EC2_METADATA_DISABLED");
    if (disabled && !strcasecmp(disabled, "true")) {
        snprintf(why, cap, "AWS_EC2_METADATA_DISABLED");
        return METADATA_ABSENT;
    }
    const char *base = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    char root[512], url[1024];
    snprintf(root, sizeof root, "%s", base && *base ? base : IMDS_DEFAULT);
    if (!printable(root) || (strncmp(root, "http://", 7) && strncmp(root, "https://", 8))) {
        snprintf(why, cap,
                 "AWS_EC2_METADATA_SERVICE_ENDPOINT is not an http(s) URL without spaces or "
                 "control characters");
        return METADATA_REFUSED;
    }
    size_t n = strlen(root);
    while (n && root[n - 1] == '/')
        root[--n] = '\0';
    buf body;
    buf_init(&body, ANSWER_MAX);
    char token[1024] = "", role[256] = "";
    http_header ttl = {"X-aws-ec2-metadata-token-ttl-seconds", "21600"};
    snprintf(url, sizeof url, "%s/latest/api/token", root);
    int rc = get_local(http, "PUT", url, &ttl, 1, &body, why, cap);
    if (rc == 0 && (body.len >= sizeof token || !http_header_value_ok(buf_cstr(&body)))) {
        snprintf(why, cap, "the session token IMDS answered holds a control character");
        rc = -1;
    }
    if (rc == 0) {
        snprintf(token, sizeof token, "%s", buf_cstr(&body));
        http_header auth = {"X-aws-ec2-metadata-token", token};
        snprintf(url, sizeof url, "%s/latest/meta-data/iam/security-credentials/", root);
        rc = get_local(http, "GET", url, &auth, 1, &body, why, cap);
        if (rc == 0) {
            snprintf(role, sizeof role, "%.*s", (int)strcspn(buf_cstr(&body), "\r\n"),
                     buf_cstr(&body));
            if (!role[0]) {
                snprintf(why, cap, "no IAM role attached");
                rc = -1;
            } else if (!role_name_ok(role)) {
                snprintf(why, cap, "the role name IMDS answered is not a role name");
                rc = -1;
            } else {
                snprintf(url, sizeof url, "%s/latest/meta-data/iam/security-credentials/%s", root,
                         role);
                rc = get_local(http, "GET", url, &auth, 1, &body, why, cap);
            }
        }
    }
    if (rc == 0)
        rc = metadata_parse_credentials(buf_cstr(&body), "the IMDS answer", out, why, cap);
    explicit_bzero(token, sizeof token);
    if (body.data)
        explicit_bzero(body.data, body.len);
    buf_free(&body);
    if (rc != 0)
        return METADATA_FAILED;
    snprintf(out->source, sizeof out->source, "imds");
    return METADATA_FOUND;
}
