/*
 * Quiet rounds of a process measured through /proc: rounds that need none of the harness's
 * decisions, because the process has no live descendant, or only children that are
 * single-threaded and have no child of their own. Its CPU is then its stat, its CPU-time clock
 * and its children's, summed here as the harness sums them. The sampling thread takes such
 * rounds itself and hands the process back at the first round that is not quiet, where a
 * deeper tree needs the harness's bookkeeping.
 */
#ifndef SYSBOX_REPRO_QUIET_ROUNDS_H
#define SYSBOX_REPRO_QUIET_ROUNDS_H

#include <stdint.h>
#include <sys/types.h>

#define QUIET_MAX_ALLOWED 1024
#define QUIET_MAX_EMPTY 64
#define QUIET_PATH_BYTES 4096
#define QUIET_MAX_CHILDREN 64

/* What a round must find for one process to stay quiet. */
struct quiet_check {
  /* The ring slot its stat is read into, and stat's thread count when the check was made. */
  int32_t stat_slot;
  int32_t threads;
  /* The slot its children's sum is written to. */
  int32_t live_slot;
  /* Its stat, kept open, to read again when a child was reaped during the round. */
  int stat_fd;
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
  /* The children those files listed this round. */
  int32_t children[QUIET_MAX_CHILDREN];
  int32_t child_count;
};

/* What quiet_finish writes: the children's CPU, as text "count ns user_ticks system_ticks\n". */
struct quiet_slot {
  int32_t *length;
  uint8_t *content;
  size_t capacity;
};

/*
 * Before the round's reads: notes the children the children files list, and checks that the
 * pid list, if any, holds only allowed pids (then there are no children files, so no
 * children). An allowed pid missing from the list is forgotten, as the harness forgets it:
 * the pid may come back as somebody else. `scratch` holds a whole list. 0: hand back.
 */
int quiet_members(struct quiet_check *check, uint8_t *scratch, size_t scratch_bytes);

/*
 * After the round's reads (`stat`: the process's stat as read): sums the children into
 * `live`, reading stat again until no child was reaped across the sum (it would count twice
 * or not at all), and checks the thread count. 0: hand back (a child has a child or a thread
 * of its own, the sum did not settle, or the thread count changed).
 */
int quiet_finish(struct quiet_check *check, struct quiet_slot stat, struct quiet_slot live);

#endif
