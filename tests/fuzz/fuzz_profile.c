/* SPDX-License-Identifier: Apache-2.0 */
/* The shared credentials and config files. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/profile.h"
#include "fuzz_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    static aws_profile p;
    memset(&p, 0, sizeof p);
    (void)aws_profile_parse(text, "default", 1, &p);
    (void)aws_profile_parse(text, "ci", 0, &p);
    free(text);
    return 0;
}
