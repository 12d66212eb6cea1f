/* SPDX-License-Identifier: Apache-2.0 */
#include "cli/run.h"

#include <ctype.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aws/client.h"
#include "cli/follow.h"
#include "cli/term.h"
#include "engine/props.h"
#include "engine/run.h"
#include "engine/secrets.h"
#include "engine/service.h"
#include "util/arn.h"
#include "util/log.h"
#include "util/redact.h"

static const char run_usage[] =
    "usage: ecs-tasks run --cluster C --task-definition T [options]\n"
    "\n"
    "Starts ECS tasks, follows them until they stop and exits with their exit code.\n"
    "\n"
    "  --cluster C              cluster name or ARN (required)\n"
    "  --task-definition T      family, family:revision or ARN (required)\n"
    "  --count N                tasks to run, 1-10 (default 1)\n"
    "  --timeout S              seconds to wait for them, 0-3600 (default 290)\n"
    "  --poll-interval S        seconds between polls, 1-300 (default 10)\n"
    "  --overrides JSON|@FILE   an ECS TaskOverride\n"
    "  --launch-type T          EC2, FARGATE or EXTERNAL\n"
    "  --subnets A,B            awsvpc subnets (Fargate)\n"
    "  --security-groups A,B    awsvpc security groups\n"
    "  --assign-public-ip       give the task a public IP (Fargate)\n"
    "  --container NAME         the container --command and --env apply to\n"
    "  --command 'CMD ARGS'     override its command (split on spaces)\n"
    "  --env K=V                set an environment variable (repeatable)\n"
    "  --check-container NAME   decide by this container (repeatable; default: essential;\n"
    "                           '*': every container)\n"
    "  --service NAME           run like this service of the cluster: its network,\n"
    "                           launch type or capacity providers, platform version\n"
    "  --start-retries N        start again a task that failed to start for a\n"
    "                           transient reason, 0-10 times (default 2)\n"
    "  --rerun-on-interruption  start again a task a Spot interruption stopped\n"
    "  --no-wait                print the task ARNs and exit 0 once they started\n"
    "  --logs                   print the containers' CloudWatch logs (awslogs) as they come\n"
    "  --no-stop-on-timeout     leave the tasks running when --timeout passes\n"
    "\n"
    "exit codes: 0 success; the first non-zero container exit code; 124 timeout;\n"
    "125 failed to start, stopped without an exit code, or AWS refused; 2 usage.\n";

typedef struct run_options {
    json_t *props; /* CloudFormation-shaped properties, validated by props_parse */
    const char *container;
    json_t *command;     /* array or NULL */
    json_t *environment; /* array of {name, value} */
    json_t *check;       /* array of names or NULL */
    int no_wait;
    int logs;
} run_options;

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "ecs-tasks run: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(see ecs-tasks run --help)\n");
    return CLI_EXIT_USAGE;
}

static json_t *split(const char *s, const char *seps)
{
    json_t *list = json_array();
    char *copy = strdup(s), *save = NULL;
    for (char *p = strtok_r(copy, seps, &save); p; p = strtok_r(NULL, seps, &save))
        json_array_append_new(list, json_string(p));
    free(copy);
    return list;
}

static json_t *load_overrides(const char *arg)
{
    json_error_t err;
    json_t *j = arg[0] == '@' ? json_load_file(arg + 1, 0, &err) : json_loads(arg, 0, &err);
    if (!json_is_object(j)) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static json_t *network(json_t *props)
{
    json_t *nc = json_object_get(props, "NetworkConfiguration");
    if (!nc) {
        nc = json_pack("{s:{}}", "AwsvpcConfiguration");
        json_object_set_new(props, "NetworkConfiguration", nc);
    }
    return json_object_get(nc, "AwsvpcConfiguration");
}

/* --- --container, --command and --env merged into --overrides ------------ */

/* A member of an object from the user, whose keys may be camelCase or
 * PascalCase: `camel` ("environment") or its PascalCase twin. Borrowed. */
static json_t *member_either(json_t *obj, const char *camel)
{
    json_t *v = json_object_get(obj, camel);
    if (v || !json_is_object(obj))
        return v;
    char pascal[64];
    snprintf(pascal, sizeof pascal, "%s", camel);
    pascal[0] = (char)toupper((unsigned char)pascal[0]);
    return json_object_get(obj, pascal);
}

/* Sets `camel` in obj, written as obj's "name" is written (Name: PascalCase),
 * removing the other spelling so that the value is given once. */
static void set_either(json_t *obj, const char *camel, json_t *value)
{
    char pascal[64];
    snprintf(pascal, sizeof pascal, "%s", camel);
    pascal[0] = (char)toupper((unsigned char)pascal[0]);
    int is_pascal = json_object_get(obj, "Name") != NULL;
    json_object_del(obj, is_pascal ? camel : pascal);
    json_object_set_new(obj, is_pascal ? pascal : camel, value);
}

/* The element of `list` whose name is `name` (the first, if several); NULL
 * when none. */
static json_t *named_entry(json_t *list, const char *name)
{
    size_t i;
    json_t *entry;
    json_array_foreach(list, i, entry)
    {
        const char *n = json_string_value(member_either(entry, "name"));
        if (n && !strcmp(n, name))
            return entry;
    }
    return NULL;
}

/* --env NAME=VALUE into a container's environment: replaces the value of a
 * variable of that name, or adds one. */
static void set_variable(json_t *environment, const json_t *variable)
{
    const char *name = json_string_value(json_object_get(variable, "name"));
    json_t *value = json_object_get(variable, "value");
    json_t *given = named_entry(environment, name);
    if (given)
        set_either(given, "value", json_copy(value));
    else
        json_array_append_new(environment, json_deep_copy(variable));
}

/* --command replaces the entry's command; --env variables join its
 * environment. A member that is not a list is left for the validation of the
 * overrides to refuse (with its path), rather than overwritten. */
static void merge_into(json_t *entry, const run_options *o)
{
    if (o->command)
        set_either(entry, "command", json_deep_copy(o->command));
    if (!json_array_size(o->environment))
        return;
    json_t *environment = member_either(entry, "environment");
    if (!environment) {
        environment = json_array();
        set_either(entry, "environment", environment);
    }
    if (!json_is_array(environment))
        return;
    size_t i;
    json_t *variable;
    json_array_foreach(o->environment, i, variable)
    {
        set_variable(environment, variable);
    }
}

/* Merges --container/--command/--env into the overrides: into the
 * --overrides entry of that container when there is one (ECS takes one
 * override per container, and a second would drop the first's other
 * members), otherwise into a new entry. Other containers' entries stay. */
static int apply_container_override(run_options *o)
{
    if (!o->command && !json_array_size(o->environment))
        return 0;
    if (!o->container) {
        fprintf(stderr, "ecs-tasks run: --command and --env need --container NAME\n");
        return -1;
    }
    json_t *ov = json_object_get(o->props, "Overrides");
    if (!ov) {
        ov = json_object();
        json_object_set_new(o->props, "Overrides", ov);
    }
    json_t *list = member_either(ov, "containerOverrides");
    if (!list) {
        list = json_array();
        json_object_set_new(ov, "containerOverrides", list);
    }
    if (!json_is_array(list))
        return 0;
    json_t *entry = named_entry(list, o->container);
    if (!entry) {
        entry = json_pack("{s:s}", "name", o->container);
        json_array_append_new(list, entry);
    }
    merge_into(entry, o);
    return 0;
}

enum {
    OPT_CLUSTER = 1,
    OPT_TD,
    OPT_COUNT,
    OPT_TIMEOUT,
    OPT_POLL,
    OPT_OVERRIDES,
    OPT_LAUNCH,
    OPT_SUBNETS,
    OPT_SGS,
    OPT_PUBLIC_IP,
    OPT_CONTAINER,
    OPT_COMMAND,
    OPT_ENV,
    OPT_CHECK,
    OPT_NO_WAIT,
    OPT_NO_STOP,
    OPT_LOGS,
    OPT_SERVICE,
    OPT_START_RETRIES,
    OPT_RERUN,
    OPT_HELP
};

static const struct option long_options[] = {
    {"cluster", required_argument, NULL, OPT_CLUSTER},
    {"task-definition", required_argument, NULL, OPT_TD},
    {"count", required_argument, NULL, OPT_COUNT},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"poll-interval", required_argument, NULL, OPT_POLL},
    {"overrides", required_argument, NULL, OPT_OVERRIDES},
    {"launch-type", required_argument, NULL, OPT_LAUNCH},
    {"subnets", required_argument, NULL, OPT_SUBNETS},
    {"security-groups", required_argument, NULL, OPT_SGS},
    {"assign-public-ip", no_argument, NULL, OPT_PUBLIC_IP},
    {"container", required_argument, NULL, OPT_CONTAINER},
    {"command", required_argument, NULL, OPT_COMMAND},
    {"env", required_argument, NULL, OPT_ENV},
    {"check-container", required_argument, NULL, OPT_CHECK},
    {"no-wait", no_argument, NULL, OPT_NO_WAIT},
    {"no-stop-on-timeout", no_argument, NULL, OPT_NO_STOP},
    {"logs", no_argument, NULL, OPT_LOGS},
    {"service", required_argument, NULL, OPT_SERVICE},
    {"start-retries", required_argument, NULL, OPT_START_RETRIES},
    {"rerun-on-interruption", no_argument, NULL, OPT_RERUN},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0}};

/* Returns -1 to go on, or an exit code. */
static int parse_options(int argc, char **argv, run_options *o)
{
    static const char *const scalar_names[] = {
        [OPT_CLUSTER] = "Cluster", [OPT_TD] = "TaskDefinition",         [OPT_COUNT] = "Count",
        [OPT_TIMEOUT] = "Timeout", [OPT_POLL] = "PollInterval",         [OPT_LAUNCH] = "LaunchType",
        [OPT_SERVICE] = "Service", [OPT_START_RETRIES] = "StartRetries"};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
        switch (c) {
        case OPT_CLUSTER:
        case OPT_TD:
        case OPT_COUNT:
        case OPT_TIMEOUT:
        case OPT_POLL:
        case OPT_LAUNCH:
        case OPT_SERVICE:
        case OPT_START_RETRIES:
            json_object_set_new(o->props, scalar_names[c], json_string(optarg));
            break;
        case OPT_OVERRIDES: {
            json_t *ov = load_overrides(optarg);
            if (!ov)
                return usage_error("--overrides %s is not a JSON object (or @FILE holding one)",
                                   optarg);
            json_object_set_new(o->props, "Overrides", ov);
            break;
        }
        case OPT_SUBNETS:
            json_object_set_new(network(o->props), "Subnets", split(optarg, ","));
            break;
        case OPT_SGS:
            json_object_set_new(network(o->props), "SecurityGroups", split(optarg, ","));
            break;
        case OPT_PUBLIC_IP:
            json_object_set_new(network(o->props), "AssignPublicIp", json_string("ENABLED"));
            break;
        case OPT_CONTAINER:
            o->container = optarg;
            break;
        case OPT_COMMAND:
            json_decref(o->command);
            o->command = split(optarg, " ");
            break;
        case OPT_ENV: {
            const char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg)
                return usage_error("--env %s is not K=V", optarg);
            json_array_append_new(
                o->environment,
                json_pack("{s:s%, s:s}", "name", optarg, (size_t)(eq - optarg), "value", eq + 1));
            break;
        }
        case OPT_CHECK:
            if (!o->check)
                o->check = json_array();
            json_array_append_new(o->check, json_string(optarg));
            break;
        case OPT_NO_WAIT:
            o->no_wait = 1;
            break;
        case OPT_LOGS:
            o->logs = 1;
            break;
        case OPT_NO_STOP:
            json_object_set_new(o->props, "StopOnTimeout", json_false());
            break;
        case OPT_RERUN:
            json_object_set_new(o->props, "RerunOnInterruption", json_true());
            break;
        case OPT_HELP:
            fputs(run_usage, stdout);
            return 0;
        default:
            return usage_error("unknown or incomplete option %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument %s", argv[optind]);
    if (o->check)
        json_object_set(o->props, "CheckContainers", o->check);
    return apply_container_override(o) == 0 ? -1 : CLI_EXIT_USAGE;
}

/* --- progress ------------------------------------------------------------ */

typedef struct progress {
    int tty;
    log_follower *follower; /* --logs, or NULL */
    char last[RUN_MAX_TASKS][32];
    size_t n_lines; /* lines drawn by the live display */
} progress;

static void timestamp(char *out, size_t cap)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, cap, "%H:%M:%S", &tm);
}

/* Plain mode: one line per status change, naming the phase it leaves.
 * Terminal: the line of every task redrawn in place, with its phases. */
static void on_progress(void *ctx, const run_state *st, const ecs_task_set *set, int64_t elapsed_ms)
{
    (void)set;
    progress *p = ctx;
    char ts[16];
    timestamp(ts, sizeof ts);
    if (p->tty && p->n_lines)
        fprintf(stderr, "\033[%zuA", p->n_lines);
    for (size_t i = 0; i < st->n_slots; i++) {
        const run_slot *slot = &st->slots[i];
        char id[80], status[32], phases[RUN_PHASES_MAX];
        term_inline(slot->task_arn[0] ? arn_last_part(slot->task_arn) : "(waiting to start)", id,
                    sizeof id);
        term_inline(slot->status[0] ? slot->status : "WAITING", status, sizeof status);
        term_inline(slot->phases, phases, sizeof phases);
        if (p->tty)
            fprintf(stderr, "\r\033[2Ktask %s  %-14s %6.1fs%s%s%s\n", id, status,
                    (double)elapsed_ms / 1000.0, phases[0] ? "  (" : "", phases,
                    phases[0] ? ")" : "");
        else if (strcmp(p->last[i], status) != 0)
            fprintf(stderr, "%s task %s %s (%.0fs)%s%s%s\n", ts, id, status,
                    (double)elapsed_ms / 1000.0, phases[0] ? " after " : "", phases, "");
        snprintf(p->last[i], sizeof p->last[i], "%s", status);
    }
    if (p->tty)
        p->n_lines = st->n_slots;
    fflush(stderr);
    if (p->follower) {
        follow_poll(p->follower, set);
        p->n_lines = 0; /* log lines scrolled the live display away */
    }
}

/* --- the run ------------------------------------------------------------- */

static int exit_code_of(const run_result *res)
{
    switch (res->failure) {
    case RUN_FAIL_NONE:
        return 0;
    case RUN_FAIL_EXIT_CODE:
        return res->exit_code > 0 && res->exit_code < 256 ? res->exit_code : 1;
    case RUN_FAIL_TIMEOUT:
        return CLI_EXIT_TIMEOUT;
    default:
        return CLI_EXIT_FAILED;
    }
}

static void random_token(char *out, size_t cap)
{
    FILE *f = fopen("/dev/urandom", "rb");
    unsigned char bytes[16] = {0};
    if (f) {
        if (fread(bytes, 1, sizeof bytes, f) != sizeof bytes)
            bytes[0] ^= (unsigned char)getpid();
        fclose(f);
    }
    for (size_t i = 0; i < sizeof bytes && 2 * i + 2 < cap; i++)
        snprintf(out + 2 * i, 3, "%02x", bytes[i]);
}

/* Prints a failure, masked, with its whole log tail, its lines indented
 * behind a visible mark (cli/term.h). */
static void report(const redactor *r, const reason *why)
{
    char *text = reason_compose(why, r, 0);
    term_print(stderr, "ecs-tasks run: ", "  | ", text ? text : "(out of memory)");
    free(text);
}

static int execute(aws_client *aws, const ecs_props *props, const redactor *r, int no_wait,
                   int logs)
{
    progress p = {.tty = isatty(STDERR_FILENO)};
    if (logs && !no_wait)
        p.follower = follow_new(aws, props->task_definition, r, stdout);
    run_env env = {.aws = aws,
                   .clock = clk_system(),
                   .progress = on_progress,
                   .progress_ctx = &p,
                   .stop_reason = "ecs-tasks run: --timeout passed",
                   .redactor = r};
    run_state st = {.first_receipt_ms = clk_now(env.clock)};
    random_token(st.client_token, sizeof st.client_token);
    snprintf(st.started_by, sizeof st.started_by, "ecs-tasks-run-%.8s", st.client_token);
    run_result res = {0};
    int code;
    if (run_start(&env, props, &st, &res) != RUN_SUCCESS) {
        report(r, &res.why);
        code = CLI_EXIT_FAILED;
    } else {
        const char *arns[RUN_MAX_TASKS];
        size_t n = run_state_arns(&st, arns);
        for (size_t i = 0; i < n; i++) {
            char arn[RUN_ARN_MAX];
            term_inline(arns[i], arn, sizeof arn);
            printf("%s\n", arn);
        }
        fflush(stdout);
        code = 0;
        if (!no_wait) {
            run_wait(&env, props, &st, 0, &res);
            code = exit_code_of(&res);
            if (res.status == RUN_FAILED)
                report(r, &res.why);
            else
                fprintf(stderr, "ecs-tasks run: success (exit code %d)\n", res.exit_code);
        }
    }
    run_result_free(&res);
    follow_free(p.follower);
    return code;
}

/* Validates the options' properties, resolves their secrets and runs. */
static int load_and_execute(const json_t *raw, const run_options *o)
{
    ecs_props props;
    char why[2048];
    /* Usage errors first: they need no AWS configuration. */
    if (props_parse(raw, &props, why, sizeof why) != 0) {
        fprintf(stderr, "ecs-tasks run: %s\n(see ecs-tasks run --help)\n", why);
        return CLI_EXIT_USAGE;
    }
    props_free(&props);
    aws_error err;
    redactor *r = redact_new();
    aws_client *aws = r ? aws_client_new(NULL, &err) : NULL;
    if (!aws) {
        fprintf(stderr, "ecs-tasks run: %s: %s\n", r ? err.code : "OutOfMemory",
                r ? err.message : "out of memory");
        redact_free(r);
        return CLI_EXIT_FAILED;
    }
    /* Log lines (AWS retries) go to stderr beside the progress. */
    log_set_output(stderr);
    log_set_redactor(r);
    aws_client_set_redactor(aws, r);
    json_t *resolved = NULL;
    int code;
    secrets_load_status s =
        secrets_load_props(raw, secrets_fetch_aws, aws, r, 0, &props, &resolved, why, sizeof why);
    if (s == SECRETS_INVALID) {
        fprintf(stderr, "ecs-tasks run: %s\n(see ecs-tasks run --help)\n", why);
        code = CLI_EXIT_USAGE;
    } else if (s == SECRETS_UNRESOLVED) {
        reason unresolved = {0};
        reason_set(&unresolved, "%s", why);
        report(r, &unresolved);
        reason_free(&unresolved);
        code = CLI_EXIT_FAILED;
    } else if (service_apply(aws, &props, why, sizeof why) != 0) {
        reason failed = {0};
        reason_set(&failed, "%s", why);
        report(r, &failed);
        reason_free(&failed);
        code = CLI_EXIT_FAILED;
    } else {
        code = execute(aws, &props, r, o->no_wait, o->logs);
    }
    props_free(&props);
    json_decref(resolved);
    aws_client_free(aws);
    log_set_redactor(NULL);
    redact_free(r);
    return code;
}

int cli_run(int argc, char **argv)
{
    run_options o = {.props = json_object(), .environment = json_array()};
    int code = parse_options(argc, argv, &o);
    if (code < 0) {
        if (!json_object_get(o.props, "Count"))
            json_object_set_new(o.props, "Count", json_string("1"));
        code = load_and_execute(o.props, &o);
    }
    json_decref(o.props);
    json_decref(o.command);
    json_decref(o.environment);
    json_decref(o.check);
    return code;
}
