/* SPDX-License-Identifier: Apache-2.0 */
#include "cli/options.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/overrides.h"
#include "cli/run.h"
#include "engine/ids.h"
#include "util/arn.h"

const char options_usage[] =
    "usage: ecs-tasks run --cluster C --task-definition T [options]\n"
    "       ecs-tasks run [--cluster C] --attach TASK_ARN... [options]\n"
    "\n"
    "Starts ECS tasks, follows them until they stop and exits with their exit code.\n"
    "\n"
    "What runs:\n"
    "  --cluster C              cluster name or ARN (required; with --attach, read from\n"
    "                           the task ARNs when they name it)\n"
    "  --task-definition T      family, family:revision or ARN (required)\n"
    "  --count N                tasks to run, 0-10 (default 1)\n"
    "  --overrides JSON|@FILE   an ECS TaskOverride\n"
    "  --container NAME         the container --command and --env apply to\n"
    "  --command 'CMD ARGS'     override its command (split on spaces)\n"
    "  --env K=V                set an environment variable (repeatable)\n"
    "Where it runs:\n"
    "  --launch-type T          EC2, FARGATE or EXTERNAL\n"
    "  --capacity-provider NAME[:WEIGHT[:BASE]]\n"
    "                           a capacity provider strategy item (repeatable; WEIGHT\n"
    "                           0-1000, BASE 0-100000; not with --launch-type)\n"
    "  --platform-version V     the Fargate platform version (default LATEST)\n"
    "  --subnets A,B            awsvpc subnets (Fargate)\n"
    "  --security-groups A,B    awsvpc security groups\n"
    "  --assign-public-ip       give the task a public IP (Fargate)\n"
    "  --placement-constraint TYPE[:EXPRESSION]\n"
    "                           distinctInstance, or memberOf:EXPRESSION (repeatable)\n"
    "  --placement-strategy TYPE[:FIELD]\n"
    "                           random, spread:FIELD or binpack:FIELD (repeatable)\n"
    "  --container-instance ARN start the task on this instance (StartTask; repeatable,\n"
    "                           one task each)\n"
    "  --service NAME           run like this service of the cluster: its network,\n"
    "                           launch type or capacity providers, platform version\n"
    "How the tasks are marked:\n"
    "  --started-by ID          their startedBy: 1-36 of A-Z a-z 0-9 _ -\n"
    "                           (default ecs-tasks-run-<8 hex>)\n"
    "  --group NAME             their task group\n"
    "  --tag K=V                a tag (repeatable)\n"
    "  --propagate-tags FROM    TASK_DEFINITION, SERVICE or NONE\n"
    "  --enable-ecs-managed-tags   ECS tags them with the cluster (and service)\n"
    "  --enable-execute-command    allow ECS Exec into them\n"
    "How they are followed:\n"
    "  --timeout S              seconds to wait for them, 0-3600 (default 290)\n"
    "  --poll-interval S        seconds between polls, 1-300 (default 10)\n"
    "  --check-container NAME   decide by this container (repeatable; default: essential;\n"
    "                           '*': every container)\n"
    "  --start-retries N        start again a task that failed to start for a\n"
    "                           transient reason, 0-10 times (default 2)\n"
    "  --rerun-on-interruption  start again a task a Spot interruption stopped\n"
    "  --no-stop-on-timeout     leave the tasks running when --timeout passes\n"
    "  --logs                   print the containers' CloudWatch logs (awslogs) as they come\n"
    "  --attach TASK_ARN...     follow tasks that already run (1-10, started by anyone)\n"
    "                           instead of starting any; never stops them\n"
    "What it prints:\n"
    "  --no-wait                print the task ARNs and exit 0 once they started\n"
    "  --dry-run                print the RunTask (or StartTask) request as JSON, secret\n"
    "                           values masked, and start nothing\n"
    "  --json                   one JSON document on stdout at the end: each task, its\n"
    "                           containers, the exit code (instead of the task ARNs)\n"
    "\n"
    "Ctrl-C (SIGINT) or SIGTERM stops the tasks the run started, waits up to 30 s for\n"
    "them, prints their final state and exits 130 or 143; a second signal exits at\n"
    "once. --attach detaches instead; --no-wait stops nothing.\n"
    "With GITHUB_ACTIONS=true: outputs task-arn, task-arns and exit-code in\n"
    "$GITHUB_OUTPUT, --logs grouped per task, a failure as an ::error:: annotation.\n"
    "\n"
    "exit codes: 0 success; the first non-zero container exit code; 124 timeout;\n"
    "125 failed to start, stopped without an exit code, or AWS refused; 2 usage;\n"
    "130 cancelled by SIGINT; 143 cancelled by SIGTERM.\n";

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
    OPT_CAPACITY,
    OPT_PLATFORM,
    OPT_TAG,
    OPT_PROPAGATE,
    OPT_EXEC,
    OPT_MANAGED_TAGS,
    OPT_STARTED_BY,
    OPT_GROUP,
    OPT_CONSTRAINT,
    OPT_STRATEGY,
    OPT_INSTANCE,
    OPT_ATTACH,
    OPT_DRY_RUN,
    OPT_JSON,
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
    {"capacity-provider", required_argument, NULL, OPT_CAPACITY},
    {"platform-version", required_argument, NULL, OPT_PLATFORM},
    {"tag", required_argument, NULL, OPT_TAG},
    {"propagate-tags", required_argument, NULL, OPT_PROPAGATE},
    {"enable-execute-command", no_argument, NULL, OPT_EXEC},
    {"enable-ecs-managed-tags", no_argument, NULL, OPT_MANAGED_TAGS},
    {"started-by", required_argument, NULL, OPT_STARTED_BY},
    {"group", required_argument, NULL, OPT_GROUP},
    {"placement-constraint", required_argument, NULL, OPT_CONSTRAINT},
    {"placement-strategy", required_argument, NULL, OPT_STRATEGY},
    {"container-instance", required_argument, NULL, OPT_INSTANCE},
    {"attach", required_argument, NULL, OPT_ATTACH},
    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
    {"json", no_argument, NULL, OPT_JSON},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0}};

/* The options given as a scalar property, by option. */
static const char *const scalar_properties[] = {[OPT_CLUSTER] = "Cluster",
                                                [OPT_TD] = "TaskDefinition",
                                                [OPT_COUNT] = "Count",
                                                [OPT_TIMEOUT] = "Timeout",
                                                [OPT_POLL] = "PollInterval",
                                                [OPT_LAUNCH] = "LaunchType",
                                                [OPT_SERVICE] = "Service",
                                                [OPT_START_RETRIES] = "StartRetries",
                                                [OPT_PLATFORM] = "PlatformVersion",
                                                [OPT_PROPAGATE] = "PropagateTags",
                                                [OPT_GROUP] = "Group"};

/* --- messages ------------------------------------------------------------ */

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "ecs-tasks run: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(see ecs-tasks run --help)\n");
    return CLI_EXIT_USAGE;
}

/* --- values with a syntax of their own ------------------------------------ */

static json_t *split(const char *s, const char *seps)
{
    json_t *list = json_array();
    char *copy = strdup(s), *save = NULL;
    for (char *p = copy ? strtok_r(copy, seps, &save) : NULL; p; p = strtok_r(NULL, seps, &save))
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

/* The awsvpc configuration of the properties, created when absent. Borrowed. */
static json_t *network(json_t *props)
{
    json_t *nc = json_object_get(props, "NetworkConfiguration");
    if (!nc) {
        nc = json_pack("{s:{}}", "AwsvpcConfiguration");
        json_object_set_new(props, "NetworkConfiguration", nc);
    }
    return json_object_get(nc, "AwsvpcConfiguration");
}

/* Appends value (stolen) to the list property `name`, created when absent. */
static void append_to(json_t *props, const char *name, json_t *value)
{
    json_t *list = json_object_get(props, name);
    if (!list) {
        list = json_array();
        json_object_set_new(props, name, list);
    }
    json_array_append_new(list, value);
}

/* A whole decimal number from lo to hi. */
static int number_in(const char *s, long lo, long hi, long *out)
{
    char *end = NULL;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (!*s || *end || errno || n < lo || n > hi)
        return -1;
    *out = n;
    return 0;
}

/* NAME[:WEIGHT[:BASE]] as a capacity provider strategy item. */
static json_t *capacity_item(const char *arg)
{
    char copy[512];
    if (snprintf(copy, sizeof copy, "%s", arg) >= (int)sizeof copy)
        return NULL;
    char *weight = strchr(copy, ':'), *base = NULL;
    if (weight) {
        *weight++ = '\0';
        base = strchr(weight, ':');
        if (base)
            *base++ = '\0';
    }
    long w = 0, b = 0;
    if (!copy[0] || (weight && number_in(weight, 0, 1000, &w) != 0) ||
        (base && number_in(base, 0, 100000, &b) != 0))
        return NULL;
    json_t *item = json_pack("{s:s}", "capacityProvider", copy);
    if (weight)
        json_object_set_new(item, "weight", json_integer(w));
    if (base)
        json_object_set_new(item, "base", json_integer(b));
    return item;
}

/* K=V as {k: K, v: V} (keys named by the caller); NULL when there is no '='
 * or K is empty. */
static json_t *pair(const char *arg, const char *k, const char *v)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg)
        return NULL;
    return json_pack("{s:s%, s:s}", k, arg, (size_t)(eq - arg), v, eq + 1);
}

/* TYPE[:REST] as {type: TYPE, key: REST} when TYPE is one of `types`
 * ("name" takes no REST, "name:" needs one). */
static json_t *typed(const char *arg, const char *const *types, const char *key)
{
    size_t n = strcspn(arg, ":");
    const char *rest = arg[n] ? arg + n + 1 : NULL;
    for (const char *const *t = types; *t; t++) {
        size_t len = strcspn(*t, ":");
        int wants_rest = (*t)[len] == ':';
        if (len != n || strncmp(arg, *t, n) != 0 || wants_rest != (rest != NULL) ||
            (rest && !*rest))
            continue;
        json_t *item = json_pack("{s:s%}", "type", arg, n);
        if (rest)
            json_object_set_new(item, key, json_string(rest));
        return item;
    }
    return NULL;
}

static int started_by_ok(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n <= IDS_STARTED_BY_LEN &&
           strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

/* --- one option ------------------------------------------------------------ */

/* The options whose value has a syntax of their own. Returns -1 to go on, or
 * an exit code. */
static int parse_item(int c, const char *arg, run_options *o)
{
    static const char *const constraints[] = {"distinctInstance", "memberOf:", NULL};
    static const char *const strategies[] = {"random", "spread:", "binpack:", NULL};
    json_t *item;
    switch (c) {
    case OPT_CAPACITY:
        if (!(item = capacity_item(arg)))
            return usage_error("--capacity-provider: '%s' is not allowed (NAME[:WEIGHT[:BASE]], "
                               "WEIGHT 0-1000, BASE 0-100000)",
                               arg);
        append_to(o->props, "CapacityProviderStrategy", item);
        return -1;
    case OPT_TAG:
        if (!(item = pair(arg, "key", "value")))
            return usage_error("--tag: '%s' is not K=V", arg);
        append_to(o->props, "Tags", item);
        return -1;
    case OPT_CONSTRAINT:
        if (!(item = typed(arg, constraints, "expression")))
            return usage_error("--placement-constraint: '%s' is not allowed (distinctInstance, "
                               "or memberOf:EXPRESSION)",
                               arg);
        append_to(o->props, "PlacementConstraints", item);
        return -1;
    case OPT_STRATEGY:
        if (!(item = typed(arg, strategies, "field")))
            return usage_error("--placement-strategy: '%s' is not allowed (random, spread:FIELD "
                               "or binpack:FIELD)",
                               arg);
        append_to(o->props, "PlacementStrategy", item);
        return -1;
    case OPT_ENV:
        if (!(item = pair(arg, "name", "value")))
            return usage_error("--env %s is not K=V", arg);
        json_array_append_new(o->environment, item);
        return -1;
    case OPT_STARTED_BY:
        if (!started_by_ok(arg))
            return usage_error("--started-by: '%s' is not allowed (1 to 36 characters of A-Z, "
                               "a-z, 0-9, _ and -)",
                               arg);
        o->started_by = arg;
        return -1;
    case OPT_ATTACH:
        if (o->n_attach == RUN_MAX_TASKS)
            return usage_error("--attach: at most %s tasks", "10");
        o->attach[o->n_attach++] = arg;
        return -1;
    default:
        return -2; /* not one of these */
    }
}

/* Returns -1 to go on, or an exit code. */
static int parse_one(int c, char *arg, run_options *o)
{
    if (c > 0 && c < (int)(sizeof scalar_properties / sizeof scalar_properties[0]) &&
        scalar_properties[c]) {
        json_object_set_new(o->props, scalar_properties[c], json_string(arg));
        return -1;
    }
    int rc = parse_item(c, arg, o);
    if (rc != -2)
        return rc;
    switch (c) {
    case OPT_OVERRIDES: {
        json_t *ov = load_overrides(arg);
        if (!ov)
            return usage_error("--overrides %s is not a JSON object (or @FILE holding one)", arg);
        json_object_set_new(o->props, "Overrides", ov);
        return -1;
    }
    case OPT_SUBNETS:
        json_object_set_new(network(o->props), "Subnets", split(arg, ","));
        return -1;
    case OPT_SGS:
        json_object_set_new(network(o->props), "SecurityGroups", split(arg, ","));
        return -1;
    case OPT_PUBLIC_IP:
        json_object_set_new(network(o->props), "AssignPublicIp", json_string("ENABLED"));
        return -1;
    case OPT_CONTAINER:
        o->container = arg;
        return -1;
    case OPT_COMMAND:
        json_decref(o->command);
        o->command = split(arg, " ");
        return -1;
    case OPT_CHECK:
        json_array_append_new(o->check, json_string(arg));
        return -1;
    case OPT_INSTANCE:
        append_to(o->props, "Instances", json_string(arg));
        return -1;
    case OPT_NO_WAIT:
        o->no_wait = 1;
        return -1;
    case OPT_LOGS:
        o->logs = 1;
        return -1;
    case OPT_JSON:
        o->json = 1;
        return -1;
    case OPT_DRY_RUN:
        o->dry_run = 1;
        return -1;
    case OPT_NO_STOP:
        json_object_set_new(o->props, "StopOnTimeout", json_false());
        return -1;
    case OPT_RERUN:
        json_object_set_new(o->props, "RerunOnInterruption", json_true());
        return -1;
    case OPT_EXEC:
        json_object_set_new(o->props, "EnableExecuteCommand", json_true());
        return -1;
    case OPT_MANAGED_TAGS:
        json_object_set_new(o->props, "EnableECSManagedTags", json_true());
        return -1;
    case OPT_HELP:
        fputs(options_usage, stdout);
        return 0;
    default:
        return CLI_EXIT_USAGE;
    }
}

/* --- what goes with what --------------------------------------------------- */

static const char *option_of(int c)
{
    for (const struct option *opt = long_options; opt->name; opt++)
        if (opt->val == c)
            return opt->name;
    return "?";
}

static int given(const run_options *o, int c)
{
    return (o->given >> c) & 1u;
}

/* --attach starts nothing: it takes only what follows and prints. Its
 * cluster is the one its task ARNs name, unless --cluster says it. */
static int check_attach(run_options *o)
{
    static const int follow_only[] = {OPT_CLUSTER, OPT_TIMEOUT, OPT_POLL,   OPT_CHECK,
                                      OPT_LOGS,    OPT_JSON,    OPT_ATTACH, OPT_NO_STOP};
    for (int c = 1; c < OPT_HELP; c++) {
        int allowed = 0;
        for (size_t i = 0; i < sizeof follow_only / sizeof follow_only[0]; i++)
            allowed |= follow_only[i] == c;
        if (given(o, c) && !allowed)
            return usage_error("--attach: --%s does not apply (--attach starts nothing)",
                               option_of(c));
    }
    char cluster[256] = "";
    for (size_t i = 0; i < o->n_attach; i++) {
        char named[256];
        if (!arn_is_ecs_task(o->attach[i]) || strlen(o->attach[i]) >= RUN_ARN_MAX)
            return usage_error("--attach: '%s' is not a task ARN "
                               "(arn:aws:ecs:REGION:ACCOUNT:task/CLUSTER/ID)",
                               o->attach[i]);
        if (given(o, OPT_CLUSTER))
            continue;
        if (arn_ecs_task_cluster(o->attach[i], named, sizeof named) != 0)
            return usage_error("--cluster: required with --attach %s (the ARN does not name "
                               "its cluster)",
                               o->attach[i]);
        if (cluster[0] && strcmp(cluster, named) != 0)
            return usage_error("--attach: the tasks are in different clusters (%s...): attach "
                               "to one cluster's tasks at a time",
                               cluster);
        snprintf(cluster, sizeof cluster, "%s", named);
    }
    if (cluster[0])
        json_object_set_new(o->props, "Cluster", json_string(cluster));
    json_object_set_new(o->props, "TaskDefinition", json_string(OPTIONS_ATTACHED_TD));
    json_object_set_new(o->props, "StartRetries", json_integer(0));
    json_object_set_new(o->props, "StopOnTimeout", json_false());
    return -1;
}

/* Combinations refused before anything else is checked. Returns -1 to go
 * on, or an exit code. */
static int check_combinations(run_options *o)
{
    if (o->n_attach)
        return check_attach(o);
    if (given(o, OPT_CAPACITY) && given(o, OPT_LAUNCH))
        return usage_error("%s and --launch-type exclude each other (ECS takes one)",
                           "--capacity-provider");
    if ((o->command || json_array_size(o->environment)) && !o->container) {
        fprintf(stderr, "ecs-tasks run: --command and --env need --container NAME\n");
        return CLI_EXIT_USAGE;
    }
    if (o->container && overrides_merge(o->props, o->container, o->command, o->environment) != 0)
        return usage_error("%s: out of memory", "--container");
    if (!json_object_get(o->props, "Count"))
        json_object_set_new(o->props, "Count", json_string("1"));
    return -1;
}

int options_parse(int argc, char **argv, run_options *o)
{
    memset(o, 0, sizeof *o);
    o->props = json_object();
    o->environment = json_array();
    o->check = json_array();
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
        if (c <= 0 || c > OPT_HELP)
            return usage_error("unknown or incomplete option %s", argv[optind - 1]);
        o->given |= (uint64_t)1 << c;
        int rc = parse_one(c, optarg, o);
        if (rc >= 0)
            return rc;
    }
    /* --attach A B C: the ARNs after the first are arguments. */
    for (; optind < argc && o->n_attach && o->n_attach < RUN_MAX_TASKS; optind++)
        o->attach[o->n_attach++] = argv[optind];
    if (optind < argc)
        return usage_error(o->n_attach ? "--attach: at most 10 tasks (%s is one more)"
                                       : "unexpected argument %s",
                           argv[optind]);
    if (json_array_size(o->check))
        json_object_set(o->props, "CheckContainers", o->check);
    return check_combinations(o);
}

void options_free(run_options *o)
{
    json_decref(o->props);
    json_decref(o->command);
    json_decref(o->environment);
    json_decref(o->check);
    memset(o, 0, sizeof *o);
}
