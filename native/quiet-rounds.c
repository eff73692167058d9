#define _GNU_SOURCE
#include "quiet-rounds.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* stat's field number of num_threads, counting pid as 1 and comm as 2. */
#define STAT_THREADS_FIELD 20
/* USER_HZ: stat's tick, fixed at 100 by the kernel ABI. */
#define TICKS_PER_SECOND 100

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

/* Appends the pids in a children file ("pid pid ... "); 0 when there are too many. */
static int add_children(struct quiet_check *check, const uint8_t *text, ssize_t length) {
  int32_t pid = 0;
  int digits = 0;
  for (ssize_t at = 0; at <= length; at++) {
    uint8_t byte = at < length ? text[at] : ' ';
    if (byte >= '0' && byte <= '9') {
      pid = pid * 10 + (byte - '0');
      digits++;
      continue;
    }
    if (digits == 0) continue;
    if (check->child_count == QUIET_MAX_CHILDREN) return 0;
    check->children[check->child_count++] = pid;
    pid = 0;
    digits = 0;
  }
  return 1;
}

int quiet_members(struct quiet_check *check, uint8_t *scratch, size_t scratch_bytes) {
  check->child_count = 0;
  for (int32_t i = 0; i < check->empty_count; i++) {
    ssize_t length = pread(check->empty_fds[i], scratch, scratch_bytes, 0);
    if (length < 0 || (size_t)length >= scratch_bytes) return 0;
    if (!add_children(check, scratch, length)) return 0;
  }
  int has_list = check->list_fd >= 0 || check->list_path[0] != '\0';
  return !has_list || list_holds_only_allowed(check, scratch, scratch_bytes);
}

/* The fields of /proc/<pid>/stat a round uses: its state, and counts in clock ticks. */
struct stat_counters {
  uint8_t state;
  int64_t utime, stime, cutime, cstime, threads;
};

/*
 * Parses the counters out of stat; 0 when it is not stat. The comm ends at the last ')': a
 * process may name itself "a) (b". Fields count from 1 (pid), 2 (comm), 3 (state).
 */
static int parse_stat(const uint8_t *stat, ssize_t length, struct stat_counters *out) {
  ssize_t at = length - 1;
  while (at >= 0 && stat[at] != ')') at--;
  if (at < 0) return 0;

  int64_t *wanted[STAT_THREADS_FIELD + 1] = {0};
  wanted[14] = &out->utime;
  wanted[15] = &out->stime;
  wanted[16] = &out->cutime;
  wanted[17] = &out->cstime;
  wanted[STAT_THREADS_FIELD] = &out->threads;
  int field = 2;
  int found = 0;
  for (at++; at < length && field < STAT_THREADS_FIELD;) {
    while (at < length && stat[at] == ' ') at++;
    if (++field == 3 && at < length) out->state = stat[at];
    int64_t value = 0;
    int digits = 0;
    for (; at < length && stat[at] != ' ' && stat[at] != '\n'; at++, digits++) {
      value = stat[at] >= '0' && stat[at] <= '9' ? value * 10 + (stat[at] - '0') : -1;
    }
    if (!wanted[field]) continue;
    if (digits == 0 || value < 0) return 0;
    *wanted[field] = value;
    found++;
  }
  return found == 5;
}

/* The CPU of a process's live children, summed as the harness sums live descendants. */
struct live_cpu {
  int32_t count;
  int64_t ns, user_ticks, system_ticks;
};

enum child_result { CHILD_COUNTED, CHILD_GONE, CHILD_DEEPER };

static ssize_t read_whole(const char *path, uint8_t *into, size_t bytes) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t length = read(fd, into, bytes);
  close(fd);
  return length;
}

/*
 * A process's CPU-time clock, as the kernel numbers it (MAKE_PROCESS_CPUCLOCK, CPUCLOCK_SCHED).
 * glibc's clock_getcpuclockid first asks clock_getres whether the pid exists: one more system
 * call per child and round, for an answer clock_gettime gives anyway.
 */
static clockid_t process_cpu_clock(int32_t pid) {
  return (clockid_t)((~(uint32_t)pid) << 3 | 2u);
}

/*
 * Adds a child: its own time to the ns where its CPU-time clock says so, else stat's ticks,
 * plus the ticks of the children it reaped. Gone: reaped since listed, so its time is in the
 * process's reaped ticks, which the re-read of stat checks. Deeper: a thread or a child of
 * its own, which only the harness's bookkeeping follows.
 */
static enum child_result add_child(int32_t pid, struct live_cpu *live) {
  char path[64];
  uint8_t text[512];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  ssize_t length = read_whole(path, text, sizeof text);
  if (length <= 0) return CHILD_GONE;
  struct stat_counters child;
  if (!parse_stat(text, length, &child) || child.threads != 1) return CHILD_DEEPER;
  // A zombie's children went to a reaper as it exited. A child that exits between its two
  // reads is counted as gone: the re-read of the process's stat sees whether it was reaped.
  if (child.state != 'Z') {
    snprintf(path, sizeof path, "/proc/%d/task/%d/children", pid, pid);
    ssize_t children = read_whole(path, text, sizeof text);
    if (children < 0) return CHILD_GONE;
    if (children > 0) return CHILD_DEEPER;
  }

  int64_t reaped = child.cutime + child.cstime;
  int64_t ticks = child.utime + child.stime + reaped;
  int64_t ns = ticks * (1000000000LL / TICKS_PER_SECOND);
  struct timespec spent;
  if (clock_gettime(process_cpu_clock(pid), &spent) == 0) {
    int64_t exact = spent.tv_sec * 1000000000LL + spent.tv_nsec;
    exact += reaped * (1000000000LL / TICKS_PER_SECOND);
    if (exact > ns) ns = exact;
  }
  live->count++;
  live->ns += ns;
  live->user_ticks += child.utime + child.cutime;
  live->system_ticks += child.stime + child.cstime;
  return CHILD_COUNTED;
}

/* Children's sum across stat reads that saw the same reaped ticks: at most this many tries. */
#define SETTLE_ATTEMPTS 3

int quiet_finish(struct quiet_check *check, struct quiet_slot stat, struct quiet_slot live) {
  struct stat_counters before, after;
  struct live_cpu sum = {0};
  if (!parse_stat(stat.content, *stat.length, &before) || before.threads != check->threads) {
    return 0;
  }
  int settled = check->child_count == 0;
  for (int attempt = 0; !settled && attempt < SETTLE_ATTEMPTS; attempt++) {
    memset(&sum, 0, sizeof sum);
    for (int32_t i = 0; i < check->child_count; i++) {
      if (add_child(check->children[i], &sum) == CHILD_DEEPER) return 0;
    }
    ssize_t length = pread(check->stat_fd, stat.content, stat.capacity, 0);
    *stat.length = length < 0 ? -errno : (int32_t)length;
    if (length <= 0 || !parse_stat(stat.content, length, &after)) return 0;
    if (after.threads != check->threads) return 0;
    settled = after.cutime + after.cstime == before.cutime + before.cstime;
    before = after;
  }
  if (!settled) return 0;

  int written = snprintf((char *)live.content, live.capacity, "%d %lld %lld %lld\n", sum.count,
                         (long long)sum.ns, (long long)sum.user_ticks,
                         (long long)sum.system_ticks);
  *live.length = written;
  return written > 0 && (size_t)written < live.capacity;
}
