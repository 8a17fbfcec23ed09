// SPDX-License-Identifier: GPL-2.0
/*
 * kipc semaphores under load, many processes at once: mutual exclusion on a
 * counter in a shared file, conservation of units after a storm of every
 * kind of wait and post, and SIGKILL storms of undo holders and waiters.
 * Each test keeps under ~20 s on the stock kernel under TCG.
 */
#include <sys/mman.h>
#include <sys/prctl.h>
#include "../kselftest_harness.h"
#include "sem_util.h"

#define NPROC	8
#define ROUNDS	10000

/*
 * Only for the per-test timeouts: the harness's default of 30 s is too
 * short for the debug kernel (KASAN, lockdep), several times slower.
 */
FIXTURE(sem) {
	int unused;
};

FIXTURE_SETUP(sem)
{
	self->unused = 0;
}

FIXTURE_TEARDOWN(sem)
{
}

/* Read-increment-write rounds on a counter in @fd, guarded by @s if set. */
static int increment(int fd, kipc_sem_t *s, int rounds)
{
	int i, r;
	long v;

	for (i = 0; i < rounds; i++) {
		do {
			r = s ? kipc_sem_wait(s) : 0;
		} while (r && errno == EINTR);
		if (r)
			return 1;
		if (pread(fd, &v, sizeof(v), 0) != sizeof(v))
			return 2;
		v++;
		if (pwrite(fd, &v, sizeof(v), 0) != sizeof(v))
			return 3;
		if (s && kipc_sem_post(s))
			return 4;
	}
	return 0;
}

TEST_F_TIMEOUT(sem, mutual_exclusion, 240)
{
	char name[64], path[128];
	pid_t pids[NPROC];
	long long t0;
	int fd, i, rounds = ROUNDS;
	kipc_sem_t *s;
	long v = 0;

	KIPC_REQUIRE_MODULE(_metadata);
	/*
	 * Every round hands the unit to a blocked process (no barging), so
	 * every round costs a context switch: ~0.4 ms on the stock kernel
	 * under TCG, ten times that with lockdep and KASAN.  On a kernel with
	 * lockdep (the debug kernel) do a tenth of the rounds.
	 */
	if (!access("/proc/lockdep", F_OK))
		rounds = ROUNDS / 10;
	kipc_test_name(name, sizeof(name), "mutex");
	snprintf(path, sizeof(path), "/tmp/%s.counter", name);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, fd);
	unlink(path);
	ASSERT_EQ(sizeof(v), pwrite(fd, &v, sizeof(v), 0));
	s = kipc_sem_open(name, O_CREAT | O_EXCL, 0600, 1);
	ASSERT_NE(KIPC_SEM_FAILED, s);
	t0 = ns_now(CLOCK_MONOTONIC);
	for (i = 0; i < NPROC; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i]) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			_exit(increment(fd, s, rounds));
		}
	}
	for (i = 0; i < NPROC; i++)
		EXPECT_EQ(0, child_status(pids[i]));
	ASSERT_EQ(sizeof(v), pread(fd, &v, sizeof(v), 0));
	EXPECT_EQ((long)NPROC * rounds, v);
	fprintf(stderr, "# %d processes x %d rounds%s: final count %ld (want %d), %.2f s\n",
		NPROC, rounds, rounds < ROUNDS ? " (lockdep kernel)" : "",
		v, NPROC * rounds, (ns_now(CLOCK_MONOTONIC) - t0) / 1e9);
	EXPECT_EQ(1, sem_sys(name, "value"));
	EXPECT_EQ(0, sem_sys(name, "waiters"));
	EXPECT_EQ((unsigned long long)NPROC * rounds, sem_sys(name, "posts"));
	EXPECT_EQ((unsigned long long)NPROC * rounds, sem_sys(name, "waits"));
	close(fd);
	EXPECT_EQ(0, kipc_sem_close(s));
	EXPECT_EQ(0, kipc_sem_unlink(name));
}

struct tally {
	long long posts;
	long long waits;
	long long fails;	/* EAGAIN, ETIMEDOUT */
	long long bad;		/* any other outcome */
};

/* A random mix of every operation; counts what it did. */
static void storm(kipc_sem_t *s, struct tally *t, int ops, unsigned int seed)
{
	struct timespec ts;
	int i, r, k;

	for (i = 0; i < ops; i++) {
		k = rand_r(&seed) % 100;
		if (k < 36) {
			if (kipc_sem_post(s))
				t->bad++;
			else
				t->posts++;
			continue;
		}
		if (k < 56) {
			r = kipc_sem_trywait(s);
		} else if (k < 80) {
			ts = ts_of(ns_now(CLOCK_REALTIME) +
				   (rand_r(&seed) % 3000) * 1000LL);
			r = kipc_sem_timedwait(s, &ts);
		} else {
			ts = ts_of(ns_now(CLOCK_MONOTONIC) + 100000000LL);
			r = kipc_sem_clockwait(s, CLOCK_MONOTONIC, &ts);
		}
		if (!r)
			t->waits++;
		else if (errno == EAGAIN || errno == ETIMEDOUT)
			t->fails++;
		else
			t->bad++;
	}
}

TEST_F_TIMEOUT(sem, conservation, 120)
{
	struct tally *t, sum = { 0 };
	const int initial = 5, ops = 1500;
	pid_t pids[NPROC];
	char name[64];
	kipc_sem_t *s;
	int i, v = -1;

	KIPC_REQUIRE_MODULE(_metadata);
	kipc_test_name(name, sizeof(name), "cons");
	t = mmap(NULL, NPROC * sizeof(*t), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, t);
	memset(t, 0, NPROC * sizeof(*t));
	s = kipc_sem_open(name, O_CREAT | O_EXCL, 0600, initial);
	ASSERT_NE(KIPC_SEM_FAILED, s);
	for (i = 0; i < NPROC; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i]) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			storm(s, &t[i], ops, 1234 + i);
			_exit(0);
		}
	}
	for (i = 0; i < NPROC; i++) {
		EXPECT_EQ(0, child_status(pids[i]));
		sum.posts += t[i].posts;
		sum.waits += t[i].waits;
		sum.fails += t[i].fails;
		sum.bad += t[i].bad;
	}
	ASSERT_EQ(0, kipc_sem_getvalue(s, &v));
	fprintf(stderr, "# %d processes: %lld posts, %lld waits, %lld EAGAIN/ETIMEDOUT; %d + posts - waits = %lld, final value %d\n",
		NPROC, sum.posts, sum.waits, sum.fails, initial,
		initial + sum.posts - sum.waits, v);
	EXPECT_EQ(0, sum.bad);
	EXPECT_EQ(initial + sum.posts - sum.waits, v);
	EXPECT_EQ((unsigned long long)sum.posts, sem_sys(name, "posts"));
	EXPECT_EQ((unsigned long long)sum.waits, sem_sys(name, "waits"));
	EXPECT_EQ((unsigned long long)sum.fails,
		  sem_sys(name, "trywait_fails") + sem_sys(name, "timeouts"));
	EXPECT_EQ(0, sem_sys(name, "waiters"));
	EXPECT_EQ(0, kipc_sem_close(s));
	EXPECT_EQ(0, kipc_sem_unlink(name));
	munmap(t, NPROC * sizeof(*t));
}

/*
 * A child of the kill storm: open with undo, then forever take a unit,
 * hold it a little, and post it back only half of the time (the rest is
 * "held" until the child is killed).
 */
static void storm_child(const char *name, unsigned int seed)
{
	kipc_sem_t *s = kipc_sem_open(name, KIPC_SEM_UNDO);

	if (!s)
		_exit(1);
	for (;;) {
		if (kipc_sem_wait(s) && errno != EOWNERDEAD)
			_exit(2);
		usleep(rand_r(&seed) % 2000);
		if (rand_r(&seed) & 1)
			kipc_sem_post(s);
	}
}

TEST_F_TIMEOUT(sem, kill_storm, 120)
{
	unsigned long long files0, objs0, returned;
	const int initial = 3, kills = 80;
	pid_t pids[NPROC];
	unsigned int seed = 42;
	char name[64];
	kipc_sem_t *s;
	int i, k, v = -1;

	KIPC_REQUIRE_MODULE(_metadata);
	files0 = kipc_sysfs_u64(KIPC_SYSFS "/stats/files_open");
	objs0 = kipc_sysfs_u64(KIPC_SYSFS "/stats/sem_objects");
	kipc_test_name(name, sizeof(name), "kill");
	s = kipc_sem_open(name, O_CREAT | O_EXCL, 0600, initial);
	ASSERT_NE(KIPC_SEM_FAILED, s);
	for (i = 0; i < NPROC; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i])
			storm_child(name, 100 + i);
	}
	for (k = 0; k < kills; k++) {
		usleep(rand_r(&seed) % 5000);
		i = rand_r(&seed) % NPROC;
		reap(pids[i]);
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i])
			storm_child(name, 1000 + k);
	}
	for (i = 0; i < NPROC; i++)
		reap(pids[i]);
	/* every child used undo, so every unit came back */
	ASSERT_EQ(0, kipc_sem_getvalue(s, &v));
	returned = sem_sys(name, "undo_returned");
	fprintf(stderr, "# %d SIGKILLs: value %d (want %d), waiters %llu, units returned %llu, owner-dead notices %llu\n",
		kills + NPROC, v, initial, sem_sys(name, "waiters"), returned,
		sem_sys(name, "owner_dead"));
	EXPECT_EQ(initial, v);
	EXPECT_EQ(0, sem_sys(name, "waiters"));
	EXPECT_EQ(1, sem_sys(name, "handles"));
	EXPECT_LT(0, returned);
	EXPECT_EQ(0, kipc_sem_close(s));
	EXPECT_EQ(0, kipc_sem_unlink(name));
	/* nothing leaked: no file, no object */
	EXPECT_EQ(files0, kipc_sysfs_u64(KIPC_SYSFS "/stats/files_open"));
	EXPECT_EQ(objs0, kipc_sysfs_u64(KIPC_SYSFS "/stats/sem_objects"));
}

/* Without undo, holders killed lose their units (POSIX) but never hang. */
TEST_F_TIMEOUT(sem, kill_storm_no_undo, 60)
{
	const int initial = 4, kills = 40;
	pid_t pids[NPROC];
	unsigned int seed = 7;
	char name[64];
	kipc_sem_t *s;
	int i, k, v = -1;

	KIPC_REQUIRE_MODULE(_metadata);
	kipc_test_name(name, sizeof(name), "killnu");
	s = kipc_sem_open(name, O_CREAT | O_EXCL, 0600, initial);
	ASSERT_NE(KIPC_SEM_FAILED, s);
	for (i = 0; i < NPROC; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i]) {
			/* take and hold for ever, or block trying */
			_exit(kipc_sem_wait(s) ? 1 : (pause(), 0));
		}
	}
	ASSERT_EQ(0, sem_wait_waiters(name, NPROC - initial));
	for (k = 0; k < kills; k++) {
		i = rand_r(&seed) % NPROC;
		reap(pids[i]);
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i])
			_exit(kipc_sem_wait(s) ? 1 : (pause(), 0));
	}
	for (i = 0; i < NPROC; i++)
		reap(pids[i]);
	ASSERT_EQ(0, kipc_sem_getvalue(s, &v));
	EXPECT_EQ(0, v);	/* every unit died with its holder */
	EXPECT_EQ(0, sem_sys(name, "waiters"));
	EXPECT_EQ(0, sem_sys(name, "undo_returned"));
	EXPECT_EQ(0, kipc_sem_close(s));
	EXPECT_EQ(0, kipc_sem_unlink(name));
}

TEST_HARNESS_MAIN
