/* SPDX-License-Identifier: Apache-2.0 */
/* aws/trust.c: which trust store is chosen (environment, platform files and
 * directories), and the lazy bundle: every certificate of a bundle is found
 * by its subject (CERTIFICATE and TRUSTED CERTIFICATE blocks, CRLF and odd
 * line widths, other PEM objects and broken blocks around them), nothing is
 * found in an unreadable bundle or one that changed after it was indexed,
 * and every certificate of the platform's own bundle is found. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aws/trust.h"
#include "support/aws_env.h"

static const char *const platform_bundles[] = {
    "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/certs/ca-certificates.crt", "/etc/ssl/cert.pem"};

static const char *platform_bundle(void)
{
    for (size_t i = 0; i < sizeof platform_bundles / sizeof platform_bundles[0]; i++)
        if (access(platform_bundles[i], R_OK) == 0)
            return platform_bundles[i];
    return NULL;
}

/* A self-signed P-256 CA named CN=<cn>. Owned by the caller. */
static X509 *make_ca(const char *cn)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *x = X509_new();
    assert_non_null(key);
    assert_non_null(x);
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_NAME *name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"ecs-tasks tests",
                               -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    X509_set_issuer_name(x, name);
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_set_pubkey(x, key);
    assert_true(X509_sign(x, key, EVP_sha256()) > 0);
    EVP_PKEY_free(key);
    return x;
}

/* The PEM text of a certificate, "TRUSTED CERTIFICATE" when `trusted`. */
static char *pem_of(X509 *x, int trusted)
{
    BIO *out = BIO_new(BIO_s_mem());
    assert_int_equal(trusted ? PEM_write_bio_X509_AUX(out, x) : PEM_write_bio_X509(out, x), 1);
    char *data;
    long n = BIO_get_mem_data(out, &data);
    char *s = strndup(data, (size_t)n);
    BIO_free(out);
    return s;
}

/* A CA whose name is so long that its subject, after the issuer (the same
 * name), lies past the first 512 base64 characters. */
static X509 *make_long_named_ca(void)
{
    X509 *x = make_ca("long");
    X509_NAME *name = X509_NAME_new();
    for (int i = 0; i < 8; i++) {
        char unit[64];
        snprintf(unit, sizeof unit, "unit %d of a CA whose name runs past the first lines", i);
        X509_NAME_add_entry_by_txt(name, "OU", MBSTRING_ASC, (const unsigned char *)unit, -1, -1,
                                   0);
    }
    X509_set_subject_name(x, name);
    X509_set_issuer_name(x, name);
    X509_NAME_free(name);
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509_set_pubkey(x, key);
    assert_true(X509_sign(x, key, EVP_sha256()) > 0);
    EVP_PKEY_free(key);
    return x;
}

/* A CA whose TRUSTED CERTIFICATE block ends with '=' padding or without:
 * the signature's length varies, so a few tries give either. */
static X509 *make_trusted_ca(const char *cn, int padded, char **pem)
{
    for (int i = 0; i < 100; i++) {
        X509 *x = make_ca(cn);
        *pem = pem_of(x, 1);
        if ((strstr(*pem, "=\n-----END") != NULL) == padded)
            return x;
        free(*pem);
        X509_free(x);
    }
    fail_msg("no certificate with padding %d in 100 tries", padded);
    return NULL;
}

/* The same block with its base64 rewrapped at `width` columns and lines
 * ended by CRLF. */
static char *rewrapped_crlf(const char *pem, size_t width)
{
    const char *body = strchr(pem, '\n') + 1;
    const char *end = strstr(body, "-----END ");
    char *out = calloc(1, strlen(pem) * 2 + 16);
    size_t n = 0, col = 0;
    memcpy(out, pem, (size_t)(body - pem - 1));
    n = (size_t)(body - pem - 1);
    out[n++] = '\r';
    out[n++] = '\n';
    for (const char *p = body; p < end; p++) {
        if (*p == '\n')
            continue;
        out[n++] = *p;
        if (++col == width) {
            out[n++] = '\r';
            out[n++] = '\n';
            col = 0;
        }
    }
    if (col) {
        out[n++] = '\r';
        out[n++] = '\n';
    }
    for (const char *p = end; *p; p++) {
        if (*p == '\n')
            out[n++] = '\r';
        out[n++] = *p;
    }
    return out;
}

static char bundle_path[64];

static void write_bundle(const char *text)
{
    snprintf(bundle_path, sizeof bundle_path, "/tmp/ecs-trust-test-%d.pem", (int)getpid());
    FILE *f = fopen(bundle_path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The certificate the store's lookups give for x's subject (owned), or
 * NULL. */
static X509 *lookup(X509_STORE *store, X509 *x)
{
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    assert_true(X509_STORE_CTX_init(ctx, store, NULL, NULL));
    X509_OBJECT *obj =
        X509_STORE_CTX_get_obj_by_subject(ctx, X509_LU_X509, X509_get_subject_name(x));
    X509 *found = obj ? X509_OBJECT_get0_X509(obj) : NULL;
    if (found)
        X509_up_ref(found);
    X509_OBJECT_free(obj);
    X509_STORE_CTX_free(ctx);
    return found;
}

/* x is found by its subject: the lookup answers, and every certificate of
 * that subject (a bundle may hold several) is then in the store. */
static void assert_found(trust_store *t, X509 *x)
{
    X509_STORE *store = X509_STORE_new();
    assert_int_equal(trust_attach_bundle(t, store), 0);
    X509 *found = lookup(store, x);
    assert_non_null(found);
    assert_int_equal(X509_NAME_cmp(X509_get_subject_name(found), X509_get_subject_name(x)), 0);
    X509_free(found);
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    assert_true(X509_STORE_CTX_init(ctx, store, NULL, NULL));
    STACK_OF(X509) *same = X509_STORE_CTX_get1_certs(ctx, X509_get_subject_name(x));
    int in_store = 0;
    for (int i = 0; same && i < sk_X509_num(same); i++)
        in_store |= X509_cmp(sk_X509_value(same, i), x) == 0;
    assert_true(in_store);
    sk_X509_pop_free(same, X509_free);
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
}

static void assert_not_found(trust_store *t, X509 *x)
{
    X509_STORE *store = X509_STORE_new();
    assert_int_equal(trust_attach_bundle(t, store), 0);
    assert_null(lookup(store, x));
    X509_STORE_free(store);
}

static trust_store *store_for(const char *path)
{
    setenv("AWS_CA_BUNDLE", path, 1);
    trust_store *t = trust_new();
    assert_non_null(t);
    assert_string_equal(trust_ca_file(t), path);
    return t;
}

static void test_choice_from_environment(void **state)
{
    (void)state;
    setenv("AWS_CA_BUNDLE", "/opt/bundle.pem", 1);
    setenv("SSL_CERT_FILE", "/opt/ssl.pem", 1);
    setenv("SSL_CERT_DIR", "/opt/certs", 1);
    trust_store *t = trust_new();
    assert_string_equal(trust_ca_file(t), "/opt/bundle.pem");
    assert_null(trust_ca_dir(t)); /* a bundle named is used alone */
    trust_free(t);

    setenv("AWS_CA_BUNDLE", "", 1); /* empty counts as unset */
    t = trust_new();
    assert_string_equal(trust_ca_file(t), "/opt/ssl.pem");
    assert_null(trust_ca_dir(t));
    trust_free(t);

    unsetenv("SSL_CERT_FILE");
    t = trust_new();
    assert_string_equal(trust_ca_dir(t), "/opt/certs");
    trust_free(t);
}

static void test_choice_from_platform(void **state)
{
    (void)state;
    unsetenv("AWS_CA_BUNDLE");
    unsetenv("SSL_CERT_FILE");
    unsetenv("SSL_CERT_DIR");
    trust_store *t = trust_new();
    const char *expect = platform_bundle();
    if (expect)
        assert_string_equal(trust_ca_file(t), expect);
    else
        assert_null(trust_ca_file(t));
    /* A directory only when it holds hash links (Debian's /etc/ssl/certs). */
    const char *dir = trust_ca_dir(t);
    if (dir)
        assert_true(!strcmp(dir, "/etc/ssl/certs") ||
                    !strcmp(dir, "/etc/pki/ca-trust/extracted/pem/directory-hash"));
    trust_free(t);
}

static void test_every_block_form_found(void **state)
{
    (void)state;
    char *t_padded, *t_exact;
    X509 *plain = make_ca("plain"), *crlf = make_ca("crlf"), *absent = make_ca("absent"),
         *long_named = make_long_named_ca(),
         *trusted_padded = make_trusted_ca("trusted padded", 1, &t_padded),
         *trusted_exact = make_trusted_ca("trusted exact", 0, &t_exact);
    char *a = pem_of(plain, 0), *raw = pem_of(crlf, 0), *c = rewrapped_crlf(raw, 76),
         *l = pem_of(long_named, 0);
    char text[16384];
    snprintf(text, sizeof text,
             "# comment before\n%s"
             "-----BEGIN X509 CRL-----\nMIIBbroken\n-----END X509 CRL-----\n"
             "-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----\n"
             "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
             "%sbetween\n%s%s%s",
             a, c, t_padded, t_exact, l);
    write_bundle(text);
    trust_store *t = store_for(bundle_path);
    assert_int_equal(trust_bundle_count(t), 5);
    assert_found(t, plain);
    assert_found(t, crlf);
    assert_found(t, trusted_padded);
    assert_found(t, trusted_exact);
    assert_found(t, long_named);
    assert_not_found(t, absent);
    trust_free(t);
    unlink(bundle_path);
    free(a), free(raw), free(c), free(l), free(t_padded), free(t_exact);
    X509_free(plain), X509_free(crlf), X509_free(absent), X509_free(long_named);
    X509_free(trusted_padded), X509_free(trusted_exact);
}

static void test_changed_bundle_fails_closed(void **state)
{
    (void)state;
    X509 *first = make_ca("first"), *second = make_ca("second");
    char *a = pem_of(first, 0), *b = pem_of(second, 0);
    char text[8192];
    snprintf(text, sizeof text, "%s%s", a, b);
    write_bundle(text);
    trust_store *t = store_for(bundle_path);
    assert_int_equal(trust_bundle_count(t), 2);
    /* Rewritten after the index was made: the offsets now point into other
     * text, which must not be trusted in place of what was indexed. */
    snprintf(text, sizeof text, "%s%s", b, a);
    write_bundle(text);
    assert_not_found(t, second);
    trust_free(t);
    unlink(bundle_path);
    free(a), free(b);
    X509_free(first), X509_free(second);
}

static void test_unreadable_bundle(void **state)
{
    (void)state;
    X509 *x = make_ca("nowhere");
    trust_store *t = store_for("/nonexistent/bundle.pem");
    assert_int_equal(trust_bundle_count(t), -1);
    assert_not_found(t, x);
    trust_free(t);
    X509_free(x);
}

static void test_platform_bundle_whole(void **state)
{
    (void)state;
    const char *path = platform_bundle();
    if (!path)
        skip();
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    trust_store *t = store_for(path);
    long n = 0;
    for (X509 *x; (x = PEM_read_X509_AUX(f, NULL, NULL, NULL)); n++) {
        assert_found(t, x);
        X509_free(x);
    }
    fclose(f);
    assert_true(n > 0);
    assert_int_equal(trust_bundle_count(t), n);
    trust_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_choice_from_environment, aws_env_setup,
                                        aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_choice_from_platform, aws_env_setup, aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_every_block_form_found, aws_env_setup,
                                        aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_changed_bundle_fails_closed, aws_env_setup,
                                        aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_unreadable_bundle, aws_env_setup, aws_env_teardown),
        cmocka_unit_test_setup_teardown(test_platform_bundle_whole, aws_env_setup,
                                        aws_env_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
