// SPDX-License-Identifier: GPL-2.0
/*
 * The race lab (/sys/kernel/kipc/race/): unsynchronised increments lose
 * updates when two or more CPUs are online, every synchronised mode counts
 * exactly, the knobs refuse junk and refuse changes during a run, a run can
 * be cancelled, and rmmod during a run leaves no kernel thread behind.
 */
#include <dirent.h>
#include <poll.h>
#include <sys/syscall.h>
#include <time.h>
#include "../kselftest_harness.h"
#include "kipc_test.h"

#define RACE KIPC_SYSFS "/race/"

/* none must lose updates; with real parallelism one try nearly always does */
#define RACE_NONE_TRIES 5

static const char * const sync_exact[] = {
	"atomic", "cmpxchg", "spinlock", "mutex", "semaphore", "percpu",
};

static int rwrite(const char *file, const char *val, size_t len)
{
	char path[256];

	snprintf(path, sizeof(path), RACE "%s", file);
	return kipc_sysfs_write(path, val, len);
}

static int rset(const char *file, const char *val)
{
	return rwrite(file, val, strlen(val));
}

static void rread(const char *file, char *buf, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), RACE "%s", file);
	buf[0] = '\0';
	f = fopen(path, "r");
	if (!f)
		return;
	if (!fgets(buf, len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

static unsigned long long rget(const char *file)
{
	return kipc_sysfs_u64(RACE "%s", file);
}

/* Wait (at most @limit s) for the run to leave "running"; its state. */
static void wait_run(char *state, size_t len, double limit)
{
	double end = kipc_now_s() + limit;

	for (;;) {
		rread("run", state, len);
		if (strcmp(state, "running") || kipc_now_s() > end)
			return;
		usleep(10000);
	}
}

static int online_cpus(void)
{
	return (int)sysconf(_SC_NPROCESSORS_ONLN);
}

static void cancel_any(void)
{
	char st[32];

	rread("run", st, sizeof(st));
	if (!strcmp(st, "running"))
		rset("run", "0");
}

FIXTURE(race) {
	int threads;
};

/*
 * The 6.1 harness runs the test body even when the setup skips, so the
 * setup only prepares and each test checks its requirements first.
 */
FIXTURE_SETUP(race)
{
	if (access(RACE "run", F_OK) == 0)
		cancel_any();
	self->threads = online_cpus() < 2 ? 2 : online_cpus();
}

#define RACE_REQUIRE()							\
	do {								\
		KIPC_REQUIRE_MODULE(_metadata);				\
		KIPC_REQUIRE_ROOT(_metadata);				\
		ASSERT_EQ(0, access(RACE "run", W_OK));			\
	} while (0)

FIXTURE_TEARDOWN(race)
{
	cancel_any();
}

/* One complete run of @sync; the state it ended in is returned in @st. */
static void run_mode(struct __test_metadata *_metadata, const char *sync,
		     int threads, unsigned long long iters, char *st,
		     size_t len)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d", threads);
	ASSERT_EQ(0, rset("threads", buf));
	snprintf(buf, sizeof(buf), "%llu", iters);
	ASSERT_EQ(0, rset("iterations", buf));
	ASSERT_EQ(0, rset("sync", sync));
	ASSERT_EQ(0, rset("run", "1"));
	wait_run(st, len, 50);
	ASSERT_STREQ("done", st) TH_LOG("%s did not finish", sync);
}

TEST_F_TIMEOUT(race, none_loses_updates, 120)
{
	unsigned long long iters = 2000000, exp, obs, lost;
	char st[32];
	int try;

	RACE_REQUIRE();
	if (online_cpus() < 2)
		SKIP(return, "needs 2 or more online CPUs (%d)", online_cpus());
	/*
	 * Losing an update needs two CPUs to interleave a load and a store;
	 * with millions of increments that is all but certain, but a busy
	 * host may stall one vCPU for the whole run.  So this is
	 * probabilistic: a bounded number of tries, each logged.
	 */
	for (try = 1; try <= RACE_NONE_TRIES; try++) {
		run_mode(_metadata, "none", self->threads, iters, st,
			 sizeof(st));
		exp = rget("expected");
		obs = rget("observed");
		lost = rget("lost");
		TH_LOG("try %d: expected %llu observed %llu lost %llu", try,
		       exp, obs, lost);
		ASSERT_EQ(iters * self->threads, exp);
		ASSERT_LE(obs, exp);
		ASSERT_EQ(exp - obs, lost);
		if (lost)
			break;
	}
	EXPECT_NE(0, lost) TH_LOG("no update lost in %d tries",
				  RACE_NONE_TRIES);
}

TEST_F_TIMEOUT(race, synchronised_modes_are_exact, 120)
{
	/* a debug kernel under TCG is ~100x slower on the sleeping locks */
	unsigned long long iters =
		access("/proc/lockdep_stats", F_OK) == 0 ? 5000 : 20000;
	int threads = self->threads * 2;	/* also threads sharing a CPU */
	char st[32];
	size_t i;

	RACE_REQUIRE();
	for (i = 0; i < sizeof(sync_exact) / sizeof(sync_exact[0]); i++) {
		run_mode(_metadata, sync_exact[i], threads, iters, st,
			 sizeof(st));
		EXPECT_EQ(iters * threads, rget("expected"))
			TH_LOG("%s", sync_exact[i]);
		EXPECT_EQ(iters * threads, rget("observed"))
			TH_LOG("%s", sync_exact[i]);
		EXPECT_EQ(0, rget("lost")) TH_LOG("%s", sync_exact[i]);
		EXPECT_LT(0, rget("elapsed_ns"));
		TH_LOG("%-10s %llu ns/op", sync_exact[i], rget("ns_per_op"));
	}
}

/* Every refused write leaves the knob as it was. */
TEST_F(race, knobs_refuse_junk)
{
	static const char * const files[] = { "threads", "iterations", "sync",
					      "run" };
	static const char * const junk[] = {
		"\n", "-1", "4294967296", "1 2", "18446744073709551616", "abc",
		"1\n\n", " 1", "mutex ", "MUTEX", "none\nx",
	};
	char before[64], after[64], big[4096];
	static const char bin[] = { '1', '\0', 0x7f, (char)0xff, 'x' };
	size_t f, j;

	RACE_REQUIRE();
	memset(big, '1', sizeof(big));
	ASSERT_EQ(0, rset("sync", "atomic"));
	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		rread(files[f], before, sizeof(before));
		for (j = 0; j < sizeof(junk) / sizeof(junk[0]); j++) {
			EXPECT_EQ(-EINVAL, rset(files[f], junk[j]))
				TH_LOG("%s <- '%s'", files[f], junk[j]);
			rread(files[f], after, sizeof(after));
			EXPECT_STREQ(before, after);
		}
		/* an empty write() never reaches the knob: changes nothing */
		EXPECT_EQ(0, rwrite(files[f], "", 0));
		rread(files[f], after, sizeof(after));
		EXPECT_STREQ(before, after);
		EXPECT_EQ(-EINVAL, rwrite(files[f], big, sizeof(big)))
			TH_LOG("%s <- 4 KiB", files[f]);
		EXPECT_EQ(-EINVAL, rwrite(files[f], bin, sizeof(bin)))
			TH_LOG("%s <- binary", files[f]);
		rread(files[f], after, sizeof(after));
		EXPECT_STREQ(before, after);
	}
	/* bounds: 0 threads or iterations, threads past threads_max */
	EXPECT_EQ(-EINVAL, rset("threads", "0"));
	EXPECT_EQ(-EINVAL, rset("iterations", "0"));
	snprintf(big, sizeof(big), "%llu", rget("threads_max") + 1);
	EXPECT_EQ(-EINVAL, rset("threads", big));
	EXPECT_EQ(-EINVAL, rset("run", "2"));
	EXPECT_EQ(0, rset("iterations", "4294967295"));
	EXPECT_EQ(0, rset("sync", "none\n"));
	rread("sync", after, sizeof(after));
	EXPECT_STREQ("none", after);
	rread("run", after, sizeof(after));
	EXPECT_STRNE("running", after);
}

static int nobody_writes(void *arg)
{
	static const char * const files[] = { "threads", "iterations", "sync",
					      "run" };
	size_t i;

	(void)arg;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (rset(files[i], "1") != -EACCES)
			return 1;
	return 0;
}

TEST_F(race, unprivileged_cannot_write)
{
	RACE_REQUIRE();
	EXPECT_EQ(0, kipc_as_nobody(nobody_writes, NULL));
	EXPECT_LT(0, rget("threads"));	/* reading is for everyone */
}

TEST_F(race, busy_during_run_and_cancel)
{
	char st[32], before[64], after[64];
	unsigned long long exp;

	RACE_REQUIRE();
	ASSERT_EQ(0, rset("threads", "2"));
	ASSERT_EQ(0, rset("iterations", "4294967295"));
	ASSERT_EQ(0, rset("sync", "spinlock"));
	ASSERT_EQ(0, rset("run", "1"));
	rread("run", st, sizeof(st));
	ASSERT_STREQ("running", st);
	EXPECT_EQ(-EBUSY, rset("run", "1"));
	EXPECT_EQ(-EBUSY, rset("threads", "3"));
	EXPECT_EQ(-EBUSY, rset("iterations", "5"));
	EXPECT_EQ(-EBUSY, rset("sync", "mutex"));
	rread("sync", after, sizeof(after));
	EXPECT_STREQ("spinlock", after);
	EXPECT_EQ(2, rget("threads"));
	EXPECT_EQ(4294967295ULL, rget("iterations"));
	/* junk is still junk during a run */
	rread("threads", before, sizeof(before));
	EXPECT_EQ(-EINVAL, rset("threads", "x"));
	usleep(200000);
	EXPECT_EQ(2, kipc_kthreads_alive("kipc_race"));

	/* cancelling is synchronous: the threads are gone when it returns */
	ASSERT_EQ(0, rset("run", "0"));
	rread("run", st, sizeof(st));
	EXPECT_STREQ("cancelled", st);
	EXPECT_EQ(0, kipc_kthreads_gone("kipc_race"));
	exp = rget("expected");
	EXPECT_LT(0, exp);
	EXPECT_GT(2ULL * 4294967295ULL, exp);
	EXPECT_EQ(exp, rget("observed"));	/* spinlock: exact even so */
	EXPECT_EQ(0, rget("lost"));
	/* cancelling when nothing runs is harmless; knobs are free again */
	EXPECT_EQ(0, rset("run", "0"));
	EXPECT_EQ(0, rset("threads", "3"));
}

TEST_F_TIMEOUT(race, rmmod_during_run_stops_threads, 60)
{
	char st[32];
	int alive;

	RACE_REQUIRE();
	if (access(kipc_ko(), R_OK))
		SKIP(return, "no %s to reload the module from", kipc_ko());
	ASSERT_EQ(0, rset("threads", "4"));
	ASSERT_EQ(0, rset("iterations", "4294967295"));
	ASSERT_EQ(0, rset("sync", "mutex"));
	ASSERT_EQ(0, rset("run", "1"));
	rread("run", st, sizeof(st));
	ASSERT_STREQ("running", st);
	usleep(100000);
	EXPECT_EQ(4, kipc_kthreads_alive("kipc_race"));

	ASSERT_EQ(0, syscall(SYS_delete_module, "kipc", O_NONBLOCK))
		TH_LOG("rmmod during a run: %s", strerror(errno));
	alive = kipc_kthreads_gone("kipc_race");
	EXPECT_EQ(0, alive);

	ASSERT_EQ(0, kipc_reload()) TH_LOG("reload failed");
	rread("run", st, sizeof(st));
	EXPECT_STREQ("idle", st);
}

TEST_HARNESS_MAIN
