/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sha256: the digest the signer, the client token and the resource id use,
 * as lower-case hex, on OpenSSL's libcrypto.
 */
#ifndef ECS_UTIL_SHA256_H
#define ECS_UTIL_SHA256_H

#include <stddef.h>

#define SHA256_HEX_LEN 64

/* Lower-case hex SHA-256 of data[0..len) (data may be NULL when len is 0);
 * out holds SHA256_HEX_LEN + 1 bytes. */
void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN + 1]);

/* The raw digest (32 bytes). */
void sha256_raw(const void *data, size_t len, unsigned char out[32]);

/* Lower-case hex of n bytes; out holds 2n + 1 bytes. */
void sha256_to_hex(const unsigned char *in, size_t n, char *out);

#endif
