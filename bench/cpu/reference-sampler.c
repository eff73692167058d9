/*
 * The cheapest sampler this machine allows, as a floor for the harness's overhead:
 *
 *   reference-sampler INTERVAL_MS [FILE[@EVERY]...]
 *
 * Opens each kernel counter file once, then every INTERVAL_MS (on an absolute
 * CLOCK_MONOTONIC grid) re-reads each one from offset 0 and parses its first number, until
 * killed; a FILE@EVERY only every EVERY-th round, as the harness reads /proc/stat. No
 * parsing of the rest, no records kept: whatever the harness spends above this is the price
 * of doing the same work in Node.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: reference-sampler INTERVAL_MS [FILE...]\n");
    return 2;
  }
  long long interval_ns = atoll(argv[1]) * 1000000LL;
  int count = argc - 2;
  int fds[64];
  long every[64];
  if (count > 64) count = 64;
  for (int i = 0; i < count; i++) {
    char *at = strrchr(argv[i + 2], '@');
    every[i] = at ? atol(at + 1) : 1;
    if (every[i] < 1) every[i] = 1;
    if (at) *at = '\0';
    fds[i] = open(argv[i + 2], O_RDONLY | O_CLOEXEC);
    if (fds[i] < 0) {
      perror(argv[i + 2]);
      return 1;
    }
  }

  static char buffer[65536];
  volatile unsigned long long sink = 0;
  struct timespec next;
  clock_gettime(CLOCK_MONOTONIC, &next);
  for (long round = 0;; round++) {
    long long ns = next.tv_nsec + interval_ns;
    next.tv_sec += ns / 1000000000LL;
    next.tv_nsec = ns % 1000000000LL;
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR) {}
    for (int i = 0; i < count; i++) {
      if (round % every[i] != 0) continue;
      ssize_t length = pread(fds[i], buffer, sizeof buffer - 1, 0);
      if (length <= 0) continue;
      buffer[length] = '\0';
      const char *at = buffer;
      while (*at && (*at < '0' || *at > '9')) at++;
      sink += strtoull(at, NULL, 10);
    }
  }
}
