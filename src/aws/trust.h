/* SPDX-License-Identifier: Apache-2.0 */
/*
 * trust: the CA certificates TLS connections to AWS are verified against.
 *
 * Chosen at the first call that needs them, never before (runtime mode's
 * first `next` is plain http): AWS_CA_BUNDLE, else SSL_CERT_FILE, a PEM
 * bundle used alone when set; else a directory of hash-named CA files
 * (`openssl rehash`), from which OpenSSL reads only the CAs a chain names:
 * SSL_CERT_DIR, else /etc/pki/ca-trust/extracted/pem/directory-hash or
 * /etc/ssl/certs when it holds hash links; else the first existing bundle
 * among /etc/pki/tls/certs/ca-bundle.crt (Amazon Linux),
 * /etc/ssl/certs/ca-certificates.crt (Debian), /etc/ssl/cert.pem.
 *
 * A bundle is read lazily too. Handed to OpenSSL whole (CURLOPT_CAINFO) it is
 * parsed whole for each new TLS context: ~0.25 ms a certificate, ~35 ms for
 * Debian's 145. Here the first lookup reads the file once and indexes its
 * certificates by the DER encoding of their subject (base64 decoded with
 * EVP_DecodeBlock, the subject located with ASN1_get_object); a lookup then
 * parses (d2i_X509, d2i_X509_AUX for TRUSTED CERTIFICATE blocks) only the
 * certificates of the subject asked for and adds them to the store, as
 * OpenSSL's hashed-directory lookup does.
 * Names match by encoding: RFC 5280 4.1.2.6 has a CA encode its subject
 * exactly as the issuer field of what it issues. A certificate the index
 * cannot read, or whose parsed subject is not the name asked for, is never
 * trusted: every failure fails closed.
 *
 * Verification itself is libcurl's and OpenSSL's, always on.
 */
#ifndef ECS_AWS_TRUST_H
#define ECS_AWS_TRUST_H

#include <openssl/x509.h>
#include <stddef.h>

typedef struct trust_store trust_store;

/* Nothing is read or looked up yet. Owned: trust_free. NULL when out of
 * memory. */
trust_store *trust_new(void);

/* After every X509_STORE trust_attach was given to is freed. NULL is a
 * no-op. */
void trust_free(trust_store *t);

/* The bundle in use (AWS_CA_BUNDLE, SSL_CERT_FILE, or the platform's when
 * there is no CA directory), or NULL when there is none. Borrowed. */
const char *trust_ca_file(trust_store *t);

/* The hashed CA directory in use instead of the platform's bundle, or NULL.
 * Borrowed. */
const char *trust_ca_dir(trust_store *t);

/* Makes `store` (a new TLS context's) look CAs up in the bundle. 0, or -1
 * when out of memory. */
int trust_attach_bundle(trust_store *t, X509_STORE *store);

/* How many certificates of the bundle the index holds (read on the first
 * call): for tests and benchmarks. -1 when the bundle cannot be read. */
long trust_bundle_count(trust_store *t);

#endif
