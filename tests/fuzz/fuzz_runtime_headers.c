/* SPDX-License-Identifier: Apache-2.0 */
/* The Lambda Runtime API's invocation headers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lambda/runtime.h"
#include "fuzz_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    (void)lambda_runtime_parse_deadline(text);
    (void)lambda_runtime_valid_request_id(text);
    free(text);
    return 0;
}
