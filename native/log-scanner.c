/*
 * The hot path of reading a sysbox-fs debug log, in C. During a storm nearly every line is
 * one of a handful of shapes (logrus text at debug/info under the same header as the line
 * before, "Received umount syscall from pid N", a target or Ignoring/Rejected message the
 * reference parser has classified before, a FUSE library line; each with or without
 * journalctl's default prefix naming sysbox-fs), and recognising them in
 * JavaScript costs several times what reading the file does. This scanner recognises them
 * by comparing bytes and records them straight into the event counters and ops array of
 * harness/sysbox/logs/unmount-events.ts. It returns to JavaScript only for what needs it:
 * a line of any other shape (which JavaScript gives to the reference parser), a header with
 * a new time, and a recognised line it cannot record itself (a new run of times, a level
 * not yet seen in the batch, a full ops array, a cached target whose index is stale).
 *
 * state (float64 slots, layout in harness/sysbox/logs/native-scan-state.ts):
 *   in:      generation, level-seen flags, ops count, run-at, received-at
 *   in/out:  ops count, received-at
 *   out:     counts recorded here (lines, text, FUSE and journal lines, per kind and level),
 *            where scanning stopped, why, and what the stopping line was
 *   shared:  per cache slot, the target index JavaScript resolved and for which generation
 */
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Keep in step with native-scan-state.ts. */
enum slot {
  S_GENERATION = 0,
  S_OP_COUNT = 1,
  S_RUN_AT = 2,
  S_RECEIVED_AT = 3,
  S_LINES = 4,
  S_TEXT_LINES = 5,
  S_FUSE_LINES = 6,
  S_AT = 7,
  S_NEXT = 8,
  S_KIND = 9,
  S_LEVEL = 10,
  S_VALUE = 11,
  S_JOURNAL = 12,
  S_JOURNAL_LINES = 13,
  S_KIND_COUNTS = 16,
  S_LEVEL_COUNTS = 32,
  S_LEVEL_SEEN = 48,
  S_CACHE = 64,
  S_SIZE = 64 + 2 * 16,
};

enum stop { STOP_DONE = 0, STOP_SLOW = 1, STOP_RECORD = 2, STOP_HEADER = 3 };

/* Indexes of KIND and LEVEL in line-tally.ts, and of OP in unmount-events.ts. */
enum kind {
  KIND_RECEIVED = 0,
  KIND_TARGET = 1,
  KIND_IGNORED = 2,
  KIND_REJECTED = 3,
  KIND_STDLOG = 6,
};
enum level { LEVEL_DEBUG = 1, LEVEL_INFO = 2, LEVEL_COUNT = 16 };
enum op { OP_RECEIVED = 1, OP_TARGET = 2, OP_IGNORED = 3, OP_REJECTED = 4, OP_RECEIVED_TARGET = 5 };

/* The first four bytes of each message the hot path knows, as a little-endian word. */
#define FIRST_WORD(a, b, c, d) \
  ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
#define FIRST_RECEIVED FIRST_WORD('R', 'e', 'c', 'e')
#define FIRST_TARGET FIRST_WORD('t', 'a', 'r', 'g')
#define FIRST_IGNORING FIRST_WORD('I', 'g', 'n', 'o')
#define FIRST_REJECTED FIRST_WORD('R', 'e', 'j', 'e')

#define MAX_CACHED_MESSAGE 1024
#define CACHED_PER_GROUP 8
#define NEWLINE '\n'

static const char SYSBOX_FS[] = "sysbox-fs";
#define SYSBOX_FS_LENGTH (sizeof SYSBOX_FS - 1)
static const char RECEIVED[] = "Received umount syscall from pid ";
#define RECEIVED_LENGTH (sizeof RECEIVED - 1)
static const char DEBUG_HEADER[] = " level=debug msg=\"";
static const char INFO_HEADER[] = " level=info msg=\"";

/* A message (with its closing `"\n`) the reference parser classified as a target or decision. */
struct cached {
  uint32_t length;
  int32_t kind;
  uint8_t bytes[MAX_CACHED_MESSAGE];
};

/* Targets in slots 0-7, decisions in 8-15; each group replaced oldest first. */
struct group {
  struct cached entries[CACHED_PER_GROUP];
  int count, oldest;
};

/* The last logrus header and FUSE line start seen, which the lines after are compared to. */
struct shapes {
  uint8_t header[64];
  size_t header_length;
  int header_level;
  uint8_t fuse[26];
  int fuse_known;
};

struct scanner {
  struct shapes shapes;
  struct group targets, decisions;
};

static inline uint64_t word(const uint8_t *at) {
  uint64_t value;
  memcpy(&value, at, 8);
  return value;
}

static int is_digit(uint8_t byte) { return byte >= '0' && byte <= '9'; }

/* `pattern` with 'd' for any digit. */
static int matches(const uint8_t *at, const char *pattern, size_t length) {
  for (size_t index = 0; index < length; index++) {
    uint8_t byte = at[index];
    if (pattern[index] == 'd' ? !is_digit(byte) : byte != (uint8_t)pattern[index]) return 0;
  }
  return 1;
}

/*
 * `time="YYYY-MM-DD HH:MM:SS" level=debug|info msg="`: its length and level, or 0. Only the
 * layout sysbox-fs sets: a time in logrus's default RFC 3339 is left to the reference parser.
 */
static size_t header_at(const uint8_t *line, size_t room, int *level) {
  if (room < 26 + sizeof INFO_HEADER - 1) return 0;
  if (memcmp(line, "time=\"", 6) != 0 || line[25] != '"') return 0;
  if (!matches(line + 6, "dddd-dd-dd dd:dd:dd", 19)) return 0;
  if (room >= 26 + sizeof DEBUG_HEADER - 1 &&
      memcmp(line + 26, DEBUG_HEADER, sizeof DEBUG_HEADER - 1) == 0) {
    *level = LEVEL_DEBUG;
    return 26 + sizeof DEBUG_HEADER - 1;
  }
  if (memcmp(line + 26, INFO_HEADER, sizeof INFO_HEADER - 1) == 0) {
    *level = LEVEL_INFO;
    return 26 + sizeof INFO_HEADER - 1;
  }
  return 0;
}

static int same_header(const struct shapes *shapes, const uint8_t *line) {
  const uint8_t *header = shapes->header;
  size_t last = shapes->header_length - 8;
  return word(line) == word(header) && word(line + 8) == word(header + 8) &&
         word(line + 16) == word(header + 16) && word(line + 24) == word(header + 24) &&
         word(line + 32) == word(header + 32) && word(line + last) == word(header + last);
}

/* Bytes [0, length) equal, compared a word at a time; length >= 8. */
static inline int same_bytes(const uint8_t *left, const uint8_t *right, size_t length) {
  size_t last = length - 8;
  if (word(left + last) != word(right + last)) return 0;
  for (size_t at = 0; at < last; at += 8) {
    if (word(left + at) != word(right + at)) return 0;
  }
  return 1;
}

static int find_cached(const struct group *group, const uint8_t *msg, size_t room) {
  for (int index = 0; index < group->count; index++) {
    const struct cached *entry = &group->entries[index];
    size_t length = entry->length;
    // Messages of one kind often differ only in the middle (a target's path), where a word
    // compare from either end gets to last: whether the line ends where this one does
    // tells most of them apart with one byte.
    if (length > room || msg[length - 1] != NEWLINE) continue;
    if (same_bytes(msg, entry->bytes, length)) return index;
  }
  return -1;
}

/* What a recognised line says; value is a pid or a cache slot. */
struct line {
  int kind, level, journal;
  int64_t value;
  size_t next;
};

/* "Received umount syscall from pid <1-15 digits>" then `"\n`; 0 when the line is not that. */
static inline int received(const uint8_t *msg, size_t room, struct line *line) {
  if (room < RECEIVED_LENGTH + 3 || !same_bytes(msg, (const uint8_t *)RECEIVED, RECEIVED_LENGTH)) {
    return 0;
  }
  const uint8_t *digits = msg + RECEIVED_LENGTH;
  size_t limit = room - RECEIVED_LENGTH - 2;
  if (limit > 16) limit = 16;
  size_t count = 0;
  int64_t pid = 0;
  while (count < limit && is_digit(digits[count])) pid = pid * 10 + (digits[count++] - '0');
  // At most 15 digits: always a safe integer, as the reference parser requires.
  if (count == 0 || count > 15 || pid == 0) return 0;
  if (digits[count] != '"' || digits[count + 1] != NEWLINE) return 0;
  line->kind = KIND_RECEIVED;
  line->value = pid;
  line->next = (size_t)(digits + count + 2 - msg);
  return 1;
}

/* A logrus line of a known shape under a header the scanner holds (learning a new one). */
static inline enum stop logrus(struct scanner *scanner, const uint8_t *at, size_t room,
                               struct line *line) {
  struct shapes *shapes = &scanner->shapes;
  if (shapes->header_length == 0 || room < shapes->header_length ||
      !same_header(shapes, at)) {
    int level = 0;
    size_t length = header_at(at, room, &level);
    if (length == 0) return STOP_SLOW;
    int same_time = shapes->header_length > 0 && memcmp(at + 6, shapes->header + 6, 19) == 0;
    memcpy(shapes->header, at, length);
    shapes->header_length = length;
    shapes->header_level = level;
    if (!same_time) return STOP_HEADER;
  }
  size_t skip = shapes->header_length;
  const uint8_t *msg = at + skip;
  room -= skip;
  line->level = shapes->header_level;
  if (room < 8) return STOP_SLOW;

  struct group *group;
  int base;
  uint32_t first;
  memcpy(&first, msg, 4);
  if (first == FIRST_RECEIVED) {
    if (!received(msg, room, line)) return STOP_SLOW;
    line->next += skip;
    return STOP_DONE;
  }
  if (first == FIRST_TARGET) {
    group = &scanner->targets;
    base = 0;
  } else if (first == FIRST_IGNORING || first == FIRST_REJECTED) {
    group = &scanner->decisions;
    base = CACHED_PER_GROUP;
  } else {
    return STOP_SLOW;
  }
  int index = find_cached(group, msg, room);
  if (index < 0) return STOP_SLOW;
  line->kind = group->entries[index].kind;
  line->value = base + index;
  line->next = skip + group->entries[index].length;
  return STOP_DONE;
}

/* `YYYY/MM/DD HH:MM:SS FUSE: ...`: a Go standard-library log line of the FUSE library. */
static inline int fuse(struct shapes *shapes, const uint8_t *at, size_t room, size_t *next) {
  if (room < 27) return 0;
  if (!shapes->fuse_known || !same_bytes(at, shapes->fuse, 26)) {
    if (!matches(at, "dddd/dd/dd dd:dd:dd FUSE: ", 26)) return 0;
    memcpy(shapes->fuse, at, 26);
    shapes->fuse_known = 1;
  }
  const uint8_t *newline = memchr(at + 26, NEWLINE, room - 26);
  *next = (size_t)(newline + 1 - at);
  return 1;
}

/* An ASCII byte that is not a space to JavaScript's \s. */
static int is_word(uint8_t byte) {
  return byte < 0x80 && byte != ' ' && (byte < '\t' || byte > '\r');
}

/*
 * journalctl's default prefix, `Mon DD HH:MM:SS host sysbox-fs[pid]: `: its length, or 0 when
 * the line does not start with one, has a byte above ASCII in it (whose meaning as a space or
 * not is left to the reference parser), or names another program: an export without -u mixes
 * in other daemons that log with logrus too, and the reference parser counts their lines apart.
 */
static size_t journal_prefix(const uint8_t *line, size_t room) {
  if (room < 24 || line[0] < 'A' || line[0] > 'Z' || line[1] < 'a' || line[1] > 'z' ||
      line[2] < 'a' || line[2] > 'z' || line[3] != ' ') {
    return 0;
  }
  size_t at = 4;
  if ((line[4] == ' ' || is_digit(line[4])) && is_digit(line[5]) && line[6] == ' ') {
    at = 7;
  } else if (is_digit(line[4]) && line[5] == ' ') {
    at = 6;
  } else {
    return 0;
  }
  if (!matches(line + at, "dd:dd:dd ", 9)) return 0;
  at += 9;

  size_t host = at;
  while (at < room && is_word(line[at])) at++;
  if (at == host || at >= room || line[at] != ' ') return 0;
  size_t identifier = ++at;
  while (at < room && is_word(line[at]) && line[at] != '[' && line[at] != ']') at++;
  if (at >= room || line[at] != '[') return 0;
  if (at - identifier != SYSBOX_FS_LENGTH ||
      memcmp(line + identifier, SYSBOX_FS, SYSBOX_FS_LENGTH) != 0) {
    return 0;
  }
  size_t pid = ++at;
  while (at < room && is_digit(line[at])) at++;
  if (at == pid || at + 2 >= room || memcmp(line + at, "]: ", 3) != 0) return 0;
  return at + 3;
}

enum shape { SHAPE_SLOW, SHAPE_HEADER, SHAPE_LOGRUS, SHAPE_FUSE };

/*
 * What the line at `at` is, with or without a journal prefix: a logrus line the scanner knows
 * (`line` then says what it records), a header with a new time (`line->next` is where the
 * header starts), a FUSE line, or one for the reference parser.
 */
static inline enum shape classify(struct scanner *scanner, const uint8_t *at, size_t room,
                                  struct line *line) {
  size_t prefix = 0;
  if (at[0] >= 'A' && at[0] <= 'Z') {
    prefix = journal_prefix(at, room);
    if (prefix == 0) return SHAPE_SLOW;
  }
  const uint8_t *body = at + prefix;
  size_t rest = room - prefix;
  line->journal = prefix > 0;
  if (body[0] == 't') {
    enum stop stop = logrus(scanner, body, rest, line);
    if (stop == STOP_HEADER) line->next = 0;
    line->next += prefix;
    return stop == STOP_DONE ? SHAPE_LOGRUS : stop == STOP_HEADER ? SHAPE_HEADER : SHAPE_SLOW;
  }
  if (is_digit(body[0]) && fuse(&scanner->shapes, body, rest, &line->next)) {
    line->next += prefix;
    return SHAPE_FUSE;
  }
  return SHAPE_SLOW;
}

/*
 * The state while scanning, in integers: kept apart from the doubles of `ops`, the compiler
 * need not reload it after every store there.
 */
struct hot {
  int64_t op_count, run_at, received_at;
  int64_t lines, text_lines, fuse_lines, journal_lines;
  int64_t kinds[16], levels[LEVEL_COUNT];
  uint8_t level_seen[LEVEL_COUNT];
};

static void load_hot(struct hot *hot, const double *state) {
  memset(hot, 0, sizeof *hot);
  hot->op_count = (int64_t)state[S_OP_COUNT];
  hot->run_at = (int64_t)state[S_RUN_AT];
  hot->received_at = (int64_t)state[S_RECEIVED_AT];
  for (int level = 0; level < LEVEL_COUNT; level++) {
    hot->level_seen[level] = state[S_LEVEL_SEEN + level] != 0;
  }
}

static void store_hot(const struct hot *hot, double *state) {
  state[S_OP_COUNT] = (double)hot->op_count;
  state[S_RECEIVED_AT] = (double)hot->received_at;
  state[S_LINES] += (double)hot->lines;
  state[S_TEXT_LINES] += (double)hot->text_lines;
  state[S_FUSE_LINES] += (double)hot->fuse_lines;
  state[S_JOURNAL_LINES] += (double)hot->journal_lines;
  for (int index = 0; index < 16; index++) {
    state[S_KIND_COUNTS + index] += (double)hot->kinds[index];
    state[S_LEVEL_COUNTS + index] += (double)hot->levels[index];
  }
}

/* Records a recognised logrus line as UnmountEvents would; 0 when JavaScript must. */
static inline int record(struct hot *hot, const double *state, double *ops, int64_t ops_length,
                         const struct line *line) {
  int64_t count = hot->op_count;
  if (hot->run_at < 0 || !hot->level_seen[line->level] || count + 3 > ops_length) return 0;
  double target = 0;
  if (line->kind != KIND_RECEIVED) {
    const double *resolved = state + S_CACHE + 2 * line->value;
    if (resolved[1] != state[S_GENERATION]) return 0;
    target = resolved[0];
  }

  hot->lines++;
  hot->text_lines++;
  hot->journal_lines += line->journal;
  hot->kinds[line->kind]++;
  hot->levels[line->level]++;
  ops[hot->run_at + 2] += 1;

  switch (line->kind) {
    case KIND_RECEIVED:
      ops[count] = OP_RECEIVED;
      ops[count + 1] = (double)line->value;
      hot->received_at = count;
      count += 2;
      break;
    case KIND_TARGET:
      if (hot->received_at >= 0 && hot->received_at == count - 2) {
        ops[hot->received_at] = OP_RECEIVED_TARGET;
        ops[count++] = target;
        hot->received_at = -1;
      } else {
        ops[count++] = OP_TARGET;
        ops[count++] = target;
      }
      break;
    default:
      ops[count++] = line->kind == KIND_IGNORED ? OP_IGNORED : OP_REJECTED;
      ops[count++] = target;
  }
  hot->op_count = count;
  return 1;
}

/* Where the line at `at` ends, after its newline; buffer[end - 1] is one. */
static size_t line_end(const uint8_t *buffer, size_t at, size_t end) {
  return (size_t)((const uint8_t *)memchr(buffer + at, NEWLINE, end - at) + 1 - buffer);
}

/*
 * Where the run of lines for the reference parser that starts at `at` ends (after its last
 * newline), so that JavaScript takes them all in one return: a journal export, whose every
 * line is one, would otherwise cost a call into C per line. The lines after the first are
 * only looked at; whatever they teach the scanner is forgotten again, so that what it holds
 * stays what JavaScript was told.
 */
static size_t slow_run_end(struct scanner *scanner, const uint8_t *buffer, size_t at,
                           size_t end) {
  struct shapes *shapes = &scanner->shapes;
  struct shapes saved = *shapes;
  size_t next = line_end(buffer, at, end);
  while (next < end) {
    const uint8_t *line_start = buffer + next;
    size_t room = end - next;
    struct line line = {0};
    if (classify(scanner, line_start, room, &line) != SHAPE_SLOW) break;
    next = line_end(buffer, next, end);
  }
  *shapes = saved;
  return next;
}

static enum stop scan(struct scanner *scanner, const uint8_t *buffer, size_t at, size_t end,
                      double *state, double *ops, size_t ops_length) {
  struct hot hot;
  load_hot(&hot, state);
  struct line line = {0};
  enum shape shape = SHAPE_SLOW;
  while (at < end) {
    shape = classify(scanner, buffer + at, end - at, &line);
    if (shape == SHAPE_FUSE) {
      hot.lines++;
      hot.fuse_lines++;
      hot.journal_lines += line.journal;
      hot.kinds[KIND_STDLOG]++;
      at += line.next;
      continue;
    }
    if (shape == SHAPE_LOGRUS && record(&hot, state, ops, (int64_t)ops_length, &line)) {
      at += line.next;
      continue;
    }
    break;
  }
  store_hot(&hot, state);

  state[S_AT] = (double)at;
  if (at >= end) return STOP_DONE;
  state[S_JOURNAL] = line.journal;
  switch (shape) {
    case SHAPE_LOGRUS:
      state[S_KIND] = line.kind;
      state[S_LEVEL] = line.level;
      state[S_VALUE] = (double)line.value;
      state[S_NEXT] = (double)(at + line.next);
      return STOP_RECORD;
    case SHAPE_HEADER:
      state[S_NEXT] = (double)(at + line.next);
      return STOP_HEADER;
    default:
      state[S_NEXT] = (double)slow_run_end(scanner, buffer, at, end);
      return STOP_SLOW;
  }
}

/*
 * Caches the message of the line buffer[start, newline] that the reference parser classified
 * as `kind`; returns its slot, or -1 when the line cannot be recognised again byte for byte
 * (another header, escapes, too long).
 */
static int32_t learn_message(struct scanner *scanner, const uint8_t *buffer, size_t start,
                             size_t newline, int kind) {
  int32_t slot = -1;
  int level;
  start += journal_prefix(buffer + start, newline - start);
  size_t header = header_at(buffer + start, newline - start, &level);
  const uint8_t *msg = buffer + start + header;
  size_t length = (size_t)(buffer + newline + 1 - msg);
  int cacheable = header > 0 && length >= 8 && length <= MAX_CACHED_MESSAGE &&
                  buffer[newline] == NEWLINE && buffer[newline - 1] == '"';
  for (size_t index = 0; cacheable && index + 2 < length; index++) {
    uint8_t byte = msg[index];
    if (byte == '"' || byte == '\\' || byte < 0x20) cacheable = 0;
  }
  if (cacheable) {
    int targets = kind == KIND_TARGET;
    struct group *group = targets ? &scanner->targets : &scanner->decisions;
    int index;
    if (group->count < CACHED_PER_GROUP) {
      index = group->count++;
    } else {
      index = group->oldest;
      group->oldest = (index + 1) % CACHED_PER_GROUP;
    }
    group->entries[index].length = (uint32_t)length;
    group->entries[index].kind = kind;
    memcpy(group->entries[index].bytes, msg, length);
    slot = (targets ? 0 : CACHED_PER_GROUP) + index;
  }
  return slot;
}

#define CHECK(call)                                                          \
  do {                                                                       \
    if ((call) != napi_ok) {                                                 \
      napi_throw_error(env, NULL, "log-scanner: N-API call failed: " #call); \
      return NULL;                                                           \
    }                                                                        \
  } while (0)

static void finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

static napi_value create(napi_env env, napi_callback_info info) {
  (void)info;
  struct scanner *scanner = calloc(1, sizeof *scanner);
  if (!scanner) {
    napi_throw_error(env, NULL, "log-scanner: out of memory");
    return NULL;
  }
  napi_value handle;
  CHECK(napi_create_external(env, scanner, finalize, NULL, &handle));
  return handle;
}

static int typed_array(napi_env env, napi_value value, napi_typedarray_type want, void **data,
                       size_t *length) {
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, length, data, &buffer, &offset) != napi_ok ||
      type != want) {
    return 0;
  }
  return 1;
}

/*
 * scan(handle, buffer, start, end, state, ops): scans the complete lines of buffer[start,
 * end), which must end with a newline; returns why it stopped, with state's `at` where.
 */
static napi_value scan_lines(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  struct scanner *scanner;
  uint8_t *buffer;
  double *state, *ops;
  size_t buffer_length, state_length, ops_length;
  int64_t start, end;
  if (argc < 6 || napi_get_value_external(env, argv[0], (void **)&scanner) != napi_ok ||
      !typed_array(env, argv[1], napi_uint8_array, (void **)&buffer, &buffer_length) ||
      napi_get_value_int64(env, argv[2], &start) != napi_ok ||
      napi_get_value_int64(env, argv[3], &end) != napi_ok ||
      !typed_array(env, argv[4], napi_float64_array, (void **)&state, &state_length) ||
      !typed_array(env, argv[5], napi_float64_array, (void **)&ops, &ops_length)) {
    napi_throw_type_error(env, NULL, "log-scanner: scan(handle, buffer, start, end, state, ops)");
    return NULL;
  }
  if (start < 0 || end < start || (size_t)end > buffer_length || state_length < S_SIZE ||
      (end > start && buffer[end - 1] != NEWLINE)) {
    napi_throw_range_error(env, NULL, "log-scanner: range does not end with a newline");
    return NULL;
  }
  napi_value result;
  enum stop stop = scan(scanner, buffer, (size_t)start, (size_t)end, state, ops, ops_length);
  CHECK(napi_create_int32(env, stop, &result));
  return result;
}

/*
 * learn(handle, buffer, start, newline, kind): caches the message of the line
 * buffer[start, newline] that the reference parser classified as `kind` (target, ignored or
 * rejected). Returns its cache slot, or -1 when the line's shape cannot be recognised again
 * byte for byte (another header, escapes, too long).
 */
static napi_value learn(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  struct scanner *scanner;
  uint8_t *buffer;
  size_t buffer_length;
  int64_t start, newline;
  int32_t kind;
  if (argc < 5 || napi_get_value_external(env, argv[0], (void **)&scanner) != napi_ok ||
      !typed_array(env, argv[1], napi_uint8_array, (void **)&buffer, &buffer_length) ||
      napi_get_value_int64(env, argv[2], &start) != napi_ok ||
      napi_get_value_int64(env, argv[3], &newline) != napi_ok ||
      napi_get_value_int32(env, argv[4], &kind) != napi_ok) {
    napi_throw_type_error(env, NULL, "log-scanner: learn(handle, buffer, start, newline, kind)");
    return NULL;
  }
  if (start < 0 || newline < start || (size_t)newline >= buffer_length ||
      kind < KIND_TARGET || kind > KIND_REJECTED) {
    napi_throw_range_error(env, NULL, "log-scanner: learn() outside the buffer");
    return NULL;
  }

  int32_t slot = learn_message(scanner, buffer, (size_t)start, (size_t)newline, kind);
  napi_value result;
  CHECK(napi_create_int32(env, slot, &result));
  return result;
}

NAPI_MODULE_INIT() {
  napi_value function;
  if (napi_create_function(env, "create", NAPI_AUTO_LENGTH, create, NULL, &function) != napi_ok ||
      napi_set_named_property(env, exports, "create", function) != napi_ok ||
      napi_create_function(env, "scan", NAPI_AUTO_LENGTH, scan_lines, NULL, &function) !=
          napi_ok ||
      napi_set_named_property(env, exports, "scan", function) != napi_ok ||
      napi_create_function(env, "learn", NAPI_AUTO_LENGTH, learn, NULL, &function) != napi_ok ||
      napi_set_named_property(env, exports, "learn", function) != napi_ok) {
    return NULL;
  }
  return exports;
}
