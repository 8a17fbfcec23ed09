// SPDX-License-Identifier: GPL-2.0
/*
 * kipcctl shm: create, read, write, stat and unlink named shared-memory
 * regions.  Reading and writing go through pread/pwrite on a handle, so
 * they work on any region without mapping it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kipc.h>
#include "kipc.h"
#include "kipcctl.h"

static int shm_usage(FILE *f, int ret)
{
	fprintf(f,
		"Usage:\n"
		" kipcctl shm create NAME SIZE [--mode MODE] [--excl]\n"
		" kipcctl shm read NAME [--offset N] [--length N] [--raw]\n"
		" kipcctl shm write NAME [--offset N] [DATA|-]\n"
		" kipcctl shm stat NAME\n"
		" kipcctl shm unlink NAME\n\n"
		"Named shared-memory regions of /dev/kipc.\n\n"
		"SIZE, N: bytes, with an optional k, m or g suffix.  SIZE is\n"
		"rounded up to whole pages and fixed at creation.  read prints a\n"
		"hex dump (default: the whole region) or, with --raw, the bytes\n"
		"themselves; write takes DATA from the argument or, without one\n"
		"or with '-', from standard input.\n\n"
		"Options:\n"
		" -o, --offset N   start at byte N (default 0)\n"
		" -l, --length N   read N bytes (default: to the end)\n"
		" -r, --raw        read: write the bytes unchanged to stdout\n"
		" -m, --mode MODE  create: permission bits in octal (default 0600)\n"
		" -x, --excl       create: fail if the region exists\n"
		" -j, --json       machine-readable output\n"
		" -h, --help       display this help\n");
	return ret;
}

struct shm_opts {
	unsigned long long offset, length;
	bool have_length, raw, excl;
	mode_t mode;
};

/* Parse the options after "shm SUB"; returns optind or -1 on misuse. */
static int parse_opts(int argc, char **argv, struct shm_opts *o)
{
	static const struct option opts[] = {
		{ "offset", required_argument, NULL, 'o' },
		{ "length", required_argument, NULL, 'l' },
		{ "raw", no_argument, NULL, 'r' },
		{ "mode", required_argument, NULL, 'm' },
		{ "excl", no_argument, NULL, 'x' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->mode = 0600;
	optind = 0;	/* glibc: reinitialise, then scan from 1 */
	while ((c = getopt_long(argc, argv, "o:l:rm:xjh", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (kipcctl_parse_size(optarg, &o->offset))
				goto bad;
			break;
		case 'l':
			if (kipcctl_parse_size(optarg, &o->length))
				goto bad;
			o->have_length = true;
			break;
		case 'r':
			o->raw = true;
			break;
		case 'm':
			errno = 0;
			o->mode = strtoul(optarg, &end, 8);
			if (errno || *end || end == optarg || o->mode > 0777)
				goto bad;
			break;
		case 'x':
			o->excl = true;
			break;
		case 'j':
			kipcctl_json = true;
			break;
		default:
			return -1;
		}
	}
	return optind;
bad:
	fprintf(stderr, "kipcctl: shm: invalid argument '%s'\n", optarg);
	return -1;
}

static int shm_create(const char *name, const char *size_arg,
		      const struct shm_opts *o)
{
	unsigned long long size;
	size_t real;
	int fd;

	if (kipcctl_parse_size(size_arg, &size)) {
		fprintf(stderr, "kipcctl: shm create: invalid size '%s'\n",
			size_arg);
		return KIPCCTL_USAGE;
	}
	fd = kipc_shm_open(name, O_RDWR | O_CREAT | (o->excl ? O_EXCL : 0),
			   o->mode, size);
	if (fd < 0) {
		kipcctl_err("shm create", name, errno);
		return KIPCCTL_FAIL;
	}
	if (kipc_shm_size(fd, &real)) {
		kipcctl_err("shm size", name, errno);
		close(fd);
		return KIPCCTL_FAIL;
	}
	close(fd);
	if (kipcctl_json) {
		printf("{\"name\":");
		kipcctl_json_str(stdout, name);
		printf(",\"size\":%zu}\n", real);
	} else {
		printf("%s: %zu bytes\n", name, real);
	}
	return KIPCCTL_OK;
}

/* Print @n bytes at @off as "hexdump -C" does. */
static void hexdump(const unsigned char *b, size_t n, unsigned long long off)
{
	size_t i, j;

	for (i = 0; i < n; i += 16) {
		printf("%08llx ", off + i);
		for (j = 0; j < 16; j++) {
			if (j == 8)
				putchar(' ');
			if (i + j < n)
				printf(" %02x", b[i + j]);
			else
				printf("   ");
		}
		printf("  |");
		for (j = 0; j < 16 && i + j < n; j++)
			putchar(b[i + j] >= 0x20 && b[i + j] < 0x7f ?
				b[i + j] : '.');
		printf("|\n");
	}
}

static int shm_read(const char *name, const struct shm_opts *o)
{
	unsigned long long len;
	unsigned char *buf;
	size_t size, got = 0;
	ssize_t n;
	int fd, ret = KIPCCTL_FAIL;

	fd = kipc_shm_open(name, O_RDONLY, 0, 0);
	if (fd < 0 || kipc_shm_size(fd, &size)) {
		kipcctl_err("shm open", name, errno);
		if (fd >= 0)
			close(fd);
		return KIPCCTL_FAIL;
	}
	len = o->offset >= size ? 0 : size - o->offset;
	if (o->have_length && o->length < len)
		len = o->length;
	buf = malloc(len ? len : 1);
	if (!buf) {
		kipcctl_err("shm read", name, ENOMEM);
		goto out;
	}
	while (got < len) {
		n = pread(fd, buf + got, len - got, o->offset + got);
		if (n < 0) {
			kipcctl_err("shm read", name, errno);
			goto out_free;
		}
		if (!n)
			break;
		got += n;
	}
	if (o->raw) {
		if (fwrite(buf, 1, got, stdout) != got)
			goto out_free;
	} else if (kipcctl_json) {
		size_t i;

		printf("{\"name\":");
		kipcctl_json_str(stdout, name);
		printf(",\"offset\":%llu,\"length\":%zu,\"hex\":\"", o->offset,
		       got);
		for (i = 0; i < got; i++)
			printf("%02x", buf[i]);
		printf("\"}\n");
	} else {
		hexdump(buf, got, o->offset);
	}
	ret = KIPCCTL_OK;
out_free:
	free(buf);
out:
	close(fd);
	return ret;
}

/* All of stdin, up to @max bytes (more is an error: it would not fit). */
static unsigned char *slurp_stdin(size_t max, size_t *len, int *err)
{
	size_t cap = 4096, n = 0;
	unsigned char *buf = malloc(cap), *nb;
	ssize_t r;

	*err = 0;
	while (buf) {
		if (n == cap) {
			cap *= 2;
			nb = realloc(buf, cap);
			if (!nb)
				break;
			buf = nb;
		}
		r = read(0, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*err = errno;
			free(buf);
			return NULL;
		}
		if (!r) {
			*len = n;
			return buf;
		}
		n += r;
		if (n > max) {
			*err = ENOSPC;
			free(buf);
			return NULL;
		}
	}
	free(buf);
	*err = ENOMEM;
	return NULL;
}

static int shm_write(const char *name, const char *data,
		     const struct shm_opts *o)
{
	unsigned char *buf = NULL;
	size_t size, len, done = 0;
	ssize_t n;
	int fd, err, ret = KIPCCTL_FAIL;

	fd = kipc_shm_open(name, O_RDWR, 0, 0);
	if (fd < 0 || kipc_shm_size(fd, &size)) {
		kipcctl_err("shm open", name, errno);
		if (fd >= 0)
			close(fd);
		return KIPCCTL_FAIL;
	}
	if (data && strcmp(data, "-")) {
		len = strlen(data);
	} else {
		buf = slurp_stdin(o->offset >= size ? 0 : size - o->offset,
				  &len, &err);
		if (!buf) {
			kipcctl_err("shm write", name, err);
			goto out;
		}
		data = (const char *)buf;
	}
	/* the whole data or nothing: a region does not grow */
	if (len && (o->offset >= size || len > size - o->offset)) {
		kipcctl_err("shm write", name, ENOSPC);
		goto out;
	}
	while (done < len) {
		n = pwrite(fd, data + done, len - done, o->offset + done);
		if (n < 0) {
			kipcctl_err("shm write", name, errno);
			goto out;
		}
		done += n;
	}
	if (kipcctl_json) {
		printf("{\"name\":");
		kipcctl_json_str(stdout, name);
		printf(",\"offset\":%llu,\"written\":%zu}\n", o->offset, done);
	}
	ret = KIPCCTL_OK;
out:
	free(buf);
	close(fd);
	return ret;
}

static int shm_stat(const char *name)
{
	struct kipc_shm_stat st;
	struct kipc_info info;
	int fd;

	fd = kipc_shm_open(name, O_RDONLY, 0, 0);
	if (fd < 0) {
		kipcctl_err("shm open", name, errno);
		return KIPCCTL_FAIL;
	}
	if (ioctl(fd, KIPC_SHM_IOC_STAT, &st) || ioctl(fd, KIPC_IOC_INFO, &info)) {
		kipcctl_err("shm stat", name, errno);
		close(fd);
		return KIPCCTL_FAIL;
	}
	close(fd);
	if (kipcctl_json) {
		printf("{\"name\":");
		kipcctl_json_str(stdout, info.name);
		printf(",\"id\":%llu,\"size\":%llu,\"resident_pages\":%llu,"
		       "\"mappings\":%u,\"faults\":%llu,\"owner\":%u,"
		       "\"group\":%u,\"mode\":\"%04o\"}\n",
		       (unsigned long long)info.id,
		       (unsigned long long)st.size,
		       (unsigned long long)st.resident, st.mappings,
		       (unsigned long long)st.faults, info.uid, info.gid,
		       info.mode);
	} else {
		printf("name            %s\nid              %llu\n"
		       "size            %llu\nresident_pages  %llu\n"
		       "mappings        %u\nfaults          %llu\n"
		       "owner           %u\ngroup           %u\n"
		       "mode            %04o\n",
		       info.name, (unsigned long long)info.id,
		       (unsigned long long)st.size,
		       (unsigned long long)st.resident, st.mappings,
		       (unsigned long long)st.faults, info.uid, info.gid,
		       info.mode);
	}
	return KIPCCTL_OK;
}

int kipcctl_shm(int argc, char **argv)
{
	struct shm_opts o;
	const char *sub;
	int first;

	if (argc < 2)
		return shm_usage(stderr, KIPCCTL_USAGE);
	if (kipcctl_wants_help(argc, argv))
		return shm_usage(stdout, KIPCCTL_OK);
	sub = argv[1];
	first = parse_opts(argc - 1, argv + 1, &o);
	if (first < 0)
		return shm_usage(stderr, KIPCCTL_USAGE);
	argc -= first + 1;
	argv += first + 1;
	/* argv now holds the operands after the subcommand */
	if (!strcmp(sub, "create") && argc == 2)
		return shm_create(argv[0], argv[1], &o);
	if (!strcmp(sub, "read") && argc == 1)
		return shm_read(argv[0], &o);
	if (!strcmp(sub, "write") && (argc == 1 || argc == 2))
		return shm_write(argv[0], argc == 2 ? argv[1] : NULL, &o);
	if (!strcmp(sub, "stat") && argc == 1)
		return shm_stat(argv[0]);
	if (!strcmp(sub, "unlink") && argc == 1) {
		if (kipc_shm_unlink(argv[0])) {
			kipcctl_err("shm unlink", argv[0], errno);
			return KIPCCTL_FAIL;
		}
		return KIPCCTL_OK;
	}
	fprintf(stderr, "kipcctl: shm: bad subcommand or operands\n");
	return shm_usage(stderr, KIPCCTL_USAGE);
}
