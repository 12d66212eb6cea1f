/* SPDX-License-Identifier: Apache-2.0 */
#include "capture.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int capture_begin(capture *c, FILE *stream)
{
    memset(c, 0, sizeof *c);
    c->saved_fd = -1;
    c->stream = stream;
    fflush(stream);
    c->file = tmpfile();
    if (!c->file)
        return -1;
    c->saved_fd = dup(fileno(stream));
    if (c->saved_fd < 0 || dup2(fileno(c->file), fileno(stream)) < 0) {
        capture_free(c);
        return -1;
    }
    return 0;
}

const char *capture_end(capture *c)
{
    if (!c->file)
        return "";
    fflush(c->stream);
    dup2(c->saved_fd, fileno(c->stream));
    close(c->saved_fd);
    c->saved_fd = -1;
    long n = fseek(c->file, 0, SEEK_END) == 0 ? ftell(c->file) : 0;
    free(c->text);
    c->text = calloc((size_t)(n > 0 ? n : 0) + 1, 1);
    rewind(c->file);
    if (c->text && n > 0 && fread(c->text, 1, (size_t)n, c->file) != (size_t)n)
        c->text[0] = '\0';
    fclose(c->file);
    c->file = NULL;
    return c->text ? c->text : "";
}

void capture_free(capture *c)
{
    if (c->saved_fd >= 0) {
        dup2(c->saved_fd, fileno(c->stream));
        close(c->saved_fd);
        c->saved_fd = -1;
    }
    if (c->file)
        fclose(c->file);
    c->file = NULL;
    free(c->text);
    c->text = NULL;
}
