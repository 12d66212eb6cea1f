/*
 * ecs-tasks: one binary, two front ends.
 *
 * Runtime mode (the Lambda function): when AWS_LAMBDA_RUNTIME_API is set or
 * the program is called `bootstrap`. Otherwise the command-line tool.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfn/handler.h"
#include "lambda/runtime.h"
#include "util/log.h"

static const char usage[] =
    "usage: ecs-tasks [--help] [--version]\n"
    "\n"
    "Runs Amazon ECS tasks for AWS CloudFormation and waits for them.\n"
    "\n"
    "As the Lambda function of a Custom::ECSTask resource it runs as `bootstrap`\n"
    "(or whenever AWS_LAMBDA_RUNTIME_API is set) and serves the Runtime API.\n"
    "\n"
    "options:\n"
    "  --help       show this help and exit\n"
    "  --version    show the version and exit\n";

static int is_runtime_mode(const char *argv0)
{
    const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
    if (api && *api)
        return 1;
    const char *base = strrchr(argv0, '/');
    return !strcmp(base ? base + 1 : argv0, "bootstrap");
}

static int run_runtime(void)
{
    const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
    if (!api || !*api) {
        fprintf(stderr, "ecs-tasks: AWS_LAMBDA_RUNTIME_API is not set\n");
        return 1;
    }
    char why[512];
    cfn_handler *h = cfn_handler_new(why, sizeof why);
    if (!h) {
        log_msg(LOG_ERROR, "start-up failed: %s", why);
        lambda_runtime_init_error(api, "Runtime.InitError", why);
        return 1;
    }
    const char *max = getenv("ECS_TASKS_MAX_EVENTS"); /* tests: exit after N events */
    int rc = lambda_runtime_run(api, cfn_handler_invoke, h, max ? atol(max) : 0);
    cfn_handler_free(h);
    return rc;
}

static int run_cli(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "--version")) {
        printf("ecs-tasks %s\n", ECS_TASKS_VERSION);
        return 0;
    }
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage, stdout);
        return 0;
    }
    fputs(usage, stderr);
    return 2;
}

int main(int argc, char **argv)
{
    log_init_from_env();
    if (is_runtime_mode(argv[0]))
        return run_runtime();
    return run_cli(argc, argv);
}
