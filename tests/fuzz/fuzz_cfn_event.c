/* SPDX-License-Identifier: Apache-2.0 */
/* The CloudFormation event and its properties: everything a stack author (or
 * a broken caller) can put in front of the function. */
#include <stddef.h>
#include <stdint.h>

#include "cfn/request.h"
#include "engine/props.h"
#include "engine/secrets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cfn_request req;
    char why[1024];
    cfn_parse_status st = cfn_request_parse((const char *)data, size, &req, why, sizeof why);
    if (st == CFN_PARSE_OK || st == CFN_PARSE_INVALID) {
        ecs_props props;
        if (props_parse(req.properties, &props, why, sizeof why) == 0)
            props_free(&props);
        (void)secrets_present(req.properties);
        cfn_request_free(&req);
    }
    return 0;
}
