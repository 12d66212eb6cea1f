/* SPDX-License-Identifier: Apache-2.0 */
#include "util/token.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

void token_random_hex(char *out, size_t cap)
{
    unsigned char bytes[16] = {0};
    if (getrandom(bytes, sizeof bytes, 0) != (ssize_t)sizeof bytes) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        memcpy(bytes, &ts, sizeof ts < sizeof bytes ? sizeof ts : sizeof bytes);
        bytes[15] ^= (unsigned char)getpid();
    }
    out[0] = '\0';
    for (size_t i = 0; i < sizeof bytes && 2 * i + 2 < cap; i++)
        snprintf(out + 2 * i, 3, "%02x", bytes[i]);
}
