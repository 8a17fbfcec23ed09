// SPDX-License-Identifier: GPL-2.0
/*
 * kipcctl race: drive the race lab in /sys/kernel/kipc/race/.  Sets the
 * knobs, starts a run per synchronisation mode, waits for it (Ctrl-C
 * cancels the run in the kernel) and prints what each mode lost and cost.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kipcctl.h"

#define RACE_DIR "/sys/kernel/kipc/race/"
#define RACE_MODES_MAX 16

static volatile sig_atomic_t race_interrupted;

static void race_sigint(int sig)
{
	(void)sig;
	race_interrupted = 1;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage:\n kipcctl race [options]\n\n"
		   "Let kernel threads increment one shared counter with a\n"
		   "chosen synchronisation and show the updates lost and the\n"
		   "cost per increment (needs root; Ctrl-C cancels).\n\n"
		   "Options:\n"
		   " -t, --threads N      kernel threads (default: as set)\n"
		   " -i, --iterations N   increments per thread (k/m/g ok)\n"
		   " -s, --sync MODE|all  none, atomic, cmpxchg, spinlock, mutex,\n"
		   "                      semaphore, percpu, or all (default all)\n"
		   " -j, --json           machine-readable output\n"
		   " -h, --help           display this help\n");
}

static int race_write(const char *file, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), RACE_DIR "%s", file);
	return kipcctl_write_str(path, val);
}

static int race_read(const char *file, char *buf, size_t len)
{
	char path[256];

	snprintf(path, sizeof(path), RACE_DIR "%s", file);
	return kipcctl_read_line(path, buf, len);
}

static int race_read_u64(const char *file, unsigned long long *v)
{
	char buf[64], *end;
	int err = race_read(file, buf, sizeof(buf));

	if (err)
		return err;
	errno = 0;
	*v = strtoull(buf, &end, 10);
	if (errno || end == buf || *end)
		return -EIO;
	return 0;
}

struct race_result {
	char mode[32];
	char state[16];
	unsigned long long threads, iterations, expected, observed, lost,
			   elapsed_ns, ns_per_op;
};

/* One run of @mode; 0, or -errno with *@what naming the failed step. */
static int race_one(const char *mode, struct race_result *r,
		    const char **what)
{
	static const struct timespec tick = { 0, 10 * 1000 * 1000 };
	int err;

	memset(r, 0, sizeof(*r));
	snprintf(r->mode, sizeof(r->mode), "%s", mode);
	*what = "set sync";
	err = race_write("sync", mode);
	if (err)
		return err;
	*what = "start run";
	err = race_write("run", "1");
	if (err)
		return err;
	*what = "read run";
	for (;;) {
		err = race_read("run", r->state, sizeof(r->state));
		if (err)
			return err;
		if (strcmp(r->state, "running"))
			break;
		if (race_interrupted) {
			*what = "cancel run";
			err = race_write("run", "0");
			if (err)
				return err;
			continue;
		}
		nanosleep(&tick, NULL);
	}
	*what = "read results";
	if ((err = race_read_u64("threads", &r->threads)) ||
	    (err = race_read_u64("iterations", &r->iterations)) ||
	    (err = race_read_u64("expected", &r->expected)) ||
	    (err = race_read_u64("observed", &r->observed)) ||
	    (err = race_read_u64("lost", &r->lost)) ||
	    (err = race_read_u64("elapsed_ns", &r->elapsed_ns)) ||
	    (err = race_read_u64("ns_per_op", &r->ns_per_op)))
		return err;
	return 0;
}

static void race_print(const struct race_result *r, int n)
{
	int i;

	if (kipcctl_json) {
		printf("[");
		for (i = 0; i < n; i++) {
			printf("%s{\"sync\":", i ? "," : "");
			kipcctl_json_str(stdout, r[i].mode);
			printf(",\"state\":");
			kipcctl_json_str(stdout, r[i].state);
			printf(",\"threads\":%llu,\"iterations\":%llu,"
			       "\"expected\":%llu,\"observed\":%llu,"
			       "\"lost\":%llu,\"elapsed_ns\":%llu,"
			       "\"ns_per_op\":%llu}",
			       r[i].threads, r[i].iterations, r[i].expected,
			       r[i].observed, r[i].lost, r[i].elapsed_ns,
			       r[i].ns_per_op);
		}
		printf("]\n");
		return;
	}
	if (n)
		printf("%llu threads x %llu iterations\n", r[0].threads,
		       r[0].iterations);
	printf("%-10s %14s %14s %14s %9s %12s  %s\n", "SYNC", "EXPECTED",
	       "OBSERVED", "LOST", "NS/OP", "ELAPSED_MS", "STATE");
	for (i = 0; i < n; i++)
		printf("%-10s %14llu %14llu %14llu %9llu %12.1f  %s\n",
		       r[i].mode, r[i].expected, r[i].observed, r[i].lost,
		       r[i].ns_per_op, r[i].elapsed_ns / 1e6, r[i].state);
}

int kipcctl_race(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "threads", required_argument, NULL, 't' },
		{ "iterations", required_argument, NULL, 'i' },
		{ "sync", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *threads = NULL, *sync = "all", *what;
	char iters[32] = "", modes_buf[256], *modes[RACE_MODES_MAX], *tok;
	struct race_result res[RACE_MODES_MAX];
	unsigned long long v;
	struct sigaction sa;
	int c, n = 0, i, err;

	while ((c = getopt_long(argc, argv, "t:i:s:jh", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			threads = optarg;
			break;
		case 'i':
			if (kipcctl_parse_size(optarg, &v)) {
				fprintf(stderr, "kipcctl race: bad iterations '%s'\n",
					optarg);
				return KIPCCTL_USAGE;
			}
			snprintf(iters, sizeof(iters), "%llu", v);
			break;
		case 's':
			sync = optarg;
			break;
		case 'j':
			kipcctl_json = true;
			break;
		case 'h':
			usage(stdout);
			return KIPCCTL_OK;
		default:
			usage(stderr);
			return KIPCCTL_USAGE;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return KIPCCTL_USAGE;
	}

	err = race_read("sync_modes", modes_buf, sizeof(modes_buf));
	if (err) {
		kipcctl_err("read", RACE_DIR "sync_modes", -err);
		return KIPCCTL_FAIL;
	}
	for (tok = strtok(modes_buf, " "); tok && n < RACE_MODES_MAX;
	     tok = strtok(NULL, " ")) {
		if (!strcmp(sync, "all") || !strcmp(sync, tok))
			modes[n++] = tok;
	}
	if (!n) {
		fprintf(stderr, "kipcctl race: unknown sync mode '%s'\n", sync);
		return KIPCCTL_USAGE;
	}
	if (threads) {
		err = race_write("threads", threads);
		if (err) {
			kipcctl_err("set threads", threads, -err);
			return KIPCCTL_FAIL;
		}
	}
	if (*iters) {
		err = race_write("iterations", iters);
		if (err) {
			kipcctl_err("set iterations", iters, -err);
			return KIPCCTL_FAIL;
		}
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = race_sigint;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (i = 0; i < n && !race_interrupted; i++) {
		err = race_one(modes[i], &res[i], &what);
		if (err) {
			kipcctl_err(what, modes[i], -err);
			return KIPCCTL_FAIL;
		}
	}
	race_print(res, i);
	return race_interrupted ? KIPCCTL_FAIL : KIPCCTL_OK;
}
