// SPDX-License-Identifier: GPL-2.0
/*
 * The runner: starts each implementation's peers (processes or threads,
 * each pinned to its own CPU), calibrates the iteration count to a fixed
 * time per sample, then takes the samples of all implementations of a group
 * interleaved (A B C A B C ...) so that drift of the machine cancels.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bench.h"

struct group *groups[1024];
int ngroups;

static double *lat;		/* per-iteration times of role 0 */
static uint64_t lat_n, lat_cap;

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

void pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu % ncpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

uint64_t clock_cost_ns;
uint64_t lat_every = LAT_EVERY;

/* @i: the operation's index; @ns: its time, clock read included */
void lat_record(struct impl *im, uint64_t i, uint64_t ns)
{
	(void)im;
	i /= lat_every;
	if (i < lat_cap) {
		lat[i] = ns > clock_cost_ns ? ns - clock_cost_ns : 0;
		if (i + 1 > lat_n)
			lat_n = i + 1;
	}
}

void set_na(char *na, size_t nasz, const char *what, int err)
{
	snprintf(na, nasz, "not available: %s: %s", what, strerror(err));
}

struct group *new_group(const char *section, const char *test, enum kind k,
			enum mode m, size_t size)
{
	struct group *g = calloc(1, sizeof(*g));

	if (!g || ngroups >= (int)(sizeof(groups) / sizeof(groups[0]))) {
		perror("kipc-bench: new_group");
		exit(1);
	}
	g->section = section;
	g->test = test;
	g->kind = k;
	g->mode = m;
	g->size = size;
	g->unit = k == K_LAT ? "us" : "msg/s";
	g->base[0] = "pipe";
	g->base[1] = "posix-mq";
	groups[ngroups++] = g;
	return g;
}

/* A running implementation: its peers and their control pipes. */
struct live {
	struct impl *im;
	enum mode mode;
	int n;
	pid_t pid[MAX_PEERS];
	pthread_t tid[MAX_PEERS];
	int cmd[MAX_PEERS][2], ack[MAX_PEERS][2];
	int role[MAX_PEERS];
};

struct peer_start {
	struct live *lv;
	int i;
};

static void peer_loop(struct live *lv, int i)
{
	uint64_t iters;
	int r;

	pin_self(lv->role[i]);
	for (;;) {
		if (read(lv->cmd[i][0], &iters, sizeof(iters)) != sizeof(iters))
			break;
		if (!iters)
			break;
		r = lv->im->fn(lv->im->arg, lv->role[i], iters);
		if (write(lv->ack[i][1], &r, sizeof(r)) != sizeof(r))
			break;
	}
}

static void *peer_thread(void *p)
{
	struct peer_start *ps = p;

	peer_loop(ps->lv, ps->i);
	free(ps);
	return NULL;
}

static int live_start(struct live *lv)
{
	int i;

	for (i = 0; i < lv->n; i++) {
		lv->role[i] = i + 1;
		if (pipe(lv->cmd[i]) || pipe(lv->ack[i])) {
			perror("kipc-bench: pipe");
			exit(1);
		}
		if (lv->mode == MODE_PROC) {
			lv->pid[i] = fork();
			if (lv->pid[i] < 0) {
				perror("kipc-bench: fork");
				exit(1);
			}
			if (!lv->pid[i]) {
				prctl(PR_SET_PDEATHSIG, SIGKILL);
				peer_loop(lv, i);
				_exit(0);
			}
		} else {
			struct peer_start *ps = malloc(sizeof(*ps));

			ps->lv = lv;
			ps->i = i;
			if (pthread_create(&lv->tid[i], NULL, peer_thread, ps)) {
				perror("kipc-bench: pthread_create");
				exit(1);
			}
		}
	}
	return 0;
}

static void live_stop(struct live *lv)
{
	uint64_t zero = 0;
	int i;

	for (i = 0; i < lv->n; i++) {
		if (write(lv->cmd[i][1], &zero, sizeof(zero)) < 0)
			perror("kipc-bench: stop peer");
		if (lv->mode == MODE_PROC)
			waitpid(lv->pid[i], NULL, 0);
		else
			pthread_join(lv->tid[i], NULL);
		close(lv->cmd[i][0]);
		close(lv->cmd[i][1]);
		close(lv->ack[i][0]);
		close(lv->ack[i][1]);
	}
}

static void on_alarm(int sig)
{
	static const char msg[] =
		"kipc-bench: a sample did not finish in time (a peer died or hangs)\n";

	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(3);
}

/* One sample: @iters iterations; returns ns or 0 on failure. */
static uint64_t sample(struct live *lv, uint64_t iters)
{
	uint64_t t0, t1;
	int i, r, a;

	if (lv->im->prepare)
		lv->im->prepare(lv->im);
	for (i = 0; i < lv->n; i++)
		if (write(lv->cmd[i][1], &iters, sizeof(iters)) != sizeof(iters))
			return 0;
	lat_n = 0;
	lat_every = iters >= 64 * LAT_EVERY ? LAT_EVERY : 1;
	alarm(60 + (unsigned int)(opt.sample_s * 20));
	t0 = now_ns();
	r = lv->im->fn(lv->im->arg, 0, iters);
	for (i = 0; i < lv->n; i++) {
		if (read(lv->ack[i][0], &a, sizeof(a)) != sizeof(a))
			a = -1;
		r |= a;
	}
	t1 = now_ns();
	alarm(0);
	if (r)
		return 0;
	return t1 > t0 ? t1 - t0 : 1;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The @q quantile (0..1) of @v[0..@n), interpolated; @v is left alone. */
static double quantile_of(const double *v, int n, double q)
{
	double t[64], pos;
	int lo;

	memcpy(t, v, n * sizeof(*v));
	qsort(t, n, sizeof(*t), cmp_d);
	pos = q * (n - 1);
	lo = (int)pos;
	return lo + 1 < n ? t[lo] + (pos - lo) * (t[lo + 1] - t[lo]) : t[lo];
}

static double median_of(double *v, int n)
{
	return quantile_of(v, n, 0.5);
}

/*
 * kipc @res against baseline @b: samples were taken in rounds, one of
 * each implementation in turn, so sample k of both comes from the same
 * few seconds.  The ratio is the median of the per-round ratios, which a
 * host that slows down for a while (the usual noise under TCG) moves less
 * than a ratio of medians taken over different moments; the quartiles
 * say how far the rounds disagree.  When the group runs one implementation
 * after the other (@rounds false) or a run lost samples, the rounds do not
 * line up: then the ratio of the medians, without quartiles.
 */
static void pair_ratio(const struct result *res, const struct result *b,
		       int rounds, double *ratio, double *lo, double *hi)
{
	double r[64];
	int k;

	*lo = *hi = 0;
	if (!rounds || res->n != b->n) {
		*ratio = res->median / b->median;
		return;
	}
	for (k = 0; k < res->n; k++) {
		/* 0 marks "none" in ratio, rlo and rhi: keep them positive */
		if (b->samples[k] <= 0 || res->samples[k] <= 0) {
			*ratio = res->median / b->median;
			return;
		}
		r[k] = res->samples[k] / b->samples[k];
	}
	*ratio = quantile_of(r, res->n, 0.5);
	*lo = quantile_of(r, res->n, 0.25);
	*hi = quantile_of(r, res->n, 0.75);
}

/* Turn one sample into its figure (and p99 for latencies). */
static void record(struct group *g, struct impl *im, struct result *res,
		   uint64_t ns, uint64_t iters)
{
	uint64_t ops = iters * (im->ops_per_iter ? im->ops_per_iter : 1);
	double fig, p99 = 0;

	if (res->n >= 64)
		return;
	res->means[res->n] = (double)ns / iters / 1000.0;
	if (g->kind == K_LAT) {
		if (lat_n >= 16) {
			qsort(lat, lat_n, sizeof(*lat), cmp_d);
			fig = lat[lat_n / 2] / 1000.0;
			p99 = lat[(uint64_t)(lat_n * 0.99)] / 1000.0;
		} else {
			fig = (double)ns / iters / 1000.0;
		}
	} else {
		fig = (double)ops / (ns / 1e9);
	}
	res->samples[res->n] = fig;
	res->p99[res->n] = p99;
	res->n++;
}

static uint64_t calibrate(struct live *lv)
{
	double target = opt.sample_s * 1e9;
	uint64_t iters = 1, ns;

	for (;;) {
		ns = sample(lv, iters);
		if (!ns)
			return 0;
		if (ns >= target / 8 || iters >= (1ull << 40))
			break;
		iters = ns < target / 256 ? iters * 16 : iters * 2;
	}
	iters = (uint64_t)(iters * (target / ns));
	/* enough operations for a median even when one sample hit a stall */
	if (iters < 32)
		iters = 32;
	/* warm-up at full length is the first sample, thrown away */
	return iters;
}

/* Calibrate (and warm up) implementations @a..@b-1, then sample them in turn. */
static void take_samples(struct group *g, struct live *lv, uint64_t *iters,
			 int a, int b)
{
	int i, r;

	for (i = a; i < b; i++) {
		if (!lv[i].im)
			continue;
		iters[i] = calibrate(&lv[i]);
		if (iters[i] && !sample(&lv[i], iters[i]))
			iters[i] = 0;
		if (!iters[i]) {
			snprintf(g->res[i].na, sizeof(g->res[i].na),
				 "failed (see the error above)");
		}
	}
	for (r = 0; r < opt.reps; r++) {
		for (i = a; i < b; i++) {
			uint64_t ns;

			if (!lv[i].im || !iters[i])
				continue;
			ns = sample(&lv[i], iters[i]);
			if (!ns) {
				snprintf(g->res[i].na, sizeof(g->res[i].na),
					 "failed (see the error above)");
				iters[i] = 0;
				continue;
			}
			record(g, &g->impl[i], &g->res[i], ns, iters[i]);
		}
	}
}

void run_group(struct group *g)
{
	struct live lv[MAX_IMPLS];
	uint64_t iters[MAX_IMPLS] = { 0 };
	int i;

	signal(SIGALRM, on_alarm);
	memset(lv, 0, sizeof(lv));
	for (i = 0; i < g->nimpl; i++) {
		struct impl *im = &g->impl[i];
		struct result *res = &g->res[i];

		res->impl = im->name;
		res->kipc = im->kipc;
		if (res->na[0])
			continue;
		if (im->setup && im->setup(im, res->na, sizeof(res->na))) {
			if (!res->na[0])
				snprintf(res->na, sizeof(res->na), "not available");
			continue;
		}
		lv[i].im = im;
		lv[i].mode = g->mode;
		lv[i].n = im->npeers;
		live_start(&lv[i]);
	}
	if (!lat) {
		lat_cap = 1 << 20;
		lat = malloc(lat_cap * sizeof(*lat));
	}
	if (g->sequential) {
		for (i = 0; i < g->nimpl; i++)
			if (lv[i].im)
				take_samples(g, lv, iters, i, i + 1);
	} else {
		take_samples(g, lv, iters, 0, g->nimpl);
	}
	for (i = 0; i < g->nimpl; i++) {
		struct result *res = &g->res[i];
		double lo, hi;
		int k;

		if (lv[i].im) {
			live_stop(&lv[i]);
			if (g->impl[i].teardown && g->impl[i].teardown(&g->impl[i]) &&
			    !res->na[0])
				snprintf(res->na, sizeof(res->na),
					 "failed: the check after the run (see above)");
		}
		if (res->na[0] || !res->n) {
			res->n = 0;
			continue;
		}
		res->median = median_of(res->samples, res->n);
		res->p99med = g->kind == K_LAT ? median_of(res->p99, res->n) : 0;
		res->mean = g->kind == K_LAT ? median_of(res->means, res->n) : 0;
		lo = hi = res->samples[0];
		for (k = 1; k < res->n; k++) {
			lo = fmin(lo, res->samples[k]);
			hi = fmax(hi, res->samples[k]);
		}
		res->spread = res->median > 0 ? (hi - lo) / res->median * 100 : 0;
	}
	/* ratios against the group's baselines (pipe, POSIX mq...), same run */
	for (i = 0; i < g->nimpl; i++) {
		struct result *res = &g->res[i];
		int k;

		if (!res->kipc || !res->n)
			continue;
		for (k = 0; k < g->nimpl; k++) {
			struct result *b = &g->res[k];

			if (!b->n || b->median <= 0)
				continue;
			if (g->base[0] && !strcmp(b->impl, g->base[0]))
				pair_ratio(res, b, !g->sequential, &res->ratio[0],
					   &res->rlo[0], &res->rhi[0]);
			if (g->base[1] && !strcmp(b->impl, g->base[1]))
				pair_ratio(res, b, !g->sequential, &res->ratio[1],
					   &res->rlo[1], &res->rhi[1]);
		}
	}
	if (g->post)
		g->post(g);
}
