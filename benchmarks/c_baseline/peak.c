/* peak RESULT PROGRAM [ARG...]: run PROGRAM, then write its rusage into RESULT.
 *
 * compare.py measures each tool through this (built beside the scanners with gcc):
 * a child spawned by compare.py itself runs in compare.py's memory until it executes
 * its program, and Linux keeps that high-water mark in the child's ru_maxrss, so a
 * small tool would show compare.py's resident set (tens of MB). Forked from this
 * small process instead, the tool's peak is its own, above a floor of about 1 MB.
 *
 * RESULT gets one line: "exit_code user_seconds system_seconds max_rss_kib". An
 * exit code of 128 + N is a death by signal N; 127, a program that could not start.
 * The tool's standard streams are this process's. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: peak RESULT PROGRAM [ARG...]\n");
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("peak: fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror("peak: exec");
        _exit(127);
    }
    int status;
    struct rusage usage;
    if (wait4(pid, &status, 0, &usage) < 0) {
        perror("peak: wait4");
        return 2;
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    FILE *out = fopen(argv[1], "w");
    if (out == NULL) {
        perror("peak: RESULT");
        return 2;
    }
    fprintf(out, "%d %ld.%06ld %ld.%06ld %ld\n", code, (long)usage.ru_utime.tv_sec,
            (long)usage.ru_utime.tv_usec, (long)usage.ru_stime.tv_sec,
            (long)usage.ru_stime.tv_usec, usage.ru_maxrss);
    return fclose(out) == 0 ? 0 : 2;
}
