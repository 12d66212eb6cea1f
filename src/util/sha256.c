/* SPDX-License-Identifier: Apache-2.0 */
#include "util/sha256.h"

#include <openssl/evp.h>

void sha256_to_hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

void sha256_raw(const void *data, size_t len, unsigned char out[32])
{
    unsigned int n = 0;
    EVP_Digest(data ? data : "", len, out, &n, EVP_sha256(), NULL);
}

void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN + 1])
{
    unsigned char md[32];
    sha256_raw(data, len, md);
    sha256_to_hex(md, sizeof md, out);
}
