/* SPDX-License-Identifier: Apache-2.0 */
#include "aws/http.h"

#include "aws/trust.h"

#include <ctype.h>
#include <curl/curl.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define HTTP_MAX_ORIGINS 16
#define HTTP_MAX_HEADERS 64

typedef struct origin_handle {
    char origin[256]; /* scheme://host:port */
    CURL *curl;
} origin_handle;

struct http_client {
    origin_handle handles[HTTP_MAX_ORIGINS];
    size_t n_handles;
    trust_store *trust;
};

/* CURLOPT_SSL_CTX_FUNCTION: each new connection's store looks CAs up in the
 * bundle instead of holding them all. */
static CURLcode attach_bundle(CURL *curl, void *ssl_ctx, void *trust)
{
    (void)curl;
    return trust_attach_bundle(trust, SSL_CTX_get_cert_store(ssl_ctx)) == 0 ? CURLE_OK
                                                                            : CURLE_OUT_OF_MEMORY;
}

http_client *http_client_new(void)
{
    http_client *c = calloc(1, sizeof *c);
    if (c && !(c->trust = trust_new())) {
        free(c);
        return NULL;
    }
    return c;
}

void http_client_free(http_client *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_handles; i++)
        curl_easy_cleanup(c->handles[i].curl);
    /* Every TLS context, and with it every store using the trust, is gone. */
    trust_free(c->trust);
    free(c);
}

/* "https://host:443/path?q" -> "https://host:443". */
static void origin_of(const char *url, char *out, size_t cap)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    size_t n = (size_t)(p - url) + strcspn(p, "/?#");
    snprintf(out, cap, "%.*s", (int)n, url);
}

/* The handle kept for the URL's origin: its connection stays open between
 * requests. When the table is full the oldest handle is recycled. */
static CURL *handle_for(http_client *c, const char *url)
{
    char origin[256];
    origin_of(url, origin, sizeof origin);
    for (size_t i = 0; i < c->n_handles; i++)
        if (!strcmp(c->handles[i].origin, origin))
            return c->handles[i].curl;
    if (c->n_handles == HTTP_MAX_ORIGINS) {
        curl_easy_cleanup(c->handles[0].curl);
        memmove(&c->handles[0], &c->handles[1], sizeof c->handles[0] * (HTTP_MAX_ORIGINS - 1));
        c->n_handles--;
    }
    /* libcurl's global set-up waits for the first request: runtime mode's
     * first `next` needs nothing else before it. */
    static int initialised;
    if (!initialised) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            return NULL;
        initialised = 1;
    }
    CURL *curl = curl_easy_init();
    if (!curl)
        return NULL;
    origin_handle *h = &c->handles[c->n_handles++];
    snprintf(h->origin, sizeof h->origin, "%s", origin);
    h->curl = curl;
    return curl;
}

/* Forgets the handle of a URL's origin, so the next request opens a fresh
 * connection (after a transport error the old one cannot be trusted). */
static void drop_handle(http_client *c, CURL *curl)
{
    for (size_t i = 0; i < c->n_handles; i++)
        if (c->handles[i].curl == curl) {
            curl_easy_cleanup(curl);
            c->handles[i] = c->handles[--c->n_handles];
            return;
        }
}

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
    http_response *resp = ud;
    return buf_append(&resp->body, data, size * n) == 0 ? size * n : 0;
}

static size_t on_header(char *data, size_t size, size_t n, void *ud)
{
    http_response *resp = ud;
    size_t len = size * n;
    /* A new status line (after 100 Continue or a redirect) starts afresh. */
    if (len >= 5 && !strncmp(data, "HTTP/", 5)) {
        for (size_t i = 0; i < resp->n_headers; i++) {
            free(resp->header_names[i]);
            free(resp->header_values[i]);
        }
        resp->n_headers = 0;
        return len;
    }
    const char *colon = memchr(data, ':', len);
    if (!colon || resp->n_headers == HTTP_MAX_HEADERS)
        return len;
    size_t name_len = (size_t)(colon - data);
    const char *v = colon + 1;
    const char *end = data + len;
    while (v < end && isspace((unsigned char)*v))
        v++;
    while (end > v && isspace((unsigned char)end[-1]))
        end--;
    char *name = strndup(data, name_len);
    char *value = strndup(v, (size_t)(end - v));
    if (!name || !value) {
        free(name);
        free(value);
        return 0;
    }
    for (char *p = name; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    resp->header_names[resp->n_headers] = name;
    resp->header_values[resp->n_headers] = value;
    resp->n_headers++;
    return len;
}

int http_header_value_ok(const char *value)
{
    if (!value)
        return 0;
    for (const unsigned char *p = (const unsigned char *)value; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

/* The first header whose name or value could not be sent whole, or NULL. */
static const http_header *unsafe_header(const http_request *req)
{
    for (size_t i = 0; i < req->n_headers; i++) {
        const http_header *h = &req->headers[i];
        if (!h->name[0] || strpbrk(h->name, ": ") || !http_header_value_ok(h->name) ||
            !http_header_value_ok(h->value))
            return h;
    }
    return NULL;
}

static struct curl_slist *build_headers(const http_request *req)
{
    struct curl_slist *list = NULL;
    int has_content_type = 0;
    buf line;
    buf_init(&line, 64u * 1024u);
    for (size_t i = 0; i < req->n_headers; i++) {
        const http_header *h = &req->headers[i];
        buf_reset(&line);
        /* "Name;" is curl's way to send a header with an empty value. */
        if (h->value[0])
            buf_printf(&line, "%s: %s", h->name, h->value);
        else
            buf_printf(&line, "%s;", h->name);
        if (!strcasecmp(h->name, "Content-Type"))
            has_content_type = 1;
        list = curl_slist_append(list, buf_cstr(&line));
    }
    buf_free(&line);
    list = curl_slist_append(list, "Expect:");
    list = curl_slist_append(list, "Accept:"); /* no default Accept header either */
    if (!has_content_type)
        list = curl_slist_append(list, "Content-Type:");
    return list;
}

static void configure(CURL *curl, http_client *c, const http_request *req,
                      struct curl_slist *headers, http_response *resp)
{
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, req->url);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, resp);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, resp);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    /* The trust store is looked up at the first https URL (the Runtime API
     * is plain http). A bundle is looked into lazily (aws/trust.h): given
     * as CURLOPT_CAINFO, its every CA would be parsed for each new
     * connection's context. */
    if (!strncasecmp(req->url, "https:", 6)) {
        /* Nothing but our choice: a libcurl built with a default CA file or
         * directory (Debian's, in the development build) would load or add
         * it. */
        curl_easy_setopt(curl, CURLOPT_CAINFO, NULL);
        curl_easy_setopt(curl, CURLOPT_CAPATH, NULL);
        if (trust_ca_dir(c->trust)) {
            curl_easy_setopt(curl, CURLOPT_CAPATH, trust_ca_dir(c->trust));
        } else if (trust_ca_file(c->trust)) {
            curl_easy_setopt(curl, CURLOPT_SSL_CTX_FUNCTION, attach_bundle);
            curl_easy_setopt(curl, CURLOPT_SSL_CTX_DATA, c->trust);
        }
    }
    curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
    if (req->timeout_ms > 0)
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)req->timeout_ms);
    if (req->connect_timeout_ms > 0)
        curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, (long)req->connect_timeout_ms);
    if (!strcmp(req->method, "GET")) {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req->method);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req->body ? req->body : "");
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
    }
}

int http_send(http_client *c, const http_request *req, http_response *resp, aws_error *err)
{
    memset(resp, 0, sizeof *resp);
    const http_header *bad = unsafe_header(req);
    if (bad) {
        /* The name only: the value may be a credential. */
        aws_error_set(err, 0, AWS_ERR_CONFIG,
                      "refusing to send header '%.64s': it holds a control character or is "
                      "malformed",
                      http_header_value_ok(bad->name) ? bad->name : "?");
        return -1;
    }
    buf_init(&resp->body, HTTP_MAX_BODY);
    resp->header_names = calloc(HTTP_MAX_HEADERS, sizeof(char *));
    resp->header_values = calloc(HTTP_MAX_HEADERS, sizeof(char *));
    CURL *curl = handle_for(c, req->url);
    if (!curl || !resp->header_names || !resp->header_values) {
        http_response_free(resp);
        aws_error_set(err, 0, AWS_ERR_INTERNAL, "out of memory");
        return -1;
    }
    struct curl_slist *headers = build_headers(req);
    configure(curl, c, req, headers, resp);
    CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK) {
        int too_big = rc == CURLE_WRITE_ERROR;
        http_response_free(resp);
        drop_handle(c, curl);
        if (too_big)
            /* Never the URL: a pre-signed URL's query string is a credential. */
            aws_error_set(err, 0, AWS_ERR_PARSE, "the answer to %s was larger than %u bytes",
                          req->method, HTTP_MAX_BODY);
        else
            aws_error_set(err, 0,
                          rc == CURLE_OPERATION_TIMEDOUT ? AWS_ERR_TIMEOUT : AWS_ERR_TRANSPORT,
                          "%s", curl_easy_strerror(rc));
        return -1;
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &resp->status);
    return 0;
}

const char *http_response_header(const http_response *resp, const char *name)
{
    for (size_t i = 0; i < resp->n_headers; i++)
        if (!strcasecmp(resp->header_names[i], name))
            return resp->header_values[i];
    return NULL;
}

void http_response_free(http_response *resp)
{
    for (size_t i = 0; i < resp->n_headers; i++) {
        free(resp->header_names[i]);
        free(resp->header_values[i]);
    }
    free(resp->header_names);
    free(resp->header_values);
    buf_free(&resp->body);
    memset(resp, 0, sizeof *resp);
}
