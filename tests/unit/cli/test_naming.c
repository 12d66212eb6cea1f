/* SPDX-License-Identifier: Apache-2.0 */
/* Messages about the run's properties renamed to the option typed
 * (cli/naming.c): top-level properties, nested --overrides paths, list
 * items, the awsvpc members, and what is left alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/naming.h"

static void expect(const char *given, const char *shown)
{
    char why[512];
    snprintf(why, sizeof why, "%s", given);
    naming_explain(why, sizeof why);
    assert_string_equal(why, shown);
}

static void test_option_names(void **state)
{
    (void)state;
    assert_string_equal(naming_option("Count"), "--count");
    assert_string_equal(naming_option("CapacityProviderStrategy"), "--capacity-provider");
    assert_string_equal(naming_option("Instances"), "--container-instance");
    assert_string_equal(naming_option("StopOnTimeout"), "--no-stop-on-timeout");
    assert_null(naming_option("NetworkConfiguration"));
    assert_null(naming_option("ServiceToken"));
    assert_null(naming_option("count"));
}

static void test_explain(void **state)
{
    (void)state;
    expect("Count: '11' is not allowed (an integer from 0 to 10)",
           "--count: '11' is not allowed (an integer from 0 to 10)");
    expect("Cluster: required property is missing", "--cluster: required");
    expect("Overrides.ContainerOverrides[0].Comand: unknown key (did you mean Command?)",
           "--overrides: ContainerOverrides[0].Comand: unknown key (did you mean Command?)");
    /* What props_parse_named with naming_option writes. */
    expect("--overrides.cpu: [1] is not a string", "--overrides: cpu: [1] is not a string");
    expect("CheckContainers[1]: '' is not allowed (a non-empty string)",
           "--check-container #2: '' is not allowed (a non-empty string)");
    expect("Tags[0].key: 3 is not a string", "--tag #1: key: 3 is not a string");
    expect("NetworkConfiguration.AwsvpcConfiguration.Subnets: required key is missing",
           "--subnets: required with --security-groups or --assign-public-ip (the awsvpc "
           "network configuration)");
    expect("NetworkConfiguration.AwsvpcConfiguration.SecurityGroups[0]: 1 is not a string",
           "--security-groups[0]: 1 is not a string");
    expect("NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp: 'x' is not allowed",
           "--assign-public-ip: 'x' is not allowed");
    expect("PropagateTags: 'ALL' is not allowed (one of TASK_DEFINITION, SERVICE, NONE)",
           "--propagate-tags: 'ALL' is not allowed (one of TASK_DEFINITION, SERVICE, NONE)");
    /* Left alone. */
    expect("{{resolve:ssm-secure:x}}: ParameterNotFound",
           "{{resolve:ssm-secure:x}}: ParameterNotFound");
    expect("unknown or incomplete option --x", "unknown or incomplete option --x");
    expect("Frobnicate: nothing", "Frobnicate: nothing");
    expect("", "");
    /* Cut to the room given, never past it. */
    char small[12] = "Count: '11'";
    naming_explain(small, sizeof small);
    assert_string_equal(small, "--count: '1");
}

static void test_validate(void **state)
{
    (void)state;
    ecs_props p;
    char why[512];
    json_t *j = json_loads("{\"Cluster\":\"c\",\"TaskDefinition\":\"t\",\"Overrides\":"
                           "{\"containerOverrides\":[{\"name\":\"app\",\"Comand\":[\"x\"]}]}}",
                           0, NULL);
    assert_int_equal(naming_validate(j, &p, why, sizeof why), -1);
    assert_string_equal(why, "--overrides: containerOverrides[0].Comand: unknown key (did you mean "
                             "Command?)");
    json_decref(j);
    j = json_loads("{\"Cluster\":\"c\",\"TaskDefinition\":\"t\",\"LaunchType\":\"fargate\"}", 0,
                   NULL);
    assert_int_equal(naming_validate(j, &p, why, sizeof why), -1);
    assert_true(!strncmp(why, "--launch-type: 'fargate' is not allowed", 39));
    json_decref(j);
    j = json_loads("{\"Cluster\":\"c\",\"TaskDefinition\":\"t\",\"Group\":\"g\"}", 0, NULL);
    assert_int_equal(naming_validate(j, &p, why, sizeof why), 0);
    props_free(&p);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_option_names),
        cmocka_unit_test(test_explain),
        cmocka_unit_test(test_validate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
