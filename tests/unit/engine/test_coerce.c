/* SPDX-License-Identifier: Apache-2.0 */
/* CloudFormation-shaped values into ECS shapes (engine/coerce.c): the scalar
 * parsers, camelCased keys at every depth, conversion along the RunTask
 * schema, the schema itself (members, required members, enumerations), unknown
 * keys refused with the nearest name, messages that name the path, and how
 * values are quoted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/coerce.h"
#include "util/utf8.h"

static json_t *from_text(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &e);
    if (!j)
        fail_msg("bad test JSON: %s", e.text);
    return j;
}

/* The whole RunTask pass-through schema, as props.c hands it over. */
static const coerce_field run_task = {
    .name = "", .kind = COERCE_OBJECT, .fields = COERCE_RUN_TASK_FIELDS};

static const coerce_field *member(const char *name)
{
    for (const coerce_field *f = COERCE_RUN_TASK_FIELDS; f->name; f++)
        if (!strcmp(f->name, name))
            return f;
    fail_msg("no member %s in the schema", name);
    return NULL;
}

/* Coerces text along field and compares with expected (both JSON text). */
static void expect_coerced_at(const char *text, const coerce_field *field, const char *expected,
                              int line)
{
    json_t *in = from_text(text);
    char why[512] = "";
    json_t *out = coerce_value(in, field, "P", why, sizeof why);
    if (!out)
        fail_msg("line %d: refused: %s", line, why);
    json_t *want = from_text(expected);
    if (!json_equal(out, want)) {
        char *got = json_dumps(out, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY);
        fail_msg("line %d: got %s", line, got ? got : "?");
    }
    /* The input is left as it was. */
    json_t *again = from_text(text);
    assert_true(json_equal(in, again));
    json_decref(again);
    json_decref(want);
    json_decref(out);
    json_decref(in);
}
#define expect_coerced(text, field, expected)                                                      \
    expect_coerced_at((text), (field), (expected), __LINE__)

/* Coerces text along field under path and expects the exact message. */
static void expect_refused_at(const char *text, const coerce_field *field, const char *path,
                              const char *message, int line)
{
    json_t *in = from_text(text);
    char why[512] = "";
    json_t *out = coerce_value(in, field, path, why, sizeof why);
    if (out) {
        char *got = json_dumps(out, JSON_COMPACT | JSON_ENCODE_ANY);
        fail_msg("line %d: accepted as %s", line, got ? got : "?");
    }
    if (strcmp(why, message) != 0)
        fail_msg("line %d: expected '%s', got '%s'", line, message, why);
    json_decref(in);
}
#define expect_refused(text, field, path, message)                                                 \
    expect_refused_at((text), (field), (path), (message), __LINE__)

static void test_coerce_scalars(void **state)
{
    (void)state;
    int b;
    long long n;
    json_t *v = json_string("YES");
    assert_int_equal(coerce_bool(v, &b), 0);
    assert_true(b);
    json_decref(v);
    v = json_string(" 5");
    assert_int_equal(coerce_int(v, &n), -1);
    json_decref(v);
    v = json_string("-7");
    assert_int_equal(coerce_int(v, &n), 0);
    assert_int_equal(n, -7);
    json_decref(v);
    v = json_real(1.0);
    assert_int_equal(coerce_int(v, &n), -1);
    json_decref(v);
    char out[32];
    coerce_camel_case("SizeInGiB", out, sizeof out);
    assert_string_equal(out, "sizeInGiB");
}

static void test_bool_forms(void **state)
{
    (void)state;
    const struct {
        const char *text;
        int rc, value;
    } cases[] = {
        {"true", 0, 1},    {"false", 0, 0},     {"\"true\"", 0, 1},   {"\"False\"", 0, 0},
        {"\"yes\"", 0, 1}, {"\"NO\"", 0, 0},    {"\"No\"", 0, 0},     {"\"TRUE\"", 0, 1},
        {"1", -1, 0},      {"0", -1, 0},        {"\"1\"", -1, 0},     {"\"on\"", -1, 0},
        {"\"\"", -1, 0},   {"\"yes \"", -1, 0}, {"null", -1, 0},      {"[true]", -1, 0},
        {"{}", -1, 0},     {"\"y\"", -1, 0},    {"\"truee\"", -1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *v = from_text(cases[i].text);
        int b = 42;
        int rc = coerce_bool(v, &b);
        if (rc != cases[i].rc || (rc == 0 && b != cases[i].value))
            fail_msg("coerce_bool(%s) = %d, %d", cases[i].text, rc, b);
        json_decref(v);
    }
}

static void test_int_forms(void **state)
{
    (void)state;
    const struct {
        const char *text;
        int rc;
        long long value;
    } cases[] = {
        {"0", 0, 0},
        {"512", 0, 512},
        {"-3", 0, -3},
        {"\"512\"", 0, 512},
        {"\"+5\"", 0, 5},
        {"\"-0\"", 0, 0},
        {"\"9223372036854775807\"", 0, 9223372036854775807LL},
        {"\"9223372036854775808\"", -1, 0}, /* out of range */
        {"\"\"", -1, 0},
        {"\"5 \"", -1, 0},
        {"\"\\t5\"", -1, 0},
        {"\"1.5\"", -1, 0},
        {"\"1e3\"", -1, 0},
        {"\"0x10\"", -1, 0},
        {"\"lots\"", -1, 0},
        {"1.5", -1, 0},
        {"true", -1, 0},
        {"null", -1, 0},
        {"[1]", -1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *v = from_text(cases[i].text);
        long long n = 42;
        int rc = coerce_int(v, &n);
        if (rc != cases[i].rc || (rc == 0 && n != cases[i].value))
            fail_msg("coerce_int(%s) = %d, %lld", cases[i].text, rc, n);
        json_decref(v);
    }
}

static void test_camel_case(void **state)
{
    (void)state;
    char out[64];
    const char *cases[][2] = {
        {"ContainerOverrides", "containerOverrides"},
        {"containerOverrides", "containerOverrides"},
        {"EnableECSManagedTags", "enableECSManagedTags"},
        {"X", "x"},
        {"", ""},
        {"9Lives", "9Lives"},
        {"\xc3\x89t\xc3\xa9", "\xc3\x89t\xc3\xa9"}, /* only ASCII letters change */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        coerce_camel_case(cases[i][0], out, sizeof out);
        assert_string_equal(out, cases[i][1]);
    }
    coerce_camel_case("ContainerOverrides", out, 5);
    assert_string_equal(out, "cont");
}

static void test_keys_camel_cased_at_every_depth(void **state)
{
    (void)state;
    /* Members, list elements and what is inside them: every key camelCased,
     * no value touched. */
    expect_coerced(
        "{\"Overrides\":{\"ContainerOverrides\":[{\"Name\":\"App\",\"Environment\":"
        "[{\"Name\":\"Mode\",\"Value\":\"Fast\"}],\"EnvironmentFiles\":[{\"Value\":"
        "\"arn:aws:s3:::b/Env\",\"Type\":\"s3\"}]}],\"EphemeralStorage\":{\"SizeInGiB\":30}},"
        "\"NetworkConfiguration\":{\"AwsvpcConfiguration\":{\"Subnets\":[\"Subnet-1\"],"
        "\"SecurityGroups\":[\"Sg-1\"]}},\"PlacementConstraints\":[{\"Type\":\"memberOf\","
        "\"Expression\":\"Attribute:X == Y\"}]}",
        &run_task,
        "{\"overrides\":{\"containerOverrides\":[{\"name\":\"App\",\"environment\":"
        "[{\"name\":\"Mode\",\"value\":\"Fast\"}],\"environmentFiles\":[{\"value\":"
        "\"arn:aws:s3:::b/Env\",\"type\":\"s3\"}]}],\"ephemeralStorage\":{\"sizeInGiB\":30}},"
        "\"networkConfiguration\":{\"awsvpcConfiguration\":{\"subnets\":[\"Subnet-1\"],"
        "\"securityGroups\":[\"Sg-1\"]}},\"placementConstraints\":[{\"type\":\"memberOf\","
        "\"expression\":\"Attribute:X == Y\"}]}");
}

static void test_typed_along_the_schema(void **state)
{
    (void)state;
    expect_coerced("{\"Overrides\":{\"ContainerOverrides\":[{\"Name\":\"app\",\"Memory\":\"512\","
                   "\"Cpu\":\"-1\",\"MemoryReservation\":128,\"Command\":[\"sleep\",5,true]}],"
                   "\"Cpu\":1024,\"Memory\":\"2048\",\"EphemeralStorage\":{\"SizeInGiB\":\"30\"}},"
                   "\"EnableExecuteCommand\":\"yes\",\"EnableECSManagedTags\":\"No\","
                   "\"CapacityProviderStrategy\":[{\"CapacityProvider\":\"FARGATE\","
                   "\"Weight\":\"2\",\"Base\":1}],\"Tags\":[{\"Key\":\"n\",\"Value\":1.5}],"
                   "\"PropagateTags\":\"TASK_DEFINITION\"}",
                   &run_task,
                   "{\"overrides\":{\"containerOverrides\":[{\"name\":\"app\",\"memory\":512,"
                   "\"cpu\":-1,\"memoryReservation\":128,\"command\":[\"sleep\",\"5\",\"true\"]}],"
                   "\"cpu\":\"1024\",\"memory\":\"2048\",\"ephemeralStorage\":{\"sizeInGiB\":30}},"
                   "\"enableExecuteCommand\":true,\"enableECSManagedTags\":false,"
                   "\"capacityProviderStrategy\":[{\"capacityProvider\":\"FARGATE\","
                   "\"weight\":2,\"base\":1}],\"tags\":[{\"key\":\"n\",\"value\":\"1.5\"}],"
                   "\"propagateTags\":\"TASK_DEFINITION\"}");
    /* One member on its own, under its own schema. */
    expect_coerced("\"true\"", member("enableExecuteCommand"), "true");
    expect_coerced("false", member("enableExecuteCommand"), "false");
    expect_coerced("{\"Cpu\":256}", member("overrides"), "{\"cpu\":\"256\"}");
    expect_coerced("{}", &run_task, "{}");
    expect_coerced("[]", member("tags"), "[]");
}

/* The schema as text: each object's members in order, "#" after an integer,
 * "?" after a boolean, "!" after a required one, "=A|B" after a string with
 * fixed values, "[...]" a list's element. */
static void describe(const coerce_field *f, char *out, size_t cap)
{
    size_t len = strlen(out);
    if (f->kind == COERCE_OBJECT) {
        snprintf(out + len, cap - len, "{");
        for (const coerce_field *m = f->fields; m->name; m++) {
            len = strlen(out);
            snprintf(out + len, cap - len, "%s%s%s%s", m == f->fields ? "" : ",", m->name,
                     m->kind == COERCE_INT    ? "#"
                     : m->kind == COERCE_BOOL ? "?"
                                              : "",
                     m->required ? "!" : "");
            for (const char *const *v = m->allowed; v && *v; v++) {
                len = strlen(out);
                snprintf(out + len, cap - len, "%s%s", v == m->allowed ? "=" : "|", *v);
            }
            describe(m, out, cap);
        }
        len = strlen(out);
        snprintf(out + len, cap - len, "}");
    } else if (f->kind == COERCE_ARRAY) {
        snprintf(out + len, cap - len, "[");
        describe(f->fields, out, cap);
        len = strlen(out);
        snprintf(out + len, cap - len, "]");
    }
}

/* The whole schema, member by member: the shapes of the ECS API reference for
 * RunTask (TaskOverride, ContainerOverride, KeyValuePair, EnvironmentFile,
 * ResourceRequirement, EphemeralStorage, InferenceAcceleratorOverride,
 * NetworkConfiguration, AwsVpcConfiguration, CapacityProviderStrategyItem,
 * PlacementConstraint, PlacementStrategy, Tag), as botocore's service model
 * ecs/2014-11-13 has them. A change here is a change to what ecs-tasks
 * accepts: integration/requests (test_c_schema_is_botocores) holds this text
 * to the installed botocore's model. */
static void test_schema_is_the_ecs_api(void **state)
{
    (void)state;
    char text[4096] = "";
    describe(&run_task, text, sizeof text);
    assert_string_equal(
        text, "{overrides{containerOverrides[{name,command[],environment[{name,value}],"
              "environmentFiles[{value!,type!=s3}],cpu#,memory#,memoryReservation#,"
              "resourceRequirements[{value!,type!=GPU|InferenceAccelerator}]}],cpu,"
              "inferenceAcceleratorOverrides[{deviceName,deviceType}],executionRoleArn,memory,"
              "taskRoleArn,ephemeralStorage{sizeInGiB#!}},"
              "launchType=EC2|FARGATE|EXTERNAL|MANAGED_INSTANCES,"
              "capacityProviderStrategy[{capacityProvider!,weight#,base#}],"
              "networkConfiguration{awsvpcConfiguration{subnets![],securityGroups[],"
              "assignPublicIp=ENABLED|DISABLED}},platformVersion,"
              "placementConstraints[{type=distinctInstance|memberOf,expression}],"
              "placementStrategy[{type=random|spread|binpack,field}],"
              "propagateTags=TASK_DEFINITION|SERVICE|NONE,tags[{key,value}],"
              "enableExecuteCommand?,enableECSManagedTags?,group}");
}

static void test_near(void **state)
{
    (void)state;
    const struct {
        const char *given, *known;
        int d;
    } cases[] = {
        {"command", "command", 0},
        {"Comand", "command", 1},
        {"COMMAND", "command", 0}, /* case is not an edit */
        {"AwsVpcConfiguration", "awsvpcConfiguration", 0},
        {"awsvpcConfig", "awsvpcConfiguration", -1}, /* 7 edits: more than 19 / 3 */
        {"enviroment", "environment", 1},
        {"environmentFile", "environmentFiles", 1},
        {"memoryReserve", "memoryReservation", 5}, /* 17 / 3 = 5 */
        {"memoryRes", "memoryReservation", -1},    /* 8 edits */
        {"cp", "cpu", 1},
        {"x", "cpu", -1}, /* 3 edits: more than 2, and cpu has 3 letters */
        {"", "cpu", -1},
        {"cpux", "cpu", 1},
        {"subnet", "subnets", 1},
        {"securityGroup", "securityGroups", 1},
        {"tpye", "type", 2},
        {"", "", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int d = coerce_near(cases[i].given, cases[i].known);
        if (d != cases[i].d)
            fail_msg("coerce_near(%s, %s) = %d, expected %d", cases[i].given, cases[i].known, d,
                     cases[i].d);
    }
    /* Names longer than any of ours are never near. */
    char long_name[200];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    assert_int_equal(coerce_near(long_name, long_name), -1);
}

static void test_unknown_keys_refused_with_the_nearest_name(void **state)
{
    (void)state;
    const coerce_field *ov = member("overrides");
    /* The issue's example: a misspelt Command would run the default command. */
    expect_refused("{\"ContainerOverrides\":[{\"Name\":\"app\",\"Comand\":[\"x\"]}]}", ov,
                   "Overrides",
                   "Overrides.ContainerOverrides[0].Comand: unknown key (did you mean Command?)");
    /* Suggested in the case the user writes. */
    expect_refused("{\"containerOverrides\":[{\"name\":\"app\",\"comand\":[\"x\"]}]}", ov,
                   "Overrides",
                   "Overrides.containerOverrides[0].comand: unknown key (did you mean command?)");
    expect_refused("{\"NetworkConfiguration\":{\"AwsVpcConfiguration\":{\"Subnets\":[\"s\"]}}}",
                   &run_task, "",
                   ".NetworkConfiguration.AwsVpcConfiguration: unknown key (did you mean "
                   "AwsvpcConfiguration?)");
    expect_refused("{\"networkConfiguration\":{\"awsvpcConfiguration\":{\"subnets\":[\"s\"],"
                   "\"securityGroup\":[\"g\"]}}}",
                   &run_task, "",
                   ".networkConfiguration.awsvpcConfiguration.securityGroup: unknown key (did you "
                   "mean securityGroups?)");
    expect_refused("{\"ContainerOverrides\":[{\"Enviroment\":[]}]}", ov, "Overrides",
                   "Overrides.ContainerOverrides[0].Enviroment: unknown key (did you mean "
                   "Environment?)");
    expect_refused(
        "{\"ContainerOverrides\":[{\"Environment\":[{\"Name\":\"A\",\"Valeu\":\"1\"}]}]}", ov,
        "Overrides",
        "Overrides.ContainerOverrides[0].Environment[0].Valeu: unknown key (did you "
        "mean Value?)");
    expect_refused("{\"CapacityProviderStrategy\":[{\"CapacityProvider\":\"FARGATE\","
                   "\"Wieght\":1}]}",
                   &run_task, "",
                   ".CapacityProviderStrategy[0].Wieght: unknown key (did you mean Weight?)");
    expect_refused("{\"Tags\":[{\"Name\":\"k\",\"Value\":\"v\"}]}", &run_task, "",
                   ".Tags[0].Name: unknown key (known keys: Key, Value)");
    expect_refused("{\"PlacementStrategy\":[{\"Type\":\"spread\",\"Feild\":\"x\"}]}", &run_task, "",
                   ".PlacementStrategy[0].Feild: unknown key (did you mean Field?)");
    expect_refused("{\"EphemeralStorage\":{\"SizeInGB\":30}}", ov, "Overrides",
                   "Overrides.EphemeralStorage.SizeInGB: unknown key (did you mean SizeInGiB?)");
    /* Nothing close: the known keys, in the user's case. */
    expect_refused("{\"ContainerOverrides\":[{\"Image\":\"x\"}]}", ov, "Overrides",
                   "Overrides.ContainerOverrides[0].Image: unknown key (known keys: Name, Command, "
                   "Environment, EnvironmentFiles, Cpu, Memory, MemoryReservation, "
                   "ResourceRequirements)");
    expect_refused("{\"gpuCount\":2}", ov, "Overrides",
                   "Overrides.gpuCount: unknown key (known keys: containerOverrides, cpu, "
                   "inferenceAcceleratorOverrides, executionRoleArn, memory, taskRoleArn, "
                   "ephemeralStorage)");
    /* A key that starts with no letter: the case of the key above it. */
    expect_refused("{\"ContainerOverrides\":[{\"_Name\":\"x\"}]}", ov, "Overrides",
                   "Overrides.ContainerOverrides[0]._Name: unknown key (did you mean Name?)");
    /* Top-level members are the properties' (props.c refuses unknown ones
     * first), but the schema refuses them too. */
    expect_refused("{\"ClientToken\":\"abc\"}", &run_task, "",
                   ".ClientToken: unknown key (known keys: Overrides, LaunchType, "
                   "CapacityProviderStrategy, NetworkConfiguration, PlatformVersion, "
                   "PlacementConstraints, PlacementStrategy, PropagateTags, Tags, "
                   "EnableExecuteCommand, EnableECSManagedTags, Group)");
    /* The same key twice, in both cases: one would be lost. */
    expect_refused("{\"ContainerOverrides\":[{\"Command\":[\"a\"],\"command\":[\"b\"]}]}", ov,
                   "Overrides",
                   "Overrides.ContainerOverrides[0].command: given twice (also as Command)");
}

static void test_required_members(void **state)
{
    (void)state;
    const coerce_field *ov = member("overrides");
    expect_refused("{\"NetworkConfiguration\":{\"AwsvpcConfiguration\":{\"AssignPublicIp\":"
                   "\"ENABLED\"}}}",
                   &run_task, "",
                   ".NetworkConfiguration.AwsvpcConfiguration.Subnets: required key is missing");
    expect_refused("{\"networkConfiguration\":{\"awsvpcConfiguration\":{}}}", &run_task, "",
                   ".networkConfiguration.awsvpcConfiguration.subnets: required key is missing");
    expect_refused("{\"EphemeralStorage\":{}}", ov, "Overrides",
                   "Overrides.EphemeralStorage.SizeInGiB: required key is missing");
    expect_refused("{\"ContainerOverrides\":[{\"EnvironmentFiles\":[{\"Value\":\"arn\"}]}]}", ov,
                   "Overrides",
                   "Overrides.ContainerOverrides[0].EnvironmentFiles[0].Type: required key is "
                   "missing");
    expect_refused("{\"ContainerOverrides\":[{\"ResourceRequirements\":[{\"type\":\"GPU\"}]}]}", ov,
                   "Overrides",
                   "Overrides.ContainerOverrides[0].ResourceRequirements[0].value: required key "
                   "is missing");
    expect_refused("{\"CapacityProviderStrategy\":[{\"Weight\":1}]}", &run_task, "",
                   ".CapacityProviderStrategy[0].CapacityProvider: required key is missing");
    /* Given, they are enough. */
    expect_coerced("{\"AwsvpcConfiguration\":{\"Subnets\":[]}}", member("networkConfiguration"),
                   "{\"awsvpcConfiguration\":{\"subnets\":[]}}");
    expect_coerced("{\"CapacityProviderStrategy\":[{\"CapacityProvider\":\"FARGATE_SPOT\"}]}",
                   &run_task,
                   "{\"capacityProviderStrategy\":[{\"capacityProvider\":\"FARGATE_SPOT\"}]}");
}

static void test_enumerated_values(void **state)
{
    (void)state;
    /* Every value ECS takes, and only those, exactly as ECS spells them. */
    const char *good[][2] = {
        {"launchType", "EC2"},
        {"launchType", "FARGATE"},
        {"launchType", "EXTERNAL"},
        {"launchType", "MANAGED_INSTANCES"},
        {"propagateTags", "TASK_DEFINITION"},
        {"propagateTags", "SERVICE"},
        {"propagateTags", "NONE"},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char text[64];
        snprintf(text, sizeof text, "\"%s\"", good[i][1]);
        expect_coerced(text, member(good[i][0]), text);
    }
    expect_refused("\"FARGTE\"", member("launchType"), "LaunchType",
                   "LaunchType: 'FARGTE' is not allowed (did you mean FARGATE?)");
    expect_refused("\"fargate\"", member("launchType"), "LaunchType",
                   "LaunchType: 'fargate' is not allowed (did you mean FARGATE?)");
    expect_refused("\"SPOT\"", member("launchType"), "LaunchType",
                   "LaunchType: 'SPOT' is not allowed (one of EC2, FARGATE, EXTERNAL, "
                   "MANAGED_INSTANCES)");
    expect_refused("\"TASK\"", member("propagateTags"), "PropagateTags",
                   "PropagateTags: 'TASK' is not allowed (one of TASK_DEFINITION, SERVICE, NONE)");
    expect_refused("{\"AwsvpcConfiguration\":{\"Subnets\":[\"s\"],\"AssignPublicIp\":true}}",
                   member("networkConfiguration"), "NetworkConfiguration",
                   "NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp: 'true' is not allowed "
                   "(one of ENABLED, DISABLED)");
    expect_coerced(
        "{\"AwsvpcConfiguration\":{\"Subnets\":[\"s\"],\"AssignPublicIp\":"
        "\"DISABLED\"}}",
        member("networkConfiguration"),
        "{\"awsvpcConfiguration\":{\"subnets\":[\"s\"],\"assignPublicIp\":\"DISABLED\"}}");
    expect_refused("[{\"Type\":\"distinct\"}]", member("placementConstraints"),
                   "PlacementConstraints",
                   "PlacementConstraints[0].Type: 'distinct' is not allowed (one of "
                   "distinctInstance, memberOf)");
    expect_coerced(
        "[{\"Type\":\"distinctInstance\"},{\"Type\":\"memberOf\",\"Expression\":\"e\"}]",
        member("placementConstraints"),
        "[{\"type\":\"distinctInstance\"},{\"type\":\"memberOf\",\"expression\":\"e\"}]");
    expect_refused("[{\"Type\":\"binPack\",\"Field\":\"memory\"}]", member("placementStrategy"),
                   "PlacementStrategy",
                   "PlacementStrategy[0].Type: 'binPack' is not allowed (did you mean binpack?)");
    expect_coerced("[{\"type\":\"random\"},{\"type\":\"spread\",\"field\":\"instanceId\"},"
                   "{\"type\":\"binpack\",\"field\":\"memory\"}]",
                   member("placementStrategy"),
                   "[{\"type\":\"random\"},{\"type\":\"spread\",\"field\":\"instanceId\"},"
                   "{\"type\":\"binpack\",\"field\":\"memory\"}]");
    const coerce_field *ov = member("overrides");
    expect_refused("{\"ContainerOverrides\":[{\"EnvironmentFiles\":[{\"Value\":\"arn\","
                   "\"Type\":\"S3\"}]}]}",
                   ov, "Overrides",
                   "Overrides.ContainerOverrides[0].EnvironmentFiles[0].Type: 'S3' is not allowed "
                   "(did you mean s3?)");
    expect_refused("{\"ContainerOverrides\":[{\"ResourceRequirements\":[{\"Value\":\"1\","
                   "\"Type\":\"CPU\"}]}]}",
                   ov, "Overrides",
                   "Overrides.ContainerOverrides[0].ResourceRequirements[0].Type: 'CPU' is not "
                   "allowed (did you mean GPU?)");
    expect_coerced("{\"ContainerOverrides\":[{\"ResourceRequirements\":[{\"Value\":1,"
                   "\"Type\":\"GPU\"},{\"Value\":\"dev1\",\"Type\":\"InferenceAccelerator\"}]}]}",
                   ov,
                   "{\"containerOverrides\":[{\"resourceRequirements\":[{\"value\":\"1\","
                   "\"type\":\"GPU\"},{\"value\":\"dev1\",\"type\":\"InferenceAccelerator\"}]}]}");
}

static void test_errors_name_the_path(void **state)
{
    (void)state;
    const coerce_field *ov = member("overrides");
    expect_refused("{\"containerOverrides\":[{\"name\":\"app\",\"memory\":\"lots\"}]}", ov,
                   "Overrides", "Overrides.containerOverrides[0].memory: 'lots' is not an integer");
    /* The keys as the user wrote them, the index of the failing element. */
    expect_refused("{\"ContainerOverrides\":[{\"Name\":\"a\"},{\"Name\":\"b\",\"Cpu\":\"1.5\"}]}",
                   ov, "Overrides", "Overrides.ContainerOverrides[1].Cpu: '1.5' is not an integer");
    expect_refused("{\"ContainerOverrides\":[{\"Command\":\"echo hi\"}]}", ov, "Overrides",
                   "Overrides.ContainerOverrides[0].Command: 'echo hi' is not a list");
    expect_refused("{\"ContainerOverrides\":[{\"Command\":[\"echo\",[\"hi\"]]}]}", ov, "Overrides",
                   "Overrides.ContainerOverrides[0].Command[1]: [\"hi\"] is not a string");
    expect_refused("{\"ContainerOverrides\":[{\"Environment\":[{\"Name\":\"A\",\"Value\":{}}]}]}",
                   ov, "Overrides",
                   "Overrides.ContainerOverrides[0].Environment[0].Value: {} is not a string");
    expect_refused("{\"ContainerOverrides\":{\"Name\":\"app\"}}", ov, "Overrides",
                   "Overrides.ContainerOverrides: {\"Name\":\"app\"} is not a list");
    expect_refused("{\"EphemeralStorage\":30}", ov, "Overrides",
                   "Overrides.EphemeralStorage: 30 is not an object");
    expect_refused("{\"Cpu\":null}", ov, "Overrides", "Overrides.Cpu: null is not a string");
    expect_refused("\"none\"", ov, "Overrides", "Overrides: 'none' is not an object");
    expect_refused("\"on\"", member("enableExecuteCommand"), "EnableExecuteCommand",
                   "EnableExecuteCommand: 'on' is not a boolean (true, false, yes or no)");
    expect_refused("1", member("enableExecuteCommand"), "EnableExecuteCommand",
                   "EnableExecuteCommand: 1 is not a boolean (true, false, yes or no)");
    expect_refused("{\"CapacityProviderStrategy\":[{\"Weight\":true}]}", &run_task, "",
                   ".CapacityProviderStrategy[0].Weight: true is not an integer");
    /* A long value is quoted cut. */
    static const coerce_field memory_only[] = {{.name = "memory", .kind = COERCE_INT},
                                               {.name = NULL}};
    static const coerce_field memory_object = {
        .name = "", .kind = COERCE_OBJECT, .fields = memory_only};
    char text[256], message[256];
    snprintf(text, sizeof text, "{\"memory\":\"%0100d\"}", 7);
    text[strlen(text) - 4] = 'x'; /* "000...0x7": not a number */
    snprintf(message, sizeof message, "M.memory: '%0*d...' is not an integer", COERCE_QUOTE_MAX - 3,
             0);
    expect_refused(text, &memory_object, "M", message);
}

static void quote_of(const char *text, char *out, size_t cap)
{
    json_t *v = from_text(text);
    coerce_quote(v, out, cap);
    json_decref(v);
}

static void test_quote(void **state)
{
    (void)state;
    char out[128];
    const char *cases[][2] = {
        {"\"lots\"", "'lots'"},
        {"\"\"", "''"},
        {"\"it's\"", "'it's'"},
        {"\"caf\\u00e9\"", "'caf\xc3\xa9'"},
        {"512", "512"},
        {"-1", "-1"},
        {"1.5", "1.5"},
        {"true", "true"},
        {"null", "null"},
        {"[1, 2, \"x\"]", "[1,2,\"x\"]"},
        {"{ \"a\" : { \"b\" : [ ] } }", "{\"a\":{\"b\":[]}}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        quote_of(cases[i][0], out, sizeof out);
        assert_string_equal(out, cases[i][1]);
    }

    /* Exactly COERCE_QUOTE_MAX bytes: whole. One more: cut to MAX - 3 and
     * "...", inside the quotes. */
    char s[COERCE_QUOTE_MAX + 2], text[COERCE_QUOTE_MAX + 8], want[COERCE_QUOTE_MAX + 8];
    memset(s, 'a', COERCE_QUOTE_MAX);
    s[COERCE_QUOTE_MAX] = '\0';
    snprintf(text, sizeof text, "\"%s\"", s);
    quote_of(text, out, sizeof out);
    snprintf(want, sizeof want, "'%s'", s);
    assert_string_equal(out, want);
    strcat(s, "b");
    snprintf(text, sizeof text, "\"%s\"", s);
    quote_of(text, out, sizeof out);
    snprintf(want, sizeof want, "'%.*s...'", COERCE_QUOTE_MAX - 3, s);
    assert_string_equal(out, want);

    /* Compact JSON is cut the same way, without quotes. */
    json_t *list = json_array();
    for (int i = 0; i < 40; i++)
        json_array_append_new(list, json_integer(i));
    coerce_quote(list, out, sizeof out);
    char *dump = json_dumps(list, JSON_COMPACT);
    snprintf(want, sizeof want, "%.*s...", COERCE_QUOTE_MAX - 3, dump);
    assert_string_equal(out, want);
    free(dump);
    json_decref(list);
}

/* A long text with a multi-byte character at every position around the cut:
 * the cut never lands inside it. */
static void test_quote_cut_on_character_boundary(void **state)
{
    (void)state;
    const char *chars[] = {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x90\xb3"};
    for (size_t c = 0; c < sizeof chars / sizeof chars[0]; c++) {
        size_t clen = strlen(chars[c]);
        for (size_t at = COERCE_QUOTE_MAX - 8; at <= COERCE_QUOTE_MAX; at++) {
            char s[128];
            memset(s, 'a', at);
            memcpy(s + at, chars[c], clen);
            memset(s + at + clen, 'z', 20);
            s[at + clen + 20] = '\0';
            json_t *v = json_string(s);
            assert_non_null(v);
            char out[128];
            coerce_quote(v, out, sizeof out);
            size_t n = strlen(out);
            if (!utf8_valid(out, n))
                fail_msg("%zu-byte character at %zu: invalid UTF-8 '%s'", clen, at, out);
            /* 'prefix...' where prefix is s cut at most at MAX - 3 bytes, on
             * the character's start when it straddles the cut. */
            assert_true(n >= 5 && !strcmp(out + n - 4, "...'") && out[0] == '\'');
            size_t kept = n - 5;
            size_t expected_kept = COERCE_QUOTE_MAX - 3;
            if (at < expected_kept && at + clen > expected_kept)
                expected_kept = at;
            if (kept != expected_kept)
                fail_msg("%zu-byte character at %zu: kept %zu bytes, expected %zu ('%s')", clen, at,
                         kept, expected_kept, out);
            assert_memory_equal(out + 1, s, kept);
            json_decref(v);

            /* The same inside a list, quoted as JSON. */
            json_t *list = json_pack("[s]", s);
            coerce_quote(list, out, sizeof out);
            assert_true(utf8_valid(out, strlen(out)));
            assert_true(strlen(out) <= COERCE_QUOTE_MAX);
            json_decref(list);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coerce_scalars),
        cmocka_unit_test(test_bool_forms),
        cmocka_unit_test(test_int_forms),
        cmocka_unit_test(test_camel_case),
        cmocka_unit_test(test_keys_camel_cased_at_every_depth),
        cmocka_unit_test(test_typed_along_the_schema),
        cmocka_unit_test(test_schema_is_the_ecs_api),
        cmocka_unit_test(test_near),
        cmocka_unit_test(test_unknown_keys_refused_with_the_nearest_name),
        cmocka_unit_test(test_required_members),
        cmocka_unit_test(test_enumerated_values),
        cmocka_unit_test(test_errors_name_the_path),
        cmocka_unit_test(test_quote),
        cmocka_unit_test(test_quote_cut_on_character_boundary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
