/* SPDX-License-Identifier: Apache-2.0 */
/*
 * token: random hex strings, for the names the CLI gives a run (its client
 * token) and for the delimiter of GitHub Actions outputs.
 *
 * From the kernel's getrandom(), which needs no /dev (the binary runs in an
 * empty root); the time and the process id only where getrandom is missing.
 */
#ifndef ECS_UTIL_TOKEN_H
#define ECS_UTIL_TOKEN_H

#include <stddef.h>

/* Writes up to 32 random hex characters into out (cap bytes, at least 1),
 * as many as fit, NUL-terminated. */
void token_random_hex(char *out, size_t cap);

#endif
