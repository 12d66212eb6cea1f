/* SPDX-License-Identifier: Apache-2.0 */
#include "cli/term.h"

#include <string.h>

#include "util/utf8.h"

/* The longest text printed at once. */
#define TERM_TEXT_MAX (4u * 1024u * 1024u)

/* Appends s[0..len) (valid UTF-8) with control characters as '?'; a line
 * break becomes `line_break` (NULL: a space). */
static void append_clean(buf *out, const char *s, size_t len, const char *line_break)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_char_len(p + i, len - i);
        if (n == 0) { /* cannot happen on repaired text; be safe anyway */
            buf_puts(out, "?");
            i++;
            continue;
        }
        unsigned int c = p[i];
        int c1 = n == 2 && c == 0xC2 && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F;
        if (c == '\n') {
            buf_puts(out, line_break ? line_break : " ");
        } else if (c == '\t') {
            buf_puts(out, "\t");
        } else if (c < 0x20 || c == 0x7F || c1) {
            buf_puts(out, "?");
        } else {
            buf_append(out, s + i, n);
        }
        i += n;
    }
}

int term_lines(buf *out, const char *first, const char *next, const char *text)
{
    buf repaired, line_break;
    buf_init(&repaired, TERM_TEXT_MAX);
    buf_init(&line_break, 1024);
    utf8_append_lossy(&repaired, text, strlen(text));
    buf_printf(&line_break, "\n%s", next);
    buf_puts(out, first);
    append_clean(out, buf_cstr(&repaired), repaired.len, buf_cstr(&line_break));
    buf_free(&repaired);
    buf_free(&line_break);
    return buf_puts(out, "\n");
}

void term_print(FILE *f, const char *first, const char *next, const char *text)
{
    buf b;
    buf_init(&b, 2 * TERM_TEXT_MAX);
    if (term_lines(&b, first, next, text) == 0)
        fwrite(b.data, 1, b.len, f);
    else
        fprintf(f, "%s(a line could not be shown: out of memory)\n", first);
    buf_free(&b);
}

void term_inline(const char *text, char *out, size_t cap)
{
    if (cap == 0)
        return;
    buf repaired, clean;
    buf_init(&repaired, TERM_TEXT_MAX);
    buf_init(&clean, TERM_TEXT_MAX);
    utf8_append_lossy(&repaired, text, strlen(text));
    append_clean(&clean, buf_cstr(&repaired), repaired.len, NULL);
    const char *s = buf_cstr(&clean);
    size_t n = utf8_cut(s, clean.len, cap - 1);
    memcpy(out, s, n);
    out[n] = '\0';
    buf_free(&repaired);
    buf_free(&clean);
}
