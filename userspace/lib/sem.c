// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Named semaphores: sem_open(3)-shaped calls on kipc semaphore handles.
 *
 * Like glibc, a process keeps one handle per open semaphore: opening the
 * same object again (same kernel object id and the same undo choice) only
 * counts up, and kipc_sem_close() counts down and closes the descriptor at
 * zero.  The list is guarded by a mutex that pthread_atfork() holds across
 * fork(), so the child inherits a consistent list (and the descriptors).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "kipc.h"
#include "internal.h"

_Static_assert(!(KIPC_SEM_UNDO & (O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY |
				  O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC |
				  O_SYNC | O_RSYNC | O_DIRECT | O_LARGEFILE |
				  O_DIRECTORY | O_NOFOLLOW | O_NOATIME |
				  O_CLOEXEC | O_PATH | O_TMPFILE | O_ASYNC |
				  FASYNC | O_NDELAY)),
	       "KIPC_SEM_UNDO collides with an O_* flag");
_Static_assert(KIPC_SEM_VALUE_MAX == INT_MAX, "SEM_VALUE_MAX is INT_MAX");

/**
 * struct kipc_sem - a process's handle of one semaphore
 * @fd:		the bound /dev/kipc descriptor
 * @refs:	opens not yet closed; sems_lock
 * @id:		the kernel object's id
 * @undo:	opened with KIPC_SEM_UNDO
 * @next:	in sems; sems_lock
 */
struct kipc_sem {
	int fd;
	unsigned int refs;
	uint64_t id;
	int undo;
	struct kipc_sem *next;
};

static pthread_mutex_t sems_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kipc_sem *sems;
static pthread_once_t sems_once = PTHREAD_ONCE_INIT;

static void sems_prepare(void)
{
	pthread_mutex_lock(&sems_lock);
}

static void sems_unlock(void)
{
	pthread_mutex_unlock(&sems_lock);
}

static void sems_init(void)
{
	pthread_atfork(sems_prepare, sems_unlock, sems_unlock);
}

kipc_sem_t *kipc_sem_open(const char *name, int oflag, ...)
{
	struct kipc_sem_attr attr = { 0 };
	struct kipc_info info;
	struct kipc_sem *s;
	unsigned int value = 0;
	mode_t mode = 0;
	int fd, undo, saved;

	if (oflag & ~(O_ACCMODE | O_CREAT | O_EXCL | KIPC_SEM_UNDO)) {
		errno = EINVAL;
		return KIPC_SEM_FAILED;
	}
	if (oflag & O_CREAT) {
		va_list ap;

		va_start(ap, oflag);
		mode = va_arg(ap, int);	/* mode_t is promoted */
		value = va_arg(ap, unsigned int);
		va_end(ap);
		if (value > KIPC_SEM_VALUE_MAX) {
			errno = EINVAL;
			return KIPC_SEM_FAILED;
		}
		attr.value = value;
	}
	undo = !!(oflag & KIPC_SEM_UNDO);
	pthread_once(&sems_once, sems_init);

	/* under the lock, so that two racing opens cannot both add a handle */
	pthread_mutex_lock(&sems_lock);
	fd = kipc__open(KIPC_TYPE_SEM, name, O_RDWR | (oflag & (O_CREAT | O_EXCL)),
			undo ? KIPC_O_UNDO : 0, mode,
			(oflag & O_CREAT) ? &attr : NULL, sizeof(attr));
	if (fd < 0)
		goto fail;
	if (kipc__info(fd, &info))
		goto fail_fd;
	for (s = sems; s; s = s->next) {
		if (s->id == info.id && s->undo == undo) {
			s->refs++;
			close(fd);
			pthread_mutex_unlock(&sems_lock);
			return s;
		}
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		goto fail_fd;
	s->fd = fd;
	s->refs = 1;
	s->id = info.id;
	s->undo = undo;
	s->next = sems;
	sems = s;
	pthread_mutex_unlock(&sems_lock);
	return s;

fail_fd:
	saved = errno;
	close(fd);
	errno = saved;
fail:
	saved = errno;
	pthread_mutex_unlock(&sems_lock);
	errno = saved;
	return KIPC_SEM_FAILED;
}

int kipc_sem_close(kipc_sem_t *sem)
{
	struct kipc_sem **pp;

	pthread_mutex_lock(&sems_lock);
	for (pp = &sems; *pp; pp = &(*pp)->next)
		if (*pp == sem)
			break;
	if (!sem || !*pp) {
		pthread_mutex_unlock(&sems_lock);
		errno = EINVAL;
		return -1;
	}
	if (--sem->refs) {
		pthread_mutex_unlock(&sems_lock);
		return 0;
	}
	*pp = sem->next;
	pthread_mutex_unlock(&sems_lock);
	close(sem->fd);		/* releases the undo units, if any */
	free(sem);
	return 0;
}

int kipc_sem_unlink(const char *name)
{
	return kipc__unlink(KIPC_TYPE_SEM, name);
}

static int sem_wait_until(kipc_sem_t *sem, clockid_t clk,
			  const struct timespec *abs)
{
	struct kipc_timeout t;

	if (!sem) {
		errno = EINVAL;
		return -1;
	}
	if (kipc__timeout(clk, abs, &t))
		return -1;
	return ioctl(sem->fd, KIPC_IOC_SEM_WAIT, &t) < 0 ? -1 : 0;
}

int kipc_sem_wait(kipc_sem_t *sem)
{
	return sem_wait_until(sem, CLOCK_REALTIME, NULL);
}

int kipc_sem_timedwait(kipc_sem_t *sem, const struct timespec *abs)
{
	if (!abs) {
		errno = EINVAL;
		return -1;
	}
	return sem_wait_until(sem, CLOCK_REALTIME, abs);
}

int kipc_sem_clockwait(kipc_sem_t *sem, clockid_t clk,
		       const struct timespec *abs)
{
	if (!abs) {
		errno = EINVAL;
		return -1;
	}
	return sem_wait_until(sem, clk, abs);
}

int kipc_sem_trywait(kipc_sem_t *sem)
{
	if (!sem) {
		errno = EINVAL;
		return -1;
	}
	return ioctl(sem->fd, KIPC_IOC_SEM_TRYWAIT) < 0 ? -1 : 0;
}

int kipc_sem_post(kipc_sem_t *sem)
{
	if (!sem) {
		errno = EINVAL;
		return -1;
	}
	return ioctl(sem->fd, KIPC_IOC_SEM_POST) < 0 ? -1 : 0;
}

int kipc_sem_getvalue(kipc_sem_t *sem, int *sval)
{
	struct kipc_sem_state st;

	if (!sem || !sval) {
		errno = EINVAL;
		return -1;
	}
	if (ioctl(sem->fd, KIPC_IOC_SEM_GETVALUE, &st) < 0)
		return -1;
	*sval = (int)st.value;
	return 0;
}

int kipc_sem_fd(kipc_sem_t *sem)
{
	if (!sem) {
		errno = EINVAL;
		return -1;
	}
	return sem->fd;
}
