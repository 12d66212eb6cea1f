/* SPDX-License-Identifier: Apache-2.0 */
/* SHA-256 against the FIPS 180-2 vectors, and the lower-case hex encoder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/sha256.h"

#define EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

static void check(const void *data, size_t len, const char *want)
{
    char out[SHA256_HEX_LEN + 1];
    memset(out, 'Z', sizeof out);
    sha256_hex(data, len, out);
    assert_int_equal(strlen(out), SHA256_HEX_LEN);
    assert_string_equal(out, want);
}

static void test_vectors(void **state)
{
    (void)state;
    check("", 0, EMPTY);
    check(NULL, 0, EMPTY);
    check("abc", 3, ABC);
    /* Only len bytes are hashed. */
    check("abcdef", 3, ABC);
    check("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    /* Binary data: a NUL byte is data. */
    check("\0", 1, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
}

static void test_million_a(void **state)
{
    (void)state;
    size_t n = 1000000;
    char *a = malloc(n);
    memset(a, 'a', n);
    check(a, n, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
}

static void test_raw(void **state)
{
    (void)state;
    unsigned char md[32];
    sha256_raw("abc", 3, md);
    static const unsigned char want[32] = {
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
        0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
        0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
    };
    assert_memory_equal(md, want, 32);
    sha256_raw(NULL, 0, md);
    assert_int_equal(md[0], 0xe3);
    assert_int_equal(md[31], 0x55);
}

static void test_to_hex(void **state)
{
    (void)state;
    static const unsigned char in[] = {0x00, 0x01, 0x0f, 0x10, 0x7f, 0x80, 0xab, 0xff};
    char out[2 * sizeof in + 2];
    memset(out, 'Z', sizeof out);
    sha256_to_hex(in, sizeof in, out);
    assert_string_equal(out, "00010f107f80abff");
    assert_int_equal(out[2 * sizeof in + 1], 'Z'); /* nothing past 2n + 1 */
    sha256_to_hex(in, 0, out);
    assert_string_equal(out, "");
    sha256_to_hex(in + 6, 1, out);
    assert_string_equal(out, "ab");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_million_a),
        cmocka_unit_test(test_raw),
        cmocka_unit_test(test_to_hex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
