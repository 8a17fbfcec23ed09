// SPDX-License-Identifier: GPL-2.0
/*
 * Semaphores: ping-pong between two semaphores, the uncontended cost of one
 * post + wait, and N processes (or threads) taking turns through one
 * semaphore used as a mutex, for POSIX semaphores in shared memory (futex),
 * SysV semaphores and kipc semaphores.
 */
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <unistd.h>
#include "bench.h"
#if defined(HAVE_KIPC_SEM)
#include "kipc.h"
#endif

enum stype { S_POSIX, S_SYSV, S_KIPC };
enum spat { SP_PINGPONG, SP_UNCONTENDED, SP_CONTENDED };

struct sems {
	enum stype type;
	enum spat pat;
	int n;			/* contenders */
	sem_t *ps;		/* two, in shared memory */
	int sysv;
#if defined(HAVE_KIPC_SEM)
	kipc_sem_t *ks[2];
#endif
	volatile uint64_t *counter;	/* shared; guarded by the semaphore */
	uint64_t expect;	/* role 0's tally of what counter must be */
};

static int s_wait(struct sems *s, int i)
{
	struct sembuf op = { .sem_num = i, .sem_op = -1 };
	int r = -1;

	switch (s->type) {
	case S_POSIX:
		while ((r = sem_wait(&s->ps[i])) && errno == EINTR)
			;
		break;
	case S_SYSV:
		r = semop(s->sysv, &op, 1);
		break;
	case S_KIPC:
#if defined(HAVE_KIPC_SEM)
		r = kipc_sem_wait(s->ks[i]);
#endif
		break;
	}
	if (r)
		perror("kipc-bench: semaphore wait");
	return r;
}

static int s_post(struct sems *s, int i)
{
	struct sembuf op = { .sem_num = i, .sem_op = 1 };
	int r = -1;

	switch (s->type) {
	case S_POSIX:
		r = sem_post(&s->ps[i]);
		break;
	case S_SYSV:
		r = semop(s->sysv, &op, 1);
		break;
	case S_KIPC:
#if defined(HAVE_KIPC_SEM)
		r = kipc_sem_post(s->ks[i]);
#endif
		break;
	}
	if (r)
		perror("kipc-bench: semaphore post");
	return r;
}

static int sem_fn(void *arg, int role, uint64_t iters)
{
	struct sems *s = arg;
	uint64_t i, t0 = 0;

	switch (s->pat) {
	case SP_PINGPONG:
		for (i = 0; i < iters; i++) {
			if (role == 0) {
				if (LAT_TIMED(i))
					t0 = now_ns();
				if (s_post(s, 0) || s_wait(s, 1))
					return -1;
				if (LAT_TIMED(i))
					lat_record(NULL, i, now_ns() - t0);
			} else if (s_wait(s, 0) || s_post(s, 1)) {
				return -1;
			}
		}
		return 0;
	case SP_UNCONTENDED:
		for (i = 0; i < iters; i++)
			if (s_post(s, 0) || s_wait(s, 0))
				return -1;
		return 0;
	case SP_CONTENDED:
		if (role == 0)
			s->expect += iters * s->n;
		for (i = 0; i < iters; i++) {
			if (s_wait(s, 0))
				return -1;
			*s->counter = *s->counter + 1;	/* not atomic on purpose */
			if (s_post(s, 0))
				return -1;
		}
		return 0;
	}
	return -1;
}

static int sem_setup(struct impl *im, char *na, size_t nasz)
{
	struct sems *s = im->arg;
	unsigned int v0 = s->pat == SP_CONTENDED ? 1 : 0;
	int i;

	s->counter = alloc_shared(64);
	s->expect = 0;
	switch (s->type) {
	case S_POSIX:
		s->ps = alloc_shared(2 * sizeof(sem_t));
		if (sem_init(&s->ps[0], 1, v0) || sem_init(&s->ps[1], 1, 0)) {
			set_na(na, nasz, "sem_init", errno);
			return -1;
		}
		return 0;
	case S_SYSV: {
		unsigned short vals[2] = { v0, 0 };

		s->sysv = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
		if (s->sysv < 0) {
			set_na(na, nasz, "semget", errno);
			return -1;
		}
		if (semctl(s->sysv, 0, SETALL, vals)) {
			set_na(na, nasz, "semctl SETALL", errno);
			return -1;
		}
		return 0;
	}
	case S_KIPC:
#if defined(HAVE_KIPC_SEM)
		for (i = 0; i < 2; i++) {
			char name[64];

			snprintf(name, sizeof(name), "/kipc-bench.%d.s%d", getpid(), i);
			s->ks[i] = kipc_sem_open(name, O_CREAT | O_EXCL, 0600,
						 i ? 0 : v0);
			if (!s->ks[i]) {
				set_na(na, nasz, "kipc_sem_open", errno);
				return -1;
			}
			kipc_sem_unlink(name);
		}
		return 0;
#else
		(void)i;
		snprintf(na, nasz, "not available: this kipc-bench was built without kipc semaphores");
		return -1;
#endif
	}
	return -1;
}

static int sem_teardown(struct impl *im)
{
	struct sems *s = im->arg;
	int bad = s->pat == SP_CONTENDED && *s->counter != s->expect;

	if (bad)
		fprintf(stderr, "kipc-bench: %s: the guarded counter is %llu, not %llu: the semaphore let two in\n",
			im->name, (unsigned long long)*s->counter,
			(unsigned long long)s->expect);
	switch (s->type) {
	case S_POSIX:
		sem_destroy(&s->ps[0]);
		sem_destroy(&s->ps[1]);
		break;
	case S_SYSV:
		if (s->sysv >= 0)
			semctl(s->sysv, 0, IPC_RMID);
		break;
	case S_KIPC:
#if defined(HAVE_KIPC_SEM)
		if (s->ks[0])
			kipc_sem_close(s->ks[0]);
		if (s->ks[1])
			kipc_sem_close(s->ks[1]);
#endif
		break;
	}
	return bad;
}

static void add(struct group *g, const char *name, enum stype t, enum spat p,
		int kipc, int n)
{
	struct impl *im = &g->impl[g->nimpl++];
	struct sems *s = calloc(1, sizeof(*s));

	s->type = t;
	s->pat = p;
	s->n = n;
	s->sysv = -1;
	im->name = name;
	im->kipc = kipc;
	im->npeers = p == SP_PINGPONG ? 1 : p == SP_CONTENDED ? n - 1 : 0;
	im->arg = s;
	im->setup = sem_setup;
	im->fn = sem_fn;
	im->teardown = sem_teardown;
	im->ops_per_iter = p == SP_CONTENDED ? (uint64_t)n : 1;
}

static void add_all(struct group *g, enum spat p, int n)
{
	g->base[0] = "posix-sem";
	g->base[1] = "sysv-sem";
	add(g, "posix-sem", S_POSIX, p, 0, n);
	add(g, "sysv-sem", S_SYSV, p, 0, n);
	add(g, "kipc-sem", S_KIPC, p, 1, n);
}

void add_sem_groups(void)
{
	struct group *g;
	int m;

	for (m = MODE_PROC; m <= MODE_THREAD; m++) {
		g = new_group("semaphore", "ping-pong", K_LAT, m, 0);
		add_all(g, SP_PINGPONG, 2);
		if (m == MODE_THREAD && opt.quick)
			continue;
		g = new_group("semaphore", "contended", K_RATE, m, 0);
		g->unit = "op/s";
		add_all(g, SP_CONTENDED, opt.contend);
	}
	g = new_group("semaphore", "post+wait", K_LAT, MODE_PROC, 0);
	add_all(g, SP_UNCONTENDED, 1);
}
