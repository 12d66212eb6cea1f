/* SPDX-License-Identifier: Apache-2.0 */
#include "cfn/handover.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/lambda_api.h"
#include "engine/state.h"
#include "util/log.h"

/* The event with the state added, as JSON text (caller frees), or NULL. */
static char *payload_of(const cfn_request *req, const run_state *st, int hops)
{
    json_t *event = json_deep_copy(req->event);
    json_t *state = state_serialise(st, hops);
    char *payload = NULL;
    if (event && state && json_object_set_new(event, CFN_STATE_KEY, state) == 0) {
        state = NULL;
        payload = json_dumps(event, JSON_COMPACT);
    }
    json_decref(state);
    json_decref(event);
    return payload;
}

int cfn_hand_over(aws_client *aws, const char *function_name, const cfn_request *req,
                  const run_state *st, int hops, char *why, size_t cap)
{
    if (!function_name[0]) {
        snprintf(why, cap,
                 "AWS_LAMBDA_FUNCTION_NAME is not set, so the function cannot re-invoke itself "
                 "to keep waiting");
        return -1;
    }
    char *payload = payload_of(req, st, hops);
    aws_error err;
    aws_error_set(&err, 0, AWS_ERR_INTERNAL, "out of memory");
    int rc =
        payload ? lambda_api_invoke_event(aws, function_name, payload, strlen(payload), &err) : -1;
    free(payload);
    if (rc != 0) {
        char text[1024];
        snprintf(why, cap, "Lambda Invoke of %s failed: %s", function_name,
                 aws_error_str(&err, text, sizeof text));
        return -1;
    }
    log_msg(LOG_INFO, "still waiting for %zu task(s): handed over to invocation %d of %s",
            st->n_slots, hops + 1, function_name);
    return 0;
}
