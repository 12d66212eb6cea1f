/* SPDX-License-Identifier: Apache-2.0 */
#include "cli/naming.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Property -> option, for messages (naming_option). */
static const struct {
    const char *property;
    const char *option;
} option_names[] = {
    {"Cluster", "--cluster"},
    {"TaskDefinition", "--task-definition"},
    {"Count", "--count"},
    {"Timeout", "--timeout"},
    {"PollInterval", "--poll-interval"},
    {"Overrides", "--overrides"},
    {"LaunchType", "--launch-type"},
    {"CheckContainers", "--check-container"},
    {"Service", "--service"},
    {"StartRetries", "--start-retries"},
    {"RerunOnInterruption", "--rerun-on-interruption"},
    {"StopOnTimeout", "--no-stop-on-timeout"},
    {"CapacityProviderStrategy", "--capacity-provider"},
    {"PlatformVersion", "--platform-version"},
    {"Tags", "--tag"},
    {"PropagateTags", "--propagate-tags"},
    {"EnableExecuteCommand", "--enable-execute-command"},
    {"EnableECSManagedTags", "--enable-ecs-managed-tags"},
    {"Group", "--group"},
    {"PlacementConstraints", "--placement-constraint"},
    {"PlacementStrategy", "--placement-strategy"},
    {"Instances", "--container-instance"},
};

const char *naming_option(const char *property)
{
    for (size_t i = 0; i < sizeof option_names / sizeof option_names[0]; i++)
        if (!strcmp(option_names[i].property, property))
            return option_names[i].option;
    return NULL;
}

/* Replaces why[0..n) by `with`. */
static void replace_head(char *why, size_t cap, size_t n, const char *with)
{
    char rest[2048];
    snprintf(rest, sizeof rest, "%s", why + n);
    snprintf(why, cap, "%s%s", with, rest);
}

/* The awsvpc members the network options set, and messages about them. */
static const struct {
    const char *path;
    const char *shown;
} network_paths[] = {
    {"NetworkConfiguration.AwsvpcConfiguration.Subnets: required key is missing",
     "--subnets: required with --security-groups or --assign-public-ip (the awsvpc network "
     "configuration)"},
    {"NetworkConfiguration.AwsvpcConfiguration.Subnets", "--subnets"},
    {"NetworkConfiguration.AwsvpcConfiguration.SecurityGroups", "--security-groups"},
    {"NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp", "--assign-public-ip"},
    {"NetworkConfiguration", "--subnets/--security-groups/--assign-public-ip"},
};

/* "--tag[1].key: x" -> "--tag #2: key: x"; "--overrides.cpu: x" -> "--overrides: cpu: x". */
static void explain_nested(char *why, size_t cap)
{
    size_t n = strcspn(why, ".[:");
    if (strncmp(why, "--", 2) != 0 || why[n] == ':' || !why[n])
        return;
    char head[128];
    if (why[n] == '.') {
        snprintf(head, sizeof head, "%.*s: ", (int)n, why);
        replace_head(why, cap, n + 1, head);
        return;
    }
    char *end = NULL;
    unsigned long index = strtoul(why + n + 1, &end, 10);
    if (!end || *end != ']')
        return;
    size_t skip = (size_t)(end + 1 - why) + (end[1] == '.');
    snprintf(head, sizeof head, "%.*s #%lu%s", (int)n, why, index + 1, end[1] == '.' ? ": " : "");
    replace_head(why, cap, skip, head);
}

void naming_explain(char *why, size_t cap)
{
    for (size_t i = 0; i < sizeof network_paths / sizeof network_paths[0]; i++) {
        size_t n = strlen(network_paths[i].path);
        if (!strncmp(why, network_paths[i].path, n)) {
            replace_head(why, cap, n, network_paths[i].shown);
            return;
        }
    }
    size_t n = strcspn(why, ":.[");
    char property[64];
    if (n > 0 && n < sizeof property && why[n]) {
        memcpy(property, why, n);
        property[n] = '\0';
        const char *shown = naming_option(property);
        if (shown)
            replace_head(why, cap, n, shown);
    }
    size_t len = strlen(why), tail = strlen(": required property is missing");
    if (!strncmp(why, "--", 2) && len > tail &&
        !strcmp(why + len - tail, ": required property is missing"))
        snprintf(why + len - tail, cap - (len - tail), ": required");
    explain_nested(why, cap);
}

int naming_validate(const json_t *props, ecs_props *out, char *why, size_t cap)
{
    if (props_parse_named(props, naming_option, out, why, cap) == 0)
        return 0;
    naming_explain(why, cap);
    return -1;
}
