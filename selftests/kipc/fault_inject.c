// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection (debug kernel with FAILSLAB and FAIL_PAGE_ALLOC): make
 * every allocation on a path fail once, in turn, with the task's fail-nth
 * (Documentation/fault-injection/fault-injection.rst).  Each call must
 * return success or a clean ENOMEM, and leave nothing half-made: the
 * counts under /sys/kernel/kipc are back to their baseline after each
 * round.  kmemleak (scanned by vm-run afterwards) must find nothing.
 *
 * Run by scripts/check-debug-extra; skips where the kernel cannot inject.
 */
#include <dirent.h>
#include <pthread.h>
#include <mqueue.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "../kselftest_harness.h"
#include "kipc_test.h"
#include "kipc.h"

#define MAX_ROUNDS 400

static int write_str(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -errno : 0;
}

static int fail_nth_fd = -1;

/* Arm: the @n-th allocation from now on in this thread fails. */
static void arm(int n)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%d", n);
	if (pwrite(fail_nth_fd, buf, strlen(buf), 0) < 0)
		abort();
}

/* Disarm; returns true if the armed failure was injected. */
static bool disarm(void)
{
	char buf[16] = "";
	ssize_t n = pread(fail_nth_fd, buf, sizeof(buf) - 1, 0);

	if (n < 0)
		abort();
	buf[n] = '\0';
	if (pwrite(fail_nth_fd, "0", 1, 0) < 0)
		abort();
	return atoi(buf) == 0;
}

static int count_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

struct snapshot {
	int mq, sem, shm, pools;
	unsigned long long files;
};

static void snap(struct snapshot *s)
{
	s->mq = count_dir(KIPC_SYSFS "/mq");
	s->sem = count_dir(KIPC_SYSFS "/sem");
	s->shm = count_dir(KIPC_SYSFS "/shm");
	s->pools = count_dir(KIPC_SYSFS "/workers");
	s->files = kipc_sysfs_u64(KIPC_SYSFS "/stats/files_open");
}

FIXTURE(fault) {
	char name[64];
	struct snapshot base;
};

FIXTURE_SETUP(fault)
{
	char path[64];

	KIPC_REQUIRE_MODULE(_metadata);
	KIPC_REQUIRE_ROOT(_metadata);
	if (access("/sys/kernel/debug/failslab", F_OK))
		SKIP(return, "kernel without FAILSLAB/debugfs");
	/* fail GFP_KERNEL allocations too, quietly (no stack dumps) */
	ASSERT_EQ(0, write_str("/sys/kernel/debug/failslab/ignore-gfp-wait", "N"));
	ASSERT_EQ(0, write_str("/sys/kernel/debug/failslab/verbose", "0"));
	if (!access("/sys/kernel/debug/fail_page_alloc", F_OK)) {
		write_str("/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "N");
		write_str("/sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem", "N");
		write_str("/sys/kernel/debug/fail_page_alloc/verbose", "0");
	}
	snprintf(path, sizeof(path), "/proc/thread-self/fail-nth");
	fail_nth_fd = open(path, O_RDWR);
	ASSERT_LE(0, fail_nth_fd);
	kipc_test_name(self->name, sizeof(self->name), "fault");
	snap(&self->base);
}

FIXTURE_TEARDOWN(fault)
{
	if (fail_nth_fd >= 0) {
		disarm();
		close(fail_nth_fd);
		fail_nth_fd = -1;
	}
}

/*
 * Run @op with the 1st, 2nd, ... allocation failing until a round finishes
 * without the failure being used: then every site on the path has failed
 * once.  @op returns 0 or -errno; @undo cleans up after a success.
 */
#define SWEEP(_op, _undo)						\
	do {								\
		int n, r, injected_rounds = 0;				\
		struct snapshot now;					\
									\
		for (n = 1; n <= MAX_ROUNDS; n++) {			\
			bool hit;					\
									\
			arm(n);						\
			r = (_op);					\
			hit = disarm();					\
			EXPECT_TRUE(r == 0 || r == -ENOMEM)		\
				TH_LOG("round %d: %s", n, strerror(-r)); \
			if (r == 0)					\
				_undo;					\
			snap(&now);					\
			EXPECT_EQ(self->base.mq, now.mq) TH_LOG("round %d", n); \
			EXPECT_EQ(self->base.sem, now.sem) TH_LOG("round %d", n); \
			EXPECT_EQ(self->base.shm, now.shm) TH_LOG("round %d", n); \
			EXPECT_EQ(self->base.pools, now.pools) TH_LOG("round %d", n); \
			EXPECT_EQ(self->base.files, now.files) TH_LOG("round %d", n); \
			if (!hit)					\
				break;					\
			injected_rounds++;				\
		}							\
		ASSERT_LT(n, MAX_ROUNDS + 1);				\
		ASSERT_LT(0, injected_rounds);				\
		TH_LOG("%d allocation sites failed in turn", injected_rounds); \
	} while (0)

static int mq_create(const char *name)
{
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 128 };
	int fd = kipc_mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

TEST_F(fault, mq_open_create)
{
	SWEEP(mq_create(self->name), kipc_mq_unlink(self->name));
}

static int mq_send_one(int fd)
{
	return kipc_mq_send(fd, "payload", 7, 3) ? -errno : 0;
}

static int mq_recv_one(int fd)
{
	char buf[128];
	unsigned int prio;

	return kipc_mq_receive(fd, buf, sizeof(buf), &prio) < 0 ? -errno : 0;
}

TEST_F(fault, mq_send_receive)
{
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 128 };
	int fd = kipc_mq_open(self->name, O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK,
			      0600, &attr);
	struct mq_attr now;

	ASSERT_LE(0, fd);
	self->base.mq++;
	self->base.files++;
	/* a failed send leaves the queue as it was; a success is drained */
	SWEEP(mq_send_one(fd), mq_recv_one(fd));
	ASSERT_EQ(0, kipc_mq_getattr(fd, &now));
	EXPECT_EQ(0, now.mq_curmsgs);
	/*
	 * A receive with no sender waiting allocates nothing (it needs a
	 * priority node only to take a waiting sender's message in), so no
	 * failure can reach it: the first allocation armed stays unused.
	 * (A receive that allocated every time would be caught: the send
	 * before it took the queue's spare node.)
	 */
	ASSERT_EQ(0, mq_send_one(fd));
	{
		bool hit;
		int r;

		arm(1);
		r = mq_recv_one(fd);
		hit = disarm();
		EXPECT_EQ(0, r);
		EXPECT_FALSE(hit);
	}
	ASSERT_EQ(0, kipc_mq_getattr(fd, &now));
	EXPECT_EQ(0, now.mq_curmsgs);
	close(fd);
	kipc_mq_unlink(self->name);
}

struct late_send {
	const char *name;
	const char *text;
	unsigned int prio;
	int ret;
	bool watch;		/* read back the thread's fail-nth after */
	bool hit;		/* an armed failure was injected */
	pid_t tid;		/* set before the send */
};

/*
 * A blocking send of ->text at ->prio on a file of its own.  Another
 * thread may arm this one's fail-nth (/proc/self/task/<tid>/fail-nth)
 * while it waits; with ->watch it says afterwards whether that fired.
 */
static void *late_sender(void *p)
{
	struct late_send *ls = p;
	int fd = kipc_mq_open(ls->name, O_WRONLY, 0, NULL);
	int nth = -1;
	char buf[16];
	ssize_t n;

	if (fd < 0) {
		ls->ret = -errno;
		return NULL;
	}
	if (ls->watch) {
		nth = open("/proc/thread-self/fail-nth", O_RDWR);
		if (nth < 0)
			abort();
	}
	__atomic_store_n(&ls->tid, (pid_t)syscall(SYS_gettid),
			 __ATOMIC_RELEASE);
	ls->ret = kipc_mq_send(fd, ls->text, strlen(ls->text), ls->prio) ?
		  -errno : 0;
	if (nth >= 0) {
		n = pread(nth, buf, sizeof(buf) - 1, 0);
		if (n < 0 || pwrite(nth, "0", 1, 0) < 0)
			abort();
		buf[n] = '\0';
		ls->hit = atoi(buf) == 0;
		close(nth);
	}
	close(fd);
	return NULL;
}

/* Wait (up to 10 s) until @n senders are blocked on queue @name. */
static bool senders_blocked(const char *name, unsigned long long n)
{
	int i;

	for (i = 0; i < 1000; i++) {
		if (kipc_sysfs_u64(KIPC_SYSFS "/mq/%s/blocked_senders",
				   name) == n)
			return true;
		usleep(10000);
	}
	return false;
}

/* Receive one message: its text must be @text and its priority @prio. */
static void expect_msg(struct __test_metadata *_metadata, int fd,
		       const char *text, unsigned int prio)
{
	unsigned int got;
	char buf[128];
	ssize_t r;

	r = kipc_mq_receive(fd, buf, sizeof(buf), &got);
	ASSERT_EQ((ssize_t)strlen(text), r);
	EXPECT_EQ(prio, got);
	EXPECT_EQ(0, memcmp(buf, text, r));
}

/*
 * Queue @name, full with three priority-5 messages, and @n late senders
 * started one after the other, each blocked before the next starts (so
 * they wait in that order).  Return: a non-blocking descriptor.
 */
static int full_queue_with_senders(struct __test_metadata *_metadata,
				   const char *name, struct late_send *ls,
				   pthread_t *th, int n)
{
	struct mq_attr attr = { .mq_maxmsg = 3, .mq_msgsize = 128 };
	int fd, i;

	fd = kipc_mq_open(name, O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK, 0600,
			  &attr);
	ASSERT_LE(0, fd);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, kipc_mq_send(fd, "five", 4, 5));
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, pthread_create(&th[i], NULL, late_sender, &ls[i]));
		ASSERT_TRUE(senders_blocked(name, i + 1));
	}
	return fd;
}

/* Five messages went through @name: counted so; then remove it. */
static void expect_five_and_remove(struct __test_metadata *_metadata,
				   int fd, const char *name)
{
	EXPECT_EQ(5ULL, kipc_sysfs_u64(KIPC_SYSFS "/mq/%s/sent", name));
	EXPECT_EQ(5ULL, kipc_sysfs_u64(KIPC_SYSFS "/mq/%s/received", name));
	close(fd);
	kipc_mq_unlink(name);
}

/*
 * A receive that frees a slot of a full queue takes a waiting sender's
 * message in; when its priority has no node, the receiver allocates one
 * first.  Here that allocation fails: the receive still succeeds, the
 * sender is told to retry and does with a node of its own, and nothing is
 * lost, duplicated or reordered.
 *
 * The setup makes the receiver need that node: the queue is full of
 * priority-5 messages (so a pop leaves their node in place), and two
 * senders wait at the new priorities 1 and 2.  The first receive pulls in
 * the first sender with the queue's spare node; the second, armed, finds
 * no spare and must allocate for the second sender.
 */
TEST_F(fault, mq_receive_takes_waiting_sender)
{
	struct late_send ls[2] = {
		{ .name = self->name, .text = "low-one", .prio = 1, .ret = 1 },
		{ .name = self->name, .text = "low-two", .prio = 2, .ret = 1 },
	};
	pthread_t th[2];
	bool hit;
	int fd;

	fd = full_queue_with_senders(_metadata, self->name, ls, th, 2);

	expect_msg(_metadata, fd, "five", 5);	/* takes ls[0] in */
	ASSERT_EQ(0, pthread_join(th[0], NULL));
	EXPECT_EQ(0, ls[0].ret);
	arm(1);
	expect_msg(_metadata, fd, "five", 5);	/* ls[1]'s node fails */
	hit = disarm();
	EXPECT_TRUE(hit) TH_LOG("the receive allocated nothing");
	ASSERT_EQ(0, pthread_join(th[1], NULL));
	EXPECT_EQ(0, ls[1].ret);

	expect_msg(_metadata, fd, "five", 5);
	expect_msg(_metadata, fd, "low-two", 2);
	expect_msg(_metadata, fd, "low-one", 1);
	{
		unsigned int prio;
		char buf[128];

		EXPECT_EQ(-1, kipc_mq_receive(fd, buf, sizeof(buf), &prio));
		EXPECT_EQ(EAGAIN, errno);
	}
	expect_five_and_remove(_metadata, fd, self->name);
}

/*
 * The sender told to retry cannot allocate its node either and fails with
 * ENOMEM: the slot the receiver freed for it goes on to the next waiting
 * sender, which must not sleep on a queue with room.
 *
 * Same setup as above, with a third sender (priority 3) waiting behind
 * the second.  The second's fail-nth is armed while it waits, so its next
 * allocation, the node of its retry, fails.
 */
TEST_F(fault, mq_sender_giving_up_passes_its_slot)
{
	struct late_send ls[3] = {
		{ .name = self->name, .text = "low-one", .prio = 1, .ret = 1 },
		{ .name = self->name, .text = "low-two", .prio = 2, .ret = 1,
		  .watch = true },
		{ .name = self->name, .text = "low-three", .prio = 3, .ret = 1 },
	};
	pthread_t th[3];
	char path[64];
	bool hit;
	int fd, bfd;

	fd = full_queue_with_senders(_metadata, self->name, ls, th, 3);
	snprintf(path, sizeof(path), "/proc/self/task/%d/fail-nth",
		 (int)__atomic_load_n(&ls[1].tid, __ATOMIC_ACQUIRE));
	bfd = open(path, O_WRONLY);
	ASSERT_LE(0, bfd);
	ASSERT_EQ(1, pwrite(bfd, "1", 1, 0));
	close(bfd);

	expect_msg(_metadata, fd, "five", 5);	/* takes ls[0] in */
	ASSERT_EQ(0, pthread_join(th[0], NULL));
	EXPECT_EQ(0, ls[0].ret);
	arm(1);
	expect_msg(_metadata, fd, "five", 5);	/* no node for ls[1] */
	hit = disarm();
	EXPECT_TRUE(hit) TH_LOG("the receive allocated nothing");
	ASSERT_EQ(0, pthread_join(th[1], NULL));
	EXPECT_EQ(-ENOMEM, ls[1].ret);
	EXPECT_TRUE(ls[1].hit);
	/* ls[2] takes the slot ls[1] gave up, without another receive */
	ASSERT_TRUE(senders_blocked(self->name, 0));
	ASSERT_EQ(0, pthread_join(th[2], NULL));
	EXPECT_EQ(0, ls[2].ret);

	expect_msg(_metadata, fd, "five", 5);
	expect_msg(_metadata, fd, "low-three", 3);
	expect_msg(_metadata, fd, "low-one", 1);
	expect_five_and_remove(_metadata, fd, self->name);
}

static int sem_create(const char *name)
{
	kipc_sem_t *s = kipc_sem_open(name, O_CREAT | O_EXCL, 0600, 1);

	if (s == KIPC_SEM_FAILED)
		return -errno;
	kipc_sem_close(s);
	return 0;
}

TEST_F(fault, sem_open_create)
{
	SWEEP(sem_create(self->name), kipc_sem_unlink(self->name));
}

static int shm_create(const char *name)
{
	int fd = kipc_shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, 65536);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

TEST_F(fault, shm_open_create)
{
	SWEEP(shm_create(self->name), kipc_shm_unlink(self->name));
}

/* Map, touch through pwrite (allocates a page), read back, unmap. */
static int shm_map_write(int fd, int round)
{
	char buf[64], back[64];
	void *p;

	p = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	munmap(p, 65536);
	memset(buf, 'a' + round % 26, sizeof(buf));
	if (pwrite(fd, buf, sizeof(buf), 4096 * (round % 16)) != sizeof(buf))
		return -errno;
	if (pread(fd, back, sizeof(back), 4096 * (round % 16)) != sizeof(back))
		return -errno;
	return memcmp(buf, back, sizeof(buf)) ? -EIO : 0;
}

TEST_F(fault, shm_map_pwrite)
{
	int fd = kipc_shm_open(self->name, O_RDWR | O_CREAT | O_EXCL, 0600,
			       65536);
	int round = 0;

	ASSERT_LE(0, fd);
	self->base.shm++;
	self->base.files++;
	SWEEP(shm_map_write(fd, round++), (void)0);
	close(fd);
	kipc_shm_unlink(self->name);
}

static int worker_start(const char *in, const char *out,
			unsigned long long *id)
{
	return kipc_worker_start(in, out, "echo", 2, id) ? -errno : 0;
}

TEST_F(fault, worker_start)
{
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 64 };
	char in[80], out[80];
	unsigned long long id = 0;
	int a, b;

	snprintf(in, sizeof(in), "%s-in", self->name);
	snprintf(out, sizeof(out), "%s-out", self->name);
	a = kipc_mq_open(in, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	b = kipc_mq_open(out, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	self->base.mq += 2;
	self->base.files += 2;
	if (self->base.pools < 0)
		self->base.pools = count_dir(KIPC_SYSFS "/workers");
	SWEEP(worker_start(in, out, &id), kipc_worker_stop(id));
	close(a);
	close(b);
	kipc_mq_unlink(in);
	kipc_mq_unlink(out);
}

TEST_HARNESS_MAIN
