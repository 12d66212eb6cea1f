/* SPDX-License-Identifier: Apache-2.0 */
#include "aws/http.h"

#include <ctype.h>
#include <curl/curl.h>
#include <dirent.h>
#include <fcntl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
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

/* One certificate of a CA bundle: where its PEM body is in the file, and a
 * hash of its subject's DER encoding. */
typedef struct bundle_entry {
    uint32_t subject_hash;
    int trusted_form; /* "TRUSTED CERTIFICATE": OpenSSL's form with trust settings */
    size_t offset, len;
} bundle_entry;

/* A CA bundle read lazily: the first lookup indexes its certificates by
 * subject (no certificate is parsed for that, only located and decoded far
 * enough to find its subject); a lookup parses only the certificates whose
 * subject matches. Parsing all of them up front, as a CA file set with
 * CURLOPT_CAINFO is, costs ~0.25 ms per certificate with OpenSSL 3. */
typedef struct bundle_index {
    const char *path; /* the client's ca_file */
    int indexed;      /* 1: entries built (possibly none), -1: unreadable */
    bundle_entry *entries;
    size_t n_entries;
    X509_LOOKUP_METHOD *method; /* freed after every handle, hence every SSL_CTX */
} bundle_index;

struct http_client {
    origin_handle handles[HTTP_MAX_ORIGINS];
    size_t n_handles;
    int trust_chosen; /* ca_file and ca_dir are looked up at the first need */
    char ca_file[512];
    char ca_dir[512];
    bundle_index bundle;
};

static const char *const ca_candidates[] = {
    "/etc/pki/tls/certs/ca-bundle.crt",   /* Amazon Linux, RHEL */
    "/etc/ssl/certs/ca-certificates.crt", /* Debian, Ubuntu */
    "/etc/ssl/cert.pem",                  /* Alpine, macOS */
    NULL,
};

/* Directories of CA files named by subject hash (c_rehash, `openssl
 * rehash`): OpenSSL reads only the few a chain needs, where a bundle costs a
 * parse of every CA in it (~35 ms for Debian's 145) before the first
 * handshake. */
static const char *const ca_dir_candidates[] = {
    "/etc/pki/ca-trust/extracted/pem/directory-hash", /* Fedora-based, update-ca-trust */
    "/etc/ssl/certs",                                 /* Debian, Ubuntu (update-ca-certificates) */
    NULL,
};

/* "1a2b3c4d.0": the name OpenSSL's hashed-directory lookup opens. */
static int is_hash_name(const char *name)
{
    size_t i = 0;
    while (i < 8 && isxdigit((unsigned char)name[i]) && !isupper((unsigned char)name[i]))
        i++;
    if (i != 8 || name[8] != '.' || !isdigit((unsigned char)name[9]))
        return 0;
    for (i = 10; name[i]; i++)
        if (!isdigit((unsigned char)name[i]))
            return 0;
    return 1;
}

/* Whether a directory holds hash links: /etc/ssl/certs on Amazon Linux is a
 * link to /etc/pki/tls/certs, which may hold only the bundle. */
static int has_hash_links(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int found = 0;
    for (struct dirent *e; !found && (e = readdir(d));)
        found = is_hash_name(e->d_name);
    closedir(d);
    return found;
}

static const char *env_value(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

/* The trust store: AWS_CA_BUNDLE, then SSL_CERT_FILE, alone when set. Else
 * the hashed directory SSL_CERT_DIR names, or the platform's, and the first
 * existing bundle for when there is no such directory. */
static void choose_trust(http_client *c)
{
    if (c->trust_chosen)
        return;
    c->trust_chosen = 1;
    const char *file = env_value("AWS_CA_BUNDLE");
    if (!file)
        file = env_value("SSL_CERT_FILE");
    if (file) {
        snprintf(c->ca_file, sizeof c->ca_file, "%s", file);
        return;
    }
    for (const char *const *f = ca_candidates; *f; f++)
        if (access(*f, R_OK) == 0) {
            snprintf(c->ca_file, sizeof c->ca_file, "%s", *f);
            break;
        }
    const char *dir = env_value("SSL_CERT_DIR");
    for (const char *const *d = ca_dir_candidates; !dir && *d; d++)
        if (has_hash_links(*d))
            dir = *d;
    if (dir)
        snprintf(c->ca_dir, sizeof c->ca_dir, "%s", dir);
}

/* --- the lazy CA bundle --------------------------------------------------- */

static uint32_t fnv1a(const unsigned char *p, size_t n)
{
    uint32_t h = 2166136261u;
    while (n--)
        h = (h ^ *p++) * 16777619u;
    return h;
}

/* One DER header: its tag, the length of its content and its own size (0
 * when it does not fit in n bytes). */
static size_t der_header(const unsigned char *p, size_t n, unsigned *tag, size_t *len)
{
    if (n < 2)
        return 0;
    *tag = p[0];
    if (p[1] < 0x80) {
        *len = p[1];
        return 2;
    }
    size_t k = p[1] & 0x7fu;
    if (k == 0 || k > 4 || n < 2 + k)
        return 0;
    *len = 0;
    for (size_t i = 0; i < k; i++)
        *len = *len << 8 | p[2 + i];
    return 2 + k;
}

/* The subject of a DER certificate, which may be cut after it: Certificate =
 * SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serial,
 * signature, issuer, validity, subject, ... } }. Returns 0 with *subject
 * and *len set to its whole encoding. */
static int der_subject(const unsigned char *der, size_t n, const unsigned char **subject,
                       size_t *len)
{
    const unsigned char *p = der, *end = der + n;
    unsigned tag;
    size_t body, h;
    /* Into the certificate, then into the tbsCertificate (whose ends may lie
     * past the part decoded). */
    for (int depth = 0; depth < 2; depth++) {
        if (!(h = der_header(p, (size_t)(end - p), &tag, &body)) || tag != 0x30)
            return -1;
        p += h;
    }
    /* The version, when present, is [0]; then serial, signature, issuer,
     * validity and the subject, a SEQUENCE. */
    for (int field = 0; field < 6; field++) {
        if (!(h = der_header(p, (size_t)(end - p), &tag, &body)) || body > (size_t)(end - p) - h)
            return -1;
        if (field == 0 && tag != 0xa0)
            field++; /* no version: this is the serial number */
        if (field == 5) {
            *subject = p;
            *len = h + body;
            return tag == 0x30 ? 0 : -1;
        }
        p += h + body;
    }
    return -1;
}

/* Decodes one PEM body (base64 lines; line breaks and blanks skipped, '='
 * ends it) into a new buffer; NULL on error. Ours, not EVP_DecodeUpdate:
 * indexing a bundle decodes ~100 KB, and EVP's costs ~40 instructions a
 * character where four-character groups here cost a few. */
static unsigned char *pem_body_decode(const char *b64, size_t len, size_t *out_len)
{
    static signed char value[256];
    if (!value['B']) {
        memset(value, -1, sizeof value);
        const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 64; i++)
            value[(unsigned char)alphabet[i]] = (signed char)i;
    }
    /* The characters that carry data, in one run. */
    char *text = malloc(len + 1);
    unsigned char *der = malloc(len / 4 * 3 + 3);
    size_t n = 0;
    for (size_t i = 0; text && i < len && b64[i] != '=';) {
        size_t run = 0;
        while (i + run < len && value[(unsigned char)b64[i + run]] >= 0)
            run++;
        memcpy(text + n, b64 + i, run);
        n += run;
        i += run;
        if (i < len && b64[i] != '=' && !isspace((unsigned char)b64[i]))
            n = len + 1; /* not base64 */
        else if (i < len && b64[i] != '=')
            i++;
        if (n > len)
            break;
    }
    if (!text || !der || n > len || n % 4 == 1) {
        free(text);
        free(der);
        return NULL;
    }
    size_t out = 0, i = 0;
    for (; i + 4 <= n; i += 4) {
        unsigned v = (unsigned)value[(unsigned char)text[i]] << 18 |
                     (unsigned)value[(unsigned char)text[i + 1]] << 12 |
                     (unsigned)value[(unsigned char)text[i + 2]] << 6 |
                     (unsigned)value[(unsigned char)text[i + 3]];
        der[out++] = (unsigned char)(v >> 16);
        der[out++] = (unsigned char)(v >> 8);
        der[out++] = (unsigned char)v;
    }
    if (n - i >= 2) { /* the last group, shortened by its '=' padding */
        unsigned v = (unsigned)value[(unsigned char)text[i]] << 18 |
                     (unsigned)value[(unsigned char)text[i + 1]] << 12;
        if (n - i == 3)
            v |= (unsigned)value[(unsigned char)text[i + 2]] << 6;
        der[out++] = (unsigned char)(v >> 16);
        if (n - i == 3)
            der[out++] = (unsigned char)(v >> 8);
    }
    free(text);
    *out_len = out;
    return der;
}

static const char pem_begin[] = "-----BEGIN CERTIFICATE-----";
static const char pem_begin_trusted[] = "-----BEGIN TRUSTED CERTIFICATE-----";

/* Indexes every certificate of the bundle by subject, once. */
static void bundle_build_index(bundle_index *b)
{
    if (b->indexed)
        return;
    b->indexed = -1;
    buf text;
    buf_init(&text, 64u * 1024u * 1024u);
    if (buf_append_file(&text, b->path) != 0) {
        buf_free(&text);
        return;
    }
    b->indexed = 1;
    size_t cap = 0;
    for (const char *p = buf_cstr(&text); (p = strstr(p, "-----BEGIN "));) {
        int trusted = !strncmp(p, pem_begin_trusted, sizeof pem_begin_trusted - 1);
        if (!trusted && strncmp(p, pem_begin, sizeof pem_begin - 1)) {
            p += 11; /* a CRL or another object: CA files' certificates only */
            continue;
        }
        const char *body = strchr(p, '\n');
        const char *stop = body ? strstr(body, "-----END ") : NULL;
        if (!stop)
            break;
        p = stop + 9;
        /* The subject is near the start: base64-decode the first lines only
         * (eight: 384 bytes), the whole body when it lies further. */
        const char *cut = body;
        for (int lines = 0; cut && cut < stop && lines < 9; lines++)
            cut = strchr(cut + 1, '\n');
        if (!cut || cut > stop)
            cut = stop;
        size_t n;
        unsigned char *der = pem_body_decode(body, (size_t)(cut - body), &n);
        const unsigned char *subject;
        size_t subject_len;
        if (der && der_subject(der, n, &subject, &subject_len) != 0 && cut != stop) {
            free(der);
            der = pem_body_decode(body, (size_t)(stop - body), &n);
        }
        if (der && der_subject(der, n, &subject, &subject_len) == 0) {
            if (b->n_entries == cap) {
                cap = cap ? 2 * cap : 256;
                bundle_entry *grown = realloc(b->entries, cap * sizeof *grown);
                if (!grown) {
                    free(der);
                    break;
                }
                b->entries = grown;
            }
            b->entries[b->n_entries++] = (bundle_entry){
                .subject_hash = fnv1a(subject, subject_len),
                .trusted_form = trusted,
                .offset = (size_t)(body - buf_cstr(&text)),
                .len = (size_t)(stop - body),
            };
        }
        free(der);
    }
    buf_free(&text);
}

/* One indexed certificate, parsed; NULL when the file changed under us. */
static X509 *bundle_load(const bundle_index *b, const bundle_entry *e)
{
    char *b64 = malloc(e->len);
    int fd = open(b->path, O_RDONLY | O_CLOEXEC);
    X509 *x = NULL;
    if (b64 && fd >= 0 && pread(fd, b64, e->len, (off_t)e->offset) == (ssize_t)e->len) {
        size_t n;
        unsigned char *der = pem_body_decode(b64, e->len, &n);
        const unsigned char *p = der;
        if (der && n <= INT32_MAX)
            x = e->trusted_form ? d2i_X509_AUX(NULL, &p, (long)n) : d2i_X509(NULL, &p, (long)n);
        free(der);
    }
    if (fd >= 0)
        close(fd);
    free(b64);
    return x;
}

/* X509_LOOKUP get_by_subject: the bundle's certificates named `name` go
 * into the store (as OpenSSL's hashed-directory lookup does), the first is
 * the answer. */
static int bundle_get_by_subject(X509_LOOKUP *lookup, X509_LOOKUP_TYPE type, const X509_NAME *name,
                                 X509_OBJECT *ret)
{
    bundle_index *b = X509_LOOKUP_get_method_data(lookup);
    if (type != X509_LU_X509 || !b)
        return 0;
    bundle_build_index(b);
    const unsigned char *der;
    size_t der_len;
    if (!X509_NAME_get0_der(name, &der, &der_len))
        return 0;
    uint32_t h = fnv1a(der, der_len);
    X509_STORE *store = X509_LOOKUP_get_store(lookup);
    int found = 0;
    for (size_t i = 0; i < b->n_entries; i++) {
        if (b->entries[i].subject_hash != h)
            continue;
        X509 *x = bundle_load(b, &b->entries[i]);
        if (x && X509_NAME_cmp(X509_get_subject_name(x), name) == 0 &&
            X509_STORE_add_cert(store, x) == 1 && !found)
            found = X509_OBJECT_set1_X509(ret, x);
        X509_free(x);
    }
    return found;
}

/* CURLOPT_SSL_CTX_FUNCTION: each new connection's store looks CAs up in the
 * bundle instead of holding them all. */
static CURLcode add_bundle_lookup(CURL *curl, void *ssl_ctx, void *ud)
{
    (void)curl;
    bundle_index *b = ud;
    if (!b->method) {
        b->method = X509_LOOKUP_meth_new("ecs-tasks lazy CA bundle");
        if (!b->method || !X509_LOOKUP_meth_set_get_by_subject(b->method, bundle_get_by_subject))
            return CURLE_OUT_OF_MEMORY;
    }
    X509_LOOKUP *lookup = X509_STORE_add_lookup(SSL_CTX_get_cert_store(ssl_ctx), b->method);
    if (!lookup || !X509_LOOKUP_set_method_data(lookup, b))
        return CURLE_OUT_OF_MEMORY;
    return CURLE_OK;
}

http_client *http_client_new(void)
{
    return calloc(1, sizeof(http_client));
}

void http_client_free(http_client *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_handles; i++)
        curl_easy_cleanup(c->handles[i].curl);
    /* Every SSL_CTX, and with it every lookup using the method, is gone. */
    X509_LOOKUP_meth_free(c->bundle.method);
    free(c->bundle.entries);
    free(c);
}

const char *http_client_ca_file(http_client *c)
{
    choose_trust(c);
    return c->ca_file[0] ? c->ca_file : NULL;
}

const char *http_client_ca_dir(http_client *c)
{
    choose_trust(c);
    return c->ca_dir[0] ? c->ca_dir : NULL;
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
     * is plain http); a hashed directory replaces the bundle, whose every CA
     * libcurl would otherwise parse for each new connection's context. */
    if (!strncasecmp(req->url, "https:", 6)) {
        choose_trust(c);
        /* Nothing but our choice: a libcurl built with a default CA file or
         * directory (Debian's, in the development build) would load or add
         * it. */
        curl_easy_setopt(curl, CURLOPT_CAINFO, NULL);
        curl_easy_setopt(curl, CURLOPT_CAPATH, NULL);
        if (c->ca_dir[0]) {
            curl_easy_setopt(curl, CURLOPT_CAPATH, c->ca_dir);
        } else if (c->ca_file[0]) {
            c->bundle.path = c->ca_file;
            curl_easy_setopt(curl, CURLOPT_SSL_CTX_FUNCTION, add_bundle_lookup);
            curl_easy_setopt(curl, CURLOPT_SSL_CTX_DATA, &c->bundle);
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
