/* The standard retry mode, as pure decisions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "aws/retry.h"

static retry_kind classify(int status, const char *code)
{
    aws_error e;
    aws_error_clear(&e);
    aws_error_set(&e, status, code, "m");
    return retry_classify(&e);
}

static void test_classification(void **state)
{
    (void)state;
    assert_int_equal(classify(400, "ThrottlingException"), RETRY_THROTTLING);
    assert_int_equal(classify(400, "Throttling"), RETRY_THROTTLING);
    assert_int_equal(classify(400, "TooManyRequestsException"), RETRY_THROTTLING);
    assert_int_equal(classify(429, "HTTP429"), RETRY_THROTTLING);
    assert_int_equal(classify(500, "InternalFailure"), RETRY_TRANSIENT);
    assert_int_equal(classify(502, "HTTP502"), RETRY_TRANSIENT);
    assert_int_equal(classify(503, "HTTP503"), RETRY_TRANSIENT);
    assert_int_equal(classify(504, "HTTP504"), RETRY_TRANSIENT);
    assert_int_equal(classify(400, "RequestTimeout"), RETRY_TRANSIENT);
    assert_int_equal(classify(0, AWS_ERR_TRANSPORT), RETRY_TRANSPORT);
    assert_int_equal(classify(0, AWS_ERR_TIMEOUT), RETRY_TRANSPORT);
    assert_int_equal(classify(0, AWS_ERR_DEADLINE), RETRY_NONE);
    assert_int_equal(classify(400, "ClusterNotFoundException"), RETRY_NONE);
    assert_int_equal(classify(403, "SignatureDoesNotMatch"), RETRY_NONE);
    assert_int_equal(classify(501, "HTTP501"), RETRY_NONE);
}

static void test_backoff(void **state)
{
    (void)state;
    assert_int_equal(retry_backoff_ms(1, 0.0), 0);
    assert_int_equal(retry_backoff_ms(1, 0.5), 500);
    assert_int_equal(retry_backoff_ms(2, 0.5), 1000);
    assert_int_equal(retry_backoff_ms(3, 0.5), 2000);
    assert_int_equal(retry_backoff_ms(5, 0.5), 8000);
    assert_int_equal(retry_backoff_ms(5, 0.999), 15984); /* 16 s ceiling */
    assert_int_equal(retry_backoff_ms(6, 0.5), 10000);   /* 32 s, capped at 20 s */
    assert_int_equal(retry_backoff_ms(7, 0.999), 19980);
    assert_int_equal(retry_backoff_ms(60, 0.5), 10000);
    assert_true(retry_backoff_ms(10, 1.5) < RETRY_MAX_BACKOFF_MS);
}

static void test_max_attempts_env(void **state)
{
    (void)state;
    unsetenv("AWS_MAX_ATTEMPTS");
    assert_int_equal(retry_max_attempts_from_env(), 3);
    setenv("AWS_MAX_ATTEMPTS", "7", 1);
    assert_int_equal(retry_max_attempts_from_env(), 7);
    setenv("AWS_MAX_ATTEMPTS", "1", 1);
    assert_int_equal(retry_max_attempts_from_env(), 1);
    setenv("AWS_MAX_ATTEMPTS", "0", 1);
    assert_int_equal(retry_max_attempts_from_env(), 3);
    setenv("AWS_MAX_ATTEMPTS", "-2", 1);
    assert_int_equal(retry_max_attempts_from_env(), 3);
    setenv("AWS_MAX_ATTEMPTS", "five", 1);
    assert_int_equal(retry_max_attempts_from_env(), 3);
    unsetenv("AWS_MAX_ATTEMPTS");
}

static void test_quota(void **state)
{
    (void)state;
    retry_quota q;
    retry_quota_init(&q);
    assert_int_equal(retry_quota_acquire(&q, RETRY_THROTTLING), RETRY_COST);
    assert_int_equal(q.tokens, 495);
    assert_int_equal(retry_quota_acquire(&q, RETRY_TRANSPORT), RETRY_TIMEOUT_COST);
    assert_int_equal(q.tokens, 485);
    retry_quota_release(&q, RETRY_TIMEOUT_COST);
    assert_int_equal(q.tokens, 495);
    retry_quota_release(&q, 0);
    assert_int_equal(q.tokens, 496);
    for (int i = 0; i < 10; i++)
        retry_quota_release(&q, 0);
    assert_int_equal(q.tokens, RETRY_QUOTA_INITIAL);
    q.tokens = 7;
    assert_int_equal(retry_quota_acquire(&q, RETRY_TRANSPORT), -1);
    assert_int_equal(retry_quota_acquire(&q, RETRY_TRANSIENT), RETRY_COST);
    assert_int_equal(retry_quota_acquire(&q, RETRY_TRANSIENT), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classification),
        cmocka_unit_test(test_backoff),
        cmocka_unit_test(test_max_attempts_env),
        cmocka_unit_test(test_quota),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
