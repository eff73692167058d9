#define _GNU_SOURCE
#include "quiet-rounds.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* stat's field number of num_threads, counting pid as 1 and comm as 2. */
#define STAT_THREADS_FIELD 20

static ssize_t read_list(const struct quiet_check *check, uint8_t *scratch, size_t bytes) {
  if (check->list_fd >= 0) return pread(check->list_fd, scratch, bytes, 0);
  // A v1 cgroup.procs serves the list built when it was opened while it is re-read within a
  // second, so it is opened per read, as the harness does.
  int fd = open(check->list_path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t length = read(fd, scratch, bytes);
  close(fd);
  return length;
}

static int allowed_at(const struct quiet_check *check, int32_t pid) {
  if (pid == check->allowed[0]) return 0;
  int32_t low = 1, high = check->allowed_count - 1;
  while (low <= high) {
    int32_t middle = low + (high - low) / 2;
    int32_t at = check->allowed[middle];
    if (at == pid) return check->forgotten[middle] ? -1 : middle;
    if (at < pid) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/* Whether the pid list holds only allowed pids; forgets those it no longer holds. */
static int list_holds_only_allowed(struct quiet_check *check, uint8_t *scratch, size_t bytes) {
  ssize_t length = read_list(check, scratch, bytes);
  // Unreadable, or too long to hold: not a round to decide here.
  if (length < 0 || (size_t)length >= bytes) return 0;

  uint8_t seen[QUIET_MAX_ALLOWED] = {0};
  int32_t pid = 0;
  int digits = 0;
  for (ssize_t at = 0; at <= length; at++) {
    uint8_t byte = at < length ? scratch[at] : '\n';
    if (byte >= '0' && byte <= '9') {
      pid = pid * 10 + (byte - '0');
      digits++;
      continue;
    }
    if (byte != '\n') return 0; // not a pid list as the kernel writes one
    if (digits == 0) continue;
    int index = allowed_at(check, pid);
    if (index < 0) return 0;
    seen[index] = 1;
    pid = 0;
    digits = 0;
  }
  // The process itself (index 0) is never dropped: its absence is for its stat to tell.
  for (int32_t i = 1; i < check->allowed_count; i++) {
    if (!seen[i]) check->forgotten[i] = 1;
  }
  return 1;
}

int quiet_members(struct quiet_check *check, uint8_t *scratch, size_t scratch_bytes) {
  for (int32_t i = 0; i < check->empty_count; i++) {
    uint8_t byte;
    if (pread(check->empty_fds[i], &byte, 1, 0) != 0) return 0;
  }
  int has_list = check->list_fd >= 0 || check->list_path[0] != '\0';
  return !has_list || list_holds_only_allowed(check, scratch, scratch_bytes);
}

int quiet_threads(const struct quiet_check *check, const uint8_t *stat, ssize_t length) {
  if (length <= 0) return 0;
  // The comm ends at the last ')': a process may name itself "a) (b".
  ssize_t at = length - 1;
  while (at >= 0 && stat[at] != ')') at--;
  if (at < 0) return 0;

  int field = 2;
  for (at++; at < length && field < STAT_THREADS_FIELD; at++) {
    if (stat[at] == ' ') field++;
  }
  int64_t threads = 0;
  int digits = 0;
  for (; at < length && stat[at] >= '0' && stat[at] <= '9'; at++, digits++) {
    threads = threads * 10 + (stat[at] - '0');
  }
  return digits > 0 && threads == check->threads;
}
