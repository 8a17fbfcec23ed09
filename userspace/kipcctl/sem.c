// SPDX-License-Identifier: GPL-2.0
/*
 * kipcctl sem: create, wait on, post and inspect named semaphores through
 * libkipc (kipc_sem_*).  One function per action; --help on each.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kipc.h>
#include "kipc.h"
#include "kipcctl.h"

static int sem_usage(FILE *f, int ret)
{
	fprintf(f,
		"Usage:\n"
		" kipcctl [--json] sem create  NAME [-v VALUE] [-m MODE] [-x]\n"
		" kipcctl [--json] sem wait    NAME [-t SECONDS] [-u] [--hold SECONDS]\n"
		" kipcctl [--json] sem trywait NAME [-u] [--hold SECONDS]\n"
		" kipcctl [--json] sem post    NAME [-n COUNT]\n"
		" kipcctl [--json] sem get     NAME\n"
		" kipcctl [--json] sem unlink  NAME\n\n"
		"Named counting semaphores (POSIX sem_open semantics, in the kernel).\n\n"
		"Options:\n"
		" -v, --value VALUE    initial value for create (0..%d, default 0)\n"
		" -m, --mode MODE      permission bits for create (octal, default 0600)\n"
		" -x, --excl           create fails if the semaphore exists\n"
		" -t, --timeout SECS   wait at most this long (ETIMEDOUT: exit 1)\n"
		" -u, --undo           robust holder: the unit goes back when kipcctl\n"
		"                      exits or is killed, and its next taker is told\n"
		"     --hold SECS      after taking the unit, keep it this long\n"
		"                      before exiting (with -u it is then returned)\n"
		" -n, --count COUNT    post this many units (default 1)\n"
		" -j, --json           machine-readable output\n"
		" -h, --help           display this help\n\n"
		"Exit status: 0 done (a wait that got a dead holder's unit says so\n"
		"but succeeds), 1 failure (including EAGAIN and ETIMEDOUT).\n",
		KIPC_SEM_VALUE_MAX);
	return ret;
}

struct sem_opts {
	unsigned long long value;
	unsigned long long count;
	mode_t mode;
	bool excl;
	bool undo;
	bool timeout;
	struct timespec rel;
	bool hold;
	struct timespec hold_for;
};

static int parse(int argc, char **argv, struct sem_opts *o)
{
	static const struct option opts[] = {
		{ "value", required_argument, NULL, 'v' },
		{ "mode", required_argument, NULL, 'm' },
		{ "excl", no_argument, NULL, 'x' },
		{ "timeout", required_argument, NULL, 't' },
		{ "undo", no_argument, NULL, 'u' },
		{ "hold", required_argument, NULL, 'H' },
		{ "count", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	long mode;
	int c;

	while ((c = getopt_long(argc, argv, "v:m:xt:un:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			if (kipcctl_parse_size(optarg, &o->value) ||
			    o->value > KIPC_SEM_VALUE_MAX)
				goto bad;
			break;
		case 'm':
			errno = 0;
			mode = strtol(optarg, &end, 8);
			if (errno || *end || !*optarg || mode < 0 || mode > 0777)
				goto bad;
			o->mode = mode;
			break;
		case 'x':
			o->excl = true;
			break;
		case 't':
			if (kipcctl_parse_seconds(optarg, &o->rel))
				goto bad;
			o->timeout = true;
			break;
		case 'u':
			o->undo = true;
			break;
		case 'H':
			if (kipcctl_parse_seconds(optarg, &o->hold_for))
				goto bad;
			o->hold = true;
			break;
		case 'n':
			if (kipcctl_parse_size(optarg, &o->count) || !o->count ||
			    o->count > KIPC_SEM_VALUE_MAX)
				goto bad;
			break;
		case 'j':
			kipcctl_json = true;
			break;
		case 'h':
			return 1;
		default:
			return -1;
		}
	}
	return 0;
bad:
	fprintf(stderr, "kipcctl: sem: bad value '%s' for -%c\n", optarg, c);
	return -1;
}

static void json_head(const char *op, const char *name)
{
	printf("{\"operation\":\"%s\",\"name\":", op);
	kipcctl_json_str(stdout, name);
}

static int do_create(const char *name, const struct sem_opts *o)
{
	kipc_sem_t *s;

	s = kipc_sem_open(name, O_CREAT | (o->excl ? O_EXCL : 0), o->mode,
			  (unsigned int)o->value);
	if (!s) {
		kipcctl_err("sem create", name, errno);
		return KIPCCTL_FAIL;
	}
	kipc_sem_close(s);
	if (kipcctl_json) {
		json_head("create", name);
		printf(",\"value\":%llu}\n", o->value);
	}
	return KIPCCTL_OK;
}

static int do_wait(const char *name, const struct sem_opts *o, bool try)
{
	const char *op = try ? "sem trywait" : "sem wait";
	bool dead = false;
	struct timespec abs;
	kipc_sem_t *s;
	int r;

	s = kipc_sem_open(name, o->undo ? KIPC_SEM_UNDO : 0);
	if (!s) {
		kipcctl_err(op, name, errno);
		return KIPCCTL_FAIL;
	}
	if (try) {
		r = kipc_sem_trywait(s);
	} else if (o->timeout) {
		clock_gettime(CLOCK_MONOTONIC, &abs);
		abs.tv_sec += o->rel.tv_sec;
		abs.tv_nsec += o->rel.tv_nsec;
		if (abs.tv_nsec >= 1000000000L) {
			abs.tv_sec++;
			abs.tv_nsec -= 1000000000L;
		}
		r = kipc_sem_clockwait(s, CLOCK_MONOTONIC, &abs);
	} else {
		r = kipc_sem_wait(s);
	}
	if (r && errno == EOWNERDEAD) {
		dead = true;
		r = 0;
		fprintf(stderr, "kipcctl: %s %s: got a unit a dead holder returned\n",
			op, name);
	}
	if (r) {
		kipcctl_err(op, name, errno);
		kipc_sem_close(s);
		return KIPCCTL_FAIL;
	}
	if (kipcctl_json) {
		json_head(try ? "trywait" : "wait", name);
		printf(",\"owner_dead\":%s,\"undo\":%s}\n", dead ? "true" : "false",
		       o->undo ? "true" : "false");
	}
	fflush(stdout);
	if (o->hold)
		nanosleep(&o->hold_for, NULL);
	kipc_sem_close(s);	/* with --undo, this gives the unit back */
	return KIPCCTL_OK;
}

static int do_post(const char *name, const struct sem_opts *o)
{
	unsigned long long i;
	kipc_sem_t *s;

	s = kipc_sem_open(name, 0);
	if (!s) {
		kipcctl_err("sem post", name, errno);
		return KIPCCTL_FAIL;
	}
	for (i = 0; i < o->count; i++) {
		if (kipc_sem_post(s)) {
			kipcctl_err("sem post", name, errno);
			kipc_sem_close(s);
			return KIPCCTL_FAIL;
		}
	}
	kipc_sem_close(s);
	if (kipcctl_json) {
		json_head("post", name);
		printf(",\"count\":%llu}\n", o->count);
	}
	return KIPCCTL_OK;
}

static int do_get(const char *name)
{
	struct kipc_sem_state st;
	kipc_sem_t *s;

	s = kipc_sem_open(name, 0);
	if (!s) {
		kipcctl_err("sem get", name, errno);
		return KIPCCTL_FAIL;
	}
	if (ioctl(kipc_sem_fd(s), KIPC_IOC_SEM_GETVALUE, &st)) {
		kipcctl_err("sem get", name, errno);
		kipc_sem_close(s);
		return KIPCCTL_FAIL;
	}
	kipc_sem_close(s);
	if (kipcctl_json) {
		json_head("get", name);
		printf(",\"value\":%u,\"waiters\":%u}\n", st.value, st.waiters);
	} else {
		printf("value %u\nwaiters %u\n", st.value, st.waiters);
	}
	return KIPCCTL_OK;
}

int kipcctl_sem(int argc, char **argv)
{
	struct sem_opts o = { .mode = 0600, .count = 1 };
	const char *action, *name;
	int r;

	if (argc < 2)
		return sem_usage(stderr, KIPCCTL_USAGE);
	action = argv[1];
	if (!strcmp(action, "-h") || !strcmp(action, "--help"))
		return sem_usage(stdout, KIPCCTL_OK);
	r = parse(argc - 1, argv + 1, &o);
	if (r)
		return r > 0 ? sem_usage(stdout, KIPCCTL_OK) :
			       sem_usage(stderr, KIPCCTL_USAGE);
	if (optind + 1 != argc - 1) {
		fprintf(stderr, "kipcctl: sem %s: expected one NAME\n", action);
		return sem_usage(stderr, KIPCCTL_USAGE);
	}
	name = argv[optind + 1];
	if (!strcmp(action, "create"))
		return do_create(name, &o);
	if (!strcmp(action, "wait"))
		return do_wait(name, &o, false);
	if (!strcmp(action, "trywait"))
		return do_wait(name, &o, true);
	if (!strcmp(action, "post"))
		return do_post(name, &o);
	if (!strcmp(action, "get"))
		return do_get(name);
	if (!strcmp(action, "unlink")) {
		if (kipc_sem_unlink(name)) {
			kipcctl_err("sem unlink", name, errno);
			return KIPCCTL_FAIL;
		}
		if (kipcctl_json) {
			json_head("unlink", name);
			printf("}\n");
		}
		return KIPCCTL_OK;
	}
	fprintf(stderr, "kipcctl: sem: unknown action '%s'\n", action);
	return sem_usage(stderr, KIPCCTL_USAGE);
}
