/* SPDX-License-Identifier: Apache-2.0 */
/*
 * credential_process: a profile's credential_process, run as the AWS SDKs
 * run it.
 *
 * The command is the user's own configuration: it runs as /bin/sh -c COMMAND
 * (the command string is passed as one argument, never pasted into another
 * command), with this process's environment, stdin and stderr (so a tool
 * can prompt or explain on the terminal); its stdout is read through a pipe,
 * at most CREDENTIAL_PROCESS_OUTPUT_MAX bytes. It must exit 0 and print
 *
 *   {"Version": 1, "AccessKeyId": "...", "SecretAccessKey": "...",
 *    "SessionToken": "..." (optional), "Expiration": "2026-...Z" (optional)}
 *
 * checked as aws_credentials_fill says. A non-zero exit, a signal, output
 * that is too large or not that document, or the deadline passing (the child
 * is then killed) is an error naming the profile. What the process printed
 * is never put in a message: it holds the secret.
 */
#ifndef ECS_AWS_CREDENTIAL_PROCESS_H
#define ECS_AWS_CREDENTIAL_PROCESS_H

#include <stddef.h>
#include <stdint.h>

#include "aws/credentials.h"
#include "util/clock.h"

#define CREDENTIAL_PROCESS_OUTPUT_MAX (64u * 1024u)

/*
 * Runs command for profile (named in messages) and fills *out (source
 * "credential_process"). deadline_ms (Unix ms on clock; 0 = none) bounds the
 * wait. Returns 0, or -1 with why (cap bytes).
 */
int credential_process_run(const char *command, const char *profile, const clk *clock,
                           int64_t deadline_ms, aws_credentials *out, char *why, size_t cap);

/* Parses the document above into *out; profile names the source in why.
 * Returns 0, or -1 with why. Exposed for tests and the fuzzer. */
int credential_process_parse(const char *json, const char *profile, aws_credentials *out, char *why,
                             size_t cap);

#endif
