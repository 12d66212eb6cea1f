/* SPDX-License-Identifier: Apache-2.0 */
#include "util/utf8.h"

#include <string.h>

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

size_t utf8_char_len(const unsigned char *s, size_t len)
{
    if (len == 0)
        return 0;
    unsigned char c = s[0];
    if (c >= 0x01 && c < 0x80)
        return 1;
    size_t n;
    unsigned int cp;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07u;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

size_t utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    /* Step back over continuation bytes to the start of the character the
     * cut falls in. A character has at most three of them: more means the
     * bytes are not UTF-8 anyway, and the cut stays where it was asked. */
    size_t n = max;
    for (int steps = 0; steps < 3 && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80; steps++)
        n--;
    return ((unsigned char)s[n] & 0xC0) == 0x80 ? max : n;
}

int utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_char_len(p + i, len - i);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}

int utf8_append_lossy(buf *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t run = 0; /* start of the valid run not yet copied */
    size_t i = 0;
    while (i < len) {
        size_t n = utf8_char_len(p + i, len - i);
        if (n) {
            i += n;
            continue;
        }
        buf_append(out, s + run, i - run);
        buf_puts(out, REPLACEMENT);
        i++;
        run = i;
    }
    return buf_append(out, s + run, len - run);
}

char *utf8_dup_lossy(const char *s)
{
    size_t len = strlen(s);
    buf b;
    buf_init(&b, 3 * len + 1);
    utf8_append_lossy(&b, s, len);
    return buf_take(&b);
}
