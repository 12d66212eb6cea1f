/* SPDX-License-Identifier: Apache-2.0 */
/*
 * utf8: cutting and cleaning text that must stay valid UTF-8.
 *
 * Whatever a container logged reaches our logs, the CloudFormation Reason and
 * the terminal. JSON encoders refuse invalid UTF-8 (jansson drops the whole
 * string), so every cut lands on a character boundary and every byte sequence
 * that is not UTF-8 is replaced, lossily, by U+FFFD before it is encoded.
 */
#ifndef ECS_UTIL_UTF8_H
#define ECS_UTIL_UTF8_H

#include <stddef.h>

#include "util/buf.h"

/* The length of the longest prefix of s[0..len) of at most max bytes that
 * does not end inside a multi-byte character. */
size_t utf8_cut(const char *s, size_t len, size_t max);

/* The length of the valid UTF-8 sequence (1-4 bytes) at s[0..len), or 0 when
 * s does not start with one (overlong forms, surrogates and code points past
 * U+10FFFF are not valid). */
size_t utf8_char_len(const unsigned char *s, size_t len);

/* Whether s[0..len) is valid UTF-8 with no NUL byte. */
int utf8_valid(const char *s, size_t len);

/* Appends s[0..len) to out with every invalid sequence (and NUL byte)
 * replaced by U+FFFD. Same return as buf_append. */
int utf8_append_lossy(buf *out, const char *s, size_t len);

/* A new string (caller frees): s made valid, lossily. NULL when out of memory. */
char *utf8_dup_lossy(const char *s);

#endif
