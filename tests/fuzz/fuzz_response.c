/* SPDX-License-Identifier: Apache-2.0 */
/* The response builder: whatever the Reason, the body is valid JSON of at
 * most CFN_RESPONSE_MAX bytes. */
#include <assert.h>
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfn/request.h"
#include "cfn/response.h"
#include "fuzz_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char event[] =
        "{\"RequestType\":\"Create\",\"ResponseURL\":\"https://x/y\",\"StackId\":\"s\","
        "\"RequestId\":\"r\",\"LogicalResourceId\":\"L\"}";
    cfn_request req;
    char why[256];
    if (cfn_request_parse(event, sizeof event - 1, &req, why, sizeof why) != CFN_PARSE_OK)
        abort();
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    cfn_answer o = {.success = 0, .why = {.head = text}, .physical_id = "p"};
    char *body = cfn_response_build(&req, &o, NULL);
    if (body) {
        assert(strlen(body) <= CFN_RESPONSE_MAX);
        json_t *j = json_loads(body, 0, NULL);
        assert(j != NULL);
        json_decref(j);
        free(body);
    }
    free(text);
    cfn_request_free(&req);
    return 0;
}
