/*
 * How exact is the CPU time the kernel's taskstats exit record gives for a process that exits?
 *
 *   taskstats-exit --children N --child-ms C --mode clock|plain|threads
 *
 * Registers for exit records over generic netlink (family TASKSTATS, command GET with
 * REGISTER_CPUMASK on every possible CPU), then forks N children one after the other, each
 * burning about C ms, and reaps each with wait4. For every child it prints one line
 *   child <pid> rusage_ns <n> record_ns <n> record_ticks_ns <n>
 * rusage_ns: utime+stime from wait4 (what /proc's cutime+cstime add up, before truncation);
 * record_ns: cpu_run_virtual_total of the record that ends the process (its TGID aggregate when
 * it had threads); record_ticks_ns: that record's ac_utime+ac_stime.
 * Modes: clock spins reading its own CPU clock (like bench/cpu/burner.c), plain spins in a
 * loop calibrated beforehand, threads burns in 3 threads that exit before the process does.
 * A failing step prints "failed <step>: <errno> <message>" and exits 3.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/taskstats.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CHILDREN 1000
/* Offsets in struct taskstats, stable across versions (fields are only ever appended). */
#define OFFSET_RUN_VIRTUAL 72
#define OFFSET_PID 128
#define OFFSET_UTIME 152
#define OFFSET_STIME 160

static int sock;
static double child_ms = 30;
static long plain_loops_per_ms;

static void fail(const char *step) {
  printf("failed %s: %d %s\n", step, errno, strerror(errno));
  exit(3);
}

static int64_t cpu_now(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void send_request(uint16_t family, uint8_t command, uint16_t attribute, const char *value) {
  char message[256] = {0};
  struct nlmsghdr *header = (void *)message;
  struct genlmsghdr *generic = NLMSG_DATA(header);
  struct nlattr *attr = (void *)((char *)generic + GENL_HDRLEN);
  header->nlmsg_type = family;
  header->nlmsg_flags = NLM_F_REQUEST;
  generic->cmd = command;
  generic->version = 1;
  attr->nla_type = attribute;
  attr->nla_len = NLA_HDRLEN + strlen(value) + 1;
  memcpy((char *)attr + NLA_HDRLEN, value, strlen(value) + 1);
  header->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN) + NLA_ALIGN(attr->nla_len);
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  if (sendto(sock, message, header->nlmsg_len, 0, (void *)&kernel, sizeof kernel) < 0)
    fail("sendto");
}

static uint16_t taskstats_family(void) {
  static char reply[8192];
  send_request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_ATTR_FAMILY_NAME, TASKSTATS_GENL_NAME);
  int length = recv(sock, reply, sizeof reply, 0);
  if (length < 0) fail("recv family");
  struct nlmsghdr *header = (void *)reply;
  if (header->nlmsg_type == NLMSG_ERROR) {
    errno = -((struct nlmsgerr *)NLMSG_DATA(header))->error;
    fail("resolve family TASKSTATS");
  }
  char *at = (char *)NLMSG_DATA(header) + GENL_HDRLEN;
  while (at + NLA_HDRLEN <= reply + length) {
    struct nlattr *attr = (void *)at;
    if (attr->nla_len < NLA_HDRLEN) break;
    if (attr->nla_type == CTRL_ATTR_FAMILY_ID) return *(uint16_t *)(at + NLA_HDRLEN);
    at += NLA_ALIGN(attr->nla_len);
  }
  errno = ENOENT;
  fail("find family id");
  return 0;
}

static void *burn_thread(void *argument) {
  int64_t until = cpu_now(CLOCK_THREAD_CPUTIME_ID) + (int64_t)(child_ms * 1e6 / 3);
  while (cpu_now(CLOCK_THREAD_CPUTIME_ID) < until) {}
  return argument;
}

static void burn(const char *mode) {
  volatile uint64_t sink = 0;
  if (!strcmp(mode, "clock")) {
    int64_t until = cpu_now(CLOCK_PROCESS_CPUTIME_ID) + (int64_t)(child_ms * 1e6);
    while (cpu_now(CLOCK_PROCESS_CPUTIME_ID) < until)
      for (int i = 0; i < 20000; i++) sink += i;
  } else if (!strcmp(mode, "plain")) {
    for (long i = 0; i < (long)(plain_loops_per_ms * child_ms); i++) sink += i;
  } else {
    pthread_t threads[3];
    for (int i = 0; i < 3; i++) pthread_create(&threads[i], NULL, burn_thread, NULL);
    for (int i = 0; i < 3; i++) pthread_join(threads[i], NULL);
  }
}

static void calibrate_plain_loop(void) {
  volatile uint64_t sink = 0;
  int64_t start = cpu_now(CLOCK_PROCESS_CPUTIME_ID);
  for (long i = 0; i < 20000000L; i++) sink += i;
  double ms = (double)(cpu_now(CLOCK_PROCESS_CPUTIME_ID) - start) / 1e6;
  plain_loops_per_ms = (long)(20000000L / (ms > 0 ? ms : 1));
}

/* The record that ends a process: the TGID aggregate when there is one, else the PID one. */
static void read_records(pid_t *pids, int count, uint64_t *run_ns, uint64_t *tick_ns) {
  static char buffer[65536];
  for (;;) {
    int length = recv(sock, buffer, sizeof buffer, MSG_DONTWAIT);
    if (length < 0 && errno == EAGAIN) return;
    if (length < 0) fail("recv records");
    for (struct nlmsghdr *message = (void *)buffer; NLMSG_OK(message, (unsigned)length);
         message = NLMSG_NEXT(message, length)) {
      char *at = (char *)NLMSG_DATA(message) + GENL_HDRLEN;
      char *end = (char *)message + message->nlmsg_len;
      for (; at + NLA_HDRLEN <= end; at += NLA_ALIGN(((struct nlattr *)at)->nla_len)) {
        struct nlattr *aggregate = (void *)at;
        if (aggregate->nla_len < NLA_HDRLEN) break;
        char *inner = at + NLA_HDRLEN;
        struct nlattr *id = (void *)inner;
        struct nlattr *stats = (void *)(inner + NLA_ALIGN(id->nla_len));
        char *record = (char *)stats + NLA_HDRLEN;
        if (aggregate->nla_type != TASKSTATS_TYPE_AGGR_PID &&
            aggregate->nla_type != TASKSTATS_TYPE_AGGR_TGID)
          continue;
        /* A TGID aggregate follows its PID record in the same message, and replaces it. */
        pid_t pid = *(pid_t *)(inner + NLA_HDRLEN);
        for (int i = 0; i < count; i++) {
          if (pids[i] != pid) continue;
          run_ns[i] = *(uint64_t *)(record + OFFSET_RUN_VIRTUAL);
          tick_ns[i] = (*(uint64_t *)(record + OFFSET_UTIME) + *(uint64_t *)(record + OFFSET_STIME)) * 1000;
        }
      }
    }
  }
}

int main(int argc, char **argv) {
  int children = 40;
  const char *mode = "clock";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--children")) children = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--child-ms")) child_ms = atof(argv[i + 1]);
    else if (!strcmp(argv[i], "--mode")) mode = argv[i + 1];
  }
  if (children < 1 || children > MAX_CHILDREN) children = 40;

  sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
  if (sock < 0) fail("socket NETLINK_GENERIC");
  struct sockaddr_nl self = {.nl_family = AF_NETLINK};
  if (bind(sock, (void *)&self, sizeof self) < 0) fail("bind");
  int room = 4 << 20;
  setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &room, sizeof room);
  uint16_t family = taskstats_family();

  char cpus[64] = "0";
  FILE *possible = fopen("/sys/devices/system/cpu/possible", "r");
  if (possible && fgets(cpus, sizeof cpus, possible)) cpus[strcspn(cpus, "\n")] = 0;
  if (possible) fclose(possible);
  send_request(family, TASKSTATS_CMD_GET, TASKSTATS_CMD_ATTR_REGISTER_CPUMASK, cpus);
  /* Registration answers nothing when it works; an error comes back as NLMSG_ERROR. */
  static char reply[4096];
  usleep(20000);
  int length = recv(sock, reply, sizeof reply, MSG_DONTWAIT | MSG_PEEK);
  struct nlmsghdr *header = (void *)reply;
  if (length > 0 && header->nlmsg_type == NLMSG_ERROR &&
      ((struct nlmsgerr *)NLMSG_DATA(header))->error != 0) {
    errno = -((struct nlmsgerr *)NLMSG_DATA(header))->error;
    fail("register cpumask");
  }
  if (!strcmp(mode, "plain")) calibrate_plain_loop();

  static pid_t pids[MAX_CHILDREN];
  static uint64_t rusage_ns[MAX_CHILDREN], run_ns[MAX_CHILDREN], tick_ns[MAX_CHILDREN];
  for (int i = 0; i < children; i++) {
    pid_t pid = fork();
    if (pid < 0) fail("fork");
    if (pid == 0) {
      burn(mode);
      _exit(0);
    }
    struct rusage usage;
    int status;
    if (wait4(pid, &status, 0, &usage) != pid) fail("wait4");
    pids[i] = pid;
    rusage_ns[i] = ((uint64_t)usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000000ULL +
                   ((uint64_t)usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1000ULL;
  }
  usleep(20000);
  read_records(pids, children, run_ns, tick_ns);
  for (int i = 0; i < children; i++)
    printf("child %d rusage_ns %llu record_ns %llu record_ticks_ns %llu\n", pids[i],
           (unsigned long long)rusage_ns[i], (unsigned long long)run_ns[i],
           (unsigned long long)tick_ns[i]);
  return 0;
}
