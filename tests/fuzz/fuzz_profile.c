/* The shared credentials and config files. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    static aws_profile p;
    memset(&p, 0, sizeof p);
    (void)aws_profile_parse(text, "default", 1, &p);
    (void)aws_profile_parse(text, "ci", 0, &p);
    free(text);
    return 0;
}
