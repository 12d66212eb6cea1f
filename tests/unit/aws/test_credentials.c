/* SPDX-License-Identifier: Apache-2.0 */
/* The credential chain: its sources in order, profiles with roles (against a
 * canned STS), the refusals (a named profile that is missing or unusable,
 * mfa_serial, loops, control characters), caching until shortly before
 * expiry, and that no message holds a secret. The container and IMDS sources
 * themselves: test_metadata_credentials.c; end to end against moto:
 * tests/integration/test_credentials.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/credentials.h"
#include "support/aws_env.h"
#include "support/canned_server.h"
#include "support/fake_clock.h"
#include "util/log.h"

static fake_clock fc;
static http_client *http;
static aws_credentials_provider *prov;

#define XML_HDR "Content-Type: text/xml\r\n"
#define T0 1700000000000LL
#define EXPIRY_2030 1893456000000LL

/* An STS answer with the given key id, secret and token, expiring in 2030. */
#define STS_ANSWER(action, key, secret, token)                                                     \
    "<" action "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><" action "Result>"   \
    "<Credentials><AccessKeyId>" key "</AccessKeyId><SecretAccessKey>" secret                      \
    "</SecretAccessKey><SessionToken>" token "</SessionToken>"                                     \
    "<Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></" action "Result></" action      \
    "Response>"

static const canned_response role_a = {
    200, XML_HDR, STS_ANSWER("AssumeRole", "ASIAROLEA", "role-a-secret-value", "role-a-token")};
static const canned_response role_b = {
    200, XML_HDR, STS_ANSWER("AssumeRole", "ASIAROLEB", "role-b-secret-value", "role-b-token")};
static const canned_response web_role = {
    200, XML_HDR,
    STS_ANSWER("AssumeRoleWithWebIdentity", "ASIAWEB", "web-secret-value", "web-token-value")};
static const canned_response denied = {
    403, XML_HDR,
    "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed to "
    "assume it</Message></Error></ErrorResponse>"};
static const canned_response container_ok = {
    200, NULL,
    "{\"AccessKeyId\":\"ASIACONTAINER\",\"SecretAccessKey\":\"container-secret\",\"Token\":"
    "\"container-token\",\"Expiration\":\"2030-01-01T00:00:00Z\"}"};

static int setup(void **state)
{
    if (aws_env_setup(state) != 0)
        return -1;
    fake_clock_init(&fc, T0);
    setenv("AWS_REGION", "us-east-1", 1);
    http = http_client_new();
    prov = aws_credentials_provider_new(http, &fc.clock, "us-east-1");
    return http && prov ? 0 : -1;
}

static int teardown(void **state)
{
    aws_credentials_provider_free(prov);
    http_client_free(http);
    unsetenv("_X_AMZN_TRACE_ID");
    return aws_env_teardown(state);
}

/* Stops the canned server, closing the provider's kept-alive connections
 * first (the server would wait on them), and starts afresh. */
static void stop_server(void)
{
    aws_credentials_provider_free(prov);
    http_client_free(http);
    canned_server_stop();
    http = http_client_new();
    prov = aws_credentials_provider_new(http, &fc.clock, "us-east-1");
}

/* Starts the canned server and points STS and the container source at it. */
static void serve(const canned_response *script, size_t n)
{
    char url[128];
    int port = canned_server_start(script, n);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    setenv("AWS_ENDPOINT_URL_STS", url, 1);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/container", port);
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
}

static void config(const char *text)
{
    setenv("AWS_CONFIG_FILE", aws_env_write("config", text), 1);
}

/* The chain must fail with a message holding every needle and no secret. */
static void expect_error(const char *const *needles)
{
    aws_credentials c;
    aws_error err;
    assert_int_equal(aws_credentials_get(prov, &c, &err), -1);
    assert_string_equal(err.code, AWS_ERR_CREDENTIALS);
    for (const char *const *n = needles; *n; n++)
        if (!strstr(err.message, *n))
            fail_msg("'%s' not in: %s", *n, err.message);
    static const char *const secrets[] = {"base-secret-value",
                                          "role-a-secret-value",
                                          "role-a-token",
                                          "web-identity-jwt",
                                          "env-secret-value",
                                          "env-token-value",
                                          NULL};
    for (const char *const *s = secrets; *s; s++)
        if (strstr(err.message, *s))
            fail_msg("secret '%s' in: %s", *s, err.message);
}

static void test_chain_local_sources(void **state)
{
    (void)state;
    aws_credentials c;
    aws_error err;
    assert_int_equal(aws_credentials_get(prov, &c, &err), -1);
    assert_string_equal(err.code, AWS_ERR_CREDENTIALS);
    assert_non_null(strstr(err.message, "environment"));
    assert_non_null(strstr(err.message, "web identity (AWS_WEB_IDENTITY_TOKEN_FILE unset)"));
    assert_non_null(strstr(err.message, "profile default (not in the shared files)"));
    assert_non_null(strstr(err.message, "container (not configured)"));
    assert_non_null(strstr(err.message, "IMDS (AWS_EC2_METADATA_DISABLED)"));

    setenv(
        "AWS_SHARED_CREDENTIALS_FILE",
        aws_env_write("creds", "[default]\naws_access_key_id=PROFKEY\naws_secret_access_key=s\n"),
        1);
    assert_int_equal(aws_credentials_get(prov, &c, &err), 0);
    assert_string_equal(c.source, "profile");
    assert_string_equal(c.access_key_id, "PROFKEY");

    /* The environment wins, but only with both key and secret. */
    setenv("AWS_ACCESS_KEY_ID", "ENVKEY", 1);
    aws_credentials_provider_free(prov);
    prov = aws_credentials_provider_new(http, &fc.clock, "us-east-1");
    assert_int_equal(aws_credentials_get(prov, &c, &err), 0);
    assert_string_equal(c.source, "profile");
    setenv("AWS_SECRET_ACCESS_KEY", "env-secret-value", 1);
    setenv("AWS_SESSION_TOKEN", "env-token-value", 1);
    aws_credentials_provider_free(prov);
    prov = aws_credentials_provider_new(http, &fc.clock, "us-east-1");
    assert_int_equal(aws_credentials_get(prov, &c, &err), 0);
    assert_string_equal(c.source, "environment");
    assert_string_equal(c.session_token, "env-token-value");
    assert_int_equal(c.expiration_ms, 0);
}

static void test_fill_and_time(void **state)
{
    (void)state;
    static const char *const names[3] = {"K", "S", "T"};
    aws_credentials c;
    char why[256];
    assert_int_equal(aws_credentials_fill(&c, "AKID", "secret", NULL, names, "here", why, 256), 0);
    assert_string_equal(c.session_token, "");
    assert_int_equal(aws_credentials_fill(&c, "AKID", "", "t", names, "here", why, 256), -1);
    assert_string_equal(why, "S from here is missing or empty");
    assert_string_equal(c.access_key_id, "");
    assert_int_equal(
        aws_credentials_fill(&c, "AKID", "s", "tok\r\nX-Evil: 1", names, "here", why, sizeof why),
        -1);
    assert_string_equal(why, "T from here holds a control character; refusing to use it");
    assert_int_equal(aws_credentials_fill(&c, "AK\tID", "s", NULL, names, "here", why, 256), -1);
    char long_key[200];
    memset(long_key, 'A', sizeof long_key - 1);
    long_key[sizeof long_key - 1] = '\0';
    assert_int_equal(aws_credentials_fill(&c, long_key, "s", NULL, names, "here", why, 256), -1);
    assert_string_equal(why, "K from here is too long");

    assert_int_equal(aws_credentials_parse_time("2026-11-25T12:00:00Z"), 1795608000000LL);
    assert_int_equal(aws_credentials_parse_time("2026-11-25T12:00:00.123456Z"), 1795608000000LL);
    assert_int_equal(aws_credentials_parse_time("2026-11-25T13:30:00+01:30"), 1795608000000LL);
    assert_int_equal(aws_credentials_parse_time("2026-11-25T10:00:00-02:00"), 1795608000000LL);
    assert_int_equal(aws_credentials_parse_time("2026-11-25T12:00:00"), -1);
    assert_int_equal(aws_credentials_parse_time("2026-13-25T12:00:00Z"), -1);
    assert_int_equal(aws_credentials_parse_time("2026-11-25T12:00:00Zjunk"), -1);
    assert_int_equal(aws_credentials_parse_time("soon"), -1);
    assert_int_equal(aws_credentials_parse_time(NULL), -1);
}

static void test_environment_control_characters_refused(void **state)
{
    (void)state;
    setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "env-secret-value", 1);
    setenv("AWS_SESSION_TOKEN", "env-token-value\r\nX-Injected: 1", 1);
    expect_error((const char *const[]){"AWS_SESSION_TOKEN from the environment holds a control "
                                       "character",
                                       NULL});
    setenv("AWS_SESSION_TOKEN", "env-token-value", 1);
    setenv("AWS_ACCESS_KEY_ID", "AKID\nENV", 1);
    expect_error((const char *const[]){"AWS_ACCESS_KEY_ID", NULL});
}

/* A profile named by AWS_PROFILE that is missing or has nothing usable is an
 * error naming it: the container source configured behind it is never asked. */
static void test_named_profile_never_falls_through(void **state)
{
    (void)state;
    canned_response script[] = {container_ok};
    serve(script, 1);
    config("[profile other]\naws_access_key_id = K\naws_secret_access_key = base-secret-value\n"
           "[profile regional]\nregion = eu-west-1\n"
           "[profile half]\naws_access_key_id = K\n"
           "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\n"
           "[profile nowhere]\nsource_profile = other\n");
    setenv("AWS_PROFILE", "missing", 1);
    expect_error(
        (const char *const[]){"profile missing (named by AWS_PROFILE) does not exist", NULL});
    setenv("AWS_PROFILE", "regional", 1);
    expect_error(
        (const char *const[]){"profile regional (named by AWS_PROFILE) has no credentials", NULL});
    setenv("AWS_PROFILE", "half", 1);
    expect_error((const char *const[]){"aws_secret_access_key from profile half is missing", NULL});
    setenv("AWS_PROFILE", "sso", 1);
    expect_error((const char *const[]){"profile sso uses IAM Identity Center", NULL});
    setenv("AWS_PROFILE", "nowhere", 1);
    expect_error(
        (const char *const[]){"profile nowhere sets source_profile", "but no role_arn", NULL});
    unsetenv("AWS_PROFILE");
    setenv("AWS_DEFAULT_PROFILE", "missing", 1);
    expect_error((const char *const[]){
        "profile missing (named by AWS_DEFAULT_PROFILE) does not exist", NULL});
    /* Even "default" must exist once a variable names it. */
    unsetenv("AWS_DEFAULT_PROFILE");
    setenv("AWS_PROFILE", "default", 1);
    expect_error(
        (const char *const[]){"profile default (named by AWS_PROFILE) does not exist", NULL});
    assert_int_equal(canned_server_requests(), 0);

    /* The default profile, when nothing names one, may be absent or hold only
     * a region: the chain goes on to the container. */
    unsetenv("AWS_PROFILE");
    config("[default]\nregion = eu-west-1\n");
    aws_credentials c;
    aws_error err;
    assert_int_equal(aws_credentials_get(prov, &c, &err), 0);
    assert_string_equal(c.source, "container");
    assert_int_equal(canned_server_requests(), 1);
    stop_server();
}

/* Every other way a profile cannot be used, also for the default profile
 * once it holds credential settings; no STS request is made. */
static void test_unusable_profiles_refused(void **state)
{
    (void)state;
    canned_response script[] = {role_a};
    serve(script, 1);
    config(
        "[profile base]\naws_access_key_id = BASEKEY\naws_secret_access_key = base-secret-value\n"
        "[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = base\n"
        "mfa_serial = arn:aws:iam::123456789012:mfa/me\n"
        "[profile loop1]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = loop2\n"
        "[profile loop2]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = loop1\n"
        "[profile self]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = self\n"
        "[profile unknown]\nrole_arn = arn:aws:iam::123456789012:role/a\n"
        "credential_source = Ec2\n"
        "[profile both]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = base\n"
        "credential_source = Environment\n"
        "[profile neither]\nrole_arn = arn:aws:iam::123456789012:role/a\n"
        "[profile badsource]\nrole_arn = arn:aws:iam::123456789012:role/a\n"
        "source_profile = absent\n"
        "[profile duration]\nrole_arn = arn:aws:iam::123456789012:role/a\n"
        "source_profile = base\nduration_seconds = 12h\n"
        "[profile webnorole]\nweb_identity_token_file = /tmp/token\n"
        "[default]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = base\n"
        "mfa_serial = arn:aws:iam::123456789012:mfa/me\n");
    expect_error((const char *const[]){"profile default sets mfa_serial",
                                       "cannot ask for an MFA code", NULL});
    setenv("AWS_PROFILE", "mfa", 1);
    expect_error((const char *const[]){"profile mfa sets mfa_serial", NULL});
    setenv("AWS_PROFILE", "loop1", 1);
    expect_error((const char *const[]){"loop (loop1 -> loop2 -> loop1)", NULL});
    setenv("AWS_PROFILE", "self", 1);
    expect_error((const char *const[]){"loop (self -> self)", NULL});
    setenv("AWS_PROFILE", "unknown", 1);
    expect_error((const char *const[]){"profile unknown: unknown credential_source 'Ec2'", NULL});
    setenv("AWS_PROFILE", "both", 1);
    expect_error((const char *const[]){"both source_profile and credential_source", NULL});
    setenv("AWS_PROFILE", "neither", 1);
    expect_error((const char *const[]){"neither source_profile nor credential_source", NULL});
    setenv("AWS_PROFILE", "badsource", 1);
    expect_error(
        (const char *const[]){"profile absent (named by source_profile of profile badsource) "
                              "does not exist",
                              NULL});
    setenv("AWS_PROFILE", "duration", 1);
    expect_error((const char *const[]){"duration_seconds in profile duration", NULL});
    setenv("AWS_PROFILE", "webnorole", 1);
    expect_error((const char *const[]){"web_identity_token_file but no role_arn", NULL});
    assert_int_equal(canned_server_requests(), 0);
    stop_server();
}

static void test_assume_role_with_source_profile(void **state)
{
    (void)state;
    canned_response script[] = {role_a};
    serve(script, 1);
    config(
        "[profile base]\naws_access_key_id = BASEKEY\naws_secret_access_key = base-secret-value\n"
        "[profile ci]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = base\n"
        "external_id = ext-1234\nduration_seconds = 900\n");
    setenv("AWS_PROFILE", "ci", 1);
    aws_credentials c;
    aws_error err;
    assert_int_equal(aws_credentials_get(prov, &c, &err), 0);
    assert_string_equal(c.source, "assume_role");
    assert_string_equal(c.access_key_id, "ASIAROLEA");
    assert_string_equal(c.secret_access_key, "role-a-secret-value");
    assert_string_equal(c.session_token, "role-a-token");
    assert_int_equal(c.expiration_ms, EXPIRY_2030);
    assert_int_equal(canned_server_requests(), 1);
    const char *head = canned_server_request(0);
    const char *body = canned_server_body(0);
    assert_non_null(strstr(head, "Authorization: AWS4-HMAC-SHA256 Credential=BASEKEY/"));
    assert_non_null(strstr(head, "/us-east-1/sts/aws4_request"));
    assert_null(strstr(head, "X-Amz-Security-Token"));
    assert_non_null(strstr(body, "Action=AssumeRole&Version=2011-06-15"));
    assert_non_null(strstr(body, "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fa"));
    assert_non_null(strstr(body, "RoleSessionName=ecs-tasks-1700000000"));
    assert_non_null(strstr(body, "ExternalId=ext-1234"));
    assert_non_null(strstr(body, "DurationSeconds=900"));

    /* Cached until 5 minutes before it expires, then assumed again. */
    assert_int_equal(aws_credentials_get(prov, &c, &err), 0);
    assert_int_equal(canned_server_requests(), 1);
    fc.now_ms = EXPIRY_2030 - AWS_CREDENTIALS_REFRESH_MARGIN_MS - 1;
    assert_int_equal(aws_credentials_get(prov, &c, &err), 0);
    assert_int_equal(canned_server_requests(), 1);
    fc.now_ms += 2;
    assert_int_equal(aws_credentials_get(prov, &c, &err), 0);
    assert_int_equal(canned_server_requests(), 2);
    stop_server();
}

/* ci -> mid -> base: the second AssumeRole is signed with the first's
 * credentials, its session token included. A self-reference with keys of its
 * own signs with them. */
static void test_role_chain_two_hops(void **state)
{
    (void)state;
    canned_response script[] = {role_a, role_b};
    serve(script, 2);
    config(
        "[profile base]\naws_access_key_id = BASEKEY\naws_secret_access_key = base-secret-value\n"
        "[profile mid]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = base\n"
        "[profile ci]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = mid\n"
        "role_session_name = deploy-7\n"
        "[profile self]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = self\n"
        "aws_access_key_id = SELFKEY\naws_secret_access_key = self-secret\n"
        "[profile keyswin]\nrole_arn = arn:aws:iam::123456789012:role/b\n"
        "source_profile = withkeys\n"
        "[profile withkeys]\nrole_arn = arn:aws:iam::123456789012:role/ignored\n"
        "source_profile = base\naws_access_key_id = KEYSKEY\n"
        "aws_secret_access_key = keys-secret\n");
    setenv("AWS_PROFILE", "ci", 1);
    aws_credentials c;
    aws_error err;
    assert_int_equal(aws_credentials_get(prov, &c, &err), 0);
    assert_string_equal(c.access_key_id, "ASIAROLEB");
    assert_int_equal(canned_server_requests(), 2);
    assert_non_null(strstr(canned_server_request(0), "Credential=BASEKEY/"));
    assert_non_null(strstr(canned_server_body(0), "role%2Fa&"));
    assert_non_null(strstr(canned_server_request(1), "Credential=ASIAROLEA/"));
    assert_non_null(strstr(canned_server_request(1), "X-Amz-Security-Token: role-a-token"));
    assert_non_null(strstr(canned_server_body(1), "role%2Fb&"));
    assert_non_null(strstr(canned_server_body(1), "RoleSessionName=deploy-7"));

    setenv("AWS_PROFILE", "self", 1);
    aws_credentials_provider_free(prov);
    prov = aws_credentials_provider_new(http, &fc.clock, "us-east-1");
    assert_int_equal(aws_credentials_get(prov, &c, &err), 0);
    assert_int_equal(canned_server_requests(), 3);
    assert_non_null(strstr(canned_server_request(2), "Credential=SELFKEY/"));

    /* In a source profile, keys win over its own role_arn (botocore). */
    setenv("AWS_PROFILE", "keyswin", 1);
    aws_credentials_provider_free(prov);
    prov = aws_credentials_provider_new(http, &fc.clock, "us-east-1");
    assert_int_equal(aws_credentials_get(prov, &c, &err), 0);
    assert_int_equal(canned_server_requests(), 4);
    assert_non_null(strstr(canned_server_request(3), "Credential=KEYSKEY/"));
    stop_server();
}

static void test_assume_role_refused_names_profile(void **state)
{
    (void)state;
    canned_response script[] = {denied};
    serve(script, 1);
    config(
        "[profile base]\naws_access_key_id = BASEKEY\naws_secret_access_key = base-secret-value\n"
        "[profile ci]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = base\n");
    setenv("AWS_PROFILE", "ci", 1);
    expect_error((const char *const[]){
        "profile ci: STS AssumeRole arn:aws:iam::123456789012:role/a", "AccessDenied", NULL});
    /* Not retried: AccessDenied is final, and so is the credentials error. */
    assert_int_equal(canned_server_requests(), 1);
    stop_server();
}

/* credential_source = Environment: with AWS_PROFILE naming the profile, the
 * environment's keys sign the AssumeRole instead of being used directly. */
static void test_credential_source_environment(void **state)
{
    (void)state;
    canned_response script[] = {role_a};
    serve(script, 1);
    config("[profile envrole]\nrole_arn = arn:aws:iam::123456789012:role/a\n"
           "credential_source = Environment\n");
    setenv("AWS_PROFILE", "envrole", 1);
    expect_error((const char *const[]){"profile envrole: credential_source Environment, but "
                                       "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both "
                                       "set",
                                       NULL});
    setenv("AWS_ACCESS_KEY_ID", "ENVKEY", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "env-secret-value", 1);
    setenv("AWS_SESSION_TOKEN", "env-token-value", 1);
    aws_credentials c;
    aws_error err;
    assert_int_equal(aws_credentials_get(prov, &c, &err), 0);
    assert_string_equal(c.source, "assume_role");
    assert_string_equal(c.access_key_id, "ASIAROLEA");
    assert_non_null(strstr(canned_server_request(0), "Credential=ENVKEY/"));
    assert_non_null(strstr(canned_server_request(0), "X-Amz-Security-Token: env-token-value"));
    stop_server();
}

/* credential_source = EcsContainer: the container's credentials sign. */
static void test_credential_source_container(void **state)
{
    (void)state;
    canned_response script[] = {container_ok, role_a};
    serve(script, 2);
    config("[profile task]\nrole_arn = arn:aws:iam::123456789012:role/a\n"
           "credential_source = EcsContainer\n"
           "[profile imds]\nrole_arn = arn:aws:iam::123456789012:role/a\n"
           "credential_source = Ec2InstanceMetadata\n");
    setenv("AWS_PROFILE", "task", 1);
    aws_credentials c;
    aws_error err;
    assert_int_equal(aws_credentials_get(prov, &c, &err), 0);
    assert_string_equal(c.access_key_id, "ASIAROLEA");
    assert_non_null(strstr(canned_server_request(0), "GET /container HTTP/1.1"));
    assert_non_null(strstr(canned_server_request(1), "Credential=ASIACONTAINER/"));
    assert_non_null(strstr(canned_server_request(1), "X-Amz-Security-Token: container-token"));
    /* A credential_source that gives nothing is an error, not a fall-through. */
    setenv("AWS_PROFILE", "imds", 1);
    aws_credentials_provider_free(prov);
    prov = aws_credentials_provider_new(http, &fc.clock, "us-east-1");
    expect_error((const char *const[]){"profile imds: credential_source Ec2InstanceMetadata: "
                                       "AWS_EC2_METADATA_DISABLED",
                                       NULL});
    stop_server();
}

static void test_web_identity_from_environment(void **state)
{
    (void)state;
    canned_response script[] = {web_role};
    serve(script, 1);
    setenv("AWS_WEB_IDENTITY_TOKEN_FILE", aws_env_write("token", "web-identity-jwt\n"), 1);
    expect_error((const char *const[]){"AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is "
                                       "not",
                                       NULL});
    setenv("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web", 1);
    setenv("AWS_ROLE_SESSION_NAME", "ci-run-42", 1);
    /* It comes before the shared files. */
    config("[default]\naws_access_key_id = K\naws_secret_access_key = base-secret-value\n");
    aws_credentials c;
    aws_error err;
    assert_int_equal(aws_credentials_get(prov, &c, &err), 0);
    assert_string_equal(c.source, "web_identity");
    assert_string_equal(c.access_key_id, "ASIAWEB");
    assert_int_equal(c.expiration_ms, EXPIRY_2030);
    const char *head = canned_server_request(0);
    const char *body = canned_server_body(0);
    assert_null(strstr(head, "Authorization:")); /* unsigned */
    assert_null(strstr(head, "X-Amz-Security-Token"));
    assert_non_null(strstr(body, "Action=AssumeRoleWithWebIdentity&Version=2011-06-15"));
    assert_non_null(strstr(body, "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fweb"));
    assert_non_null(strstr(body, "RoleSessionName=ci-run-42"));
    assert_non_null(strstr(body, "WebIdentityToken=web-identity-jwt"));
    assert_null(strstr(body, "web-identity-jwt%0A")); /* the line end dropped */

    /* A token with a control character, or no token at all, is refused. */
    aws_credentials_provider_free(prov);
    prov = aws_credentials_provider_new(http, &fc.clock, "us-east-1");
    aws_env_write("token", "web-identity-jwt\r\nX-Evil: 1");
    expect_error((const char *const[]){"web identity token file", "(AWS_WEB_IDENTITY_TOKEN_FILE)",
                                       "control character", NULL});
    setenv("AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/token", 1);
    expect_error(
        (const char *const[]){"cannot read the web identity token file /nonexistent/token", NULL});
    assert_int_equal(canned_server_requests(), 1);
    stop_server();
}

static void test_web_identity_from_profile(void **state)
{
    (void)state;
    canned_response script[] = {web_role};
    serve(script, 1);
    char text[1024];
    snprintf(text, sizeof text,
             "[profile eks]\nrole_arn = arn:aws:iam::123456789012:role/web\n"
             "web_identity_token_file = %s\nrole_session_name = pod-1\n",
             aws_env_write("token", "web-identity-jwt"));
    config(text);
    setenv("AWS_PROFILE", "eks", 1);
    aws_credentials c;
    aws_error err;
    assert_int_equal(aws_credentials_get(prov, &c, &err), 0);
    assert_string_equal(c.source, "web_identity");
    assert_null(strstr(canned_server_request(0), "Authorization:"));
    assert_non_null(strstr(canned_server_body(0), "RoleSessionName=pod-1"));
    stop_server();
}

static void test_credential_process_in_chain(void **state)
{
    (void)state;
    config("[profile proc]\ncredential_process = printf '{\"Version\": 1, \"AccessKeyId\": "
           "\"ASIAPROC\", \"SecretAccessKey\": \"proc-secret\"}'\n"
           "[profile broken]\ncredential_process = printf base-secret-value; exit 3\n");
    setenv("AWS_PROFILE", "proc", 1);
    aws_credentials c;
    aws_error err;
    assert_int_equal(aws_credentials_get(prov, &c, &err), 0);
    assert_string_equal(c.source, "credential_process");
    assert_string_equal(c.access_key_id, "ASIAPROC");
    assert_int_equal(c.expiration_ms, 0);
    setenv("AWS_PROFILE", "broken", 1);
    aws_credentials_provider_free(prov);
    prov = aws_credentials_provider_new(http, &fc.clock, "us-east-1");
    expect_error(
        (const char *const[]){"credential_process of profile broken exited with status 3", NULL});
}

/* A refused container configuration stops the chain: IMDS is not tried. */
static void test_container_refusal_stops_chain(void **state)
{
    (void)state;
    canned_response script[] = {container_ok};
    char rel[64];
    snprintf(rel, sizeof rel, "@127.0.0.1:%d/container", canned_server_start(script, 1));
    setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", rel, 1);
    expect_error((const char *const[]){"container credentials: "
                                       "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must be a path "
                                       "starting with '/'",
                                       NULL});
    assert_int_equal(canned_server_requests(), 0);
    stop_server();
}

static void test_container_cached_until_expiry(void **state)
{
    (void)state;
    canned_response script[] = {container_ok};
    serve(script, 1);
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer xyz", 1);
    aws_credentials c;
    aws_error err;
    fc.now_ms = EXPIRY_2030 - AWS_CREDENTIALS_REFRESH_MARGIN_MS - 60000;
    assert_int_equal(aws_credentials_get(prov, &c, &err), 0);
    assert_string_equal(c.source, "container");
    assert_int_equal(c.expiration_ms, EXPIRY_2030);
    assert_non_null(strstr(canned_server_request(0), "Authorization: Bearer xyz"));
    assert_int_equal(aws_credentials_get(prov, &c, &err), 0);
    assert_int_equal(canned_server_requests(), 1); /* cached */
    fc.now_ms += 60001;                            /* inside the refresh margin */
    assert_int_equal(aws_credentials_get(prov, &c, &err), 0);
    assert_int_equal(canned_server_requests(), 2);
    stop_server();
}

static void test_trace_id_with_control_character_refused(void **state)
{
    (void)state;
    canned_response script[] = {role_a};
    serve(script, 1);
    config(
        "[profile base]\naws_access_key_id = BASEKEY\naws_secret_access_key = base-secret-value\n"
        "[profile ci]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = base\n");
    setenv("AWS_PROFILE", "ci", 1);
    setenv("_X_AMZN_TRACE_ID", "Root=1-abc\r\nX-Evil: 1", 1);
    expect_error((const char *const[]){"_X_AMZN_TRACE_ID holds a control character", NULL});
    assert_int_equal(canned_server_requests(), 0);
    stop_server();
}

int main(void)
{
    log_set_output(stderr);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_chain_local_sources, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fill_and_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_environment_control_characters_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_named_profile_never_falls_through, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unusable_profiles_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_assume_role_with_source_profile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_role_chain_two_hops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_assume_role_refused_names_profile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_credential_source_environment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_credential_source_container, setup, teardown),
        cmocka_unit_test_setup_teardown(test_web_identity_from_environment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_web_identity_from_profile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_credential_process_in_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_container_refusal_stops_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_container_cached_until_expiry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trace_id_with_control_character_refused, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
