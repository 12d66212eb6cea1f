/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli run: `ecs-tasks run`, the engine for a terminal or a CI pipeline
 * (README: Command line). Starts the tasks, prints their progress, waits, and
 * turns the verdict into an exit code:
 *   0 every checked container exited 0; 1-255 the first non-zero exit code;
 *   124 timeout; 125 failed to start, no exit code, or AWS refused; 2 usage.
 */
#ifndef ECS_CLI_RUN_H
#define ECS_CLI_RUN_H

#define CLI_EXIT_USAGE 2
#define CLI_EXIT_TIMEOUT 124
#define CLI_EXIT_FAILED 125

/* Runs `ecs-tasks run ARGS...` (argv[0] is "run"). Returns the exit code. */
int cli_run(int argc, char **argv);

#endif
