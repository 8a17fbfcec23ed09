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

/*
 * Named message queues, as mq_overview(7).  Differences from POSIX mq:
 * timeouts may also be on CLOCK_MONOTONIC (kipc_mq_clock*); batches of up
 * to KIPC_MQ_BATCH_MAX (256) messages move in one call (kipc_mq_sendv,
 * kipc_mq_receivev); notification supports SIGEV_SIGNAL and SIGEV_NONE
 * (SIGEV_THREAD: EINVAL).  The descriptor is a file descriptor: write()
 * sends at priority 0, read() receives, poll() reports POLLIN/POLLOUT.
 * A descriptor that is not an open kipc queue gives EBADF.
 */
#include <mqueue.h>	/* struct mq_attr */

int     kipc_mq_open(const char *name, int oflag, ... /* mode_t mode, struct mq_attr *attr */);
int     kipc_mq_close(int mqd);
int     kipc_mq_unlink(const char *name);
int     kipc_mq_send(int mqd, const char *msg, size_t len, unsigned int prio);
ssize_t kipc_mq_receive(int mqd, char *msg, size_t len, unsigned int *prio);
int     kipc_mq_timedsend(int mqd, const char *msg, size_t len, unsigned int prio,
			  const struct timespec *abs);
ssize_t kipc_mq_timedreceive(int mqd, char *msg, size_t len, unsigned int *prio,
			     const struct timespec *abs);
/* As the timed calls, with @abs on @clk: CLOCK_REALTIME or CLOCK_MONOTONIC. */
int     kipc_mq_clocksend(int mqd, const char *msg, size_t len, unsigned int prio,
			  clockid_t clk, const struct timespec *abs);
ssize_t kipc_mq_clockreceive(int mqd, char *msg, size_t len, unsigned int *prio,
			     clockid_t clk, const struct timespec *abs);
int     kipc_mq_getattr(int mqd, struct mq_attr *attr);
/* Only O_NONBLOCK of mq_flags changes, for this descriptor (EINVAL for other bits). */
int     kipc_mq_setattr(int mqd, const struct mq_attr *attr, struct mq_attr *old);
int     kipc_mq_notify(int mqd, const struct sigevent *sev);

/* One message of a batch. */
struct kipc_msg {
	void *buf;		/* the message, or the buffer to receive into */
	size_t len;		/* its length; receivev: buffer size in, length out */
	unsigned int prio;	/* sendv: in; receivev: out */
};

/*
 * Send or receive up to @n (1..256) messages in order; return how many
 * moved, or -1 with errno when none did.  Only the first message may block
 * (following O_NONBLOCK); after it the call stops where the next would
 * block.  Every entry is checked first (EINVAL, EMSGSIZE): a bad entry
 * moves nothing.
 */
int     kipc_mq_sendv(int mqd, const struct kipc_msg *v, unsigned int n);
int     kipc_mq_receivev(int mqd, struct kipc_msg *v, unsigned int n);

/* ---- Semaphores ---------------------------------------------------- */

/*
 * Named semaphores, shaped like sem_open(3) and friends (sem_overview(7)).
 * Return values and errno are those of the POSIX functions, plus:
 *
 * - oflag: O_CREAT and O_EXCL as POSIX, KIPC_SEM_UNDO (below); the access
 *   mode bits are ignored (a semaphore is always opened for reading and
 *   writing, as glibc does: both permissions are needed, EACCES); any other
 *   bit is EINVAL.  With O_CREAT the two extra arguments are the mode_t
 *   mode and the unsigned int initial value (above KIPC_SEM_VALUE_MAX,
 *   INT_MAX: EINVAL).
 * - Opening a name that this process already has open returns the same
 *   kipc_sem_t, counted: each kipc_sem_open() needs its own kipc_sem_close()
 *   (as glibc).  Opens with and without KIPC_SEM_UNDO give distinct handles.
 *   The handle survives fork(): parent and child share the kernel handle.
 * - kipc_sem_wait, _trywait, _timedwait and _clockwait may fail with
 *   EOWNERDEAD: the unit WAS taken, but it is one a holder that opened with
 *   KIPC_SEM_UNDO had not posted back when its handle went (it died or
 *   closed): whatever it protected may be inconsistent.  Only happens when
 *   some process uses KIPC_SEM_UNDO on the semaphore.
 * - kipc_sem_timedwait/_clockwait: NULL @abs is EINVAL; @clk must be
 *   CLOCK_REALTIME or CLOCK_MONOTONIC (EINVAL).  A bad timespec is EINVAL
 *   only when the call would block; the wait never ends before @abs.
 * - A signal interrupts a wait with EINTR, with or without SA_RESTART,
 *   as sem_wait(3) (signal(7): never restarted).
 * - kipc_sem_getvalue never stores a negative value (0 while tasks wait).
 * - kipc_sem_fd: the descriptor, readable (poll/epoll) while the value is
 *   above 0; do not close it (use kipc_sem_close).
 */
typedef struct kipc_sem kipc_sem_t;
#define KIPC_SEM_FAILED		((kipc_sem_t *)0)

/*
 * oflag bit: robust holder.  The units this handle takes and does not post
 * back are returned when its last descriptor closes (or the process dies),
 * and the next taker gets EOWNERDEAD (see <linux/kipc.h>: "Undo").  Undo is
 * per open handle: a forked child shares it with its parent.  The value is
 * one no O_* flag of <fcntl.h> uses on Linux (checked at build time).
 */
#define KIPC_SEM_UNDO		0x40000000

kipc_sem_t *kipc_sem_open(const char *name, int oflag, ...);
int kipc_sem_close(kipc_sem_t *sem);
int kipc_sem_unlink(const char *name);
int kipc_sem_wait(kipc_sem_t *sem);
int kipc_sem_trywait(kipc_sem_t *sem);
int kipc_sem_timedwait(kipc_sem_t *sem, const struct timespec *abs);
int kipc_sem_clockwait(kipc_sem_t *sem, clockid_t clk,
		       const struct timespec *abs);
int kipc_sem_post(kipc_sem_t *sem);
int kipc_sem_getvalue(kipc_sem_t *sem, int *sval);
int kipc_sem_fd(kipc_sem_t *sem);

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

/*
 * Kernel threads that take messages from queue @input, work on them and
 * answer on queue @output: @op is "echo" (same payload and priority back),
 * "checksum" (the CRC32C of the payload, 4 bytes little-endian, same
 * priority) or "sink" (consume and count; @output NULL).  Needs
 * CAP_SYS_ADMIN.  Stores the pool's id (/sys/kernel/kipc/workers/<id>/)
 * in *@id.  0, or -1 with errno as KIPC_WORKER_IOC_START (<linux/kipc.h>).
 */
int kipc_worker_start(const char *input, const char *output, const char *op,
		      unsigned int threads, unsigned long long *id);
/* Stop pool @id and wait for its threads: 0, or -1 (EPERM, ENOENT). */
int kipc_worker_stop(unsigned long long id);
/* KIPC_WORKER_* for an operation's name, -1 for an unknown one. */
int kipc_worker_op(const char *op);

#ifdef __cplusplus
}
#endif

#endif /* KIPC_LIB_H */
