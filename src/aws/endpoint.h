/* SPDX-License-Identifier: Apache-2.0 */
/*
 * endpoint: which region and which URL each service call goes to.
 *
 * Region: AWS_REGION, then AWS_DEFAULT_REGION, then the profile's region.
 * A region name is [a-z0-9-]+ (at most 63 bytes): it becomes part of a host
 * name, so anything else ("@evil.example/", a '.', a CR) is refused with an
 * error naming where the value came from, never used.
 * Endpoint: AWS_ENDPOINT_URL_<SERVICE> (e.g. AWS_ENDPOINT_URL_ECS,
 * AWS_ENDPOINT_URL_SECRETS_MANAGER), then AWS_ENDPOINT_URL, then
 * https://<prefix>.<region>.amazonaws.com (".amazonaws.com.cn" in cn-* regions).
 * A configured endpoint loses any trailing '/'.
 */
#ifndef ECS_AWS_ENDPOINT_H
#define ECS_AWS_ENDPOINT_H

#include <stddef.h>

#include "aws/error.h"

/* One AWS service as this program talks to it. */
typedef struct aws_service {
    const char *name;            /* for messages: "ECS" */
    const char *signing_name;    /* SigV4 service: "ecs" */
    const char *endpoint_prefix; /* host prefix: "ecs" */
    const char *env_suffix;      /* AWS_ENDPOINT_URL_<env_suffix> */
    const char *json_target;     /* X-Amz-Target prefix (JSON 1.1 services), else NULL */
} aws_service;

extern const aws_service AWS_SERVICE_ECS;
extern const aws_service AWS_SERVICE_LAMBDA;
extern const aws_service AWS_SERVICE_CLOUDFORMATION;
extern const aws_service AWS_SERVICE_SECRETS_MANAGER;
extern const aws_service AWS_SERVICE_SSM;
extern const aws_service AWS_SERVICE_LOGS;
extern const aws_service AWS_SERVICE_STS;
extern const aws_service AWS_SERVICE_S3;

/* Whether s is a region name as above. NULL gives 0. */
int aws_region_valid(const char *s);

/* Resolves the region into out. Returns 0, or -1 with err (AWS_ERR_CONFIG)
 * when none is configured anywhere, the first one configured is not a valid
 * region name (the message names AWS_REGION, AWS_DEFAULT_REGION or the
 * profile), or AWS_PROFILE / AWS_DEFAULT_PROFILE names a profile that does
 * not exist and neither variable gives the region. */
int aws_region_resolve(char *out, size_t cap, aws_error *err);

/* Resolves the endpoint URL (scheme://host[:port][/base-path], no trailing '/')
 * of service in region into out. Returns 0, or -1 with err when it does not fit
 * or a configured URL is not http(s). */
int aws_endpoint_resolve(const aws_service *svc, const char *region, char *out, size_t cap,
                         aws_error *err);

#endif
