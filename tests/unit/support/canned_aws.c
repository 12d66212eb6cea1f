/* SPDX-License-Identifier: Apache-2.0 */
#include "canned_aws.h"

#include <stdio.h>
#include <stdlib.h>

static char authority[64];

aws_client *canned_aws_client(const canned_response *script, size_t n, fake_clock *fc)
{
    int port = canned_server_start(script, n);
    snprintf(authority, sizeof authority, "127.0.0.1:%d", port);
    char url[96];
    snprintf(url, sizeof url, "http://%s", authority);
    setenv("AWS_ENDPOINT_URL", url, 1);
    setenv("AWS_REGION", CANNED_AWS_REGION, 1);
    setenv("AWS_ACCESS_KEY_ID", CANNED_AWS_KEY_ID, 1);
    setenv("AWS_SECRET_ACCESS_KEY", CANNED_AWS_SECRET, 1);
    unsetenv("AWS_SESSION_TOKEN");
    unsetenv("AWS_MAX_ATTEMPTS");
    fake_clock_init(fc, 1700000000000);
    aws_error err;
    return aws_client_new(&fc->clock, &err);
}

void canned_aws_stop(aws_client *c)
{
    aws_client_free(c);
    canned_server_stop();
}

const char *canned_aws_authority(void)
{
    return authority;
}

json_t *canned_aws_json(size_t i)
{
    json_error_t jerr;
    return json_loads(canned_server_body(i), 0, &jerr);
}
