/* SPDX-License-Identifier: Apache-2.0 */
#include "util/jsonx.h"

#include <stdlib.h>
#include <string.h>

char *jsonx_strdup_member(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? strdup(s) : NULL;
}
