/* SPDX-License-Identifier: Apache-2.0 */
/*
 * launch: the start calls of a run (engine/run.h).
 *
 * Each round starts every slot that is due, in one RunTask call of `count`
 * tasks with the round's clientToken (or one StartTask on those slots'
 * instances). A slot whose task did not start (RunTask failures[]) waits
 * and is started again in a later round when its cause goes away by itself
 * and it has retries left before the Timeout; any other cause fails the run
 * at once, and the tasks that did start are stopped.
 */
#ifndef ECS_ENGINE_LAUNCH_H
#define ECS_ENGINE_LAUNCH_H

#include <stdint.h>

#include "engine/run.h"

/* Starts every slot of st whose start is due at now. Returns 0, or -1 with
 * res FAILED (the tasks that did start stopped again). */
int launch_due(const run_env *env, const ecs_props *props, run_state *st, int64_t now,
               run_result *res);

/* The earliest start due among the waiting slots, or 0 when none waits. */
int64_t launch_next_due(const run_state *st);

/* Whether slot may be started again at now: a retry left (StartRetries) and
 * its start due before the Timeout. */
int launch_can_retry(const ecs_props *props, const run_state *st, const run_slot *slot,
                     int64_t now);

/* Makes slot wait for its next start after `cause` (its task, if any, is
 * forgotten), and logs the retry with its cause. */
void launch_schedule(run_slot *slot, int64_t now, const char *cause);

/* The wait before the start that follows `attempts` starts: 10 s, 20 s,
 * 40 s, then 60 s. */
int64_t launch_backoff_ms(int attempts);

/* " (attempt 2 of 3: RESOURCE:MEMORY; ...)" for a slot with earlier failed
 * attempts, into out; "" otherwise. */
void launch_attempts_note(const ecs_props *props, const run_slot *slot, char *out, size_t cap);

/* The request the first start round of a run would send: RunTask of
 * props->count tasks with st->started_by and round 1's clientToken (derived
 * from st->client_token), or StartTask on every instance of
 * props->instances. What `ecs-tasks run --dry-run` prints; the run itself
 * builds the same request. A new reference; NULL when it would start
 * nothing (Count 0) or memory runs out. */
json_t *launch_first_request(const ecs_props *props, const run_state *st);

/* Stops every task st follows now, logging a StopTask that fails. */
void launch_stop_all(const run_env *env, const char *cluster, const run_state *st,
                     const char *stop_reason);

#endif
