/* SPDX-License-Identifier: Apache-2.0 */
#include "aws/logs.h"

#include <stdlib.h>
#include <string.h>

#include "util/jsonx.h"

int logs_get_log_events(aws_client *c, const char *group, const char *stream,
                        const char *next_token, int start_from_head, int limit, logs_page *out,
                        aws_error *err)
{
    memset(out, 0, sizeof *out);
    json_t *req = json_pack("{s:s, s:s, s:b}", "logGroupName", group, "logStreamName", stream,
                            "startFromHead", start_from_head);
    if (next_token)
        json_object_set_new(req, "nextToken", json_string(next_token));
    if (limit > 0)
        json_object_set_new(req, "limit", json_integer(limit));
    json_t *answer;
    int rc = aws_call_json(c, &AWS_SERVICE_LOGS, "GetLogEvents", req, &answer, err);
    json_decref(req);
    if (rc != 0)
        return -1;
    json_t *events = json_object_get(answer, "events");
    size_t n = json_array_size(events);
    out->events = calloc(n ? n : 1, sizeof *out->events);
    for (size_t i = 0; out->events && i < n; i++) {
        json_t *e = json_array_get(events, i);
        out->events[i].message = jsonx_strdup_member(e, "message");
        out->events[i].timestamp = json_integer_value(json_object_get(e, "timestamp"));
        out->n++;
    }
    out->next_forward_token = jsonx_strdup_member(answer, "nextForwardToken");
    out->next_backward_token = jsonx_strdup_member(answer, "nextBackwardToken");
    json_decref(answer);
    return 0;
}

int logs_tail(aws_client *c, const char *group, const char *stream, size_t max_lines, char ***lines,
              size_t *n, aws_error *err)
{
    *lines = NULL;
    *n = 0;
    logs_page page;
    if (logs_get_log_events(c, group, stream, NULL, 0, (int)max_lines, &page, err) != 0)
        return -1;
    size_t first = page.n > max_lines ? page.n - max_lines : 0;
    *lines = calloc(page.n - first + 1, sizeof **lines);
    for (size_t i = first; *lines && i < page.n; i++)
        (*lines)[(*n)++] = strdup(page.events[i].message ? page.events[i].message : "");
    logs_page_free(&page);
    return 0;
}

void logs_page_free(logs_page *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->events[i].message);
    free(p->events);
    free(p->next_forward_token);
    free(p->next_backward_token);
    memset(p, 0, sizeof *p);
}
