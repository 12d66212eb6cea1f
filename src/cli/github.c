/* SPDX-License-Identifier: Apache-2.0 */
#include "cli/github.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "util/token.h"
#include "util/utf8.h"

#define GITHUB_TEXT_MAX (1u << 20)

int github_active(void)
{
    const char *v = getenv("GITHUB_ACTIONS");
    return v && !strcmp(v, "true");
}

int github_escape(buf *out, const char *text)
{
    buf repaired;
    buf_init(&repaired, GITHUB_TEXT_MAX);
    utf8_append_lossy(&repaired, text, strlen(text));
    const unsigned char *p = (const unsigned char *)buf_cstr(&repaired);
    for (size_t i = 0; i < repaired.len; i++) {
        unsigned int c = p[i];
        int c1 = c == 0xC2 && i + 1 < repaired.len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F;
        if (c == '%')
            buf_puts(out, "%25");
        else if (c == '\r')
            buf_puts(out, "%0D");
        else if (c == '\n')
            buf_puts(out, "%0A");
        else if (c == '\t')
            buf_puts(out, "\t");
        else if (c < 0x20 || c == 0x7F || c1) {
            buf_puts(out, "?");
            i += (size_t)c1;
        } else
            buf_append(out, (const char *)p + i, 1);
    }
    buf_free(&repaired);
    return buf_puts(out, "");
}

/* "::NAME::" + escaped text, as one line of f. */
static void command(FILE *f, const char *name, const char *text)
{
    buf b;
    buf_init(&b, 2 * GITHUB_TEXT_MAX + 256);
    buf_printf(&b, "::%s::", name);
    if (github_escape(&b, text) == 0 && buf_puts(&b, "\n") == 0)
        fwrite(b.data, 1, b.len, f);
    else
        fprintf(f, "::%s::(the text could not be shown: out of memory)\n", name);
    buf_free(&b);
    fflush(f);
}

void github_error(FILE *f, const char *text)
{
    command(f, "error title=ecs-tasks run", text);
}

void github_group(FILE *f, const char *title)
{
    command(f, "group", title);
}

void github_endgroup(FILE *f)
{
    fputs("::endgroup::\n", f);
    fflush(f);
}

/* name<<DELIMITER, value, DELIMITER. */
static int multiline(buf *out, const char *name, const char *delimiter, const char *value)
{
    if (strstr(value, delimiter) || strpbrk(value, "\r\n"))
        return -1;
    return buf_printf(out, "%s<<%s\n%s\n%s\n", name, delimiter, value, delimiter);
}

int github_output_text(buf *out, const char *delimiter, const char *const *arns, size_t n,
                       int exit_code)
{
    buf all;
    buf_init(&all, GITHUB_TEXT_MAX);
    for (size_t i = 0; i < n; i++)
        buf_printf(&all, "%s%s", i ? " " : "", arns[i]);
    int rc = buf_printf(out, "exit-code=%d\n", exit_code);
    rc |= multiline(out, "task-arn", delimiter, n ? arns[0] : "");
    rc |= multiline(out, "task-arns", delimiter, buf_cstr(&all));
    rc |= all.failed ? -1 : 0;
    buf_free(&all);
    return rc ? -1 : 0;
}

int github_write_outputs(const char *const *arns, size_t n, int exit_code, char *why, size_t cap)
{
    const char *path = getenv("GITHUB_OUTPUT");
    if (!path || !*path)
        return 0;
    char delimiter[64], token[33];
    token_random_hex(token, sizeof token);
    snprintf(delimiter, sizeof delimiter, "ghadelimiter_%s", token);
    buf text;
    buf_init(&text, 2 * GITHUB_TEXT_MAX);
    if (github_output_text(&text, delimiter, arns, n, exit_code) != 0) {
        snprintf(why, cap, "GITHUB_OUTPUT: a task ARN cannot be written as an output");
        buf_free(&text);
        return -1;
    }
    FILE *f = fopen(path, "a");
    int ok = f && fwrite(text.data, 1, text.len, f) == text.len;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok)
        snprintf(why, cap, "GITHUB_OUTPUT %s: %s", path, strerror(errno));
    buf_free(&text);
    return ok ? 0 : -1;
}
