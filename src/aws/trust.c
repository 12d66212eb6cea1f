/* SPDX-License-Identifier: Apache-2.0 */
#include "aws/trust.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"

/* The largest bundle read: Debian's is ~220 KB. */
#define TRUST_BUNDLE_MAX (16u * 1024u * 1024u)

/* One certificate of the bundle: its subject and where its base64 lies. */
typedef struct bundle_entry {
    unsigned char *subject; /* DER, owned */
    size_t subject_len;
    size_t offset, len; /* the PEM block's body, between its BEGIN and END lines */
    int trusted_form;   /* "TRUSTED CERTIFICATE": OpenSSL's form with trust settings */
} bundle_entry;

struct trust_store {
    int chosen; /* ca_file and ca_dir are looked up at the first need */
    char ca_file[512];
    char ca_dir[512];
    int indexed; /* 0: not read yet, 1: read (maybe empty), -1: unreadable */
    bundle_entry *entries;
    size_t n_entries, cap_entries;
    X509_LOOKUP_METHOD *method; /* shared by every store's lookup */
};

static const char *const bundle_candidates[] = {
    "/etc/pki/tls/certs/ca-bundle.crt",   /* Amazon Linux, RHEL */
    "/etc/ssl/certs/ca-certificates.crt", /* Debian, Ubuntu */
    "/etc/ssl/cert.pem",                  /* Alpine, macOS */
    NULL,
};

static const char *const dir_candidates[] = {
    "/etc/pki/ca-trust/extracted/pem/directory-hash", /* Fedora-based, update-ca-trust */
    "/etc/ssl/certs",                                 /* Debian, Ubuntu (update-ca-certificates) */
    NULL,
};

/* --- choosing the store ---------------------------------------------------- */

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
 * link to /etc/pki/tls/certs, which holds only the bundles. */
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

static void choose(trust_store *t)
{
    if (t->chosen)
        return;
    t->chosen = 1;
    const char *file = env_value("AWS_CA_BUNDLE");
    if (!file)
        file = env_value("SSL_CERT_FILE");
    if (file) {
        snprintf(t->ca_file, sizeof t->ca_file, "%s", file);
        return;
    }
    for (const char *const *f = bundle_candidates; *f; f++)
        if (access(*f, R_OK) == 0) {
            snprintf(t->ca_file, sizeof t->ca_file, "%s", *f);
            break;
        }
    const char *dir = env_value("SSL_CERT_DIR");
    for (const char *const *d = dir_candidates; !dir && *d; d++)
        if (has_hash_links(*d))
            dir = *d;
    if (dir)
        snprintf(t->ca_dir, sizeof t->ca_dir, "%s", dir);
}

trust_store *trust_new(void)
{
    return calloc(1, sizeof(trust_store));
}

void trust_free(trust_store *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_entries; i++)
        free(t->entries[i].subject);
    free(t->entries);
    X509_LOOKUP_meth_free(t->method);
    free(t);
}

const char *trust_ca_file(trust_store *t)
{
    choose(t);
    return t->ca_file[0] ? t->ca_file : NULL;
}

const char *trust_ca_dir(trust_store *t)
{
    choose(t);
    return t->ca_dir[0] ? t->ca_dir : NULL;
}

/* --- the bundle's index ------------------------------------------------------ */

/* Base64 characters within which a certificate's subject usually lies (384
 * bytes); decoding only those keeps indexing a bundle near 1 ms. */
#define SUBJECT_PREFIX_CHARS 512

/* The first `max` base64 characters of a PEM body (all of them when max is
 * 0; line breaks and blanks left out) decoded by OpenSSL: a prefix to whole
 * 4-character groups, a whole body to the byte. NULL when it is not base64.
 * Owned by the caller; *whole says which it was. */
static unsigned char *decode_body(const char *body, size_t len, size_t max, size_t *out_len,
                                  int *whole)
{
    if (max == 0 || max > len)
        max = len;
    char *text = malloc(max + 1);
    unsigned char *der = malloc(max / 4 * 3 + 3);
    size_t n = 0;
    *whole = 1;
    for (const char *p = body, *end = body + len; text && p < end;) {
        /* Line by line, blanks only at either end: memcpy, not a test a
         * character, where the first TLS handshake waits. */
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        while (p < stop && (*p == ' ' || *p == '\t'))
            p++;
        while (stop > p && (stop[-1] == '\r' || stop[-1] == ' ' || stop[-1] == '\t'))
            stop--;
        size_t take = (size_t)(stop - p);
        if (take > max - n) {
            memcpy(text + n, p, max - n);
            n = max;
            *whole = 0;
            break;
        }
        memcpy(text + n, p, take);
        n += take;
        p = nl ? nl + 1 : end;
    }
    if (!*whole)
        n -= n % 4;
    int got = -1;
    size_t padding = 0;
    if (text && der && n <= INT_MAX && n % 4 == 0) {
        got = EVP_DecodeBlock(der, (const unsigned char *)text, (int)n);
        /* EVP_DecodeBlock counts the '=' padding as zero bytes. */
        if (*whole)
            padding =
                (size_t)(n >= 1 && text[n - 1] == '=') + (size_t)(n >= 2 && text[n - 2] == '=');
    }
    free(text);
    if (got < (int)padding) {
        free(der);
        return NULL;
    }
    *out_len = (size_t)got - padding;
    return der;
}

/* One DER element at *p, read by OpenSSL, before `end`. Moves *p to its
 * content and returns the content's length, or -1. `may_continue`: the
 * content may run past `end` (a prefix of a certificate was decoded);
 * OpenSSL then still reads the header, flagging it too long. */
static long der_element(const unsigned char **p, const unsigned char *end, int may_continue,
                        int *tag, int *xclass, int *constructed)
{
    const unsigned char *q = *p;
    long len;
    int ret = ASN1_get_object(&q, &len, tag, xclass, (long)(end - *p));
    if ((ret & 0x80) && !(may_continue && q != *p))
        return -1;
    *constructed = (ret & V_ASN1_CONSTRUCTED) != 0;
    *p = q;
    return len;
}

/* The subject of a DER certificate, or of its first n bytes:
 * Certificate = SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL,
 * serialNumber, signature, issuer, validity, subject, ... }, ... }.
 * 0 with *subject and *len set to its whole encoding, or -1 (also when the
 * subject does not lie within the n bytes). */
static int der_subject(const unsigned char *der, size_t n, const unsigned char **subject,
                       size_t *len)
{
    if (n > LONG_MAX)
        return -1;
    const unsigned char *p = der, *end = der + n;
    int tag, xclass, constructed;
    for (int depth = 0; depth < 2; depth++) { /* into Certificate, then tbsCertificate */
        long body = der_element(&p, end, 1, &tag, &xclass, &constructed);
        if (body < 0 || tag != V_ASN1_SEQUENCE || xclass != V_ASN1_UNIVERSAL || !constructed)
            return -1;
        if (body < end - p)
            end = p + body;
    }
    for (int field = 0; field < 6; field++) {
        const unsigned char *start = p;
        long body = der_element(&p, end, 0, &tag, &xclass, &constructed);
        if (body < 0)
            return -1;
        if (field == 0 && xclass != V_ASN1_CONTEXT_SPECIFIC)
            field++; /* no version: this is the serial number */
        p += body;
        if (field == 5) {
            *subject = start;
            *len = (size_t)(p - start);
            return tag == V_ASN1_SEQUENCE && constructed ? 0 : -1;
        }
    }
    return -1;
}

static int add_entry(trust_store *t, const unsigned char *subject, size_t subject_len,
                     size_t offset, size_t len, int trusted_form)
{
    if (t->n_entries == t->cap_entries) {
        size_t cap = t->cap_entries ? 2 * t->cap_entries : 256;
        bundle_entry *grown = realloc(t->entries, cap * sizeof *grown);
        if (!grown)
            return -1;
        t->entries = grown;
        t->cap_entries = cap;
    }
    unsigned char *copy = malloc(subject_len);
    if (!copy)
        return -1;
    memcpy(copy, subject, subject_len);
    t->entries[t->n_entries++] = (bundle_entry){.subject = copy,
                                                .subject_len = subject_len,
                                                .offset = offset,
                                                .len = len,
                                                .trusted_form = trusted_form};
    return 0;
}

static const char pem_certificate[] = "-----BEGIN CERTIFICATE-----";
static const char pem_trusted[] = "-----BEGIN TRUSTED CERTIFICATE-----";

/* Indexes the certificates of one bundle's text; other PEM objects (CRLs,
 * keys) and blocks that do not decode are left out. */
static void index_text(trust_store *t, const char *text)
{
    for (const char *p = text; (p = strstr(p, "-----BEGIN "));) {
        int trusted = !strncmp(p, pem_trusted, sizeof pem_trusted - 1);
        if (!trusted && strncmp(p, pem_certificate, sizeof pem_certificate - 1)) {
            p += sizeof "-----BEGIN " - 1;
            continue;
        }
        const char *body = strchr(p, '\n');
        const char *stop = body ? strstr(body, "-----END ") : NULL;
        if (!stop)
            return;
        size_t n, len = (size_t)(stop - body);
        int whole;
        unsigned char *der = decode_body(body, len, SUBJECT_PREFIX_CHARS, &n, &whole);
        const unsigned char *subject;
        size_t subject_len;
        int found = der && der_subject(der, n, &subject, &subject_len) == 0;
        if (!found && !whole) { /* a long issuer: the whole certificate then */
            free(der);
            der = decode_body(body, len, 0, &n, &whole);
            found = der && der_subject(der, n, &subject, &subject_len) == 0;
        }
        int out_of_memory =
            found && add_entry(t, subject, subject_len, (size_t)(body - text), len, trusted) != 0;
        free(der);
        if (out_of_memory)
            return; /* what is indexed stays usable */
        p = stop + sizeof "-----END " - 1;
    }
}

static void build_index(trust_store *t)
{
    if (t->indexed)
        return;
    t->indexed = -1;
    buf text;
    buf_init(&text, TRUST_BUNDLE_MAX);
    if (t->ca_file[0] && buf_append_file(&text, t->ca_file) == 0) {
        t->indexed = 1;
        /* What OpenSSL records about a prefix or a broken block is ours,
         * not the TLS connection's: it goes when the index is made. */
        ERR_set_mark();
        index_text(t, buf_cstr(&text));
        ERR_pop_to_mark();
    }
    buf_free(&text);
}

/* One indexed certificate, parsed by OpenSSL; NULL when the file changed
 * under us. */
static X509 *load_entry(const trust_store *t, const bundle_entry *e)
{
    char *b64 = malloc(e->len);
    int fd = open(t->ca_file, O_RDONLY | O_CLOEXEC);
    X509 *x = NULL;
    size_t n;
    int whole;
    unsigned char *der = NULL;
    if (b64 && fd >= 0 && pread(fd, b64, e->len, (off_t)e->offset) == (ssize_t)e->len)
        der = decode_body(b64, e->len, 0, &n, &whole);
    if (der && n <= LONG_MAX) {
        const unsigned char *p = der;
        ERR_set_mark();
        x = e->trusted_form ? d2i_X509_AUX(NULL, &p, (long)n) : d2i_X509(NULL, &p, (long)n);
        ERR_pop_to_mark();
    }
    free(der);
    if (fd >= 0)
        close(fd);
    free(b64);
    return x;
}

/* X509_LOOKUP get_by_subject: the bundle's certificates named `name` go
 * into the store, as OpenSSL's hashed-directory lookup puts them, and the
 * store's first of that name is the answer. Like OpenSSL's own lookups, the
 * answer borrows the store's reference (X509_STORE_CTX_get_by_subject takes
 * one of its own): the reference X509_OBJECT_set1_X509 took is given back. */
static int get_by_subject(X509_LOOKUP *lookup, X509_LOOKUP_TYPE type, const X509_NAME *name,
                          X509_OBJECT *ret)
{
    trust_store *t = X509_LOOKUP_get_method_data(lookup);
    const unsigned char *der;
    size_t der_len;
    if (type != X509_LU_X509 || !t || !X509_NAME_get0_der(name, &der, &der_len))
        return 0;
    build_index(t);
    X509_STORE *store = X509_LOOKUP_get_store(lookup);
    for (size_t i = 0; i < t->n_entries; i++) {
        const bundle_entry *e = &t->entries[i];
        if (e->subject_len != der_len || memcmp(e->subject, der, der_len))
            continue;
        X509 *x = load_entry(t, e);
        if (x && X509_NAME_cmp(X509_get_subject_name(x), name) == 0)
            X509_STORE_add_cert(store, x);
        X509_free(x);
    }
    X509_OBJECT *held =
        X509_OBJECT_retrieve_by_subject(X509_STORE_get0_objects(store), X509_LU_X509, name);
    X509 *cert = held ? X509_OBJECT_get0_X509(held) : NULL;
    if (!cert || !X509_OBJECT_set1_X509(ret, cert))
        return 0;
    X509_free(cert);
    return 1;
}

int trust_attach_bundle(trust_store *t, X509_STORE *store)
{
    choose(t);
    if (!t->method) {
        X509_LOOKUP_METHOD *m = X509_LOOKUP_meth_new("ecs-tasks lazy CA bundle");
        if (!m || !X509_LOOKUP_meth_set_get_by_subject(m, get_by_subject)) {
            X509_LOOKUP_meth_free(m);
            return -1;
        }
        t->method = m;
    }
    X509_LOOKUP *lookup = X509_STORE_add_lookup(store, t->method);
    return lookup && X509_LOOKUP_set_method_data(lookup, t) ? 0 : -1;
}

long trust_bundle_count(trust_store *t)
{
    choose(t);
    build_index(t);
    return t->indexed < 0 ? -1 : (long)t->n_entries;
}
