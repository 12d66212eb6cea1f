/* SPDX-License-Identifier: Apache-2.0 */
#include "aws/lambda_api.h"

#include <stdio.h>
#include <stdlib.h>

#include "aws/sigv4.h"

int lambda_api_invoke_event(aws_client *c, const char *function_name, const char *payload,
                            size_t len, aws_error *err)
{
    char *name = sigv4_uri_encode(function_name, 0);
    if (!name) {
        aws_error_set(err, 0, AWS_ERR_INTERNAL, "out of memory");
        return -1;
    }
    char path[1024];
    snprintf(path, sizeof path, "/2015-03-31/functions/%s/invocations", name);
    free(name);
    http_header headers[] = {{"X-Amz-Invocation-Type", "Event"},
                             {"Content-Type", "application/json"}};
    http_response resp;
    if (aws_call_rest(c, &AWS_SERVICE_LAMBDA, "POST", path, NULL, headers, 2, payload, len, &resp,
                      err) != 0)
        return -1;
    long status = resp.status;
    http_response_free(&resp);
    if (status != 202) {
        aws_error_set(err, (int)status, AWS_ERR_PARSE,
                      "Lambda Invoke answered HTTP %ld instead of 202", status);
        return -1;
    }
    return 0;
}
