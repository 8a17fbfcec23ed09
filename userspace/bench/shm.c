// SPDX-License-Identifier: GPL-2.0
/*
 * Shared memory: a producer copies each message into a ring of slots in a
 * shared region and the consumer checks it where it lies (one copy, where a
 * pipe needs two: that is what shared memory is for), the slots guarded by
 * a "full" and an "empty" semaphore; through a kipc region with kipc
 * semaphores, through POSIX shm with POSIX semaphores, and through a pipe
 * for comparison.  The regions are mapped with MAP_POPULATE and touched
 * before timing.
 */
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "bench.h"
#if defined(HAVE_KIPC_SHM) && defined(HAVE_KIPC_SEM)
#include "kipc.h"
#define HAVE_KIPC_SHM_SEM 1
#endif

#define SLOTS 4

enum xtype { X_POSIX, X_KIPC, X_PIPE };

struct xfer {
	enum xtype type;
	size_t size;
	char *region;		/* SLOTS * size (+ POSIX sems) */
	size_t maplen;
	sem_t *ps;		/* [0] full, [1] empty */
#if defined(HAVE_KIPC_SHM_SEM)
	kipc_sem_t *ks[2];
#endif
	int fd[2];
	char *buf[2];
};

static int x_wait(struct xfer *x, int i)
{
	int r = -1;

	if (x->type == X_POSIX) {
		while ((r = sem_wait(&x->ps[i])) && errno == EINTR)
			;
	}
#if defined(HAVE_KIPC_SHM_SEM)
	else
		r = kipc_sem_wait(x->ks[i]);
#endif
	if (r)
		perror("kipc-bench: semaphore wait");
	return r;
}

static int x_post(struct xfer *x, int i)
{
	int r = -1;

	if (x->type == X_POSIX)
		r = sem_post(&x->ps[i]);
#if defined(HAVE_KIPC_SHM_SEM)
	else
		r = kipc_sem_post(x->ks[i]);
#endif
	if (r)
		perror("kipc-bench: semaphore post");
	return r;
}

static int io(int fd, char *buf, size_t len, int wr)
{
	while (len) {
		ssize_t n = wr ? write(fd, buf, len) : read(fd, buf, len);

		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			perror(wr ? "kipc-bench: pipe write" : "kipc-bench: pipe read");
			return -1;
		}
		buf += n;
		len -= n;
	}
	return 0;
}

static int xfer_fn(void *arg, int role, uint64_t iters)
{
	struct xfer *x = arg;
	char *buf = x->buf[role];
	uint64_t i;

	for (i = 0; i < iters; i++) {
		char *slot = x->region + (i % SLOTS) * x->size;

		if (role == 0) {
			payload_stamp(buf, x->size, i);
			if (x->type == X_PIPE) {
				if (io(x->fd[1], buf, x->size, 1))
					return -1;
				continue;
			}
			if (x_wait(x, 1))
				return -1;
			memcpy(slot, buf, x->size);
			if (x_post(x, 0))
				return -1;
		} else {
			if (x->type == X_PIPE) {
				if (io(x->fd[0], buf, x->size, 0))
					return -1;
			} else {
				if (x_wait(x, 0))
					return -1;
				if (payload_check(slot, x->size, i))
					return -1;
				if (x_post(x, 1))
					return -1;
				continue;
			}
			if (payload_check(buf, x->size, i))
				return -1;
		}
	}
	return 0;
}

static int xfer_setup(struct impl *im, char *na, size_t nasz)
{
	struct xfer *x = im->arg;
	char name[64];
	int fd = -1, i;

	x->fd[0] = x->fd[1] = -1;
	for (i = 0; i < 2; i++) {
		x->buf[i] = alloc_buf(x->size);
		payload_fill(x->buf[i], x->size);
	}
	x->maplen = SLOTS * x->size + 2 * sizeof(sem_t);
	snprintf(name, sizeof(name), "/kipc-bench.%d.shm", getpid());
	switch (x->type) {
	case X_PIPE:
		if (pipe(x->fd)) {
			set_na(na, nasz, "pipe", errno);
			return -1;
		}
		return 0;
	case X_POSIX:
		fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fd < 0) {
			set_na(na, nasz, "shm_open", errno);
			return -1;
		}
		shm_unlink(name);
		if (ftruncate(fd, x->maplen)) {
			set_na(na, nasz, "ftruncate", errno);
			close(fd);
			return -1;
		}
		break;
	case X_KIPC:
#if defined(HAVE_KIPC_SHM_SEM)
		fd = kipc_shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, x->maplen);
		if (fd < 0) {
			set_na(na, nasz, "kipc_shm_open", errno);
			return -1;
		}
		kipc_shm_unlink(name);
		for (i = 0; i < 2; i++) {
			snprintf(name, sizeof(name), "/kipc-bench.%d.x%d", getpid(), i);
			x->ks[i] = kipc_sem_open(name, O_CREAT | O_EXCL, 0600,
						 i ? SLOTS : 0);
			if (!x->ks[i]) {
				set_na(na, nasz, "kipc_sem_open", errno);
				close(fd);
				return -1;
			}
			kipc_sem_unlink(name);
		}
		break;
#else
		snprintf(na, nasz, "not available: this kipc-bench was built without kipc shm and semaphores");
		return -1;
#endif
	}
	x->region = mmap(NULL, x->maplen, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_POPULATE, fd, 0);
	close(fd);
	if (x->region == MAP_FAILED) {
		x->region = NULL;
		set_na(na, nasz, "mmap", errno);
		return -1;
	}
	memset(x->region, 0, x->maplen);
	if (x->type == X_POSIX) {
		x->ps = (sem_t *)(x->region + SLOTS * x->size);
		if (sem_init(&x->ps[0], 1, 0) || sem_init(&x->ps[1], 1, SLOTS)) {
			set_na(na, nasz, "sem_init", errno);
			return -1;
		}
	}
	return 0;
}

static int xfer_teardown(struct impl *im)
{
	struct xfer *x = im->arg;

	if (x->fd[0] >= 0) {
		close(x->fd[0]);
		close(x->fd[1]);
	}
	if (x->region)
		munmap(x->region, x->maplen);
#if defined(HAVE_KIPC_SHM_SEM)
	if (x->ks[0])
		kipc_sem_close(x->ks[0]);
	if (x->ks[1])
		kipc_sem_close(x->ks[1]);
#endif
	return 0;
}

static void add(struct group *g, const char *name, enum xtype t, int kipc)
{
	struct impl *im = &g->impl[g->nimpl++];
	struct xfer *x = calloc(1, sizeof(*x));

	x->type = t;
	x->size = g->size;
	im->name = name;
	im->kipc = kipc;
	im->npeers = 1;
	im->arg = x;
	im->setup = xfer_setup;
	im->fn = xfer_fn;
	im->teardown = xfer_teardown;
}

void add_shm_groups(void)
{
	static const size_t full[] = { 4096, 65536, 0 };
	static const size_t quick[] = { 65536, 0 };
	const size_t *sz;
	struct group *g;
	int m;

	for (m = MODE_PROC; m <= MODE_THREAD; m++) {
		for (sz = opt.quick ? quick : full; *sz; sz++) {
			g = new_group("shm", "stream", K_RATE, m, *sz);
			g->base[1] = "posix-shm+sem";
			add(g, "pipe", X_PIPE, 0);
			add(g, "posix-shm+sem", X_POSIX, 0);
			add(g, "kipc-shm+sem", X_KIPC, 1);
		}
	}
}
