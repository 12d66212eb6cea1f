/* SPDX-License-Identifier: Apache-2.0 */
/*
 * log: one line per event of interest, on stdout.
 *
 * Text format:  LEVEL [request-id] message
 * JSON format (AWS_LAMBDA_LOG_FORMAT=JSON):
 *   {"timestamp":"...","level":"INFO","requestId":"...","message":"..."}
 * The level comes from AWS_LAMBDA_LOG_LEVEL, then LOG_LEVEL (default INFO).
 *
 * Every line passes through the request's redactor (util/redact.h) whole,
 * before it is cut to LOG_MESSAGE_MAX bytes on a UTF-8 boundary; bytes that
 * are not UTF-8 (a container may log anything) are replaced by U+FFFD, so
 * every line is valid UTF-8 and every JSON line valid JSON.
 */
#ifndef ECS_UTIL_LOG_H
#define ECS_UTIL_LOG_H

#include <stdio.h>

#include "util/redact.h"

/* The longest message a line carries; a longer one is cut, with a marker. */
#define LOG_MESSAGE_MAX (32u * 1024u)
#define LOG_CUT_MARKER " [...]"

typedef enum { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR } log_level;

/* Reads the level and format from the environment. Call once at start-up;
 * callable again (tests). */
void log_init_from_env(void);

/* Lambda makes every line of stdout a separate CloudWatch Logs event, so a
 * message with line breaks (a Reason with a log tail) would be cut into events
 * without level or request id. With `on`, a text-format message's line breaks
 * are written as carriage returns, which CloudWatch shows as breaks within one
 * event (as Lambda's own runtimes do). Off by default (terminals). */
void log_set_one_line_per_message(int on);

/* Sends lines to `out` instead of stdout (borrowed; NULL restores stdout). */
void log_set_output(FILE *out);

/* The request id printed with every line until changed (copied; NULL clears). */
void log_set_request_id(const char *request_id);

/* The redactor every line goes through until changed (borrowed: the caller
 * keeps it alive while it is set; NULL = URL query strings only). */
void log_set_redactor(const redactor *r);

/* Whether a message at this level would be printed. */
int log_enabled(log_level level);

/* Prints one line (a trailing newline in fmt is not needed). */
void log_msg(log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
