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

#define REGION_MAX 63

int aws_region_valid(const char *s)
{
    if (!s || !*s || strlen(s) > REGION_MAX)
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
            return 0;
    return 1;
}

/* A refused value as it may be shown: printable ASCII, the rest as \xNN, cut. */
static void quote(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && o + 5 < cap && o < 80; p++) {
        if (*p >= 0x20 && *p < 0x7f && *p != '\\')
            out[o++] = (char)*p;
        else
            o += (size_t)snprintf(out + o, cap - o, "\\x%02x", *p);
    }
    out[o] = '\0';
}

static int checked(const char *value, const char *where, char *out, size_t cap, aws_error *err)
{
    if (!aws_region_valid(value) || strlen(value) >= cap) {
        char shown[96];
        quote(value, shown, sizeof shown);
        aws_error_set(err, 0, AWS_ERR_CONFIG,
                      "%s '%s' is not a region name (lower-case letters, digits and '-', "
                      "like us-east-1)",
                      where, shown);
        return -1;
    }
    snprintf(out, cap, "%s", value);
    return 0;
}

int aws_region_resolve(char *out, size_t cap, aws_error *err)
{
    static const char *const vars[] = {"AWS_REGION", "AWS_DEFAULT_REGION"};
    for (size_t i = 0; i < 2; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return checked(v, vars[i], out, cap, err);
    }
    aws_profile *p = calloc(1, sizeof *p);
    if (!p) {
        aws_error_set(err, 0, AWS_ERR_INTERNAL, "out of memory");
        return -1;
    }
    int found = aws_profile_load(NULL, p);
    int rc = -1;
    const char *named_by = aws_profile_named_by();
    if (found && p->region[0]) {
        char where[256];
        snprintf(where, sizeof where, "the region of profile %.128s", p->name);
        rc = checked(p->region, where, out, cap, err);
    } else if (!found && named_by) {
        aws_error_set(err, 0, AWS_ERR_CONFIG,
                      "no AWS region: set AWS_REGION (the profile %.128s named by %s does not "
                      "exist)",
                      aws_profile_name(), named_by);
    } else {
        aws_error_set(err, 0, AWS_ERR_CONFIG,
                      "no AWS region: set AWS_REGION (or AWS_DEFAULT_REGION, or region in the "
                      "profile %.128s)",
                      aws_profile_name());
    }
    aws_profile_wipe(p);
    free(p);
    return rc;
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
        int printable = 1;
        for (const unsigned char *p = (const unsigned char *)url; *p; p++)
            printable &= *p > 0x20 && *p != 0x7f;
        if (!printable) {
            aws_error_set(err, 0, AWS_ERR_CONFIG,
                          "the endpoint for %s holds a space or a control character", svc->name);
            return -1;
        }
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
