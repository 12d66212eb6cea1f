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
    const char *p = getenv("AWS_PROFILE");
    if (!p || !*p)
        p = getenv("AWS_DEFAULT_PROFILE");
    return p && *p ? p : "default";
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
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (!strcasecmp(key, fields[i].key))
            snprintf(fields[i].field, fields[i].cap, "%s", value);
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
        set_field(p, trim(l), trim(eq + 1));
    }
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
    free(text);
    return found;
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
