/* SPDX-License-Identifier: Apache-2.0 */
/*
 * logs: CloudWatch Logs GetLogEvents, to end a failure Reason with the
 * container's last log lines and to follow logs from the command line.
 */
#ifndef ECS_AWS_LOGS_H
#define ECS_AWS_LOGS_H

#include <stddef.h>
#include <stdint.h>

#include "aws/client.h"

typedef struct logs_event {
    char *message;
    int64_t timestamp;
} logs_event;

typedef struct logs_page {
    logs_event *events;
    size_t n;
    char *next_forward_token; /* NULL when absent */
    char *next_backward_token;
} logs_page;

/* One GetLogEvents page. next_token may be NULL; limit <= 0 means the
 * service default. Free *out with logs_page_free. */
int logs_get_log_events(aws_client *c, const char *group, const char *stream,
                        const char *next_token, int start_from_head, int limit, logs_page *out,
                        aws_error *err);

/* The last max_lines messages of a stream, oldest first. *lines is the
 * caller's: free with strv_free (util/strv.h). */
int logs_tail(aws_client *c, const char *group, const char *stream, size_t max_lines, char ***lines,
              size_t *n, aws_error *err);

void logs_page_free(logs_page *p);

#endif
