/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libkipc: POSIX-shaped access to kipc's kernel objects.
 *
 * Names follow the POSIX IPC convention: one leading '/' is stripped, the
 * rest must be a valid kipc name (see <linux/kipc.h>).  Every descriptor is
 * a real file descriptor of /dev/kipc, opened close-on-exec: poll, dup,
 * fork and close work on it.  Functions return what their POSIX namesakes
 * return and set errno as they do.
 */
#ifndef KIPC_LIB_H
#define KIPC_LIB_H

#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The device; $KIPC_DEVICE overrides it (for tests). */
const char *kipc_device(void);

/* ---- Message queues ------------------------------------------------ */

/* ---- Semaphores ---------------------------------------------------- */

/* ---- Shared memory ------------------------------------------------- */

/*
 * Open or create the region @name, as shm_open(3) (O_RDONLY or O_RDWR,
 * O_CREAT, O_EXCL).  @size is used only when the call creates the region:
 * rounded up to whole pages and fixed (EINVAL when 0 or above
 * /sys/kernel/kipc/limits/shm_size_max).  Then map it with plain
 * mmap(NULL, len, prot, MAP_SHARED, fd, off), or pread/pwrite it.  Extra
 * errors: EMFILE (per-user limits), ENOSPC (global limits).
 */
int kipc_shm_open(const char *name, int oflag, mode_t mode, size_t size);
/* Remove the name; mappings and handles keep working.  As shm_unlink(3). */
int kipc_shm_unlink(const char *name);
/* The region's size in bytes (a page multiple); EBADF if not a region. */
int kipc_shm_size(int fd, size_t *size);

/* ---- Kernel worker pools ------------------------------------------- */

#ifdef __cplusplus
}
#endif

#endif /* KIPC_LIB_H */
