#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--version")) {
        printf("ecs-tasks %s\n", ECS_TASKS_VERSION);
        return 0;
    }
    fprintf(stderr, "usage: ecs-tasks --version\n");
    return 2;
}
