/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli run: `ecs-tasks run`, the engine for a terminal or a CI pipeline
 * (README: Command line). Starts the tasks (or, with --attach, follows tasks
 * that already run), prints their progress, waits, and turns the verdict
 * into an exit code:
 *   0 every checked container exited 0; 1-255 the first non-zero exit code;
 *   124 timeout; 125 failed to start, no exit code, or AWS refused; 2 usage;
 *   130 / 143 cancelled by SIGINT / SIGTERM (128 + the signal).
 *
 * On the first SIGINT or SIGTERM (cli/cancel.h) the tasks the run started
 * are stopped (StopTask, reason CLI_CANCEL_REASON), followed for up to
 * CLI_SETTLE_MS until they have stopped, and their final state and log tail
 * printed; --attach only detaches, --no-wait stops nothing. A second signal
 * exits at once.
 *
 * The pieces: cli/options (the command line), cli/display (progress on
 * stderr), cli/follow (--logs), cli/report (--json), cli/github
 * (GITHUB_ACTIONS), cli/cancel (signals). Nothing here exits the process.
 */
#ifndef ECS_CLI_RUN_H
#define ECS_CLI_RUN_H

#define CLI_EXIT_USAGE 2
#define CLI_EXIT_TIMEOUT 124
#define CLI_EXIT_FAILED 125

/* The StopTask reason of a cancelled run, and how long its tasks are
 * followed while they stop, polled every CLI_SETTLE_POLL_S at most. */
#define CLI_CANCEL_REASON "interrupted: ecs-tasks run was cancelled"
#define CLI_SETTLE_MS 30000
#define CLI_SETTLE_POLL_S 2

/* Runs `ecs-tasks run ARGS...` (argv[0] is "run"). Returns the exit code. */
int cli_run(int argc, char **argv);

#endif
