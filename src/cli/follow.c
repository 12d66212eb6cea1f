/* SPDX-License-Identifier: Apache-2.0 */
#include "cli/follow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/logs.h"
#include "cli/github.h"
#include "cli/term.h"
#include "util/arn.h"

#define FOLLOW_MAX_STREAMS 64
#define FOLLOW_MAX_DEFINITIONS 16
/* Pages read per stream and poll: enough to catch up, bounded per poll. */
#define FOLLOW_MAX_PAGES 20

typedef struct stream {
    char group[512];
    char name[768];
    char container[256];
    char *token; /* nextForwardToken of the last page read; NULL before the first */
} stream;

typedef struct definition {
    char *name;             /* as a task names it (its ARN), or as given */
    int failed;             /* could not be read: not asked again */
    ecs_task_definition td; /* when not failed */
} definition;

struct log_follower {
    aws_client *aws;
    const redactor *redactor;
    FILE *out;
    int groups;
    definition *fallback; /* the task definition given to follow_new, or NULL */
    definition defs[FOLLOW_MAX_DEFINITIONS];
    size_t n_defs;
    stream streams[FOLLOW_MAX_STREAMS];
    size_t n;
};

/* Reads a task definition into the cache. NULL when there is no room. */
static definition *describe(log_follower *f, const char *name)
{
    if (f->n_defs == FOLLOW_MAX_DEFINITIONS)
        return NULL;
    definition *d = &f->defs[f->n_defs];
    aws_error err;
    if (!(d->name = strdup(name)))
        return NULL;
    f->n_defs++;
    if (ecs_describe_task_definition(f->aws, name, &d->td, &err) != 0) {
        d->failed = 1;
        if (f->out)
            fprintf(stderr, "ecs-tasks run: --logs: %s: %s\n", err.code, err.message);
    }
    return d;
}

log_follower *follow_new(aws_client *aws, const char *task_definition, const redactor *r, FILE *out)
{
    log_follower *f = calloc(1, sizeof *f);
    if (!f) {
        fprintf(stderr, "ecs-tasks run: --logs: out of memory\n");
        return NULL;
    }
    f->aws = aws;
    f->redactor = r;
    f->out = out;
    if (task_definition) {
        f->fallback = describe(f, task_definition);
        if (!f->fallback || f->fallback->failed) {
            if (!f->fallback)
                fprintf(stderr, "ecs-tasks run: --logs: out of memory\n");
            follow_free(f);
            return NULL;
        }
    }
    return f;
}

void follow_set_groups(log_follower *f, int on)
{
    if (f)
        f->groups = on;
}

/* The task definition of t: the one its description names (read once), else
 * the one given to follow_new. NULL when unknown or unreadable. */
static const ecs_task_definition *definition_of(log_follower *f, const ecs_task *t)
{
    const char *name = t->task_definition_arn;
    if (!name)
        return f->fallback ? &f->fallback->td : NULL;
    for (size_t i = 0; i < f->n_defs; i++) {
        const definition *d = &f->defs[i];
        if (!d->failed && d->td.arn && !strcmp(d->td.arn, name))
            return &d->td;
        if (!strcmp(d->name, name))
            return d->failed ? NULL : &d->td;
    }
    const definition *d = describe(f, name);
    return d && !d->failed ? &d->td : NULL;
}

static const ecs_container_definition *awslogs_of(const ecs_task_definition *td,
                                                  const char *container)
{
    for (size_t i = 0; td && i < td->n_containers; i++) {
        const ecs_container_definition *d = &td->containers[i];
        if ((!container || !strcmp(d->name, container)) && d->log_driver &&
            !strcmp(d->log_driver, "awslogs") && d->awslogs_group && d->awslogs_stream_prefix)
            return d;
    }
    return NULL;
}

int follow_location(void *ctx, const ecs_task *t, const char *container, char *group,
                    size_t group_cap, char *stream_name, size_t stream_cap)
{
    const ecs_container_definition *d = awslogs_of(definition_of(ctx, t), container);
    if (!d)
        return -1;
    snprintf(group, group_cap, "%s", d->awslogs_group);
    snprintf(stream_name, stream_cap, "%s/%s/%s", d->awslogs_stream_prefix, d->name,
             arn_last_part(t->arn));
    return 0;
}

static stream *stream_for(log_follower *f, const ecs_container_definition *d, const char *task)
{
    char name[768];
    snprintf(name, sizeof name, "%s/%s/%s", d->awslogs_stream_prefix, d->name, task);
    for (size_t i = 0; i < f->n; i++)
        if (!strcmp(f->streams[i].name, name) && !strcmp(f->streams[i].group, d->awslogs_group))
            return &f->streams[i];
    if (f->n == FOLLOW_MAX_STREAMS)
        return NULL;
    stream *s = &f->streams[f->n++];
    snprintf(s->group, sizeof s->group, "%s", d->awslogs_group);
    snprintf(s->name, sizeof s->name, "%s", name);
    snprintf(s->container, sizeof s->container, "%s", d->name);
    return s;
}

/* One task's lines of one poll, and whether its group is open. */
typedef struct batch {
    const char *task_id;
    int open;
} batch;

/* One log event: masked, then printed as lines that each start with the
 * container's name, never with anything the container wrote (cli/term.h). */
static void print_event(log_follower *f, batch *b, const stream *s, const char *message)
{
    if (f->groups && !b->open) {
        char title[160];
        snprintf(title, sizeof title, "task %s", b->task_id);
        github_group(f->out, title);
        b->open = 1;
    }
    char prefix[300];
    snprintf(prefix, sizeof prefix, "[%s] ", s->container);
    char *masked = redact_dup(f->redactor, message);
    term_print(f->out, prefix, prefix, masked ? masked : "(out of memory)");
    free(masked);
}

/* Reads the stream forward from where the last call stopped. */
static void drain(log_follower *f, batch *b, stream *s)
{
    for (int page = 0; page < FOLLOW_MAX_PAGES; page++) {
        logs_page p;
        aws_error err;
        if (logs_get_log_events(f->aws, s->group, s->name, s->token, 1, 0, &p, &err) != 0)
            return; /* the stream may not exist yet: try again next poll */
        for (size_t i = 0; i < p.n; i++)
            print_event(f, b, s, p.events[i].message ? p.events[i].message : "");
        int at_end = p.n == 0 || !p.next_forward_token ||
                     (s->token && !strcmp(s->token, p.next_forward_token));
        if (p.next_forward_token) {
            free(s->token);
            s->token = strdup(p.next_forward_token);
        }
        logs_page_free(&p);
        if (at_end)
            break;
    }
    fflush(f->out);
}

void follow_poll(log_follower *f, const ecs_task_set *tasks)
{
    if (!f || !f->out)
        return;
    for (size_t t = 0; t < tasks->n_tasks; t++) {
        const ecs_task_definition *td = definition_of(f, &tasks->tasks[t]);
        batch b = {.task_id = arn_last_part(tasks->tasks[t].arn)};
        for (size_t c = 0; td && c < td->n_containers; c++) {
            const ecs_container_definition *d = awslogs_of(td, td->containers[c].name);
            stream *s = d ? stream_for(f, d, b.task_id) : NULL;
            if (s)
                drain(f, &b, s);
        }
        if (b.open)
            github_endgroup(f->out);
    }
}

void follow_free(log_follower *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++)
        free(f->streams[i].token);
    for (size_t i = 0; i < f->n_defs; i++) {
        free(f->defs[i].name);
        if (!f->defs[i].failed)
            ecs_task_definition_free(&f->defs[i].td);
    }
    free(f);
}
