/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The floor of a Lambda custom runtime's cold start, a benchmark anchor (not
 * product code): a static program that does nothing but what any runtime
 * must before its first event, connect to the Runtime API and send the same
 * `next` GET as ecs-tasks, with a plain socket. bench/first_next.py times it
 * beside the real bootstrap.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
    const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
    char host[64];
    unsigned port;
    if (!api || sscanf(api, "%63[^:]:%u", host, &port) != 2)
        return 2;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1)
        return 2;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0)
        return 1;
    char req[256];
    int n = snprintf(req, sizeof req,
                     "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: %s\r\n\r\n", api);
    if (n <= 0 || write(fd, req, (size_t)n) != n)
        return 1;
    char answer[4096];
    while (read(fd, answer, sizeof answer) > 0)
        ;
    close(fd);
    return 0;
}
