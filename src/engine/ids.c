/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/ids.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util/arn.h"
#include "util/sha256.h"

/* Copies at most max characters of s, replacing anything outside
 * [A-Za-z0-9_-] with '-'. */
static void sanitize(const char *s, size_t max, char *out)
{
    size_t i = 0;
    for (; s[i] && i < max; i++) {
        unsigned char c = (unsigned char)s[i];
        out[i] = (char)(isalnum(c) || c == '_' || c == '-' ? c : '-');
    }
    out[i] = '\0';
}

void ids_resource_id(const char *stack_id, const char *logical_id, char *out, size_t cap)
{
    char name[256], a[64], b[64], hash[65];
    arn_stack_name(stack_id, name, sizeof name);
    sanitize(name, 10, a);
    sanitize(logical_id, 7, b);
    char both[2048];
    snprintf(both, sizeof both, "%s\n%s", stack_id, logical_id);
    sha256_hex(both, strlen(both), hash);
    snprintf(out, cap, "%s-%s-%.8s", a, b, hash);
}

static int param_value(const char *query, const char *name, char *out, size_t cap)
{
    size_t n = strlen(name);
    for (const char *p = query; p && *p; p = strchr(p, '&') ? strchr(p, '&') + 1 : NULL) {
        if (!strncmp(p, name, n) && p[n] == '=') {
            const char *v = p + n + 1;
            size_t len = strcspn(v, "&#");
            snprintf(out, cap, "%.*s", (int)len, v);
            return 0;
        }
    }
    return -1;
}

void ids_url_signing_time(const char *url, char *out, size_t cap)
{
    const char *q = strchr(url, '?');
    out[0] = '\0';
    if (!q)
        return;
    q++;
    if (param_value(q, "X-Amz-Date", out, cap) == 0 || param_value(q, "Expires", out, cap) == 0)
        return;
    snprintf(out, cap, "%s", q);
}

void ids_client_token(const char *request_id, const char *response_url, char *out, size_t cap)
{
    char when[512], hash[65];
    ids_url_signing_time(response_url, when, sizeof when);
    char both[1024];
    snprintf(both, sizeof both, "%s\n%s", request_id, when);
    sha256_hex(both, strlen(both), hash);
    snprintf(out, cap, "%.*s", IDS_TOKEN_LEN, hash);
}

void ids_started_by(const char *resource_id, const char *client_token, char *out, size_t cap)
{
    snprintf(out, cap, "%.*s-%.8s", IDS_STARTED_BY_LEN - 9, resource_id, client_token);
}

void ids_round_token(const char *client_token, int round, char *out, size_t cap)
{
    if (round <= 1) {
        snprintf(out, cap, "%s", client_token);
        return;
    }
    char both[128], hash[SHA256_HEX_LEN + 1];
    snprintf(both, sizeof both, "%s\nround %d", client_token, round);
    sha256_hex(both, strlen(both), hash);
    snprintf(out, cap, "%.*s", IDS_TOKEN_LEN, hash);
}
