/* SPDX-License-Identifier: Apache-2.0 */
/*
 * strv: lists of strings.
 *
 * A counted list of n heap-allocated strings (char **) is the shape in which
 * the AWS calls hand back task ARNs and log lines; the caller owns the list
 * and every string, and strv_free releases both. A NULL-terminated array of
 * borrowed strings (const char *const[]) is the shape of the fixed lists in
 * the code (known property names, error codes).
 */
#ifndef ECS_UTIL_STRV_H
#define ECS_UTIL_STRV_H

#include <stddef.h>

/* Frees the n strings and the list; NULL is accepted. */
void strv_free(char **list, size_t n);

/* Whether the NULL-terminated list holds a string equal to s. */
int strv_contains(const char *const *list, const char *s);

#endif
