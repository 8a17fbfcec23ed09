// SPDX-License-Identifier: GPL-2.0
/*
 * What a descriptor bound to a message queue does: the KIPC_MQ_IOC_*
 * commands, read/write/poll, notification, and the batched commands.  The
 * user memory is copied here, outside the queue lock; mq.c does the rest.
 */
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>
#include "mq.h"

static const struct kipc_timeout kipc_mq_no_timeout = {
	.clock = KIPC_CLOCK_NONE,
};

/* Send @len bytes at @ubuf: prio and size checks, copy, queue. */
static long kipc_mq_send_user(struct kipc_mq *mq, const void __user *ubuf,
			      u64 len, u32 prio, const struct kipc_timeout *t,
			      bool nonblock)
{
	struct kipc_mq_msg *msg;
	long ret;

	if (prio > KIPC_MQ_PRIO_MAX)
		return -EINVAL;
	if (len > mq->msgsize)
		return -EMSGSIZE;
	msg = kipc_mq_msg_get(mq, len);
	if (!msg)
		return -ENOMEM;
	if (copy_from_user(msg->data, ubuf, len)) {
		kipc_mq_msg_put(mq, msg);
		return -EFAULT;
	}
	msg->prio = prio;
	ret = kipc_mq_do_send(mq, msg, nonblock, t);
	if (ret)
		kipc_mq_msg_put(mq, msg);	/* not sent: still ours */
	return ret;
}

/*
 * Receive into @ubuf (@size bytes): the message's length, with its
 * priority in *@prio.  A failed copy loses the message, as mq_receive does:
 * it has left the queue and counts as received.
 */
static long kipc_mq_receive_user(struct kipc_mq *mq, void __user *ubuf,
				 u64 size, u32 *prio,
				 const struct kipc_timeout *t, bool nonblock)
{
	struct kipc_mq_msg *msg;
	long ret;

	if (size < mq->msgsize)
		return -EMSGSIZE;
	ret = kipc_mq_do_receive(mq, nonblock, t, &msg);
	if (ret)
		return ret;
	ret = msg->len;
	if (copy_to_user(ubuf, msg->data, msg->len))
		ret = -EFAULT;
	*prio = msg->prio;
	kipc_mq_count(mq, KIPC_MQ_RECEIVED, 1);
	kipc_mq_count(mq, KIPC_MQ_BYTES_RECEIVED, msg->len);
	kipc_mq_msg_put(mq, msg);
	return ret;
}

/*
 * Read a struct kipc_mq_send or kipc_mq_receive (the same layout) field
 * by field in one user-access window, the deadline only when there is
 * one: plain loads where copy_from_user() would run a 48-byte string copy
 * on every message.
 */
static int kipc_mq_get_xfer(const struct kipc_mq_send __user *ua,
			    struct kipc_mq_send *a)
{
	if (!user_access_begin(ua, sizeof(*ua)))
		return -EFAULT;
	unsafe_get_user(a->buf, &ua->buf, efault);
	unsafe_get_user(a->len, &ua->len, efault);
	unsafe_get_user(a->prio, &ua->prio, efault);
	unsafe_get_user(a->__pad, &ua->__pad, efault);
	unsafe_get_user(a->timeout.clock, &ua->timeout.clock, efault);
	unsafe_get_user(a->timeout.__pad, &ua->timeout.__pad, efault);
	a->timeout.sec = 0;
	a->timeout.nsec = 0;
	if (a->timeout.clock != KIPC_CLOCK_NONE) {
		unsafe_get_user(a->timeout.sec, &ua->timeout.sec, efault);
		unsafe_get_user(a->timeout.nsec, &ua->timeout.nsec, efault);
	}
	user_access_end();
	if (a->__pad || !kipc_timeout_clock_ok(&a->timeout))
		return -EINVAL;
	return 0;
efault:
	user_access_end();
	return -EFAULT;
}

static long kipc_mq_ioc_send(struct kipc_file *kf, void __user *uarg)
{
	struct kipc_mq_send a;
	int err;

	if (!(kf->acc & MAY_WRITE))
		return -EBADF;
	err = kipc_mq_get_xfer(uarg, &a);
	if (err)
		return err;
	return kipc_mq_send_user(kipc_mq_of(kf->obj), u64_to_user_ptr(a.buf),
				 a.len, a.prio, &a.timeout,
				 kipc_file_nonblock(kf));
}

static long kipc_mq_ioc_receive(struct kipc_file *kf, void __user *uarg)
{
	struct kipc_mq_receive __user *ua = uarg;
	struct kipc_mq_send a;	/* same layout; prio is output here */
	u32 prio = 0;
	long ret;

	BUILD_BUG_ON(sizeof(struct kipc_mq_send) !=
		     sizeof(struct kipc_mq_receive));
	if (!(kf->acc & MAY_READ))
		return -EBADF;
	ret = kipc_mq_get_xfer(uarg, &a);
	if (ret)
		return ret;
	ret = kipc_mq_receive_user(kipc_mq_of(kf->obj), u64_to_user_ptr(a.buf),
				   a.len, &prio, &a.timeout,
				   kipc_file_nonblock(kf));
	if (ret >= 0 && put_user(prio, &ua->prio))
		ret = -EFAULT;
	return ret;
}

static long kipc_mq_ioc_getattr(struct kipc_file *kf, void __user *uarg)
{
	struct kipc_mq *mq = kipc_mq_of(kf->obj);
	struct kipc_mq_getattr a;

	memset(&a, 0, sizeof(a));
	a.flags = kipc_file_nonblock(kf) ? KIPC_O_NONBLOCK : 0;
	a.maxmsg = mq->maxmsg;
	a.msgsize = mq->msgsize;
	spin_lock(&mq->lock);
	a.curmsgs = mq->tree.count;
	spin_unlock(&mq->lock);
	if (copy_to_user(uarg, &a, sizeof(a)))
		return -EFAULT;
	return 0;
}

/* Drop the registration; the queue lock is held.  Returns what to put. */
static struct pid *kipc_mq_unregister(struct kipc_mq *mq,
				      struct user_namespace **uns)
{
	struct pid *pid = mq->notify_pid;

	lockdep_assert_held(&mq->lock);
	*uns = mq->notify_uns;
	mq->notify_pid = NULL;
	mq->notify_kf = NULL;
	mq->notify_uns = NULL;
	mq->notify_signo = 0;
	return pid;
}

/*
 * A message went into an empty queue with no receiver waiting (the caller
 * holds the lock and knows): notify the registered process, once.
 * Signalling under the queue lock is what ipc/mqueue.c does too; the
 * signal code only takes the target's sighand lock.
 */
void kipc_mq_notify_locked(struct kipc_mq *mq)
{
	struct user_namespace *uns;
	struct kernel_siginfo info;
	struct task_struct *task;
	int signo = mq->notify_signo;
	struct pid *pid;

	lockdep_assert_held(&mq->lock);
	if (!mq->notify_pid)
		return;
	if (signo) {
		clear_siginfo(&info);
		info.si_signo = signo;
		info.si_code = SI_MESGQ;
		info.si_value = mq->notify_value;
		rcu_read_lock();
		info.si_pid = task_tgid_nr_ns(current,
					      ns_of_pid(mq->notify_pid));
		info.si_uid = from_kuid_munged(mq->notify_uns, current_uid());
		task = pid_task(mq->notify_pid, PIDTYPE_TGID);
		/* not to whatever the process exec'd since it registered */
		if (task && task->self_exec_id == mq->notify_exec_id)
			send_sig_info(signo, &info, task);
		rcu_read_unlock();
	}
	mq->notifies++;
	pid = kipc_mq_unregister(mq, &uns);
	/* neither sleeps: the last puts free memory or queue work */
	put_pid(pid);
	put_user_ns(uns);
}

static long kipc_mq_ioc_notify(struct kipc_file *kf, void __user *uarg)
{
	struct kipc_mq *mq = kipc_mq_of(kf->obj);
	struct user_namespace *uns = NULL;
	struct pid *put = NULL, *me;
	struct kipc_mq_notify a;
	long ret = 0;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	switch (a.notify) {
	case KIPC_MQ_NOTIFY_SIGNAL:
		if (!a.signo || !valid_signal(a.signo))
			return -EINVAL;
		break;
	case KIPC_MQ_NOTIFY_REMOVE:
	case KIPC_MQ_NOTIFY_NONE:
		if (a.signo)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}

	me = task_tgid(current);
	spin_lock(&mq->lock);
	if (a.notify == KIPC_MQ_NOTIFY_REMOVE) {
		if (mq->notify_pid == me)
			put = kipc_mq_unregister(mq, &uns);
	} else if (mq->notify_pid) {
		ret = -EBUSY;
	} else {
		mq->notify_pid = get_pid(me);
		mq->notify_kf = kf;
		mq->notify_exec_id = current->self_exec_id;
		mq->notify_signo = a.notify == KIPC_MQ_NOTIFY_SIGNAL ?
				   a.signo : 0;
		mq->notify_value.sival_ptr = u64_to_user_ptr(a.value);
		mq->notify_uns = get_user_ns(current_user_ns());
	}
	spin_unlock(&mq->lock);
	put_pid(put);
	if (uns)
		put_user_ns(uns);
	return ret;
}

/*
 * The buffer for one batch of @n: the file's own for the direction
 * (@send) when no other thread of it is batching that way (kept across
 * calls), else one for this call only.  Give it back with
 * kipc_mq_batch_put().
 */
static struct kipc_mq_msgv *kipc_mq_batch_buf(struct kipc_file *kf, u32 n,
					      bool send)
{
	struct kipc_mq_handle *h = kf->priv;

	if (mutex_trylock(&h->batch[send].lock)) {
		if (!h->batch[send].buf)
			h->batch[send].buf = kmalloc(KIPC_MQ_BATCH_BYTES,
						     GFP_KERNEL_ACCOUNT);
		if (h->batch[send].buf)
			return h->batch[send].buf;
		mutex_unlock(&h->batch[send].lock);
	}
	/* n <= KIPC_MQ_BATCH_MAX: no overflow */
	return kmalloc(n * (sizeof(struct kipc_mq_msgv) +
			    sizeof(struct kipc_mq_msg *)), GFP_KERNEL);
}

static void kipc_mq_batch_put(struct kipc_file *kf, struct kipc_mq_msgv *v,
			      bool send)
{
	struct kipc_mq_handle *h = kf->priv;

	/*
	 * Racy read when v is a buffer of this call only: the kept one may
	 * be set meanwhile by the thread holding its lock, but is never v.
	 */
	if (v == data_race(h->batch[send].buf))
		mutex_unlock(&h->batch[send].lock);
	else
		kfree(v);
}

/*
 * Copy in the vector of @n entries at @uv, field by field in one
 * user-access window (plain loads, not a string copy of 24 bytes each).
 */
static int kipc_mq_batch_read(struct kipc_mq_msgv *v,
			      const struct kipc_mq_msgv __user *uv, u32 n)
{
	u32 i;

	if (!user_access_begin(uv, n * sizeof(*uv)))
		return -EFAULT;
	for (i = 0; i < n; i++) {
		unsafe_get_user(v[i].buf, &uv[i].buf, efault);
		unsafe_get_user(v[i].len, &uv[i].len, efault);
		unsafe_get_user(v[i].prio, &uv[i].prio, efault);
		unsafe_get_user(v[i].__pad, &uv[i].__pad, efault);
	}
	user_access_end();
	return 0;
efault:
	user_access_end();
	return -EFAULT;
}

/*
 * Copy in and check a batch: a bad entry moves nothing.  The buffer holds
 * the vector and, behind it, room for @b->n message pointers (*@msgs);
 * the caller gives it back with kipc_mq_batch_put().
 */
static struct kipc_mq_msgv *kipc_mq_batch_get(struct kipc_file *kf,
					      const struct kipc_mq_batch *b,
					      bool send,
					      struct kipc_mq_msg ***msgs)
{
	struct kipc_mq *mq = kipc_mq_of(kf->obj);
	struct kipc_mq_msgv *v;
	long err = 0;
	u32 i;

	if (b->__pad || !b->n || b->n > KIPC_MQ_BATCH_MAX ||
	    !kipc_timeout_clock_ok(&b->timeout))
		return ERR_PTR(-EINVAL);
	v = kipc_mq_batch_buf(kf, b->n, send);
	if (!v)
		return ERR_PTR(-ENOMEM);
	err = kipc_mq_batch_read(v, u64_to_user_ptr(b->vec), b->n);
	for (i = 0; !err && i < b->n; i++) {
		if (v[i].__pad || (send && v[i].prio > KIPC_MQ_PRIO_MAX))
			err = -EINVAL;
		else if (send ? v[i].len > mq->msgsize :
				v[i].len < mq->msgsize)
			err = -EMSGSIZE;
	}
	if (err) {
		kipc_mq_batch_put(kf, v, send);
		return ERR_PTR(err);
	}
	*msgs = (struct kipc_mq_msg **)(v + b->n);
	return v;
}

/* Write back the length and priority of @n received entries. */
static int kipc_mq_batch_write(struct kipc_mq_msgv __user *uv,
			       const struct kipc_mq_msgv *v, u32 n)
{
	u32 i;

	if (!user_access_begin(uv, n * sizeof(*uv)))
		return -EFAULT;
	for (i = 0; i < n; i++) {
		unsafe_put_user(v[i].len, &uv[i].len, efault);
		unsafe_put_user(v[i].prio, &uv[i].prio, efault);
	}
	user_access_end();
	return 0;
efault:
	user_access_end();
	return -EFAULT;
}

/*
 * How many messages a batch should prepare now: the free slots plus the
 * waiting receivers, from a racy peek.  The peek keeps a batch from
 * allocating and copying messages that a full queue sends back; when it
 * was low, the batch just prepares another chunk.  The first chunk is at
 * least one message (which may block), and when it will block it is as
 * many as a drained queue takes (up to maxmsg): they are copied in while
 * the receivers work, and go in at once when the first is through,
 * instead of being prepared only after the wake-up.  What a blocked batch
 * holds that way stays under KIPC_MQ_AHEAD_BYTES of payload (what a full
 * pipe holds), and one message however large, as a single send holds.
 */
#define KIPC_MQ_AHEAD_BYTES	(64 * 1024)

static u32 kipc_mq_batch_room(struct kipc_mq *mq, u32 left, bool first,
			      bool nonblock)
{
	long room = mq->maxmsg, ahead;

	/* lockless snapshots: a stale value only sizes a chunk */
	room -= data_race(READ_ONCE(mq->tree.count));
	/* lockless snapshot, as above */
	room += data_race(READ_ONCE(mq->nr_receivers));

	if (first && nonblock) {
		room = max(room, 1L);
	} else if (first) {
		/* the first message may block: bound what is held then */
		ahead = clamp_t(long, KIPC_MQ_AHEAD_BYTES / mq->msgsize, 1,
				mq->maxmsg);
		room = room < 1 ? ahead : min(room, ahead);
	}
	return room < 0 ? 0 : min_t(long, room, left);
}

/*
 * Messages are allocated and copied in before the queue lock is taken,
 * which is then taken once per chunk (kipc_mq_do_sendv).  A copy or an
 * allocation that fails ends the batch there, as a message that would
 * block does: the ones before it are sent.
 */
static long kipc_mq_ioc_sendv(struct kipc_file *kf, void __user *uarg)
{
	struct kipc_mq *mq = kipc_mq_of(kf->obj);
	u32 done = 0, i, end, sent, cached;
	struct kipc_mq_msg **msgs;
	struct kipc_mq_batch b;
	struct kipc_mq_msgv *v;
	long ret = 0;

	if (!(kf->acc & MAY_WRITE))
		return -EBADF;
	if (copy_from_user(&b, uarg, sizeof(b)))
		return -EFAULT;
	v = kipc_mq_batch_get(kf, &b, true, &msgs);
	if (IS_ERR(v))
		return PTR_ERR(v);
	while (done < b.n) {
		end = done + kipc_mq_batch_room(mq, b.n - done, !done,
						kipc_file_nonblock(kf));
		if (end == done)
			break;
		/* recycled buffers for the chunk, in one cache lock hold */
		cached = done + kipc_mq_cache_take(mq, msgs + done, end - done);
		for (i = done; i < end; i++) {
			msgs[i] = kipc_mq_msg_new(mq, v[i].len,
						  i < cached ? msgs[i] : NULL);
			if (!msgs[i]) {
				ret = -ENOMEM;
				break;
			}
			if (copy_from_user(msgs[i]->data,
					   u64_to_user_ptr(v[i].buf),
					   v[i].len)) {
				/* it, and the cached ones not reached */
				kipc_mq_msgs_put(mq, msgs + i,
						 max(cached, i + 1) - i);
				ret = -EFAULT;
				break;
			}
			msgs[i]->prio = v[i].prio;
		}
		/* (a failed allocation comes after every cached buffer) */
		if (i == done)
			break;
		/* only the batch's first message may block */
		ret = kipc_mq_do_sendv(mq, msgs + done, i - done,
				       done || kipc_file_nonblock(kf),
				       &b.timeout);
		if (ret < 0) {
			kipc_mq_msgs_put(mq, msgs + done, i - done);
			break;
		}
		sent = ret;	/* and counted, under the queue lock */
		kipc_mq_msgs_put(mq, msgs + done + sent, i - done - sent);
		done += sent;
		if (done < end)		/* full, or a prepare failed */
			break;
	}
	kipc_mq_batch_put(kf, v, true);	/* and msgs with it */
	return done ? done : ret;
}

/*
 * Up to n messages are taken under one lock hold (kipc_mq_do_receivev),
 * then copied out after it is dropped.  If a copy faults, that message is
 * lost and counts as received, as with the single command (the batch
 * returns the number before it, or EFAULT for the first); the messages
 * taken after it go back to the front of their priority, in order
 * (kipc_mq_unreceive), so none is lost or reordered.
 */
static long kipc_mq_ioc_receivev(struct kipc_file *kf, void __user *uarg)
{
	struct kipc_mq *mq = kipc_mq_of(kf->obj);
	struct kipc_mq_msg **msgs;
	struct kipc_mq_batch b;
	struct kipc_mq_msgv *v;
	u32 i, got, taken;
	u64 bytes = 0;
	long ret;

	if (!(kf->acc & MAY_READ))
		return -EBADF;
	if (copy_from_user(&b, uarg, sizeof(b)))
		return -EFAULT;
	v = kipc_mq_batch_get(kf, &b, false, &msgs);
	if (IS_ERR(v))
		return PTR_ERR(v);
	ret = kipc_mq_do_receivev(mq, kipc_file_nonblock(kf), &b.timeout,
				  msgs, b.n);
	if (ret < 0)
		goto out;
	got = ret;
	for (i = 0; i < got; i++) {
		bytes += msgs[i]->len;
		if (copy_to_user(u64_to_user_ptr(v[i].buf), msgs[i]->data,
				 msgs[i]->len))
			break;
		v[i].len = msgs[i]->len;
		v[i].prio = msgs[i]->prio;
	}
	taken = i < got ? i + 1 : got;	/* with the one that faulted */
	if (i < got)
		kipc_mq_unreceive(mq, msgs + taken, got - taken);
	kipc_mq_count(mq, KIPC_MQ_RECEIVED, taken);
	kipc_mq_count(mq, KIPC_MQ_BYTES_RECEIVED, bytes);
	kipc_mq_msgs_put(mq, msgs, taken);
	if (!i)
		ret = -EFAULT;
	else if (kipc_mq_batch_write(u64_to_user_ptr(b.vec), v, i))
		ret = -EFAULT;
	else
		ret = i;
out:
	kipc_mq_batch_put(kf, v, false);	/* and msgs with it */
	return ret;
}

long kipc_mq_ioctl(struct kipc_file *kf, unsigned int cmd, void __user *arg)
{
	switch (cmd) {
	case KIPC_MQ_IOC_SEND:
		return kipc_mq_ioc_send(kf, arg);
	case KIPC_MQ_IOC_RECEIVE:
		return kipc_mq_ioc_receive(kf, arg);
	case KIPC_MQ_IOC_GETATTR:
		return kipc_mq_ioc_getattr(kf, arg);
	case KIPC_MQ_IOC_NOTIFY:
		return kipc_mq_ioc_notify(kf, arg);
	case KIPC_MQ_IOC_SENDV:
		return kipc_mq_ioc_sendv(kf, arg);
	case KIPC_MQ_IOC_RECEIVEV:
		return kipc_mq_ioc_receivev(kf, arg);
	}
	return -ENOTTY;
}

ssize_t kipc_mq_read(struct kipc_file *kf, char __user *buf, size_t len,
		     loff_t *ppos)
{
	u32 prio;

	if (!(kf->acc & MAY_READ))
		return -EBADF;
	return kipc_mq_receive_user(kipc_mq_of(kf->obj), buf, len, &prio,
				    &kipc_mq_no_timeout,
				    kipc_file_nonblock(kf));
}

ssize_t kipc_mq_write(struct kipc_file *kf, const char __user *buf,
		      size_t len, loff_t *ppos)
{
	long ret;

	if (!(kf->acc & MAY_WRITE))
		return -EBADF;
	ret = kipc_mq_send_user(kipc_mq_of(kf->obj), buf, len, 0,
				&kipc_mq_no_timeout, kipc_file_nonblock(kf));
	return ret ? ret : len;
}

__poll_t kipc_mq_poll(struct kipc_file *kf, struct poll_table_struct *pt)
{
	struct kipc_mq *mq = kipc_mq_of(kf->obj);
	__poll_t mask = 0;
	long count;

	poll_wait(kf->file, &mq->poll_wq, pt);
	/* pairs with wq_has_sleeper() in kipc_mq_poll_wake() */
	smp_mb();
	/* lockless snapshot; a change after it wakes us through poll_wq */
	count = data_race(READ_ONCE(mq->tree.count));
	if (count)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (count < mq->maxmsg)
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

/* kf->priv was allocated, zeroed, before the queue could be created */
int kipc_mq_open_handle(struct kipc_file *kf)
{
	struct kipc_mq_handle *h = kf->priv;
	int i;

	for (i = 0; i < ARRAY_SIZE(h->batch); i++)
		mutex_init(&h->batch[i].lock);
	return 0;
}

/*
 * The handle is released for good: its notification and its batch buffer
 * go with it.
 */
void kipc_mq_release(struct kipc_file *kf)
{
	struct kipc_mq_handle *h = kf->priv;
	struct kipc_mq *mq = kipc_mq_of(kf->obj);
	struct user_namespace *uns = NULL;
	struct pid *put = NULL;
	int i;

	spin_lock(&mq->lock);
	if (mq->notify_kf == kf)
		put = kipc_mq_unregister(mq, &uns);
	spin_unlock(&mq->lock);
	put_pid(put);
	if (uns)
		put_user_ns(uns);
	for (i = 0; i < ARRAY_SIZE(h->batch); i++) {
		mutex_destroy(&h->batch[i].lock);
		kfree(h->batch[i].buf);
	}
	kfree(h);
}
