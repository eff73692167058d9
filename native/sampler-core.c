/*
 * Sampling rounds taken outside V8. A Node thread that wakes ten times a second costs about
 * twice what a plain thread does, and each read from JavaScript several times what a pread
 * from C does (bench/cpu). This thread re-reads the kernel counter files the harness has
 * opened, on the harness's grid, and copies their raw bytes into a ring in a
 * SharedArrayBuffer; the harness parses them when it next looks. Nothing is parsed here.
 *
 * Ring layout (all little-endian, offsets in bytes):
 *   header, 64 bytes: int32 rounds written so far, int32 capacity (rounds), int32 file count,
 *                     int32 slot size (bytes per file per round), int32 this thread's id (so
 *                     the harness can read its CPU from /proc/self/task/<tid>/schedstat)
 *   record r at 64 + (r % capacity) * record size:
 *     float64 CLOCK_MONOTONIC ns when the round began, float64 its grid point k,
 *     then per file: int32 length (negative errno when the read failed, NOT_DUE when the
 *     file was not read this round), int32 unused, slot-size bytes of content (truncated
 *     when longer)
 *
 * A file with period p is read on grid points k with k % p == 0 only: counters that advance
 * in clock ticks gain nothing from being read more often than the ticks move.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <node_api.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HEADER_BYTES 64
#define MAX_FILES 32
#define NOT_DUE INT32_MIN

struct core {
  uint8_t *ring;
  size_t ring_bytes;
  int32_t capacity, file_count, slot_bytes;
  int fds[MAX_FILES];
  int32_t periods[MAX_FILES];
  int64_t first_tick;
  double first_due_ns, interval_ns;
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t wake;
  int stopping, running;
  napi_ref buffer_ref;
};

static double monotonic_ns(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static size_t record_bytes(const struct core *core) {
  return 16 + (size_t)core->file_count * (8 + (size_t)core->slot_bytes);
}

static void take_round(struct core *core, int32_t round, int64_t tick) {
  size_t slot_in_ring = (size_t)(round % core->capacity);
  uint8_t *record = core->ring + HEADER_BYTES + slot_in_ring * record_bytes(core);
  double began = monotonic_ns(CLOCK_MONOTONIC);
  double grid_point = (double)tick;
  memcpy(record, &began, 8);
  memcpy(record + 8, &grid_point, 8);
  for (int i = 0; i < core->file_count; i++) {
    uint8_t *slot = record + 16 + (size_t)i * (8 + (size_t)core->slot_bytes);
    if (tick % core->periods[i] != 0) {
      int32_t skipped = NOT_DUE;
      memcpy(slot, &skipped, 4);
      continue;
    }
    ssize_t length = pread(core->fds[i], slot + 8, (size_t)core->slot_bytes, 0);
    int32_t stored = length < 0 ? -errno : (int32_t)length;
    memcpy(slot, &stored, 4);
  }
  __atomic_store_n((int32_t *)core->ring, round + 1, __ATOMIC_RELEASE);
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

  pthread_mutex_lock(&core->lock);
  while (!core->stopping) {
    struct timespec at = {(time_t)(due / 1e9), (long)((int64_t)due % 1000000000LL)};
    int waited = pthread_cond_timedwait(&core->wake, &core->lock, &at);
    if (core->stopping) break;
    if (waited != ETIMEDOUT) continue;
    pthread_mutex_unlock(&core->lock);
    double since_first = (due - core->first_due_ns) / core->interval_ns;
    int64_t tick = core->first_tick + (int64_t)(since_first + 0.5);
    take_round(core, round++, tick);
    now = monotonic_ns(CLOCK_MONOTONIC);
    do due += core->interval_ns;
    while (due <= now);
    pthread_mutex_lock(&core->lock);
  }
  pthread_mutex_unlock(&core->lock);
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
  pthread_mutex_lock(&core->lock);
  core->stopping = 1;
  pthread_cond_signal(&core->wake);
  pthread_mutex_unlock(&core->lock);
  pthread_join(core->thread, NULL);
  core->running = 0;
  napi_delete_reference(env, core->buffer_ref);
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  halt(env, data);
  free(data);
}

/*
 * start(ring: SharedArrayBuffer, fds: number[], firstDueNs: number, intervalNs: number,
 *       periods: number[], firstTick: number): firstDueNs is grid point firstTick.
 */
static napi_value start(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
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
  CHECK(napi_create_reference(env, argv[0], 1, &core->buffer_ref));

  pthread_condattr_t attributes;
  pthread_condattr_init(&attributes);
  pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
  pthread_cond_init(&core->wake, &attributes);
  pthread_condattr_destroy(&attributes);
  pthread_mutex_init(&core->lock, NULL);
  if (pthread_create(&core->thread, NULL, run, core) != 0) {
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
      napi_set_named_property(env, exports, "pread", function) != napi_ok) {
    return NULL;
  }
  return exports;
}
