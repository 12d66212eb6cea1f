/* SPDX-License-Identifier: Apache-2.0 */
/* Text from containers made safe to print: no terminal escape sequence, no
 * raw control byte, no line of a container's that can start a CI workflow
 * command, valid UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cli/term.h"
#include "util/utf8.h"

static char *lines(const char *first, const char *next, const char *text)
{
    buf b;
    buf_init(&b, 1u << 20);
    assert_int_equal(term_lines(&b, first, next, text), 0);
    return buf_take(&b);
}

static void test_plain_line_gets_prefix(void **state)
{
    (void)state;
    char *out = lines("[app] ", "[app] ", "migrating 42 rows");
    assert_string_equal(out, "[app] migrating 42 rows\n");
    free(out);
}

static void test_line_breaks_start_prefixed_lines(void **state)
{
    (void)state;
    char *out = lines("ecs-tasks run: ", "  | ", "failed.\nline one\n::error::owned\n");
    assert_string_equal(out, "ecs-tasks run: failed.\n  | line one\n  | ::error::owned\n  | \n");
    /* No line of the output starts, after blanks, with "::". */
    for (char *line = out; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
        assert_false(!strncmp(line + strspn(line, " \t"), "::", 2));
    free(out);
}

static void test_workflow_commands_never_at_line_start(void **state)
{
    (void)state;
    const char *attacks[] = {"::stop-commands::pwned", "  ::error::x", "\r::error::x",
                             "ok\n::add-mask::y", "\n\n::set-output name=a::b"};
    for (size_t k = 0; k < sizeof attacks / sizeof attacks[0]; k++) {
        char *out = lines("[app] ", "[app] ", attacks[k]);
        for (char *line = out; *line; line = strchr(line, '\n') + 1) {
            assert_true(!strncmp(line, "[app] ", 6));
            if (!strchr(line, '\n'))
                break;
        }
        free(out);
    }
}

static void test_escape_sequences_and_controls_neutralised(void **state)
{
    (void)state;
    /* ESC [2J (clear screen), an OSC title, a C1 CSI (U+009B), BEL, CR, DEL. */
    char *out = lines("[app] ", "[app] ",
                      "a\x1b[2Jb\x1b]0;title\x07"
                      "c\xc2\x9b"
                      "31md\re\x7f");
    assert_string_equal(out, "[app] a?[2Jb?]0;title?c?31md?e?\n");
    for (const char *p = out; *p; p++)
        assert_true((unsigned char)*p >= 0x20 || *p == '\n' || *p == '\t');
    free(out);
}

static void test_invalid_utf8_repaired(void **state)
{
    (void)state;
    char *out = lines("> ", "> ", "caf\xc3\xa9 \xff\xfe end \xe2\x82");
    assert_true(utf8_valid(out, strlen(out)));
    assert_non_null(strstr(out, "caf\xc3\xa9 "));
    assert_non_null(strstr(out, "\xef\xbf\xbd"));
    free(out);
}

static void test_inline(void **state)
{
    (void)state;
    char out[16];
    term_inline("RUNNING\n\x1b[1m", out, sizeof out);
    assert_string_equal(out, "RUNNING ?[1m");
    /* Cut on a character boundary. */
    term_inline("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", out, 8);
    assert_int_equal(strlen(out), 6);
    assert_true(utf8_valid(out, strlen(out)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_line_gets_prefix),
        cmocka_unit_test(test_line_breaks_start_prefixed_lines),
        cmocka_unit_test(test_workflow_commands_never_at_line_start),
        cmocka_unit_test(test_escape_sequences_and_controls_neutralised),
        cmocka_unit_test(test_invalid_utf8_repaired),
        cmocka_unit_test(test_inline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
