/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jsonx: small helpers over jansson that several parsers of AWS answers share.
 */
#ifndef ECS_UTIL_JSONX_H
#define ECS_UTIL_JSONX_H

#include <jansson.h>

/* A copy of the string member `key` of obj (caller frees), or NULL when obj
 * is not an object, the member is absent or not a string, or memory runs out. */
char *jsonx_strdup_member(const json_t *obj, const char *key);

#endif
