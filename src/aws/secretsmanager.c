/* SPDX-License-Identifier: Apache-2.0 */
#include "aws/secretsmanager.h"

#include <stdlib.h>
#include <string.h>

int secretsmanager_get_secret_value(aws_client *c, const char *secret_id, const char *version_stage,
                                    const char *version_id, char **value_out, aws_error *err)
{
    *value_out = NULL;
    json_t *req = json_pack("{s:s}", "SecretId", secret_id);
    if (version_stage)
        json_object_set_new(req, "VersionStage", json_string(version_stage));
    if (version_id)
        json_object_set_new(req, "VersionId", json_string(version_id));
    json_t *answer;
    int rc = aws_call_json(c, &AWS_SERVICE_SECRETS_MANAGER, "GetSecretValue", req, &answer, err);
    json_decref(req);
    if (rc != 0)
        return -1;
    const char *s = json_string_value(json_object_get(answer, "SecretString"));
    if (s) {
        *value_out = strdup(s);
    } else {
        aws_error_set(err, 200, AWS_ERR_PARSE,
                      "secret %s has no SecretString (binary secrets "
                      "cannot be resolved)",
                      secret_id);
        rc = -1;
    }
    json_decref(answer);
    return rc;
}
