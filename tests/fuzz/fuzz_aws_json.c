/* SPDX-License-Identifier: Apache-2.0 */
/* JSON answers of ECS (tasks, failures), of the credential endpoints and of a
 * credential_process. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "aws/credential_process.h"
#include "aws/ecs.h"
#include "aws/metadata_credentials.h"
#include "fuzz_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *doc = json_loadb((const char *)data, size, 0, NULL);
    if (doc) {
        ecs_task_set set = {0};
        char why[512];
        if (ecs_parse_task_set(doc, &set, why, sizeof why) == 0)
            ecs_task_set_free(&set);
        json_decref(doc);
    }
    char *text = fuzz_text(data, size);
    if (text) {
        aws_credentials c;
        char why[256];
        (void)metadata_parse_credentials(text, "fuzz", &c, why, sizeof why);
        (void)credential_process_parse(text, "fuzz", &c, why, sizeof why);
        (void)aws_credentials_parse_time(text);
        free(text);
    }
    return 0;
}
