/* SPDX-License-Identifier: Apache-2.0 */
#include "util/strv.h"

#include <stdlib.h>
#include <string.h>

void strv_free(char **list, size_t n)
{
    if (!list)
        return;
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

int strv_contains(const char *const *list, const char *s)
{
    for (; list && *list; list++)
        if (!strcmp(*list, s))
            return 1;
    return 0;
}
