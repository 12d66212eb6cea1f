/* SPDX-License-Identifier: Apache-2.0 */
/*
 * github: `ecs-tasks run` in a GitHub Actions job (GITHUB_ACTIONS=true).
 *
 *   - task-arn (the first task's ARN), task-arns (every ARN, separated by
 *     spaces) and exit-code are appended to the file GITHUB_OUTPUT names, for
 *     the steps that follow (steps.<id>.outputs.task-arn);
 *   - --logs lines come in one group per task and poll
 *     (::group::task ID ... ::endgroup::), folded in the job's log;
 *   - a failure is one ::error:: annotation holding the whole Reason.
 *
 * The runner acts on a workflow command found at the start of a line (after
 * blanks) of stdout or stderr. Lines holding text from a container or from
 * AWS either start with a prefix of ours (cli/term.h) or are one command of
 * ours whose data is escaped as GitHub requires (% CR LF as %25 %0D %0A), so
 * such text can neither end the command nor start a line, hence no command
 * of its own (::stop-commands::, ::add-mask::...). Other control characters
 * are written as '?', bytes that are not UTF-8 as U+FFFD.
 */
#ifndef ECS_CLI_GITHUB_H
#define ECS_CLI_GITHUB_H

#include <stddef.h>
#include <stdio.h>

#include "util/buf.h"

/* Whether GITHUB_ACTIONS is "true" (as the runner sets it). */
int github_active(void);

/* Appends text to out as workflow command data. Same return as buf_append. */
int github_escape(buf *out, const char *text);

/* "::error title=ecs-tasks run::TEXT" on one line of f. */
void github_error(FILE *f, const char *text);

/* "::group::TITLE" and "::endgroup::" on lines of f. */
void github_group(FILE *f, const char *title);
void github_endgroup(FILE *f);

/*
 * The lines appended to GITHUB_OUTPUT: exit-code=N, then task-arn and
 * task-arns in the multi-line form (name<<DELIMITER, the value, DELIMITER),
 * since ARNs come from AWS. Returns 0, or -1 when a value holds the
 * delimiter or a line break (it could then end its value early) or memory
 * ran out.
 */
int github_output_text(buf *out, const char *delimiter, const char *const *arns, size_t n,
                       int exit_code);

/* Appends github_output_text, with a random delimiter, to the file
 * GITHUB_OUTPUT names. Returns 0 (also when the variable is unset or empty:
 * nothing is written), or -1 with why (cap bytes). */
int github_write_outputs(const char *const *arns, size_t n, int exit_code, char *why, size_t cap);

#endif
