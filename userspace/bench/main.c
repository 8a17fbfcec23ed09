// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: what each way of sharing work costs, threads or processes,
 * kipc's objects beside the kernel's own IPC, in one run.  See --help.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bench.h"

struct opts opt = {
	.reps = 7,
	.sample_s = 0.2,
	.fanin = 4,
	.contend = 4,
	.open_big = 10000,
};
int ncpu;

static void usage(FILE *f)
{
	fprintf(f,
"Usage: kipc-bench [OPTIONS]\n"
"\n"
"Measure kipc's queues, semaphores and shared memory beside pipes, unix\n"
"sockets, POSIX and SysV message queues, POSIX and SysV semaphores and POSIX\n"
"shared memory, between two processes and between two threads, in one run.\n"
"Each sample runs for a fixed time (iterations auto-scaled after a warm-up);\n"
"the implementations of one row group are sampled in turn (A B C A B C...),\n"
"and each figure is the median of the samples, with the spread\n"
"(max-min)/median.  The main side is pinned to CPU 0 and peer k to CPU k mod\n"
"the number of CPUs.  Payloads carry sequence numbers and are checked.\n"
"Every kipc figure is also given as a ratio to the same run's baselines:\n"
"pipe and POSIX mq (messaging), POSIX and SysV semaphores, pipe and POSIX\n"
"shm; for times below 1 is better, for rates above 1 is better.  The ratio\n"
"is the median of the per-round ratios (kipc's k-th sample over the\n"
"baseline's k-th, taken moments apart), with their quartiles in brackets;\n"
"groups run one implementation after the other (open) give the ratio of\n"
"the medians, without brackets.\n"
"\n"
"Options:\n"
"  --quick          fewer sizes and samples (about a minute under emulation)\n"
"  --json           print JSON instead of the table\n"
"  --csv            print CSV instead of the table\n"
"  --output-dir DIR also write DIR/results.md, results.json, results.csv\n"
"  --reps N         samples per implementation (default 7, quick 3)\n"
"  --time SECONDS   length of one sample (default 0.2, quick 0.05)\n"
"  --only SECTION   only groups whose section contains SECTION\n"
"                   (messaging, fan-in, semaphore, shm, open)\n"
"  --test TEST      only groups whose test contains TEST (round-trip,\n"
"                   stream, ping-pong...)\n"
"  --impl NAME      only implementations whose name contains NAME, and the\n"
"                   group's baselines for the ratios (for profiling one)\n"
"  --size BYTES     only groups with this payload size\n"
"  --procs N        producers for fan-in and contenders (default 4)\n"
"  --queues N       queues for the open-scaling case (default 10000)\n"
"  -h, --help       this help\n"
"\n"
"Exit status: 0 when every available mechanism was measured, 1 on bad\n"
"usage, 2 when a measurement failed (payload check, syscall error).\n");
}

static int selected(const struct group *g)
{
	return (!opt.only || strstr(g->section, opt.only)) &&
	       (!opt.test || strstr(g->test, opt.test)) &&
	       (!opt.size || g->size == opt.size);
}

/* --impl: keep the matching implementations and the group's baselines. */
static void pick_impls(struct group *g)
{
	int k, n = 0;

	if (!opt.impl)
		return;
	for (k = 0; k < g->nimpl; k++) {
		const char *name = g->impl[k].name;

		if (strstr(name, opt.impl) ||
		    (g->base[0] && !strcmp(name, g->base[0])) ||
		    (g->base[1] && !strcmp(name, g->base[1]))) {
			g->impl[n] = g->impl[k];
			g->res[n] = g->res[k];
			n++;
		}
	}
	g->nimpl = n;
}

static FILE *open_out(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "kipc-bench: %s: open: %s\n", path, strerror(errno));
		exit(2);
	}
	return f;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "quick", no_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'j' },
		{ "csv", no_argument, NULL, 'c' },
		{ "output-dir", required_argument, NULL, 'o' },
		{ "reps", required_argument, NULL, 'r' },
		{ "time", required_argument, NULL, 't' },
		{ "only", required_argument, NULL, 's' },
		{ "test", required_argument, NULL, 'T' },
		{ "impl", required_argument, NULL, 'I' },
		{ "size", required_argument, NULL, 'S' },
		{ "procs", required_argument, NULL, 'p' },
		{ "queues", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int fmt = 0, reps = 0, c, i, failed = 0;
	double t = 0;
	uint64_t t_start;
	const char *dir = NULL;
	char *end;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'q':
			opt.quick = 1;
			break;
		case 'j':
			fmt = 1;
			break;
		case 'c':
			fmt = 2;
			break;
		case 'o':
			dir = optarg;
			break;
		case 'r':
			reps = strtol(optarg, &end, 10);
			if (*end || reps < 1 || reps > 64) {
				fprintf(stderr, "kipc-bench: --reps: 1..64\n");
				return 1;
			}
			break;
		case 't':
			t = strtod(optarg, &end);
			if (*end || t <= 0 || t > 60) {
				fprintf(stderr, "kipc-bench: --time: seconds, 0..60\n");
				return 1;
			}
			break;
		case 's':
			opt.only = optarg;
			break;
		case 'T':
			opt.test = optarg;
			break;
		case 'I':
			opt.impl = optarg;
			break;
		case 'S':
			opt.size = strtoul(optarg, &end, 10);
			if (*end || !opt.size || opt.size > 65536) {
				fprintf(stderr, "kipc-bench: --size: 1..65536\n");
				return 1;
			}
			break;
		case 'p':
			opt.fanin = strtol(optarg, &end, 10);
			if (*end || opt.fanin < 2 || opt.fanin > MAX_PEERS) {
				fprintf(stderr, "kipc-bench: --procs: 2..%d\n", MAX_PEERS);
				return 1;
			}
			opt.contend = opt.fanin;
			break;
		case 'n':
			opt.open_big = strtol(optarg, &end, 10);
			if (*end || opt.open_big < 11 || opt.open_big > 1000000) {
				fprintf(stderr, "kipc-bench: --queues: 11..1000000\n");
				return 1;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "kipc-bench: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 1;
	}
	if (opt.quick) {
		opt.reps = 3;
		opt.sample_s = 0.05;
	}
	if (reps)
		opt.reps = reps;
	if (t > 0)
		opt.sample_s = t;
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpu < 1)
		ncpu = 1;
	setvbuf(stderr, NULL, _IONBF, 0);
	pin_self(0);
	env_collect();
	t_start = now_ns();

	add_msg_groups();
	add_sem_groups();
	add_shm_groups();
	add_open_groups();
	for (i = 0; i < ngroups; i++) {
		struct group *g = groups[i];

		if (!selected(g))
			continue;
		pick_impls(g);
		fprintf(stderr, "kipc-bench: [%d/%d] %.1fs %s %s %s %zu\n", i + 1,
			ngroups, (now_ns() - t_start) / 1e9, g->section, g->test,
			g->mode == MODE_PROC ? "processes" : "threads", g->size);
		run_group(g);
	}
	fprintf(stderr, "kipc-bench: done in %.1fs\n", (now_ns() - t_start) / 1e9);
	for (i = 0; i < ngroups; i++) {
		int k;

		if (!selected(groups[i]))
			groups[i]->nimpl = 0;
		for (k = 0; k < groups[i]->nimpl; k++)
			if (strstr(groups[i]->res[k].na, "failed"))
				failed = 1;
	}
	if (dir) {
		FILE *f;

		mkdir(dir, 0755);
		f = open_out(dir, "results.md");
		print_table(f);
		fclose(f);
		f = open_out(dir, "results.json");
		print_json(f);
		fclose(f);
		f = open_out(dir, "results.csv");
		print_csv(f);
		fclose(f);
	}
	if (fmt == 1)
		print_json(stdout);
	else if (fmt == 2)
		print_csv(stdout);
	else
		print_table(stdout);
	return failed ? 2 : 0;
}
