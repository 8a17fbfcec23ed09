/* SPDX-License-Identifier: GPL-2.0 */
/* kipc-bench: what every part of the benchmark shares. */
#ifndef KIPC_BENCH_H
#define KIPC_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define MAX_PEERS	8
#define MAX_IMPLS	12
#define BATCH		64

enum mode { MODE_PROC, MODE_THREAD };
enum kind { K_LAT, K_RATE };	/* a time per op (lower better) or a rate */

/* The options, set once in main. */
struct opts {
	int quick;
	int reps;		/* samples per implementation */
	double sample_s;	/* target length of one sample */
	int fanin;		/* producers for fan-in */
	int contend;		/* processes for contended semaphores */
	int open_big;		/* queues for the open-scaling case */
	const char *only;	/* run only sections whose name contains this */
	const char *test;	/* ... and tests whose name contains this */
	const char *impl;	/* ... and these implementations (+ baselines) */
	size_t size;		/* ... and this payload size (0: all) */
};
extern struct opts opt;
extern int ncpu;

/* A run of @fn by the main side (role 0) and @npeers peers (roles 1..). */
typedef int (*work_fn)(void *arg, int role, uint64_t iters);

/* One implementation's slot in a group: what the runner fills. */
struct result {
	const char *impl;
	int kipc;		/* a kipc mechanism: gets ratios */
	char na[160];		/* non-empty: not available, and why */
	double samples[64];	/* per-sample figure (ns/op or ops/s) */
	double p99[64];		/* latency: per-sample 99th percentile */
	double means[64];	/* latency: per-sample batch mean */
	int n;
	double median, spread, p99med, mean;
	double ratio[2];	/* kipc / group's base[k]; 0: none (runner.c) */
	double rlo[2], rhi[2];	/* quartiles of the paired ratios; 0: none */
};

/*
 * One implementation of a group.  setup() makes the objects (before the
 * peers start, so processes inherit them) and returns 0, or -1 after
 * filling res->na.  fn runs the work for every role; teardown frees.
 */
struct impl {
	const char *name;
	int kipc;
	int npeers;
	void *arg;
	int (*setup)(struct impl *im, char *na, size_t nasz);
	work_fn fn;
	int (*teardown)(struct impl *im);	/* non-zero: results invalid */
	void (*prepare)(struct impl *im);	/* before each sample, untimed */
	uint64_t ops_per_iter;	/* ops counted per iteration (default 1) */
	double *lat_buf;	/* role 0 stores per-iteration ns here */
	uint64_t lat_cap;
};

struct group {
	const char *section;	/* messaging, semaphore, shm, fan-in, open */
	const char *test;	/* round-trip, stream, ... */
	const char *unit;	/* ns, msg/s, op/s */
	enum kind kind;
	enum mode mode;
	size_t size;		/* payload bytes, 0: none */
	int nimpl;
	struct impl impl[MAX_IMPLS];
	struct result res[MAX_IMPLS];
	const char *base[2];	/* what kipc results are compared with */
	int sequential;		/* one implementation after the other, not A B A B */
	char note[256];
	void (*post)(struct group *g);
};

/* runner.c */
void pin_self(int cpu);
uint64_t now_ns(void);
void run_group(struct group *g);
void lat_record(struct impl *im, uint64_t i, uint64_t ns);
/*
 * Per-operation timestamps cost a clock read each (a syscall and an
 * emulated HPET read in the TCG guest), so only every lat_every-th
 * operation is timed on its own, for the median and p99 (every one when a
 * sample has few operations); all are timed as a batch (the mean).
 */
#define LAT_EVERY	8
extern uint64_t lat_every;
#define LAT_TIMED(i)	((i) % lat_every == 0)
extern uint64_t clock_cost_ns;
extern struct impl *cur_impl;
struct group *new_group(const char *section, const char *test, enum kind k,
			enum mode m, size_t size);
extern struct group *groups[];
extern int ngroups;
void set_na(char *na, size_t nasz, const char *what, int err);

/* payload.c: what every message carries, and its check */
void payload_fill(void *buf, size_t len);
void payload_stamp(void *buf, size_t len, uint64_t seq);
int payload_check(const void *buf, size_t len, uint64_t seq);
void *alloc_buf(size_t len);	/* page-aligned, prefaulted */
void *alloc_shared(size_t len);	/* MAP_SHARED anonymous, prefaulted */

/* the sections */
void add_msg_groups(void);
void add_sem_groups(void);
void add_shm_groups(void);
void add_open_groups(void);

/* output.c */
void env_collect(void);
void print_table(FILE *f);
void print_json(FILE *f);
void print_csv(FILE *f);

#endif
