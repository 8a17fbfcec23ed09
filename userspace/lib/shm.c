// SPDX-License-Identifier: LGPL-2.1-or-later
/* Shared memory: shm_open/shm_unlink-shaped, then plain mmap on the fd. */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include "kipc.h"
#include "internal.h"

int kipc_shm_open(const char *name, int oflag, mode_t mode, size_t size)
{
	struct kipc_shm_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.size = size;
	/* the attributes only matter when the call creates the region */
	return kipc__open(KIPC_TYPE_SHM, name, oflag, 0, mode,
			  (oflag & O_CREAT) ? &attr : NULL, sizeof(attr));
}

int kipc_shm_unlink(const char *name)
{
	return kipc__unlink(KIPC_TYPE_SHM, name);
}

int kipc_shm_size(int fd, size_t *size)
{
	struct kipc_shm_stat st;

	if (!size) {
		errno = EINVAL;
		return -1;
	}
	if (ioctl(fd, KIPC_SHM_IOC_STAT, &st) < 0) {
		if (errno == ENOTTY || errno == EINVAL)
			errno = EBADF;
		return -1;
	}
	*size = st.size;
	return 0;
}
