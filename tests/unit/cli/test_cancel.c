/* SPDX-License-Identifier: Apache-2.0 */
/* SIGINT and SIGTERM during `ecs-tasks run` (cli/cancel.c): the first sets
 * the flag and wakes the clock's sleep, the exit code is 128 + the signal, a
 * second signal exits at once, and disarming restores what was there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cancel.h"

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_first_signal_sets_the_flag(void **state)
{
    (void)state;
    cancel_arm();
    assert_int_equal(*cancel_flag(), 0);
    assert_int_equal(cancel_exit_code(), 0);
    assert_string_equal(cancel_signal_name(), "");
    raise(SIGTERM);
    assert_int_equal(*cancel_flag(), SIGTERM);
    assert_int_equal(cancel_exit_code(), 143);
    assert_string_equal(cancel_signal_name(), "SIGTERM");
    cancel_disarm();
    assert_int_equal(*cancel_flag(), 0);
    cancel_arm();
    raise(SIGINT);
    assert_int_equal(cancel_exit_code(), 130);
    assert_string_equal(cancel_signal_name(), "SIGINT");
    cancel_disarm();
}

static void *send_sigint_later(void *arg)
{
    pid_t pid = *(pid_t *)arg;
    struct timespec ts = {.tv_sec = 0, .tv_nsec = 200 * 1000000L};
    nanosleep(&ts, NULL);
    kill(pid, SIGINT);
    return NULL;
}

static void test_clock_wakes_on_the_signal(void **state)
{
    (void)state;
    const clk *c = cancel_clock();
    cancel_arm();
    int64_t t0 = monotonic_ms();
    clk_sleep(c, 150);
    assert_true(monotonic_ms() - t0 >= 140); /* no signal: the whole sleep */
    pid_t self = getpid();
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, send_sigint_later, &self), 0);
    t0 = monotonic_ms();
    clk_sleep(c, 30000);
    int64_t slept = monotonic_ms() - t0;
    pthread_join(thread, NULL);
    assert_true(slept < 2000);
    assert_int_equal(cancel_exit_code(), 130);
    /* Once set, a sleep returns at once. */
    t0 = monotonic_ms();
    clk_sleep(c, 5000);
    assert_true(monotonic_ms() - t0 < 50);
    assert_true(clk_now(c) > 1700000000000);
    double j = clk_jitter(c);
    assert_true(j >= 0 && j < 1);
    cancel_disarm();
}

static void test_second_signal_exits_at_once(void **state)
{
    (void)state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        cancel_arm();
        raise(SIGINT);
        raise(SIGTERM); /* ends the process: 128 + 15 */
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 143);
}

static int seen;
static void previous_handler(int sig)
{
    seen = sig;
}

static void test_disarm_restores(void **state)
{
    (void)state;
    signal(SIGINT, previous_handler);
    cancel_arm();
    cancel_disarm();
    raise(SIGINT);
    assert_int_equal(seen, SIGINT);
    assert_int_equal(*cancel_flag(), 0);
    signal(SIGINT, SIG_DFL);
    cancel_disarm(); /* twice: harmless */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_signal_sets_the_flag),
        cmocka_unit_test(test_clock_wakes_on_the_signal),
        cmocka_unit_test(test_second_signal_exits_at_once),
        cmocka_unit_test(test_disarm_restores),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
