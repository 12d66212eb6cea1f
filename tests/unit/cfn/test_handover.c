/* SPDX-License-Identifier: Apache-2.0 */
/* cfn/handover.c against a canned Lambda: the function invokes itself with
 * the event it received plus the run's state (replacing the state it was
 * itself given), and a hand-over that cannot happen says why. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "cfn/handover.h"
#include "engine/state.h"
#include "support/aws_env.h"
#include "support/canned_aws.h"

#define ARN1 "arn:aws:ecs:us-east-1:123456789012:task/test/aaaa1111"
#define TOKEN "0123456789abcdef0123456789abcdef"
#define STARTED_BY "Migrate-1a2b3c4d-0a1b2c3d"
#define EVENT_MEMBERS                                                                              \
    "\"RequestType\":\"Create\",\"ResponseURL\":\"http://127.0.0.1:1/cfn?X-Amz-Signature=abc\","   \
    "\"StackId\":\"arn:aws:cloudformation:us-east-1:123456789012:stack/app/1111\","                \
    "\"RequestId\":\"req-1\",\"LogicalResourceId\":\"Migrate\","                                   \
    "\"ResourceType\":\"Custom::ECSTask\",\"ResourceProperties\":{\"ServiceToken\":\"arn:f\","     \
    "\"Cluster\":\"test\",\"TaskDefinition\":\"migrate\"}"

static fake_clock fc;

static void parse_request(const char *event, cfn_request *req)
{
    char why[256];
    assert_int_equal(cfn_request_parse(event, strlen(event), req, why, sizeof why), CFN_PARSE_OK);
}

/* A run following one task, as an invocation hands it over. */
static void one_task_run(run_state *st)
{
    memset(st, 0, sizeof *st);
    st->first_receipt_ms = 1700000000000;
    memcpy(st->client_token, TOKEN, sizeof TOKEN);
    memcpy(st->started_by, STARTED_BY, sizeof STARTED_BY);
    st->rounds = 1;
    st->n_slots = 1;
    snprintf(st->slots[0].task_arn, sizeof st->slots[0].task_arn, "%s", ARN1);
    st->slots[0].attempts = 1;
    snprintf(st->slots[0].status, sizeof st->slots[0].status, "RUNNING");
    st->slots[0].status_since_ms = 1700000001000;
}

/* A client on a canned Lambda answering `answer`, the request parsed from
 * event and a run following one task. */
static aws_client *given(canned_response answer, const char *event, cfn_request *req, run_state *st)
{
    static canned_response script[1]; /* the server reads it until canned_aws_stop */
    script[0] = answer;
    aws_client *c = canned_aws_client(script, 1, &fc);
    assert_non_null(c);
    parse_request(event, req);
    one_task_run(st);
    return c;
}

static const canned_response accepted = {202, NULL, ""};

/* The payload Lambda received (request i): the event's members unchanged,
 * and a state that reads back as st at `hops`. */
static void assert_payload(size_t i, const run_state *st, int hops)
{
    json_t *sent = canned_aws_json(i);
    assert_non_null(sent);
    json_t *expected = json_loads("{" EVENT_MEMBERS "}", 0, NULL);
    const char *key;
    json_t *value;
    json_object_foreach(expected, key, value)
    {
        assert_true(json_equal(json_object_get(sent, key), value));
    }
    assert_int_equal(json_object_size(sent), json_object_size(expected) + 1);
    run_state back;
    int back_hops = 0;
    char why[256];
    assert_int_equal(
        state_parse(json_object_get(sent, CFN_STATE_KEY), &back, &back_hops, why, sizeof why), 0);
    assert_int_equal(back_hops, hops);
    assert_string_equal(back.client_token, st->client_token);
    assert_string_equal(back.started_by, st->started_by);
    assert_int_equal(back.n_slots, 1);
    assert_string_equal(back.slots[0].task_arn, ARN1);
    assert_int_equal(back.first_receipt_ms, st->first_receipt_ms);
    json_decref(expected);
    json_decref(sent);
}

static void test_invokes_itself_with_the_event_and_the_state(void **state)
{
    (void)state;
    cfn_request req;
    run_state st;
    aws_client *c = given(accepted, "{" EVENT_MEMBERS "}", &req, &st);
    char why[512] = "";
    assert_int_equal(cfn_hand_over(c, "app-EcsTasksFunction-AB12", &req, &st, 1, why, sizeof why),
                     0);
    assert_int_equal(canned_server_requests(), 1);
    const char *line = "POST /2015-03-31/functions/app-EcsTasksFunction-AB12/invocations ";
    assert_true(!strncmp(canned_server_request(0), line, strlen(line)));
    char v[64];
    assert_non_null(canned_server_header(0, "X-Amz-Invocation-Type", v, sizeof v));
    assert_string_equal(v, "Event");
    assert_payload(0, &st, 1);
    cfn_request_free(&req);
    canned_aws_stop(c);
}

/* An invocation that was itself handed a state passes on the new one, once. */
static void test_the_new_state_replaces_the_one_received(void **state)
{
    (void)state;
    cfn_request req;
    run_state st;
    aws_client *c =
        given(accepted, "{" EVENT_MEMBERS ",\"" CFN_STATE_KEY "\":{\"version\":2,\"hops\":3}}",
              &req, &st);
    char why[512] = "";
    assert_int_equal(cfn_hand_over(c, "f", &req, &st, 4, why, sizeof why), 0);
    assert_payload(0, &st, 4);
    cfn_request_free(&req);
    canned_aws_stop(c);
}

static void test_without_a_function_name_nothing_is_invoked(void **state)
{
    (void)state;
    cfn_request req;
    run_state st;
    aws_client *c = given(accepted, "{" EVENT_MEMBERS "}", &req, &st);
    char why[512] = "";
    assert_int_equal(cfn_hand_over(c, "", &req, &st, 1, why, sizeof why), -1);
    assert_non_null(strstr(why, "AWS_LAMBDA_FUNCTION_NAME is not set"));
    assert_int_equal(canned_server_requests(), 0);
    cfn_request_free(&req);
    canned_aws_stop(c);
}

static void test_a_refused_invoke_names_the_function_and_the_error(void **state)
{
    (void)state;
    cfn_request req;
    run_state st;
    const canned_response refused = {403, CANNED_AWS_JSON,
                                     "{\"__type\":\"AccessDeniedException\",\"message\":\"not "
                                     "allowed: lambda:InvokeFunction\"}"};
    aws_client *c = given(refused, "{" EVENT_MEMBERS "}", &req, &st);
    char why[512] = "";
    assert_int_equal(cfn_hand_over(c, "app-fn", &req, &st, 1, why, sizeof why), -1);
    assert_non_null(strstr(why, "Lambda Invoke of app-fn failed: "));
    assert_non_null(strstr(why, "AccessDeniedException"));
    assert_non_null(strstr(why, "not allowed: lambda:InvokeFunction"));
    cfn_request_free(&req);
    canned_aws_stop(c);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, aws_env_setup, aws_env_teardown)
    const struct CMUnitTest tests[] = {
        T(test_invokes_itself_with_the_event_and_the_state),
        T(test_the_new_state_replaces_the_one_received),
        T(test_without_a_function_name_nothing_is_invoked),
        T(test_a_refused_invoke_names_the_function_and_the_error),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
