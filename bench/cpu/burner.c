/*
 * Calibrated CPU load with exact own accounting, for the sampler benchmark and tests.
 *
 *   burner --percent P --seconds S --log FILE [--threads N | --children --child-ms C [--reap-late]]
 *
 * Burns P % of one core for S seconds, either spread over N threads (duty-cycled in 20 ms
 * periods) or in short-lived child processes that each burn C ms of CPU and exit. Prints
 * "ready <pid>" and waits for a line on stdin before starting, so the caller can place it in
 * a cgroup first. With --reap-late, children stay unreaped (zombies) until the load ends, as
 * under a parent too busy to reap. Every 5 ms it records, on CLOCK_MONOTONIC:
 *   mono_ns self_ns reaped_ns live_ns
 * self = CLOCK_PROCESS_CPUTIME_ID (all threads, exited ones included), reaped = rusage of
 * children reaped with wait4, live = what still-running children report through shared memory.
 * The log is written to FILE when the run ends.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SLOTS 256
#define PERIOD_NS 20000000LL
#define LOG_EVERY_NS 5000000LL

struct slot { volatile int pid; volatile int64_t cpu_ns; };
struct record { int64_t mono, self, reaped, live; };

static struct slot *slots;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t reaped_ns;
static volatile int stopping, spawning_done;
static double percent = 0, child_ms = 40;
static int threads = 1, children_mode = 0, reap_late = 0, seconds = 5;
static struct record *records;
static size_t record_count, record_capacity;

static int64_t now_ns(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void sleep_until(int64_t mono) {
  struct timespec t = { mono / 1000000000LL, mono % 1000000000LL };
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR) {}
}

static void spin(int64_t (*clock_now)(void), int64_t until_cpu, volatile int64_t *report) {
  volatile uint64_t sink = 0;
  for (;;) {
    for (int i = 0; i < 20000; i++) sink += i;
    int64_t cpu = clock_now();
    if (report) *report = cpu;
    if (cpu >= until_cpu) return;
  }
}

static int64_t thread_cpu(void) { return now_ns(CLOCK_THREAD_CPUTIME_ID); }
static int64_t process_cpu(void) { return now_ns(CLOCK_PROCESS_CPUTIME_ID); }

static void *worker(void *arg) {
  double duty = *(double *)arg;
  int64_t next = now_ns(CLOCK_MONOTONIC);
  while (!stopping) {
    spin(thread_cpu, thread_cpu() + (int64_t)(duty * PERIOD_NS), NULL);
    next += PERIOD_NS;
    if (duty < 1.0) sleep_until(next);
  }
  return NULL;
}

static void *spawner(void *arg) {
  (void)arg;
  int64_t every = (int64_t)(child_ms * 1e6 / (percent / 100.0));
  int64_t next = now_ns(CLOCK_MONOTONIC);
  while (!stopping) {
    pthread_mutex_lock(&lock);
    int index = -1;
    for (int i = 0; i < SLOTS && index < 0; i++) if (slots[i].pid == 0) index = i;
    if (index >= 0) {
      slots[index].cpu_ns = 0;
      slots[index].pid = -1;
      pid_t pid = fork();
      if (pid == 0) {
        spin(process_cpu, (int64_t)(child_ms * 1e6), &slots[index].cpu_ns);
        _exit(0);
      }
      slots[index].pid = pid > 0 ? pid : 0;
    }
    pthread_mutex_unlock(&lock);
    next += every;
    sleep_until(next);
  }
  spawning_done = 1;
  return NULL;
}

static void *reaper(void *arg) {
  (void)arg;
  while (reap_late && !stopping) usleep(1000);
  for (;;) {
    struct rusage usage;
    int status;
    pid_t pid = wait4(-1, &status, 0, &usage);
    if (pid < 0) {
      if (spawning_done || !children_mode) return NULL;
      usleep(1000);
      continue;
    }
    int64_t ns = ((int64_t)usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000000LL +
                 ((int64_t)usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1000LL;
    pthread_mutex_lock(&lock);
    reaped_ns += ns;
    for (int i = 0; i < SLOTS; i++) if (slots[i].pid == pid) { slots[i].pid = 0; slots[i].cpu_ns = 0; }
    pthread_mutex_unlock(&lock);
  }
}

static void record_now(void) {
  pthread_mutex_lock(&lock);
  int64_t live = 0;
  for (int i = 0; i < SLOTS; i++) if (slots[i].pid != 0) live += slots[i].cpu_ns;
  struct record r = { now_ns(CLOCK_MONOTONIC), process_cpu(), reaped_ns, live };
  pthread_mutex_unlock(&lock);
  if (record_count < record_capacity) records[record_count++] = r;
}

int main(int argc, char **argv) {
  const char *log_path = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--percent") && i + 1 < argc) percent = atof(argv[++i]);
    else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--child-ms") && i + 1 < argc) child_ms = atof(argv[++i]);
    else if (!strcmp(argv[i], "--children")) children_mode = 1;
    else if (!strcmp(argv[i], "--reap-late")) reap_late = 1;
    else if (!strcmp(argv[i], "--log") && i + 1 < argc) log_path = argv[++i];
    else { fprintf(stderr, "burner: unknown argument %s\n", argv[i]); return 2; }
  }
  if (!log_path || threads < 1 || percent < 0) { fprintf(stderr, "burner: bad arguments\n"); return 2; }

  slots = mmap(NULL, sizeof(struct slot) * SLOTS, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  record_capacity = (size_t)(seconds + 5) * (1000000000LL / LOG_EVERY_NS) + 16;
  records = calloc(record_capacity, sizeof(struct record));
  if (slots == MAP_FAILED || !records) return 3;

  printf("ready %d\n", getpid());
  fflush(stdout);
  char line[16];
  if (!fgets(line, sizeof line, stdin)) return 4;

  pthread_t workers[64], spawn_thread, reap_thread;
  double duty = percent / 100.0 / threads;
  int started = 0;
  record_now();
  if (percent > 0 && !children_mode)
    for (; started < threads && started < 64; started++) pthread_create(&workers[started], NULL, worker, &duty);
  if (percent > 0 && children_mode) {
    pthread_create(&spawn_thread, NULL, spawner, NULL);
    pthread_create(&reap_thread, NULL, reaper, NULL);
  }

  /* The accounting clock must not be starved by the load it accounts for: with root it runs
   * SCHED_FIFO (its own CPU is a few µs per record and is counted in self like the rest). */
  struct sched_param fifo = { .sched_priority = 1 };
  pthread_setschedparam(pthread_self(), SCHED_FIFO, &fifo);

  int64_t end = now_ns(CLOCK_MONOTONIC) + (int64_t)seconds * 1000000000LL;
  for (int64_t next = now_ns(CLOCK_MONOTONIC) + LOG_EVERY_NS; next < end; next += LOG_EVERY_NS) {
    sleep_until(next);
    record_now();
  }
  stopping = 1;
  for (int i = 0; i < started; i++) pthread_join(workers[i], NULL);
  if (percent > 0 && children_mode) { pthread_join(spawn_thread, NULL); pthread_join(reap_thread, NULL); }
  record_now();

  FILE *log = fopen(log_path, "w");
  if (!log) return 5;
  for (size_t i = 0; i < record_count; i++)
    fprintf(log, "%lld %lld %lld %lld\n", (long long)records[i].mono, (long long)records[i].self,
            (long long)records[i].reaped, (long long)records[i].live);
  fclose(log);
  return 0;
}
