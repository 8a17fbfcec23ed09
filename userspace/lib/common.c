// SPDX-License-Identifier: LGPL-2.1-or-later
/* Opening, unlinking and describing kipc objects: shared by every type. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "kipc.h"
#include "internal.h"

const char *kipc_device(void)
{
	const char *dev = getenv("KIPC_DEVICE");

	return dev && *dev ? dev : KIPC_DEVICE;
}

static const char *strip(const char *name)
{
	return name[0] == '/' ? name + 1 : name;
}

static int name_args(struct kipc_open *args, unsigned int type,
		     const char *name)
{
	size_t len;

	if (!name) {
		errno = EINVAL;
		return -1;
	}
	name = strip(name);
	len = strlen(name);
	if (len > KIPC_NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memset(args, 0, sizeof(*args));
	args->type = type;
	args->name = (uintptr_t)name;
	args->name_len = len;
	return 0;
}

int kipc__open(unsigned int type, const char *name, int oflag,
	       unsigned int extra, mode_t mode, const void *attr,
	       size_t attr_size)
{
	struct kipc_open args;
	int fd, saved;

	if (name_args(&args, type, name))
		return -1;
	if (oflag & ~(O_ACCMODE | O_CREAT | O_EXCL | O_NONBLOCK | O_CLOEXEC)) {
		errno = EINVAL;
		return -1;
	}
	switch (oflag & O_ACCMODE) {
	case O_RDONLY:
		args.flags = KIPC_O_RDONLY;
		break;
	case O_WRONLY:
		args.flags = KIPC_O_WRONLY;
		break;
	case O_RDWR:
		args.flags = KIPC_O_RDWR;
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	if (oflag & O_CREAT)
		args.flags |= KIPC_O_CREAT;
	if (oflag & O_EXCL)
		args.flags |= KIPC_O_EXCL;
	if (oflag & O_NONBLOCK)
		args.flags |= KIPC_O_NONBLOCK;
	args.flags |= extra;
	args.mode = mode & 0777;
	if (attr) {
		args.attr = (uintptr_t)attr;
		args.attr_size = attr_size;
	}

	fd = open(kipc_device(), O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (ioctl(fd, KIPC_IOC_OPEN, &args) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

int kipc__unlink(unsigned int type, const char *name)
{
	struct kipc_open args;
	int fd, ret, saved;

	if (name_args(&args, type, name))
		return -1;
	fd = open(kipc_device(), O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = ioctl(fd, KIPC_IOC_UNLINK, &args);
	saved = errno;
	close(fd);
	errno = saved;
	return ret < 0 ? -1 : 0;
}

int kipc__info(int fd, struct kipc_info *info)
{
	if (ioctl(fd, KIPC_IOC_INFO, info) < 0) {
		/* not /dev/kipc at all, or not bound: both are "not a handle" */
		if (errno == ENOTTY || errno == EINVAL)
			errno = EBADF;
		return -1;
	}
	return 0;
}

int kipc__timeout(clockid_t clk, const struct timespec *abs,
		  struct kipc_timeout *t)
{
	memset(t, 0, sizeof(*t));
	if (!abs) {
		t->clock = KIPC_CLOCK_NONE;
		return 0;
	}
	switch (clk) {
	case CLOCK_REALTIME:
		t->clock = KIPC_CLOCK_REALTIME;
		break;
	case CLOCK_MONOTONIC:
		t->clock = KIPC_CLOCK_MONOTONIC;
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	t->sec = abs->tv_sec;
	t->nsec = abs->tv_nsec;
	return 0;
}
