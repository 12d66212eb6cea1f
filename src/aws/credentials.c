/* SPDX-License-Identifier: Apache-2.0 */
#include "aws/credentials.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "aws/profile.h"
#include "util/buf.h"
#include "util/log.h"

#define ECS_CREDENTIALS_HOST "http://169.254.170.2"
#define IMDS_DEFAULT "http://169.254.169.254"
#define LOCAL_TIMEOUT_MS 2000
#define LOCAL_CONNECT_TIMEOUT_MS 1000

struct aws_credentials_provider {
    http_client *http;
    const clk *clock;
    aws_credentials cached;
    int have_cached;
};

aws_credentials_provider *aws_credentials_provider_new(http_client *http, const clk *clock)
{
    aws_credentials_provider *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->http = http;
    p->clock = clock ? clock : clk_system();
    return p;
}

void aws_credentials_provider_free(aws_credentials_provider *p)
{
    if (p)
        memset(&p->cached, 0, sizeof p->cached);
    free(p);
}

/* "2026-11-25T12:00:00Z" or with fractional seconds or "+00:00" -> Unix ms. */
static int64_t parse_iso8601(const char *s)
{
    struct tm tm = {0};
    int n = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec, &n) != 6)
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int64_t)timegm(&tm) * 1000;
}

int aws_credentials_parse_json(const char *json, aws_credentials *out)
{
    memset(out, 0, sizeof *out);
    json_t *doc = json_loads(json, 0, NULL);
    const char *key = json_string_value(json_object_get(doc, "AccessKeyId"));
    const char *secret = json_string_value(json_object_get(doc, "SecretAccessKey"));
    const char *token = json_string_value(json_object_get(doc, "Token"));
    const char *expiration = json_string_value(json_object_get(doc, "Expiration"));
    int rc = -1;
    if (key && *key && secret && *secret) {
        snprintf(out->access_key_id, sizeof out->access_key_id, "%s", key);
        snprintf(out->secret_access_key, sizeof out->secret_access_key, "%s", secret);
        snprintf(out->session_token, sizeof out->session_token, "%s", token ? token : "");
        out->expiration_ms = expiration ? parse_iso8601(expiration) : 0;
        rc = 0;
    }
    json_decref(doc);
    return rc;
}

/* --- sources ------------------------------------------------------------- */

static int from_environment(aws_credentials *out, buf *tried)
{
    const char *key = getenv("AWS_ACCESS_KEY_ID");
    const char *secret = getenv("AWS_SECRET_ACCESS_KEY");
    if (!key || !*key || !secret || !*secret) {
        buf_puts(tried, "environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY unset)");
        return -1;
    }
    const char *token = getenv("AWS_SESSION_TOKEN");
    snprintf(out->access_key_id, sizeof out->access_key_id, "%s", key);
    snprintf(out->secret_access_key, sizeof out->secret_access_key, "%s", secret);
    snprintf(out->session_token, sizeof out->session_token, "%s", token ? token : "");
    snprintf(out->source, sizeof out->source, "environment");
    return 0;
}

static int from_profile(aws_credentials *out, buf *tried)
{
    aws_profile *p = calloc(1, sizeof *p);
    if (!p)
        return -1;
    int rc = -1;
    if (aws_profile_load(NULL, p) && p->access_key_id[0] && p->secret_access_key[0]) {
        snprintf(out->access_key_id, sizeof out->access_key_id, "%s", p->access_key_id);
        snprintf(out->secret_access_key, sizeof out->secret_access_key, "%s", p->secret_access_key);
        snprintf(out->session_token, sizeof out->session_token, "%s", p->session_token);
        snprintf(out->source, sizeof out->source, "profile");
        rc = 0;
    } else {
        buf_printf(tried, ", profile %s (no keys in the shared files)", p->name);
    }
    memset(p, 0, sizeof *p);
    free(p);
    return rc;
}

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
    }
    http_response_free(&resp);
    return rc;
}

/* Loopback or the ECS/EKS link-local addresses: the only hosts a FULL_URI may
 * name over plain http, as in the AWS SDKs. */
/* Hosts plain http may reach: loopback (127.0.0.0/8, ::1) and the ECS/EKS
 * agents' link-local addresses. */
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

static int container_token(char *out, size_t cap)
{
    const char *token = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    const char *file = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    out[0] = '\0';
    if (file && *file) {
        FILE *f = fopen(file, "r");
        if (!f)
            return -1;
        size_t n = fread(out, 1, cap - 1, f);
        fclose(f);
        out[n] = '\0';
        while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
            out[--n] = '\0';
    } else if (token) {
        snprintf(out, cap, "%s", token);
    }
    return 0;
}

static int from_container(http_client *http, aws_credentials *out, buf *tried)
{
    const char *rel = getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    const char *full = getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    char url[1024], why[1024], token[4096];
    if (rel && *rel) {
        snprintf(url, sizeof url, ECS_CREDENTIALS_HOST "%s", rel);
    } else if (full && *full) {
        if (!full_uri_allowed(full)) {
            buf_printf(tried,
                       ", container (AWS_CONTAINER_CREDENTIALS_FULL_URI %s: only https, "
                       "or plain http to loopback or the ECS/EKS link-local hosts)",
                       full);
            return -1;
        }
        snprintf(url, sizeof url, "%s", full);
    } else {
        buf_puts(tried, ", container (not configured)");
        return -1;
    }
    if (container_token(token, sizeof token) != 0) {
        buf_puts(tried, ", container (cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)");
        return -1;
    }
    http_header auth = {"Authorization", token};
    buf body;
    buf_init(&body, 64u * 1024u);
    int rc = get_local(http, "GET", url, &auth, token[0] ? 1 : 0, &body, why, sizeof why);
    if (rc == 0 && aws_credentials_parse_json(buf_cstr(&body), out) != 0) {
        snprintf(why, sizeof why, "answer without AccessKeyId/SecretAccessKey");
        rc = -1;
    }
    buf_free(&body);
    if (rc != 0) {
        buf_printf(tried, ", container (%s)", why);
        return -1;
    }
    snprintf(out->source, sizeof out->source, "container");
    return 0;
}

static int from_imds(http_client *http, aws_credentials *out, buf *tried)
{
    const char *disabled = getenv("AWS_EC2_METADATA_DISABLED");
    if (disabled && !strcasecmp(disabled, "true")) {
        buf_puts(tried, ", IMDS (AWS_EC2_METADATA_DISABLED)");
        return -1;
    }
    const char *base = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    char root[512], url[1024], why[1024];
    snprintf(root, sizeof root, "%s", base && *base ? base : IMDS_DEFAULT);
    size_t n = strlen(root);
    while (n && root[n - 1] == '/')
        root[--n] = '\0';
    buf body;
    buf_init(&body, 64u * 1024u);
    char token[1024] = "", role[256] = "";
    http_header ttl = {"X-aws-ec2-metadata-token-ttl-seconds", "21600"};
    snprintf(url, sizeof url, "%s/latest/api/token", root);
    int rc = get_local(http, "PUT", url, &ttl, 1, &body, why, sizeof why);
    if (rc == 0) {
        snprintf(token, sizeof token, "%s", buf_cstr(&body));
        http_header auth = {"X-aws-ec2-metadata-token", token};
        snprintf(url, sizeof url, "%s/latest/meta-data/iam/security-credentials/", root);
        rc = get_local(http, "GET", url, &auth, 1, &body, why, sizeof why);
        if (rc == 0) {
            snprintf(role, sizeof role, "%.*s", (int)strcspn(buf_cstr(&body), "\r\n"),
                     buf_cstr(&body));
            snprintf(url, sizeof url, "%s/latest/meta-data/iam/security-credentials/%s", root,
                     role);
            rc = role[0] ? get_local(http, "GET", url, &auth, 1, &body, why, sizeof why) : -1;
            if (!role[0])
                snprintf(why, sizeof why, "no IAM role attached");
        }
    }
    if (rc == 0 && aws_credentials_parse_json(buf_cstr(&body), out) != 0) {
        snprintf(why, sizeof why, "answer without AccessKeyId/SecretAccessKey");
        rc = -1;
    }
    buf_free(&body);
    if (rc != 0) {
        buf_printf(tried, ", IMDS (%s)", why);
        return -1;
    }
    snprintf(out->source, sizeof out->source, "imds");
    return 0;
}

/* --- the chain ----------------------------------------------------------- */

static int cache_valid(const aws_credentials_provider *p)
{
    if (!p->have_cached)
        return 0;
    if (!p->cached.expiration_ms)
        return 1;
    return clk_now(p->clock) + AWS_CREDENTIALS_REFRESH_MARGIN_MS < p->cached.expiration_ms;
}

int aws_credentials_get(aws_credentials_provider *p, aws_credentials *out, aws_error *err)
{
    if (cache_valid(p)) {
        *out = p->cached;
        return 0;
    }
    memset(out, 0, sizeof *out);
    buf tried;
    buf_init(&tried, 4096);
    int rc = from_environment(out, &tried);
    if (rc != 0)
        rc = from_profile(out, &tried);
    if (rc != 0)
        rc = from_container(p->http, out, &tried);
    if (rc != 0)
        rc = from_imds(p->http, out, &tried);
    if (rc != 0) {
        aws_error_set(err, 0, AWS_ERR_CREDENTIALS, "no AWS credentials: %s", buf_cstr(&tried));
        buf_free(&tried);
        return -1;
    }
    buf_free(&tried);
    p->cached = *out;
    p->have_cached = 1;
    log_msg(LOG_DEBUG, "AWS credentials from %s", out->source);
    return 0;
}
