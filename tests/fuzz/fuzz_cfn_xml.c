/* SPDX-License-Identifier: Apache-2.0 */
/* The CloudFormation DescribeStacks XML answer. */
#include <stddef.h>
#include <stdint.h>

#include "aws/cloudformation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char status[128];
    (void)cloudformation_parse_status((const char *)data, size, status, sizeof status);
    return 0;
}
