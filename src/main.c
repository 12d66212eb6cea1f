/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ecs-tasks: one binary, two front ends.
 *
 * Runtime mode (the Lambda function): when there is no subcommand or option
 * (Lambda runs `bootstrap` with none) and AWS_LAMBDA_RUNTIME_API is set or the
 * program is called `bootstrap`. Otherwise the command-line tool, whatever
 * its name: the release binary is also the CLI (`bootstrap run ...`).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfn/handler.h"
#include "cli/run.h"
#include "lambda/runtime.h"
#include "util/buf.h"
#include "util/log.h"

static const char usage[] =
    "usage: ecs-tasks run --cluster C --task-definition T [options]\n"
    "       ecs-tasks invoke EVENT.json\n"
    "       ecs-tasks --help | --version\n"
    "\n"
    "Runs Amazon ECS tasks and waits for them.\n"
    "\n"
    "  run       start tasks, follow them, exit with their exit code (run --help)\n"
    "  invoke    run the Custom::ECSTask handler once on a saved CloudFormation event\n"
    "            and print the response it sent to the event's ResponseURL\n"
    "\n"
    "As the Lambda function of a Custom::ECSTask resource it runs as `bootstrap`\n"
    "(or with AWS_LAMBDA_RUNTIME_API set), without arguments, and serves the\n"
    "Runtime API.\n";

static int is_runtime_mode(int argc, const char *argv0)
{
    if (argc > 1)
        return 0;
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
    log_set_one_line_per_message(1);
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

/* `ecs-tasks invoke EVENT.json`: one local run of the handler. */
static int run_invoke(int argc, char **argv)
{
    static const char invoke_usage[] =
        "usage: ecs-tasks invoke EVENT.json\n\n"
        "Runs the Custom::ECSTask handler once on a saved CloudFormation event, sends the\n"
        "response to its ResponseURL and prints it (log lines go to stderr).\n";
    if (argc == 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
        fputs(invoke_usage, stdout);
        return 0;
    }
    if (argc != 3) {
        fputs(invoke_usage, stderr);
        return 2;
    }
    buf event;
    buf_init(&event, 1u << 20); /* four times what Lambda accepts as an event */
    if (buf_append_file(&event, argv[2]) != 0) {
        fprintf(stderr, "ecs-tasks invoke: cannot read %s (or it is over 1 MiB)\n", argv[2]);
        buf_free(&event);
        return 2;
    }
    /* stdout is for the response; the handler's log lines go to stderr. */
    log_set_output(stderr);
    char why[512];
    cfn_handler *h = cfn_handler_new(why, sizeof why);
    if (!h) {
        fprintf(stderr, "ecs-tasks invoke: %s\n", why);
        buf_free(&event);
        return 1;
    }
    lambda_invocation inv = {.request_id = "local-invoke",
                             .function_arn = "",
                             .trace_id = "",
                             .event = buf_cstr(&event),
                             .event_len = event.len};
    lambda_result result = {.ok = 0};
    buf_init(&result.response, 1u << 20);
    cfn_handler_invoke(&inv, &result, h);
    if (result.ok)
        printf("%s\n", buf_cstr(&result.response));
    else
        fprintf(stderr, "ecs-tasks invoke: %s: %s\n", result.error_type, result.error_message);
    buf_free(&result.response);
    buf_free(&event);
    cfn_handler_free(h);
    return result.ok ? 0 : 1;
}

static int run_cli(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "run"))
        return cli_run(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "invoke"))
        return run_invoke(argc, argv);
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
    if (is_runtime_mode(argc, argv[0]))
        return run_runtime();
    return run_cli(argc, argv);
}
