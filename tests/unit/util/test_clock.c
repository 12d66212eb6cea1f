/* SPDX-License-Identifier: Apache-2.0 */
/* The system clock: Unix milliseconds, real sleeps, jitter in [0, 1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <time.h>

#include "util/clock.h"

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_system_clock_is_static(void **state)
{
    (void)state;
    const clk *c = clk_system();
    assert_non_null(c);
    assert_ptr_equal(clk_system(), c);
    assert_non_null(c->now_ms);
    assert_non_null(c->sleep_ms);
    assert_non_null(c->jitter);
}

static void test_now_is_unix_milliseconds(void **state)
{
    (void)state;
    const clk *c = clk_system();
    int64_t before = (int64_t)time(NULL) * 1000;
    int64_t now = clk_now(c);
    int64_t after = (int64_t)time(NULL) * 1000;
    /* time() truncates to the second: now lies in [before, after + 1000). */
    assert_true(now >= before);
    assert_true(now < after + 1000);
    assert_true(clk_now(c) >= now);
}

static void test_sleep_advances_the_clock(void **state)
{
    (void)state;
    const clk *c = clk_system();
    int64_t t0 = clk_now(c), m0 = monotonic_ms();
    clk_sleep(c, 20);
    int64_t t1 = clk_now(c), m1 = monotonic_ms();
    assert_true(t1 - t0 >= 20);
    assert_true(m1 - m0 >= 20);
    /* Over a second: the seconds and the milliseconds both count. */
    m0 = monotonic_ms();
    clk_sleep(c, 1005);
    assert_true(monotonic_ms() - m0 >= 1005);
}

static void test_sleep_zero_or_negative_returns_at_once(void **state)
{
    (void)state;
    const clk *c = clk_system();
    int64_t m0 = monotonic_ms();
    clk_sleep(c, 0);
    clk_sleep(c, -1);
    clk_sleep(c, -5000);
    clk_sleep(c, INT64_MIN);
    assert_true(monotonic_ms() - m0 < 500);
}

static void test_jitter_in_unit_interval(void **state)
{
    (void)state;
    const clk *c = clk_system();
    enum { DRAWS = 200000, BINS = 10 };
    size_t bins[BINS] = {0};
    double lo = 1.0, hi = 0.0, sum = 0.0, prev = -1.0;
    size_t repeats = 0;
    for (int i = 0; i < DRAWS; i++) {
        double j = clk_jitter(c);
        if (!(j >= 0.0 && j < 1.0))
            fail_msg("jitter %.17g out of [0, 1)", j);
        lo = j < lo ? j : lo;
        hi = j > hi ? j : hi;
        sum += j;
        repeats += j == prev;
        prev = j;
        bins[(int)(j * BINS)]++;
    }
    /* Spread over the whole interval, not a constant. */
    assert_true(lo < 0.001);
    assert_true(hi > 0.999);
    assert_true(repeats < 10);
    double mean = sum / DRAWS;
    assert_true(mean > 0.49 && mean < 0.51);
    for (int b = 0; b < BINS; b++)
        if (bins[b] < DRAWS / BINS * 9 / 10 || bins[b] > DRAWS / BINS * 11 / 10)
            fail_msg("bin %d holds %zu of %d draws", b, bins[b], DRAWS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_system_clock_is_static),
        cmocka_unit_test(test_now_is_unix_milliseconds),
        cmocka_unit_test(test_sleep_advances_the_clock),
        cmocka_unit_test(test_sleep_zero_or_negative_returns_at_once),
        cmocka_unit_test(test_jitter_in_unit_interval),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
