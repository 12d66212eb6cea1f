/* SPDX-License-Identifier: Apache-2.0 */
#include "aws/endpoint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/profile.h"

const aws_service AWS_SERVICE_ECS = {"ECS", "ecs", "ecs", "ECS",
                                     "AmazonEC2ContainerServiceV20141113"};
const aws_service AWS_SERVICE_LAMBDA = {"Lambda", "lambda", "lambda", "LAMBDA", NULL};
const aws_service AWS_SERVICE_CLOUDFORMATION = {"CloudFormation", "cloudformation",
                                                "cloudformation", "CLOUDFORMATION", NULL};
const aws_service AWS_SERVICE_SECRETS_MANAGER = {
    "Secrets Manager", "secretsmanager", "secretsmanager", "SECRETS_MANAGER", "secretsmanager"};
const aws_service AWS_SERVICE_SSM = {"SSM", "ssm", "ssm", "SSM", "AmazonSSM"};
const aws_service AWS_SERVICE_LOGS = {"CloudWatch Logs", "logs", "logs", "CLOUDWATCH_LOGS",
                                      "Logs_20140328"};
const aws_service AWS_SERVICE_STS = {"STS", "sts", "sts", "STS", NULL};
const aws_service AWS_SERVICE_S3 = {"S3", "s3", "s3", "S3", NULL};

static int from_env(const char *name, char *out, size_t cap)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return -1;
    snprintf(out, cap, "%s", v);
    return 0;
}

int aws_region_resolve(char *out, size_t cap, aws_error *err)
{
    if (from_env("AWS_REGION", out, cap) == 0 || from_env("AWS_DEFAULT_REGION", out, cap) == 0)
        return 0;
    aws_profile *p = calloc(1, sizeof *p);
    if (p && aws_profile_load(NULL, p) && p->region[0]) {
        snprintf(out, cap, "%s", p->region);
        free(p);
        return 0;
    }
    free(p);
    aws_error_set(err, 0, AWS_ERR_CONFIG,
                  "no AWS region: set AWS_REGION (or AWS_DEFAULT_REGION, or region in the "
                  "profile %s)",
                  aws_profile_name());
    return -1;
}

int aws_endpoint_resolve(const aws_service *svc, const char *region, char *out, size_t cap,
                         aws_error *err)
{
    char name[128], url[1024];
    snprintf(name, sizeof name, "AWS_ENDPOINT_URL_%s", svc->env_suffix);
    int configured = from_env(name, url, sizeof url) == 0;
    if (!configured)
        configured = from_env("AWS_ENDPOINT_URL", url, sizeof url) == 0;
    if (configured) {
        if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
            aws_error_set(err, 0, AWS_ERR_CONFIG, "endpoint '%s' for %s is not an http(s) URL", url,
                          svc->name);
            return -1;
        }
        size_t n = strlen(url);
        while (n && url[n - 1] == '/')
            url[--n] = '\0';
    } else {
        const char *suffix = !strncmp(region, "cn-", 3) ? "amazonaws.com.cn" : "amazonaws.com";
        snprintf(url, sizeof url, "https://%s.%s.%s", svc->endpoint_prefix, region, suffix);
    }
    if (strlen(url) >= cap) {
        aws_error_set(err, 0, AWS_ERR_CONFIG, "endpoint for %s is too long", svc->name);
        return -1;
    }
    snprintf(out, cap, "%s", url);
    return 0;
}
