/* SPDX-License-Identifier: GPL-2.0 */
/* What the semaphore selftests share. */
#ifndef KIPC_SEM_UTIL_H
#define KIPC_SEM_UTIL_H

#include <signal.h>
#include <time.h>
#include "kipc.h"
#include "kipc_test.h"

#define SEM_SYSFS	KIPC_SYSFS "/sem"

/* A per-semaphore sysfs counter; ~0ULL when absent. */
static inline unsigned long long sem_sys(const char *name, const char *file)
{
	return kipc_sysfs_u64(SEM_SYSFS "/%s/%s", name, file);
}

static inline long long ns_now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline struct timespec ts_of(long long ns)
{
	struct timespec ts = { ns / 1000000000LL, ns % 1000000000LL };

	return ts;
}

/* Wait (up to 20 s) until sem/<name>/waiters reads @n; 0 or -1. */
static inline int sem_wait_waiters(const char *name, unsigned long long n)
{
	int i;

	for (i = 0; i < 20000; i++) {
		if (sem_sys(name, "waiters") == n)
			return 0;
		usleep(1000);
	}
	return -1;
}

/* Kill and reap a child, quietly. */
static inline void reap(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

/* Exit status of a child, or -1 if it did not exit normally. */
static inline int child_status(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

#endif
