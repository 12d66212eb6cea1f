/* SPDX-License-Identifier: Apache-2.0 */
/* Property validation (README: Resource properties); the coercion itself is
 * tested in test_coerce.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "engine/props.h"

static json_t *props_from(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    if (!j)
        fail_msg("bad test JSON: %s", e.text);
    return j;
}

static int parse(const char *text, ecs_props *p, char *why, size_t cap, json_t **holder)
{
    *holder = props_from(text);
    return props_parse(*holder, p, why, cap);
}

static void test_defaults(void **state)
{
    (void)state;
    ecs_props p;
    char why[512];
    json_t *j;
    assert_int_equal(parse("{\"ServiceToken\":\"arn\",\"Cluster\":\"c\",\"TaskDefinition\":\"td\"}",
                           &p, why, sizeof why, &j),
                     0);
    assert_string_equal(p.cluster, "c");
    assert_string_equal(p.task_definition, "td");
    assert_int_equal(p.count, 1);
    assert_int_equal(p.timeout_s, 290);
    assert_int_equal(p.poll_interval_s, 10);
    assert_true(p.run_on_update);
    assert_true(p.run_on_rollback);
    assert_true(p.stop_on_timeout);
    assert_null(p.instances);
    assert_null(p.check_containers);
    assert_null(p.update_criteria);
    assert_int_equal(json_object_size(p.run_task), 0);
    props_free(&p);
    json_decref(j);
}

static void test_string_forms(void **state)
{
    (void)state;
    ecs_props p;
    char why[512];
    json_t *j;
    assert_int_equal(parse("{\"Cluster\":\"c\",\"TaskDefinition\":\"td\",\"Count\":\"3\","
                           "\"Timeout\":\"0\",\"PollInterval\":\"300\",\"RunOnUpdate\":\"no\","
                           "\"RunOnRollback\":\"FALSE\",\"StopOnTimeout\":\"Yes\"}",
                           &p, why, sizeof why, &j),
                     0);
    assert_int_equal(p.count, 3);
    assert_int_equal(p.timeout_s, 0);
    assert_int_equal(p.poll_interval_s, 300);
    assert_false(p.run_on_update);
    assert_false(p.run_on_rollback);
    assert_true(p.stop_on_timeout);
    props_free(&p);
    json_decref(j);
}

static void expect_error(const char *text, const char *message)
{
    ecs_props p;
    char why[1024];
    json_t *j;
    assert_int_equal(parse(text, &p, why, sizeof why, &j), -1);
    if (!strstr(why, message))
        fail_msg("expected '%s' in '%s'", message, why);
    props_free(&p);
    json_decref(j);
}

static void test_validation_messages(void **state)
{
    (void)state;
    expect_error("{\"TaskDefinition\":\"td\"}", "Cluster: required property is missing");
    expect_error("{\"Cluster\":\"\",\"TaskDefinition\":\"td\"}",
                 "Cluster: '' is not allowed (a non-empty string)");
    expect_error("{\"Cluster\":\"c\"}", "TaskDefinition: required property is missing");
    expect_error("{\"Cluster\":\"c\",\"TaskDefinition\":\"td\",\"Count\":\"11\"}",
                 "Count: '11' is not allowed (an integer from 0 to 10)");
    expect_error("{\"Cluster\":\"c\",\"TaskDefinition\":\"td\",\"Count\":-1}",
                 "Count: -1 is not allowed (an integer from 0 to 10)");
    expect_error("{\"Cluster\":\"c\",\"TaskDefinition\":\"td\",\"Timeout\":\"3601\"}",
                 "Timeout: '3601' is not allowed (an integer from 0 to 3600)");
    expect_error("{\"Cluster\":\"c\",\"TaskDefinition\":\"td\",\"Timeout\":\"1.5\"}",
                 "Timeout: '1.5' is not allowed");
    expect_error("{\"Cluster\":\"c\",\"TaskDefinition\":\"td\",\"PollInterval\":0}",
                 "PollInterval: 0 is not allowed (an integer from 1 to 300)");
    expect_error("{\"Cluster\":\"c\",\"TaskDefinition\":\"td\",\"RunOnUpdate\":\"maybe\"}",
                 "RunOnUpdate: 'maybe' is not allowed (true, false, yes or no)");
    expect_error("{\"Cluster\":\"c\",\"TaskDefinition\":\"td\",\"StopOnTimeout\":1}",
                 "StopOnTimeout: 1 is not allowed");
    expect_error("{\"Cluster\":\"c\",\"TaskDefinition\":\"td\",\"Instances\":\"i-1\"}",
                 "Instances: 'i-1' is not allowed (a list of at most 10 strings)");
    expect_error("{\"Cluster\":\"c\",\"TaskDefinition\":\"td\",\"Instances\":"
                 "[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\"]}",
                 "Instances:");
    expect_error("{\"Cluster\":\"c\",\"TaskDefinition\":\"td\",\"CheckContainers\":[\"a\",3]}",
                 "CheckContainers[1]: 3 is not allowed (a non-empty string)");
    expect_error("{\"Cluster\":\"c\",\"TaskDefinition\":\"td\",\"Timout\":\"30\"}",
                 "Timout: unknown property");
    expect_error("{\"Cluster\":\"c\",\"TaskDefinition\":\"td\",\"UpdateCriteria\":{}}",
                 "UpdateCriteria: {} is not allowed");
    expect_error("{\"Cluster\":\"c\",\"TaskDefinition\":\"td\",\"UpdateCriteria\":"
                 "[{\"Container\":\"app\"}]}",
                 "UpdateCriteria[0].EnvironmentKeys: required");
    expect_error("{\"Cluster\":\"c\",\"TaskDefinition\":\"td\",\"Overrides\":"
                 "{\"ContainerOverrides\":[{\"Name\":\"app\",\"Memory\":\"lots\"}]}}",
                 "Overrides.ContainerOverrides[0].Memory: 'lots' is not an integer");
    expect_error("{\"Cluster\":\"c\",\"TaskDefinition\":\"td\",\"EnableExecuteCommand\":\"on\"}",
                 "EnableExecuteCommand: 'on' is not a boolean");
}

static void test_lists(void **state)
{
    (void)state;
    ecs_props p;
    char why[512];
    json_t *j;
    assert_int_equal(
        parse("{\"Cluster\":\"c\",\"TaskDefinition\":\"td\",\"Instances\":[\"a\",\"b\"],"
              "\"CheckContainers\":[\"app\"],\"UpdateCriteria\":[{\"Container\":"
              "\"app\",\"EnvironmentKeys\":[\"A\",\"B\"]}],\"Triggers\":[1,2]}",
              &p, why, sizeof why, &j),
        0);
    assert_int_equal(p.n_instances, 2);
    assert_string_equal(p.instances[1], "b");
    assert_int_equal(p.n_check_containers, 1);
    assert_string_equal(p.check_containers[0], "app");
    assert_int_equal(p.n_update_criteria, 1);
    assert_string_equal(p.update_criteria[0].container, "app");
    assert_int_equal(p.update_criteria[0].n_keys, 2);
    assert_string_equal(p.update_criteria[0].environment_keys[1], "B");
    props_free(&p);
    json_decref(j);
}

static void test_overrides_coerced(void **state)
{
    (void)state;
    ecs_props p;
    char why[512];
    json_t *j;
    assert_int_equal(
        parse("{\"Cluster\":\"c\",\"TaskDefinition\":\"td\",\"Overrides\":{\"ContainerOverrides\":"
              "[{\"Name\":\"app\",\"Command\":[\"migrate\"],\"Memory\":\"512\",\"Cpu\":\"256\","
              "\"MemoryReservation\":128,\"Environment\":[{\"Name\":\"Mode\",\"Value\":5}]}],"
              "\"Cpu\":512,\"Memory\":\"1024\",\"EphemeralStorage\":{\"SizeInGiB\":\"30\"}},"
              "\"NetworkConfiguration\":{\"AwsvpcConfiguration\":{\"Subnets\":[\"s-1\"],"
              "\"AssignPublicIp\":\"ENABLED\"}},\"EnableExecuteCommand\":\"true\","
              "\"EnableECSManagedTags\":\"no\",\"Tags\":[{\"Key\":\"k\",\"Value\":\"v\"}],"
              "\"CapacityProviderStrategy\":[{\"CapacityProvider\":\"FARGATE\",\"Weight\":\"1\","
              "\"Base\":\"0\"}],\"LaunchType\":\"FARGATE\",\"PlatformVersion\":\"LATEST\"}",
              &p, why, sizeof why, &j),
        0);
    json_t *expected = props_from(
        "{\"overrides\":{\"containerOverrides\":[{\"name\":\"app\",\"command\":[\"migrate\"],"
        "\"memory\":512,\"cpu\":256,\"memoryReservation\":128,\"environment\":[{\"name\":"
        "\"Mode\",\"value\":\"5\"}]}],\"cpu\":\"512\",\"memory\":\"1024\",\"ephemeralStorage\":"
        "{\"sizeInGiB\":30}},\"networkConfiguration\":{\"awsvpcConfiguration\":{\"subnets\":"
        "[\"s-1\"],\"assignPublicIp\":\"ENABLED\"}},\"enableExecuteCommand\":true,"
        "\"enableECSManagedTags\":false,\"tags\":[{\"key\":\"k\",\"value\":\"v\"}],"
        "\"capacityProviderStrategy\":[{\"capacityProvider\":\"FARGATE\",\"weight\":1,"
        "\"base\":0}],\"launchType\":\"FARGATE\",\"platformVersion\":\"LATEST\"}");
    if (!json_equal(p.run_task, expected)) {
        char *got = json_dumps(p.run_task, JSON_SORT_KEYS);
        fail_msg("run_task = %s", got);
    }
    json_decref(expected);
    props_free(&p);
    json_decref(j);
}

static void test_camel_case_input_kept(void **state)
{
    (void)state;
    ecs_props p;
    char why[512];
    json_t *j;
    assert_int_equal(parse("{\"Cluster\":\"c\",\"TaskDefinition\":\"td\",\"Overrides\":"
                           "{\"containerOverrides\":[{\"name\":\"app\",\"memory\":\"64\"}]}}",
                           &p, why, sizeof why, &j),
                     0);
    json_t *co = json_array_get(
        json_object_get(json_object_get(p.run_task, "overrides"), "containerOverrides"), 0);
    assert_int_equal(json_integer_value(json_object_get(co, "memory")), 64);
    props_free(&p);
    json_decref(j);
}

#define BASE "\"Cluster\":\"c\",\"TaskDefinition\":\"td\""

static void test_retries_interruption_service(void **state)
{
    (void)state;
    ecs_props p;
    char why[512];
    json_t *j;
    assert_int_equal(parse("{" BASE "}", &p, why, sizeof why, &j), 0);
    assert_int_equal(p.start_retries, 2);
    assert_int_equal(p.rerun_on_interruption, 0);
    assert_null(p.service);
    props_free(&p);
    json_decref(j);
    assert_int_equal(parse("{" BASE ",\"StartRetries\":\"0\",\"RerunOnInterruption\":\"Yes\","
                           "\"Service\":\"web\"}",
                           &p, why, sizeof why, &j),
                     0);
    assert_int_equal(p.start_retries, 0);
    assert_int_equal(p.rerun_on_interruption, 1);
    assert_string_equal(p.service, "web");
    props_free(&p);
    json_decref(j);
    assert_int_equal(parse("{" BASE ",\"StartRetries\":11}", &p, why, sizeof why, &j), -1);
    assert_string_equal(why, "StartRetries: 11 is not allowed (an integer from 0 to 10)");
    json_decref(j);
    assert_int_equal(parse("{" BASE ",\"Service\":\"\"}", &p, why, sizeof why, &j), -1);
    assert_string_equal(why, "Service: '' is not allowed (a non-empty string)");
    json_decref(j);
}

static void test_check_containers_star(void **state)
{
    (void)state;
    ecs_props p;
    char why[512];
    json_t *j;
    assert_int_equal(parse("{" BASE ",\"CheckContainers\":\"*\"}", &p, why, sizeof why, &j), 0);
    assert_int_equal(p.check_all, 1);
    props_free(&p);
    json_decref(j);
    assert_int_equal(parse("{" BASE ",\"CheckContainers\":[\"*\"]}", &p, why, sizeof why, &j), 0);
    assert_int_equal(p.check_all, 1);
    props_free(&p);
    json_decref(j);
    assert_int_equal(parse("{" BASE ",\"CheckContainers\":[\"app\"]}", &p, why, sizeof why, &j), 0);
    assert_int_equal(p.check_all, 0);
    assert_string_equal(p.check_containers[0], "app");
    props_free(&p);
    json_decref(j);
    assert_int_equal(
        parse("{" BASE ",\"CheckContainers\":[\"*\",\"app\"]}", &p, why, sizeof why, &j), -1);
    assert_non_null(strstr(why, "stands alone"));
    json_decref(j);
    assert_int_equal(parse("{" BASE ",\"CheckContainers\":\"app\"}", &p, why, sizeof why, &j), -1);
    assert_string_equal(why, "CheckContainers: 'app' is not allowed (a list of container names, "
                             "or \"*\" for every container)");
    json_decref(j);
}

/* Keys inside the pass-through objects are the ECS API's: a misspelt one is
 * refused with its path and the nearest name, before anything runs. */
static void test_nested_keys_checked(void **state)
{
    (void)state;
    ecs_props p;
    char why[512];
    json_t *j;
    assert_int_equal(parse("{" BASE ",\"Overrides\":{\"ContainerOverrides\":[{\"Name\":\"app\","
                           "\"Comand\":[\"migrate\"]}]}}",
                           &p, why, sizeof why, &j),
                     -1);
    assert_string_equal(
        why, "Overrides.ContainerOverrides[0].Comand: unknown key (did you mean Command?)");
    json_decref(j);
    assert_int_equal(parse("{" BASE ",\"NetworkConfiguration\":{\"AwsVpcConfiguration\":"
                           "{\"Subnets\":[\"s-1\"]}}}",
                           &p, why, sizeof why, &j),
                     -1);
    assert_string_equal(why, "NetworkConfiguration.AwsVpcConfiguration: unknown key (did you mean "
                             "AwsvpcConfiguration?)");
    json_decref(j);
    assert_int_equal(parse("{" BASE ",\"NetworkConfiguration\":{\"AwsvpcConfiguration\":{}}}", &p,
                           why, sizeof why, &j),
                     -1);
    assert_string_equal(
        why, "NetworkConfiguration.AwsvpcConfiguration.Subnets: required key is missing");
    json_decref(j);
    assert_int_equal(parse("{" BASE ",\"LaunchType\":\"Fargate\"}", &p, why, sizeof why, &j), -1);
    assert_string_equal(why, "LaunchType: 'Fargate' is not allowed (did you mean FARGATE?)");
    json_decref(j);
    assert_int_equal(parse("{" BASE ",\"Tags\":[{\"key\":\"a\",\"Value\":\"b\",\"Kee\":\"c\"}]}",
                           &p, why, sizeof why, &j),
                     -1);
    assert_string_equal(why, "Tags[0].Kee: unknown key (did you mean Key?)");
    json_decref(j);
    /* With Instances (StartTask) the same objects are checked the same way. */
    assert_int_equal(parse("{" BASE ",\"Instances\":[\"arn:ci\"],\"Overrides\":"
                           "{\"containerOverrides\":[{\"name\":\"app\",\"enviroment\":[]}]}}",
                           &p, why, sizeof why, &j),
                     -1);
    assert_string_equal(why, "Overrides.containerOverrides[0].enviroment: unknown key (did you "
                             "mean environment?)");
    json_decref(j);
}

static void test_run_task_members_refused_with_instances(void **state)
{
    (void)state;
    const char *members[] = {"\"LaunchType\":\"EC2\"", "\"PlatformVersion\":\"1.4.0\"",
                             "\"CapacityProviderStrategy\":[]", "\"PlacementConstraints\":[]",
                             "\"PlacementStrategy\":[]"};
    for (size_t i = 0; i < sizeof members / sizeof members[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "{" BASE ",\"Instances\":[\"arn:ci\"],%s}", members[i]);
        ecs_props p;
        char why[512];
        json_t *j;
        assert_int_equal(parse(text, &p, why, sizeof why, &j), -1);
        assert_non_null(strstr(why, "not allowed with Instances"));
        json_decref(j);
    }
    /* The message names the member, and says why. */
    ecs_props q;
    char message[512];
    json_t *k;
    assert_int_equal(parse("{" BASE ",\"Instances\":[\"arn:ci\"],\"LaunchType\":\"EC2\"}", &q,
                           message, sizeof message, &k),
                     -1);
    assert_string_equal(message, "LaunchType: not allowed with Instances (StartTask places the "
                                 "tasks on the given instances and takes no LaunchType)");
    json_decref(k);
    /* Without Instances, the same members go to RunTask. */
    assert_int_equal(parse("{" BASE ",\"LaunchType\":\"EC2\",\"PlacementStrategy\":[]}", &q,
                           message, sizeof message, &k),
                     0);
    props_free(&q);
    json_decref(k);
    /* What StartTask does take is fine. */
    ecs_props p;
    char why[512];
    json_t *j;
    assert_int_equal(parse("{" BASE ",\"Instances\":[\"arn:ci\"],\"Group\":\"g\","
                           "\"EnableExecuteCommand\":true}",
                           &p, why, sizeof why, &j),
                     0);
    props_free(&p);
    json_decref(j);
}

static const char *cli_names(const char *property)
{
    return !strcmp(property, "Count")       ? "--count"
           : !strcmp(property, "Overrides") ? "--overrides"
                                            : NULL;
}

static void test_messages_name_what_the_user_typed(void **state)
{
    (void)state;
    ecs_props p;
    char why[512];
    json_t *j = props_from("{" BASE ",\"Count\":\"11\"}");
    assert_int_equal(props_parse_named(j, cli_names, &p, why, sizeof why), -1);
    assert_string_equal(why, "--count: '11' is not allowed (an integer from 0 to 10)");
    json_decref(j);
    j = props_from("{" BASE ",\"Overrides\":{\"cpu\":[1]}}");
    assert_int_equal(props_parse_named(j, cli_names, &p, why, sizeof why), -1);
    assert_true(!strncmp(why, "--overrides.cpu: ", 17));
    json_decref(j);
    /* A property the namer does not know keeps its name. */
    j = props_from("{" BASE ",\"Timeout\":\"x\"}");
    assert_int_equal(props_parse_named(j, cli_names, &p, why, sizeof why), -1);
    assert_true(!strncmp(why, "Timeout: ", 9));
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_string_forms),
        cmocka_unit_test(test_validation_messages),
        cmocka_unit_test(test_nested_keys_checked),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_overrides_coerced),
        cmocka_unit_test(test_camel_case_input_kept),
        cmocka_unit_test(test_retries_interruption_service),
        cmocka_unit_test(test_check_containers_star),
        cmocka_unit_test(test_run_task_members_refused_with_instances),
        cmocka_unit_test(test_messages_name_what_the_user_typed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
