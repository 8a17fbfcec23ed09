// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel worker pools: processes talk to kernel threads through kipc
 * queues.  Echo answers every message exactly once, intact, at its
 * priority, also while the pool is resized; checksum answers the CRC32C;
 * sink counts; the pool honours priorities; stop and rmmod end threads
 * blocked on an empty or a full queue; the knobs and the ioctls refuse bad
 * input with the documented errno, and unprivileged users get EPERM.
 */
#include <dirent.h>
#include <sys/syscall.h>
#include <time.h>
#include "../kselftest_harness.h"
#include "kipc_test.h"

#define WORKERS KIPC_SYSFS "/workers"

#define SENDERS		4
#define PER_SENDER	12500		/* 4 x 12500 = 50,000 messages */
#define MSG_SIZE	64

/* A message of the echo tests: who sent it, its number, and a pattern. */
struct tmsg {
	uint32_t sender;
	uint32_t seq;
	uint8_t fill[MSG_SIZE - 8];
};

/* Create (or open) a queue; fd or -errno. */
static int q_open(const char *name, long maxmsg, long msgsize)
{
	struct kipc_mq_attr a = { .maxmsg = maxmsg, .msgsize = msgsize };

	return kipc_raw_open(KIPC_TYPE_MQ, name, KIPC_O_RDWR | KIPC_O_CREAT,
			     0600, &a, sizeof(a));
}

static int q_send(int fd, const void *buf, size_t len, unsigned int prio)
{
	struct kipc_mq_send s;

	memset(&s, 0, sizeof(s));
	s.buf = (uintptr_t)buf;
	s.len = len;
	s.prio = prio;
	s.timeout.clock = KIPC_CLOCK_NONE;
	return ioctl(fd, KIPC_MQ_IOC_SEND, &s) < 0 ? -errno : 0;
}

/* Receive with a timeout of @sec seconds: length or -errno. */
static long q_recv(int fd, void *buf, size_t len, unsigned int *prio,
		   double sec)
{
	struct kipc_mq_receive r;
	struct timespec ts;
	long n;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)sec;
	ts.tv_nsec += (long)((sec - (time_t)sec) * 1e9);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	memset(&r, 0, sizeof(r));
	r.buf = (uintptr_t)buf;
	r.len = len;
	r.timeout.clock = KIPC_CLOCK_MONOTONIC;
	r.timeout.sec = ts.tv_sec;
	r.timeout.nsec = ts.tv_nsec;
	n = ioctl(fd, KIPC_MQ_IOC_RECEIVE, &r);
	if (n < 0)
		return -errno;
	if (prio)
		*prio = r.prio;
	return n;
}

static long w_ioctl(unsigned long cmd, void *arg)
{
	int fd = open(KIPC_DEVICE, O_RDWR | O_CLOEXEC);
	long ret;

	if (fd < 0)
		return -errno;
	ret = ioctl(fd, cmd, arg) < 0 ? -errno : 0;
	close(fd);
	return ret;
}

static long w_start(const char *in, const char *out, uint32_t op,
		    uint32_t threads, uint64_t *id)
{
	struct kipc_worker_start a;
	long ret;

	memset(&a, 0, sizeof(a));
	a.input = (uintptr_t)in;
	a.input_len = in ? strlen(in) : 0;
	a.output = (uintptr_t)out;
	a.output_len = out ? strlen(out) : 0;
	a.op = op;
	a.threads = threads;
	ret = w_ioctl(KIPC_WORKER_IOC_START, &a);
	if (!ret && id)
		*id = a.id;
	return ret;
}

static long w_stop(uint64_t id)
{
	struct kipc_worker_stop a = { .id = id };

	return w_ioctl(KIPC_WORKER_IOC_STOP, &a);
}

static int w_set(uint64_t id, const char *file, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), WORKERS "/%llu/%s",
		 (unsigned long long)id, file);
	return kipc_sysfs_write(path, val, strlen(val));
}

static void w_get(uint64_t id, const char *file, char *buf, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), WORKERS "/%llu/%s",
		 (unsigned long long)id, file);
	buf[0] = '\0';
	f = fopen(path, "r");
	if (!f)
		return;
	if (!fgets(buf, len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

static unsigned long long w_u64(uint64_t id, const char *file)
{
	return kipc_sysfs_u64(WORKERS "/%llu/%s", (unsigned long long)id,
			      file);
}

/*
 * "processed" counts a message just after its answer went out, so a
 * reader of the last answer may be a moment early: wait up to 10 s for
 * @n (never accepting more), and return what the pool says.
 */
static unsigned long long w_processed(uint64_t id, unsigned long long n)
{
	unsigned long long v;
	int i;

	for (i = 0; i < 1000; i++) {
		v = w_u64(id, "processed");
		if (v >= n)
			break;
		usleep(10000);
	}
	return v;
}

/* Wait up to @sec for "activity" to report at least @n threads in @what. */
static int w_wait_phase(uint64_t id, const char *what, unsigned int n,
			double sec)
{
	double end = kipc_now_s() + sec;
	char buf[128], *p;

	for (;;) {
		w_get(id, "activity", buf, sizeof(buf));
		p = strstr(buf, what);
		if (p && strtoul(p + strlen(what) + 1, NULL, 10) >= n)
			return 0;
		if (kipc_now_s() > end)
			return -1;
		usleep(5000);
	}
}

/* The pid of one thread of pool @id, or -1. */
static int pool_thread_pid(uint64_t id)
{
	char want[32], path[300], comm[64];
	DIR *dir = opendir("/proc");
	struct dirent *d;
	int pid = -1;

	if (!dir)
		return -1;
	snprintf(want, sizeof(want), "kipc_wk%llu/", (unsigned long long)id);
	while (pid < 0 && (d = readdir(dir))) {
		FILE *f;

		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) &&
		    !strncmp(comm, want, strlen(want)))
			pid = atoi(d->d_name);
		fclose(f);
	}
	closedir(dir);
	return pid;
}

static void fill_msg(struct tmsg *m, uint32_t sender, uint32_t seq)
{
	size_t i;

	m->sender = sender;
	m->seq = seq;
	for (i = 0; i < sizeof(m->fill); i++)
		m->fill[i] = (uint8_t)(sender * 31 + seq * 7 + i);
}

/* CRC32C (Castagnoli, reflected, ~0 in and out), bit by bit. */
static uint32_t crc32c(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t crc = ~0U;
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0x82f63b78 : crc >> 1;
	}
	return ~crc;
}

FIXTURE(worker) {
	char in[64];
	char out[64];
	int in_fd;
	int out_fd;
	uint64_t id;
};

/* The 6.1 harness runs the body even if the setup skips: check in each. */
FIXTURE_SETUP(worker)
{
	self->in_fd = -1;
	self->out_fd = -1;
	kipc_test_name(self->in, sizeof(self->in), "wkin");
	kipc_test_name(self->out, sizeof(self->out), "wkout");
}

FIXTURE_TEARDOWN(worker)
{
	if (self->id)
		w_stop(self->id);
	if (self->in_fd >= 0)
		close(self->in_fd);
	if (self->out_fd >= 0)
		close(self->out_fd);
	kipc_raw_unlink(KIPC_TYPE_MQ, self->in);
	kipc_raw_unlink(KIPC_TYPE_MQ, self->out);
}

#define WORKER_REQUIRE()						\
	do {								\
		KIPC_REQUIRE_MODULE(_metadata);				\
		KIPC_REQUIRE_ROOT(_metadata);				\
		ASSERT_EQ(0, access(WORKERS, F_OK));			\
	} while (0)

/* 4 sender processes, PER_SENDER messages each; priorities 0..7. */
static pid_t spawn_senders(const char *qname, pid_t pids[SENDERS],
			   int per_sender)
{
	int s;

	for (s = 0; s < SENDERS; s++) {
		pids[s] = fork();
		if (pids[s] < 0)
			return -1;
		if (!pids[s]) {
			struct tmsg m;
			int fd, i;

			fd = kipc_raw_open(KIPC_TYPE_MQ, qname, KIPC_O_WRONLY,
					   0, NULL, 0);
			if (fd < 0)
				_exit(2);
			for (i = 0; i < per_sender; i++) {
				fill_msg(&m, s, i);
				int err = q_send(fd, &m, sizeof(m), i % 8);

				if (err) {
					fprintf(stderr, "# sender %d: send %d: %s\n",
						s, i, strerror(-err));
					_exit(3);
				}
			}
			_exit(0);
		}
	}
	return 0;
}

/*
 * Receive SENDERS x @per_sender echoes and check each: intact, right
 * priority, never seen before.  Every @resize_every answers (0: never)
 * the pool is resized.  Returns problems found.
 */
static int check_echoes(struct __test_metadata *_metadata, int out_fd,
			uint64_t id, int per_sender, int resize_every,
			int *resizes)
{
	int total = SENDERS * per_sender, got, bad = 0;
	unsigned int prio;
	struct tmsg m, want;
	char *seen = calloc(total, 1);
	char n[16];
	long len;

	if (!seen)
		return -1;
	for (got = 0; got < total; got++) {
		len = q_recv(out_fd, &m, sizeof(m), &prio, 20);
		if (len < 0) {
			TH_LOG("answer %d of %d: %s", got, total,
			       strerror(-len));
			bad++;
			break;
		}
		if (len != sizeof(m) || m.sender >= SENDERS ||
		    m.seq >= (uint32_t)per_sender) {
			bad++;
			continue;
		}
		fill_msg(&want, m.sender, m.seq);
		if (memcmp(&m, &want, sizeof(m)) || prio != m.seq % 8)
			bad++;	/* corrupt */
		if (seen[m.sender * per_sender + m.seq]++)
			bad++;	/* duplicate */
		if (resize_every && got % resize_every == resize_every - 1) {
			snprintf(n, sizeof(n), "%d", 1 + (*resizes * 5) % 8);
			if (w_set(id, "threads", n))
				bad++;
			else
				(*resizes)++;
		}
	}
	/* nothing more may come: no duplicate after the last */
	if (!bad && q_recv(out_fd, &m, sizeof(m), NULL, 0.3) != -ETIMEDOUT)
		bad++;
	free(seen);
	return bad;
}

static void join_senders(struct __test_metadata *_metadata,
			 pid_t pids[SENDERS])
{
	int s, st;

	for (s = 0; s < SENDERS; s++) {
		ASSERT_EQ(pids[s], waitpid(pids[s], &st, 0));
		EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
			TH_LOG("sender %d: status %#x", s, st);
	}
}

/*
 * A debug kernel (lockdep, KASAN, kmemleak) under TCG moves messages some
 * 30 times slower: there the traffic tests scale down (and say so) to stay
 * within the time a test program gets; the stock kernel runs them in full.
 */
static int debug_kernel(void)
{
	return access("/proc/lockdep_stats", F_OK) == 0;
}

TEST_F_TIMEOUT(worker, echo_50000_from_4_processes, 240)
{
	int per = debug_kernel() ? PER_SENDER / 10 : PER_SENDER;
	pid_t pids[SENDERS];
	double t0;
	int bad;

	WORKER_REQUIRE();
	self->in_fd = q_open(self->in, 64, MSG_SIZE);
	ASSERT_LE(0, self->in_fd);
	self->out_fd = q_open(self->out, 64, MSG_SIZE);
	ASSERT_LE(0, self->out_fd);
	ASSERT_EQ(0, w_start(self->in, self->out, KIPC_WORKER_ECHO, 4,
			     &self->id));
	if (per != PER_SENDER)
		TH_LOG("debug kernel: %d messages instead of %d", SENDERS * per,
		       SENDERS * PER_SENDER);
	t0 = kipc_now_s();
	ASSERT_EQ(0, spawn_senders(self->in, pids, per));
	bad = check_echoes(_metadata, self->out_fd, self->id, per, 0, NULL);
	join_senders(_metadata, pids);
	EXPECT_EQ(0, bad);
	EXPECT_EQ(SENDERS * per, w_processed(self->id, SENDERS * per));
	EXPECT_EQ(0, w_u64(self->id, "errors"));
	TH_LOG("%d messages echoed in %.2f s", SENDERS * per, kipc_now_s() - t0);
}

TEST_F_TIMEOUT(worker, resize_100_times_under_load, 240)
{
	int per = debug_kernel() ? 500 : 5000, resizes = 0, bad;
	pid_t pids[SENDERS];
	char buf[128];

	WORKER_REQUIRE();
	self->in_fd = q_open(self->in, 16, MSG_SIZE);
	ASSERT_LE(0, self->in_fd);
	/* small output: retiring threads are often blocked with a message */
	self->out_fd = q_open(self->out, 4, MSG_SIZE);
	ASSERT_LE(0, self->out_fd);
	ASSERT_EQ(0, w_start(self->in, self->out, KIPC_WORKER_ECHO, 3,
			     &self->id));
	ASSERT_EQ(0, spawn_senders(self->in, pids, per));
	/* 20,000 answers (debug: 2,000), a resize every 1%: 100 resizes */
	bad = check_echoes(_metadata, self->out_fd, self->id, per,
			   SENDERS * per / 100, &resizes);
	join_senders(_metadata, pids);
	EXPECT_EQ(0, bad);
	EXPECT_EQ(100, resizes);
	EXPECT_EQ(SENDERS * per, w_processed(self->id, SENDERS * per));
	EXPECT_EQ(0, w_u64(self->id, "errors"));
	EXPECT_EQ(0, w_u64(self->id, "dropped"));
	w_get(self->id, "activity", buf, sizeof(buf));
	TH_LOG("after: threads %llu, %s", w_u64(self->id, "threads"), buf);
}

TEST_F(worker, checksum_answers_crc32c)
{
	static const char vec[] = "123456789";
	uint8_t msg[256];
	unsigned int prio;
	uint32_t crc;
	int i, j;

	WORKER_REQUIRE();
	/* the reference itself: the standard check value */
	ASSERT_EQ(0xe3069283U, crc32c(vec, 9));
	self->in_fd = q_open(self->in, 8, sizeof(msg));
	ASSERT_LE(0, self->in_fd);
	self->out_fd = q_open(self->out, 8, 4);
	ASSERT_LE(0, self->out_fd);
	/* one thread: answers come in the order of the messages */
	ASSERT_EQ(0, w_start(self->in, self->out, KIPC_WORKER_CHECKSUM, 1,
			     &self->id));
	ASSERT_EQ(0, q_send(self->in_fd, vec, 9, 3));
	ASSERT_EQ(4, q_recv(self->out_fd, &crc, 4, &prio, 10));
	EXPECT_EQ(0xe3069283U, crc);	/* little-endian host */
	EXPECT_EQ(3, prio);
	for (i = 0; i <= 256; i += 17) {
		for (j = 0; j < i; j++)
			msg[j] = (uint8_t)(i * 13 + j * j);
		ASSERT_EQ(0, q_send(self->in_fd, msg, i, 0));
		ASSERT_EQ(4, q_recv(self->out_fd, &crc, 4, NULL, 10));
		EXPECT_EQ(crc32c(msg, i), crc) TH_LOG("length %d", i);
	}
	EXPECT_EQ(17, w_processed(self->id, 17));
}

TEST_F(worker, sink_consumes_and_counts)
{
	char msg[16] = "x";
	double end;
	int i;

	WORKER_REQUIRE();
	self->in_fd = q_open(self->in, 8, sizeof(msg));
	ASSERT_LE(0, self->in_fd);
	ASSERT_EQ(-EINVAL, w_start(self->in, self->in, KIPC_WORKER_SINK, 1,
				   NULL));
	ASSERT_EQ(0, w_start(self->in, NULL, KIPC_WORKER_SINK, 2, &self->id));
	for (i = 0; i < 100; i++)
		ASSERT_EQ(0, q_send(self->in_fd, msg, sizeof(msg), i % 3));
	end = kipc_now_s() + 20;
	while (w_u64(self->id, "processed") < 100 && kipc_now_s() < end)
		usleep(10000);
	EXPECT_EQ(100, w_u64(self->id, "processed"));
	w_get(self->id, "op", msg, sizeof(msg));
	EXPECT_STREQ("sink", msg);
	w_get(self->id, "output", msg, sizeof(msg));
	EXPECT_STREQ("", msg);
}

/* Back-pressure: a full output blocks the worker, which keeps the message;
 * the pool then takes the highest priority next. */
TEST_F(worker, backpressure_and_priority_order)
{
	static const unsigned int order[] = { 0, 0, 5, 3, 1 };
	unsigned int prio;
	char m[8], got[8];
	int i;

	WORKER_REQUIRE();
	self->in_fd = q_open(self->in, 8, sizeof(m));
	ASSERT_LE(0, self->in_fd);
	self->out_fd = q_open(self->out, 1, sizeof(m));
	ASSERT_LE(0, self->out_fd);
	ASSERT_EQ(0, w_start(self->in, self->out, KIPC_WORKER_ECHO, 1,
			     &self->id));
	/* A fills the output, B stays in the worker's hand */
	ASSERT_EQ(0, q_send(self->in_fd, "A", 2, 0));
	ASSERT_EQ(0, q_send(self->in_fd, "B", 2, 0));
	ASSERT_EQ(0, w_wait_phase(self->id, "sending", 1, 20));
	w_get(self->id, "state", got, sizeof(got));
	EXPECT_STREQ("sending", got);
	/* now the input holds C (1), D (5), E (3) */
	ASSERT_EQ(0, q_send(self->in_fd, "C", 2, 1));
	ASSERT_EQ(0, q_send(self->in_fd, "D", 2, 5));
	ASSERT_EQ(0, q_send(self->in_fd, "E", 2, 3));
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(2, q_recv(self->out_fd, got, sizeof(got), &prio, 10));
		snprintf(m, sizeof(m), "%c", "ABDEC"[i]);
		EXPECT_STREQ(m, got);
		EXPECT_EQ(order[i], prio);
	}
	EXPECT_EQ(5, w_processed(self->id, 5));
	EXPECT_EQ(0, w_u64(self->id, "errors"));
}

TEST_F(worker, stop_ends_blocked_threads_promptly)
{
	uint64_t full;
	double t;
	int i;

	WORKER_REQUIRE();
	self->in_fd = q_open(self->in, 8, 8);
	ASSERT_LE(0, self->in_fd);
	self->out_fd = q_open(self->out, 1, 8);
	ASSERT_LE(0, self->out_fd);
	/* blocked on an empty input */
	ASSERT_EQ(0, w_start(self->out, self->in, KIPC_WORKER_ECHO, 4,
			     &self->id));
	ASSERT_EQ(0, w_wait_phase(self->id, "receiving", 4, 20));
	t = kipc_now_s();
	ASSERT_EQ(0, w_stop(self->id));
	t = kipc_now_s() - t;
	EXPECT_GT(1.0, t) TH_LOG("stop on empty input took %.3f s", t);
	self->id = 0;

	/* blocked on a full output: 1 answer fits, 3 threads hold one each */
	ASSERT_EQ(0, w_start(self->in, self->out, KIPC_WORKER_ECHO, 3, &full));
	self->id = full;
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, q_send(self->in_fd, "m", 2, 0));
	ASSERT_EQ(0, w_wait_phase(full, "sending", 3, 20));
	t = kipc_now_s();
	ASSERT_EQ(0, w_stop(full));
	t = kipc_now_s() - t;
	EXPECT_GT(1.0, t) TH_LOG("stop on full output took %.3f s", t);
	self->id = 0;
	EXPECT_EQ(-ENOENT, w_stop(full));
	EXPECT_EQ(0, kipc_kthreads_gone("kipc_wk"));
}

TEST_F(worker, knobs)
{
	static const char * const junk[] = {
		"\n", "-1", "0", "4294967296", "1 2", "x", "1\n\n",
	};
	char buf[4096], before[64];
	int pid, i;
	FILE *f;

	WORKER_REQUIRE();
	self->in_fd = q_open(self->in, 8, 8);
	ASSERT_LE(0, self->in_fd);
	self->out_fd = q_open(self->out, 8, 8);
	ASSERT_LE(0, self->out_fd);
	ASSERT_EQ(0, w_start(self->in, self->out, KIPC_WORKER_ECHO, 2,
			     &self->id));
	w_get(self->id, "input", buf, sizeof(buf));
	EXPECT_STREQ(self->in, buf);
	w_get(self->id, "output", buf, sizeof(buf));
	EXPECT_STREQ(self->out, buf);
	w_get(self->id, "op", buf, sizeof(buf));
	EXPECT_STREQ("echo", buf);
	EXPECT_EQ(2, w_u64(self->id, "threads"));

	for (i = 0; i < (int)(sizeof(junk) / sizeof(junk[0])); i++)
		EXPECT_EQ(-EINVAL, w_set(self->id, "threads", junk[i]))
			TH_LOG("threads <- '%s'", junk[i]);
	snprintf(buf, sizeof(buf), "%llu",
		 kipc_sysfs_u64(KIPC_SYSFS "/limits/worker_threads_max") + 1);
	EXPECT_EQ(-EINVAL, w_set(self->id, "threads", buf));
	memset(buf, '1', sizeof(buf));
	snprintf(before, sizeof(before), WORKERS "/%llu/threads",
		 (unsigned long long)self->id);
	EXPECT_EQ(-EINVAL, kipc_sysfs_write(before, buf, sizeof(buf)));
	EXPECT_EQ(-EINVAL, kipc_sysfs_write(before, "2\0x", 3));
	EXPECT_EQ(2, w_u64(self->id, "threads"));
	EXPECT_EQ(0, w_set(self->id, "threads", "5"));
	EXPECT_EQ(5, w_u64(self->id, "threads"));

	/* nice: -20..19, applied to every thread */
	static const char * const bad_nice[] = { "20", "-21", "x", "", "1 ",
						 "1\n\n" };
	w_get(self->id, "nice", before, sizeof(before));
	for (i = 0; i < (int)(sizeof(bad_nice) / sizeof(bad_nice[0])); i++) {
		if (!*bad_nice[i])
			continue;
		EXPECT_EQ(-EINVAL, w_set(self->id, "nice", bad_nice[i]))
			TH_LOG("nice <- '%s'", bad_nice[i]);
	}
	w_get(self->id, "nice", buf, sizeof(buf));
	EXPECT_STREQ(before, buf);
	EXPECT_EQ(0, w_set(self->id, "nice", "7"));
	w_get(self->id, "nice", buf, sizeof(buf));
	EXPECT_STREQ("7", buf);
	pid = pool_thread_pid(self->id);
	ASSERT_LT(0, pid);
	snprintf(buf, sizeof(buf), "/proc/%d/stat", pid);
	f = fopen(buf, "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(buf, sizeof(buf), f));
	fclose(f);
	{
		/* field 19 is nice; comm (field 2) has no ')' here */
		char *p = strrchr(buf, ')');
		long v[17];

		ASSERT_NE(NULL, p);
		ASSERT_EQ(17, sscanf(p + 2, "%*c %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld",
				     &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
				     &v[6], &v[7], &v[8], &v[9], &v[10], &v[11],
				     &v[12], &v[13], &v[14], &v[15], &v[16]));
		EXPECT_EQ(7, v[15]);
	}

	/* cpus: a cpulist of online CPUs */
	EXPECT_EQ(-EINVAL, w_set(self->id, "cpus", "x"));
	EXPECT_EQ(-EINVAL, w_set(self->id, "cpus", "9999"));
	EXPECT_EQ(-EINVAL, w_set(self->id, "cpus", "0-"));
	EXPECT_EQ(0, w_set(self->id, "cpus", "0"));
	w_get(self->id, "cpus", buf, sizeof(buf));
	EXPECT_STREQ("0", buf);
	snprintf(buf, sizeof(buf), "/proc/%d/status", pool_thread_pid(self->id));
	f = fopen(buf, "r");
	ASSERT_NE(NULL, f);
	before[0] = '\0';
	while (fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "Cpus_allowed_list: %63s", before) == 1)
			break;
	fclose(f);
	EXPECT_STREQ("0", before);
}

static int nobody_starts(void *arg)
{
	const char *in = arg;

	if (w_start(in, in, KIPC_WORKER_ECHO, 1, NULL) != -EPERM)
		return 1;
	if (w_stop(1) != -EPERM)
		return 2;
	if (kipc_sysfs_write(WORKERS "/../limits/worker_pools_max", "3", 1) !=
	    -EACCES)
		return 3;
	return 0;
}

static int nobody_sets(void *arg)
{
	uint64_t id = *(uint64_t *)arg;

	return w_set(id, "threads", "1") == -EACCES ? 0 : 1;
}

TEST_F(worker, start_errors)
{
	struct kipc_worker_start a;
	char big[300];
	uint64_t id, id2;

	WORKER_REQUIRE();
	self->in_fd = q_open(self->in, 8, 16);
	ASSERT_LE(0, self->in_fd);
	self->out_fd = q_open(self->out, 8, 2);
	ASSERT_LE(0, self->out_fd);

	EXPECT_EQ(0, kipc_as_nobody(nobody_starts, self->in));
	EXPECT_EQ(-EINVAL, w_start(self->in, self->in, 0, 1, NULL));
	EXPECT_EQ(-EINVAL, w_start(self->in, self->in, 4, 1, NULL));
	EXPECT_EQ(-EINVAL, w_start(self->in, self->in, KIPC_WORKER_ECHO, 0,
				   NULL));
	EXPECT_EQ(-EINVAL, w_start(self->in, self->in, KIPC_WORKER_ECHO,
				   100000, NULL));
	EXPECT_EQ(-EINVAL, w_start("", self->in, KIPC_WORKER_ECHO, 1, NULL));
	EXPECT_EQ(-EINVAL, w_start("a/b", self->in, KIPC_WORKER_ECHO, 1,
				   NULL));
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	EXPECT_EQ(-ENAMETOOLONG, w_start(big, self->in, KIPC_WORKER_ECHO, 1,
					 NULL));
	EXPECT_EQ(-ENOENT, w_start("t-no-such-queue", self->in,
				   KIPC_WORKER_ECHO, 1, NULL));
	EXPECT_EQ(-ENOENT, w_start(self->in, "t-no-such-queue",
				   KIPC_WORKER_ECHO, 1, NULL));
	/* answers that cannot fit: echo of 16 into 2, checksum into 2 */
	EXPECT_EQ(-EMSGSIZE, w_start(self->in, self->out, KIPC_WORKER_ECHO, 1,
				     NULL));
	EXPECT_EQ(-EMSGSIZE, w_start(self->in, self->out,
				     KIPC_WORKER_CHECKSUM, 1, NULL));
	memset(&a, 0, sizeof(a));
	a.input = (uintptr_t)self->in;
	a.input_len = strlen(self->in);
	a.output = (uintptr_t)self->in;
	a.output_len = strlen(self->in);
	a.op = KIPC_WORKER_ECHO;
	a.threads = 1;
	a.__pad = 1;
	EXPECT_EQ(-EINVAL, w_ioctl(KIPC_WORKER_IOC_START, &a));
	a.__pad = 0;
	a.id = 7;
	EXPECT_EQ(-EINVAL, w_ioctl(KIPC_WORKER_IOC_START, &a));
	a.id = 0;
	a.input = 1;
	EXPECT_EQ(-EFAULT, w_ioctl(KIPC_WORKER_IOC_START, &a));
	EXPECT_EQ(-EFAULT, w_ioctl(KIPC_WORKER_IOC_START, (void *)8));
	EXPECT_EQ(-ENOENT, w_stop(~0ULL));

	/* the pool limit: ENOSPC, then room again after a stop */
	ASSERT_EQ(0, w_start(self->in, self->in, KIPC_WORKER_ECHO, 1, &id));
	self->id = id;
	EXPECT_EQ(0, kipc_as_nobody(nobody_sets, &id));
	snprintf(big, sizeof(big), "%llu",
		 kipc_sysfs_u64(KIPC_SYSFS "/limits/worker_pools_max"));
	ASSERT_EQ(0, kipc_sysfs_write(KIPC_SYSFS "/limits/worker_pools_max",
				      "1", 1));
	EXPECT_EQ(-ENOSPC, w_start(self->in, self->in, KIPC_WORKER_ECHO, 1,
				   &id2));
	EXPECT_EQ(0, w_stop(id));
	self->id = 0;
	EXPECT_EQ(0, w_start(self->in, self->in, KIPC_WORKER_ECHO, 1, &id2));
	self->id = id2;
	EXPECT_NE(id, id2);
	EXPECT_EQ(0, kipc_sysfs_write(KIPC_SYSFS "/limits/worker_pools_max",
				      big, strlen(big)));
}

TEST_F_TIMEOUT(worker, rmmod_ends_blocked_pools, 60)
{
	char empty[64];
	uint64_t a, b;
	int i, fd;
	double t;

	WORKER_REQUIRE();
	if (access(kipc_ko(), R_OK))
		SKIP(return, "no %s to reload the module from", kipc_ko());
	self->in_fd = q_open(self->in, 8, 8);
	ASSERT_LE(0, self->in_fd);
	self->out_fd = q_open(self->out, 1, 8);
	ASSERT_LE(0, self->out_fd);
	kipc_test_name(empty, sizeof(empty), "wkempty");
	fd = q_open(empty, 8, 8);
	ASSERT_LE(0, fd);
	close(fd);
	/* pool a waits on an empty queue, pool b on a full output */
	ASSERT_EQ(0, w_start(empty, self->out, KIPC_WORKER_ECHO, 3, &a));
	ASSERT_EQ(0, w_start(self->in, self->out, KIPC_WORKER_ECHO, 2, &b));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, q_send(self->in_fd, "m", 2, 0));
	ASSERT_EQ(0, w_wait_phase(a, "receiving", 3, 20));
	ASSERT_EQ(0, w_wait_phase(b, "sending", 2, 20));
	/* open files pin the module: close ours; the pools hold the queues */
	close(self->in_fd);
	close(self->out_fd);
	self->in_fd = self->out_fd = -1;

	t = kipc_now_s();
	ASSERT_EQ(0, syscall(SYS_delete_module, "kipc", O_NONBLOCK))
		TH_LOG("rmmod with pools: %s", strerror(errno));
	t = kipc_now_s() - t;
	/*
	 * The pools end within a second; the rest of an unload (RCU grace
	 * periods for the registry, KASAN's quarantine) takes seconds on a
	 * debug kernel under TCG, so there the bound is 10 s.
	 */
	EXPECT_GT(debug_kernel() ? 10.0 : 1.0, t)
		TH_LOG("rmmod took %.3f s", t);
	TH_LOG("rmmod with 5 blocked threads took %.3f s", t);
	EXPECT_EQ(0, kipc_kthreads_gone("kipc_wk"));

	ASSERT_EQ(0, kipc_reload()) TH_LOG("reload failed");
}

TEST_HARNESS_MAIN
