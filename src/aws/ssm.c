/* SPDX-License-Identifier: Apache-2.0 */
#include "aws/ssm.h"

#include <stdlib.h>
#include <string.h>

int ssm_get_parameter(aws_client *c, const char *name, int with_decryption, char **value_out,
                      aws_error *err)
{
    *value_out = NULL;
    json_t *req = json_pack("{s:s, s:b}", "Name", name, "WithDecryption", with_decryption);
    json_t *answer;
    int rc = aws_call_json(c, &AWS_SERVICE_SSM, "GetParameter", req, &answer, err);
    json_decref(req);
    if (rc != 0)
        return -1;
    const char *v =
        json_string_value(json_object_get(json_object_get(answer, "Parameter"), "Value"));
    if (v) {
        *value_out = strdup(v);
    } else {
        aws_error_set(err, 200, AWS_ERR_PARSE, "SSM GetParameter: no Parameter.Value");
        rc = -1;
    }
    json_decref(answer);
    return rc;
}
