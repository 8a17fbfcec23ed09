// SPDX-License-Identifier: GPL-2.0
/*
 * Messaging: the same ping-pong, stream and fan-in loops over every
 * channel: pipe, unix socketpair (stream, seqpacket), POSIX mq, SysV msg,
 * a spinning shared-memory slot (the floor), and the kipc queue (single,
 * batched, and round trips through a kernel worker pool).
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include "bench.h"
#if defined(HAVE_KIPC_MQ)
#include "kipc.h"
#endif

enum ctype { C_PIPE, C_USTREAM, C_USEQ, C_PMQ, C_SYSV, C_SPIN, C_KMQ };
enum pattern { P_PINGPONG, P_STREAM, P_BATCH, P_FANIN, P_WORKER, P_SELF };

#define HDR	64	/* room before each payload (SysV's mtype) */

struct spin {
	_Alignas(64) _Atomic uint64_t seq0;
	_Alignas(64) _Atomic uint64_t seq1;
	_Alignas(64) char data[];
};

struct chan {
	enum ctype type;
	enum pattern pat;
	size_t size;
	int nprod;
	int fd[4];
	mqd_t mq[2];
	int msq[2];
	int kq[2];
	char kname[2][64];		/* worker queues keep their names */
	unsigned long long worker;
	int have_worker;
	struct spin *sp;
	uint64_t seen[2];
	char *buf[MAX_PEERS + 1];	/* payloads, one per role */
	char *bufs[BATCH];		/* batch payloads of the sender/receiver */
	char *rbufs[BATCH];
};

static int mq_serial;

static size_t capacity(size_t size)
{
	size_t cap = (256 * 1024) / size;

	return cap > 64 ? 64 : cap < 4 ? 4 : cap;
}

static int xwrite(int fd, const char *buf, size_t len, int stream)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("kipc-bench: write");
			return -1;
		}
		if (!stream && (size_t)n != len) {
			fprintf(stderr, "kipc-bench: short write\n");
			return -1;
		}
		buf += n;
		len -= n;
	}
	return 0;
}

static int xread(int fd, char *buf, size_t len, int stream)
{
	while (len) {
		ssize_t n = read(fd, buf, len);

		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			perror("kipc-bench: read");
			return -1;
		}
		if (!stream && (size_t)n != len) {
			fprintf(stderr, "kipc-bench: short message %zd\n", n);
			return -1;
		}
		buf += n;
		len -= n;
	}
	return 0;
}

/* dir 0: main -> peer (and producers -> main), dir 1: peer -> main */
static int c_send(struct chan *c, int dir, char *buf)
{
	size_t len = c->size;

	switch (c->type) {
	case C_PIPE:
		return xwrite(c->fd[dir * 2 + 1], buf, len, 1);
	case C_USTREAM:
	case C_USEQ:
		return xwrite(c->fd[dir], buf, len, c->type == C_USTREAM);
	case C_PMQ:
		if (mq_send(c->mq[dir], buf, len, 0)) {
			perror("kipc-bench: mq_send");
			return -1;
		}
		return 0;
	case C_SYSV:
		*(long *)(buf - sizeof(long)) = 1;
		if (msgsnd(c->msq[dir], buf - sizeof(long), len, 0)) {
			perror("kipc-bench: msgsnd");
			return -1;
		}
		return 0;
	case C_SPIN: {
		_Atomic uint64_t *s = dir ? &c->sp->seq1 : &c->sp->seq0;

		memcpy(c->sp->data + dir * c->size, buf, len);
		atomic_store_explicit(s, atomic_load_explicit(s, memory_order_relaxed) + 1,
				      memory_order_release);
		return 0;
	}
	case C_KMQ:
#if defined(HAVE_KIPC_MQ)
		if (kipc_mq_send(c->kq[dir], buf, len, 0)) {
			perror("kipc-bench: kipc_mq_send");
			return -1;
		}
		return 0;
#endif
		break;
	}
	return -1;
}

static int c_recv(struct chan *c, int dir, char *buf)
{
	size_t len = c->size;
	ssize_t n;

	switch (c->type) {
	case C_PIPE:
		return xread(c->fd[dir * 2], buf, len, 1);
	case C_USTREAM:
	case C_USEQ:
		return xread(c->fd[!dir], buf, len, c->type == C_USTREAM);
	case C_PMQ:
		n = mq_receive(c->mq[dir], buf, len, NULL);
		if (n != (ssize_t)len) {
			perror("kipc-bench: mq_receive");
			return -1;
		}
		return 0;
	case C_SYSV:
		n = msgrcv(c->msq[dir], buf - sizeof(long), len, 0, 0);
		if (n != (ssize_t)len) {
			perror("kipc-bench: msgrcv");
			return -1;
		}
		return 0;
	case C_SPIN: {
		_Atomic uint64_t *s = dir ? &c->sp->seq1 : &c->sp->seq0;

		/* on one CPU spinning only waits for the tick: yield instead */
		while (atomic_load_explicit(s, memory_order_acquire) == c->seen[dir]) {
			if (ncpu < 2)
				sched_yield();
			else
				__builtin_ia32_pause();
		}
		c->seen[dir]++;
		memcpy(buf, c->sp->data + dir * c->size, len);
		return 0;
	}
	case C_KMQ:
#if defined(HAVE_KIPC_MQ)
		n = kipc_mq_receive(c->kq[dir], buf, len, NULL);
		if (n != (ssize_t)len) {
			perror("kipc-bench: kipc_mq_receive");
			return -1;
		}
		return 0;
#endif
		break;
	}
	return -1;
}

#if defined(HAVE_KIPC_MQ_BATCH)
static int batch_send(struct chan *c, uint64_t first, unsigned int n)
{
	struct kipc_msg v[BATCH];
	unsigned int i, done = 0;
	int r;

	for (i = 0; i < n; i++) {
		payload_stamp(c->bufs[i], c->size, first + i);
		v[i].buf = c->bufs[i];
		v[i].len = c->size;
		v[i].prio = 0;
	}
	while (done < n) {
		r = kipc_mq_sendv(c->kq[0], v + done, n - done);
		if (r <= 0) {
			perror("kipc-bench: kipc_mq_sendv");
			return -1;
		}
		done += r;
	}
	return 0;
}

static int batch_recv(struct chan *c, uint64_t *next, uint64_t end)
{
	struct kipc_msg v[BATCH];
	unsigned int i, n = end - *next > BATCH ? BATCH : end - *next;
	int r;

	for (i = 0; i < n; i++) {
		v[i].buf = c->rbufs[i];
		v[i].len = c->size;
		v[i].prio = 0;
	}
	r = kipc_mq_receivev(c->kq[0], v, n);
	if (r <= 0) {
		perror("kipc-bench: kipc_mq_receivev");
		return -1;
	}
	for (i = 0; i < (unsigned int)r; i++) {
		if (v[i].len != c->size ||
		    payload_check(c->rbufs[i], c->size, (*next)++))
			return -1;
	}
	return 0;
}
#endif

static int msg_fn(void *arg, int role, uint64_t iters)
{
	struct chan *c = arg;
	char *buf = c->buf[role];
	uint64_t i, t0 = 0;

	switch (c->pat) {
	case P_PINGPONG:
	case P_WORKER:
	case P_SELF:
		/* P_SELF: one task sends and takes its own message back */
		if (role == 0) {
			for (i = 0; i < iters; i++) {
				payload_stamp(buf, c->size, i);
				if (LAT_TIMED(i))
					t0 = now_ns();
				if (c_send(c, 0, buf) ||
				    c_recv(c, c->pat == P_SELF ? 0 : 1, buf))
					return -1;
				if (LAT_TIMED(i))
					lat_record(NULL, i, now_ns() - t0);
				if (payload_check(buf, c->size, i))
					return -1;
			}
		} else {
			for (i = 0; i < iters; i++)
				if (c_recv(c, 0, buf) ||
				    payload_check(buf, c->size, i) ||
				    c_send(c, 1, buf))
					return -1;
		}
		return 0;
	case P_STREAM:
		for (i = 0; i < iters; i++) {
			if (role == 0) {
				payload_stamp(buf, c->size, i);
				if (c_send(c, 0, buf))
					return -1;
			} else if (c_recv(c, 0, buf) ||
				   payload_check(buf, c->size, i)) {
				return -1;
			}
		}
		return 0;
	case P_BATCH:
#if defined(HAVE_KIPC_MQ_BATCH)
		if (role == 0) {
			for (i = 0; i < iters; i += BATCH)
				if (batch_send(c, i, iters - i > BATCH ? BATCH : iters - i))
					return -1;
		} else {
			i = 0;
			while (i < iters)
				if (batch_recv(c, &i, iters))
					return -1;
		}
		return 0;
#else
		return -1;
#endif
	case P_FANIN:
		if (role) {
			for (i = 0; i < iters; i++) {
				payload_stamp(buf, c->size, (uint64_t)role << 48 | i);
				if (c_send(c, 0, buf))
					return -1;
			}
		} else {
			uint64_t next[MAX_PEERS + 1] = { 0 }, seq;
			int p;

			for (i = 0; i < iters * c->nprod; i++) {
				if (c_recv(c, 0, buf))
					return -1;
				memcpy(&seq, buf, 8);
				p = seq >> 48;
				if (p < 1 || p > c->nprod ||
				    payload_check(buf, c->size,
						  (uint64_t)p << 48 | next[p]++))
					return -1;
			}
		}
		return 0;
	}
	return -1;
}

static int open_pmq(struct chan *c, int dir, char *na, size_t nasz)
{
	struct mq_attr a = { .mq_maxmsg = capacity(c->size), .mq_msgsize = c->size };
	char name[64];

	snprintf(name, sizeof(name), "/kipc-bench.%d.%d", getpid(), mq_serial++);
	c->mq[dir] = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
	if (c->mq[dir] == (mqd_t)-1) {
		set_na(na, nasz, "mq_open (raise fs.mqueue.msgsize_max/msg_max, or run as root)", errno);
		return -1;
	}
	mq_unlink(name);
	return 0;
}

static long sysctl_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static int open_sysv(struct chan *c, int dir, char *na, size_t nasz)
{
	struct msqid_ds ds;
	long max = sysctl_long("/proc/sys/kernel/msgmax");

	if (max >= 0 && (size_t)max < c->size) {
		snprintf(na, nasz, "not available: kernel.msgmax %ld < %zu", max, c->size);
		return -1;
	}
	c->msq[dir] = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (c->msq[dir] < 0) {
		set_na(na, nasz, "msgget", errno);
		return -1;
	}
	if (!msgctl(c->msq[dir], IPC_STAT, &ds)) {
		ds.msg_qbytes = capacity(c->size) * c->size;
		msgctl(c->msq[dir], IPC_SET, &ds);	/* may need privilege */
		msgctl(c->msq[dir], IPC_STAT, &ds);
	}
	if (ds.msg_qbytes < c->size) {
		snprintf(na, nasz, "not available: msg_qbytes %lu < %zu (raise kernel.msgmnb)",
			 (unsigned long)ds.msg_qbytes, c->size);
		msgctl(c->msq[dir], IPC_RMID, NULL);
		c->msq[dir] = -1;
		return -1;
	}
	return 0;
}

static int open_kmq(struct chan *c, int dir, char *na, size_t nasz)
{
#if defined(HAVE_KIPC_MQ)
	struct mq_attr a = { .mq_maxmsg = capacity(c->size), .mq_msgsize = c->size };
	char name[64];

	if (c->pat == P_BATCH && a.mq_maxmsg < BATCH)
		a.mq_maxmsg = BATCH;
	snprintf(name, sizeof(name), "/kipc-bench.%d.%d", getpid(), mq_serial++);
	c->kq[dir] = kipc_mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
	if (c->kq[dir] < 0) {
		set_na(na, nasz, "kipc_mq_open", errno);
		return -1;
	}
	if (c->pat == P_WORKER)		/* the pool opens them by name */
		snprintf(c->kname[dir], sizeof(c->kname[dir]), "%s", name);
	else
		kipc_mq_unlink(name);
	return 0;
#else
	(void)c;
	(void)dir;
	snprintf(na, nasz, "not available: this kipc-bench was built without kipc queues");
	return -1;
#endif
}

static int msg_setup(struct impl *im, char *na, size_t nasz)
{
	struct chan *c = im->arg;
	int i, ndir = c->pat == P_PINGPONG || c->pat == P_WORKER ? 2 : 1;
	size_t sz = c->size + HDR;

	for (i = 0; i < 4; i++)
		c->fd[i] = -1;
	c->mq[0] = c->mq[1] = (mqd_t)-1;
	c->msq[0] = c->msq[1] = c->kq[0] = c->kq[1] = -1;
	for (i = 0; i <= MAX_PEERS; i++) {
		c->buf[i] = (char *)alloc_buf(sz) + HDR;
		payload_fill(c->buf[i], c->size);
	}
	if (c->pat == P_BATCH) {
		for (i = 0; i < BATCH; i++) {
			c->bufs[i] = (char *)alloc_buf(sz) + HDR;
			c->rbufs[i] = (char *)alloc_buf(sz) + HDR;
			payload_fill(c->bufs[i], c->size);
		}
	}
	switch (c->type) {
	case C_PIPE:
		if (pipe(c->fd) || pipe(c->fd + 2)) {
			set_na(na, nasz, "pipe", errno);
			return -1;
		}
		return 0;
	case C_USTREAM:
	case C_USEQ:
		if (socketpair(AF_UNIX, c->type == C_USTREAM ? SOCK_STREAM : SOCK_SEQPACKET,
			       0, c->fd)) {
			set_na(na, nasz, "socketpair", errno);
			return -1;
		}
		return 0;
	case C_PMQ:
		for (i = 0; i < ndir; i++)
			if (open_pmq(c, i, na, nasz))
				return -1;
		return 0;
	case C_SYSV:
		for (i = 0; i < ndir; i++)
			if (open_sysv(c, i, na, nasz))
				return -1;
		return 0;
	case C_SPIN:
		c->sp = alloc_shared(sizeof(*c->sp) + 2 * c->size);
		c->seen[0] = c->seen[1] = 0;
		return 0;
	case C_KMQ:
		for (i = 0; i < ndir; i++)
			if (open_kmq(c, i, na, nasz))
				return -1;
		if (c->pat == P_WORKER) {
#if defined(HAVE_KIPC_WORKER)
			/* one kernel thread answering with the same payload */
			if (kipc_worker_start(c->kname[0], c->kname[1], "echo", 1,
					      &c->worker)) {
				set_na(na, nasz, "kipc_worker_start", errno);
				return -1;
			}
			c->have_worker = 1;
#else
			snprintf(na, nasz, "not available: this kipc-bench was built without kipc worker pools");
			return -1;
#endif
		}
		return 0;
	}
	return -1;
}

static int msg_teardown(struct impl *im)
{
	struct chan *c = im->arg;
	int i;

#if defined(HAVE_KIPC_WORKER)
	if (c->have_worker && kipc_worker_stop(c->worker))
		perror("kipc-bench: kipc_worker_stop");
	c->have_worker = 0;
#endif
#if defined(HAVE_KIPC_MQ)
	for (i = 0; i < 2; i++)
		if (c->kname[i][0])
			kipc_mq_unlink(c->kname[i]);
#endif
	for (i = 0; i < 4; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
	for (i = 0; i < 2; i++) {
		if (c->mq[i] != (mqd_t)-1)
			mq_close(c->mq[i]);
		if (c->msq[i] >= 0)
			msgctl(c->msq[i], IPC_RMID, NULL);
		if (c->kq[i] >= 0)
			close(c->kq[i]);
	}
	return 0;
}

static void add(struct group *g, const char *name, enum ctype t, enum pattern p,
		int kipc, int npeers)
{
	struct impl *im = &g->impl[g->nimpl++];
	struct chan *c = calloc(1, sizeof(*c));

	c->type = t;
	c->pat = p;
	c->size = g->size;
	c->nprod = npeers;
	im->name = name;
	im->kipc = kipc;
	im->npeers = npeers;
	im->arg = c;
	im->setup = msg_setup;
	im->fn = msg_fn;
	im->teardown = msg_teardown;
	im->ops_per_iter = p == P_FANIN ? (uint64_t)npeers : 1;
}

static void add_baselines(struct group *g, enum pattern p, int n)
{
	add(g, "pipe", C_PIPE, p, 0, n);
	add(g, "posix-mq", C_PMQ, p, 0, n);
	add(g, "sysv-msg", C_SYSV, p, 0, n);
	if (p != P_FANIN) {
		add(g, "unix-stream", C_USTREAM, p, 0, n);
		add(g, "unix-seqpacket", C_USEQ, p, 0, n);
	}
}

void add_msg_groups(void)
{
	static const size_t full[] = { 16, 64, 256, 1024, 4096, 16384, 65536, 0 };
	static const size_t q_lat[] = { 16, 256, 65536, 0 };
	static const size_t q_str[] = { 64, 65536, 0 };
	static const size_t t_full[] = { 64, 4096, 65536, 0 };
	static const size_t t_quick[] = { 64, 0 };
	static const size_t self_full[] = { 16, 64, 256, 4096, 0 };
	static const size_t self_quick[] = { 64, 0 };
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	const size_t *sz;
	struct group *g;
	int m;

	/* POSIX mq charges RLIMIT_MSGQUEUE: lift it where allowed */
	setrlimit(RLIMIT_MSGQUEUE, &rl);
	for (m = MODE_PROC; m <= MODE_THREAD; m++) {
		sz = m == MODE_THREAD ? (opt.quick ? t_quick : t_full) :
				       (opt.quick ? q_lat : full);
		for (; *sz; sz++) {
			g = new_group("messaging", "round-trip", K_LAT, m, *sz);
			add_baselines(g, P_PINGPONG, 1);
			add(g, "spin-shm", C_SPIN, P_PINGPONG, 0, 1);
			add(g, "kipc-mq", C_KMQ, P_PINGPONG, 1, 1);
			if (m == MODE_PROC)
				add(g, "kipc-mq-worker", C_KMQ, P_WORKER, 1, 0);
		}
		sz = m == MODE_THREAD ? (opt.quick ? t_quick : t_full) :
				       (opt.quick ? q_str : full);
		for (; *sz; sz++) {
			g = new_group("messaging", "stream", K_RATE, m, *sz);
			add_baselines(g, P_STREAM, 1);
			add(g, "kipc-mq", C_KMQ, P_STREAM, 1, 1);
			add(g, "kipc-mq-batch64", C_KMQ, P_BATCH, 1, 1);
#if !defined(HAVE_KIPC_MQ_BATCH)
			snprintf(g->res[g->nimpl - 1].na, sizeof(g->res[0].na),
				 "not available: this kipc-bench was built without kipc_mq_sendv");
#endif
		}
	}
	/* one task sends and receives: what mq_perf_tests measures */
	for (sz = opt.quick ? self_quick : self_full; *sz; sz++) {
		g = new_group("messaging", "send+receive", K_LAT, MODE_PROC, *sz);
		add_baselines(g, P_SELF, 0);
		add(g, "kipc-mq", C_KMQ, P_SELF, 1, 0);
	}
	for (m = MODE_PROC; m <= (opt.quick ? MODE_PROC : MODE_THREAD); m++) {
		g = new_group("fan-in", "stream", K_RATE, m, 64);
		add_baselines(g, P_FANIN, opt.fanin);
		add(g, "kipc-mq", C_KMQ, P_FANIN, 1, opt.fanin);
	}
}
