// SPDX-License-Identifier: GPL-2.0
/*
 * No loss across processes: 4 producers and 4 consumers exchange 100,000
 * messages of random sizes and priorities through one small queue, each
 * message carrying its producer, sequence number and a checksum.  Every
 * send and receive path is used (send, sendv batches, write; receive,
 * receivev batches, read).  At the end: 0 lost, 0 duplicated, 0 corrupt,
 * each consumer saw every producer's messages of one priority in order,
 * the queue is empty, and the /sys counters agree with what the processes
 * counted.  (A debug kernel runs a fifth of the messages: see quota.)
 */
#include <sys/mman.h>
#include <time.h>
#include "../kselftest_harness.h"
#include "kipc_test.h"
#include "kipc.h"

#define PRODUCERS	4
#define CONSUMERS	4
/*
 * Messages per producer: the batching ones (0 and 1) send more; 100,000 in
 * all.  On a debug kernel (lockdep, KASAN, kmemleak: /proc/lockdep exists)
 * every quota is divided by DEBUG_DIVISOR so the program stays within its
 * time limit under TCG; the test says so in its output.
 */
#define PER_PRODUCER	40000		/* the most any producer sends */
#define DEBUG_DIVISOR	5
static uint32_t quota[PRODUCERS] = { 40000, 40000, 10000, 10000 };
static uint32_t total = 100000;
#define MSGSIZE		1024
#define MAXMSG		64
#define PRIOS		8
#define MAGIC		0x6b697063u
#define STOP		0xffffffffu	/* producer id of the stop messages */
#define BATCH		16

struct hdr {
	uint32_t magic;
	uint32_t producer;
	uint32_t seq;
	uint32_t prio;
	uint32_t len;
	uint32_t pad;
	uint64_t sum;
};

/* Shared between the processes (MAP_SHARED). */
struct shared {
	uint64_t bytes_sent;
	uint64_t bytes_received;
	uint64_t received;
	uint64_t corrupt;
	uint64_t disorder;
	uint64_t resent;
	uint8_t seen[PRODUCERS * PER_PRODUCER];
};

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	while (n--) {
		h ^= *p++;
		h *= 1099511628211ULL;
	}
	return h;
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static size_t make_msg(unsigned char *buf, uint32_t producer, uint32_t seq,
		       uint64_t *rng, unsigned int *prio)
{
	struct hdr *h = (struct hdr *)buf;
	size_t len, i;

	len = sizeof(*h) + xorshift(rng) % (MSGSIZE - sizeof(*h) + 1);
	*prio = xorshift(rng) % PRIOS;
	for (i = sizeof(*h); i < len; i++)
		buf[i] = xorshift(rng);
	h->magic = MAGIC;
	h->producer = producer;
	h->seq = seq;
	h->prio = *prio;
	h->len = len;
	h->pad = 0;
	h->sum = fnv1a(buf + sizeof(*h), len - sizeof(*h));
	return len;
}

/* Producer @id: 0 and 1 send batches (sendv), 2 uses send, 3 write(). */
static int producer(struct shared *sh, const char *name, uint32_t id)
{
	static unsigned char bufs[BATCH][MSGSIZE];
	uint64_t rng = 0x9e3779b97f4a7c15ULL * (id + 1), bytes = 0;
	struct kipc_msg v[BATCH];
	unsigned int prio;
	uint32_t seq = 0;
	int fd, i, n;

	fd = kipc_mq_open(name, O_WRONLY);
	if (fd < 0)
		return 1;
	while (seq < quota[id]) {
		if (id < 2) {
			n = quota[id] - seq < BATCH ? quota[id] - seq : BATCH;
			for (i = 0; i < n; i++) {
				v[i].buf = bufs[i];
				v[i].len = make_msg(bufs[i], id, seq + i, &rng,
						    &prio);
				v[i].prio = prio;
			}
			for (i = 0; i < n;) {
				int done = kipc_mq_sendv(fd, v + i, n - i);

				if (done <= 0) {
					printf("# producer %u: sendv: %s\n",
					       id, strerror(errno));
					return 2;
				}
				while (done--)
					bytes += v[i++].len;
			}
			seq += n;
			continue;
		}
		n = make_msg(bufs[0], id, seq, &rng, &prio);
		if (id == 3) {
			/* write() sends at priority 0: say so in the header */
			struct hdr *h = (struct hdr *)bufs[0];

			h->prio = 0;
			if (write(fd, bufs[0], n) != n) {
				printf("# producer %u: write: %s\n", id,
				       strerror(errno));
				return 3;
			}
		} else if (kipc_mq_send(fd, (char *)bufs[0], n, prio)) {
			printf("# producer %u: send: %s\n", id,
			       strerror(errno));
			return 4;
		}
		bytes += n;
		seq++;
	}
	__atomic_fetch_add(&sh->bytes_sent, bytes, __ATOMIC_RELAXED);
	close(fd);
	return 0;
}

static bool is_stop(const void *buf, ssize_t len)
{
	const struct hdr *h = buf;

	return len == sizeof(*h) && h->magic == MAGIC && h->producer == STOP;
}

static unsigned long long qstat(const char *name, const char *file)
{
	return kipc_sysfs_u64(KIPC_SYSFS "/mq/%s/%s", name + 1, file);
}

/* Check one received message; false for a stop message. */
static bool check(struct shared *sh, const unsigned char *buf, ssize_t len,
		  unsigned int prio, int32_t last[PRODUCERS][PRIOS])
{
	const struct hdr *h = (const struct hdr *)buf;

	if (is_stop(buf, len))
		return false;
	__atomic_fetch_add(&sh->received, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&sh->bytes_received, len, __ATOMIC_RELAXED);
	if (len < (ssize_t)sizeof(*h) || h->magic != MAGIC ||
	    h->producer >= PRODUCERS || h->seq >= quota[h->producer] ||
	    h->len != len || h->prio != prio ||
	    h->sum != fnv1a(buf + sizeof(*h), len - sizeof(*h))) {
		__atomic_fetch_add(&sh->corrupt, 1, __ATOMIC_RELAXED);
		return true;
	}
	__atomic_fetch_add(&sh->seen[h->producer * PER_PRODUCER + h->seq], 1,
			   __ATOMIC_RELAXED);
	/* FIFO within a priority: this consumer sees each producer in order */
	if ((int32_t)h->seq <= last[h->producer][prio])
		__atomic_fetch_add(&sh->disorder, 1, __ATOMIC_RELAXED);
	last[h->producer][prio] = h->seq;
	return true;
}

/* Consumer @id: 0 and 1 receive batches (receivev), 2 receive, 3 read(). */
static int consumer(struct shared *sh, const char *name, int id)
{
	static unsigned char bufs[BATCH][MSGSIZE];
	int32_t last[PRODUCERS][PRIOS];
	struct kipc_msg v[BATCH];
	unsigned int prio;
	ssize_t len;
	int fd, i, n;

	memset(last, 0xff, sizeof(last));
	/* the batch consumer may have to give back stop messages */
	fd = kipc_mq_open(name, id < 2 ? O_RDWR : O_RDONLY);
	if (fd < 0)
		return 1;
	for (;;) {
		if (id < 2) {
			int stops = 0;

			for (i = 0; i < BATCH; i++)
				v[i] = (struct kipc_msg){ bufs[i], MSGSIZE, 0 };
			n = kipc_mq_receivev(fd, v, BATCH);
			if (n <= 0) {
				printf("# consumer %d: receivev: %s\n", id,
				       strerror(errno));
				return 2;
			}
			for (i = 0; i < n; i++)
				if (!check(sh, v[i].buf, v[i].len, v[i].prio,
					   last))
					stops++;
			/* one stop is ours; the others belong to the rest */
			for (i = 1; i < stops; i++) {
				struct hdr h = { .magic = MAGIC,
						 .producer = STOP };

				if (kipc_mq_send(fd, (char *)&h, sizeof(h), 0))
					return 4;
				__atomic_fetch_add(&sh->resent, 1,
						   __ATOMIC_RELAXED);
			}
			if (stops)
				break;
			continue;
		}
		if (id == 3) {
			len = read(fd, bufs[0], MSGSIZE);
			/* read() does not say the priority: take the header's */
			prio = len >= (ssize_t)sizeof(struct hdr) ?
			       ((struct hdr *)bufs[0])->prio % PRIOS : 0;
		} else {
			len = kipc_mq_receive(fd, (char *)bufs[0], MSGSIZE,
					      &prio);
		}
		if (len < 0) {
			printf("# consumer %d: receive: %s\n", id,
			       strerror(errno));
			return 3;
		}
		if (!check(sh, bufs[0], len, prio, last))
			break;
	}
	close(fd);
	return 0;
}


/* No state: a fixture only for the longer timeout (KASAN is slow). */
FIXTURE(mq_stress) {
	int unused;
};

FIXTURE_SETUP(mq_stress)
{
}

FIXTURE_TEARDOWN(mq_stress)
{
}

TEST_F_TIMEOUT(mq_stress, producers_consumers_no_loss, 280)
{
	pid_t pids[PRODUCERS + CONSUMERS];
	unsigned long long lost = 0, dup = 0, stops;
	struct mq_attr attr = { .mq_maxmsg = MAXMSG, .mq_msgsize = MSGSIZE };
	struct timespec t0, t1;
	struct shared *sh;
	struct hdr stop;
	char name[64];
	double secs;
	int fd, i, st, failed = 0;

	KIPC_REQUIRE_MODULE(_metadata);
	if (!access("/proc/lockdep", F_OK)) {
		total = 0;
		for (i = 0; i < PRODUCERS; i++) {
			quota[i] /= DEBUG_DIVISOR;
			total += quota[i];
		}
		printf("# debug kernel (/proc/lockdep): %u messages instead of 100000\n",
		       total);
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	snprintf(name, sizeof(name), "/t-mq-stress-%d", (int)getpid());
	fd = kipc_mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	ASSERT_LE(0, fd);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < CONSUMERS; i++) {
		pids[PRODUCERS + i] = fork();
		ASSERT_LE(0, pids[PRODUCERS + i]);
		if (!pids[PRODUCERS + i])
			_exit(consumer(sh, name, i));
	}
	for (i = 0; i < PRODUCERS; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i])
			_exit(producer(sh, name, i));
	}
	for (i = 0; i < PRODUCERS; i++) {
		/* every 10 s, show progress: a stall and slowness differ */
		while (waitpid(pids[i], &st, WNOHANG) != pids[i]) {
			static int ticks;

			usleep(100000);
			if (++ticks % 100)
				continue;
			printf("# %d s: received %llu, queue: curmsgs %llu blocked senders %llu receivers %llu\n",
			       ticks / 10,
			       (unsigned long long)__atomic_load_n(&sh->received,
								   __ATOMIC_RELAXED),
			       qstat(name, "curmsgs"),
			       qstat(name, "blocked_senders"),
			       qstat(name, "blocked_receivers"));
			fflush(stdout);
		}
		EXPECT_EQ(0, st) TH_LOG("producer %d status %#x", i, st);
		failed |= st;
	}
	/*
	 * Every data message is queued now.  Stop messages at priority 0 go
	 * behind all of them: each consumer stops at the first one it gets
	 * (the batch consumer sends back any extra ones its batch held).
	 */
	memset(&stop, 0, sizeof(stop));
	stop.magic = MAGIC;
	stop.producer = STOP;
	for (i = 0; i < CONSUMERS; i++)
		ASSERT_EQ(0, kipc_mq_send(fd, (char *)&stop, sizeof(stop), 0));
	for (i = 0; i < CONSUMERS; i++) {
		ASSERT_EQ(pids[PRODUCERS + i],
			  waitpid(pids[PRODUCERS + i], &st, 0));
		EXPECT_EQ(0, st) TH_LOG("consumer %d status %#x", i, st);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	for (i = 0; i < PRODUCERS; i++) {
		uint32_t j;

		for (j = 0; j < quota[i]; j++) {
			lost += sh->seen[i * PER_PRODUCER + j] == 0;
			dup += sh->seen[i * PER_PRODUCER + j] > 1;
		}
	}
	printf("# %d producers, %d consumers: %llu messages, %.1f s, %.0f msgs/s\n",
	       PRODUCERS, CONSUMERS, (unsigned long long)sh->received, secs,
	       sh->received / secs);
	printf("# lost %llu, duplicated %llu, corrupt %llu, out of order %llu\n",
	       lost, dup, (unsigned long long)sh->corrupt,
	       (unsigned long long)sh->disorder);
	EXPECT_EQ(0, failed);
	EXPECT_EQ(0, lost);
	EXPECT_EQ(0, dup);
	EXPECT_EQ(0, sh->corrupt);
	EXPECT_EQ(0, sh->disorder);
	EXPECT_EQ(total, sh->received);
	EXPECT_EQ(sh->bytes_sent, sh->bytes_received);

	/* the counters agree with what the processes counted */
	printf("# sysfs: sent %llu received %llu bytes_sent %llu bytes_received %llu peak %llu\n",
	       qstat(name, "sent"), qstat(name, "received"),
	       qstat(name, "bytes_sent"), qstat(name, "bytes_received"),
	       qstat(name, "peak"));
	EXPECT_EQ(0, qstat(name, "curmsgs"));
	stops = CONSUMERS + sh->resent;
	EXPECT_EQ(total + stops, qstat(name, "sent"));
	EXPECT_EQ(total + stops, qstat(name, "received"));
	EXPECT_EQ(sh->bytes_sent + stops * sizeof(stop),
		  qstat(name, "bytes_sent"));
	EXPECT_EQ(sh->bytes_received + stops * sizeof(stop),
		  qstat(name, "bytes_received"));
	EXPECT_EQ(0, qstat(name, "blocked_senders"));
	EXPECT_EQ(0, qstat(name, "blocked_receivers"));
	EXPECT_EQ(1, qstat(name, "handles"));
	EXPECT_GE(MAXMSG, qstat(name, "peak"));
	EXPECT_EQ(0, kipc_mq_unlink(name));
	close(fd);
	munmap(sh, sizeof(*sh));
}

TEST_HARNESS_MAIN
