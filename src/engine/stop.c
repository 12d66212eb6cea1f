/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/stop.h"

#include <stdio.h>
#include <string.h>

#include "aws/ecs.h"
#include "engine/ids.h"
#include "util/arn.h"
#include "util/log.h"
#include "util/strv.h"

int stop_started_by(aws_client *aws, const char *cluster, const char *started_by,
                    const char *reason, size_t *n_stopped, aws_error *err)
{
    *n_stopped = 0;
    char **arns = NULL;
    size_t n = 0;
    /* startedBy only: ECS takes it as the one filter of a ListTasks call, and
     * lists the RUNNING tasks by default. */
    if (ecs_list_tasks(aws, cluster, started_by, NULL, &arns, &n, err) != 0) {
        log_msg(LOG_WARN, "ListTasks %s startedBy %s: %s: %s (nothing to stop)", cluster,
                started_by, err->code, err->message);
        return 0;
    }
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        aws_error e;
        if (ecs_stop_task(aws, cluster, arns[i], reason, &e) == 0) {
            (*n_stopped)++;
            log_msg(LOG_INFO, "stopped task %s", arns[i]);
        } else if (strstr(e.message, "stopped") || !strcmp(e.code, "ClusterNotFoundException")) {
            log_msg(LOG_INFO, "task %s: %s", arns[i], e.message);
        } else {
            *err = e;
            rc = -1;
        }
    }
    strv_free(arns, n);
    return rc;
}

int stop_named_run(aws_client *aws, const char *physical_id, const char *resource_id,
                   const char *fallback_cluster, const char *reason, char *why, size_t cap)
{
    if (!arn_is_ecs_task(physical_id)) {
        log_msg(LOG_INFO, "Delete: %s is not a task ARN, nothing to stop", physical_id);
        return 0;
    }
    char cluster[256];
    if (arn_ecs_task_cluster(physical_id, cluster, sizeof cluster) != 0)
        snprintf(cluster, sizeof cluster, "%s", fallback_cluster ? fallback_cluster : "default");

    ecs_task_set set = {0};
    aws_error err;
    const char *arns[1] = {physical_id};
    if (ecs_describe_tasks(aws, cluster, arns, 1, &set, &err) != 0 || set.n_tasks == 0) {
        log_msg(LOG_INFO, "Delete: task %s not found (%s), nothing to stop", physical_id,
                set.n_tasks   ? ""
                : err.code[0] ? err.code
                              : "MISSING");
        ecs_task_set_free(&set);
        return 0;
    }
    char started_by[IDS_STARTED_BY_MAX + 1];
    snprintf(started_by, sizeof started_by, "%s",
             set.tasks[0].started_by ? set.tasks[0].started_by : "");
    ecs_task_set_free(&set);
    size_t id_len = strlen(resource_id);
    if (strncmp(started_by, resource_id, id_len) != 0 || started_by[id_len] != '-') {
        log_msg(LOG_WARN,
                "Delete: task %s was not started by this resource (startedBy '%s'), leaving it "
                "alone",
                physical_id, started_by);
        return 0;
    }
    size_t n = 0;
    if (stop_started_by(aws, cluster, started_by, reason, &n, &err) != 0) {
        char text[1024];
        snprintf(why, cap, "Delete: StopTask failed: %s", aws_error_str(&err, text, sizeof text));
        return -1;
    }
    log_msg(LOG_INFO, "Delete: stopped %zu running task(s) of %s", n, started_by);
    return 0;
}
