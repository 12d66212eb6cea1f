/* SPDX-License-Identifier: Apache-2.0 */
#include "fake_clock.h"

#include <string.h>

static int64_t fake_now(void *ctx)
{
    return ((fake_clock *)ctx)->now_ms;
}

static void fake_sleep(void *ctx, int64_t ms)
{
    fake_clock *f = ctx;
    if (f->n_sleeps < FAKE_CLOCK_MAX_SLEEPS)
        f->sleeps[f->n_sleeps++] = ms;
    if (ms > 0)
        f->now_ms += ms;
}

static double fake_jitter(void *ctx)
{
    return ((fake_clock *)ctx)->jitter;
}

void fake_clock_init(fake_clock *f, int64_t start_ms)
{
    memset(f, 0, sizeof *f);
    f->clock = (clk){fake_now, fake_sleep, fake_jitter, f};
    f->now_ms = start_ms;
    f->jitter = 0.5;
}

int64_t fake_clock_slept(const fake_clock *f)
{
    int64_t total = 0;
    for (size_t i = 0; i < f->n_sleeps; i++)
        total += f->sleeps[i];
    return total;
}
