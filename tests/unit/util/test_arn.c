/* SPDX-License-Identifier: Apache-2.0 */
/* ARNs: parsing, ECS task ARNs of both shapes, the last part of a path, and
 * stack names from stack ids, odd inputs included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "util/arn.h"

#define TASK_NEW "arn:aws:ecs:us-east-1:123456789012:task/my-cluster/0123456789abcdef"
#define TASK_OLD "arn:aws:ecs:us-east-1:123456789012:task/0123456789abcdef"
#define STACK "arn:aws:cloudformation:eu-west-1:123456789012:stack/my-stack/1a2b3c4d-aaaa-bbbb"

static void test_parse(void **state)
{
    (void)state;
    arn_parts a;
    const char *task = TASK_NEW;
    assert_int_equal(arn_parse(task, &a), 0);
    assert_string_equal(a.partition, "aws");
    assert_string_equal(a.service, "ecs");
    assert_string_equal(a.region, "us-east-1");
    assert_string_equal(a.account, "123456789012");
    assert_string_equal(a.resource, "task/my-cluster/0123456789abcdef");
    /* Borrowed from the input. */
    assert_ptr_equal(a.resource, task + strlen(task) - strlen(a.resource));

    assert_int_equal(arn_parse("arn:aws-cn:s3:::bucket/key", &a), 0);
    assert_string_equal(a.partition, "aws-cn");
    assert_string_equal(a.region, "");
    assert_string_equal(a.account, "");
    assert_string_equal(a.resource, "bucket/key");

    /* The resource keeps any further ':'. */
    assert_int_equal(arn_parse("arn:aws-us-gov:logs:r:1:log-group:g:*", &a), 0);
    assert_string_equal(a.partition, "aws-us-gov");
    assert_string_equal(a.resource, "log-group:g:*");
}

static void test_parse_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "arn:",
        "arn",
        "arn:aws",
        "arn:aws:ecs:us-east-1:123",        /* four fields */
        "arn:aws:ecs:us-east-1:123:",       /* empty resource */
        "arn::ecs:us-east-1:123:task/x",    /* empty partition */
        "arn:aws::us-east-1:123:task/x",    /* empty service */
        "ARN:aws:ecs:us-east-1:123:task/x", /* "arn:" is lower case */
        " arn:aws:ecs:r:a:task/x",
        "xarn:aws:ecs:r:a:task/x",
        "my-stack",
        "arn:aws-this-partition-name-is-far-too-long:ecs:r:a:task/x",
        "arn:aws:ecs:region-that-is-much-longer-than-32:a:task/x",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        arn_parts a;
        if (arn_parse(bad[i], &a) != -1)
            fail_msg("\"%s\" parsed", bad[i]);
    }
    arn_parts a;
    assert_int_equal(arn_parse(NULL, &a), -1);
    /* A field of 31 bytes fits; 32 does not. */
    assert_int_equal(arn_parse("arn:aws:ecs:1234567890123456789012345678901:a:task/x", &a), 0);
    assert_int_equal(arn_parse("arn:aws:ecs:12345678901234567890123456789012:a:task/x", &a), -1);
}

static void test_is_ecs_task(void **state)
{
    (void)state;
    assert_true(arn_is_ecs_task(TASK_NEW));
    assert_true(arn_is_ecs_task(TASK_OLD));
    assert_true(arn_is_ecs_task("arn:aws-cn:ecs:cn-north-1:1:task/c/i"));
    static const char *const not_tasks[] = {
        "",
        "arn:",
        "0123456789abcdef",
        "task/my-cluster/0123456789abcdef",
        "arn:aws:ecs:us-east-1:123456789012:service/my-cluster/my-service",
        "arn:aws:ecs:us-east-1:123456789012:task-definition/family:3",
        "arn:aws:ecs:us-east-1:123456789012:cluster/my-cluster",
        "arn:aws:ec2:us-east-1:123456789012:task/my-cluster/0123",
        "arn:aws:ecs:us-east-1:123456789012:task/",
        "arn:aws:ecs:us-east-1:123456789012:task",
        "arn:aws:ecs:us-east-1:123456789012:task//0123",
        "arn:aws:ecs:us-east-1:123456789012:task/my-cluster/",
        "arn:aws:ecs:us-east-1:123456789012:task/0123/",
        "arn:aws:ecs:us-east-1:123456789012:task/my-cluster/0123/extra",
        "arn:aws:ecs:us-east-1:123456789012:task/my-cluster/0123/",
        "arn:aws:ecs:us-east-1:123456789012:tasks/c/0123",
    };
    for (size_t i = 0; i < sizeof not_tasks / sizeof *not_tasks; i++)
        if (arn_is_ecs_task(not_tasks[i]))
            fail_msg("\"%s\" taken for a task ARN", not_tasks[i]);
}

static void test_task_cluster(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(arn_ecs_task_cluster(TASK_NEW, out, sizeof out), 0);
    assert_string_equal(out, "my-cluster");
    /* The old format names no cluster. */
    strcpy(out, "untouched");
    assert_int_equal(arn_ecs_task_cluster(TASK_OLD, out, sizeof out), -1);
    assert_int_equal(
        arn_ecs_task_cluster("arn:aws:ecs:r:1:service/my-cluster/svc", out, sizeof out), -1);
    assert_int_equal(arn_ecs_task_cluster("arn:aws:ecs:r:1:task/c/", out, sizeof out), -1);
    assert_int_equal(arn_ecs_task_cluster("arn:aws:ecs:r:1:task//i", out, sizeof out), -1);
    assert_int_equal(arn_ecs_task_cluster("arn:", out, sizeof out), -1);
    assert_int_equal(arn_ecs_task_cluster("", out, sizeof out), -1);
    /* "my-cluster" needs 11 bytes. */
    assert_int_equal(arn_ecs_task_cluster(TASK_NEW, out, 11), 0);
    assert_string_equal(out, "my-cluster");
    assert_int_equal(arn_ecs_task_cluster(TASK_NEW, out, 10), -1);
}

static void test_last_part(void **state)
{
    (void)state;
    assert_string_equal(arn_last_part(TASK_NEW), "0123456789abcdef");
    assert_string_equal(arn_last_part(TASK_OLD), "0123456789abcdef");
    assert_string_equal(arn_last_part("a/b"), "b");
    const char *s = "no-slash-here";
    assert_ptr_equal(arn_last_part(s), s);
    /* Borrowed from s. */
    const char *task = TASK_NEW;
    assert_ptr_equal(arn_last_part(task), task + strlen(task) - 16);
    /* A trailing slash: no last part, s itself. */
    s = "task/c/";
    assert_ptr_equal(arn_last_part(s), s);
    s = "/";
    assert_ptr_equal(arn_last_part(s), s);
    s = "";
    assert_ptr_equal(arn_last_part(s), s);
    assert_string_equal(arn_last_part("/lead"), "lead");
    assert_string_equal(arn_last_part("a//b"), "b");
}

static void test_stack_name(void **state)
{
    (void)state;
    char out[128];
    arn_stack_name(STACK, out, sizeof out);
    assert_string_equal(out, "my-stack");
    /* Without the uuid, or with an empty one. */
    arn_stack_name("arn:aws:cloudformation:r:1:stack/only-name", out, sizeof out);
    assert_string_equal(out, "only-name");
    arn_stack_name("arn:aws:cloudformation:r:1:stack/only-name/", out, sizeof out);
    assert_string_equal(out, "only-name");
    /* A plain stack name is the name. */
    arn_stack_name("plain-stack", out, sizeof out);
    assert_string_equal(out, "plain-stack");
    /* Anything else is given back as it is. */
    static const char *const as_is[] = {
        "arn:aws:cloudformation:r:1:stack/",
        "arn:aws:cloudformation:r:1:stack//uuid",
        "arn:aws:cloudformation:r:1:stackset/name:uuid",
        "arn:aws:ecs:r:1:stack/name/uuid",
        "arn:",
        "",
    };
    for (size_t i = 0; i < sizeof as_is / sizeof *as_is; i++) {
        arn_stack_name(as_is[i], out, sizeof out);
        assert_string_equal(out, as_is[i]);
    }
}

static void test_stack_name_bounded(void **state)
{
    (void)state;
    char out[9];
    memset(out, 'Z', sizeof out);
    arn_stack_name(STACK, out, 4);
    assert_string_equal(out, "my-");
    assert_int_equal(out[4], 'Z'); /* nothing written past cap */
    arn_stack_name("plain-stack-name", out, sizeof out);
    assert_string_equal(out, "plain-st");
    strcpy(out, "keep");
    arn_stack_name(STACK, out, 0);
    assert_string_equal(out, "keep");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_is_ecs_task),
        cmocka_unit_test(test_task_cluster),
        cmocka_unit_test(test_last_part),
        cmocka_unit_test(test_stack_name),
        cmocka_unit_test(test_stack_name_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
