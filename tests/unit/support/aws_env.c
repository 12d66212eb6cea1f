/* SPDX-License-Identifier: Apache-2.0 */
#include "aws_env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char dir[64];

static const char *const vars[] = {"AWS_REGION",
                                   "AWS_DEFAULT_REGION",
                                   "AWS_PROFILE",
                                   "AWS_DEFAULT_PROFILE",
                                   "AWS_ACCESS_KEY_ID",
                                   "AWS_SECRET_ACCESS_KEY",
                                   "AWS_SESSION_TOKEN",
                                   "AWS_ENDPOINT_URL",
                                   "AWS_ENDPOINT_URL_ECS",
                                   "AWS_ENDPOINT_URL_STS",
                                   "AWS_ENDPOINT_URL_SECRETS_MANAGER",
                                   "AWS_ENDPOINT_URL_SSM",
                                   "AWS_ENDPOINT_URL_LAMBDA",
                                   "AWS_ENDPOINT_URL_CLOUDFORMATION",
                                   "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS",
                                   "AWS_ENDPOINT_URL_S3",
                                   "_X_AMZN_TRACE_ID",
                                   "AWS_CONFIG_FILE",
                                   "AWS_SHARED_CREDENTIALS_FILE",
                                   "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                                   "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                                   "AWS_CONTAINER_AUTHORIZATION_TOKEN",
                                   "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                                   "AWS_WEB_IDENTITY_TOKEN_FILE",
                                   "AWS_ROLE_ARN",
                                   "AWS_ROLE_SESSION_NAME",
                                   "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                                   "AWS_MAX_ATTEMPTS",
                                   "AWS_CA_BUNDLE",
                                   "SSL_CERT_FILE",
                                   "SSL_CERT_DIR",
                                   NULL};

int aws_env_setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/ecs-tasks-unit-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    for (const char *const *v = vars; *v; v++)
        unsetenv(*v);
    setenv("HOME", dir, 1);
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    return 0;
}

int aws_env_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    for (const char *const *v = vars; *v; v++)
        unsetenv(*v);
    return system(cmd) == 0 ? 0 : -1;
}

const char *aws_env_dir(void)
{
    return dir;
}

const char *aws_env_write(const char *name, const char *text)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    for (char *slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(path, 0700);
        *slash = '/';
    }
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}
