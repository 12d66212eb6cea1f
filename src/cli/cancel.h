/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cancel: Ctrl-C and a cancelled CI job (SIGINT, SIGTERM) during
 * `ecs-tasks run`.
 *
 * cancel_arm installs handlers for both signals. The first signal only sets a
 * flag (its number): the engine sees it (run_env.cancel) before its next
 * start or poll, and cancel_clock's sleep returns as soon as it is set, so
 * the run notices within a fraction of a second (or when the AWS call under
 * way returns) and then decides what to do with its tasks. A second signal
 * (either one) ends the process at once, exit code 128 + that signal: its
 * handler calls _exit, which is async-signal-safe. Handlers do nothing else.
 * cancel_disarm restores the handlers found and clears the flag.
 */
#ifndef ECS_CLI_CANCEL_H
#define ECS_CLI_CANCEL_H

#include <signal.h>

#include "util/clock.h"

void cancel_arm(void);
void cancel_disarm(void);

/* The flag: 0, or the number of the first signal. Borrowed, static. */
const volatile sig_atomic_t *cancel_flag(void);

/* 128 + the first signal (130 for SIGINT, 143 for SIGTERM); 0 when none came. */
int cancel_exit_code(void);

/* "SIGINT" or "SIGTERM" (the first signal), or "" when none came. */
const char *cancel_signal_name(void);

/* The system clock, except that its sleep returns early once the flag is set
 * (it wakes on the signal, and at least every 100 ms). Borrowed, static. */
const clk *cancel_clock(void);

#endif
