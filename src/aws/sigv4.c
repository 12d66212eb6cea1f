/* SPDX-License-Identifier: Apache-2.0 */
#include "aws/sigv4.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/buf.h"
#include "util/sha256.h"

#define SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
#define SIGV4_MAX_TEXT (1u << 20)

static void hmac(const unsigned char *key, size_t key_len, const char *msg, unsigned char out[32])
{
    unsigned int n = 32;
    HMAC(EVP_sha256(), key, (int)key_len, (const unsigned char *)msg, strlen(msg), out, &n);
}

void sigv4_format_date(long long epoch_ms, char out[17])
{
    time_t t = (time_t)(epoch_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

static int unreserved(unsigned char c)
{
    return isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

static void encode_into(buf *b, const char *s, size_t n, int keep_slash)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (unreserved(c) || (keep_slash && c == '/'))
            buf_append(b, &s[i], 1);
        else
            buf_printf(b, "%%%02X", c);
    }
}

char *sigv4_uri_encode(const char *s, int keep_slash)
{
    buf b;
    buf_init(&b, SIGV4_MAX_TEXT);
    encode_into(&b, s, strlen(s), keep_slash);
    return buf_take(&b);
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes %XX sequences of s[0..n) into out (a malformed '%' stays as is). */
static void percent_decode(const char *s, size_t n, buf *out)
{
    for (size_t i = 0; i < n; i++) {
        int hi = i + 2 < n ? hex_value(s[i + 1]) : -1;
        int lo = i + 2 < n ? hex_value(s[i + 2]) : -1;
        if (s[i] == '%' && hi >= 0 && lo >= 0) {
            char c = (char)(hi * 16 + lo);
            buf_append(out, &c, 1);
            i += 2;
        } else {
            buf_append(out, &s[i], 1);
        }
    }
}

/* --- canonical URI ------------------------------------------------------- */

/* Removes "." and ".." segments and empty segments, keeping a leading and a
 * trailing '/' (RFC 3986 section 5.2.4, as the SigV4 suite expects). */
static char *normalize_path(const char *path)
{
    size_t n = strlen(path);
    const char **segs = calloc(n + 1, sizeof *segs);
    size_t *lens = calloc(n + 1, sizeof *lens);
    size_t count = 0;
    buf out;
    buf_init(&out, SIGV4_MAX_TEXT);
    if (!segs || !lens)
        goto done;
    for (const char *p = path; *p;) {
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == 2 && !strncmp(p, "..", 2)) {
            if (count)
                count--;
        } else if (len && !(len == 1 && *p == '.')) {
            segs[count] = p;
            lens[count++] = len;
        }
        p += len;
        if (*p == '/')
            p++;
    }
    buf_puts(&out, "/");
    for (size_t i = 0; i < count; i++) {
        buf_append(&out, segs[i], lens[i]);
        if (i + 1 < count)
            buf_puts(&out, "/");
    }
    /* A trailing slash survives unless the path collapsed to "/". */
    if (count && n > 1 && path[n - 1] == '/')
        buf_puts(&out, "/");
done:
    free(segs);
    free(lens);
    return buf_take(&out);
}

static char *canonical_uri(const char *path, const sigv4_params *p)
{
    if (!path || !*path)
        path = "/";
    char *normal = p->normalize_path ? normalize_path(path) : strdup(path);
    if (!normal || !p->double_encode_path)
        return normal;
    char *encoded = sigv4_uri_encode(normal, 1);
    free(normal);
    return encoded;
}

/* --- canonical query ----------------------------------------------------- */

typedef struct pair {
    char *key;
    char *value;
} pair;

static int pair_cmp(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : strcmp(x->value, y->value);
}

/* One name or value: decoded, then encoded the SigV4 way. */
static char *requote(const char *s, size_t n)
{
    buf raw, out;
    buf_init(&raw, SIGV4_MAX_TEXT);
    buf_init(&out, SIGV4_MAX_TEXT);
    percent_decode(s, n, &raw);
    encode_into(&out, buf_cstr(&raw), raw.len, 0);
    buf_free(&raw);
    return buf_take(&out);
}

static char *canonical_query(const char *query)
{
    buf out;
    buf_init(&out, SIGV4_MAX_TEXT);
    if (!query || !*query)
        return buf_take(&out);
    size_t cap = 1;
    for (const char *q = query; *q; q++)
        cap += *q == '&';
    pair *pairs = calloc(cap, sizeof *pairs);
    size_t n = 0;
    int ok = pairs != NULL;
    for (const char *p = query; ok && *p;) {
        size_t len = strcspn(p, "&");
        if (len) {
            const char *eq = memchr(p, '=', len);
            size_t klen = eq ? (size_t)(eq - p) : len;
            pairs[n].key = requote(p, klen);
            pairs[n].value = eq ? requote(eq + 1, len - klen - 1) : strdup("");
            ok = pairs[n].key && pairs[n].value;
            n++;
        }
        p += len;
        if (*p == '&')
            p++;
    }
    if (ok)
        qsort(pairs, n, sizeof *pairs, pair_cmp);
    for (size_t i = 0; i < n; i++) {
        if (ok)
            buf_printf(&out, "%s%s=%s", i ? "&" : "", pairs[i].key, pairs[i].value);
        free(pairs[i].key);
        free(pairs[i].value);
    }
    free(pairs);
    if (!ok) {
        buf_free(&out);
        return NULL;
    }
    return buf_take(&out);
}

/* --- canonical headers --------------------------------------------------- */

typedef struct header {
    char *name;  /* lower-cased */
    char *value; /* trimmed, inner whitespace folded */
    size_t order;
} header;

static int header_cmp(const void *a, const void *b)
{
    const header *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

static char *lower(const char *s)
{
    char *out = strdup(s);
    for (char *p = out; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return out;
}

static char *fold_value(const char *s)
{
    buf out;
    buf_init(&out, SIGV4_MAX_TEXT);
    while (isspace((unsigned char)*s))
        s++;
    int pending_space = 0;
    for (; *s; s++) {
        if (isspace((unsigned char)*s)) {
            pending_space = 1;
            continue;
        }
        if (pending_space)
            buf_puts(&out, " ");
        pending_space = 0;
        buf_append(&out, s, 1);
    }
    return buf_take(&out);
}

/* Builds "name:value\n" lines (repeated names joined with ',') and the
 * signed-headers list from all headers to sign. */
static void canonical_headers(header *h, size_t n, buf *lines, buf *signed_list)
{
    qsort(h, n, sizeof *h, header_cmp);
    for (size_t i = 0; i < n; i++) {
        if (i && !strcmp(h[i].name, h[i - 1].name)) {
            buf_printf(lines, ",%s", h[i].value);
            continue;
        }
        if (i)
            buf_puts(lines, "\n");
        buf_printf(lines, "%s:%s", h[i].name, h[i].value);
        buf_printf(signed_list, "%s%s", signed_list->len ? ";" : "", h[i].name);
    }
    buf_puts(lines, "\n");
}

/* --- signing ------------------------------------------------------------- */

static int valid_date(const char *d)
{
    if (!d || strlen(d) != 16 || d[8] != 'T' || d[15] != 'Z')
        return 0;
    for (int i = 0; i < 15; i++)
        if (i != 8 && !isdigit((unsigned char)d[i]))
            return 0;
    return 1;
}

static void signing_key(const sigv4_params *p, unsigned char key[32])
{
    char secret[512];
    char date[9];
    snprintf(secret, sizeof secret, "AWS4%s", p->secret_access_key);
    snprintf(date, sizeof date, "%.8s", p->amz_date);
    unsigned char k1[32], k2[32], k3[32];
    hmac((const unsigned char *)secret, strlen(secret), date, k1);
    hmac(k1, 32, p->region, k2);
    hmac(k2, 32, p->service, k3);
    hmac(k3, 32, "aws4_request", key);
    OPENSSL_cleanse(secret, sizeof secret);
}

static int has_header(const sigv4_request *req, const char *name)
{
    for (size_t i = 0; i < req->n_headers; i++)
        if (!strcasecmp(req->headers[i].name, name))
            return 1;
    return 0;
}

static void add_output_header(sigv4_result *out, const char *name, const char *value)
{
    out->added[out->n_added].name = strdup(name);
    out->added[out->n_added].value = strdup(value);
    out->n_added++;
}

/* The headers that will be signed: the request's (but Expect, which proxies
 * and curl may drop) plus those the signer adds. */
static size_t collect_headers(const sigv4_request *req, const sigv4_result *out, header *h)
{
    size_t n = 0;
    for (size_t i = 0; i < req->n_headers; i++) {
        if (!strcasecmp(req->headers[i].name, "Expect"))
            continue;
        h[n].name = lower(req->headers[i].name);
        h[n].value = fold_value(req->headers[i].value ? req->headers[i].value : "");
        h[n].order = n;
        n++;
    }
    for (size_t i = 0; i < out->n_added; i++) {
        h[n].name = lower(out->added[i].name);
        h[n].value = fold_value(out->added[i].value);
        h[n].order = n;
        n++;
    }
    return n;
}

int sigv4_sign(const sigv4_request *req, const sigv4_params *p, sigv4_result *out)
{
    memset(out, 0, sizeof *out);
    if (!has_header(req, "Host") || !valid_date(p->amz_date))
        return -1;
    char payload_hash[65];
    sha256_hex(req->payload, req->payload_len, payload_hash);
    add_output_header(out, "X-Amz-Date", p->amz_date);
    if (p->session_token && *p->session_token)
        add_output_header(out, "X-Amz-Security-Token", p->session_token);
    if (p->sign_payload_header)
        add_output_header(out, "X-Amz-Content-Sha256", payload_hash);

    header *h = calloc(req->n_headers + out->n_added + 1, sizeof *h);
    char *uri = canonical_uri(req->path, p);
    char *query = canonical_query(req->query);
    buf lines, signed_list, creq, sts;
    buf_init(&lines, SIGV4_MAX_TEXT);
    buf_init(&signed_list, SIGV4_MAX_TEXT);
    buf_init(&creq, SIGV4_MAX_TEXT);
    buf_init(&sts, SIGV4_MAX_TEXT);
    int rc = -1;
    size_t n = 0;
    if (!h || !uri || !query)
        goto done;
    n = collect_headers(req, out, h);
    for (size_t i = 0; i < n; i++)
        if (!h[i].name || !h[i].value)
            goto done;
    canonical_headers(h, n, &lines, &signed_list);
    if (buf_failed(&lines) || buf_failed(&signed_list))
        goto done;
    buf_printf(&creq, "%s\n%s\n%s\n%s\n%s\n%s", req->method, uri, query, buf_cstr(&lines),
               buf_cstr(&signed_list), payload_hash);

    char creq_hash[65], scope[256];
    sha256_hex(creq.data, creq.len, creq_hash);
    snprintf(scope, sizeof scope, "%.8s/%s/%s/aws4_request", p->amz_date, p->region, p->service);
    buf_printf(&sts, SIGV4_ALGORITHM "\n%s\n%s\n%s", p->amz_date, scope, creq_hash);

    unsigned char key[32], sig[32];
    signing_key(p, key);
    hmac(key, 32, buf_cstr(&sts), sig);
    OPENSSL_cleanse(key, sizeof key);
    sha256_to_hex(sig, 32, out->signature);

    buf auth;
    buf_init(&auth, SIGV4_MAX_TEXT);
    buf_printf(&auth, SIGV4_ALGORITHM " Credential=%s/%s, SignedHeaders=%s, Signature=%s",
               p->access_key_id, scope, buf_cstr(&signed_list), out->signature);
    out->authorization = buf_take(&auth);
    out->canonical_request = buf_take(&creq);
    out->string_to_sign = buf_take(&sts);
    for (size_t i = 0; i < out->n_added; i++)
        if (!out->added[i].name || !out->added[i].value)
            goto done;
    rc = out->authorization && out->canonical_request && out->string_to_sign ? 0 : -1;
done:
    for (size_t i = 0; i < n; i++) {
        free(h[i].name);
        free(h[i].value);
    }
    free(h);
    free(uri);
    free(query);
    buf_free(&lines);
    buf_free(&signed_list);
    buf_free(&creq);
    buf_free(&sts);
    if (rc != 0)
        sigv4_result_free(out);
    return rc;
}

void sigv4_result_free(sigv4_result *r)
{
    free(r->canonical_request);
    free(r->string_to_sign);
    free(r->authorization);
    for (size_t i = 0; i < r->n_added; i++) {
        free((char *)r->added[i].name);
        free((char *)r->added[i].value);
    }
    memset(r, 0, sizeof *r);
}
