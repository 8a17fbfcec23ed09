// SPDX-License-Identifier: GPL-2.0
/*
 * Named message queues: every documented errno (as root and as uid 65534),
 * priority order and FIFO, unlink while open and name reuse, poll and
 * epoll, batching, notification, timeouts that never fire early, EINTR
 * and restarts, limits, and a process killed while blocked.
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <time.h>
#include "../kselftest_harness.h"
#include "kipc_test.h"
#include "kipc.h"

#define MQ_SYS	KIPC_SYSFS "/mq"
#define LIMITS	KIPC_SYSFS "/limits"

static char *qname(char *buf, size_t len, const char *tag)
{
	static int seq;

	snprintf(buf, len, "/t-mq-%s-%d-%d", tag, (int)getpid(), seq++);
	return buf;
}

/* A queue created fresh (O_EXCL) with the given attributes. */
static int mkq(const char *name, int oflag, long maxmsg, long msgsize)
{
	struct mq_attr a = { .mq_maxmsg = maxmsg, .mq_msgsize = msgsize };

	return kipc_mq_open(name, oflag | O_CREAT | O_EXCL, 0600, &a);
}

static unsigned long long qstat(const char *name, const char *file)
{
	return kipc_sysfs_u64(MQ_SYS "/%s/%s", name + 1, file);
}

static void ts_add_ns(struct timespec *ts, long long ns)
{
	long long t = ts->tv_nsec + ns;

	ts->tv_sec += t / 1000000000LL;
	t %= 1000000000LL;
	if (t < 0) {
		t += 1000000000LL;
		ts->tv_sec--;
	}
	ts->tv_nsec = t;
}

static long long ts_diff_ns(const struct timespec *a, const struct timespec *b)
{
	return (a->tv_sec - b->tv_sec) * 1000000000LL + a->tv_nsec - b->tv_nsec;
}

/* ---- The errno matrix ---------------------------------------------------- */

struct matrix {
	int cases;
	int bad;
};

#define CASE(m, expr, err)						\
	do {								\
		long _r;						\
		errno = 0;						\
		_r = (long)(expr);					\
		(m)->cases++;						\
		if (_r != -1 || errno != (err)) {			\
			(m)->bad++;					\
			printf("# line %d: %s = %ld, errno %s, want %s\n", \
			       __LINE__, #expr, _r, strerror(errno),	\
			       strerror(err));				\
		}							\
	} while (0)

#define CASE_OK(m, expr)						\
	do {								\
		long _r;						\
		errno = 0;						\
		_r = (long)(expr);					\
		(m)->cases++;						\
		if (_r < 0) {						\
			(m)->bad++;					\
			printf("# line %d: %s failed: %s\n", __LINE__,	\
			       #expr, strerror(errno));			\
		}							\
	} while (0)

static int raw_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg);
}

/*
 * Every errno of the queue calls, provoked on purpose.  Runs as whoever
 * calls it; returns the number of cases that went wrong (0: all good).
 */
static int errno_matrix(void *unused)
{
	char n[64], n2[64], big[8192], longname[300];
	struct mq_attr a, old;
	struct timespec past = { 0, 0 }, badts = { 0, 2000000000L };
	struct sigevent sev;
	struct kipc_mq_send s;
	struct kipc_mq_notify kn;
	struct kipc_msg v[3];
	struct matrix m = { 0, 0 };
	unsigned int prio;
	int fd, ro, wo, nb, pfd[2], null, unbound;

	(void)unused;
	memset(big, 'x', sizeof(big));
	qname(n, sizeof(n), "errno");
	qname(n2, sizeof(n2), "errno");

	/* names */
	CASE(&m, kipc_mq_open("/", O_RDWR | O_CREAT, 0600, NULL), EINVAL);
	CASE(&m, kipc_mq_open("/a b", O_RDWR | O_CREAT, 0600, NULL), EINVAL);
	CASE(&m, kipc_mq_open("/a/b", O_RDWR | O_CREAT, 0600, NULL), EINVAL);
	CASE(&m, kipc_mq_open("/a\tb", O_RDWR | O_CREAT, 0600, NULL), EINVAL);
	CASE(&m, kipc_mq_open("/..", O_RDWR | O_CREAT, 0600, NULL), EINVAL);
	memset(longname, 'n', sizeof(longname));
	longname[0] = '/';
	longname[257] = '\0';		/* 256 characters after the '/' */
	CASE(&m, kipc_mq_open(longname, O_RDWR | O_CREAT, 0600, NULL),
	     ENAMETOOLONG);
	longname[256] = '\0';		/* 255: fine, but absent */
	CASE(&m, kipc_mq_open(longname, O_RDWR), ENOENT);

	/* open flags and attributes */
	CASE(&m, kipc_mq_open(n, O_RDWR), ENOENT);
	CASE(&m, kipc_mq_open(n, O_RDWR | O_WRONLY | O_CREAT, 0600, NULL),
	     EINVAL);
	CASE(&m, mkq(n, O_RDWR, 0, 16), EINVAL);
	CASE(&m, mkq(n, O_RDWR, 4, 0), EINVAL);
	CASE(&m, mkq(n, O_RDWR, -1, 16), EINVAL);
	CASE(&m, mkq(n, O_RDWR, 4, -5), EINVAL);
	CASE(&m, mkq(n, O_RDWR, kipc_sysfs_u64(LIMITS "/mq_maxmsg_max") + 1,
		     16), EINVAL);
	CASE(&m, mkq(n, O_RDWR, 4,
		     kipc_sysfs_u64(LIMITS "/mq_msgsize_max") + 1), EINVAL);
	CASE(&m, mkq(n, O_RDWR, 0x7fffffffffffffffL, 0x7fffffffffffffffL),
	     EINVAL);
	fd = mkq(n, O_RDWR, 2, 16);
	m.cases++;
	if (fd < 0) {
		printf("# cannot create %s: %s\n", n, strerror(errno));
		return m.bad + 1;
	}
	CASE(&m, mkq(n, O_RDWR, 2, 16), EEXIST);
	CASE_OK(&m, kipc_mq_open(n, O_RDWR | O_CREAT, 0600, NULL));
	ro = kipc_mq_open(n, O_RDONLY);
	wo = kipc_mq_open(n, O_WRONLY);
	nb = kipc_mq_open(n, O_RDWR | O_NONBLOCK);
	m.cases++;
	if (ro < 0 || wo < 0 || nb < 0) {
		printf("# reopen failed: %s\n", strerror(errno));
		return m.bad + 1;
	}

	/* access mode */
	CASE(&m, kipc_mq_send(ro, "x", 1, 0), EBADF);
	CASE(&m, kipc_mq_receive(wo, big, 16, &prio), EBADF);
	CASE(&m, write(ro, "x", 1), EBADF);
	CASE(&m, read(wo, big, 16), EBADF);
	v[0] = (struct kipc_msg){ big, 1, 0 };
	CASE(&m, kipc_mq_sendv(ro, v, 1), EBADF);
	v[0].len = 16;
	CASE(&m, kipc_mq_receivev(wo, v, 1), EBADF);

	/* priority and sizes */
	CASE(&m, kipc_mq_send(fd, "x", 1, 32768), EINVAL);
	CASE(&m, kipc_mq_send(fd, "x", 1, ~0U), EINVAL);
	CASE(&m, kipc_mq_send(fd, big, 17, 0), EMSGSIZE);
	CASE(&m, write(fd, big, 17), EMSGSIZE);
	CASE(&m, kipc_mq_receive(fd, big, 15, &prio), EMSGSIZE);
	CASE(&m, read(fd, big, 15), EMSGSIZE);

	/* empty, non-blocking; bad and past times */
	CASE(&m, kipc_mq_receive(nb, big, 16, &prio), EAGAIN);
	CASE(&m, read(nb, big, 16), EAGAIN);
	CASE(&m, kipc_mq_timedreceive(fd, big, 16, &prio, &badts), EINVAL);
	badts.tv_nsec = -1;
	CASE(&m, kipc_mq_timedreceive(fd, big, 16, &prio, &badts), EINVAL);
	CASE(&m, kipc_mq_timedreceive(fd, big, 16, &prio, &past), ETIMEDOUT);
	CASE(&m, kipc_mq_clockreceive(fd, big, 16, &prio, CLOCK_MONOTONIC,
				      &past), ETIMEDOUT);
	CASE(&m, kipc_mq_clockreceive(fd, big, 16, &prio, CLOCK_BOOTTIME,
				      &past), EINVAL);

	/* full */
	CASE_OK(&m, kipc_mq_send(fd, "a", 1, 0));
	CASE_OK(&m, kipc_mq_timedsend(fd, "b", 1, 0, &badts)); /* no wait */
	CASE(&m, kipc_mq_send(nb, "c", 1, 0), EAGAIN);
	CASE(&m, write(nb, "c", 1), EAGAIN);
	CASE(&m, kipc_mq_timedsend(fd, "c", 1, 0, &badts), EINVAL);
	CASE(&m, kipc_mq_timedsend(fd, "c", 1, 0, &past), ETIMEDOUT);
	v[0] = (struct kipc_msg){ big, 1, 0 };
	CASE(&m, kipc_mq_sendv(nb, v, 1), EAGAIN);
	CASE_OK(&m, kipc_mq_timedreceive(fd, big, 16, &prio, &badts));
	CASE_OK(&m, kipc_mq_receive(fd, big, 16, &prio));

	/* batches: bad entries move nothing */
	v[0] = (struct kipc_msg){ big, 1, 0 };
	v[1] = (struct kipc_msg){ big, 1, 40000 };
	CASE(&m, kipc_mq_sendv(fd, v, 2), EINVAL);
	v[1] = (struct kipc_msg){ big, 17, 0 };
	CASE(&m, kipc_mq_sendv(fd, v, 2), EMSGSIZE);
	CASE(&m, kipc_mq_sendv(fd, v, 0), EINVAL);
	CASE(&m, kipc_mq_sendv(fd, v, 257), EINVAL);
	v[0] = (struct kipc_msg){ big, 16, 0 };
	v[1] = (struct kipc_msg){ big, 15, 0 };
	CASE(&m, kipc_mq_receivev(nb, v, 2), EMSGSIZE);
	CASE(&m, kipc_mq_receivev(nb, v, 1), EAGAIN);
	CASE_OK(&m, qstat(n, "curmsgs") == 0 ? 0 : -1);

	/* attributes and notification arguments */
	a.mq_flags = O_NONBLOCK | O_APPEND;
	CASE(&m, kipc_mq_setattr(fd, &a, &old), EINVAL);
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = 0;
	CASE(&m, kipc_mq_notify(fd, &sev), EINVAL);
	sev.sigev_signo = 65;
	CASE(&m, kipc_mq_notify(fd, &sev), EINVAL);
	sev.sigev_notify = SIGEV_THREAD;
	CASE(&m, kipc_mq_notify(fd, &sev), EINVAL);
	sev.sigev_notify = 12345;
	CASE(&m, kipc_mq_notify(fd, &sev), EINVAL);
	sev.sigev_notify = SIGEV_NONE;
	CASE_OK(&m, kipc_mq_notify(fd, &sev));
	CASE(&m, kipc_mq_notify(ro, &sev), EBUSY);
	CASE_OK(&m, kipc_mq_notify(fd, NULL));

	/* raw ABI: padding, unknown commands, bad pointers */
	memset(&s, 0, sizeof(s));
	s.buf = (uintptr_t)"x";
	s.len = 1;
	s.__pad = 1;
	CASE(&m, raw_ioctl(fd, KIPC_MQ_IOC_SEND, &s), EINVAL);
	s.__pad = 0;
	s.timeout.clock = 7;
	CASE(&m, raw_ioctl(fd, KIPC_MQ_IOC_SEND, &s), EINVAL);
	s.timeout.clock = 0;
	s.buf = 8;
	CASE(&m, raw_ioctl(fd, KIPC_MQ_IOC_SEND, &s), EFAULT);
	CASE(&m, raw_ioctl(fd, KIPC_MQ_IOC_SEND, (void *)8), EFAULT);
	memset(&kn, 0, sizeof(kn));
	kn.notify = 9;
	CASE(&m, raw_ioctl(fd, KIPC_MQ_IOC_NOTIFY, &kn), EINVAL);
	CASE(&m, raw_ioctl(fd, _IO(KIPC_IOC_MAGIC, 0x2f), NULL), ENOTTY);
	CASE(&m, raw_ioctl(fd, _IOW(KIPC_IOC_MAGIC, 0x10, int), NULL), ENOTTY);

	/* descriptors that are not queues */
	if (pipe(pfd))
		return m.bad + 1;
	null = open("/dev/null", O_RDWR);
	unbound = open(KIPC_DEVICE, O_RDWR);
	CASE(&m, kipc_mq_send(pfd[1], "x", 1, 0), EBADF);
	CASE(&m, kipc_mq_receive(pfd[0], big, 16, &prio), EBADF);
	CASE(&m, kipc_mq_getattr(null, &a), EBADF);
	CASE(&m, kipc_mq_getattr(unbound, &a), EBADF);
	CASE(&m, kipc_mq_send(unbound, "x", 1, 0), EBADF);
	CASE(&m, kipc_mq_notify(unbound, NULL), EBADF);
	CASE(&m, kipc_mq_setattr(null, &a, NULL), EBADF);
	CASE(&m, kipc_mq_close(null), EBADF);
	CASE(&m, kipc_mq_close(unbound), EBADF);
	CASE(&m, kipc_mq_close(-1), EBADF);
	CASE(&m, kipc_mq_send(12345, "x", 1, 0), EBADF);
	close(pfd[0]);
	close(pfd[1]);
	close(null);
	close(unbound);

	/* unlink */
	CASE(&m, kipc_mq_unlink(n2), ENOENT);
	CASE(&m, kipc_mq_unlink("/a b"), EINVAL);
	CASE(&m, kipc_mq_unlink(longname), ENOENT);
	CASE_OK(&m, kipc_mq_unlink(n));
	CASE(&m, kipc_mq_unlink(n), ENOENT);

	CASE_OK(&m, kipc_mq_close(fd));
	close(ro);
	close(wo);
	close(nb);
	printf("# errno matrix as uid %d: %d of %d cases as documented\n",
	       (int)getuid(), m.cases - m.bad, m.cases);
	return m.bad > 250 ? 250 : m.bad;
}

TEST(errno_matrix_root)
{
	KIPC_REQUIRE_MODULE(_metadata);
	ASSERT_EQ(0, errno_matrix(NULL));
}

TEST(errno_matrix_nobody)
{
	KIPC_REQUIRE_MODULE(_metadata);
	KIPC_REQUIRE_ROOT(_metadata);
	ASSERT_EQ(0, kipc_as_nobody(errno_matrix, NULL));
}

/* ---- Permissions ----------------------------------------------------- */

struct perm_args {
	const char *name;
	int want_ro, want_wo, want_unlink;
};

static int perm_child(void *p)
{
	struct perm_args *a = p;
	int fd, bad = 0;

	fd = kipc_mq_open(a->name, O_RDONLY);
	if (fd >= 0)
		close(fd);
	bad += (fd < 0 ? errno : 0) != a->want_ro;
	fd = kipc_mq_open(a->name, O_WRONLY);
	if (fd >= 0)
		close(fd);
	bad += (fd < 0 ? errno : 0) != a->want_wo;
	/* EEXIST comes before permission, as for mq_open */
	fd = kipc_mq_open(a->name, O_RDONLY | O_CREAT | O_EXCL, 0600, NULL);
	bad += !(fd < 0 && errno == EEXIST);
	bad += (kipc_mq_unlink(a->name) ? errno : 0) != a->want_unlink;
	return bad;
}

TEST(permissions)
{
	char n[64], path[512];
	struct perm_args a;
	mode_t um;
	int fd;

	KIPC_REQUIRE_MODULE(_metadata);
	KIPC_REQUIRE_ROOT(_metadata);
	qname(n, sizeof(n), "perm");
	/* owner only: nobody may do nothing */
	fd = kipc_mq_open(n, O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
	ASSERT_LE(0, fd);
	a = (struct perm_args){ n, EACCES, EACCES, EACCES };
	EXPECT_EQ(0, kipc_as_nobody(perm_child, &a));
	EXPECT_EQ(0, kipc_mq_unlink(n));
	close(fd);

	/* umask applies; 0644 after umask 022: nobody reads, cannot write */
	um = umask(022);
	fd = kipc_mq_open(n, O_RDWR | O_CREAT | O_EXCL, 0666, NULL);
	umask(um);
	ASSERT_LE(0, fd);
	snprintf(path, sizeof(path), MQ_SYS "/%s/mode", n + 1);
	{
		FILE *f = fopen(path, "r");
		unsigned int mode = 0;

		ASSERT_NE(NULL, f);
		ASSERT_EQ(1, fscanf(f, "%o", &mode));
		fclose(f);
		EXPECT_EQ(0644, mode);
	}
	EXPECT_EQ(0, qstat(n, "owner"));
	a = (struct perm_args){ n, 0, EACCES, EACCES };
	EXPECT_EQ(0, kipc_as_nobody(perm_child, &a));
	/* world-writable: nobody may write but still not unlink */
	EXPECT_EQ(0, kipc_mq_unlink(n));
	close(fd);
	um = umask(0);
	fd = kipc_mq_open(n, O_RDWR | O_CREAT | O_EXCL, 0666, NULL);
	umask(um);
	ASSERT_LE(0, fd);
	a = (struct perm_args){ n, 0, 0, EACCES };
	EXPECT_EQ(0, kipc_as_nobody(perm_child, &a));
	close(fd);
	EXPECT_EQ(0, kipc_mq_unlink(n));
}

static int nobody_owns(void *p)
{
	const char *n = p;
	int fd = kipc_mq_open(n, O_RDWR | O_CREAT | O_EXCL, 0600, NULL);

	if (fd < 0)
		return 1;
	if (qstat(n, "owner") != KIPC_NOBODY)
		return 2;
	close(fd);
	return 0;
}

TEST(owner_and_root_unlink)
{
	char n[64];

	KIPC_REQUIRE_MODULE(_metadata);
	KIPC_REQUIRE_ROOT(_metadata);
	qname(n, sizeof(n), "own");
	ASSERT_EQ(0, kipc_as_nobody(nobody_owns, n));
	/* root has CAP_IPC_OWNER: may unlink another user's queue */
	EXPECT_EQ(0, kipc_mq_unlink(n));
}

/* ---- Order, lifetime, descriptors ------------------------------------ */

TEST(priority_order_and_fifo)
{
	static const unsigned int prios[] = { 0, 5, 32767, 5, 0, 100, 5, 32767,
					      1, 0, 100, 7 };
	unsigned int i, j, got, last_prio = ~0U, n_msgs = 12;
	static int seq_of[KIPC_MQ_PRIO_MAX + 1];
	char n[64], buf[64];
	int fd, seen[12] = { 0 };
	ssize_t len;

	KIPC_REQUIRE_MODULE(_metadata);
	fd = mkq(qname(n, sizeof(n), "prio"), O_RDWR, 16, 64);
	ASSERT_LE(0, fd);
	for (i = 0; i < n_msgs; i++) {
		snprintf(buf, sizeof(buf), "m%u", i);
		ASSERT_EQ(0, kipc_mq_send(fd, buf, strlen(buf), prios[i]));
	}
	EXPECT_EQ(n_msgs, qstat(n, "curmsgs"));
	memset(seq_of, -1, sizeof(seq_of));
	for (i = 0; i < n_msgs; i++) {
		len = kipc_mq_receive(fd, buf, sizeof(buf), &got);
		ASSERT_LT(0, len);
		buf[len] = '\0';
		j = atoi(buf + 1);
		ASSERT_LT(j, n_msgs);
		EXPECT_EQ(prios[j], got);
		EXPECT_EQ(0, seen[j]);
		seen[j] = 1;
		/* highest first; within one priority, in sending order */
		EXPECT_LE(got, last_prio);
		if (got == last_prio)
			EXPECT_LT(seq_of[got], (int)j);
		seq_of[got] = j;
		last_prio = got;
	}
	EXPECT_EQ(0, qstat(n, "curmsgs"));
	EXPECT_EQ(n_msgs, qstat(n, "sent"));
	EXPECT_EQ(n_msgs, qstat(n, "received"));
	EXPECT_EQ(n_msgs, qstat(n, "peak"));
	EXPECT_EQ(0, kipc_mq_unlink(n));
	close(fd);
}

/*
 * Buffers are recycled between messages (small queues always, large ones
 * for messages over half of msgsize) and large ones come from vmalloc:
 * every length and byte must still come back exactly, and nothing past a
 * message's length may be written into the receiver's buffer.
 */
TEST(recycled_and_large_buffers_keep_every_byte)
{
	static const size_t lens[] = { 65536, 100, 40000, 0, 65536, 1, 32769,
				       32768, 65535, 7 };
	static char out[65536 + 64], in[65536 + 64];
	unsigned int round, i, prio;
	char n[64], n2[64];
	int fd, small;
	ssize_t got;
	size_t k;

	KIPC_REQUIRE_MODULE(_metadata);
	fd = mkq(qname(n, sizeof(n), "large"), O_RDWR, 4, 65536);
	ASSERT_LE(0, fd);
	small = mkq(qname(n2, sizeof(n2), "small"), O_RDWR, 4, 64);
	ASSERT_LE(0, small);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			for (k = 0; k < lens[i]; k++)
				out[k] = (char)(k * 7 + i + round * 13);
			ASSERT_EQ(0, kipc_mq_send(fd, out, lens[i], i));
			memset(in, 0x5a, sizeof(in));
			got = kipc_mq_receive(fd, in, 65536 + 64, &prio);
			ASSERT_EQ((ssize_t)lens[i], got);
			EXPECT_EQ(i, prio);
			EXPECT_EQ(0, memcmp(in, out, lens[i]));
			/* not one byte past the message */
			EXPECT_EQ(0x5a, (unsigned char)in[lens[i]]);
			EXPECT_EQ(0x5a, (unsigned char)in[65536 + 63]);
		}
		/* a full small queue, then shorter messages in its buffers */
		for (i = 0; i < 4; i++) {
			memset(out, 'A' + i, 64);
			ASSERT_EQ(0, kipc_mq_send(small, out, round ? 3 : 64, 0));
		}
		for (i = 0; i < 4; i++) {
			memset(in, 0, 64);
			got = kipc_mq_receive(small, in, 64, NULL);
			ASSERT_EQ(round ? 3 : 64, got);
			EXPECT_EQ('A' + (int)i, in[0]);
			EXPECT_EQ('A' + (int)i, in[got - 1]);
			if (got < 64)
				EXPECT_EQ(0, in[got]);
		}
	}
	EXPECT_EQ(30, qstat(n, "sent"));
	EXPECT_EQ(30, qstat(n, "received"));
	EXPECT_EQ(12, qstat(n2, "received"));
	EXPECT_EQ(0, kipc_mq_unlink(n));
	EXPECT_EQ(0, kipc_mq_unlink(n2));
	close(fd);
	close(small);
}

TEST(unlink_while_open_and_name_reuse)
{
	char n[64], path[512], buf[32];
	unsigned long long id1, id2;
	unsigned int prio;
	struct stat st;
	int fd, fd2, fd3;

	KIPC_REQUIRE_MODULE(_metadata);
	fd = mkq(qname(n, sizeof(n), "unl"), O_RDWR, 4, 32);
	ASSERT_LE(0, fd);
	fd2 = kipc_mq_open(n, O_RDWR);
	ASSERT_LE(0, fd2);
	EXPECT_EQ(2, qstat(n, "handles"));
	id1 = qstat(n, "id");
	ASSERT_EQ(0, kipc_mq_send(fd, "old", 3, 1));
	ASSERT_EQ(0, kipc_mq_unlink(n));
	snprintf(path, sizeof(path), MQ_SYS "/%s", n + 1);
	EXPECT_EQ(-1, stat(path, &st));
	EXPECT_EQ(-1, kipc_mq_open(n, O_RDWR));
	EXPECT_EQ(ENOENT, errno);

	/* the old queue still works through its open files */
	EXPECT_EQ(3, kipc_mq_receive(fd2, buf, sizeof(buf), &prio));
	EXPECT_EQ(0, kipc_mq_send(fd2, "old2", 4, 0));

	/* a new queue takes the name; it is a different queue */
	fd3 = mkq(n, O_RDWR, 4, 32);
	ASSERT_LE(0, fd3);
	id2 = qstat(n, "id");
	EXPECT_NE(id1, id2);
	EXPECT_EQ(0, qstat(n, "curmsgs"));
	EXPECT_EQ(0, kipc_mq_send(fd3, "new", 3, 0));
	EXPECT_EQ(4, kipc_mq_receive(fd, buf, sizeof(buf), &prio));
	EXPECT_EQ(0, memcmp(buf, "old2", 4));
	EXPECT_EQ(3, kipc_mq_receive(fd3, buf, sizeof(buf), &prio));
	EXPECT_EQ(0, memcmp(buf, "new", 3));
	close(fd);
	close(fd2);
	EXPECT_EQ(0, kipc_mq_unlink(n));
	close(fd3);
}

TEST(read_write_dup_fork_attr)
{
	struct mq_attr a, old;
	char n[64], buf[64];
	unsigned int prio;
	struct timespec ts;
	int fd, fd2, dfd, st;
	pid_t pid;

	KIPC_REQUIRE_MODULE(_metadata);
	fd = mkq(qname(n, sizeof(n), "rw"), O_RDWR, 8, 64);
	ASSERT_LE(0, fd);
	ASSERT_EQ(5, write(fd, "hello", 5));
	ASSERT_EQ(0, kipc_mq_send(fd, "x", 1, 9));
	EXPECT_EQ(1, read(fd, buf, sizeof(buf)));	/* priority 9 first */
	EXPECT_EQ(5, kipc_mq_receive(fd, buf, sizeof(buf), &prio));
	EXPECT_EQ(0, prio);

	/* dup and fork share the queue */
	dfd = dup(fd);
	ASSERT_LE(0, dfd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(kipc_mq_send(dfd, "child", 5, 3) ? 1 : 0);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_EQ(0, st);
	EXPECT_EQ(5, kipc_mq_receive(fd, buf, sizeof(buf), &prio));
	EXPECT_EQ(3, prio);

	/* attributes; O_NONBLOCK is per descriptor */
	ASSERT_EQ(0, kipc_mq_getattr(fd, &a));
	EXPECT_EQ(8, a.mq_maxmsg);
	EXPECT_EQ(64, a.mq_msgsize);
	EXPECT_EQ(0, a.mq_curmsgs);
	EXPECT_EQ(0, a.mq_flags);
	fd2 = kipc_mq_open(n, O_RDWR);
	ASSERT_LE(0, fd2);
	a.mq_flags = O_NONBLOCK;
	a.mq_maxmsg = 99;		/* ignored */
	ASSERT_EQ(0, kipc_mq_setattr(fd2, &a, &old));
	EXPECT_EQ(0, old.mq_flags);
	ASSERT_EQ(0, kipc_mq_getattr(fd2, &a));
	EXPECT_EQ(O_NONBLOCK, a.mq_flags);
	EXPECT_EQ(8, a.mq_maxmsg);
	EXPECT_EQ(-1, kipc_mq_receive(fd2, buf, sizeof(buf), &prio));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, kipc_mq_getattr(fd, &a));
	EXPECT_EQ(0, a.mq_flags);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts_add_ns(&ts, 20000000);
	EXPECT_EQ(-1, kipc_mq_clockreceive(fd, buf, sizeof(buf), &prio,
					   CLOCK_MONOTONIC, &ts));
	EXPECT_EQ(ETIMEDOUT, errno);
	a.mq_flags = 0;
	ASSERT_EQ(0, kipc_mq_setattr(fd2, &a, NULL));
	ASSERT_EQ(0, kipc_mq_getattr(fd2, &a));
	EXPECT_EQ(0, a.mq_flags);
	close(dfd);
	close(fd2);
	EXPECT_EQ(0, kipc_mq_unlink(n));
	EXPECT_EQ(0, kipc_mq_close(fd));
}

/* ---- poll and epoll --------------------------------------------------- */

TEST(poll_and_epoll)
{
	struct epoll_event ev, out;
	char n[64], buf[16];
	struct pollfd p;
	int fd, ep, st;
	pid_t pid;

	KIPC_REQUIRE_MODULE(_metadata);
	fd = mkq(qname(n, sizeof(n), "poll"), O_RDWR, 2, 16);
	ASSERT_LE(0, fd);
	p = (struct pollfd){ .fd = fd, .events = POLLIN | POLLOUT };
	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLOUT, p.revents);
	ASSERT_EQ(0, kipc_mq_send(fd, "a", 1, 0));
	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLIN | POLLOUT, p.revents);
	ASSERT_EQ(0, kipc_mq_send(fd, "b", 1, 0));
	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLIN, p.revents);
	EXPECT_EQ(1, kipc_mq_receive(fd, buf, sizeof(buf), NULL));
	EXPECT_EQ(1, kipc_mq_receive(fd, buf, sizeof(buf), NULL));

	/* a blocked poll is woken by a message from another process */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		usleep(100000);
		_exit(kipc_mq_send(fd, "c", 1, 0) ? 1 : 0);
	}
	p.events = POLLIN;
	EXPECT_EQ(1, poll(&p, 1, 10000));
	EXPECT_EQ(POLLIN, p.revents);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_EQ(0, st);

	/* epoll, edge-triggered: EPOLLOUT once room appears */
	ASSERT_EQ(0, kipc_mq_send(fd, "d", 1, 0));	/* now full */
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ev.events = EPOLLOUT | EPOLLET;
	ev.data.u32 = 7;
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	EXPECT_EQ(0, epoll_wait(ep, &out, 1, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		usleep(100000);
		_exit(kipc_mq_receive(fd, buf, sizeof(buf), NULL) == 1 ? 0 : 1);
	}
	ASSERT_EQ(1, epoll_wait(ep, &out, 1, 10000));
	EXPECT_EQ(7, out.data.u32);
	EXPECT_TRUE(out.events & EPOLLOUT);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_EQ(0, st);
	close(ep);
	EXPECT_EQ(0, kipc_mq_unlink(n));
	close(fd);
}

/* ---- Batching ---------------------------------------------------------- */

TEST(batching)
{
	char n[64], out[100][32], in[100][32];
	struct kipc_msg v[100];
	int fd, i, got;

	KIPC_REQUIRE_MODULE(_metadata);
	fd = mkq(qname(n, sizeof(n), "batch"), O_RDWR | O_NONBLOCK, 74, 32);
	ASSERT_LE(0, fd);
	for (i = 0; i < 64; i++) {
		snprintf(out[i], sizeof(out[i]), "msg-%d", i);
		v[i] = (struct kipc_msg){ out[i], strlen(out[i]) + 1, i % 3 };
	}
	ASSERT_EQ(64, kipc_mq_sendv(fd, v, 64));
	EXPECT_EQ(64, qstat(n, "curmsgs"));
	/* room for 10 more: a batch of 64 moves 10 */
	ASSERT_EQ(10, kipc_mq_sendv(fd, v, 64));
	EXPECT_EQ(74, qstat(n, "sent"));

	for (i = 0; i < 100; i++)
		v[i] = (struct kipc_msg){ in[i], sizeof(in[i]), 99 };
	got = kipc_mq_receivev(fd, v, 100);
	ASSERT_EQ(74, got);
	/* priority 2 first: messages 2, 5, ... 62, then 2, 5, 8 of round 2 */
	EXPECT_EQ(2, v[0].prio);
	EXPECT_STREQ("msg-2", (char *)v[0].buf);
	EXPECT_EQ(strlen("msg-2") + 1, v[0].len);
	EXPECT_EQ(0, v[73].prio);
	for (i = 1; i < got; i++)
		EXPECT_GE(v[i - 1].prio, v[i].prio);
	EXPECT_EQ(0, qstat(n, "curmsgs"));
	EXPECT_EQ(74, qstat(n, "received"));
	/* empty: the first message would block */
	for (i = 0; i < 4; i++)
		v[i].len = sizeof(in[i]);
	EXPECT_EQ(-1, kipc_mq_receivev(fd, v, 4));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, kipc_mq_unlink(n));
	close(fd);
}

/*
 * A batch receive whose buffer faults: the messages before it are
 * returned, the one that faulted is lost (counted as received, as with
 * the single command), the ones after it stay queued, first, in order.
 */
/*
 * Two threads batching on one file at once: one uses the file's batch
 * buffer, the other a buffer of its own; nothing may be lost, duplicated
 * or reordered within a sender, and a blocking batch send prepares more
 * than the free room without sending any of it twice.
 */
#define TWO_ROUNDS	200
#define TWO_BATCH	8

struct two_sender {
	int fd;
	int id;
	int err;
};

static void *two_send(void *arg)
{
	struct two_sender *t = arg;
	char out[TWO_BATCH][16];
	struct kipc_msg v[TWO_BATCH];
	int r, i, done;

	for (r = 0; r < TWO_ROUNDS; r++) {
		for (i = 0; i < TWO_BATCH; i++) {
			snprintf(out[i], sizeof(out[i]), "%d:%d", t->id,
				 r * TWO_BATCH + i);
			v[i] = (struct kipc_msg){ out[i], strlen(out[i]) + 1, 0 };
		}
		for (done = 0; done < TWO_BATCH; done += i) {
			i = kipc_mq_sendv(t->fd, v + done, TWO_BATCH - done);
			if (i <= 0) {
				t->err = errno;
				return NULL;
			}
		}
	}
	return NULL;
}

TEST(batches_from_two_threads_on_one_file)
{
	struct two_sender t[2];
	char n[64], in[TWO_BATCH][16];
	struct kipc_msg v[TWO_BATCH];
	int next[2] = { 0, 0 }, fd, rfd, got, i, id, seq, total = 0;
	pthread_t th[2];

	KIPC_REQUIRE_MODULE(_metadata);
	/* a small queue: the senders block and prepare ahead */
	fd = mkq(qname(n, sizeof(n), "two"), O_RDWR, 5, 16);
	ASSERT_LE(0, fd);
	rfd = kipc_mq_open(n, O_RDONLY);
	ASSERT_LE(0, rfd);
	for (i = 0; i < 2; i++) {
		t[i] = (struct two_sender){ fd, i, 0 };
		ASSERT_EQ(0, pthread_create(&th[i], NULL, two_send, &t[i]));
	}
	while (total < 2 * TWO_ROUNDS * TWO_BATCH) {
		for (i = 0; i < TWO_BATCH; i++)
			v[i] = (struct kipc_msg){ in[i], sizeof(in[i]), 0 };
		got = kipc_mq_receivev(rfd, v, TWO_BATCH);
		ASSERT_LT(0, got);
		for (i = 0; i < got; i++) {
			ASSERT_EQ(2, sscanf(in[i], "%d:%d", &id, &seq));
			ASSERT_TRUE(id == 0 || id == 1);
			/* each sender's messages in its order, none twice */
			ASSERT_EQ(next[id], seq);
			next[id]++;
		}
		total += got;
	}
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, pthread_join(th[i], NULL));
		EXPECT_EQ(0, t[i].err);
	}
	EXPECT_EQ(TWO_ROUNDS * TWO_BATCH, next[0]);
	EXPECT_EQ(TWO_ROUNDS * TWO_BATCH, next[1]);
	EXPECT_EQ(0, qstat(n, "curmsgs"));
	EXPECT_EQ(2 * TWO_ROUNDS * TWO_BATCH, qstat(n, "sent"));
	EXPECT_EQ(2 * TWO_ROUNDS * TWO_BATCH, qstat(n, "received"));
	EXPECT_EQ(0, kipc_mq_unlink(n));
	close(rfd);
	close(fd);
}

TEST(batch_receive_fault_keeps_the_rest)
{
	char n[64], in[5][32], buf[32];
	const char *out[5] = { "a", "b", "c", "d", "e" };
	struct kipc_msg v[5];
	unsigned int prio;
	int fd, i;

	KIPC_REQUIRE_MODULE(_metadata);
	fd = mkq(qname(n, sizeof(n), "bfault"), O_RDWR | O_NONBLOCK, 8, 32);
	ASSERT_LE(0, fd);
	for (i = 0; i < 5; i++)
		v[i] = (struct kipc_msg){ (void *)out[i], 2, i < 3 ? 1 : 0 };
	ASSERT_EQ(5, kipc_mq_sendv(fd, v, 5));
	for (i = 0; i < 5; i++)
		v[i] = (struct kipc_msg){ in[i], sizeof(in[i]), 99 };
	v[1].buf = (void *)8;	/* faults */
	/* a, then b faults; c, d, e go back */
	EXPECT_EQ(1, kipc_mq_receivev(fd, v, 5));
	EXPECT_STREQ("a", in[0]);
	EXPECT_EQ(1, v[0].prio);
	EXPECT_EQ(2, qstat(n, "received"));
	EXPECT_EQ(3, qstat(n, "curmsgs"));
	for (i = 2; i < 5; i++) {
		EXPECT_EQ(2, kipc_mq_receive(fd, buf, sizeof(buf), &prio));
		EXPECT_STREQ(out[i], buf);
		EXPECT_EQ(i < 3 ? 1 : 0, prio);
	}
	/* the first faults: EFAULT, and the message counts as received */
	v[0] = (struct kipc_msg){ (void *)out[0], 2, 0 };
	v[1] = (struct kipc_msg){ (void *)out[1], 2, 0 };
	ASSERT_EQ(2, kipc_mq_sendv(fd, v, 2));
	v[0] = (struct kipc_msg){ (void *)8, sizeof(in[0]), 0 };
	v[1] = (struct kipc_msg){ in[1], sizeof(in[1]), 0 };
	EXPECT_EQ(-1, kipc_mq_receivev(fd, v, 2));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(1, qstat(n, "curmsgs"));
	EXPECT_EQ(2, kipc_mq_receive(fd, buf, sizeof(buf), &prio));
	EXPECT_STREQ("b", buf);
	EXPECT_EQ(0, kipc_mq_unlink(n));
	close(fd);
}

/* ---- Notification ------------------------------------------------------- */

static volatile sig_atomic_t sig_count, sig_code, sig_pid;
static volatile void *sig_ptr;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	sig_count++;
	sig_code = si->si_code;
	sig_pid = si->si_pid;
	sig_ptr = si->si_value.sival_ptr;
}

static int try_register(void *p)
{
	struct sigevent sev = { .sigev_notify = SIGEV_NONE };
	int fd = kipc_mq_open(p, O_RDONLY);

	if (fd < 0)
		return 1;
	if (kipc_mq_notify(fd, &sev) != -1 || errno != EBUSY)
		return 2;
	/* mq_notify(NULL) from a process that is not registered: no-op */
	if (kipc_mq_notify(fd, NULL))
		return 3;
	return 0;
}

static void *blocked_receiver(void *p)
{
	char buf[32];

	return (void *)(long)kipc_mq_receive(*(int *)p, buf, sizeof(buf),
					     NULL);
}

TEST(notify)
{
	struct sigaction sa = { .sa_sigaction = on_sig,
				.sa_flags = SA_SIGINFO | SA_RESTART };
	struct sigevent sev;
	char n[64], buf[32];
	pthread_t th;
	void *ret;
	int fd, fd2, st, i;
	pid_t pid;

	KIPC_REQUIRE_MODULE(_metadata);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	fd = mkq(qname(n, sizeof(n), "ntf"), O_RDWR, 8, 32);
	ASSERT_LE(0, fd);
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR1;
	sev.sigev_value.sival_ptr = (void *)0x1234;
	ASSERT_EQ(0, kipc_mq_notify(fd, &sev));
	EXPECT_EQ(getpid(), (pid_t)qstat(n, "notify_pid"));
	EXPECT_EQ(-1, kipc_mq_notify(fd, &sev));
	EXPECT_EQ(EBUSY, errno);
	/* another process: EBUSY, and its NULL leaves ours alone */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(try_register(n));
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_EQ(0, WEXITSTATUS(st));
	EXPECT_EQ(getpid(), (pid_t)qstat(n, "notify_pid"));

	/* a message from another process into the empty queue: the signal */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(kipc_mq_send(fd, "a", 1, 0) ? 1 : 0);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	for (i = 0; i < 200 && !sig_count; i++)
		usleep(10000);
	EXPECT_EQ(1, sig_count);
	EXPECT_EQ(SI_MESGQ, sig_code);
	EXPECT_EQ(pid, sig_pid);
	EXPECT_EQ((void *)0x1234, sig_ptr);
	EXPECT_EQ(0, qstat(n, "notify_pid"));	/* one-shot */
	EXPECT_EQ(1, qstat(n, "notifies"));
	EXPECT_EQ(1, kipc_mq_receive(fd, buf, sizeof(buf), NULL));
	ASSERT_EQ(0, kipc_mq_send(fd, "b", 1, 0));
	usleep(50000);
	EXPECT_EQ(1, sig_count);
	EXPECT_EQ(1, kipc_mq_receive(fd, buf, sizeof(buf), NULL));

	/* a waiting receiver takes the message: no notification */
	ASSERT_EQ(0, kipc_mq_notify(fd, &sev));
	ASSERT_EQ(0, pthread_create(&th, NULL, blocked_receiver, &fd));
	for (i = 0; i < 500 && qstat(n, "blocked_receivers") != 1; i++)
		usleep(10000);
	ASSERT_EQ(1, qstat(n, "blocked_receivers"));
	ASSERT_EQ(0, kipc_mq_send(fd, "c", 1, 0));
	ASSERT_EQ(0, pthread_join(th, &ret));
	EXPECT_EQ(1, (long)ret);
	usleep(50000);
	EXPECT_EQ(1, sig_count);
	EXPECT_EQ(getpid(), (pid_t)qstat(n, "notify_pid"));

	/* only the registrant removes it; closing its descriptor does too */
	ASSERT_EQ(0, kipc_mq_notify(fd, NULL));
	EXPECT_EQ(0, qstat(n, "notify_pid"));
	fd2 = kipc_mq_open(n, O_RDWR);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, kipc_mq_notify(fd2, &sev));
	close(fd2);
	EXPECT_EQ(0, qstat(n, "notify_pid"));

	/* SIGEV_NONE: registers, fires without a signal, one-shot */
	sev.sigev_notify = SIGEV_NONE;
	ASSERT_EQ(0, kipc_mq_notify(fd, &sev));
	EXPECT_EQ(getpid(), (pid_t)qstat(n, "notify_pid"));
	ASSERT_EQ(0, kipc_mq_send(fd, "d", 1, 0));
	EXPECT_EQ(0, qstat(n, "notify_pid"));
	EXPECT_EQ(2, qstat(n, "notifies"));
	usleep(50000);
	EXPECT_EQ(1, sig_count);
	EXPECT_EQ(0, kipc_mq_unlink(n));
	close(fd);
}

/* ---- Timeouts and signals ----------------------------------------------- */

TEST(timeouts_never_early)
{
	static const clockid_t clocks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC };
	long long late, min_late = 1LL << 62, max_late = 0;
	struct timespec dl, now;
	char n[64], buf[16];
	unsigned long long before;
	int fd, c, i, round;

	KIPC_REQUIRE_MODULE(_metadata);
	fd = mkq(qname(n, sizeof(n), "tmo"), O_RDWR, 1, 16);
	ASSERT_LE(0, fd);
	before = qstat(n, "timeouts");
	for (round = 0; round < 2; round++) {	/* receive on empty, send on full */
		for (c = 0; c < 2; c++) {
			for (i = 0; i < 4; i++) {
				long ret;

				clock_gettime(clocks[c], &dl);
				ts_add_ns(&dl, 10000000LL * (i + 1));
				if (round)
					ret = kipc_mq_clocksend(fd, "y", 1, 0,
								clocks[c], &dl);
				else
					ret = kipc_mq_clockreceive(fd, buf, 16,
								   NULL,
								   clocks[c],
								   &dl);
				clock_gettime(clocks[c], &now);
				ASSERT_EQ(-1, ret);
				ASSERT_EQ(ETIMEDOUT, errno);
				late = ts_diff_ns(&now, &dl);
				EXPECT_LE(0, late) TH_LOG("woke %lld ns early", -late);
				if (late < min_late)
					min_late = late;
				if (late > max_late)
					max_late = late;
			}
		}
		if (!round)
			ASSERT_EQ(0, kipc_mq_send(fd, "x", 1, 0));
	}
	printf("# 16 timed waits, lateness min %lld us, max %lld us\n",
	       min_late / 1000, max_late / 1000);
	EXPECT_EQ(before + 16, qstat(n, "timeouts"));
	EXPECT_EQ(0, kipc_mq_unlink(n));
	close(fd);
}

TEST(expired_timeout_on_ready_queue_succeeds)
{
	struct timespec past = { 1, 0 }, bad = { -1, 5 };
	char n[64], buf[16];
	int fd;

	KIPC_REQUIRE_MODULE(_metadata);
	fd = mkq(qname(n, sizeof(n), "exp"), O_RDWR, 1, 16);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, kipc_mq_timedsend(fd, "a", 1, 0, &past));
	EXPECT_EQ(1, kipc_mq_clockreceive(fd, buf, 16, NULL, CLOCK_MONOTONIC,
					  &past));
	EXPECT_EQ(0, kipc_mq_clocksend(fd, "b", 1, 0, CLOCK_MONOTONIC, &bad));
	EXPECT_EQ(1, kipc_mq_timedreceive(fd, buf, 16, NULL, &bad));
	/* now the same calls would block: the time matters */
	EXPECT_EQ(-1, kipc_mq_timedreceive(fd, buf, 16, NULL, &bad));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, kipc_mq_timedreceive(fd, buf, 16, NULL, &past));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_EQ(0, kipc_mq_unlink(n));
	close(fd);
}

static void on_usr2(int sig)
{
	(void)sig;
}

/* Child: block in receive; exit with its errno (0 on success). */
static int blocked_child(const char *n, bool restart)
{
	struct sigaction sa = { .sa_handler = on_usr2 };
	char buf[16];
	int fd;

	sa.sa_flags = restart ? SA_RESTART : 0;
	sigaction(SIGUSR2, &sa, NULL);
	fd = kipc_mq_open(n, O_RDONLY);
	if (fd < 0)
		return 100;
	if (kipc_mq_receive(fd, buf, sizeof(buf), NULL) < 0)
		return errno;
	return 0;
}

static int wait_blocked(const char *n, const char *file, unsigned long long v)
{
	int i;

	for (i = 0; i < 1000; i++) {
		if (qstat(n, file) == v)
			return 0;
		usleep(10000);
	}
	return -1;
}

TEST(signal_interrupts_wait)
{
	unsigned long long intr;
	char n[64];
	int fd, st;
	pid_t pid;

	KIPC_REQUIRE_MODULE(_metadata);
	fd = mkq(qname(n, sizeof(n), "intr"), O_RDWR, 2, 16);
	ASSERT_LE(0, fd);
	intr = qstat(n, "interrupts");

	/* without SA_RESTART: EINTR */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(blocked_child(n, false));
	ASSERT_EQ(0, wait_blocked(n, "blocked_receivers", 1));
	kill(pid, SIGUSR2);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_EQ(EINTR, WEXITSTATUS(st));
	EXPECT_EQ(0, qstat(n, "blocked_receivers"));
	EXPECT_EQ(intr + 1, qstat(n, "interrupts"));

	/* with SA_RESTART: the call goes on and gets the message */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(blocked_child(n, true));
	ASSERT_EQ(0, wait_blocked(n, "blocked_receivers", 1));
	kill(pid, SIGUSR2);
	/* the wait ended (counted), then the call restarted and waits again */
	ASSERT_EQ(0, wait_blocked(n, "interrupts", intr + 2));
	ASSERT_EQ(0, wait_blocked(n, "blocked_receivers", 1));
	ASSERT_EQ(0, kipc_mq_send(fd, "z", 1, 0));
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_EQ(0, WEXITSTATUS(st));
	EXPECT_EQ(0, qstat(n, "curmsgs"));
	EXPECT_EQ(0, kipc_mq_unlink(n));
	close(fd);
}

TEST(killed_while_blocked_leaves_nothing)
{
	unsigned long long files;
	char n[64];
	pid_t rcv, snd;
	int fd, st;

	KIPC_REQUIRE_MODULE(_metadata);
	files = kipc_sysfs_u64(KIPC_SYSFS "/stats/files_open");
	fd = mkq(qname(n, sizeof(n), "kill"), O_RDWR, 1, 16);
	ASSERT_LE(0, fd);
	rcv = fork();
	ASSERT_LE(0, rcv);
	if (!rcv)
		_exit(blocked_child(n, false));
	ASSERT_EQ(0, wait_blocked(n, "blocked_receivers", 1));
	EXPECT_EQ(2, qstat(n, "handles"));
	kill(rcv, SIGKILL);
	ASSERT_EQ(rcv, waitpid(rcv, &st, 0));
	EXPECT_TRUE(WIFSIGNALED(st));
	EXPECT_EQ(0, qstat(n, "blocked_receivers"));
	EXPECT_EQ(1, qstat(n, "handles"));

	/* a sender blocked on a full queue, killed: its message is gone */
	ASSERT_EQ(0, kipc_mq_send(fd, "a", 1, 0));
	snd = fork();
	ASSERT_LE(0, snd);
	if (!snd)
		_exit(kipc_mq_send(fd, "b", 1, 0) ? errno : 0);
	ASSERT_EQ(0, wait_blocked(n, "blocked_senders", 1));
	kill(snd, SIGKILL);
	ASSERT_EQ(snd, waitpid(snd, &st, 0));
	EXPECT_TRUE(WIFSIGNALED(st));
	EXPECT_EQ(0, qstat(n, "blocked_senders"));
	EXPECT_EQ(1, qstat(n, "curmsgs"));
	EXPECT_EQ(1, qstat(n, "handles"));
	/* the queue still works */
	{
		char buf[16];

		EXPECT_EQ(1, kipc_mq_receive(fd, buf, sizeof(buf), NULL));
		EXPECT_EQ('a', buf[0]);
	}
	EXPECT_EQ(0, kipc_mq_unlink(n));
	close(fd);
	EXPECT_EQ(files, kipc_sysfs_u64(KIPC_SYSFS "/stats/files_open"));
}

/* ---- Limits -------------------------------------------------------------- */

static int write_limit(const char *file, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), LIMITS "/%s", file);
	return kipc_sysfs_write(path, val, strlen(val));
}

static unsigned long long limit(const char *file)
{
	return kipc_sysfs_u64(LIMITS "/%s", file);
}

struct lim_args {
	const char *name;
	long maxmsg, msgsize;
	int want;		/* errno, or 0 for success */
};

static int nobody_create(void *p)
{
	struct lim_args *a = p;
	int fd = mkq(a->name, O_RDWR, a->maxmsg, a->msgsize);
	int err = fd < 0 ? errno : 0;

	if (fd >= 0) {
		close(fd);
		kipc_mq_unlink(a->name);
	}
	if (err != a->want)
		printf("# create %ld x %ld as nobody: %s, want %s\n",
		       a->maxmsg, a->msgsize, strerror(err),
		       strerror(a->want));
	return err != a->want;
}

static int nobody_writes_limit(void *p)
{
	return write_limit(p, "1") == -EACCES ? 0 : 1;
}

static const char *const limit_files[] = {
	"mq_max", "mq_maxmsg_max", "mq_msgsize_max",
	"mq_maxmsg_default", "mq_msgsize_default",
	"mq_bytes_per_user",
};

/* The limits test changes global knobs: put them back even on failure. */
FIXTURE(mq_limits) {
	unsigned long long saved[6];
	bool have;
};

FIXTURE_SETUP(mq_limits)
{
	size_t i;

	if (!kipc_present() || geteuid())
		return;
	for (i = 0; i < 6; i++) {
		self->saved[i] = limit(limit_files[i]);
		ASSERT_NE(~0ULL, self->saved[i]);
	}
	self->have = true;
}

FIXTURE_TEARDOWN(mq_limits)
{
	char val[32];
	size_t i;

	for (i = 0; self->have && i < 6; i++) {
		snprintf(val, sizeof(val), "%llu\n", self->saved[i]);
		EXPECT_EQ(0, write_limit(limit_files[i], val));
		EXPECT_EQ(self->saved[i], limit(limit_files[i]));
	}
}

TEST_F(mq_limits, every_limit)
{
	static const char *const junk[] = {
		"\n", "-1", "1 2", "abc", "18446744073709551616", "0x",
		"99999999999999999999999",
	};
	unsigned long long v;
	struct lim_args a;
	char n[64], val[32];
	size_t i, j;
	int fd;

	KIPC_REQUIRE_MODULE(_metadata);
	KIPC_REQUIRE_ROOT(_metadata);
	qname(n, sizeof(n), "lim");

	/* generous defaults: nobody gets 256 messages of 64 KiB */
	a = (struct lim_args){ n, 256, 65536, 0 };
	EXPECT_EQ(0, kipc_as_nobody(nobody_create, &a));

	/* junk is refused and the value kept; nobody cannot write */
	for (i = 0; i < ARRAY_SIZE(limit_files); i++) {
		for (j = 0; j < sizeof(junk) / sizeof(junk[0]); j++)
			EXPECT_EQ(-EINVAL, write_limit(limit_files[i], junk[j]))
				TH_LOG("limit %zu <- junk %zu", i, j);
		EXPECT_EQ(self->saved[i], limit(limit_files[i]));
		EXPECT_EQ(0, kipc_as_nobody(nobody_writes_limit,
					    (void *)limit_files[i]));
	}

	/* each limit, reached as nobody, gives its errno; root changes it */
	ASSERT_EQ(0, write_limit("mq_maxmsg_max", "100"));
	EXPECT_EQ(100, limit("mq_maxmsg_max"));
	a = (struct lim_args){ n, 101, 16, EINVAL };
	EXPECT_EQ(0, kipc_as_nobody(nobody_create, &a));
	a.maxmsg = 100;
	a.want = 0;
	EXPECT_EQ(0, kipc_as_nobody(nobody_create, &a));

	ASSERT_EQ(0, write_limit("mq_msgsize_max", "1000"));
	a = (struct lim_args){ n, 10, 1001, EINVAL };
	EXPECT_EQ(0, kipc_as_nobody(nobody_create, &a));
	a.msgsize = 1000;
	a.want = 0;
	EXPECT_EQ(0, kipc_as_nobody(nobody_create, &a));

	/* per-user bytes: EMFILE, as RLIMIT_MSGQUEUE */
	ASSERT_EQ(0, write_limit("mq_bytes_per_user", "20000"));
	a = (struct lim_args){ n, 20, 1000, EMFILE };
	EXPECT_EQ(0, kipc_as_nobody(nobody_create, &a));
	a.maxmsg = 10;
	a.want = 0;
	EXPECT_EQ(0, kipc_as_nobody(nobody_create, &a));

	/*
	 * Queues of messages up to 256 bytes also reserve recycled buffers:
	 * 64 x 256 costs more than 64 x 257, and the limit counts it.
	 */
	{
		unsigned long long small, big;

		/* root's queues count against the limit too */
		snprintf(val, sizeof(val), "%llu", self->saved[5]);
		ASSERT_EQ(0, write_limit("mq_bytes_per_user", val));
		fd = mkq(n, O_RDWR, 64, 256);
		ASSERT_LE(0, fd);
		small = qstat(n, "memory");
		EXPECT_EQ(0, kipc_mq_unlink(n));
		close(fd);
		fd = mkq(n, O_RDWR, 64, 257);
		ASSERT_LE(0, fd);
		big = qstat(n, "memory");
		EXPECT_EQ(0, kipc_mq_unlink(n));
		close(fd);
		EXPECT_GT(small, big);
		snprintf(val, sizeof(val), "%llu", big);
		ASSERT_EQ(0, write_limit("mq_bytes_per_user", val));
		a = (struct lim_args){ n, 64, 257, 0 };
		EXPECT_EQ(0, kipc_as_nobody(nobody_create, &a));
		a.msgsize = 256;
		a.want = EMFILE;
		EXPECT_EQ(0, kipc_as_nobody(nobody_create, &a));
	}

	/* total queues: ENOSPC (one live queue held by root) */
	fd = mkq(n, O_RDWR, 1, 16);
	ASSERT_LE(0, fd);
	v = kipc_sysfs_u64(KIPC_SYSFS "/stats/mq_queues");
	snprintf(val, sizeof(val), "%llu", v);
	ASSERT_EQ(0, write_limit("mq_max", val));
	{
		char n2[64];

		a = (struct lim_args){ qname(n2, sizeof(n2), "lim"), 1, 16,
				       ENOSPC };
		EXPECT_EQ(0, kipc_as_nobody(nobody_create, &a));
	}
	/* lowering a limit takes nothing away from the existing queue */
	EXPECT_EQ(0, kipc_mq_send(fd, "a", 1, 0));
	EXPECT_EQ(0, kipc_mq_unlink(n));
	close(fd);

	/* defaults apply when no attributes are given, within the maxima */
	snprintf(val, sizeof(val), "%llu", self->saved[5]);
	ASSERT_EQ(0, write_limit("mq_bytes_per_user", val));
	ASSERT_EQ(0, write_limit("mq_maxmsg_default", "7"));
	fd = kipc_mq_open(n, O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
	ASSERT_LE(0, fd);
	EXPECT_EQ(7, qstat(n, "maxmsg"));
	EXPECT_EQ(1000, qstat(n, "msgsize"));	/* default 8192 > max */
	EXPECT_EQ(0, kipc_mq_unlink(n));
	close(fd);
	/* the teardown puts every limit back */
}

TEST(stats_totals_outlive_queues)
{
	unsigned long long sent, recv, created, destroyed;
	char n[64], buf[16];
	int fd;

	KIPC_REQUIRE_MODULE(_metadata);
	sent = kipc_sysfs_u64(KIPC_SYSFS "/stats/mq_sent");
	recv = kipc_sysfs_u64(KIPC_SYSFS "/stats/mq_received");
	created = kipc_sysfs_u64(KIPC_SYSFS "/stats/mq_created");
	destroyed = kipc_sysfs_u64(KIPC_SYSFS "/stats/mq_destroyed");
	fd = mkq(qname(n, sizeof(n), "tot"), O_RDWR, 4, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kipc_mq_send(fd, "abc", 3, 0));
	ASSERT_EQ(3, kipc_mq_receive(fd, buf, 16, NULL));
	EXPECT_EQ(3, qstat(n, "bytes_sent"));
	EXPECT_EQ(3, qstat(n, "bytes_received"));
	EXPECT_EQ(0, kipc_mq_unlink(n));
	close(fd);
	EXPECT_EQ(created + 1, kipc_sysfs_u64(KIPC_SYSFS "/stats/mq_created"));
	EXPECT_EQ(destroyed + 1,
		  kipc_sysfs_u64(KIPC_SYSFS "/stats/mq_destroyed"));
	/* other tests may run beside this one: at least ours */
	EXPECT_LE(sent + 1, kipc_sysfs_u64(KIPC_SYSFS "/stats/mq_sent"));
	EXPECT_LE(recv + 1, kipc_sysfs_u64(KIPC_SYSFS "/stats/mq_received"));
}

TEST_HARNESS_MAIN
