/* SPDX-License-Identifier: Apache-2.0 */
/*
 * redact: the values one request must never show, and the one function that
 * hides them.
 *
 * A redactor belongs to one request (a CloudFormation event, a CLI run): the
 * front end creates it, registers each secret value the moment it is
 * resolved, hands it to the logger, the AWS client (for error messages) and
 * the response builder, and frees it when the request is answered. Nothing
 * outlives the request.
 *
 * A secret is masked in the forms it reappears in, not only as itself:
 *   - JSON-escaped (as jansson writes it, and with \uXXXX escapes as Python
 *     and the AWS SDKs write non-ASCII text);
 *   - URL-encoded (%XX, and '+' for a space as in forms);
 *   - when the value is a JSON document (a whole Secrets Manager secret),
 *     each string inside it, in the same forms.
 * Every match is replaced by REDACT_MASK; where two forms overlap the longest
 * wins. Forms shorter than REDACT_MIN_LEN bytes are not registered: they
 * would match ordinary text by chance (callers refuse such secrets; see
 * engine/secrets.h). There is no limit on how many values a redactor holds.
 *
 * Whatever a redactor holds, the query string of every http(s) URL in the
 * text is dropped too: a pre-signed ResponseURL carries a credential there.
 *
 * Text is masked whole and only then cut; callers never cut before masking.
 */
#ifndef ECS_UTIL_REDACT_H
#define ECS_UTIL_REDACT_H

#include <stddef.h>

#include "util/buf.h"

#define REDACT_MASK "****"
#define REDACT_MIN_LEN 4

typedef struct redactor redactor;

/* A new, empty redactor (free with redact_free), or NULL when out of memory. */
redactor *redact_new(void);
void redact_free(redactor *r);

/* Registers value (copied) and its derived forms. Returns 0, or -1 when out
 * of memory (the redactor then refuses to show anything: see redact_append). */
int redact_add(redactor *r, const char *value);

/* How many forms are registered (for tests and debug logs). */
size_t redact_forms(const redactor *r);

/* Marks that this request has secrets whose values are not known here (they
 * could not be fetched again after a hand-over). Callers then leave out text
 * that could hold them (AWS error messages, container log lines). */
void redact_set_blind(redactor *r);

/* Whether redact_set_blind was called, or registering failed for lack of
 * memory. NULL gives 0. */
int redact_is_blind(const redactor *r);

/*
 * Appends in[0..len) to out with every registered form masked and URL query
 * strings dropped. r may be NULL (URL query strings only). Same return as
 * buf_append.
 */
int redact_append(const redactor *r, const char *in, size_t len, buf *out);

/* A masked copy of s (caller frees), or NULL when out of memory. */
char *redact_dup(const redactor *r, const char *s);

/* What may be shown of untrusted text: s masked whole, then made valid UTF-8
 * (lossily). A new string (caller frees), or NULL when out of memory. */
char *redact_dup_clean(const redactor *r, const char *s);

/* Masks s into out (cap bytes, always NUL-terminated), cutting the masked
 * text on a UTF-8 boundary when it does not fit. */
void redact_copy(const redactor *r, const char *s, char *out, size_t cap);

#endif
