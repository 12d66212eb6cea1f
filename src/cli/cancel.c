/* SPDX-License-Identifier: Apache-2.0 */
#include "cli/cancel.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#define CANCEL_SLICE_MS 100

static volatile sig_atomic_t first_signal;
static struct sigaction saved_int, saved_term;
static int armed;

static void on_signal(int sig)
{
    if (first_signal)
        _exit(128 + sig);
    first_signal = sig;
}

void cancel_arm(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* Interrupted reads and writes carry on; sleeps and polls return early
     * (neither is ever restarted). */
    sa.sa_flags = SA_RESTART;
    first_signal = 0;
    sigaction(SIGINT, &sa, &saved_int);
    sigaction(SIGTERM, &sa, &saved_term);
    armed = 1;
}

void cancel_disarm(void)
{
    if (armed) {
        sigaction(SIGINT, &saved_int, NULL);
        sigaction(SIGTERM, &saved_term, NULL);
        armed = 0;
    }
    first_signal = 0;
}

const volatile sig_atomic_t *cancel_flag(void)
{
    return &first_signal;
}

int cancel_exit_code(void)
{
    return first_signal ? 128 + (int)first_signal : 0;
}

const char *cancel_signal_name(void)
{
    switch (first_signal) {
    case SIGINT:
        return "SIGINT";
    case SIGTERM:
        return "SIGTERM";
    default:
        return "";
    }
}

static int64_t cancel_now_ms(void *ctx)
{
    (void)ctx;
    return clk_now(clk_system());
}

static double cancel_jitter(void *ctx)
{
    (void)ctx;
    return clk_jitter(clk_system());
}

/* Slices of at most CANCEL_SLICE_MS: a signal that comes just before a
 * slice starts is seen when it ends. */
static void cancel_sleep_ms(void *ctx, int64_t ms)
{
    (void)ctx;
    const clk *sys = clk_system();
    int64_t until = clk_now(sys) + ms;
    for (int64_t left = ms; left > 0 && !first_signal; left = until - clk_now(sys)) {
        int64_t slice = left < CANCEL_SLICE_MS ? left : CANCEL_SLICE_MS;
        struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)slice * 1000000L};
        nanosleep(&ts, NULL);
    }
}

static const clk cancel_clk = {cancel_now_ms, cancel_sleep_ms, cancel_jitter, NULL};

const clk *cancel_clock(void)
{
    return &cancel_clk;
}
