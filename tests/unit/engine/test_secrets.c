/* SPDX-License-Identifier: Apache-2.0 */
/* Dynamic references to secure values, with a fake fetcher. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/secrets.h"
#include "util/redact.h"

static void test_parse_forms(void **state)
{
    (void)state;
    secrets_ref r;
    char why[256];
    assert_int_equal(secrets_parse_ref("secretsmanager:db", &r, why, sizeof why), 0);
    assert_int_equal(r.source, SECRETS_MANAGER);
    assert_string_equal(r.id, "db");
    assert_string_equal(r.json_key, "");
    assert_int_equal(secrets_parse_ref("secretsmanager:db:SecretString:password:AWSPREVIOUS", &r,
                                       why, sizeof why),
                     0);
    assert_string_equal(r.json_key, "password");
    assert_string_equal(r.version_stage, "AWSPREVIOUS");
    assert_int_equal(
        secrets_parse_ref("secretsmanager:db:SecretString:::v-123", &r, why, sizeof why), 0);
    assert_string_equal(r.version_id, "v-123");
    assert_string_equal(r.json_key, "");
    assert_int_equal(
        secrets_parse_ref("secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:"
                          "db-AbCdEf:SecretString:user",
                          &r, why, sizeof why),
        0);
    assert_string_equal(r.id, "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf");
    assert_string_equal(r.json_key, "user");
    assert_int_equal(secrets_parse_ref("ssm-secure:/app/db:3", &r, why, sizeof why), 0);
    assert_int_equal(r.source, SECRETS_SSM_SECURE);
    assert_string_equal(r.id, "/app/db:3");
}

static void test_parse_errors(void **state)
{
    (void)state;
    secrets_ref r;
    char why[256];
    assert_int_equal(secrets_parse_ref("secretsmanager:", &r, why, sizeof why), -1);
    assert_int_equal(secrets_parse_ref("secretsmanager:db:SecretBinary", &r, why, sizeof why), -1);
    assert_non_null(strstr(why, "only SecretString"));
    assert_int_equal(secrets_parse_ref("ssm:/plain", &r, why, sizeof why), -1);
    assert_int_equal(
        secrets_parse_ref("secretsmanager:db:SecretString:k:s:v:extra", &r, why, sizeof why), -1);
}

/* The fake store: "db" holds a JSON document, "token" a plain string. */
static int fake_fetch(void *ctx, const secrets_ref *ref, char **value, char *why, size_t cap)
{
    int *calls = ctx;
    (*calls)++;
    if (!strcmp(ref->id, "token") || !strcmp(ref->id, "/p")) {
        *value = strdup("s3cr3t-token");
        return 0;
    }
    if (!strcmp(ref->id, "db")) {
        *value = strdup("{\"user\":\"admin\",\"password\":\"hunter22\",\"port\":5432}");
        return 0;
    }
    snprintf(why, cap, "ResourceNotFoundException: no secret %s", ref->id);
    return -1;
}

static void test_resolve_everywhere(void **state)
{
    (void)state;
    json_t *props = json_loads(
        "{\"Overrides\":{\"containerOverrides\":[{\"environment\":[{\"name\":\"DB\",\"value\":"
        "\"postgres://{{resolve:secretsmanager:db:SecretString:user}}:{{resolve:secretsmanager:"
        "db:SecretString:password}}@host:{{resolve:secretsmanager:db:SecretString:port}}/x\"},"
        "{\"name\":\"T\",\"value\":\"{{resolve:ssm-secure:/p}}\"}]}]},\"Cluster\":\"c\","
        "\"Note\":\"{{resolve:ssm:/not-secure}}\"}",
        0, NULL);
    int calls = 0;
    char why[256];
    redactor *r = redact_new();
    assert_int_equal(secrets_present(props), 1);
    assert_int_equal(secrets_resolve(props, fake_fetch, &calls, r, why, sizeof why), 4);
    json_t *env = json_object_get(
        json_array_get(json_object_get(json_object_get(props, "Overrides"), "containerOverrides"),
                       0),
        "environment");
    assert_string_equal(json_string_value(json_object_get(json_array_get(env, 0), "value")),
                        "postgres://admin:hunter22@host:5432/x");
    assert_string_equal(json_string_value(json_object_get(json_array_get(env, 1), "value")),
                        "s3cr3t-token");
    /* Plain ssm references are CloudFormation's to resolve, not ours. */
    assert_string_equal(json_string_value(json_object_get(props, "Note")),
                        "{{resolve:ssm:/not-secure}}");
    assert_int_equal(secrets_present(props), 0);
    /* Every resolved value is now masked. */
    char out[128];
    redact_copy(r, "pw=hunter22 tok=s3cr3t-token", out, sizeof out);
    assert_string_equal(out, "pw=**** tok=****");
    redact_free(r);
    json_decref(props);
}

static void test_resolve_failure_names_reference(void **state)
{
    (void)state;
    json_t *props = json_loads("{\"A\":[\"{{resolve:secretsmanager:missing}}\"]}", 0, NULL);
    int calls = 0;
    char why[256];
    assert_int_equal(secrets_resolve(props, fake_fetch, &calls, NULL, why, sizeof why), -1);
    assert_non_null(strstr(why, "missing"));
    json_decref(props);
}

static void test_json_key_errors(void **state)
{
    (void)state;
    char why[256];
    assert_null(secrets_json_key("plain", "k", why, sizeof why));
    assert_non_null(strstr(why, "not a JSON object"));
    assert_null(secrets_json_key("{\"a\":1}", "k", why, sizeof why));
    assert_non_null(strstr(why, "no JSON key 'k'"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_forms),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_resolve_everywhere),
        cmocka_unit_test(test_resolve_failure_names_reference),
        cmocka_unit_test(test_json_key_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
