/* SPDX-License-Identifier: Apache-2.0 */
/*
 * credentials: the AWS credential provider chain (README: AWS access).
 *
 * In order, the first source that is configured decides:
 *   1. environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (both set),
 *      AWS_SESSION_TOKEN;
 *   2. web identity: AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN
 *      (AWS_ROLE_SESSION_NAME): STS AssumeRoleWithWebIdentity, unsigned, with
 *      the file's token (read again at every refresh: the platform rotates it);
 *   3. shared files (profile.h), the profile aws_profile_name() gives:
 *        - role_arn: STS AssumeRole (role_session_name, external_id,
 *          duration_seconds) signed with the credentials of
 *            web_identity_token_file (then AssumeRoleWithWebIdentity instead),
 *            source_profile (itself resolved this way, so roles chain; in a
 *              source profile, keys win over its own role_arn, as in botocore),
 *            or credential_source: Environment, EcsContainer, Ec2InstanceMetadata;
 *        - else aws_access_key_id + aws_secret_access_key (+ aws_session_token);
 *        - else credential_process (credential_process.h);
 *      refused, naming the profile: mfa_serial on a role (there is no terminal
 *      to ask for a code), a loop of source_profiles, an unknown
 *      credential_source, both or neither of source_profile and
 *      credential_source, half a key pair, SSO settings, a missing profile;
 *   4. container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI
 *      (metadata_credentials.h);
 *   5. EC2 instance metadata, IMDSv2 (metadata_credentials.h).
 *
 * "Configured decides": a source that is configured but unusable is an error
 * (AWS_ERR_CREDENTIALS) that names it; the chain does not fall through to
 * the next source. In particular a profile named by AWS_PROFILE (or
 * AWS_DEFAULT_PROFILE) or by a source_profile must exist and give
 * credentials; only the default profile, when no variable names one, may be
 * absent or hold no credential settings (a [default] with only a region). The
 * two exceptions, kept from the SDKs: a container endpoint that does not
 * answer lets the chain go on to IMDS, and IMDS is last.
 *
 * One departure from the SDKs' order: when AWS_PROFILE names a profile whose
 * role chain takes its source credentials from credential_source =
 * Environment, the environment's keys are that role's source and step 1 is
 * skipped (in boto3 the keys would win and the role would silently not be
 * assumed; there is no --profile here to say otherwise).
 *
 * Every value from outside that would go into a request is checked before
 * use: access key ids and session tokens (any source), tokens and the
 * container URI (metadata_credentials.h), web identity tokens. A control
 * character, an empty or an oversized value is refused with an error naming
 * the variable, file or answer it came from, and nothing is sent. No message
 * or log line ever holds a secret key, a session token, a web identity token
 * or what a credential_process printed.
 *
 * Role session name, when none is configured: "ecs-tasks-<Unix seconds>".
 * STS: the region the provider was made for, the endpoint aws_endpoint_resolve
 * gives for STS (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, sts.<region>...).
 *
 * Credentials with an expiration (assumed roles, container, IMDS, a process
 * that gives one) are cached until 5 minutes before it, then fetched again
 * (the whole chain of roles is assumed again); static ones are cached for the
 * life of the provider.
 */
#ifndef ECS_AWS_CREDENTIALS_H
#define ECS_AWS_CREDENTIALS_H

#include <stddef.h>
#include <stdint.h>

#include "aws/error.h"
#include "aws/http.h"
#include "util/clock.h"

typedef struct aws_credentials {
    char access_key_id[128];
    char secret_access_key[256];
    char session_token[4096]; /* "" when none */
    int64_t expiration_ms;    /* Unix ms; 0 = does not expire */
    /* "environment", "web_identity", "profile", "assume_role",
     * "credential_process", "container", "imds" */
    char source[32];
} aws_credentials;

/* Refresh this long before expiry. */
#define AWS_CREDENTIALS_REFRESH_MARGIN_MS (5 * 60 * 1000)

/* The role session name prefix when none is configured. */
#define AWS_CREDENTIALS_SESSION_PREFIX "ecs-tasks-"

typedef struct aws_credentials_provider aws_credentials_provider;

/* A provider using http (borrowed; must outlive it) for the container, IMDS
 * and STS calls, clock (borrowed; NULL = clk_system()) for expiry and
 * deadlines, and region (copied; NULL = aws_region_resolve() when STS is
 * needed) for STS. NULL when out of memory. */
aws_credentials_provider *aws_credentials_provider_new(http_client *http, const clk *clock,
                                                       const char *region);
/* Frees p, wiping the cached credentials. NULL is accepted. */
void aws_credentials_provider_free(aws_credentials_provider *p);

/* The STS calls and a credential_process started from now on must end by
 * deadline_ms (Unix ms; 0 = no deadline). aws_client_set_deadline calls it. */
void aws_credentials_provider_set_deadline(aws_credentials_provider *p, int64_t deadline_ms);

/* Copies current credentials into *out. Returns 0, or -1 with err
 * (AWS_ERR_CREDENTIALS): naming every source tried when none is configured,
 * or naming the configured source that failed and why. */
int aws_credentials_get(aws_credentials_provider *p, aws_credentials *out, aws_error *err);

/*
 * Fills *out (zeroed first) with a key pair and an optional token (NULL or
 * "" = none) after checking them: key and secret present, each value fits
 * its field, no control character in any of them. names[0..2] are what the
 * source calls the three values ("AWS_ACCESS_KEY_ID", ...) and where says
 * which source ("the environment", "profile ci"), for the message. Returns 0,
 * or -1 with why ("AWS_SESSION_TOKEN from the environment holds a control
 * character"; never a value) and *out zeroed.
 */
int aws_credentials_fill(aws_credentials *out, const char *key, const char *secret,
                         const char *token, const char *const names[3], const char *where,
                         char *why, size_t cap);

/* "2026-11-25T12:00:00Z" (fractional seconds and a "+hh:mm"/"-hh:mm" offset
 * accepted) as Unix ms; -1 when s is not such a time. */
int64_t aws_credentials_parse_time(const char *s);

/* Zeroes c (it holds secrets) without the compiler dropping the stores. */
void aws_credentials_wipe(aws_credentials *c);

#endif
