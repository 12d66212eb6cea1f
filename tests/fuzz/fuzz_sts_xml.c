/* SPDX-License-Identifier: Apache-2.0 */
/* The STS AssumeRole / AssumeRoleWithWebIdentity XML answer. */
#include <stddef.h>
#include <stdint.h>

#include "aws/sts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    aws_credentials c;
    char why[256];
    (void)sts_parse_credentials((const char *)data, size, &c, why, sizeof why);
    return 0;
}
