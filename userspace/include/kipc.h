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

/* ---- Kernel worker pools ------------------------------------------- */

#ifdef __cplusplus
}
#endif

#endif /* KIPC_LIB_H */
