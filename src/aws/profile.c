/* SPDX-License-Identifier: Apache-2.0 */
#include "aws/profile.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"

#define PROFILE_FILE_MAX (1u << 20)

const char *aws_profile_name(void)
{
    const char *by = aws_profile_named_by();
    return by ? getenv(by) : "default";
}

const char *aws_profile_named_by(void)
{
    static const char *const vars[] = {"AWS_PROFILE", "AWS_DEFAULT_PROFILE"};
    for (size_t i = 0; i < 2; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return vars[i];
    }
    return NULL;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

/* Whether a "[...]" header names the profile, in the file's naming scheme. */
static int section_matches(const char *inside, const char *profile, int is_config)
{
    if (!is_config)
        return !strcmp(inside, profile);
    if (!strncmp(inside, "profile", 7) && isspace((unsigned char)inside[7])) {
        const char *name = inside + 8;
        while (isspace((unsigned char)*name))
            name++;
        return !strcmp(name, profile);
    }
    return !strcmp(profile, "default") && !strcmp(inside, "default");
}

static void set_field(aws_profile *p, const char *key, const char *value)
{
    struct {
        const char *key;
        char *field;
        size_t cap;
    } fields[] = {
        {"region", p->region, sizeof p->region},
        {"aws_access_key_id", p->access_key_id, sizeof p->access_key_id},
        {"aws_secret_access_key", p->secret_access_key, sizeof p->secret_access_key},
        {"aws_session_token", p->session_token, sizeof p->session_token},
        {"role_arn", p->role_arn, sizeof p->role_arn},
        {"source_profile", p->source_profile, sizeof p->source_profile},
        {"credential_source", p->credential_source, sizeof p->credential_source},
        {"external_id", p->external_id, sizeof p->external_id},
        {"duration_seconds", p->duration_seconds, sizeof p->duration_seconds},
        {"role_session_name", p->role_session_name, sizeof p->role_session_name},
        {"web_identity_token_file", p->web_identity_token_file, sizeof p->web_identity_token_file},
        {"credential_process", p->credential_process, sizeof p->credential_process},
        {"mfa_serial", p->mfa_serial, sizeof p->mfa_serial},
    };
    if (!strcasecmp(key, "sso_session") || !strcasecmp(key, "sso_start_url")) {
        p->sso = 1;
        return;
    }
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (strcasecmp(key, fields[i].key) != 0)
            continue;
        if (strlen(value) >= fields[i].cap) {
            if (!p->too_long[0])
                snprintf(p->too_long, sizeof p->too_long, "%s", fields[i].key);
            return;
        }
        snprintf(fields[i].field, fields[i].cap, "%s", value);
    }
}

int aws_profile_parse(const char *text, const char *profile, int is_config, aws_profile *p)
{
    char *copy = strdup(text);
    if (!copy)
        return 0;
    int in_section = 0, found = 0;
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        /* An indented line belongs to a nested sub-section (s3 = ...). */
        int indented = isspace((unsigned char)line[0]);
        char *l = trim(line);
        if (!*l || *l == '#' || *l == ';' || indented)
            continue;
        if (*l == '[') {
            char *close = strchr(l, ']');
            if (close)
                *close = '\0';
            in_section = section_matches(trim(l + 1), profile, is_config);
            found |= in_section;
            continue;
        }
        char *eq = strchr(l, '=');
        if (!in_section || !eq)
            continue;
        *eq = '\0';
        /* A CR of a CRLF file is trimmed with the other white space. */
        set_field(p, trim(l), trim(eq + 1));
    }
    explicit_bzero(copy, strlen(text));
    free(copy);
    return found;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    buf b;
    buf_init(&b, PROFILE_FILE_MAX);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (buf_append(&b, chunk, n) != 0)
            break;
    explicit_bzero(chunk, sizeof chunk);
    fclose(f);
    return buf_take(&b);
}

static void file_path(const char *env, const char *default_name, char *out, size_t cap)
{
    const char *v = getenv(env);
    if (v && *v) {
        snprintf(out, cap, "%s", v);
        return;
    }
    const char *home = getenv("HOME");
    snprintf(out, cap, "%s/.aws/%s", home ? home : "", default_name);
}

static int load_one(const char *env, const char *name, const char *profile, int is_config,
                    aws_profile *p)
{
    char path[1024];
    file_path(env, name, path, sizeof path);
    char *text = read_file(path);
    if (!text)
        return 0;
    int found = aws_profile_parse(text, profile, is_config, p);
    explicit_bzero(text, strlen(text));
    free(text);
    return found;
}

void aws_profile_paths(char *config, size_t config_cap, char *credentials, size_t credentials_cap)
{
    file_path("AWS_CONFIG_FILE", "config", config, config_cap);
    file_path("AWS_SHARED_CREDENTIALS_FILE", "credentials", credentials, credentials_cap);
}

int aws_profile_has_credential_settings(const aws_profile *p)
{
    return p->access_key_id[0] || p->secret_access_key[0] || p->session_token[0] ||
           p->role_arn[0] || p->source_profile[0] || p->credential_source[0] ||
           p->web_identity_token_file[0] || p->credential_process[0] || p->mfa_serial[0] ||
           p->sso || p->too_long[0];
}

void aws_profile_wipe(aws_profile *p)
{
    explicit_bzero(p, sizeof *p);
}

int aws_profile_load(const char *profile, aws_profile *p)
{
    memset(p, 0, sizeof *p);
    if (!profile)
        profile = aws_profile_name();
    snprintf(p->name, sizeof p->name, "%s", profile);
    /* Config first, so the credentials file's values win. */
    int found = load_one("AWS_CONFIG_FILE", "config", profile, 1, p);
    found |= load_one("AWS_SHARED_CREDENTIALS_FILE", "credentials", profile, 0, p);
    return found;
}
