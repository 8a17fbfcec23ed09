// SPDX-License-Identifier: GPL-2.0
/*
 * Named message queues: the object type, creation and destruction, and the
 * core of sending and receiving shared by the file operations (mq_ops.c)
 * and the in-kernel API (mq.h).
 *
 * Waiting follows ipc/mqueue.c.  A blocked task puts a struct
 * kipc_mq_waiter on its stack and on the queue's senders or receivers list,
 * under the queue lock.  The partner that completes it (hands it a message,
 * or takes its message) removes it from the list, takes a reference on its
 * task and only then publishes KIPC_MQ_READY with a release store: from
 * that store on the waiter may return and its stack frame be gone
 * (CVE-2021-47069), so the partner touches nothing of it afterwards and
 * wakes the task only after dropping the lock.  The waiter
 * checks READY before anything else when it wakes, so a message handed
 * over is returned even if a signal, a timeout or a stop request came at
 * the same time: no message is ever lost or duplicated that way.
 */
#include <linux/kthread.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include "mq.h"

enum {
	KIPC_MQ_WAITING,	/* on a list, nobody has completed it */
	KIPC_MQ_READY,		/* completed: message handed over or taken */
	KIPC_MQ_RETRY,		/* taken off the list without completion */
};

/**
 * struct kipc_mq_waiter - a task blocked in send or receive (on its stack)
 * @list:	in kipc_mq.senders or .receivers; the queue lock
 * @task:	the blocked task
 * @msg:	sender: its message; receiver: the message handed over
 * @state:	KIPC_MQ_*; written under the queue lock, READY/RETRY with
 *		release semantics, read locklessly by the waiter with acquire
 */
struct kipc_mq_waiter {
	struct list_head list;
	struct task_struct *task;
	struct kipc_mq_msg *msg;
	int state;
};

/*
 * The histogram only needs a duration: the NMI-safe fast monotonic clock
 * is a plain clocksource read, without ktime_get()'s seqcount retry loop.
 */
static void kipc_mq_count_wait(struct kipc_mq *mq, u64 start)
{
	unsigned int b;

	b = kipc_hist_bucket(ktime_get_mono_fast_ns() - start, KIPC_MQ_HIST);
	this_cpu_inc(mq->stats->hist[b]);
	this_cpu_inc(kipc_mq_totals.hist[b]);
}

/* A kthread asked to stop must not sleep (kthread_stop waits for it). */
static bool kipc_mq_stopping(void)
{
	return (current->flags & PF_KTHREAD) && kthread_should_stop();
}

/*
 * Complete @w (under the queue lock): see the comment at the top of the
 * file for why the order is list_del, get_task_struct, release store.
 */
static struct task_struct *kipc_mq_complete(unsigned int *nr,
					    struct kipc_mq_waiter *w,
					    int state)
{
	struct task_struct *task;

	list_del(&w->list);
	(*nr)--;
	task = get_task_struct(w->task);
	/* pairs with smp_load_acquire() in kipc_mq_wait(); w may go now */
	smp_store_release(&w->state, state);
	return task;
}

/*
 * Wake the task kipc_mq_complete() returned, after the queue lock is
 * dropped.  (wake_q is not exported to modules; exclusive waits mean one
 * operation completes at most one waiter, so one pointer does the job.)
 */
static void kipc_mq_wake(struct task_struct *task)
{
	if (!task)
		return;
	wake_up_process(task);
	put_task_struct(task);
}

/*
 * Block on @list until completed, timed out, signalled or stopped.  Called
 * with @mq->lock held; returns with it dropped.
 *
 * Return: 0 (KIPC_MQ_READY), -EAGAIN (KIPC_MQ_RETRY: try again from the
 * start), -ETIMEDOUT, or -ERESTARTSYS (signal or kthread stop).
 */
static int kipc_mq_wait(struct kipc_mq *mq, struct list_head *list,
			unsigned int *nr, struct kipc_mq_waiter *w,
			ktime_t expires, clockid_t clk)
	__releases(&mq->lock)
{
	u64 start = ktime_get_mono_fast_ns();
	int state, ret, left;

	w->task = current;
	w->state = KIPC_MQ_WAITING;
	list_add_tail(&w->list, list);
	(*nr)++;
	for (;;) {
		/* under the lock: a partner cannot complete us before this */
		__set_current_state(TASK_INTERRUPTIBLE);
		spin_unlock(&mq->lock);
		left = -EINTR;
		if (kipc_mq_stopping())
			__set_current_state(TASK_RUNNING);
		else
			left = kipc_timeout_sleep(expires, clk);
		/* pairs with smp_store_release() in kipc_mq_complete() */
		state = smp_load_acquire(&w->state);
		if (state != KIPC_MQ_WAITING) {
			ret = state == KIPC_MQ_READY ? 0 : -EAGAIN;
			goto out;
		}
		spin_lock(&mq->lock);
		state = w->state;	/* completed while we took the lock? */
		if (state != KIPC_MQ_WAITING) {
			spin_unlock(&mq->lock);
			ret = state == KIPC_MQ_READY ? 0 : -EAGAIN;
			goto out;
		}
		if (signal_pending(current) || kipc_mq_stopping()) {
			ret = -ERESTARTSYS;
			break;
		}
		if (!left) {
			ret = -ETIMEDOUT;
			break;
		}
		/* spurious wake-up: wait again */
	}
	list_del(&w->list);
	(*nr)--;
	spin_unlock(&mq->lock);
	kipc_mq_count(mq, ret == -ETIMEDOUT ? KIPC_MQ_TIMEOUTS :
		      KIPC_MQ_INTERRUPTS, 1);
out:
	kipc_mq_count_wait(mq, start);
	return ret;
}

/*
 * @msg was accepted: queued or handed over.  Counted before the receiver
 * can run, so that received never runs ahead of sent.
 */
static void kipc_mq_count_sent(struct kipc_mq *mq,
			       const struct kipc_mq_msg *msg)
{
	kipc_mq_count(mq, KIPC_MQ_SENT, 1);
	kipc_mq_count(mq, KIPC_MQ_BYTES_SENT, msg->len);
}

static bool kipc_mq_poll_wake(struct kipc_mq *mq, __poll_t events)
{
	/* the barrier in wq_has_sleeper pairs with the one in kipc_mq_poll */
	if (!wq_has_sleeper(&mq->poll_wq))
		return false;
	wake_up_interruptible_poll(&mq->poll_wq, events);
	return true;
}

/*
 * A priority node for the next insert, allocated before the lock because
 * nothing is allocated under it.  The peek at @mq->spare is racy: another
 * task may use the spare before we lock, and an insert then finds no node
 * (-ENOMEM from kipc_mq_tree_insert).  The caller then retries with
 * @force, and holding its own node it cannot fail again.
 */
static struct kipc_mq_prio *kipc_mq_prealloc(struct kipc_mq *mq, bool force)
{
	/* a stale answer costs one kmalloc or one retry */
	if (!force && data_race(mq->spare))
		return NULL;
	return kmalloc(sizeof(struct kipc_mq_prio), GFP_KERNEL_ACCOUNT);
}

/*
 * A receiver needs a node only to take a waiting sender's message into the
 * slot it frees (kipc_mq_pull_sender()) when that priority has none, so it
 * allocates only when a sender waits.  Allocating every time cost a
 * kmalloc and a kfree per message: the sender takes the spare, the
 * receiver found none and allocated one, and the node its pop emptied
 * was then freed.  The peek is racy: a sender that finds no node after
 * all is told to retry, and allocates its own.
 */
static struct kipc_mq_prio *kipc_mq_prealloc_rcv(struct kipc_mq *mq)
{
	/* lockless peek: a stale answer costs a retry, see above */
	if (!data_race(READ_ONCE(mq->nr_senders)))
		return NULL;
	return kipc_mq_prealloc(mq, false);
}

static void kipc_mq_keep_spare(struct kipc_mq *mq, struct kipc_mq_prio **node)
{
	lockdep_assert_held(&mq->lock);
	if (!mq->spare && *node) {
		mq->spare = *node;
		*node = NULL;
	}
}

/*
 * A sender told to retry (a receiver freed a slot for it but had no node
 * for its priority) could not allocate one either and gives up: pass the
 * slot on to the next waiting sender, which retries in turn, so that no
 * sender sleeps on a queue with room.
 */
static void kipc_mq_pass_slot(struct kipc_mq *mq)
{
	struct task_struct *wake = NULL;
	struct kipc_mq_waiter *snd;

	spin_lock(&mq->lock);
	snd = list_first_entry_or_null(&mq->senders, struct kipc_mq_waiter,
				       list);
	if (snd && mq->tree.count < mq->maxmsg)
		wake = kipc_mq_complete(&mq->nr_senders, snd, KIPC_MQ_RETRY);
	spin_unlock(&mq->lock);
	kipc_mq_wake(wake);
}

/*
 * kipc_mq_do_send() - queue @msg (filled in, priority set) on @mq
 * @nonblock:	EAGAIN instead of blocking on a full queue
 * @t:		when to give up blocking (clock already validated)
 *
 * On success @msg belongs to the queue or a receiver (and is counted as
 * sent); on error it is still the caller's.  Return: 0, -EAGAIN,
 * -ETIMEDOUT, -EINVAL (bad time when it would block), -ENOMEM,
 * -ERESTARTSYS.
 */
long kipc_mq_do_send(struct kipc_mq *mq, struct kipc_mq_msg *msg,
		     bool nonblock, const struct kipc_timeout *t)
{
	struct kipc_mq_waiter *rcv, w;
	struct kipc_mq_prio *node;
	struct task_struct *wake = NULL;
	bool queued = false, force = false;
	ktime_t expires;
	clockid_t clk;
	long ret;

again:
	node = kipc_mq_prealloc(mq, force);
	if (force && !node) {
		kipc_mq_pass_slot(mq);
		return -ENOMEM;
	}
	spin_lock(&mq->lock);
	kipc_mq_keep_spare(mq, &node);
	if (mq->tree.count >= mq->maxmsg) {
		ret = -EAGAIN;
		if (nonblock)
			goto out_unlock;
		ret = kipc_timeout_check(t, &expires, &clk);
		if (ret)
			goto out_unlock;
		w.msg = msg;
		ret = kipc_mq_wait(mq, &mq->senders, &mq->nr_senders, &w,
				   expires, clk);
		kfree(node);
		if (ret == -EAGAIN) {
			/* a receiver had no node for our priority */
			force = true;
			goto again;
		}
		return ret;
	}
	rcv = list_first_entry_or_null(&mq->receivers, struct kipc_mq_waiter,
				       list);
	if (rcv) {
		/* pipelined send: straight to the first waiting receiver */
		rcv->msg = msg;
		kipc_mq_count_sent(mq, msg);
		wake = kipc_mq_complete(&mq->nr_receivers, rcv,
					KIPC_MQ_READY);
		ret = 0;
		goto out_unlock;
	}
	ret = kipc_mq_tree_insert(&mq->tree, msg, &mq->spare);
	if (ret) {
		/* the spare went meanwhile; node is NULL here */
		spin_unlock(&mq->lock);
		force = true;
		goto again;
	}
	queued = true;
	kipc_mq_count_sent(mq, msg);
	if (mq->tree.count > mq->peak)
		mq->peak = mq->tree.count;
	if (mq->tree.count == 1)
		kipc_mq_notify_locked(mq);
out_unlock:
	spin_unlock(&mq->lock);
	kipc_mq_wake(wake);
	if (queued)
		kipc_mq_poll_wake(mq, EPOLLIN | EPOLLRDNORM);
	kfree(node);
	return ret;
}

/*
 * After a receiver took a message from the tree: if a sender waits on the
 * (so far full) queue, take its message into the tree (pipelined receive).
 * Return: true when the slot was given away.
 */
static bool kipc_mq_pull_sender(struct kipc_mq *mq,
				struct task_struct **wake)
{
	struct kipc_mq_waiter *snd;

	lockdep_assert_held(&mq->lock);
	snd = list_first_entry_or_null(&mq->senders, struct kipc_mq_waiter,
				       list);
	if (!snd)
		return false;
	if (kipc_mq_tree_insert(&mq->tree, snd->msg, &mq->spare)) {
		/* no node for its priority: let it retry (and allocate) */
		*wake = kipc_mq_complete(&mq->nr_senders, snd, KIPC_MQ_RETRY);
		return false;
	}
	/* counted for the sender, which may run only after our count */
	kipc_mq_count_sent(mq, snd->msg);
	*wake = kipc_mq_complete(&mq->nr_senders, snd, KIPC_MQ_READY);
	return true;
}

/*
 * kipc_mq_do_receive() - take the next message of @mq into *@out
 *
 * The caller frees *@out when done.  Return: 0, -EAGAIN, -ETIMEDOUT,
 * -EINVAL (bad time when it would block), -ERESTARTSYS.
 */
long kipc_mq_do_receive(struct kipc_mq *mq, bool nonblock,
			const struct kipc_timeout *t,
			struct kipc_mq_msg **out)
{
	struct kipc_mq_prio *node;
	struct task_struct *wake = NULL;
	struct kipc_mq_waiter w;
	bool room = false;
	ktime_t expires;
	clockid_t clk;
	long ret;

	node = kipc_mq_prealloc_rcv(mq);
	spin_lock(&mq->lock);
	kipc_mq_keep_spare(mq, &node);
	if (!mq->tree.count) {
		ret = -EAGAIN;
		if (nonblock)
			goto out_unlock;
		ret = kipc_timeout_check(t, &expires, &clk);
		if (ret)
			goto out_unlock;
		w.msg = NULL;
		ret = kipc_mq_wait(mq, &mq->receivers, &mq->nr_receivers, &w,
				   expires, clk);
		kfree(node);
		if (!ret)
			*out = w.msg;
		/* nobody completes a receiver with RETRY */
		WARN_ON_ONCE(ret == -EAGAIN);
		return ret;
	}
	*out = kipc_mq_tree_pop(&mq->tree, &mq->spare);
	room = !kipc_mq_pull_sender(mq, &wake);
	ret = 0;
out_unlock:
	spin_unlock(&mq->lock);
	kipc_mq_wake(wake);
	if (room)
		kipc_mq_poll_wake(mq, EPOLLOUT | EPOLLWRNORM);
	kfree(node);
	return ret;
}

/* ---- Batches (KIPC_MQ_IOC_SENDV / RECEIVEV) ----------------------------- */

/*
 * Tasks completed under one lock hold, woken after it is dropped (wake_q
 * is not exported to modules).  When it is full the batch drops the lock,
 * wakes them and goes on, so the array stays small and on the stack.
 */
#define KIPC_MQ_WAKE_MAX	16

struct kipc_mq_wakes {
	unsigned int n;
	struct task_struct *task[KIPC_MQ_WAKE_MAX];
};

static void kipc_mq_wake_all(struct kipc_mq_wakes *wk)
{
	unsigned int i;

	for (i = 0; i < wk->n; i++)
		kipc_mq_wake(wk->task[i]);
	wk->n = 0;
}

/* Runs of equal priority in @msgs: at most that many new tree nodes. */
static unsigned int kipc_mq_prio_runs(struct kipc_mq_msg **msgs,
				      unsigned int n)
{
	unsigned int i, runs = !!n;

	for (i = 1; i < n; i++)
		runs += msgs[i]->prio != msgs[i - 1]->prio;
	return runs;
}

/* Up to @nr priority nodes on @pool (chained through ->msgs). */
static void kipc_mq_pool_fill(struct list_head *pool, unsigned int nr,
			      gfp_t gfp)
{
	struct kipc_mq_prio *node;

	while (nr--) {
		node = kmalloc(sizeof(*node), gfp);
		if (!node)
			return;
		list_add(&node->msgs, pool);
	}
}

/* Give the queue a spare node from @pool if it has none (lock held). */
static void kipc_mq_pool_spare(struct kipc_mq *mq, struct list_head *pool)
{
	struct kipc_mq_prio *node;

	lockdep_assert_held(&mq->lock);
	if (mq->spare || list_empty(pool))
		return;
	node = list_first_entry(pool, struct kipc_mq_prio, msgs);
	list_del(&node->msgs);
	mq->spare = node;
}

static void kipc_mq_pool_free(struct list_head *pool)
{
	struct kipc_mq_prio *node, *tmp;

	list_for_each_entry_safe(node, tmp, pool, msgs)
		kfree(node);
}

/*
 * kipc_mq_do_sendv() - queue @msgs[0..@n) in order, under one lock hold
 *
 * Only the first message may block (through kipc_mq_do_send(), with
 * @nonblock and @t); the others go while there is room, to waiting
 * receivers first, as the single path would.  Receivers are woken after
 * the lock is dropped, at most KIPC_MQ_WAKE_MAX per hold.
 *
 * Return: how many of the first messages now belong to the queue or a
 * receiver (the caller still owns the rest), or the first message's error
 * (then it owns all of them).
 */
long kipc_mq_do_sendv(struct kipc_mq *mq, struct kipc_mq_msg **msgs,
		      unsigned int n, bool nonblock,
		      const struct kipc_timeout *t)
{
	struct kipc_mq_waiter *rcv;
	struct kipc_mq_wakes wk;
	bool queued = false, stop = false;
	unsigned int i = 0, nr;
	LIST_HEAD(pool);
	u64 bytes;
	long ret;

	/*
	 * One node per run of equal priorities, before the lock: enough for
	 * every insert whatever other tasks do to the spare meanwhile, so the
	 * batch only stops early for a full queue (or a failed kmalloc here).
	 * One kmalloc per batch in the common case of a single priority.
	 */
	kipc_mq_pool_fill(&pool, kipc_mq_prio_runs(msgs, n),
			  GFP_KERNEL_ACCOUNT);
	wk.n = 0;
	while (!stop && i < n) {
		spin_lock(&mq->lock);
		kipc_mq_pool_spare(mq, &pool);
		nr = 0;
		bytes = 0;
		while (i < n) {
			rcv = list_first_entry_or_null(&mq->receivers,
						       struct kipc_mq_waiter,
						       list);
			if (rcv) {
				if (wk.n == KIPC_MQ_WAKE_MAX)
					break;
				rcv->msg = msgs[i];
				/* before it can run and free the message */
				kipc_mq_count_sent(mq, msgs[i++]);
				wk.task[wk.n++] =
					kipc_mq_complete(&mq->nr_receivers,
							 rcv, KIPC_MQ_READY);
				continue;
			}
			kipc_mq_pool_spare(mq, &pool);
			if (mq->tree.count >= mq->maxmsg ||
			    kipc_mq_tree_insert(&mq->tree, msgs[i],
						&mq->spare)) {
				stop = true;
				break;
			}
			bytes += msgs[i++]->len;
			nr++;
			queued = true;
			if (mq->tree.count > mq->peak)
				mq->peak = mq->tree.count;
			if (mq->tree.count == 1)
				kipc_mq_notify_locked(mq);
		}
		kipc_mq_pool_spare(mq, &pool);
		/* queued ones: counted before a receiver can take them */
		if (nr) {
			kipc_mq_count(mq, KIPC_MQ_SENT, nr);
			kipc_mq_count(mq, KIPC_MQ_BYTES_SENT, bytes);
		}
		spin_unlock(&mq->lock);
		kipc_mq_wake_all(&wk);
		if (stop && !i) {
			/* the first one blocks, or retries, the single way */
			ret = kipc_mq_do_send(mq, msgs[0], nonblock, t);
			if (ret) {
				kipc_mq_pool_free(&pool);
				return ret;
			}
			i = 1;
			stop = false;
		}
	}
	if (queued)
		kipc_mq_poll_wake(mq, EPOLLIN | EPOLLRDNORM);
	kipc_mq_pool_free(&pool);
	return i;
}

/*
 * kipc_mq_do_receivev() - take up to @n messages into @out[], in order,
 * under one lock hold
 *
 * Only the first may block (through kipc_mq_do_receive()); then it takes
 * what is there, taking a waiting sender's message into each freed slot
 * as the single path does.  Return: how many (>= 1; the caller frees
 * them), or the first one's error.
 */
long kipc_mq_do_receivev(struct kipc_mq *mq, bool nonblock,
			 const struct kipc_timeout *t,
			 struct kipc_mq_msg **out, unsigned int n)
{
	struct task_struct *task;
	struct kipc_mq_prio *node;
	struct kipc_mq_wakes wk;
	unsigned int i = 0;
	bool room, more;
	long ret;

	wk.n = 0;
	do {
		node = kipc_mq_prealloc_rcv(mq);
		spin_lock(&mq->lock);
		kipc_mq_keep_spare(mq, &node);
		if (!mq->tree.count) {
			spin_unlock(&mq->lock);
			kfree(node);
			if (i)
				break;
			ret = kipc_mq_do_receive(mq, nonblock, t, &out[0]);
			if (ret)
				return ret;
			i = 1;
			more = true;
			continue;
		}
		room = false;
		while (i < n && mq->tree.count && wk.n < KIPC_MQ_WAKE_MAX) {
			out[i++] = kipc_mq_tree_pop(&mq->tree, &mq->spare);
			task = NULL;
			if (!kipc_mq_pull_sender(mq, &task))
				room = true;
			if (task)
				wk.task[wk.n++] = task;
		}
		/* go on only if the wake-up array cut the hold short */
		more = i < n && mq->tree.count;
		spin_unlock(&mq->lock);
		kipc_mq_wake_all(&wk);
		if (room)
			kipc_mq_poll_wake(mq, EPOLLOUT | EPOLLWRNORM);
		kfree(node);
	} while (more && i < n);
	return i;
}

/*
 * kipc_mq_unreceive() - put back @msgs[0..@n), taken by a batch receive
 * that could not copy them out: to waiting receivers first (the queue is
 * empty when any wait), the rest in front of their priority, in order, so
 * they come out next as if never taken.  The queue may then briefly hold
 * more than maxmsg messages (at most KIPC_MQ_BATCH_MAX - 1 more); senders
 * keep waiting until it is below again.  Cannot fail: the few priority
 * nodes it may need are small allocations made with __GFP_NOFAIL.
 */
void kipc_mq_unreceive(struct kipc_mq *mq, struct kipc_mq_msg **msgs,
		       unsigned int n)
{
	struct kipc_mq_waiter *rcv;
	struct kipc_mq_wakes wk;
	unsigned int i = 0, j;
	bool was_empty;
	LIST_HEAD(pool);

	if (!n)
		return;
	kipc_mq_pool_fill(&pool, kipc_mq_prio_runs(msgs, n),
			  GFP_KERNEL_ACCOUNT | __GFP_NOFAIL);
	wk.n = 0;
	for (;;) {
		spin_lock(&mq->lock);
		while (i < n && wk.n < KIPC_MQ_WAKE_MAX &&
		       (rcv = list_first_entry_or_null(&mq->receivers,
						       struct kipc_mq_waiter,
						       list))) {
			rcv->msg = msgs[i++];
			wk.task[wk.n++] = kipc_mq_complete(&mq->nr_receivers,
							   rcv, KIPC_MQ_READY);
		}
		if (i < n && !list_empty(&mq->receivers)) {
			spin_unlock(&mq->lock);
			kipc_mq_wake_all(&wk);
			continue;
		}
		break;
	}
	was_empty = !mq->tree.count;
	for (j = n; j-- > i;) {
		kipc_mq_pool_spare(mq, &pool);
		/* cannot fail: one node per run of priorities */
		WARN_ON_ONCE(kipc_mq_tree_insert_front(&mq->tree, msgs[j],
						       &mq->spare));
	}
	if (mq->tree.count > mq->peak)
		mq->peak = mq->tree.count;
	if (was_empty && mq->tree.count)
		kipc_mq_notify_locked(mq);
	kipc_mq_pool_spare(mq, &pool);
	spin_unlock(&mq->lock);
	kipc_mq_wake_all(&wk);
	if (i < n)
		kipc_mq_poll_wake(mq, EPOLLIN | EPOLLRDNORM);
	kipc_mq_pool_free(&pool);
}

/* ---- In-kernel API (see mq.h) ------------------------------------------ */

struct kipc_obj *kipc_mq_get(const char *name)
{
	return kipc_obj_lookup(&kipc_mq_type, name);
}

size_t kipc_mq_msgsize(struct kipc_obj *q)
{
	return kipc_mq_of(q)->msgsize;
}

static const struct kipc_timeout kipc_mq_forever = {
	.clock = KIPC_CLOCK_NONE,
};

long kipc_mq_ksend(struct kipc_obj *q, const void *buf, size_t len,
		   unsigned int prio)
{
	struct kipc_mq *mq = kipc_mq_of(q);
	struct kipc_mq_msg *msg;
	long ret;

	if (prio > KIPC_MQ_PRIO_MAX)
		return -EINVAL;
	if (len > mq->msgsize)
		return -EMSGSIZE;
	msg = kipc_mq_msg_get(mq, len);
	if (!msg)
		return -ENOMEM;
	memcpy(msg->data, buf, len);
	msg->prio = prio;
	ret = kipc_mq_do_send(mq, msg, false, &kipc_mq_forever);
	if (ret) {
		kipc_mq_msg_put(mq, msg);
		return ret == -ERESTARTSYS ? -EINTR : ret;
	}
	return 0;
}

long kipc_mq_kreceive(struct kipc_obj *q, void *buf, size_t len,
		      unsigned int *prio)
{
	struct kipc_mq *mq = kipc_mq_of(q);
	struct kipc_mq_msg *msg;
	long ret;

	if (len < mq->msgsize)
		return -EMSGSIZE;
	ret = kipc_mq_do_receive(mq, false, &kipc_mq_forever, &msg);
	if (ret)
		return ret == -ERESTARTSYS ? -EINTR : ret;
	memcpy(buf, msg->data, msg->len);
	if (prio)
		*prio = msg->prio;
	ret = msg->len;
	kipc_mq_count(mq, KIPC_MQ_RECEIVED, 1);
	kipc_mq_count(mq, KIPC_MQ_BYTES_RECEIVED, msg->len);
	kipc_mq_msg_put(mq, msg);
	return ret;
}

/* ---- The object type ---------------------------------------------------- */

static int kipc_mq_create(struct kipc_obj *obj, const void *attr,
			  struct kipc_user *user)
{
	const struct kipc_mq_attr *a = attr;
	struct kipc_mq *mq = kipc_mq_of(obj);
	u64 maxmsg_max = kipc_limit_get(&kipc_limit_mq_maxmsg_max);
	u64 msgsize_max = kipc_limit_get(&kipc_limit_mq_msgsize_max);
	s64 maxmsg, msgsize;
	u64 bytes;
	int err;

	if (a) {
		maxmsg = a->maxmsg;
		msgsize = a->msgsize;
	} else {
		/* defaults, but never above the current maxima */
		maxmsg = min(kipc_limit_get(&kipc_limit_mq_maxmsg_default),
			     maxmsg_max);
		msgsize = min(kipc_limit_get(&kipc_limit_mq_msgsize_default),
			      msgsize_max);
	}
	err = kipc_mq_attr_check(maxmsg, msgsize, maxmsg_max, msgsize_max);
	if (err)
		return err;
	err = kipc_mq_charge_bytes(maxmsg, msgsize, &bytes);
	if (err)
		return err;
	err = kipc_user_charge(user, KIPC_RES_MQ_BYTES, bytes,
			       kipc_limit_get(&kipc_limit_mq_bytes_per_user));
	if (err)
		return err;
	mq->stats = alloc_percpu_gfp(struct kipc_mq_pcpu, GFP_KERNEL_ACCOUNT);
	if (!mq->stats) {
		kipc_user_uncharge(user, KIPC_RES_MQ_BYTES, bytes);
		return -ENOMEM;
	}
	kipc_user_charge(user, KIPC_RES_MQ, 1, U64_MAX);
	mq->charged = bytes;
	mq->maxmsg = maxmsg;
	mq->msgsize = msgsize;
	spin_lock_init(&mq->lock);
	kipc_mq_cache_init(mq);
	kipc_mq_tree_init(&mq->tree);
	INIT_LIST_HEAD(&mq->senders);
	INIT_LIST_HEAD(&mq->receivers);
	init_waitqueue_head(&mq->poll_wq);
	kipc_mq_lifecycle(true);
	return 0;
}

static void kipc_mq_destroy(struct kipc_obj *obj)
{
	struct kipc_mq *mq = kipc_mq_of(obj);

	/* no handle is left, so nobody waits and nobody is registered */
	WARN_ON_ONCE(!list_empty(&mq->senders) ||
		     !list_empty(&mq->receivers) || mq->notify_pid);
	kipc_mq_tree_purge(&mq->tree);
	kipc_mq_cache_purge(mq);
	kfree(mq->spare);
	free_percpu(mq->stats);
	kipc_user_uncharge(obj->user, KIPC_RES_MQ_BYTES, mq->charged);
	kipc_user_uncharge(obj->user, KIPC_RES_MQ, 1);
	kipc_mq_lifecycle(false);
}

struct kipc_type kipc_mq_type = {
	.name		= "mq",
	.id		= KIPC_TYPE_MQ,
	.obj_size	= sizeof(struct kipc_mq),
	.attr_size	= sizeof(struct kipc_mq_attr),
	.ioc_first	= 0x10,
	.ioc_last	= 0x2f,
	.obj_groups	= kipc_mq_groups,
	.create		= kipc_mq_create,
	.destroy	= kipc_mq_destroy,
	.priv_size	= sizeof(struct kipc_mq_handle),
	.open		= kipc_mq_open_handle,
	.release	= kipc_mq_release,
	.ioctl		= kipc_mq_ioctl,
	.read		= kipc_mq_read,
	.write		= kipc_mq_write,
	.poll		= kipc_mq_poll,
	.max_objects	= &kipc_limit_mq_max.value,
};

int kipc_mq_init(void)
{
	int err;

	err = kipc_mq_sysfs_init();
	if (err)
		return err;
	err = kipc_type_register(&kipc_mq_type);
	if (err)
		kipc_mq_sysfs_exit();
	return err;
}

void kipc_mq_exit(void)
{
	kipc_type_unregister(&kipc_mq_type);
	kipc_mq_sysfs_exit();
}
