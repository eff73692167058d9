/*
 * Quiet rounds of a process measured through /proc: rounds in which it has no live
 * descendant, so its CPU is its stat and its CPU-time clock alone. The sampling thread takes
 * such rounds itself and hands the process back to the harness at the first round that is
 * not quiet, where telling children from strangers needs the harness's bookkeeping.
 */
#ifndef SYSBOX_REPRO_QUIET_ROUNDS_H
#define SYSBOX_REPRO_QUIET_ROUNDS_H

#include <stdint.h>
#include <sys/types.h>

#define QUIET_MAX_ALLOWED 1024
#define QUIET_MAX_EMPTY 64
#define QUIET_PATH_BYTES 4096

/* What a round must find for one process to stay quiet. */
struct quiet_check {
  /* The ring slot its stat is read into, and stat's thread count when the check was made. */
  int32_t stat_slot;
  int32_t threads;
  /*
   * Its cgroup's pid list: kept open (cgroup v2), or opened per read (v1) when list_fd < 0;
   * none when list_fd < 0 and list_path is empty (its children files tell enough).
   */
  int list_fd;
  char list_path[QUIET_PATH_BYTES];
  /*
   * Pids the list may hold: the process itself first, then processes known not to descend
   * from it, in ascending order (a shared cgroup may hold hundreds).
   */
  int32_t allowed[QUIET_MAX_ALLOWED];
  int32_t allowed_count;
  /* Set for an allowed pid once it left the list: it may come back as somebody else. */
  uint8_t forgotten[QUIET_MAX_ALLOWED];
  /* Files that must read empty: its threads' children files. */
  int empty_fds[QUIET_MAX_EMPTY];
  int32_t empty_count;
};

/*
 * Whether every children file is empty and the pid list, if any, holds only allowed pids. An
 * allowed pid missing from the list is forgotten, as the harness forgets it: the pid may come
 * back as somebody else. `scratch` holds a whole list.
 */
int quiet_members(struct quiet_check *check, uint8_t *scratch, size_t scratch_bytes);

/* Whether `stat` (length bytes, or -errno) shows the thread count the check was made with. */
int quiet_threads(const struct quiet_check *check, const uint8_t *stat, ssize_t length);

#endif
