/*
 * Sampling rounds taken outside V8. A Node thread that wakes ten times a second costs about
 * twice what a plain thread does, and each read from JavaScript several times what a pread
 * from C does (bench/cpu). This thread re-reads the kernel counter files the harness has
 * opened, on the harness's grid, and copies their raw bytes into a ring in a
 * SharedArrayBuffer; the harness parses them when it next looks. Counters are not parsed
 * here; only the quiet checks of a /proc target (quiet-rounds.h) look into what they read.
 *
 * Ring layout (all little-endian, offsets in bytes):
 *   header, 64 bytes: int32 rounds written so far, int32 capacity (rounds), int32 file count,
 *                     int32 slot size (bytes per file per round), int32 this thread's id (so
 *                     the harness can read its CPU from /proc/self/task/<tid>/schedstat),
 *                     int32 1 once the thread has handed back (a round was not quiet),
 *                     float64 at byte 24: the CPU the thread ran, ns, written as it ends (its
 *                     schedstat is gone by the time the harness looks after a hand-back)
 *   record r at 64 + (r % capacity) * record size:
 *     float64 CLOCK_MONOTONIC ns when the round began, float64 its grid point k,
 *     then per file: int32 length (negative errno when the read failed, NOT_DUE when the
 *     file was not read this round), int32 unused, slot-size bytes of content (truncated
 *     when longer)
 *
 * A file with period p is read on grid points k with k % p == 0 only: counters that advance
 * in clock ticks gain nothing from being read more often than the ticks move. A slot of kind
 * CLOCK holds a process's CPU-time clock in ns, as decimal text, instead of a file; one of
 * kind LIVE, what a quiet check summed of the process's children (quiet-rounds.h).
 *
 * With quiet checks, a round in which one fails is not written: the thread marks the header,
 * bumps the harness's wake word, wakes it with a futex and ends, and the harness takes that
 * round and the next ones itself.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <node_api.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "quiet-rounds.h"

#define HEADER_BYTES 64
#define HANDED_BACK_AT 5 /* int32 index in the header */
#define OWN_CPU_AT 24     /* byte offset in the header */
#define MAX_FILES 32
#define MAX_CHECKS 4
#define LIST_BYTES (64 * 1024)
#define NOT_DUE INT32_MIN
#define KIND_FILE 0
#define KIND_CLOCK 1
#define KIND_LIVE 2

struct core {
  uint8_t *ring;
  size_t ring_bytes;
  int32_t capacity, file_count, slot_bytes;
  int fds[MAX_FILES];
  int32_t periods[MAX_FILES];
  int32_t kinds[MAX_FILES];
  clockid_t clocks[MAX_FILES];
  int clock_errors[MAX_FILES];
  struct quiet_check checks[MAX_CHECKS];
  int32_t check_count;
  uint8_t *list_scratch;
  /* The harness's wake word, bumped and woken when the thread hands back. */
  int32_t *wake_word;
  int64_t first_tick;
  double first_due_ns, interval_ns;
  pthread_t thread;
  /* Set once, to end the thread; the thread sleeps on it between rounds. */
  int32_t stopping;
  int running;
  napi_ref buffer_ref, wake_ref;
};

static double monotonic_ns(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static size_t record_bytes(const struct core *core) {
  return 16 + (size_t)core->file_count * (8 + (size_t)core->slot_bytes);
}

static int32_t read_slot(struct core *core, int i, uint8_t *into) {
  if (core->kinds[i] == KIND_LIVE) return 0; // written by its check
  if (core->kinds[i] != KIND_CLOCK) {
    ssize_t length = pread(core->fds[i], into, (size_t)core->slot_bytes, 0);
    return length < 0 ? -errno : (int32_t)length;
  }
  struct timespec spent;
  if (core->clock_errors[i] != 0) return -core->clock_errors[i];
  if (clock_gettime(core->clocks[i], &spent) != 0) return -errno;
  long long ns = (long long)spent.tv_sec * 1000000000LL + spent.tv_nsec;
  return (int32_t)snprintf((char *)into, (size_t)core->slot_bytes, "%lld\n", ns);
}

/* Slot `i` of a record: its int32 length, then its content. */
static struct quiet_slot slot_of(const struct core *core, uint8_t *record, int32_t i) {
  uint8_t *slot = record + 16 + (size_t)i * (8 + (size_t)core->slot_bytes);
  struct quiet_slot view = {(int32_t *)slot, slot + 8, (size_t)core->slot_bytes};
  return view;
}

/* Takes one round; returns 0 when a quiet check failed and the round was not written. */
static int take_round(struct core *core, int32_t round, int64_t tick) {
  size_t slot_in_ring = (size_t)(round % core->capacity);
  uint8_t *record = core->ring + HEADER_BYTES + slot_in_ring * record_bytes(core);
  size_t slot_stride = 8 + (size_t)core->slot_bytes;
  double began = monotonic_ns(CLOCK_MONOTONIC);
  double grid_point = (double)tick;
  // Members first, stat after, as the harness reads them: a child forked in between shows in
  // stat's thread count or in the next round's list.
  for (int32_t c = 0; c < core->check_count; c++) {
    if (!quiet_members(&core->checks[c], core->list_scratch, LIST_BYTES)) return 0;
  }
  memcpy(record, &began, 8);
  memcpy(record + 8, &grid_point, 8);
  for (int i = 0; i < core->file_count; i++) {
    uint8_t *slot = record + 16 + (size_t)i * slot_stride;
    int32_t stored = tick % core->periods[i] != 0 ? NOT_DUE : read_slot(core, i, slot + 8);
    memcpy(slot, &stored, 4);
  }
  for (int32_t c = 0; c < core->check_count; c++) {
    struct quiet_check *check = &core->checks[c];
    struct quiet_slot stat = slot_of(core, record, check->stat_slot);
    if (!quiet_finish(check, stat, slot_of(core, record, check->live_slot))) return 0;
  }
  __atomic_store_n((int32_t *)core->ring, round + 1, __ATOMIC_RELEASE);
  return 1;
}

/* Tells the harness it must take the rounds again: the header says so, the wake word wakes it. */
static void hand_back(struct core *core) {
  __atomic_store_n((int32_t *)core->ring + HANDED_BACK_AT, 1, __ATOMIC_RELEASE);
  if (!core->wake_word) return;
  __atomic_add_fetch(core->wake_word, 1, __ATOMIC_SEQ_CST);
  syscall(SYS_futex, core->wake_word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

static void *run(void *argument) {
  struct core *core = argument;
  int32_t tid = (int32_t)gettid();
  __atomic_store_n((int32_t *)core->ring + 4, tid, __ATOMIC_RELEASE);
  int32_t round = __atomic_load_n((int32_t *)core->ring, __ATOMIC_ACQUIRE);
  double now = monotonic_ns(CLOCK_MONOTONIC);
  double ticks = now > core->first_due_ns ? (now - core->first_due_ns) / core->interval_ns : 0;
  double due = core->first_due_ns + ((double)(int64_t)ticks) * core->interval_ns;
  if (due < now) due += core->interval_ns;
  int handed_back = 0;

  // A futex on the stopping word, not a condition variable: glibc re-takes a condition's mutex
  // as contended after a timed-out wait, so every round paid one more system call to unlock it.
  while (!__atomic_load_n(&core->stopping, __ATOMIC_ACQUIRE)) {
    struct timespec at = {(time_t)(due / 1e9), (long)((int64_t)due % 1000000000LL)};
    syscall(SYS_futex, &core->stopping, FUTEX_WAIT_BITSET_PRIVATE, 0, &at, NULL,
            FUTEX_BITSET_MATCH_ANY);
    if (__atomic_load_n(&core->stopping, __ATOMIC_ACQUIRE)) break;
    if (monotonic_ns(CLOCK_MONOTONIC) < due) continue; // woken early: a signal, or spurious
    double since_first = (due - core->first_due_ns) / core->interval_ns;
    int64_t tick = core->first_tick + (int64_t)(since_first + 0.5);
    if (!take_round(core, round, tick)) {
      handed_back = 1;
      break;
    }
    round++;
    now = monotonic_ns(CLOCK_MONOTONIC);
    do due += core->interval_ns;
    while (due <= now);
  }

  double own_ns = monotonic_ns(CLOCK_THREAD_CPUTIME_ID);
  memcpy(core->ring + OWN_CPU_AT, &own_ns, 8);
  if (handed_back) hand_back(core);
  return NULL;
}

#define CHECK(call)                                                        \
  do {                                                                     \
    if ((call) != napi_ok) {                                               \
      napi_throw_error(env, NULL, "sampler-core: N-API call failed: " #call); \
      return NULL;                                                         \
    }                                                                      \
  } while (0)

/* Wakes the thread, waits for it to end, and lets go of the ring. */
static void halt(napi_env env, struct core *core) {
  if (!core->running) return;
  __atomic_store_n(&core->stopping, 1, __ATOMIC_RELEASE);
  syscall(SYS_futex, &core->stopping, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
  pthread_join(core->thread, NULL);
  core->running = 0;
  napi_delete_reference(env, core->buffer_ref);
  if (core->wake_ref) napi_delete_reference(env, core->wake_ref);
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  struct core *core = data;
  halt(env, core);
  free(core->list_scratch);
  free(core);
}

/* Reads obj[name] as an int32. */
static napi_status int32_property(napi_env env, napi_value obj, const char *name, int32_t *out) {
  napi_value value;
  napi_status status = napi_get_named_property(env, obj, name, &value);
  return status == napi_ok ? napi_get_value_int32(env, value, out) : status;
}

/* Reads obj[name], an array of at most `max` int32s, into `out`; -1 when it is longer. */
static int int32_list(napi_env env, napi_value obj, const char *name, int32_t *out, int max) {
  napi_value array, element;
  uint32_t length;
  if (napi_get_named_property(env, obj, name, &array) != napi_ok ||
      napi_get_array_length(env, array, &length) != napi_ok || length > (uint32_t)max) {
    return -1;
  }
  for (uint32_t i = 0; i < length; i++) {
    if (napi_get_element(env, array, i, &element) != napi_ok ||
        napi_get_value_int32(env, element, &out[i]) != napi_ok) {
      return -1;
    }
  }
  return (int)length;
}

/*
 * One quiet check from {statSlot, liveSlot, threads, listFd, listPath, allowed, empty}; 0 on
 * success.
 */
static int read_check(napi_env env, napi_value from, struct quiet_check *check) {
  napi_value path;
  size_t path_length;
  int32_t list_fd;
  if (int32_property(env, from, "statSlot", &check->stat_slot) != napi_ok ||
      int32_property(env, from, "liveSlot", &check->live_slot) != napi_ok ||
      int32_property(env, from, "threads", &check->threads) != napi_ok ||
      int32_property(env, from, "listFd", &list_fd) != napi_ok ||
      napi_get_named_property(env, from, "listPath", &path) != napi_ok ||
      napi_get_value_string_utf8(env, path, check->list_path, QUIET_PATH_BYTES, &path_length) !=
          napi_ok ||
      path_length >= QUIET_PATH_BYTES - 1) {
    return -1;
  }
  check->list_fd = list_fd;
  int allowed = int32_list(env, from, "allowed", check->allowed, QUIET_MAX_ALLOWED);
  int empty = int32_list(env, from, "empty", check->empty_fds, QUIET_MAX_EMPTY);
  if (allowed < 1 || empty < 0) return -1;
  check->allowed_count = allowed;
  check->empty_count = empty;
  return 0;
}

/*
 * The optional last argument of start: {kinds, checks, wake, wakeIndex}. kinds[i] is
 * KIND_CLOCK where fds[i] is a pid whose CPU-time clock fills slot i; checks are quiet
 * checks; wake[wakeIndex] is bumped and woken when a check fails. 0 on success.
 */
static int read_quiet_options(napi_env env, napi_value from, struct core *core) {
  int kinds = int32_list(env, from, "kinds", core->kinds, MAX_FILES);
  if (kinds != core->file_count) return -1;
  for (int i = 0; i < core->file_count; i++) {
    if (core->kinds[i] == KIND_CLOCK) {
      core->clock_errors[i] = clock_getcpuclockid(core->fds[i], &core->clocks[i]);
    }
  }

  napi_value checks, element, wake;
  uint32_t count;
  if (napi_get_named_property(env, from, "checks", &checks) != napi_ok ||
      napi_get_array_length(env, checks, &count) != napi_ok || count > MAX_CHECKS) {
    return -1;
  }
  for (uint32_t c = 0; c < count; c++) {
    struct quiet_check *check = &core->checks[c];
    if (napi_get_element(env, checks, c, &element) != napi_ok ||
        read_check(env, element, check) != 0 || check->stat_slot < 0 ||
        check->stat_slot >= core->file_count || check->live_slot < 0 ||
        check->live_slot >= core->file_count || core->kinds[check->live_slot] != KIND_LIVE) {
      return -1;
    }
    check->stat_fd = core->fds[check->stat_slot];
  }
  core->check_count = (int32_t)count;
  if (count == 0) return 0;

  napi_typedarray_type type;
  size_t length;
  void *data;
  int32_t index;
  if (napi_get_named_property(env, from, "wake", &wake) != napi_ok ||
      napi_get_typedarray_info(env, wake, &type, &length, &data, NULL, NULL) != napi_ok ||
      type != napi_int32_array || int32_property(env, from, "wakeIndex", &index) != napi_ok ||
      index < 0 || (size_t)index >= length) {
    return -1;
  }
  core->wake_word = (int32_t *)data + index;
  core->list_scratch = malloc(LIST_BYTES);
  if (!core->list_scratch) return -1;
  return napi_create_reference(env, wake, 1, &core->wake_ref) == napi_ok ? 0 : -1;
}

/*
 * start(ring: SharedArrayBuffer, fds: number[], firstDueNs: number, intervalNs: number,
 *       periods: number[], firstTick: number, quiet?: object): firstDueNs is grid point
 *       firstTick; see read_quiet_options for `quiet`.
 */
static napi_value start(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 6) {
    napi_throw_type_error(env, NULL, "sampler-core: start(ring, fds, firstDueNs, intervalNs, "
                                     "periods, firstTick)");
    return NULL;
  }
  struct core *core = calloc(1, sizeof *core);
  if (!core) {
    napi_throw_error(env, NULL, "sampler-core: out of memory");
    return NULL;
  }
  void *data;
  CHECK(napi_get_arraybuffer_info(env, argv[0], &data, &core->ring_bytes));
  core->ring = data;
  uint32_t count, period_count;
  CHECK(napi_get_array_length(env, argv[1], &count));
  CHECK(napi_get_array_length(env, argv[4], &period_count));
  memcpy(&core->capacity, core->ring + 4, 4);
  memcpy(&core->file_count, core->ring + 8, 4);
  memcpy(&core->slot_bytes, core->ring + 12, 4);
  size_t needed = HEADER_BYTES + (size_t)core->capacity * record_bytes(core);
  if (count > MAX_FILES || (int32_t)count != core->file_count || period_count != count ||
      core->capacity <= 0 || core->slot_bytes <= 0 || needed > core->ring_bytes) {
    free(core);
    napi_throw_range_error(env, NULL, "sampler-core: ring header does not match the files");
    return NULL;
  }
  for (uint32_t i = 0; i < count; i++) {
    napi_value fd;
    CHECK(napi_get_element(env, argv[1], i, &fd));
    CHECK(napi_get_value_int32(env, fd, &core->fds[i]));
    napi_value period;
    CHECK(napi_get_element(env, argv[4], i, &period));
    CHECK(napi_get_value_int32(env, period, &core->periods[i]));
    if (core->periods[i] < 1) core->periods[i] = 1;
  }
  CHECK(napi_get_value_int64(env, argv[5], &core->first_tick));
  CHECK(napi_get_value_double(env, argv[2], &core->first_due_ns));
  CHECK(napi_get_value_double(env, argv[3], &core->interval_ns));
  napi_valuetype quiet_type = napi_undefined;
  if (argc > 6) CHECK(napi_typeof(env, argv[6], &quiet_type));
  if (quiet_type == napi_object && read_quiet_options(env, argv[6], core) != 0) {
    if (core->wake_ref) napi_delete_reference(env, core->wake_ref);
    free(core->list_scratch);
    free(core);
    napi_throw_type_error(env, NULL, "sampler-core: start's quiet options are malformed");
    return NULL;
  }
  CHECK(napi_create_reference(env, argv[0], 1, &core->buffer_ref));

  if (pthread_create(&core->thread, NULL, run, core) != 0) {
    napi_delete_reference(env, core->buffer_ref);
    if (core->wake_ref) napi_delete_reference(env, core->wake_ref);
    free(core->list_scratch);
    free(core);
    napi_throw_error(env, NULL, "sampler-core: cannot start the sampling thread");
    return NULL;
  }
  core->running = 1;
  napi_value handle;
  CHECK(napi_create_external(env, core, finalize, NULL, &handle));
  return handle;
}

/* stop(handle): returns once the thread has finished its last round. */
static napi_value stop(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  struct core *core;
  CHECK(napi_get_value_external(env, argv[0], (void **)&core));
  halt(env, core);
  return NULL;
}

/*
 * processCpuNs(pid): the CPU time every thread of process `pid` has run, exited threads
 * included, in ns, from the kernel's CPU-time clock of that process; -errno when there is no
 * such process. /proc gives the same only as stat's ticks (exited threads) or per live thread
 * (schedstat); this clock is exact for all of them in one system call.
 */
static napi_value process_cpu_ns(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t pid = 0;
  if (argc < 1 || napi_get_value_int32(env, argv[0], &pid) != napi_ok || pid <= 0) {
    napi_throw_type_error(env, NULL, "sampler-core: processCpuNs(pid) needs a positive pid");
    return NULL;
  }
  clockid_t clock;
  struct timespec spent;
  double result;
  int failed = clock_getcpuclockid(pid, &clock);
  if (failed != 0) result = -failed;
  else if (clock_gettime(clock, &spent) != 0) result = -errno;
  else result = (double)spent.tv_sec * 1e9 + (double)spent.tv_nsec;
  napi_value value;
  CHECK(napi_create_double(env, result, &value));
  return value;
}

/*
 * pread(fd, bytes): reads fd from offset 0 into the Uint8Array `bytes`; the byte count, or
 * -errno. The Node thread's rounds re-read a few kernel files each; through fs.readSync each
 * read also passed argument checks and libuv, and a gone process cost an exception.
 */
static napi_value pread_from_start(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t fd = -1;
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  if (argc < 2 || napi_get_value_int32(env, argv[0], &fd) != napi_ok ||
      napi_get_typedarray_info(env, argv[1], &type, &length, &data, NULL, NULL) != napi_ok ||
      type != napi_uint8_array) {
    napi_throw_type_error(env, NULL, "sampler-core: pread(fd, bytes) needs a fd and a Uint8Array");
    return NULL;
  }
  ssize_t got = pread(fd, data, length, 0);
  napi_value value;
  CHECK(napi_create_int32(env, got < 0 ? -errno : (int32_t)got, &value));
  return value;
}

/* The int32 at args[0][args[1]] of an Int32Array; NULL (with a TypeError thrown) otherwise. */
static int32_t *int32_word(napi_env env, napi_value array, napi_value at, const char *usage) {
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  int32_t index = -1;
  if (napi_get_typedarray_info(env, array, &type, &length, &data, NULL, NULL) != napi_ok ||
      type != napi_int32_array || napi_get_value_int32(env, at, &index) != napi_ok ||
      index < 0 || (size_t)index >= length) {
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  return (int32_t *)data + index;
}

/*
 * futexWait(words: Int32Array, index, expected, timeoutMs): like Atomics.wait, but on the
 * kernel's futex, which the sampling thread can wake; V8's Atomics.wait queues its waiters in
 * V8 and cannot be woken from C. Answers "ok", "not-equal" or "timed-out".
 */
static napi_value futex_wait(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  const char *usage = "sampler-core: futexWait(words, index, expected, timeoutMs)";
  int32_t expected;
  double timeout_ms;
  if (argc < 4 || napi_get_value_int32(env, argv[2], &expected) != napi_ok ||
      napi_get_value_double(env, argv[3], &timeout_ms) != napi_ok || !(timeout_ms >= 0)) {
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  int32_t *word = int32_word(env, argv[0], argv[1], usage);
  if (!word) return NULL;

  struct timespec timeout = {(time_t)(timeout_ms / 1000),
                             (long)((timeout_ms - (double)(int64_t)(timeout_ms / 1000) * 1000) * 1e6)};
  long woke = syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, expected, &timeout, NULL, 0);
  const char *answer = woke == 0 || errno == EINTR ? "ok"
                       : errno == EAGAIN           ? "not-equal"
                                                   : "timed-out";
  napi_value value;
  CHECK(napi_create_string_utf8(env, answer, NAPI_AUTO_LENGTH, &value));
  return value;
}

/* futexWake(words: Int32Array, index): wakes the futexWait-ers on that word; how many. */
static napi_value futex_wake(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  const char *usage = "sampler-core: futexWake(words, index)";
  if (argc < 2) {
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  int32_t *word = int32_word(env, argv[0], argv[1], usage);
  if (!word) return NULL;
  long woken = syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
  napi_value value;
  CHECK(napi_create_int32(env, woken < 0 ? 0 : (int32_t)woken, &value));
  return value;
}

NAPI_MODULE_INIT() {
  napi_value function;
  if (napi_create_function(env, "processCpuNs", NAPI_AUTO_LENGTH, process_cpu_ns, NULL,
                           &function) != napi_ok ||
      napi_set_named_property(env, exports, "processCpuNs", function) != napi_ok ||
      napi_create_function(env, "start", NAPI_AUTO_LENGTH, start, NULL, &function) != napi_ok ||
      napi_set_named_property(env, exports, "start", function) != napi_ok ||
      napi_create_function(env, "stop", NAPI_AUTO_LENGTH, stop, NULL, &function) != napi_ok ||
      napi_set_named_property(env, exports, "stop", function) != napi_ok ||
      napi_create_function(env, "pread", NAPI_AUTO_LENGTH, pread_from_start, NULL, &function) !=
          napi_ok ||
      napi_set_named_property(env, exports, "pread", function) != napi_ok ||
      napi_create_function(env, "futexWait", NAPI_AUTO_LENGTH, futex_wait, NULL, &function) !=
          napi_ok ||
      napi_set_named_property(env, exports, "futexWait", function) != napi_ok ||
      napi_create_function(env, "futexWake", NAPI_AUTO_LENGTH, futex_wake, NULL, &function) !=
          napi_ok ||
      napi_set_named_property(env, exports, "futexWake", function) != napi_ok) {
    return NULL;
  }
  return exports;
}
