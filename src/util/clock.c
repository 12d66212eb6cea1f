/* SPDX-License-Identifier: Apache-2.0 */
#include "util/clock.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int64_t system_now_ms(void *ctx)
{
    (void)ctx;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void system_sleep_ms(void *ctx, int64_t ms)
{
    (void)ctx;
    if (ms <= 0)
        return;
    struct timespec ts = {.tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms % 1000) * 1000000};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* xorshift64*: jitter needs spread, not cryptographic strength. */
static double system_jitter(void *ctx)
{
    (void)ctx;
    static uint64_t state;
    if (state == 0) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        state = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 40);
        if (state == 0)
            state = 0x9E3779B97F4A7C15ull;
    }
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    uint64_t r = state * 0x2545F4914F6CDD1Dull;
    return (double)(r >> 11) / 9007199254740992.0;
}

static const clk system_clock = {system_now_ms, system_sleep_ms, system_jitter, NULL};

const clk *clk_system(void)
{
    return &system_clock;
}
