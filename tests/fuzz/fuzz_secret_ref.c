/* SPDX-License-Identifier: Apache-2.0 */
/* {{resolve:...}} references, as written inside property strings. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "engine/secrets.h"
#include "fuzz_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    secrets_ref ref;
    char why[512];
    (void)secrets_parse_ref(text, &ref, why, sizeof why);
    char *v = secrets_json_key(text, "k", why, sizeof why);
    free(v);
    free(text);
    return 0;
}
