/*
 * log: one line per event of interest, on stdout (SPEC section 6).
 *
 * Text format:  LEVEL [request-id] message
 * JSON format (AWS_LAMBDA_LOG_FORMAT=JSON):
 *   {"timestamp":"...","level":"INFO","requestId":"...","message":"..."}
 * The level comes from AWS_LAMBDA_LOG_LEVEL, then LOG_LEVEL (default INFO).
 *
 * Redaction is done here, at the one place every line passes through:
 * registered secret values are replaced by "****", and the query string of
 * any http(s) URL is dropped (a pre-signed ResponseURL carries credentials).
 */
#ifndef ECS_UTIL_LOG_H
#define ECS_UTIL_LOG_H

#include <stdio.h>

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

/* Whether a message at this level would be printed. */
int log_enabled(log_level level);

/* Prints one line (a trailing newline in fmt is not needed). */
void log_msg(log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Registers a value that must never appear in a log line (copied). Values
 * shorter than 4 characters are ignored: redacting "1" would garble every
 * line and protects nothing. */
void log_add_secret(const char *value);

/* Forgets every registered secret. */
void log_clear_secrets(void);

/* Writes `in` to `out` (capacity cap, always NUL-terminated) with secrets
 * masked and URL query strings removed. Used by log_msg, and by anything
 * else that writes text a user may see (error reasons). */
void log_redact(const char *in, char *out, size_t cap);

#endif
