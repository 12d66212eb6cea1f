/* SPDX-License-Identifier: Apache-2.0 */
#include "util/log.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/buf.h"
#include "util/utf8.h"

/* A formatted message is masked whole before it is cut, so it may be much
 * longer than what a line shows. */
#define LOG_FORMAT_MAX (4u * 1024u * 1024u)

static struct {
    log_level level;
    int json;
    int one_line;
    FILE *out;
    char request_id[128];
    const redactor *redactor;
} state = {LOG_INFO, 0, 0, NULL, "", NULL};

static const char *const level_names[] = {"DEBUG", "INFO", "WARN", "ERROR"};

static log_level parse_level(const char *s, log_level fallback)
{
    if (!s || !*s)
        return fallback;
    if (!strcasecmp(s, "TRACE") || !strcasecmp(s, "DEBUG"))
        return LOG_DEBUG;
    if (!strcasecmp(s, "INFO"))
        return LOG_INFO;
    if (!strcasecmp(s, "WARN") || !strcasecmp(s, "WARNING"))
        return LOG_WARN;
    if (!strcasecmp(s, "ERROR") || !strcasecmp(s, "FATAL"))
        return LOG_ERROR;
    return fallback;
}

void log_init_from_env(void)
{
    const char *lvl = getenv("AWS_LAMBDA_LOG_LEVEL");
    if (!lvl || !*lvl)
        lvl = getenv("LOG_LEVEL");
    state.level = parse_level(lvl, LOG_INFO);
    const char *fmt = getenv("AWS_LAMBDA_LOG_FORMAT");
    state.json = fmt && !strcasecmp(fmt, "JSON");
}

void log_set_one_line_per_message(int on)
{
    state.one_line = on;
}

void log_set_output(FILE *out)
{
    state.out = out;
}

void log_set_request_id(const char *request_id)
{
    char *clean = utf8_dup_lossy(request_id ? request_id : "");
    const char *s = clean ? clean : "";
    size_t n = utf8_cut(s, strlen(s), sizeof state.request_id - 1);
    memcpy(state.request_id, s, n);
    state.request_id[n] = '\0';
    free(clean);
}

void log_set_redactor(const redactor *r)
{
    state.redactor = r;
}

int log_enabled(log_level level)
{
    return level >= state.level;
}

/* The message as it may be shown: masked whole, cut on a character
 * boundary, made valid UTF-8, its line breaks folded when asked. */
static int shown_message(const char *raw, size_t len, buf *out)
{
    buf masked;
    buf_init(&masked, LOG_FORMAT_MAX);
    redact_append(state.redactor, raw, len, &masked);
    const char *text = buf_cstr(&masked);
    size_t keep = utf8_cut(text, masked.len, LOG_MESSAGE_MAX);
    utf8_append_lossy(out, text, keep);
    if (keep < masked.len)
        buf_puts(out, LOG_CUT_MARKER);
    int failed = buf_failed(&masked);
    buf_free(&masked);
    if (state.one_line && !state.json)
        for (char *nl = out->data ? strchr(out->data, '\n') : NULL; nl; nl = strchr(nl + 1, '\n'))
            *nl = '\r';
    return failed || buf_failed(out) ? -1 : 0;
}

static char *json_line(log_level level, const char *message)
{
    char ts[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_t *doc = json_pack("{s:s, s:s}", "timestamp", ts, "level", level_names[level]);
    if (doc && state.request_id[0])
        json_object_set_new(doc, "requestId", json_string(state.request_id));
    if (doc)
        json_object_set_new(doc, "message", json_string(message));
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    return text;
}

void log_msg(log_level level, const char *fmt, ...)
{
    if (!log_enabled(level))
        return;
    buf raw, message;
    buf_init(&raw, LOG_FORMAT_MAX);
    /* Each byte kept may become a 3-byte U+FFFD. */
    buf_init(&message, 3 * LOG_MESSAGE_MAX + sizeof LOG_CUT_MARKER);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&raw, fmt, ap);
    va_end(ap);
    if (buf_failed(&raw) || shown_message(buf_cstr(&raw), raw.len, &message) != 0) {
        buf_reset(&message);
        buf_puts(&message, "(a log message was lost: out of memory)");
    }
    FILE *out = state.out ? state.out : stdout;
    if (state.json) {
        char *line = json_line(level, buf_cstr(&message));
        if (line)
            fprintf(out, "%s\n", line);
        free(line);
    } else if (state.request_id[0]) {
        fprintf(out, "%s [%s] %s\n", level_names[level], state.request_id, buf_cstr(&message));
    } else {
        fprintf(out, "%s %s\n", level_names[level], buf_cstr(&message));
    }
    fflush(out);
    buf_free(&raw);
    buf_free(&message);
}
