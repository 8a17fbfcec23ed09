// SPDX-License-Identifier: GPL-2.0
/*
 * Name lookup scaling: the cost of opening (and closing) an existing queue
 * while 10 queues exist and while 10,000 exist, for kipc and POSIX mq.  One
 * name space holds both populations and making 10,000 queues takes long
 * under emulation, so this group runs in order (POSIX and kipc among 10,
 * then both among 10,000), growing the population once, untimed.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bench.h"
#if defined(HAVE_KIPC_MQ)
#include "kipc.h"
#endif

enum otype { O_PMQ, O_KMQ };

struct pop {
	enum otype type;
	int have;		/* queues now existing besides the target */
	int target;		/* the queue that is opened exists */
	int failed;
	char err[160];
};

static struct pop pops[2] = { { .type = O_PMQ }, { .type = O_KMQ } };

struct opener {
	struct pop *pop;
	int want;
};

static void qname(char *b, size_t n, int k)
{
	if (k < 0)
		snprintf(b, n, "/kipc-bench.%d.target", getpid());
	else
		snprintf(b, n, "/kipc-bench.%d.q%d", getpid(), k);
}

static int q_create(enum otype t, const char *name)
{
	struct mq_attr a = { .mq_maxmsg = 1, .mq_msgsize = 16 };
	int fd = -1;

	if (t == O_PMQ) {
		mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);

		if (q == (mqd_t)-1)
			return -1;
		mq_close(q);
		return 0;
	}
#if defined(HAVE_KIPC_MQ)
	fd = kipc_mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
	if (fd >= 0)
		kipc_mq_close(fd);
#endif
	return fd < 0 ? -1 : 0;
}

static void q_unlink(enum otype t, const char *name)
{
	if (t == O_PMQ)
		mq_unlink(name);
#if defined(HAVE_KIPC_MQ)
	else
		kipc_mq_unlink(name);
#endif
}

/* Bring the population to @want queues (plus the target). */
static void populate(struct pop *p, int want)
{
	char name[96];

	while (p->have < want && !p->failed) {
		qname(name, sizeof(name), p->have);
		if (q_create(p->type, name)) {
			snprintf(p->err, sizeof(p->err),
				 "not available: creating queue %d of %d: %s",
				 p->have + 1, want, strerror(errno));
			p->failed = 1;
			break;
		}
		p->have++;
	}
	while (p->have > want) {
		qname(name, sizeof(name), --p->have);
		q_unlink(p->type, name);
	}
}

static void open_prepare(struct impl *im)
{
	struct opener *o = im->arg;

	populate(o->pop, o->want);
}

static int open_fn(void *arg, int role, uint64_t iters)
{
	struct opener *o = arg;
	char name[96];
	uint64_t i, t0 = 0;

	(void)role;
	if (o->pop->failed) {
		fprintf(stderr, "kipc-bench: %s\n", o->pop->err);
		return -1;
	}
	qname(name, sizeof(name), -1);
	for (i = 0; i < iters; i++) {
		if (LAT_TIMED(i))
			t0 = now_ns();
		if (o->pop->type == O_PMQ) {
			mqd_t q = mq_open(name, O_RDWR);

			if (q == (mqd_t)-1 || mq_close(q)) {
				perror("kipc-bench: mq_open");
				return -1;
			}
		} else {
#if defined(HAVE_KIPC_MQ)
			int fd = kipc_mq_open(name, O_RDWR);

			if (fd < 0 || kipc_mq_close(fd)) {
				perror("kipc-bench: kipc_mq_open");
				return -1;
			}
#endif
		}
		if (LAT_TIMED(i))
			lat_record(NULL, i, now_ns() - t0);
	}
	return 0;
}

static int open_setup(struct impl *im, char *na, size_t nasz)
{
	struct opener *o = im->arg;
	char name[96];

#if !defined(HAVE_KIPC_MQ)
	if (o->pop->type == O_KMQ) {
		snprintf(na, nasz, "not available: this kipc-bench was built without kipc queues");
		return -1;
	}
#endif
	if (!o->pop->target && !o->pop->failed) {
		qname(name, sizeof(name), -1);
		if (q_create(o->pop->type, name)) {
			set_na(o->pop->err, sizeof(o->pop->err),
			       "creating the queue to open", errno);
			o->pop->failed = 1;
		} else {
			o->pop->target = 1;
		}
	}
	if (o->pop->failed) {
		snprintf(na, nasz, "%s", o->pop->err);
		return -1;
	}
	return 0;
}

static int open_teardown(struct impl *im)
{
	struct opener *o = im->arg;
	char name[96];

	if (o->want <= 10)	/* the last of the pair cleans up */
		return 0;
	populate(o->pop, 0);
	qname(name, sizeof(name), -1);
	if (o->pop->target)
		q_unlink(o->pop->type, name);
	o->pop->target = 0;
	return 0;
}

static void post(struct group *g)
{
	int i, k;
	size_t len = 0;

	for (i = 0; i + 1 < g->nimpl; i += 2) {
		struct result *a = &g->res[i / 2], *b = &g->res[i / 2 + 2];

		if (!a->n || !b->n)
			continue;
		k = snprintf(g->note + len, sizeof(g->note) - len,
			     "%s%s: among %d costs %.2fx among 10 (median; run in sequence, not interleaved)",
			     len ? "; " : "", i ? "kipc-mq" : "posix-mq",
			     opt.open_big, b->median / a->median);
		if (k > 0)
			len += k;
	}
}

static void add(struct group *g, const char *name, struct pop *p, int want,
		int kipc)
{
	struct impl *im = &g->impl[g->nimpl++];
	struct opener *o = calloc(1, sizeof(*o));

	o->pop = p;
	o->want = want;
	im->name = name;
	im->kipc = kipc;
	im->arg = o;
	im->setup = open_setup;
	im->prepare = open_prepare;
	im->fn = open_fn;
	im->teardown = open_teardown;
}

void add_open_groups(void)
{
	static char big_p[32], big_k[32];
	struct group *g = new_group("open", "open+close", K_LAT, MODE_PROC, 0);

	snprintf(big_p, sizeof(big_p), "posix-mq/%d", opt.open_big);
	snprintf(big_k, sizeof(big_k), "kipc-mq/%d", opt.open_big);
	g->base[0] = "posix-mq/10";
	g->base[1] = big_p;
	g->post = post;
	g->sequential = 1;
	/* in this order: each population grows once; the big ones clean up */
	add(g, "posix-mq/10", &pops[O_PMQ], 10, 0);
	add(g, "kipc-mq/10", &pops[O_KMQ], 10, 1);
	add(g, big_p, &pops[O_PMQ], opt.open_big, 0);
	add(g, big_k, &pops[O_KMQ], opt.open_big, 1);
}
