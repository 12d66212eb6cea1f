/* SPDX-License-Identifier: Apache-2.0 */
/* The re-invocation state (engine/state.c): any JSON value in EcsTasksState,
 * as anyone allowed to invoke the function can write it. What state_parse
 * accepts must re-serialise and read back to the same values; what it
 * refuses leaves the state zeroed with a reason. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int is_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return 0;
    return 1;
}

static void same_or_abort(const run_state *a, int hops_a, const run_state *b, int hops_b)
{
    if (hops_a != hops_b || a->first_receipt_ms != b->first_receipt_ms ||
        strcmp(a->client_token, b->client_token) != 0 ||
        strcmp(a->started_by, b->started_by) != 0 || a->rounds != b->rounds ||
        a->n_slots != b->n_slots || memcmp(a->slots, b->slots, sizeof a->slots) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t jerr;
    json_t *j = json_loadb((const char *)data, size, JSON_DECODE_ANY, &jerr);
    if (!j)
        return 0;
    run_state st;
    int hops;
    char why[256] = "";
    if (state_parse(j, &st, &hops, why, sizeof why) != 0) {
        if (!is_zero(&st, sizeof st) || hops != 0 || !why[0])
            abort();
        json_decref(j);
        return 0;
    }
    if (hops < 1 || hops > STATE_MAX_HOPS || st.n_slots < 1 || st.n_slots > RUN_MAX_TASKS ||
        st.first_receipt_ms <= 0)
        abort();
    if (state_check(&st, st.client_token, st.started_by, why, sizeof why) != 0)
        abort();

    /* Written again, through text as a re-invocation carries it. */
    json_t *again = state_serialise(&st, hops);
    char *text = again ? json_dumps(again, JSON_COMPACT) : NULL;
    json_decref(again);
    json_t *back = text ? json_loads(text, 0, &jerr) : NULL;
    free(text);
    if (back) {
        run_state st2;
        int hops2;
        if (state_parse(back, &st2, &hops2, why, sizeof why) != 0)
            abort();
        same_or_abort(&st, hops, &st2, hops2);
        json_decref(back);
    }
    json_decref(j);
    return 0;
}
