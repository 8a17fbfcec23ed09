/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the library's files share and do not export. */
#ifndef KIPC_LIB_INTERNAL_H
#define KIPC_LIB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <linux/kipc.h>

/*
 * Open @name (leading '/' stripped) of @type with POSIX @oflag bits
 * (O_RDONLY/O_WRONLY/O_RDWR, O_CREAT, O_EXCL, O_NONBLOCK; @extra adds kipc
 * bits such as KIPC_O_UNDO).  Returns a close-on-exec fd or -1 with errno.
 */
int kipc__open(unsigned int type, const char *name, int oflag,
	       unsigned int extra, mode_t mode, const void *attr,
	       size_t attr_size);
int kipc__unlink(unsigned int type, const char *name);

/* Fill @info for @fd; -1 with errno EBADF when @fd is not a kipc handle. */
int kipc__info(int fd, struct kipc_info *info);

/*
 * Fill @t from an absolute @abs on @clk (NULL @abs: no timeout).  -1 with
 * EINVAL for a clock kipc does not know; the time itself is judged by the
 * kernel, which must only refuse it when the call would block.
 */
int kipc__timeout(clockid_t clk, const struct timespec *abs,
		  struct kipc_timeout *t);

#endif
