// SPDX-License-Identifier: LGPL-2.1-or-later
/* Kernel worker pools: start and stop them (KIPC_WORKER_IOC_*). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "kipc.h"
#include "internal.h"

static const char *strip(const char *name)
{
	return name && name[0] == '/' ? name + 1 : name;
}

int kipc_worker_op(const char *op)
{
	if (!op)
		return -1;
	if (!strcmp(op, "echo"))
		return KIPC_WORKER_ECHO;
	if (!strcmp(op, "checksum"))
		return KIPC_WORKER_CHECKSUM;
	if (!strcmp(op, "sink"))
		return KIPC_WORKER_SINK;
	return -1;
}

/* One device-level worker command on a fresh /dev/kipc file. */
static int worker_ioctl(unsigned long cmd, void *arg)
{
	int fd, ret, saved;

	fd = open(kipc_device(), O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = ioctl(fd, cmd, arg);
	saved = errno;
	close(fd);
	errno = saved;
	return ret < 0 ? -1 : 0;
}

int kipc_worker_start(const char *input, const char *output, const char *op,
		      unsigned int threads, unsigned long long *id)
{
	struct kipc_worker_start a;
	int o = kipc_worker_op(op);

	input = strip(input);
	output = strip(output);
	if (o < 0 || !input || (o != KIPC_WORKER_SINK && !output)) {
		errno = EINVAL;
		return -1;
	}
	if (strlen(input) > KIPC_NAME_MAX ||
	    (output && strlen(output) > KIPC_NAME_MAX)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memset(&a, 0, sizeof(a));
	a.input = (uintptr_t)input;
	a.input_len = strlen(input);
	if (o != KIPC_WORKER_SINK) {
		a.output = (uintptr_t)output;
		a.output_len = strlen(output);
	} else if (output && *output) {
		errno = EINVAL;
		return -1;
	}
	a.op = o;
	a.threads = threads;
	if (worker_ioctl(KIPC_WORKER_IOC_START, &a))
		return -1;
	if (id)
		*id = a.id;
	return 0;
}

int kipc_worker_stop(unsigned long long id)
{
	struct kipc_worker_stop a = { .id = id };

	return worker_ioctl(KIPC_WORKER_IOC_STOP, &a);
}
