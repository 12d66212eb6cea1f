/* SPDX-License-Identifier: Apache-2.0 */
/* The one fake clock of the unit tests: time moves only when the code under
 * test sleeps (or a test advances it), every sleep is recorded, and the
 * jitter is a value the test chooses. */
#ifndef TEST_FAKE_CLOCK_H
#define TEST_FAKE_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "util/clock.h"

#define FAKE_CLOCK_MAX_SLEEPS 256

typedef struct fake_clock {
    clk clock; /* hand &f->clock to the code under test */
    int64_t now_ms;
    int64_t sleeps[FAKE_CLOCK_MAX_SLEEPS];
    size_t n_sleeps;
    double jitter;
} fake_clock;

/* Starts at start_ms (Unix ms) with jitter 0.5 and no sleeps. */
void fake_clock_init(fake_clock *f, int64_t start_ms);

/* The sum of every sleep taken so far. */
int64_t fake_clock_slept(const fake_clock *f);

#endif
