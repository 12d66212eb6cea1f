/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/service.h"

#include <stdio.h>
#include <string.h>

#include "aws/ecs.h"
#include "util/log.h"

/* Sets key to value (a new reference, may be NULL) unless the request has it. */
static int take(json_t *req, const char *key, json_t *value)
{
    if (!value)
        return 0;
    if (json_object_get(req, key)) {
        json_decref(value);
        return 0;
    }
    return json_object_set_new(req, key, value);
}

int service_apply(aws_client *aws, ecs_props *props, char *why, size_t cap)
{
    if (!props->service)
        return 0;
    ecs_service svc;
    aws_error err;
    if (ecs_describe_service(aws, props->cluster, props->service, &svc, &err) != 0) {
        char text[1024];
        snprintf(why, cap, "Service: DescribeServices of %s failed: %s", props->service,
                 aws_error_str(&err, text, sizeof text));
        return -1;
    }
    json_t *req = props->run_task;
    int placement_given =
        json_object_get(req, "launchType") || json_object_get(req, "capacityProviderStrategy");
    int rc = take(req, "networkConfiguration", json_incref(svc.network_configuration));
    if (svc.has_enable_execute_command)
        rc |= take(req, "enableExecuteCommand", json_boolean(svc.enable_execute_command));
    if (!props->instances && !placement_given) {
        rc |= take(req, "capacityProviderStrategy", json_incref(svc.capacity_provider_strategy));
        rc |= take(req, "launchType", svc.launch_type ? json_string(svc.launch_type) : NULL);
    }
    if (!props->instances && svc.platform_version)
        rc |= take(req, "platformVersion", json_string(svc.platform_version));
    log_msg(LOG_INFO, "running like service %s%s%s", props->service,
            svc.launch_type ? ": launch type " : "", svc.launch_type ? svc.launch_type : "");
    ecs_service_free(&svc);
    if (rc != 0)
        snprintf(why, cap, "Service: out of memory");
    return rc ? -1 : 0;
}
