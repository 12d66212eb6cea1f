/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigv4-sign: signs requests read as JSON lines from stdin and writes one JSON
 * line per request, for the differential test against botocore
 * (tests/integration/test_sigv4_botocore.py).
 *
 * In:  {"method","path","query","headers":[[name,value],...],"body",
 *       "access_key","secret_key","token","region","service","amz_date",
 *       "normalize":bool,"double_encode":bool}
 * Out: {"canonical_request","string_to_sign","signature","authorization"}
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sigv4.h"

#define MAX_HEADERS 64

static json_t *sign_one(json_t *in)
{
    json_t *hs = json_object_get(in, "headers");
    sigv4_header headers[MAX_HEADERS];
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(hs) && n < MAX_HEADERS; i++) {
        json_t *h = json_array_get(hs, i);
        headers[n++] = (sigv4_header){json_string_value(json_array_get(h, 0)),
                                      json_string_value(json_array_get(h, 1))};
    }
    const char *body = json_string_value(json_object_get(in, "body"));
    sigv4_request req = {json_string_value(json_object_get(in, "method")),
                         json_string_value(json_object_get(in, "path")),
                         json_string_value(json_object_get(in, "query")),
                         headers,
                         n,
                         body,
                         body ? strlen(body) : 0};
    sigv4_params p = {json_string_value(json_object_get(in, "access_key")),
                      json_string_value(json_object_get(in, "secret_key")),
                      json_string_value(json_object_get(in, "token")),
                      json_string_value(json_object_get(in, "region")),
                      json_string_value(json_object_get(in, "service")),
                      json_string_value(json_object_get(in, "amz_date")),
                      json_is_true(json_object_get(in, "normalize")),
                      json_is_true(json_object_get(in, "double_encode")),
                      0};
    sigv4_result out;
    if (sigv4_sign(&req, &p, &out) != 0)
        return json_pack("{s:s}", "error", "sigv4_sign failed");
    json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "canonical_request", out.canonical_request,
                          "string_to_sign", out.string_to_sign, "signature", out.signature,
                          "authorization", out.authorization);
    sigv4_result_free(&out);
    return j;
}

int main(void)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, stdin)) > 0) {
        json_error_t err;
        json_t *in = json_loadb(line, (size_t)len, 0, &err);
        json_t *out = in ? sign_one(in) : json_pack("{s:s}", "error", err.text);
        char *text = json_dumps(out, JSON_COMPACT);
        puts(text);
        free(text);
        json_decref(out);
        json_decref(in);
    }
    free(line);
    return 0;
}
