/* SPDX-License-Identifier: Apache-2.0 */
/* What `ecs-tasks run` shows on stderr when it is not a terminal
 * (cli/display.c): one line per status change with the phases it leaves,
 * failures behind a mark, masked, and the ARNs one per line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/display.h"

#define ARN1 "arn:aws:ecs:us-east-1:1:task/c/aaaa"

static char *text;
static size_t len;

static void assert_matches(const char *s, const char *pattern)
{
    regex_t re;
    assert_int_equal(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
    if (regexec(&re, s, 0, NULL, 0) != 0)
        fail_msg("'%s' does not match %s", s, pattern);
    regfree(&re);
}

static void test_plain_progress(void **state)
{
    (void)state;
    FILE *f = open_memstream(&text, &len);
    display d;
    display_init(&d, f);
    assert_false(d.tty);
    run_state st = {.n_slots = 2};
    snprintf(st.slots[0].task_arn, sizeof st.slots[0].task_arn, ARN1);
    snprintf(st.slots[0].status, sizeof st.slots[0].status, "RUNNING");
    snprintf(st.slots[0].phases, sizeof st.slots[0].phases, "PENDING 4s");
    display_progress(&d, &st, 5000);
    display_progress(&d, &st, 6000); /* no change: no line */
    snprintf(st.slots[0].status, sizeof st.slots[0].status, "STOP\033[2JPED");
    display_progress(&d, &st, 9400);
    fflush(f);
    assert_matches(text, "^[0-9]{2}:[0-9]{2}:[0-9]{2} task aaaa RUNNING \\(5s\\) after PENDING 4s\n"
                         "[0-9:]{8} task \\(waiting to start\\) WAITING \\(5s\\)\n"
                         "[0-9:]{8} task aaaa STOP\\?\\[2JPED \\(9s\\) after PENDING 4s\n$");
    fclose(f);
    free(text);
}

static void test_failure_and_arns(void **state)
{
    (void)state;
    FILE *f = open_memstream(&text, &len);
    display d;
    display_init(&d, f);
    redactor *r = redact_new();
    assert_int_equal(redact_add(r, "hunter2hunter2"), 0);
    display_failure(&d, r, "Task aaaa: exited 3. Last log lines:\n::error::x hunter2hunter2\nbye");
    run_state st = {.n_slots = 2};
    snprintf(st.slots[1].task_arn, sizeof st.slots[1].task_arn, ARN1);
    display_arns(f, &st);
    fflush(f);
    assert_string_equal(text, "ecs-tasks run: Task aaaa: exited 3. Last log lines:\n"
                              "  | ::error::x ****\n"
                              "  | bye\n" ARN1 "\n");
    fclose(f);
    free(text);
    redact_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_progress),
        cmocka_unit_test(test_failure_and_arns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
