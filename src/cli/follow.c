/* SPDX-License-Identifier: Apache-2.0 */
#include "cli/follow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/logs.h"
#include "cli/term.h"
#include "util/arn.h"

#define FOLLOW_MAX_STREAMS 64
/* Pages read per stream and poll: enough to catch up, bounded per poll. */
#define FOLLOW_MAX_PAGES 20

typedef struct stream {
    char group[512];
    char name[768];
    const char *container;
    char *token; /* nextForwardToken of the last page read; NULL before the first */
} stream;

struct log_follower {
    aws_client *aws;
    ecs_task_definition td;
    const redactor *redactor;
    FILE *out;
    stream streams[FOLLOW_MAX_STREAMS];
    size_t n;
};

log_follower *follow_new(aws_client *aws, const char *task_definition, const redactor *r, FILE *out)
{
    log_follower *f = calloc(1, sizeof *f);
    if (!f) {
        fprintf(stderr, "ecs-tasks run: --logs: out of memory\n");
        return NULL;
    }
    aws_error err;
    if (ecs_describe_task_definition(aws, task_definition, &f->td, &err) != 0) {
        fprintf(stderr, "ecs-tasks run: --logs: %s: %s\n", err.code, err.message);
        free(f);
        return NULL;
    }
    f->aws = aws;
    f->redactor = r;
    f->out = out;
    return f;
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
    s->container = d->name;
    return s;
}

/* One log event: masked, then printed as lines that each start with the
 * container's name, never with anything the container wrote (cli/term.h). */
static void print_event(log_follower *f, const stream *s, const char *message)
{
    char prefix[300];
    snprintf(prefix, sizeof prefix, "[%s] ", s->container);
    char *masked = redact_dup(f->redactor, message);
    term_print(f->out, prefix, prefix, masked ? masked : "(out of memory)");
    free(masked);
}

/* Reads the stream forward from where the last call stopped. */
static void drain(log_follower *f, stream *s)
{
    for (int page = 0; page < FOLLOW_MAX_PAGES; page++) {
        logs_page p;
        aws_error err;
        if (logs_get_log_events(f->aws, s->group, s->name, s->token, 1, 0, &p, &err) != 0)
            return; /* the stream may not exist yet: try again next poll */
        for (size_t i = 0; i < p.n; i++)
            print_event(f, s, p.events[i].message ? p.events[i].message : "");
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
    for (size_t t = 0; t < tasks->n_tasks; t++)
        for (size_t c = 0; c < f->td.n_containers; c++) {
            const ecs_container_definition *d = &f->td.containers[c];
            if (!d->log_driver || strcmp(d->log_driver, "awslogs") != 0 || !d->awslogs_group ||
                !d->awslogs_stream_prefix)
                continue;
            stream *s = stream_for(f, d, arn_last_part(tasks->tasks[t].arn));
            if (s)
                drain(f, s);
        }
}

void follow_free(log_follower *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++)
        free(f->streams[i].token);
    ecs_task_definition_free(&f->td);
    free(f);
}
