/* SPDX-License-Identifier: Apache-2.0 */
#include "canned_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_REQUESTS 64

static struct {
    int listener;
    pthread_t thread;
    const canned_response *responses;
    size_t n_responses;
    size_t served, connections;
    char *requests[MAX_REQUESTS];
    char *bodies[MAX_REQUESTS];
    pthread_mutex_t lock;
    volatile int stopping;
} srv = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* Reads one request (headers and Content-Length body, *body malloc'd);
 * 0 at EOF. */
static int read_request(int fd, char *out, size_t cap, char **body_out)
{
    *body_out = NULL;
    size_t len = 0;
    while (len + 1 < cap) {
        ssize_t n = recv(fd, out + len, 1, 0);
        if (n <= 0)
            return 0;
        len++;
        out[len] = '\0';
        if (len >= 4 && !memcmp(out + len - 4, "\r\n\r\n", 4))
            break;
    }
    const char *cl = strcasestr(out, "Content-Length:");
    long body = cl ? strtol(cl + 15, NULL, 10) : 0;
    char *b = calloc((size_t)(body > 0 ? body : 0) + 1, 1);
    if (!b)
        return 0;
    for (long got = 0; got < body;) {
        ssize_t n = recv(fd, b + got, (size_t)(body - got), 0);
        if (n <= 0) {
            free(b);
            return 0;
        }
        got += n;
    }
    *body_out = b;
    return 1;
}

static void *serve(void *arg)
{
    (void)arg;
    while (!srv.stopping) {
        int fd = accept(srv.listener, NULL, NULL);
        if (fd < 0)
            break;
        pthread_mutex_lock(&srv.lock);
        srv.connections++;
        pthread_mutex_unlock(&srv.lock);
        char req[16384];
        char *body;
        while (read_request(fd, req, sizeof req, &body)) {
            pthread_mutex_lock(&srv.lock);
            size_t i = srv.served < srv.n_responses ? srv.served : srv.n_responses - 1;
            if (srv.served < MAX_REQUESTS) {
                srv.requests[srv.served] = strdup(req);
                srv.bodies[srv.served] = body;
            } else {
                free(body);
            }
            srv.served++;
            pthread_mutex_unlock(&srv.lock);
            const canned_response *r = &srv.responses[i];
            char head[1024];
            int n = snprintf(head, sizeof head, "HTTP/1.1 %d X\r\n%sContent-Length: %zu\r\n\r\n",
                             r->status, r->headers ? r->headers : "", strlen(r->body));
            /* MSG_NOSIGNAL: a client that hangs up mid-answer (an answer
             * it refuses as too large) must not kill the test with SIGPIPE. */
            send(fd, head, (size_t)n, MSG_NOSIGNAL);
            send(fd, r->body, strlen(r->body), MSG_NOSIGNAL);
        }
        close(fd);
    }
    return NULL;
}

int canned_server_start(const canned_response *responses, size_t n)
{
    srv.responses = responses;
    srv.n_responses = n;
    srv.served = srv.connections = 0;
    srv.stopping = 0;
    srv.listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    bind(srv.listener, (struct sockaddr *)&a, sizeof a);
    listen(srv.listener, 8);
    getsockname(srv.listener, (struct sockaddr *)&a, &len);
    pthread_create(&srv.thread, NULL, serve, NULL);
    return ntohs(a.sin_port);
}

size_t canned_server_requests(void)
{
    pthread_mutex_lock(&srv.lock);
    size_t n = srv.served;
    pthread_mutex_unlock(&srv.lock);
    return n;
}

size_t canned_server_connections(void)
{
    return srv.connections;
}

const char *canned_server_request(size_t i)
{
    return i < MAX_REQUESTS && srv.requests[i] ? srv.requests[i] : "";
}

const char *canned_server_header(size_t i, const char *name, char *out, size_t cap)
{
    size_t name_len = strlen(name);
    const char *line = strstr(canned_server_request(i), "\r\n"); /* skips the request line */
    while (line && line[2] != '\r' && line[2] != '\0') {
        line += 2;
        const char *end = strstr(line, "\r\n");
        if (!end)
            break;
        if (!strncasecmp(line, name, name_len) && line[name_len] == ':') {
            const char *v = line + name_len + 1;
            while (v < end && (*v == ' ' || *v == '\t'))
                v++;
            const char *e = end;
            while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
                e--;
            snprintf(out, cap, "%.*s", (int)(e - v), v);
            return out;
        }
        line = end;
    }
    return NULL;
}

const char *canned_server_body(size_t i)
{
    return i < MAX_REQUESTS && srv.bodies[i] ? srv.bodies[i] : "";
}

size_t canned_server_count(const char *needle)
{
    size_t n = 0, served = canned_server_requests();
    for (size_t i = 0; i < served && i < MAX_REQUESTS; i++)
        n += strstr(canned_server_request(i), needle) || strstr(canned_server_body(i), needle);
    return n;
}

void canned_server_stop(void)
{
    srv.stopping = 1;
    shutdown(srv.listener, SHUT_RDWR);
    close(srv.listener);
    pthread_join(srv.thread, NULL);
    for (size_t i = 0; i < MAX_REQUESTS; i++) {
        free(srv.requests[i]);
        free(srv.bodies[i]);
        srv.requests[i] = NULL;
        srv.bodies[i] = NULL;
    }
}
