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
 */
#ifndef ECS_AWS_PROFILE_H
#define ECS_AWS_PROFILE_H

#include "aws/error.h"

typedef struct aws_profile {
    char name[128];
    char region[64];
    char access_key_id[128];
    char secret_access_key[256];
    char session_token[4096];
} aws_profile;

/* The profile name in effect (AWS_PROFILE, AWS_DEFAULT_PROFILE, "default"). Borrowed. */
const char *aws_profile_name(void);

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

#endif
