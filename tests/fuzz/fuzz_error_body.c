/* SPDX-License-Identifier: Apache-2.0 */
/* AWS error answers: JSON, XML, headers and garbage. The first byte picks the
 * HTTP status and whether an X-Amzn-ErrorType header comes along. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int status = 400 + data[0] % 200;
    aws_error err;
    aws_error_clear(&err);
    aws_error_decode(&err, status, NULL, (const char *)data + 1, size - 1, NULL);
    char *header = malloc(size);
    if (header) {
        memcpy(header, data + 1, size - 1);
        header[size - 1] = '\0';
        aws_error_decode(&err, status, header, NULL, 0, NULL);
        free(header);
    }
    char text[1024];
    (void)aws_error_str(&err, text, sizeof text);
    return 0;
}
