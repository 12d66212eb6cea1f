/* SPDX-License-Identifier: Apache-2.0 */
/*
 * clk: the process's view of time and chance, injected.
 *
 * Deadline, timeout and backoff logic never calls time() or sleep() directly:
 * it takes a `const clk *`, so tests drive it with a fake clock that advances
 * only when the code sleeps, and a jitter source that returns chosen values.
 */
#ifndef ECS_UTIL_CLOCK_H
#define ECS_UTIL_CLOCK_H

#include <stdint.h>

typedef struct clk {
    /* Wall-clock time in milliseconds since the Unix epoch (Lambda's
     * deadlines are given on that scale). */
    int64_t (*now_ms)(void *ctx);
    /* Sleeps for ms milliseconds (ms <= 0 returns at once). */
    void (*sleep_ms)(void *ctx, int64_t ms);
    /* A uniformly distributed value in [0, 1), for backoff jitter. */
    double (*jitter)(void *ctx);
    void *ctx;
} clk;

/* The real clock: CLOCK_REALTIME, nanosleep, and a jitter source seeded from
 * the OS. Borrowed, static, never NULL. */
const clk *clk_system(void);

static inline int64_t clk_now(const clk *c)
{
    return c->now_ms(c->ctx);
}

static inline void clk_sleep(const clk *c, int64_t ms)
{
    c->sleep_ms(c->ctx, ms);
}

static inline double clk_jitter(const clk *c)
{
    return c->jitter(c->ctx);
}

#endif
