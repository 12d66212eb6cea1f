/* SPDX-License-Identifier: Apache-2.0 */
#include "aws/credential_process.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int credential_process_parse(const char *json, const char *profile, aws_credentials *out, char *why,
                             size_t cap)
{
    memset(out, 0, sizeof *out);
    json_t *doc = json_loads(json, 0, NULL);
    json_t *version = json_object_get(doc, "Version");
    int rc = -1;
    char where[192];
    snprintf(where, sizeof where, "the credential_process of profile %.128s", profile);
    if (!json_is_object(doc)) {
        snprintf(why, cap, "%s printed something that is not a JSON object", where);
    } else if (!json_is_integer(version) || json_integer_value(version) != 1) {
        snprintf(why, cap, "%s printed a document without \"Version\": 1", where);
    } else {
        static const char *const names[3] = {"AccessKeyId", "SecretAccessKey", "SessionToken"};
        const char *expiration = json_string_value(json_object_get(doc, "Expiration"));
        rc = aws_credentials_fill(out, json_string_value(json_object_get(doc, "AccessKeyId")),
                                  json_string_value(json_object_get(doc, "SecretAccessKey")),
                                  json_string_value(json_object_get(doc, "SessionToken")), names,
                                  where, why, cap);
        if (rc == 0 && expiration) {
            out->expiration_ms = aws_credentials_parse_time(expiration);
            if (out->expiration_ms < 0) {
                aws_credentials_wipe(out);
                snprintf(why, cap, "%s printed an Expiration that is not a time", where);
                rc = -1;
            }
        }
    }
    json_decref(doc);
    if (rc == 0)
        snprintf(out->source, sizeof out->source, "credential_process");
    return rc;
}

/* Reads the child's stdout into out (cap bytes, NUL-terminated) until EOF,
 * the deadline, or cap - 1 bytes (then it is too large: the caller gives one
 * byte more than it accepts). Returns 0 at EOF, 1 when the output is too
 * large, 2 at the deadline, -1 on a read error. */
static int read_all(int fd, char *out, size_t cap, const clk *clock, int64_t deadline_ms)
{
    size_t len = 0;
    out[0] = '\0';
    for (;;) {
        int timeout = -1;
        if (deadline_ms) {
            int64_t left = deadline_ms - clk_now(clock);
            if (left <= 0)
                return 2;
            timeout = left > 1000 ? 1000 : (int)left;
        }
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int n = poll(&pfd, 1, timeout);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            continue; /* the deadline is checked at the top */
        ssize_t got = read(fd, out + len, cap - 1 - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return -1;
        if (got == 0)
            return 0;
        len += (size_t)got;
        out[len] = '\0';
        if (len + 1 >= cap)
            return 1;
    }
}

/* Waits for the child; past the deadline it is killed. Returns 0 with its
 * status, 2 when it was killed at the deadline, -1 on error. */
static int wait_child(pid_t pid, int *status, const clk *clock, int64_t deadline_ms)
{
    for (;;) {
        pid_t got = waitpid(pid, status, deadline_ms ? WNOHANG : 0);
        if (got == pid)
            return 0;
        if (got < 0 && errno != EINTR)
            return -1;
        if (got == 0) {
            if (clk_now(clock) >= deadline_ms) {
                kill(pid, SIGKILL);
                waitpid(pid, status, 0);
                return 2;
            }
            clk_sleep(clock, 10);
        }
    }
}

int credential_process_run(const char *command, const char *profile, const clk *clock,
                           int64_t deadline_ms, aws_credentials *out, char *why, size_t cap)
{
    memset(out, 0, sizeof *out);
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        snprintf(why, cap, "cannot start the credential_process of profile %.128s: %s", profile,
                 strerror(errno));
        return -1;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    char *argv[] = {"sh", "-c", (char *)command, NULL};
    pid_t pid;
    int spawned = posix_spawn(&pid, "/bin/sh", &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (spawned != 0) {
        close(fds[0]);
        snprintf(why, cap, "cannot start the credential_process of profile %.128s: %s", profile,
                 strerror(spawned));
        return -1;
    }
    /* One byte over the bound to see it passed, one for the NUL. */
    const size_t size = CREDENTIAL_PROCESS_OUTPUT_MAX + 2;
    char *output = malloc(size);
    int read_rc = output ? read_all(fds[0], output, size, clock, deadline_ms) : -1;
    int read_errno = errno;
    close(fds[0]);
    if (read_rc != 0)
        kill(pid, SIGKILL);
    int status = 0;
    int waited = wait_child(pid, &status, clock, read_rc == 0 ? deadline_ms : 0);
    int rc = -1;
    if (read_rc == 1)
        snprintf(why, cap, "the credential_process of profile %.128s printed more than %u bytes",
                 profile, CREDENTIAL_PROCESS_OUTPUT_MAX);
    else if (read_rc == 2 || waited == 2)
        snprintf(why, cap,
                 "the credential_process of profile %.128s did not finish before the deadline",
                 profile);
    else if (read_rc != 0 || waited != 0)
        snprintf(why, cap, "cannot read the credential_process of profile %.128s: %s", profile,
                 strerror(read_rc != 0 ? read_errno : errno));
    else if (WIFSIGNALED(status))
        snprintf(why, cap, "the credential_process of profile %.128s was killed by signal %d",
                 profile, WTERMSIG(status));
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        snprintf(why, cap, "the credential_process of profile %.128s exited with status %d",
                 profile, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    else
        rc = credential_process_parse(output, profile, out, why, cap);
    if (output)
        explicit_bzero(output, size);
    free(output);
    return rc;
}
