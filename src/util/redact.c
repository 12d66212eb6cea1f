/* SPDX-License-Identifier: Apache-2.0 */
#include "util/redact.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

/* Masked text may be as long as the input; this bounds one call's output. */
#define REDACT_TEXT_MAX (64u * 1024u * 1024u)

typedef struct form {
    char *text;
    size_t len;
} form;

struct redactor {
    form *forms;
    size_t n, cap;
    unsigned char first_bytes[256]; /* 1 where some form starts with that byte */
    int blind;
};

redactor *redact_new(void)
{
    return calloc(1, sizeof(redactor));
}

void redact_free(redactor *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        memset(r->forms[i].text, 0, r->forms[i].len);
        free(r->forms[i].text);
    }
    free(r->forms);
    free(r);
}

size_t redact_forms(const redactor *r)
{
    return r ? r->n : 0;
}

void redact_set_blind(redactor *r)
{
    r->blind = 1;
}

int redact_is_blind(const redactor *r)
{
    return r && r->blind;
}

static int add_form(redactor *r, const char *text, size_t len)
{
    if (len < REDACT_MIN_LEN)
        return 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->forms[i].len == len && !memcmp(r->forms[i].text, text, len))
            return 0;
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 8;
        form *p = realloc(r->forms, cap * sizeof *p);
        if (!p)
            return -1;
        r->forms = p;
        r->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, text, len);
    copy[len] = '\0';
    r->forms[r->n++] = (form){copy, len};
    r->first_bytes[(unsigned char)text[0]] = 1;
    return 0;
}

/* The string as a JSON encoder writes it, without the quotes. */
static int add_json_escaped(redactor *r, const char *value, size_t flags)
{
    json_t *s = json_string(value);
    char *text = s ? json_dumps(s, JSON_ENCODE_ANY | flags) : NULL;
    json_decref(s);
    int rc = 0;
    if (text && strlen(text) >= 2) {
        rc = add_form(r, text + 1, strlen(text) - 2);
        /* jansson writes \uXXXX in upper case, Python and the AWS SDKs in lower. */
        for (char *p = text + 1; *p; p++)
            if (*p == '\\' && *++p == 'u')
                for (int k = 1; k <= 4 && p[k]; k++)
                    p[k] = (char)tolower((unsigned char)p[k]);
        if (rc == 0)
            rc = add_form(r, text + 1, strlen(text) - 2);
    }
    free(text);
    return s && !text ? -1 : rc;
}

static int add_url_encoded(redactor *r, const char *value, int plus_for_space)
{
    static const char hex[] = "0123456789ABCDEF";
    buf b;
    buf_init(&b, 3 * strlen(value) + 1);
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        unsigned char c = *p;
        int keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                   c == '-' || c == '_' || c == '.' || c == '~';
        if (keep) {
            buf_append(&b, p, 1);
        } else if (c == ' ' && plus_for_space) {
            buf_puts(&b, "+");
        } else {
            char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_append(&b, esc, 3);
        }
    }
    int rc = buf_failed(&b) ? -1 : add_form(r, buf_cstr(&b), b.len);
    buf_free(&b);
    return rc;
}

static int add_forms_of(redactor *r, const char *value)
{
    if (add_form(r, value, strlen(value)) != 0 || add_json_escaped(r, value, 0) != 0 ||
        add_json_escaped(r, value, JSON_ENSURE_ASCII) != 0 || add_url_encoded(r, value, 0) != 0 ||
        add_url_encoded(r, value, 1) != 0)
        return -1;
    return 0;
}

/* Every string inside a JSON document (object members, array items, at any
 * depth), in each of its forms. */
static int add_json_strings(redactor *r, const json_t *doc)
{
    if (json_is_string(doc))
        return add_forms_of(r, json_string_value(doc));
    const char *key;
    json_t *v;
    size_t i;
    if (json_is_object(doc)) {
        json_object_foreach((json_t *)doc, key, v) if (add_json_strings(r, v) != 0) return -1;
    } else if (json_is_array(doc)) {
        json_array_foreach(doc, i, v) if (add_json_strings(r, v) != 0) return -1;
    }
    return 0;
}

int redact_add(redactor *r, const char *value)
{
    if (!value)
        return 0;
    int rc = add_forms_of(r, value);
    if (rc == 0) {
        json_t *doc = json_loads(value, JSON_DECODE_ANY, NULL);
        if (json_is_object(doc) || json_is_array(doc))
            rc = add_json_strings(r, doc);
        json_decref(doc);
    }
    if (rc != 0)
        r->blind = 1; /* a value we failed to register must not be shown */
    return rc;
}

/* The length of the longest registered form at s[0..left), or 0. */
static size_t match_at(const redactor *r, const char *s, size_t left)
{
    if (!r || !r->first_bytes[(unsigned char)*s])
        return 0;
    size_t best = 0;
    for (size_t i = 0; i < r->n; i++) {
        const form *f = &r->forms[i];
        if (f->len > best && f->len <= left && !memcmp(s, f->text, f->len))
            best = f->len;
    }
    return best;
}

static int starts_url(const char *s, size_t left)
{
    return (left >= 7 && !memcmp(s, "http://", 7)) || (left >= 8 && !memcmp(s, "https://", 8));
}

/* A URL's query string ends at whitespace or a quote. */
static int ends_query(char c)
{
    return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == '\'';
}

int redact_append(const redactor *r, const char *in, size_t len, buf *out)
{
    int in_url = 0;
    size_t i = 0, run = 0; /* run: start of the text not yet copied */
    while (i < len) {
        size_t n = match_at(r, in + i, len - i);
        if (n) {
            buf_append(out, in + run, i - run);
            buf_puts(out, REDACT_MASK);
            /* A URL, or its query string, may start under the mask (a secret
             * that is a URL): follow it there, and drop the rest of a query
             * that goes on past the mask. */
            int in_query = 0;
            for (size_t end = i + n; i < end; i++) {
                if (in_query) {
                    in_query = !ends_query(in[i]);
                } else if (starts_url(in + i, len - i)) {
                    in_url = 1;
                } else if (ends_query(in[i])) {
                    in_url = 0;
                } else if (in_url && in[i] == '?') {
                    in_query = 1;
                    in_url = 0;
                }
            }
            while (in_query && i < len && !ends_query(in[i]))
                i++;
            run = i;
            continue;
        }
        if (starts_url(in + i, len - i))
            in_url = 1;
        else if (ends_query(in[i]))
            in_url = 0;
        if (in_url && in[i] == '?') {
            buf_append(out, in + run, i - run);
            while (i < len && !ends_query(in[i]))
                i++;
            run = i;
            in_url = 0;
            continue;
        }
        i++;
    }
    return buf_append(out, in + run, len - run);
}

char *redact_dup(const redactor *r, const char *s)
{
    buf b;
    buf_init(&b, REDACT_TEXT_MAX);
    redact_append(r, s, strlen(s), &b);
    return buf_take(&b);
}

char *redact_dup_clean(const redactor *r, const char *s)
{
    char *masked = redact_dup(r, s);
    char *clean = masked ? utf8_dup_lossy(masked) : NULL;
    free(masked);
    return clean;
}

void redact_copy(const redactor *r, const char *s, char *out, size_t cap)
{
    if (cap == 0)
        return;
    char *masked = redact_dup(r, s);
    const char *text = masked ? masked : "";
    size_t n = utf8_cut(text, strlen(text), cap - 1);
    memcpy(out, text, n);
    out[n] = '\0';
    free(masked);
}
