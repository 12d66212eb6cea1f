/*
 * SigV4: unit tests, and the official AWS SigV4 test suite.
 *
 *   test_sigv4                 the unit tests below
 *   test_sigv4 --vector DIR    one vector of aws-sigv4-test-suite/v4: the canonical
 *                              request, string to sign and signature must equal the
 *                              suite's header-*.txt files byte for byte
 * ctest registers one --vector run per directory of tests/data/aws-sigv4-test-suite/v4,
 * which ships with the repository; a missing vector fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aws/sigv4.h"
#include "util/buf.h"

/* --- the vector runner --------------------------------------------------- */

static char *slurp(const char *dir, const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    buf b;
    buf_init(&b, 1u << 20);
    if (buf_append_file(&b, path) != 0) {
        buf_free(&b);
        return NULL;
    }
    if (len)
        *len = b.len;
    return buf_take(&b);
}

typedef struct parsed_request {
    char method[16];
    char path[2048];
    char query[2048];
    char *names[32];
    char *values[32];
    size_t n_headers;
    const char *body;
    size_t body_len;
} parsed_request;

/* request.txt: "METHOD PATH[?QUERY] HTTP/1.1", header lines (a line starting
 * with whitespace continues the previous value), a blank line, the body. */
static int parse_request(char *text, parsed_request *r)
{
    memset(r, 0, sizeof *r);
    char *line_end = strchr(text, '\n');
    if (!line_end)
        line_end = text + strlen(text);
    *line_end = '\0';
    char *sp = strchr(text, ' ');
    char *proto = strstr(text, " HTTP/");
    if (!sp || !proto)
        return -1;
    snprintf(r->method, sizeof r->method, "%.*s", (int)(sp - text), text);
    char target[2048];
    snprintf(target, sizeof target, "%.*s", (int)(proto - sp - 1), sp + 1);
    char *q = strchr(target, '?');
    if (q) {
        *q = '\0';
        snprintf(r->query, sizeof r->query, "%s", q + 1);
    }
    snprintf(r->path, sizeof r->path, "%s", target);
    char *p = line_end + 1;
    while (*p && *p != '\n') {
        char *end = strchr(p, '\n');
        if (end)
            *end = '\0';
        if ((*p == ' ' || *p == '\t') && r->n_headers) {
            char *prev = r->values[r->n_headers - 1];
            size_t need = strlen(prev) + strlen(p) + 2;
            prev = realloc(prev, need);
            strcat(prev, " ");
            strcat(prev, p);
            r->values[r->n_headers - 1] = prev;
        } else {
            char *colon = strchr(p, ':');
            if (!colon || r->n_headers == 32)
                return -1;
            r->names[r->n_headers] = strndup(p, (size_t)(colon - p));
            r->values[r->n_headers] = strdup(colon + 1);
            r->n_headers++;
        }
        if (!end)
            return 0;
        p = end + 1;
    }
    if (*p == '\n') {
        r->body = p + 1;
        r->body_len = strlen(p + 1);
    }
    return 0;
}

static int compare(const char *what, const char *got, const char *want)
{
    if (want && !strcmp(got, want))
        return 0;
    fprintf(stderr, "MISMATCH in %s\n--- expected\n%s\n--- got\n%s\n---\n", what,
            want ? want : "(file missing)", got);
    return 1;
}

static int run_vector(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        fprintf(stderr,
                "FAILED: SigV4 test vector not found at %s (tests/data ships with the "
                "repository)\n",
                dir);
        return 1;
    }
    char *context = slurp(dir, "context.json", NULL);
    char *request = slurp(dir, "request.txt", NULL);
    json_t *ctx = context ? json_loads(context, 0, NULL) : NULL;
    parsed_request r;
    if (!ctx || !request || parse_request(request, &r) != 0) {
        fprintf(stderr, "cannot read the vector in %s\n", dir);
        return 1;
    }
    json_t *creds = json_object_get(ctx, "credentials");
    const char *ts = json_string_value(json_object_get(ctx, "timestamp"));
    char date[17];
    /* "2015-08-30T12:36:00Z" -> "20150830T123600Z" */
    snprintf(date, sizeof date, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", ts, ts + 5, ts + 8, ts + 11, ts + 14,
             ts + 17);
    int omit_token = json_is_true(json_object_get(ctx, "omit_session_token"));
    sigv4_params p = {
        .access_key_id = json_string_value(json_object_get(creds, "access_key_id")),
        .secret_access_key = json_string_value(json_object_get(creds, "secret_access_key")),
        .session_token = omit_token ? NULL : json_string_value(json_object_get(creds, "token")),
        .region = json_string_value(json_object_get(ctx, "region")),
        .service = json_string_value(json_object_get(ctx, "service")),
        .amz_date = date,
        .normalize_path = json_is_true(json_object_get(ctx, "normalize")),
        .double_encode_path = 1,
        .sign_payload_header = json_is_true(json_object_get(ctx, "sign_body")),
    };
    sigv4_header headers[32];
    for (size_t i = 0; i < r.n_headers; i++)
        headers[i] = (sigv4_header){r.names[i], r.values[i]};
    sigv4_request req = {r.method, r.path, r.query, headers, r.n_headers, r.body, r.body_len};
    sigv4_result out;
    int failures = 1;
    if (sigv4_sign(&req, &p, &out) == 0) {
        char *creq = slurp(dir, "header-canonical-request.txt", NULL);
        char *sts = slurp(dir, "header-string-to-sign.txt", NULL);
        char *sig = slurp(dir, "header-signature.txt", NULL);
        failures = compare("canonical request", out.canonical_request, creq) +
                   compare("string to sign", out.string_to_sign, sts) +
                   compare("signature", out.signature, sig);
        free(creq);
        free(sts);
        free(sig);
        sigv4_result_free(&out);
    } else {
        fprintf(stderr, "sigv4_sign failed\n");
    }
    for (size_t i = 0; i < r.n_headers; i++) {
        free(r.names[i]);
        free(r.values[i]);
    }
    json_decref(ctx);
    free(context);
    free(request);
    if (!failures)
        printf("vector %s: canonical request, string to sign and signature match\n", dir);
    return failures ? 1 : 0;
}

/* --- unit tests ---------------------------------------------------------- */

static sigv4_params params(void)
{
    return (sigv4_params){.access_key_id = "AKIDEXAMPLE",
                          .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                          .region = "us-east-1",
                          .service = "lambda",
                          .amz_date = "20150830T123600Z",
                          .normalize_path = 1,
                          .double_encode_path = 1};
}

static void test_format_date(void **state)
{
    (void)state;
    char d[17];
    sigv4_format_date(1440938160000LL, d);
    assert_string_equal(d, "20150830T123600Z");
}

static void test_uri_encode(void **state)
{
    (void)state;
    char *e = sigv4_uri_encode("a b/c~d:é", 1);
    assert_string_equal(e, "a%20b/c~d%3A%C3%A9");
    free(e);
    e = sigv4_uri_encode("a/b", 0);
    assert_string_equal(e, "a%2Fb");
    free(e);
}

static void test_lambda_arn_path_double_encoded(void **state)
{
    (void)state;
    sigv4_header h[] = {{"Host", "lambda.us-east-1.amazonaws.com"}};
    sigv4_request req = {"POST",
                         "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3A"
                         "function%3Ax/invocations",
                         NULL,
                         h,
                         1,
                         "{}",
                         2};
    sigv4_params p = params();
    sigv4_result out;
    assert_int_equal(sigv4_sign(&req, &p, &out), 0);
    assert_non_null(strstr(out.canonical_request,
                           "\n/2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-east-1%253A"));
    sigv4_result_free(&out);
}

static void test_headers_folded_joined_and_expect_skipped(void **state)
{
    (void)state;
    sigv4_header h[] = {{"Host", "h"}, {"X-B", "  two   words  "}, {"x-a", "1"},
                        {"X-A", "2"},  {"Expect", "100-continue"}, {"X-Empty", ""}};
    sigv4_request req = {"GET", "/", "b=2&a=1&a=0", h, 6, NULL, 0};
    sigv4_params p = params();
    p.session_token = "TOKEN";
    sigv4_result out;
    assert_int_equal(sigv4_sign(&req, &p, &out), 0);
    assert_string_equal(out.canonical_request,
                        "GET\n/\na=0&a=1&b=2\nhost:h\nx-a:1,2\nx-amz-date:20150830T123600Z\n"
                        "x-amz-security-token:TOKEN\nx-b:two words\nx-empty:\n\n"
                        "host;x-a;x-amz-date;x-amz-security-token;x-b;x-empty\n"
                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_int_equal(out.n_added, 2);
    assert_string_equal(out.added[0].name, "X-Amz-Date");
    assert_string_equal(out.added[1].name, "X-Amz-Security-Token");
    assert_non_null(strstr(out.authorization, "Credential=AKIDEXAMPLE/20150830/us-east-1/lambda/"
                                              "aws4_request, SignedHeaders=host;x-a;"));
    sigv4_result_free(&out);
}

static void test_invalid_input(void **state)
{
    (void)state;
    sigv4_header h[] = {{"X", "y"}};
    sigv4_request req = {"GET", "/", NULL, h, 1, NULL, 0};
    sigv4_params p = params();
    sigv4_result out;
    assert_int_equal(sigv4_sign(&req, &p, &out), -1); /* no Host */
    sigv4_header host[] = {{"Host", "h"}};
    req.headers = host;
    p.amz_date = "2015-08-30";
    assert_int_equal(sigv4_sign(&req, &p, &out), -1);
}

static void test_query_encoding(void **state)
{
    (void)state;
    sigv4_header h[] = {{"Host", "h"}};
    sigv4_request req = {"GET", "/", "k=a%20b&flag&x=%7e&u=é", h, 1, NULL, 0};
    sigv4_params p = params();
    sigv4_result out;
    assert_int_equal(sigv4_sign(&req, &p, &out), 0);
    assert_non_null(strstr(out.canonical_request, "\nflag=&k=a%20b&u=%C3%A9&x=~\n"));
    sigv4_result_free(&out);
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--vector"))
        return run_vector(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_date),
        cmocka_unit_test(test_uri_encode),
        cmocka_unit_test(test_lambda_arn_path_double_encoded),
        cmocka_unit_test(test_headers_folded_joined_and_expect_skipped),
        cmocka_unit_test(test_invalid_input),
        cmocka_unit_test(test_query_encoding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
