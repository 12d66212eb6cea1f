/* SPDX-License-Identifier: Apache-2.0 */
#include "util/arn.h"

#include <stdio.h>
#include <string.h>

/* Copies the field at *p up to the next ':' into out; advances *p past it. */
static int field(const char **p, char *out, size_t cap)
{
    const char *end = strchr(*p, ':');
    if (!end)
        return -1;
    size_t n = (size_t)(end - *p);
    if (n >= cap)
        return -1;
    memcpy(out, *p, n);
    out[n] = '\0';
    *p = end + 1;
    return 0;
}

int arn_parse(const char *s, arn_parts *out)
{
    memset(out, 0, sizeof *out);
    if (!s || strncmp(s, "arn:", 4) != 0)
        return -1;
    const char *p = s + 4;
    if (field(&p, out->partition, sizeof out->partition) != 0 ||
        field(&p, out->service, sizeof out->service) != 0 ||
        field(&p, out->region, sizeof out->region) != 0 ||
        field(&p, out->account, sizeof out->account) != 0)
        return -1;
    if (!out->partition[0] || !out->service[0] || !*p)
        return -1;
    out->resource = p;
    return 0;
}

/* The parts of an ECS task resource: "task/A" or "task/A/B". Returns how many
 * ids follow "task/" (1 or 2), or 0 when it is not a task resource. */
static int task_ids(const char *s, const char **first, size_t *first_len)
{
    arn_parts a;
    if (arn_parse(s, &a) != 0 || strcmp(a.service, "ecs") != 0 ||
        strncmp(a.resource, "task/", 5) != 0)
        return 0;
    const char *p = a.resource + 5;
    const char *slash = strchr(p, '/');
    if (!slash) {
        *first = p;
        *first_len = strlen(p);
        return *first_len ? 1 : 0;
    }
    const char *id = slash + 1;
    if (slash == p || !*id || strchr(id, '/'))
        return 0;
    *first = p;
    *first_len = (size_t)(slash - p);
    return 2;
}

int arn_is_ecs_task(const char *s)
{
    const char *first;
    size_t n;
    return task_ids(s, &first, &n) != 0;
}

int arn_ecs_task_cluster(const char *s, char *out, size_t cap)
{
    const char *first;
    size_t n;
    if (task_ids(s, &first, &n) != 2 || n >= cap)
        return -1;
    memcpy(out, first, n);
    out[n] = '\0';
    return 0;
}

const char *arn_last_part(const char *s)
{
    const char *slash = strrchr(s, '/');
    return slash && slash[1] ? slash + 1 : s;
}

void arn_stack_name(const char *s, char *out, size_t cap)
{
    arn_parts a;
    if (cap == 0)
        return;
    if (arn_parse(s, &a) == 0 && !strcmp(a.service, "cloudformation") &&
        !strncmp(a.resource, "stack/", 6) && a.resource[6] && a.resource[6] != '/') {
        const char *name = a.resource + 6;
        snprintf(out, cap, "%.*s", (int)strcspn(name, "/"), name);
        return;
    }
    snprintf(out, cap, "%s", s);
}
