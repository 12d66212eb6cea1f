/* SPDX-License-Identifier: Apache-2.0 */
/*
 * profile: the AWS shared credentials and config files.
 *
 * Files: AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials) and
 * AWS_CONFIG_FILE (default ~/.aws/config). Profile: AWS_PROFILE, else
 * AWS_DEFAULT_PROFILE, else "default". In the config file a named profile's
 * section is "[profile NAME]" (and "[default]" or "[profile default]");
 * in the credentials file it is "[NAME]". Values in the credentials file win
 * over the config file. Lines starting with '#' or ';' are comments; keys are
 * case-insensitive; indented lines continue a nested sub-section and are skipped.
 *
 * This module only reads: what the settings mean (role chains, processes,
 * which profile may be absent) is credentials.h's business.
 */
#ifndef ECS_AWS_PROFILE_H
#define ECS_AWS_PROFILE_H

#include <stddef.h>

#include "aws/error.h"

/* One profile's settings, "" when not set. A value too long for its field is
 * not cut: the key is named in too_long and the field left as it was, so a
 * cut command or role ARN can never be used. */
typedef struct aws_profile {
    char name[128];
    char region[64];
    char access_key_id[128];
    char secret_access_key[256];
    char session_token[4096];
    char role_arn[2048];
    char source_profile[128];
    char credential_source[64];
    char external_id[1280];
    char duration_seconds[16];
    char role_session_name[128];
    char web_identity_token_file[1024];
    char credential_process[4096];
    char mfa_serial[256];
    int sso;           /* sso_session or sso_start_url set (not supported here) */
    char too_long[64]; /* the first key whose value did not fit, "" when none */
} aws_profile;

/* The profile name in effect (AWS_PROFILE, AWS_DEFAULT_PROFILE, "default"). Borrowed. */
const char *aws_profile_name(void);

/* The variable that names the profile ("AWS_PROFILE" or "AWS_DEFAULT_PROFILE"),
 * or NULL when neither is set and the profile is "default" by default. A
 * named profile must exist and give credentials; the default one may be
 * absent. Borrowed, static. */
const char *aws_profile_named_by(void);

/* The two files' paths, for messages (config, then credentials). */
void aws_profile_paths(char *config, size_t config_cap, char *credentials, size_t credentials_cap);

/*
 * Parses one file's text and fills, in *p, the fields that section `section`
 * sets (fields it does not set are left as they are). `is_config` selects the
 * config-file section naming. Returns 1 when the section was found, else 0.
 */
int aws_profile_parse(const char *text, const char *profile, int is_config, aws_profile *p);

/*
 * Loads profile `profile` (NULL = aws_profile_name()) from both files into *p
 * (zeroed first). Missing files are not an error. Returns 1 when the profile
 * was found in either file, else 0.
 */
int aws_profile_load(const char *profile, aws_profile *p);

/* Whether the profile sets anything that gives credentials (keys, role_arn,
 * credential_source, source_profile, web_identity_token_file,
 * credential_process, mfa_serial, SSO settings): a profile that sets only a
 * region has none. */
int aws_profile_has_credential_settings(const aws_profile *p);

/* Zeroes *p (it holds secrets) without the compiler dropping the stores. */
void aws_profile_wipe(aws_profile *p);

#endif
