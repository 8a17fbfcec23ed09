// SPDX-License-Identifier: GPL-2.0
/*
 * kipcctl mq: create, send to, receive from, describe and unlink named
 * message queues.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kipc.h"
#include "kipcctl.h"

static int mq_usage(FILE *f, int ret)
{
	fprintf(f,
		"Usage:\n"
		" kipcctl [--json] mq create NAME [--maxmsg N] [--msgsize N] [--mode OCTAL] [--excl]\n"
		" kipcctl [--json] mq send NAME [MESSAGE] [--prio P] [--timeout SEC] [--nonblock]\n"
		" kipcctl [--json] mq recv NAME [--count N] [--timeout SEC] [--nonblock]\n"
		" kipcctl [--json] mq attr NAME\n"
		" kipcctl [--json] mq unlink NAME\n\n"
		"Named message queues of /dev/kipc.  send reads the message from\n"
		"standard input when MESSAGE is omitted; recv writes each message's\n"
		"bytes to standard output (with --json: one object per message).\n\n"
		"Options:\n"
		" -m, --maxmsg N     capacity in messages (create)\n"
		" -s, --msgsize N    largest message in bytes, k/m suffixes (create)\n"
		" -M, --mode OCTAL   permission bits (create; default 0600)\n"
		" -x, --excl         fail if the queue exists (create)\n"
		" -p, --prio P       priority 0..32767 (send; default 0)\n"
		" -t, --timeout SEC  give up after SEC seconds (send, recv)\n"
		" -n, --nonblock     fail with EAGAIN instead of waiting\n"
		" -c, --count N      receive N messages (recv; default 1)\n"
		" -j, --json         machine-readable output\n"
		" -h, --help         display this help\n");
	return ret;
}

struct mq_opts {
	long maxmsg, msgsize, count;
	unsigned int prio;
	mode_t mode;
	bool excl, nonblock, timed;
	struct timespec timeout;
};

static int parse(int argc, char **argv, struct mq_opts *o)
{
	static const struct option opts[] = {
		{ "maxmsg", required_argument, NULL, 'm' },
		{ "msgsize", required_argument, NULL, 's' },
		{ "mode", required_argument, NULL, 'M' },
		{ "excl", no_argument, NULL, 'x' },
		{ "prio", required_argument, NULL, 'p' },
		{ "timeout", required_argument, NULL, 't' },
		{ "nonblock", no_argument, NULL, 'n' },
		{ "count", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long v;
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->mode = 0600;
	o->count = 1;
	while ((c = getopt_long(argc, argv, "m:s:M:xp:t:nc:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
		case 's':
		case 'c':
			if (kipcctl_parse_size(optarg, &v) || v > (1ULL << 40)) {
				fprintf(stderr, "kipcctl: mq: bad number '%s'\n", optarg);
				return -1;
			}
			if (c == 'm')
				o->maxmsg = v;
			else if (c == 's')
				o->msgsize = v;
			else
				o->count = v;
			break;
		case 'M':
			errno = 0;
			v = strtoull(optarg, &end, 8);
			if (errno || *end || end == optarg || v > 0777) {
				fprintf(stderr, "kipcctl: mq: bad mode '%s'\n", optarg);
				return -1;
			}
			o->mode = v;
			break;
		case 'x':
			o->excl = true;
			break;
		case 'p':
			if (kipcctl_parse_size(optarg, &v) || v > 0xffffffffULL) {
				fprintf(stderr, "kipcctl: mq: bad priority '%s'\n", optarg);
				return -1;
			}
			o->prio = v;
			break;
		case 't':
			if (kipcctl_parse_seconds(optarg, &o->timeout)) {
				fprintf(stderr, "kipcctl: mq: bad timeout '%s'\n", optarg);
				return -1;
			}
			o->timed = true;
			break;
		case 'n':
			o->nonblock = true;
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
}

/* The absolute CLOCK_MONOTONIC time @o->timeout from now, or NULL. */
static const struct timespec *deadline(const struct mq_opts *o,
				       struct timespec *abs)
{
	if (!o->timed)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, abs);
	abs->tv_sec += o->timeout.tv_sec;
	abs->tv_nsec += o->timeout.tv_nsec;
	if (abs->tv_nsec >= 1000000000L) {
		abs->tv_sec++;
		abs->tv_nsec -= 1000000000L;
	}
	return abs;
}

static int do_open(const char *name, int oflag, const struct mq_opts *o)
{
	int fd;

	if (o->nonblock)
		oflag |= O_NONBLOCK;
	fd = kipc_mq_open(name, oflag);
	if (fd < 0)
		kipcctl_err("open", name, errno);
	return fd;
}

/* A number from /sys/kernel/kipc/limits/, or @def when unreadable. */
static long limit(const char *file, long def)
{
	char path[256];
	long v = def;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/kipc/limits/%s", file);
	f = fopen(path, "r");
	if (!f)
		return def;
	if (fscanf(f, "%ld", &v) != 1)
		v = def;
	fclose(f);
	return v;
}

/* {"name":NAME, -- the caller prints the rest and the closing brace */
static void json_start(const char *name)
{
	printf("{\"name\":");
	kipcctl_json_str(stdout, name);
}

static int cmd_create(const char *name, const struct mq_opts *o)
{
	struct mq_attr attr = { .mq_maxmsg = o->maxmsg, .mq_msgsize = o->msgsize };
	struct mq_attr got;
	int fd, oflag = O_RDWR | O_CREAT | (o->excl ? O_EXCL : 0);

	/* one given: the other is the module's default */
	if (o->maxmsg && !o->msgsize)
		attr.mq_msgsize = limit("mq_msgsize_default", 8192);
	if (!o->maxmsg && o->msgsize)
		attr.mq_maxmsg = limit("mq_maxmsg_default", 64);
	fd = kipc_mq_open(name, oflag, o->mode,
			  o->maxmsg || o->msgsize ? &attr : NULL);
	if (fd < 0) {
		kipcctl_err("create", name, errno);
		return KIPCCTL_FAIL;
	}
	if (kipcctl_json && !kipc_mq_getattr(fd, &got))
		json_start(name), printf(",\"maxmsg\":%ld,\"msgsize\":%ld}\n",
					 got.mq_maxmsg, got.mq_msgsize);
	close(fd);
	return KIPCCTL_OK;
}

static int cmd_send(const char *name, const char *text, const struct mq_opts *o)
{
	struct timespec abs;
	struct mq_attr attr;
	char *buf = NULL;
	size_t len;
	int fd, ret = KIPCCTL_FAIL;

	fd = do_open(name, O_WRONLY, o);
	if (fd < 0)
		return KIPCCTL_FAIL;
	if (text) {
		len = strlen(text);
		buf = strdup(text);
	} else {
		/* read stdin: at most msgsize + 1 bytes, to report EMSGSIZE */
		if (kipc_mq_getattr(fd, &attr)) {
			kipcctl_err("getattr", name, errno);
			goto out;
		}
		buf = malloc(attr.mq_msgsize + 1);
		len = buf ? fread(buf, 1, attr.mq_msgsize + 1, stdin) : 0;
	}
	if (!buf) {
		kipcctl_err("send", name, ENOMEM);
		goto out;
	}
	if (kipc_mq_clocksend(fd, buf, len, o->prio, CLOCK_MONOTONIC,
			      deadline(o, &abs))) {
		kipcctl_err("send", name, errno);
		goto out;
	}
	if (kipcctl_json)
		json_start(name), printf(",\"sent\":%zu,\"prio\":%u}\n",
					 len, o->prio);
	ret = KIPCCTL_OK;
out:
	free(buf);
	close(fd);
	return ret;
}

static int cmd_recv(const char *name, const struct mq_opts *o)
{
	struct timespec abs;
	struct mq_attr attr;
	unsigned int prio;
	char *buf;
	ssize_t n;
	long i;
	int fd, ret = KIPCCTL_FAIL;

	fd = do_open(name, O_RDONLY, o);
	if (fd < 0)
		return KIPCCTL_FAIL;
	if (kipc_mq_getattr(fd, &attr)) {
		kipcctl_err("getattr", name, errno);
		close(fd);
		return KIPCCTL_FAIL;
	}
	buf = malloc(attr.mq_msgsize);
	if (!buf) {
		kipcctl_err("recv", name, ENOMEM);
		close(fd);
		return KIPCCTL_FAIL;
	}
	for (i = 0; i < o->count; i++) {
		n = kipc_mq_clockreceive(fd, buf, attr.mq_msgsize, &prio,
					 CLOCK_MONOTONIC, deadline(o, &abs));
		if (n < 0) {
			kipcctl_err("recv", name, errno);
			goto out;
		}
		if (kipcctl_json) {
			char *s = strndup(buf, n);

			json_start(name);
			printf(",\"len\":%zd,\"prio\":%u,\"data\":", n, prio);
			kipcctl_json_str(stdout, s ? s : "");
			printf("}\n");
			free(s);
		} else {
			fwrite(buf, 1, n, stdout);
			if (isatty(STDOUT_FILENO))
				putchar('\n');
		}
	}
	ret = KIPCCTL_OK;
out:
	free(buf);
	close(fd);
	return ret;
}

static int cmd_attr(const char *name, const struct mq_opts *o)
{
	struct mq_attr a;
	int fd;

	fd = do_open(name, O_RDONLY, o);
	if (fd < 0)
		return KIPCCTL_FAIL;
	if (kipc_mq_getattr(fd, &a)) {
		kipcctl_err("getattr", name, errno);
		close(fd);
		return KIPCCTL_FAIL;
	}
	close(fd);
	if (kipcctl_json)
		json_start(name), printf(",\"maxmsg\":%ld,\"msgsize\":%ld,\"curmsgs\":%ld}\n",
					 a.mq_maxmsg, a.mq_msgsize, a.mq_curmsgs);
	else
		printf("maxmsg %ld\nmsgsize %ld\ncurmsgs %ld\n",
		       a.mq_maxmsg, a.mq_msgsize, a.mq_curmsgs);
	return KIPCCTL_OK;
}

int kipcctl_mq(int argc, char **argv)
{
	const char *op, *name, *text = NULL;
	struct mq_opts o;
	int r;

	if (argc < 2)
		return mq_usage(stderr, KIPCCTL_USAGE);
	if (kipcctl_wants_help(argc, argv))
		return mq_usage(stdout, KIPCCTL_OK);
	op = argv[1];
	argc--;
	argv++;
	r = parse(argc, argv, &o);
	if (r)
		return r > 0 ? mq_usage(stdout, KIPCCTL_OK) :
			       mq_usage(stderr, KIPCCTL_USAGE);
	if (optind >= argc)
		return mq_usage(stderr, KIPCCTL_USAGE);
	name = argv[optind++];
	if (!strcmp(op, "send") && optind < argc)
		text = argv[optind++];
	if (optind < argc)
		return mq_usage(stderr, KIPCCTL_USAGE);

	if (!strcmp(op, "create"))
		return cmd_create(name, &o);
	if (!strcmp(op, "send"))
		return cmd_send(name, text, &o);
	if (!strcmp(op, "recv"))
		return cmd_recv(name, &o);
	if (!strcmp(op, "attr"))
		return cmd_attr(name, &o);
	if (!strcmp(op, "unlink")) {
		if (kipc_mq_unlink(name)) {
			kipcctl_err("unlink", name, errno);
			return KIPCCTL_FAIL;
		}
		return KIPCCTL_OK;
	}
	fprintf(stderr, "kipcctl: mq: unknown operation '%s'\n", op);
	return mq_usage(stderr, KIPCCTL_USAGE);
}
