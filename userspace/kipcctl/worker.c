// SPDX-License-Identifier: GPL-2.0
/*
 * kipcctl worker: start, stop, list and tune kernel worker pools
 * (KIPC_WORKER_IOC_*, /sys/kernel/kipc/workers/<id>/).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kipc.h"
#include "kipcctl.h"
#include <linux/kipc.h>

#define WORKERS_DIR "/sys/kernel/kipc/workers"

static void usage(FILE *f)
{
	fprintf(f, "Usage:\n"
		   " kipcctl worker start [--threads N] OP INPUT [OUTPUT]\n"
		   " kipcctl worker stop ID...\n"
		   " kipcctl worker ls\n"
		   " kipcctl worker set ID [--threads N] [--nice N] [--cpus LIST]\n\n"
		   "Kernel thread pools that take messages from queue INPUT\n"
		   "and answer on queue OUTPUT.  OP is echo (same payload and\n"
		   "priority back), checksum (CRC32C of the payload, 4 bytes\n"
		   "little-endian) or sink (consume and count; no OUTPUT).\n"
		   "start, stop and set need root.\n\n"
		   "Options:\n"
		   " -t, --threads N  threads of the pool (start default 1)\n"
		   " -n, --nice N     nice of its threads (-20..19)\n"
		   " -c, --cpus LIST  CPUs its threads may use (e.g. 0-1,3)\n"
		   " -j, --json       machine-readable output\n"
		   " -h, --help       display this help\n");
}

static int pool_read(const char *id, const char *file, char *buf, size_t len)
{
	char path[512];

	snprintf(path, sizeof(path), WORKERS_DIR "/%s/%s", id, file);
	return kipcctl_read_line(path, buf, len);
}

static int pool_write(const char *id, const char *file, const char *val)
{
	char path[512];

	snprintf(path, sizeof(path), WORKERS_DIR "/%s/%s", id, file);
	return kipcctl_write_str(path, val);
}

static int parse_id(const char *s, unsigned long long *id)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	*id = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

static int worker_start(int argc, char **argv, const char *threads)
{
	unsigned long long id, n = 1;
	const char *op, *in, *out = NULL;

	if (argc < 2 || argc > 3) {
		usage(stderr);
		return KIPCCTL_USAGE;
	}
	op = argv[0];
	in = argv[1];
	if (argc == 3)
		out = argv[2];
	if (kipc_worker_op(op) < 0) {
		fprintf(stderr, "kipcctl worker: unknown operation '%s'\n", op);
		return KIPCCTL_USAGE;
	}
	if ((kipc_worker_op(op) == KIPC_WORKER_SINK) != !out) {
		fprintf(stderr, "kipcctl worker: %s %s\n", op,
			out ? "takes no OUTPUT queue" : "needs an OUTPUT queue");
		return KIPCCTL_USAGE;
	}
	if (threads && (kipcctl_parse_size(threads, &n) || n > ~0U)) {
		fprintf(stderr, "kipcctl worker: bad threads '%s'\n", threads);
		return KIPCCTL_USAGE;
	}
	if (kipc_worker_start(in, out, op, n, &id)) {
		kipcctl_err("start worker pool on", in, errno);
		return KIPCCTL_FAIL;
	}
	if (kipcctl_json)
		printf("{\"id\":%llu}\n", id);
	else
		printf("%llu\n", id);
	return KIPCCTL_OK;
}

static int worker_stop(int argc, char **argv)
{
	unsigned long long id;
	int i, rc = KIPCCTL_OK;

	if (argc < 1) {
		usage(stderr);
		return KIPCCTL_USAGE;
	}
	for (i = 0; i < argc; i++) {
		if (parse_id(argv[i], &id)) {
			fprintf(stderr, "kipcctl worker: bad id '%s'\n",
				argv[i]);
			return KIPCCTL_USAGE;
		}
	}
	for (i = 0; i < argc; i++) {
		parse_id(argv[i], &id);
		if (kipc_worker_stop(id)) {
			kipcctl_err("stop worker pool", argv[i], errno);
			rc = KIPCCTL_FAIL;
		}
	}
	return rc;
}

static const char * const ls_files[] = {
	"op", "input", "output", "threads", "state", "processed", "errors",
	"dropped", "nice", "cpus",
};
#define LS_N (sizeof(ls_files) / sizeof(ls_files[0]))

static int id_cmp(const void *a, const void *b)
{
	unsigned long long x = strtoull(*(char * const *)a, NULL, 10);
	unsigned long long y = strtoull(*(char * const *)b, NULL, 10);

	return x < y ? -1 : x > y;
}

static int worker_ls(void)
{
	char *ids[1024], v[LS_N][128];
	struct dirent *d;
	size_t n = 0, i, f;
	DIR *dir;

	dir = opendir(WORKERS_DIR);
	if (!dir) {
		kipcctl_err("open", WORKERS_DIR, errno);
		return KIPCCTL_FAIL;
	}
	while ((d = readdir(dir)) && n < 1024)
		if (d->d_name[0] >= '0' && d->d_name[0] <= '9')
			ids[n++] = strdup(d->d_name);
	closedir(dir);
	qsort(ids, n, sizeof(ids[0]), id_cmp);
	if (kipcctl_json)
		printf("[");
	else
		printf("%-4s %-8s %-16s %-16s %7s %-7s %10s %6s %7s %4s %s\n",
		       "ID", "OP", "INPUT", "OUTPUT", "THREADS", "STATE",
		       "PROCESSED", "ERRORS", "DROPPED", "NICE", "CPUS");
	for (i = 0; i < n; i++) {
		for (f = 0; f < LS_N; f++)
			if (!ids[i] || pool_read(ids[i], ls_files[f], v[f],
						 sizeof(v[f])))
				break;
		if (f < LS_N)	/* stopped meanwhile */
			goto next;
		if (kipcctl_json) {
			printf("%s{\"id\":%s", i ? "," : "", ids[i]);
			for (f = 0; f < LS_N; f++) {
				printf(",\"%s\":", ls_files[f]);
				if (f < 3 || f == 4 || f == LS_N - 1)
					kipcctl_json_str(stdout, v[f]);
				else
					printf("%s", v[f]);
			}
			printf("}");
		} else {
			printf("%-4s %-8s %-16s %-16s %7s %-7s %10s %6s %7s %4s %s\n",
			       ids[i], v[0], v[1], *v[2] ? v[2] : "-", v[3],
			       v[4], v[5], v[6], v[7], v[8], v[9]);
		}
next:
		free(ids[i]);
	}
	if (kipcctl_json)
		printf("]\n");
	return KIPCCTL_OK;
}

static int worker_set(int argc, char **argv, const char *threads,
		      const char *nice, const char *cpus)
{
	const char *files[] = { "threads", "nice", "cpus" };
	const char *vals[] = { threads, nice, cpus };
	unsigned long long id;
	char path[128];
	int i, err;

	if (argc != 1 || parse_id(argv[0], &id)) {
		usage(stderr);
		return KIPCCTL_USAGE;
	}
	if (!threads && !nice && !cpus) {
		fprintf(stderr, "kipcctl worker set: nothing to set\n");
		return KIPCCTL_USAGE;
	}
	for (i = 0; i < 3; i++) {
		if (!vals[i])
			continue;
		err = pool_write(argv[0], files[i], vals[i]);
		if (err) {
			snprintf(path, sizeof(path), WORKERS_DIR "/%s/%s",
				 argv[0], files[i]);
			kipcctl_err("write", path, -err);
			return KIPCCTL_FAIL;
		}
	}
	return KIPCCTL_OK;
}

struct worker_opts {
	const char *threads, *nice, *cpus;
};

/*
 * One getopt scan with @optstring into @o.  Returns -1 when the scan
 * ended normally, else the exit code (help or misuse).
 */
static int worker_getopt(int argc, char **argv, const char *optstring,
			 struct worker_opts *o)
{
	static const struct option opts[] = {
		{ "threads", required_argument, NULL, 't' },
		{ "nice", required_argument, NULL, 'n' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, optstring, opts, NULL)) != -1) {
		switch (c) {
		case 't':
			o->threads = optarg;
			break;
		case 'n':
			o->nice = optarg;
			break;
		case 'c':
			o->cpus = optarg;
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
	return -1;
}

int kipcctl_worker(int argc, char **argv)
{
	struct worker_opts o = { NULL, NULL, NULL };
	const char *threads, *nice, *cpus, *sub;
	int ret;

	ret = worker_getopt(argc, argv, "+t:n:c:jh", &o);
	if (ret >= 0)
		return ret;
	if (optind >= argc) {
		usage(stderr);
		return KIPCCTL_USAGE;
	}
	sub = argv[optind];
	/* options may also follow the subcommand: a fresh, permuting scan */
	argc -= optind;
	argv += optind;
	optind = 0;
	ret = worker_getopt(argc, argv, "t:n:c:jh", &o);
	if (ret >= 0)
		return ret;
	threads = o.threads;
	nice = o.nice;
	cpus = o.cpus;
	argc -= optind;
	argv += optind;
	if (!strcmp(sub, "start") && !nice && !cpus)
		return worker_start(argc, argv, threads);
	if (!strcmp(sub, "stop") && !threads && !nice && !cpus)
		return worker_stop(argc, argv);
	if (!strcmp(sub, "ls") && !argc && !threads && !nice && !cpus)
		return worker_ls();
	if (!strcmp(sub, "set"))
		return worker_set(argc, argv, threads, nice, cpus);
	usage(stderr);
	return KIPCCTL_USAGE;
}
