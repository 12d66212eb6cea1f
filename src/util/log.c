#include "util/log.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/buf.h"

#define LOG_LINE_MAX 8192
#define LOG_MAX_SECRETS 64

static struct {
    log_level level;
    int json;
    int one_line;
    FILE *out;
    char request_id[128];
    char *secrets[LOG_MAX_SECRETS];
    size_t n_secrets;
} state = {LOG_INFO, 0, 0, NULL, "", {0}, 0};

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
    snprintf(state.request_id, sizeof state.request_id, "%s", request_id ? request_id : "");
}

int log_enabled(log_level level)
{
    return level >= state.level;
}

void log_add_secret(const char *value)
{
    if (!value || strlen(value) < 4 || state.n_secrets == LOG_MAX_SECRETS)
        return;
    for (size_t i = 0; i < state.n_secrets; i++)
        if (!strcmp(state.secrets[i], value))
            return;
    char *copy = strdup(value);
    if (copy)
        state.secrets[state.n_secrets++] = copy;
}

void log_clear_secrets(void)
{
    for (size_t i = 0; i < state.n_secrets; i++)
        free(state.secrets[i]);
    state.n_secrets = 0;
}

/* Length of the registered secret that starts at s, or 0. The longest match
 * wins so that a secret containing another is masked whole. */
static size_t secret_at(const char *s)
{
    size_t best = 0;
    for (size_t i = 0; i < state.n_secrets; i++) {
        size_t n = strlen(state.secrets[i]);
        if (n > best && !strncmp(s, state.secrets[i], n))
            best = n;
    }
    return best;
}

/* A URL's query string ends at whitespace or a quote. */
static int ends_query(char c)
{
    return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == '"' || c == '\'';
}

void log_redact(const char *in, char *out, size_t cap)
{
    if (cap == 0)
        return;
    size_t o = 0;
    int in_url = 0;
    for (const char *p = in; *p && o + 1 < cap;) {
        size_t n = secret_at(p);
        if (n) {
            const char *mask = "****";
            for (const char *m = mask; *m && o + 1 < cap; m++)
                out[o++] = *m;
            p += n;
            continue;
        }
        if (!strncmp(p, "http://", 7) || !strncmp(p, "https://", 8))
            in_url = 1;
        else if (ends_query(*p))
            in_url = 0;
        if (in_url && *p == '?') {
            while (!ends_query(*p))
                p++;
            in_url = 0;
            continue;
        }
        out[o++] = *p++;
    }
    out[o] = '\0';
}

static void json_escape_into(buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            buf_printf(b, "\\%c", c);
        else if (c == '\n')
            buf_puts(b, "\\n");
        else if (c < 0x20)
            buf_printf(b, "\\u%04x", c);
        else
            buf_append(b, s, 1);
    }
}

void log_msg(log_level level, const char *fmt, ...)
{
    if (!log_enabled(level))
        return;
    char raw[LOG_LINE_MAX], clean[LOG_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    log_redact(raw, clean, sizeof clean);
    if (state.one_line && !state.json)
        for (char *nl = strchr(clean, '\n'); nl; nl = strchr(nl + 1, '\n'))
            *nl = '\r';

    buf line;
    buf_init(&line, 2 * LOG_LINE_MAX);
    if (state.json) {
        char ts[32];
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
        buf_printf(&line, "{\"timestamp\":\"%s\",\"level\":\"%s\"", ts, level_names[level]);
        if (state.request_id[0]) {
            buf_puts(&line, ",\"requestId\":\"");
            json_escape_into(&line, state.request_id);
            buf_puts(&line, "\"");
        }
        buf_puts(&line, ",\"message\":\"");
        json_escape_into(&line, clean);
        buf_puts(&line, "\"}\n");
    } else if (state.request_id[0]) {
        buf_printf(&line, "%s [%s] %s\n", level_names[level], state.request_id, clean);
    } else {
        buf_printf(&line, "%s %s\n", level_names[level], clean);
    }
    FILE *out = state.out ? state.out : stdout;
    fwrite(line.data, 1, line.len, out);
    fflush(out);
    buf_free(&line);
}
