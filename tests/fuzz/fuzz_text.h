/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fuzz input as a NUL-terminated copy, for the parsers that take C
 * strings (an embedded NUL simply ends the text early). The caller frees it;
 * NULL when out of memory.
 */
#ifndef ECS_FUZZ_TEXT_H
#define ECS_FUZZ_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static inline char *fuzz_text(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text) {
        memcpy(text, data, size);
        text[size] = '\0';
    }
    return text;
}

#endif
