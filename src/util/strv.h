/*
 * strv: a list of n heap-allocated strings (char **), the shape in which the
 * AWS calls hand back task ARNs and log lines.
 *
 * Ownership: the caller owns the list and every string; strv_free releases both.
 */
#ifndef ECS_UTIL_STRV_H
#define ECS_UTIL_STRV_H

#include <stddef.h>

/* Frees the n strings and the list; NULL is accepted. */
void strv_free(char **list, size_t n);

#endif
