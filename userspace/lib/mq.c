// SPDX-License-Identifier: LGPL-2.1-or-later
/* Message queues: the POSIX mq_* calls over /dev/kipc's ioctls. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "kipc.h"
#include "internal.h"

/*
 * An ioctl on a descriptor that is not a kipc queue: another file says
 * ENOTTY (or EINVAL for some drivers), an unbound or other-type kipc file
 * says EBADF.  POSIX wants EBADF for all of them.
 */
static int mq_ioctl(int mqd, unsigned long cmd, void *arg)
{
	int ret = ioctl(mqd, cmd, arg);

	if (ret < 0 && errno == ENOTTY)
		errno = EBADF;
	return ret;
}

int kipc_mq_open(const char *name, int oflag, ...)
{
	struct kipc_mq_attr ka;
	struct mq_attr *attr = NULL;
	mode_t mode = 0;
	va_list ap;

	if (oflag & O_CREAT) {
		va_start(ap, oflag);
		mode = va_arg(ap, mode_t);
		attr = va_arg(ap, struct mq_attr *);
		va_end(ap);
	}
	if (attr) {
		memset(&ka, 0, sizeof(ka));
		ka.maxmsg = attr->mq_maxmsg;
		ka.msgsize = attr->mq_msgsize;
	}
	return kipc__open(KIPC_TYPE_MQ, name, oflag & ~O_CLOEXEC, 0, mode,
			  attr ? &ka : NULL, sizeof(ka));
}

static int is_queue(int mqd)
{
	struct kipc_info info;

	if (kipc__info(mqd, &info))
		return 0;
	if (info.type != KIPC_TYPE_MQ) {
		errno = EBADF;
		return 0;
	}
	return 1;
}

int kipc_mq_close(int mqd)
{
	if (!is_queue(mqd))
		return -1;
	return close(mqd);
}

int kipc_mq_unlink(const char *name)
{
	return kipc__unlink(KIPC_TYPE_MQ, name);
}

int kipc_mq_clocksend(int mqd, const char *msg, size_t len, unsigned int prio,
		      clockid_t clk, const struct timespec *abs)
{
	struct kipc_mq_send a;

	memset(&a, 0, sizeof(a));
	if (kipc__timeout(clk, abs, &a.timeout))
		return -1;
	a.buf = (uintptr_t)msg;
	a.len = len;
	a.prio = prio;
	return mq_ioctl(mqd, KIPC_MQ_IOC_SEND, &a) < 0 ? -1 : 0;
}

ssize_t kipc_mq_clockreceive(int mqd, char *msg, size_t len,
			     unsigned int *prio, clockid_t clk,
			     const struct timespec *abs)
{
	struct kipc_mq_receive a;
	int ret;

	memset(&a, 0, sizeof(a));
	if (kipc__timeout(clk, abs, &a.timeout))
		return -1;
	a.buf = (uintptr_t)msg;
	a.len = len;
	ret = mq_ioctl(mqd, KIPC_MQ_IOC_RECEIVE, &a);
	if (ret < 0)
		return -1;
	if (prio)
		*prio = a.prio;
	return ret;
}

int kipc_mq_send(int mqd, const char *msg, size_t len, unsigned int prio)
{
	return kipc_mq_clocksend(mqd, msg, len, prio, CLOCK_REALTIME, NULL);
}

ssize_t kipc_mq_receive(int mqd, char *msg, size_t len, unsigned int *prio)
{
	return kipc_mq_clockreceive(mqd, msg, len, prio, CLOCK_REALTIME, NULL);
}

int kipc_mq_timedsend(int mqd, const char *msg, size_t len, unsigned int prio,
		      const struct timespec *abs)
{
	return kipc_mq_clocksend(mqd, msg, len, prio, CLOCK_REALTIME, abs);
}

ssize_t kipc_mq_timedreceive(int mqd, char *msg, size_t len,
			     unsigned int *prio, const struct timespec *abs)
{
	return kipc_mq_clockreceive(mqd, msg, len, prio, CLOCK_REALTIME, abs);
}

int kipc_mq_getattr(int mqd, struct mq_attr *attr)
{
	struct kipc_mq_getattr a;

	if (mq_ioctl(mqd, KIPC_MQ_IOC_GETATTR, &a) < 0)
		return -1;
	memset(attr, 0, sizeof(*attr));
	attr->mq_flags = (a.flags & KIPC_O_NONBLOCK) ? O_NONBLOCK : 0;
	attr->mq_maxmsg = a.maxmsg;
	attr->mq_msgsize = a.msgsize;
	attr->mq_curmsgs = a.curmsgs;
	return 0;
}

int kipc_mq_setattr(int mqd, const struct mq_attr *attr, struct mq_attr *old)
{
	struct mq_attr cur;
	int fl;

	if (kipc_mq_getattr(mqd, &cur))
		return -1;
	if (attr->mq_flags & ~(long)O_NONBLOCK) {
		errno = EINVAL;
		return -1;
	}
	fl = fcntl(mqd, F_GETFL);
	if (fl < 0)
		return -1;
	fl = (attr->mq_flags & O_NONBLOCK) ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
	if (fcntl(mqd, F_SETFL, fl) < 0)
		return -1;
	if (old)
		*old = cur;
	return 0;
}

int kipc_mq_notify(int mqd, const struct sigevent *sev)
{
	struct kipc_mq_notify a;

	memset(&a, 0, sizeof(a));
	if (!sev) {
		a.notify = KIPC_MQ_NOTIFY_REMOVE;
	} else if (sev->sigev_notify == SIGEV_NONE) {
		a.notify = KIPC_MQ_NOTIFY_NONE;
	} else if (sev->sigev_notify == SIGEV_SIGNAL) {
		a.notify = KIPC_MQ_NOTIFY_SIGNAL;
		a.signo = sev->sigev_signo;
		a.value = (uintptr_t)sev->sigev_value.sival_ptr;
	} else {
		/* SIGEV_THREAD and anything else: not supported */
		if (!is_queue(mqd))
			return -1;
		errno = EINVAL;
		return -1;
	}
	return mq_ioctl(mqd, KIPC_MQ_IOC_NOTIFY, &a) < 0 ? -1 : 0;
}

int kipc_mq_sendv(int mqd, const struct kipc_msg *v, unsigned int n)
{
	struct kipc_mq_msgv kv[KIPC_MQ_BATCH_MAX];
	struct kipc_mq_batch b;
	unsigned int i;

	if (!n || n > KIPC_MQ_BATCH_MAX) {
		errno = EINVAL;
		return -1;
	}
	memset(kv, 0, n * sizeof(kv[0]));
	for (i = 0; i < n; i++) {
		kv[i].buf = (uintptr_t)v[i].buf;
		kv[i].len = v[i].len;
		kv[i].prio = v[i].prio;
	}
	memset(&b, 0, sizeof(b));
	b.vec = (uintptr_t)kv;
	b.n = n;
	return mq_ioctl(mqd, KIPC_MQ_IOC_SENDV, &b);
}

int kipc_mq_receivev(int mqd, struct kipc_msg *v, unsigned int n)
{
	struct kipc_mq_msgv kv[KIPC_MQ_BATCH_MAX];
	struct kipc_mq_batch b;
	unsigned int i;
	int ret;

	if (!n || n > KIPC_MQ_BATCH_MAX) {
		errno = EINVAL;
		return -1;
	}
	memset(kv, 0, n * sizeof(kv[0]));
	for (i = 0; i < n; i++) {
		kv[i].buf = (uintptr_t)v[i].buf;
		kv[i].len = v[i].len;
	}
	memset(&b, 0, sizeof(b));
	b.vec = (uintptr_t)kv;
	b.n = n;
	ret = mq_ioctl(mqd, KIPC_MQ_IOC_RECEIVEV, &b);
	for (i = 0; ret > 0 && i < (unsigned int)ret; i++) {
		v[i].len = kv[i].len;
		v[i].prio = kv[i].prio;
	}
	return ret;
}
