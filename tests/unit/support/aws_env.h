/* SPDX-License-Identifier: Apache-2.0 */
/* A clean AWS environment for a unit test: every AWS_* variable the code
 * reads (and Lambda's _X_AMZN_TRACE_ID) unset, HOME a fresh temporary
 * directory (so ~/.aws is the test's), instance metadata disabled. Use as
 * cmocka setup/teardown. */
#ifndef TEST_AWS_ENV_H
#define TEST_AWS_ENV_H

int aws_env_setup(void **state);
int aws_env_teardown(void **state);

/* The temporary HOME of the current test. */
const char *aws_env_dir(void);

/* Writes text to name (relative to the temporary HOME, directories made as
 * needed) and returns its full path (static storage, valid until the next
 * call). */
const char *aws_env_write(const char *name, const char *text);

#endif
