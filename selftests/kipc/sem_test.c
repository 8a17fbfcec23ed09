// SPDX-License-Identifier: GPL-2.0
/*
 * kipc semaphores: the POSIX-shaped library and the raw ioctls, every
 * documented errno (also as uid 65534), limits, unlink while open, timeouts
 * never early, EINTR, poll, robust (undo) holders, hand-off order and the
 * /sys files.  The many-process stress tests are in sem_stress_test.c.
 */
#include <poll.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/time.h>
#include "../kselftest_harness.h"
#include "sem_util.h"

/* ---- errno matrix ------------------------------------------------------ */

static int matrix_fails;

#define CHECK_ERR(expr, err) do {					\
	long _r;							\
	errno = 0;							\
	_r = (long)(expr);						\
	if (_r != -1 || errno != (err)) {				\
		fprintf(stderr, "# %s:%d: %s: got %ld errno %d (%s), want %s\n", \
			__FILE__, __LINE__, #expr, _r, errno,		\
			strerror(errno), #err);				\
		matrix_fails++;						\
	}								\
	cases++;							\
} while (0)

#define CHECK_FAILED(expr, err) do {					\
	kipc_sem_t *_s;							\
	errno = 0;							\
	_s = (expr);							\
	if (_s != KIPC_SEM_FAILED || errno != (err)) {			\
		fprintf(stderr, "# %s:%d: %s: got %p errno %d (%s), want %s\n", \
			__FILE__, __LINE__, #expr, (void *)_s, errno,	\
			strerror(errno), #err);				\
		matrix_fails++;						\
	}								\
	cases++;							\
} while (0)

#define CHECK_OK(expr) do {						\
	errno = 0;							\
	if ((expr) != 0) {						\
		fprintf(stderr, "# %s:%d: %s failed: %s\n", __FILE__,	\
			__LINE__, #expr, strerror(errno));		\
		matrix_fails++;						\
	}								\
	cases++;							\
} while (0)

static int raw_sem(const char *name, uint32_t flags, const void *attr)
{
	return kipc_raw_open(KIPC_TYPE_SEM, name, flags, 0600, attr,
			     attr ? sizeof(struct kipc_sem_attr) : 0);
}

/*
 * Every errno the semaphore API documents, provoked by whoever runs it.
 * Returns the number of mismatches (0..255), printing each.
 */
static int errno_matrix(void *arg)
{
	char name[64], other[64], longname[300];
	struct kipc_sem_attr attr = { 0 };
	struct kipc_timeout t;
	struct timespec ts;
	kipc_sem_t *s, *m;
	int fd, ro, nb, cases = 0;

	(void)arg;
	matrix_fails = 0;
	kipc_test_name(name, sizeof(name), "em");
	kipc_test_name(other, sizeof(other), "em2");
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';

	/* open */
	CHECK_FAILED(kipc_sem_open(name, 0), ENOENT);
	CHECK_FAILED(kipc_sem_open("", O_CREAT, 0600, 0), EINVAL);
	CHECK_FAILED(kipc_sem_open("a/b", O_CREAT, 0600, 0), EINVAL);
	CHECK_FAILED(kipc_sem_open(longname, O_CREAT, 0600, 0), ENAMETOOLONG);
	CHECK_FAILED(kipc_sem_open(name, O_CREAT | O_TRUNC, 0600, 0), EINVAL);
	CHECK_FAILED(kipc_sem_open(name, O_CREAT, 0600, 0x80000000U), EINVAL);
	s = kipc_sem_open(name, O_CREAT | O_EXCL, 0600, 0);
	if (!s)
		return 200;
	CHECK_FAILED(kipc_sem_open(name, O_CREAT | O_EXCL, 0600, 0), EEXIST);

	/* waits at value 0 */
	CHECK_ERR(kipc_sem_trywait(s), EAGAIN);
	ts = ts_of(ns_now(CLOCK_REALTIME) - 1000000);
	CHECK_ERR(kipc_sem_timedwait(s, &ts), ETIMEDOUT);
	ts.tv_nsec = 1000000000;
	CHECK_ERR(kipc_sem_timedwait(s, &ts), EINVAL);
	ts.tv_nsec = -1;
	CHECK_ERR(kipc_sem_clockwait(s, CLOCK_MONOTONIC, &ts), EINVAL);
	ts.tv_sec = -1;
	ts.tv_nsec = 0;
	CHECK_ERR(kipc_sem_timedwait(s, &ts), EINVAL);
	ts = ts_of(ns_now(CLOCK_MONOTONIC) + 1000000);
	CHECK_ERR(kipc_sem_clockwait(s, CLOCK_PROCESS_CPUTIME_ID, &ts), EINVAL);
	CHECK_ERR(kipc_sem_timedwait(s, NULL), EINVAL);

	/* a bad time is fine when the call need not block (POSIX) */
	CHECK_OK(kipc_sem_post(s));
	ts.tv_sec = 0;
	ts.tv_nsec = 2000000000;
	CHECK_OK(kipc_sem_timedwait(s, &ts));
	CHECK_OK(kipc_sem_post(s));
	ts = ts_of(ns_now(CLOCK_MONOTONIC) - 1000000000LL);
	CHECK_OK(kipc_sem_clockwait(s, CLOCK_MONOTONIC, &ts));

	/* library misuse */
	CHECK_ERR(kipc_sem_close(NULL), EINVAL);
	CHECK_ERR(kipc_sem_close((kipc_sem_t *)&cases), EINVAL);
	CHECK_ERR(kipc_sem_wait(NULL), EINVAL);
	CHECK_ERR(kipc_sem_getvalue(s, NULL), EINVAL);
	CHECK_ERR(kipc_sem_unlink(other), ENOENT);

	/* post at the maximum */
	m = kipc_sem_open(other, O_CREAT | O_EXCL, 0600, KIPC_SEM_VALUE_MAX);
	if (m) {
		int v = 0;

		CHECK_ERR(kipc_sem_post(m), EOVERFLOW);
		CHECK_OK(kipc_sem_getvalue(m, &v));
		if (v != KIPC_SEM_VALUE_MAX) {
			fprintf(stderr, "# value after EOVERFLOW: %d\n", v);
			matrix_fails++;
		}
		kipc_sem_close(m);
		CHECK_OK(kipc_sem_unlink(other));
	} else {
		matrix_fails++;
	}

	/* raw ioctls */
	fd = kipc_sem_fd(s);
	memset(&t, 0, sizeof(t));
	t.clock = 7;
	CHECK_ERR(ioctl(fd, KIPC_IOC_SEM_WAIT, &t), EINVAL);
	t.clock = KIPC_CLOCK_NONE;
	t.__pad = 1;
	CHECK_ERR(ioctl(fd, KIPC_IOC_SEM_WAIT, &t), EINVAL);
	CHECK_ERR(ioctl(fd, KIPC_IOC_SEM_WAIT, NULL), EFAULT);
	CHECK_ERR(ioctl(fd, KIPC_IOC_SEM_GETVALUE, NULL), EFAULT);
	CHECK_ERR(ioctl(fd, _IO(KIPC_IOC_MAGIC, 0x40)), ENOTTY);
	attr.__pad = 1;
	fd = raw_sem(other, KIPC_O_RDWR | KIPC_O_CREAT, &attr);
	if (fd != -EINVAL) {
		fprintf(stderr, "# attr.__pad 1: %d\n", fd);
		matrix_fails++;
	}
	attr.__pad = 0;
	attr.value = 0x80000000U;
	fd = raw_sem(other, KIPC_O_RDWR | KIPC_O_CREAT, &attr);
	if (fd != -EINVAL) {
		fprintf(stderr, "# attr.value 2^31: %d\n", fd);
		matrix_fails++;
	}
	cases += 2;
	fd = kipc_sem_fd(s);
	ro = raw_sem(name, KIPC_O_RDONLY, NULL);
	if (ro >= 0) {
		struct kipc_sem_state st;

		CHECK_ERR(ioctl(ro, KIPC_IOC_SEM_POST), EBADF);
		CHECK_ERR(ioctl(ro, KIPC_IOC_SEM_TRYWAIT), EBADF);
		memset(&t, 0, sizeof(t));
		CHECK_ERR(ioctl(ro, KIPC_IOC_SEM_WAIT, &t), EBADF);
		CHECK_OK(ioctl(ro, KIPC_IOC_SEM_GETVALUE, &st));
		close(ro);
	} else {
		matrix_fails++;
	}
	nb = raw_sem(name, KIPC_O_RDWR | KIPC_O_NONBLOCK, NULL);
	if (nb >= 0) {
		memset(&t, 0, sizeof(t));
		CHECK_ERR(ioctl(nb, KIPC_IOC_SEM_WAIT, &t), EAGAIN);
		close(nb);
	} else {
		matrix_fails++;
	}
	/* undo is a semaphore flag only */
	fd = kipc_raw_open(KIPC_TYPE_SHM, other, KIPC_O_RDWR | KIPC_O_CREAT |
			   KIPC_O_UNDO, 0600, NULL, 0);
	if (fd >= 0) {
		close(fd);
		kipc_raw_unlink(KIPC_TYPE_SHM, other);
		fprintf(stderr, "# KIPC_O_UNDO accepted for shm\n");
		matrix_fails++;
	} else if (fd != -EINVAL) {
		fprintf(stderr, "# shm + KIPC_O_UNDO: %d\n", fd);
		matrix_fails++;
	}
	cases++;

	kipc_sem_close(s);
	CHECK_OK(kipc_sem_unlink(name));
	CHECK_ERR(kipc_sem_unlink(name), ENOENT);
	fprintf(stderr, "# uid %d: %d of %d cases as expected\n", (int)getuid(),
		cases - matrix_fails, cases);
	return matrix_fails > 255 ? 255 : matrix_fails;
}

TEST(errno_matrix_root)
{
	KIPC_REQUIRE_MODULE(_metadata);
	EXPECT_EQ(0, errno_matrix(NULL));
}

TEST(errno_matrix_nobody)
{
	KIPC_REQUIRE_MODULE(_metadata);
	KIPC_REQUIRE_ROOT(_metadata);
	EXPECT_EQ(0, kipc_as_nobody(errno_matrix, NULL));
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* The errnos that need a second process or a signal: EINTR, EOWNERDEAD. */
static int intr_and_owner_dead(void *arg)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { 0, 100000 } };
	char name[64];
	kipc_sem_t *s;
	int ret = 0, p[2];
	pid_t pid;
	char c;

	(void)arg;
	kipc_test_name(name, sizeof(name), "nbi");
	s = kipc_sem_open(name, O_CREAT | O_EXCL, 0600, 0);
	if (!s)
		return 100;
	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART */
	setitimer(ITIMER_REAL, &it, NULL);
	errno = 0;
	if (kipc_sem_wait(s) != -1 || errno != EINTR)
		ret |= 1;
	if (kipc_sem_post(s) || pipe(p))
		ret |= 2;
	pid = fork();
	if (!pid) {
		kipc_sem_t *u = kipc_sem_open(name, KIPC_SEM_UNDO);

		if (!u || kipc_sem_wait(u) || write(p[1], "h", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	if (pid < 0 || read(p[0], &c, 1) != 1)
		ret |= 4;
	reap(pid);
	errno = 0;
	if (kipc_sem_trywait(s) != -1 || errno != EOWNERDEAD)
		ret |= 8;
	kipc_sem_close(s);
	kipc_sem_unlink(name);
	return ret;
}

TEST(eintr_and_owner_dead_as_nobody)
{
	KIPC_REQUIRE_MODULE(_metadata);
	KIPC_REQUIRE_ROOT(_metadata);
	EXPECT_EQ(0, kipc_as_nobody(intr_and_owner_dead, NULL));
}

/* root's 0600 semaphore, as seen by nobody */
static int nobody_denied(void *arg)
{
	const char *name = arg;
	int fails = 0;

	errno = 0;
	if (kipc_sem_open(name, 0) != KIPC_SEM_FAILED || errno != EACCES)
		fails++;
	errno = 0;
	if (kipc_sem_open(name, O_CREAT, 0600, 0) != KIPC_SEM_FAILED ||
	    errno != EACCES)
		fails++;
	errno = 0;
	if (kipc_sem_unlink(name) != -1 || errno != EACCES)
		fails++;
	return fails;
}

TEST(permissions)
{
	char name[64];
	kipc_sem_t *s;

	KIPC_REQUIRE_MODULE(_metadata);
	KIPC_REQUIRE_ROOT(_metadata);
	kipc_test_name(name, sizeof(name), "perm");
	s = kipc_sem_open(name, O_CREAT | O_EXCL, 0600, 1);
	ASSERT_NE(KIPC_SEM_FAILED, s);
	EXPECT_EQ(0, kipc_as_nobody(nobody_denied, name));
	EXPECT_EQ(600, sem_sys(name, "mode"));	/* octal text */
	EXPECT_EQ(0, kipc_sem_close(s));
	EXPECT_EQ(0, kipc_sem_unlink(name));
}

/* ---- limits -------------------------------------------------------------- */

#define LIM_DIR KIPC_SYSFS "/limits/"

static int nobody_creates(void *arg)
{
	int want = *(int *)arg, i, ret = 0;
	kipc_sem_t *s[4];
	char name[64];

	for (i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "t-lim-%d-%d", (int)getpid(), i);
		s[i] = kipc_sem_open(name, O_CREAT | O_EXCL, 0600, 0);
		if (!s[i])
			ret = 10 + i;
	}
	snprintf(name, sizeof(name), "t-lim-%d-x", (int)getpid());
	errno = 0;
	if (kipc_sem_open(name, O_CREAT | O_EXCL, 0600, 0) != KIPC_SEM_FAILED ||
	    errno != want)
		ret = 20;
	for (i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "t-lim-%d-%d", (int)getpid(), i);
		if (s[i]) {
			kipc_sem_close(s[i]);
			kipc_sem_unlink(name);
		}
	}
	/* and nobody may not change a limit */
	if (kipc_sysfs_write(LIM_DIR "sem_max", "5", 1) != -EACCES)
		ret = 30;
	return ret;
}

TEST(limits)
{
	static const char *const junk[] = {
		"\n", "-1", "1 2", "x", "18446744073709551616", "0x", "2000000",
	};
	unsigned long long umax, total, objs;
	char buf[32];
	size_t i;
	int want;

	KIPC_REQUIRE_MODULE(_metadata);
	KIPC_REQUIRE_ROOT(_metadata);
	umax = kipc_sysfs_u64(LIM_DIR "sem_per_user_max");
	total = kipc_sysfs_u64(LIM_DIR "sem_max");
	ASSERT_NE(~0ULL, umax);
	ASSERT_NE(~0ULL, total);
	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++)
		EXPECT_EQ(-EINVAL, kipc_sysfs_write(LIM_DIR "sem_max", junk[i],
						    strlen(junk[i])))
			TH_LOG("junk #%zu", i);
	EXPECT_EQ(total, kipc_sysfs_u64(LIM_DIR "sem_max"));

	/* per user: two, the third is EMFILE */
	ASSERT_EQ(0, kipc_sysfs_write(LIM_DIR "sem_per_user_max", "2\n", 2));
	want = EMFILE;
	EXPECT_EQ(0, kipc_as_nobody(nobody_creates, &want));
	snprintf(buf, sizeof(buf), "%llu", umax);
	ASSERT_EQ(0, kipc_sysfs_write(LIM_DIR "sem_per_user_max", buf,
				      strlen(buf)));

	/* in all: room for two more, the third is ENOSPC */
	objs = kipc_sysfs_u64(KIPC_SYSFS "/stats/sem_objects");
	snprintf(buf, sizeof(buf), "%llu", objs + 2);
	ASSERT_EQ(0, kipc_sysfs_write(LIM_DIR "sem_max", buf, strlen(buf)));
	want = ENOSPC;
	EXPECT_EQ(0, kipc_as_nobody(nobody_creates, &want));
	snprintf(buf, sizeof(buf), "%llu", total);
	ASSERT_EQ(0, kipc_sysfs_write(LIM_DIR "sem_max", buf, strlen(buf)));
	EXPECT_EQ(objs, kipc_sysfs_u64(KIPC_SYSFS "/stats/sem_objects"));
}

/* ---- basics ----------------------------------------------------------------- */

TEST(value_and_sysfs)
{
	char name[64];
	kipc_sem_t *s;
	int v = -1, i;

	KIPC_REQUIRE_MODULE(_metadata);
	kipc_test_name(name, sizeof(name), "val");
	s = kipc_sem_open(name, O_CREAT | O_EXCL, 0640, 3);
	ASSERT_NE(KIPC_SEM_FAILED, s);
	ASSERT_EQ(0, kipc_sem_getvalue(s, &v));
	EXPECT_EQ(3, v);
	EXPECT_EQ(3, sem_sys(name, "value"));
	EXPECT_EQ(0, sem_sys(name, "waiters"));
	EXPECT_EQ(1, sem_sys(name, "handles"));
	for (i = 0; i < 3; i++)
		EXPECT_EQ(0, kipc_sem_trywait(s));
	EXPECT_EQ(-1, kipc_sem_trywait(s));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, kipc_sem_post(s));
	EXPECT_EQ(0, kipc_sem_wait(s));
	EXPECT_EQ(0, sem_sys(name, "value"));
	EXPECT_EQ(1, sem_sys(name, "posts"));
	EXPECT_EQ(4, sem_sys(name, "waits"));
	EXPECT_EQ(1, sem_sys(name, "trywait_fails"));
	EXPECT_EQ(0, sem_sys(name, "timeouts"));
	EXPECT_EQ(0, kipc_sem_close(s));
	EXPECT_EQ(0, kipc_sem_unlink(name));
	EXPECT_EQ(~0ULL, sem_sys(name, "value"));
}

TEST(same_name_same_handle)
{
	kipc_sem_t *a, *b, *u;
	char name[64];

	KIPC_REQUIRE_MODULE(_metadata);
	kipc_test_name(name, sizeof(name), "same");
	a = kipc_sem_open(name, O_CREAT, 0600, 0);
	ASSERT_NE(KIPC_SEM_FAILED, a);
	b = kipc_sem_open(name, 0);
	EXPECT_EQ(a, b);
	EXPECT_EQ(1, sem_sys(name, "handles"));
	u = kipc_sem_open(name, KIPC_SEM_UNDO);
	ASSERT_NE(KIPC_SEM_FAILED, u);
	EXPECT_NE(a, u);
	EXPECT_EQ(2, sem_sys(name, "handles"));
	EXPECT_EQ(0, kipc_sem_close(u));
	EXPECT_EQ(0, kipc_sem_close(b));
	/* a is still open: the count is per open */
	EXPECT_EQ(0, kipc_sem_post(a));
	EXPECT_EQ(1, sem_sys(name, "handles"));
	EXPECT_EQ(0, kipc_sem_close(a));
	EXPECT_EQ(0, sem_sys(name, "handles"));
	EXPECT_EQ(-1, kipc_sem_close(a));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, kipc_sem_unlink(name));
}

TEST(unlink_keeps_handles)
{
	kipc_sem_t *old, *fresh;
	char name[64];
	int v = -1;

	KIPC_REQUIRE_MODULE(_metadata);
	kipc_test_name(name, sizeof(name), "unl");
	old = kipc_sem_open(name, O_CREAT | O_EXCL, 0600, 1);
	ASSERT_NE(KIPC_SEM_FAILED, old);
	ASSERT_EQ(0, kipc_sem_unlink(name));
	errno = 0;
	EXPECT_EQ(KIPC_SEM_FAILED, kipc_sem_open(name, 0));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(0, kipc_sem_wait(old));
	EXPECT_EQ(0, kipc_sem_post(old));
	fresh = kipc_sem_open(name, O_CREAT | O_EXCL, 0600, 5);
	ASSERT_NE(KIPC_SEM_FAILED, fresh) TH_LOG("re-create: %s", strerror(errno));
	EXPECT_NE(old, fresh);
	ASSERT_EQ(0, kipc_sem_getvalue(old, &v));
	EXPECT_EQ(1, v);
	ASSERT_EQ(0, kipc_sem_getvalue(fresh, &v));
	EXPECT_EQ(5, v);
	EXPECT_EQ(0, kipc_sem_close(old));
	EXPECT_EQ(0, kipc_sem_close(fresh));
	EXPECT_EQ(0, kipc_sem_unlink(name));
}

TEST(survives_fork)
{
	char name[64];
	kipc_sem_t *s;
	pid_t pid;

	KIPC_REQUIRE_MODULE(_metadata);
	kipc_test_name(name, sizeof(name), "fork");
	s = kipc_sem_open(name, O_CREAT | O_EXCL, 0600, 0);
	ASSERT_NE(KIPC_SEM_FAILED, s);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* same handle in the child; reopen counts on it */
		kipc_sem_t *again = kipc_sem_open(name, 0);

		_exit(again != s || kipc_sem_post(s) || kipc_sem_close(again) ||
		      kipc_sem_close(s));
	}
	EXPECT_EQ(0, child_status(pid));
	EXPECT_EQ(0, kipc_sem_wait(s));
	EXPECT_EQ(0, kipc_sem_close(s));
	EXPECT_EQ(0, kipc_sem_unlink(name));
}

/* ---- timeouts, signals, poll -------------------------------------------- */

TEST(timeouts_never_early)
{
	long long min = -1, max = 0, late, deadline;
	struct timespec ts;
	char name[64];
	kipc_sem_t *s;
	int i;

	KIPC_REQUIRE_MODULE(_metadata);
	kipc_test_name(name, sizeof(name), "tmo");
	s = kipc_sem_open(name, O_CREAT | O_EXCL, 0600, 0);
	ASSERT_NE(KIPC_SEM_FAILED, s);
	for (i = 0; i < 40; i++) {
		clockid_t clk = i & 1 ? CLOCK_MONOTONIC : CLOCK_REALTIME;

		deadline = ns_now(clk) + (i % 10 + 1) * 1000000LL + i * 7919;
		ts = ts_of(deadline);
		errno = 0;
		EXPECT_EQ(-1, i & 1 ? kipc_sem_clockwait(s, clk, &ts) :
				      kipc_sem_timedwait(s, &ts));
		late = ns_now(clk) - deadline;
		EXPECT_EQ(ETIMEDOUT, errno);
		EXPECT_LE(0, late) TH_LOG("woke %lld ns early", -late);
		if (min < 0 || late < min)
			min = late;
		if (late > max)
			max = late;
	}
	EXPECT_EQ(40, sem_sys(name, "timeouts"));
	EXPECT_EQ(0, sem_sys(name, "waiters"));
	fprintf(stderr, "# 40 timed waits: lateness min %lld us, max %lld us\n",
		min / 1000, max / 1000);
	EXPECT_EQ(0, kipc_sem_close(s));
	EXPECT_EQ(0, kipc_sem_unlink(name));
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* A child blocks; SIGUSR1 without SA_RESTART gives EINTR, with it not. */
TEST(eintr)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	int restart, p[2];
	char name[64], c;
	kipc_sem_t *s;
	pid_t pid;

	KIPC_REQUIRE_MODULE(_metadata);
	kipc_test_name(name, sizeof(name), "intr");
	s = kipc_sem_open(name, O_CREAT | O_EXCL, 0600, 0);
	ASSERT_NE(KIPC_SEM_FAILED, s);
	for (restart = 0; restart < 2; restart++) {
		ASSERT_EQ(0, pipe(p));
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			int r, e;

			sa.sa_flags = restart ? SA_RESTART : 0;
			sigaction(SIGUSR1, &sa, NULL);
			close(p[0]);
			if (write(p[1], "r", 1) != 1)
				_exit(9);
			r = kipc_sem_wait(s);
			e = errno;
			if (restart)
				_exit(r == 0 ? 0 : 1);
			_exit(r == -1 && e == EINTR ? 0 : 2);
		}
		close(p[1]);
		ASSERT_EQ(1, read(p[0], &c, 1));
		close(p[0]);
		ASSERT_EQ(0, sem_wait_waiters(name, 1));
		ASSERT_EQ(0, kill(pid, SIGUSR1));
		if (restart) {
			/* restarted: blocked again, then served by a post */
			usleep(100000);
			ASSERT_EQ(0, sem_wait_waiters(name, 1));
			ASSERT_EQ(0, kipc_sem_post(s));
		}
		EXPECT_EQ(0, child_status(pid));
		EXPECT_EQ(0, sem_sys(name, "waiters"));
	}
	EXPECT_EQ(2, sem_sys(name, "interrupts"));
	EXPECT_EQ(0, sem_sys(name, "value"));
	EXPECT_EQ(0, kipc_sem_close(s));
	EXPECT_EQ(0, kipc_sem_unlink(name));
}

TEST(poll_wakes_on_unit)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct pollfd pfd;
	char name[64];
	kipc_sem_t *s;
	int ep, n;
	pid_t pid;

	KIPC_REQUIRE_MODULE(_metadata);
	kipc_test_name(name, sizeof(name), "poll");
	s = kipc_sem_open(name, O_CREAT | O_EXCL, 0600, 0);
	ASSERT_NE(KIPC_SEM_FAILED, s);
	pfd.fd = kipc_sem_fd(s);
	pfd.events = POLLIN;
	EXPECT_EQ(0, poll(&pfd, 1, 0));

	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, kipc_sem_fd(s), &ev));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		usleep(200000);
		_exit(kipc_sem_post(s) ? 1 : 0);
	}
	n = poll(&pfd, 1, 10000);
	EXPECT_EQ(1, n);
	EXPECT_TRUE(pfd.revents & POLLIN);
	EXPECT_EQ(1, epoll_wait(ep, &ev, 1, 0));
	EXPECT_EQ(0, child_status(pid));
	/* taking the unit makes it unreadable again */
	EXPECT_EQ(0, kipc_sem_trywait(s));
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	EXPECT_EQ(0, epoll_wait(ep, &ev, 1, 0));
	close(ep);
	EXPECT_EQ(0, kipc_sem_close(s));
	EXPECT_EQ(0, kipc_sem_unlink(name));
}

/* ---- hand-off order --------------------------------------------------------- */

#define NWAITERS 6

/* Children block one after the other; each post must wake exactly one. */
static void fairness(struct __test_metadata *_metadata, int rt)
{
	pid_t pids[NWAITERS];
	int i, p[2], order[NWAITERS];
	char name[64], who;
	kipc_sem_t *s;

	kipc_test_name(name, sizeof(name), rt ? "rtfair" : "fair");
	s = kipc_sem_open(name, O_CREAT | O_EXCL, 0600, 0);
	ASSERT_NE(KIPC_SEM_FAILED, s);
	ASSERT_EQ(0, pipe(p));
	for (i = 0; i < NWAITERS; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i]) {
			if (rt) {
				/* later arrivals get higher priorities */
				struct sched_param sp = { .sched_priority = 10 + i };

				if (sched_setscheduler(0, SCHED_FIFO, &sp))
					_exit(3);
			}
			close(p[0]);
			who = 'a' + i;
			if (kipc_sem_wait(s) || write(p[1], &who, 1) != 1)
				_exit(1);
			_exit(0);
		}
		/* queued before the next one starts */
		ASSERT_EQ(0, sem_wait_waiters(name, i + 1));
	}
	close(p[1]);
	for (i = 0; i < NWAITERS; i++) {
		ASSERT_EQ(0, kipc_sem_post(s));
		/* the unit went to a waiter, not into the value: no barging */
		EXPECT_EQ(-1, kipc_sem_trywait(s));
		ASSERT_EQ(1, read(p[0], &who, 1));
		order[i] = who - 'a';
		EXPECT_EQ(NWAITERS - 1 - i, sem_sys(name, "waiters"));
		EXPECT_EQ(0, sem_sys(name, "value"));
	}
	for (i = 0; i < NWAITERS; i++) {
		EXPECT_EQ(0, child_status(pids[i]));
		EXPECT_EQ(rt ? NWAITERS - 1 - i : i, order[i])
			TH_LOG("post %d woke waiter %d", i, order[i]);
	}
	close(p[0]);
	EXPECT_EQ(NWAITERS, sem_sys(name, "waits"));
	EXPECT_EQ(0, kipc_sem_close(s));
	EXPECT_EQ(0, kipc_sem_unlink(name));
}

TEST(fairness_fifo)
{
	KIPC_REQUIRE_MODULE(_metadata);
	fairness(_metadata, 0);
}

TEST(fairness_realtime_priority)
{
	struct sched_param sp = { .sched_priority = 1 };

	KIPC_REQUIRE_MODULE(_metadata);
	KIPC_REQUIRE_ROOT(_metadata);
	if (sched_setscheduler(0, SCHED_FIFO, &sp))
		SKIP(return, "cannot use SCHED_FIFO: %s", strerror(errno));
	sp.sched_priority = 0;
	sched_setscheduler(0, SCHED_OTHER, &sp);
	fairness(_metadata, 1);
}

TEST(waiter_pids)
{
	char name[64], path[256], line[256], want[64];
	pid_t a, b;
	kipc_sem_t *s;
	FILE *f;

	KIPC_REQUIRE_MODULE(_metadata);
	kipc_test_name(name, sizeof(name), "pids");
	s = kipc_sem_open(name, O_CREAT | O_EXCL, 0600, 0);
	ASSERT_NE(KIPC_SEM_FAILED, s);
	a = fork();
	ASSERT_LE(0, a);
	if (!a)
		_exit(kipc_sem_wait(s));
	ASSERT_EQ(0, sem_wait_waiters(name, 1));
	b = fork();
	ASSERT_LE(0, b);
	if (!b)
		_exit(kipc_sem_wait(s));
	ASSERT_EQ(0, sem_wait_waiters(name, 2));
	/* getvalue stays 0 with waiters, never negative */
	{
		int v = -1;

		EXPECT_EQ(0, kipc_sem_getvalue(s, &v));
		EXPECT_EQ(0, v);
	}
	snprintf(path, sizeof(path), SEM_SYSFS "/%s/waiter_pids", name);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(line, sizeof(line), f));
	fclose(f);
	snprintf(want, sizeof(want), "%d %d\n", (int)a, (int)b);
	EXPECT_STREQ(want, line);
	EXPECT_EQ(0, kipc_sem_post(s));
	EXPECT_EQ(0, kipc_sem_post(s));
	EXPECT_EQ(0, child_status(a));
	EXPECT_EQ(0, child_status(b));
	EXPECT_EQ(0, sem_sys(name, "waiters"));
	EXPECT_EQ(0, kipc_sem_close(s));
	EXPECT_EQ(0, kipc_sem_unlink(name));
}

/* ---- robust holders -------------------------------------------------------- */

/* A child opens with undo, takes @n units, reports, and sleeps. */
static pid_t holder(const char *name, int undo, int n)
{
	int p[2], i;
	pid_t pid;
	char c;

	if (pipe(p))
		return -1;
	pid = fork();
	if (!pid) {
		kipc_sem_t *h = kipc_sem_open(name, undo ? KIPC_SEM_UNDO : 0);

		close(p[0]);
		if (!h)
			_exit(1);
		for (i = 0; i < n; i++)
			if (kipc_sem_wait(h))
				_exit(2);
		if (write(p[1], "h", 1) != 1)
			_exit(3);
		pause();
		_exit(0);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &c, 1) != 1) {
		reap(pid);
		pid = -1;
	}
	close(p[0]);
	return pid;
}

TEST(undo_holder_killed_waiter_told)
{
	struct timespec ts;
	char name[64];
	kipc_sem_t *s;
	pid_t h, w;
	int st;

	KIPC_REQUIRE_MODULE(_metadata);
	kipc_test_name(name, sizeof(name), "undo");
	s = kipc_sem_open(name, O_CREAT | O_EXCL, 0600, 1);
	ASSERT_NE(KIPC_SEM_FAILED, s);
	h = holder(name, 1, 1);
	ASSERT_LT(0, h);
	EXPECT_EQ(0, sem_sys(name, "value"));
	w = fork();
	ASSERT_LE(0, w);
	if (!w) {
		ts = ts_of(ns_now(CLOCK_MONOTONIC) + 20000000000LL);
		st = kipc_sem_clockwait(s, CLOCK_MONOTONIC, &ts);
		_exit(st == -1 && errno == EOWNERDEAD ? 0 : 1);
	}
	ASSERT_EQ(0, sem_wait_waiters(name, 1));
	reap(h);
	EXPECT_EQ(0, child_status(w));
	EXPECT_EQ(0, sem_sys(name, "waiters"));
	EXPECT_EQ(0, sem_sys(name, "value"));	/* the waiter holds it */
	EXPECT_EQ(1, sem_sys(name, "undo_returned"));
	EXPECT_EQ(1, sem_sys(name, "owner_dead"));
	EXPECT_EQ(0, kipc_sem_close(s));
	EXPECT_EQ(0, kipc_sem_unlink(name));
}

TEST(undo_units_return_to_value)
{
	char name[64];
	kipc_sem_t *s;
	pid_t h;
	int v = -1;

	KIPC_REQUIRE_MODULE(_metadata);
	kipc_test_name(name, sizeof(name), "undov");
	s = kipc_sem_open(name, O_CREAT | O_EXCL, 0600, 3);
	ASSERT_NE(KIPC_SEM_FAILED, s);
	h = holder(name, 1, 2);
	ASSERT_LT(0, h);
	EXPECT_EQ(1, sem_sys(name, "value"));
	reap(h);
	ASSERT_EQ(0, kipc_sem_getvalue(s, &v));
	EXPECT_EQ(3, v);
	/* the two returned units are flagged, whichever order */
	EXPECT_EQ(-1, kipc_sem_trywait(s));
	EXPECT_EQ(EOWNERDEAD, errno);
	EXPECT_EQ(-1, kipc_sem_wait(s));
	EXPECT_EQ(EOWNERDEAD, errno);
	EXPECT_EQ(0, kipc_sem_trywait(s));
	EXPECT_EQ(-1, kipc_sem_trywait(s));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(2, sem_sys(name, "owner_dead"));
	EXPECT_EQ(0, kipc_sem_close(s));
	EXPECT_EQ(0, kipc_sem_unlink(name));
}

TEST(no_undo_unit_lost)
{
	struct timespec ts;
	char name[64];
	kipc_sem_t *s;
	pid_t h;

	KIPC_REQUIRE_MODULE(_metadata);
	kipc_test_name(name, sizeof(name), "noundo");
	s = kipc_sem_open(name, O_CREAT | O_EXCL, 0600, 1);
	ASSERT_NE(KIPC_SEM_FAILED, s);
	h = holder(name, 0, 1);
	ASSERT_LT(0, h);
	reap(h);
	/* POSIX: the dead holder's unit is gone */
	ts = ts_of(ns_now(CLOCK_REALTIME) + 200000000);
	EXPECT_EQ(-1, kipc_sem_timedwait(s, &ts));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_EQ(0, sem_sys(name, "value"));
	EXPECT_EQ(0, sem_sys(name, "undo_returned"));
	EXPECT_EQ(0, kipc_sem_close(s));
	EXPECT_EQ(0, kipc_sem_unlink(name));
}

/* Undo is per open file: a forked child shares it with its parent. */
TEST(undo_shared_after_fork)
{
	char name[64];
	kipc_sem_t *s, *u;
	pid_t pid;

	KIPC_REQUIRE_MODULE(_metadata);
	kipc_test_name(name, sizeof(name), "undof");
	s = kipc_sem_open(name, O_CREAT | O_EXCL, 0600, 1);
	ASSERT_NE(KIPC_SEM_FAILED, s);
	u = kipc_sem_open(name, KIPC_SEM_UNDO);
	ASSERT_NE(KIPC_SEM_FAILED, u);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(kipc_sem_wait(u) ? 1 : 0);
	EXPECT_EQ(0, child_status(pid));
	/* the child is gone but the handle lives on in the parent */
	EXPECT_EQ(0, sem_sys(name, "value"));
	EXPECT_EQ(0, kipc_sem_close(u));
	EXPECT_EQ(1, sem_sys(name, "value"));
	EXPECT_EQ(1, sem_sys(name, "undo_returned"));
	EXPECT_EQ(0, kipc_sem_close(s));
	EXPECT_EQ(0, kipc_sem_unlink(name));
}

/* Posts through an undo handle beyond what it took are ordinary posts. */
TEST(undo_posts_beyond_taken)
{
	char name[64];
	kipc_sem_t *u;
	int v = -1;

	KIPC_REQUIRE_MODULE(_metadata);
	kipc_test_name(name, sizeof(name), "undop");
	u = kipc_sem_open(name, O_CREAT | O_EXCL | KIPC_SEM_UNDO, 0600, 0);
	ASSERT_NE(KIPC_SEM_FAILED, u);
	EXPECT_EQ(0, kipc_sem_post(u));
	EXPECT_EQ(0, kipc_sem_post(u));
	EXPECT_EQ(0, kipc_sem_wait(u));		/* holds 1 */
	EXPECT_EQ(0, kipc_sem_post(u));		/* holds 0 */
	EXPECT_EQ(0, kipc_sem_post(u));		/* still 0 */
	EXPECT_EQ(0, kipc_sem_close(u));
	u = kipc_sem_open(name, 0);
	ASSERT_NE(KIPC_SEM_FAILED, u);
	ASSERT_EQ(0, kipc_sem_getvalue(u, &v));
	EXPECT_EQ(3, v);
	EXPECT_EQ(0, sem_sys(name, "undo_returned"));
	EXPECT_EQ(0, kipc_sem_trywait(u));	/* not flagged */
	EXPECT_EQ(0, kipc_sem_close(u));
	EXPECT_EQ(0, kipc_sem_unlink(name));
}

TEST_HARNESS_MAIN
