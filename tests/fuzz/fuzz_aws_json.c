/* SPDX-License-Identifier: Apache-2.0 */
/* JSON answers of ECS (tasks, failures) and of the credential endpoints. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "aws/credentials.h"
#include "aws/ecs.h"
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
        (void)aws_credentials_parse_json(text, &c);
        free(text);
    }
    return 0;
}
