/* SPDX-License-Identifier: Apache-2.0 */
/*
 * options: the command line of `ecs-tasks run` (README: Command line; the
 * man page ecs-tasks(1)), turned into the resource's properties so that the
 * engine validates them as it validates a Custom::ECSTask's, and messages
 * that name the option the user typed.
 *
 * Each option sets the property it stands for (--count: Count, --subnets:
 * NetworkConfiguration.AwsvpcConfiguration.Subnets, --tag K=V: an entry of
 * Tags, ...); what has a syntax of its own (K=V, NAME[:WEIGHT[:BASE]],
 * TYPE[:EXPRESSION], --started-by, --attach) is checked here. A usage error
 * is printed to stderr as "ecs-tasks run: MESSAGE" and is exit code 2; the
 * engine's messages about the properties are renamed by cli/naming.h.
 */
#ifndef ECS_CLI_OPTIONS_H
#define ECS_CLI_OPTIONS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/props.h"
#include "engine/run.h"

/* What `ecs-tasks run` was asked. Strings are borrowed from argv. */
typedef struct run_options {
    json_t *props;                     /* owned: the properties, as the resource names them */
    const char *started_by;            /* --started-by, or NULL (then ecs-tasks-run-<8 hex>) */
    const char *attach[RUN_MAX_TASKS]; /* --attach: tasks to follow, starting none */
    size_t n_attach;
    int no_wait;
    int logs;
    int json;
    int dry_run;
    /* While parsing: what is merged into props at the end. */
    const char *container;
    json_t *command, *environment, *check;
    uint64_t given; /* one bit per option given (its enum value) */
} run_options;

/* The property standing in for --attach's task definition: tasks started
 * elsewhere carry their own, and it is never sent. */
#define OPTIONS_ATTACHED_TD "(attached tasks)"

/* Parses `run ARGS...` (argv[0] is "run") into o (initialised here; free with
 * options_free whatever the result). Returns -1 when the run goes on, else
 * the exit code: 0 after --help (printed on stdout), 2 after a usage error
 * (printed on stderr). */
int options_parse(int argc, char **argv, run_options *o);

void options_free(run_options *o);

/* The text of `ecs-tasks run --help`. */
extern const char options_usage[];

#endif
