/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Named message queues: what the files of the queue share, the in-kernel
 * API other parts of kipc (the worker pools) use, and the pure helpers the
 * KUnit tests call without user space.
 *
 * Design (after ipc/mqueue.c): messages sit in an rbtree of priority nodes,
 * each holding a FIFO list, so the highest priority is the rightmost node.
 * A message is allocated and filled before the queue's spinlock is taken
 * and copied out after it is dropped.  A sender that finds a receiver
 * waiting hands the message straight to it (pipelined send); a receiver
 * that frees a slot while a sender waits on a full queue takes that
 * sender's message into the queue (pipelined receive).  Waiters are
 * exclusive (one message wakes one waiter) and are woken after the lock
 * is dropped.  Message buffers are recycled per queue (mq_cache.c), within
 * the memory its creator was charged for.
 *
 * ---- In-kernel API (stable) ----------------------------------------------
 *
 * kipc_mq_get(name)
 *	The linked queue called @name (no leading '/'), with a reference the
 *	caller drops with kipc_obj_put(); NULL when there is none.  The
 *	reference keeps the queue alive after an unlink, like an open file.
 *	No permission check: the kernel caller decides who may use it.
 *
 * kipc_mq_ksend(q, buf, len, prio)
 *	Send @len bytes from the kernel buffer @buf at priority @prio
 *	(0..KIPC_MQ_PRIO_MAX).  Blocks (interruptibly) while the queue is full.
 *	Return: 0; -EMSGSIZE when @len > msgsize; -EINVAL for a bad @prio;
 *	-ENOMEM; -EINTR when kthread_should_stop() became true or a signal is
 *	pending (checked before sleeping and after every wake-up): the
 *	message was then NOT sent.
 *
 * kipc_mq_kreceive(q, buf, len, &prio)
 *	Receive the oldest message of the highest priority into @buf (@len
 *	bytes, at least the queue's msgsize); stores its priority in *@prio
 *	when @prio is not NULL.  Blocks (interruptibly) while the queue is
 *	empty.  Return: the message length; -EMSGSIZE when @len < msgsize;
 *	-EINTR as for kipc_mq_ksend(): then no message was taken.  A message
 *	handed to a waiter is always returned, even if the stop request or a
 *	signal came at the same moment.
 *
 * kipc_mq_msgsize(q)
 *	The queue's msgsize (fixed at creation): the buffer kipc_mq_kreceive
 *	needs.
 *
 * All three take a queue from kipc_mq_get(); they count in the queue's and
 * the global /sys counters like the user paths do.  They must be called
 * from process context (kthreads included), never under a spinlock.
 */
#ifndef _KIPC_MQ_H
#define _KIPC_MQ_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/pid.h>
#include <linux/rbtree.h>
#include <linux/signal_types.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include "kipc.h"

struct kipc_obj *kipc_mq_get(const char *name);
long kipc_mq_ksend(struct kipc_obj *q, const void *buf, size_t len,
		   unsigned int prio);
long kipc_mq_kreceive(struct kipc_obj *q, void *buf, size_t len,
		      unsigned int *prio);
size_t kipc_mq_msgsize(struct kipc_obj *q);

/* ---- Inside the module ------------------------------------------------ */

/* Buckets of the wait-time histogram (log2 ns; last one: >= 2^30 ns). */
#define KIPC_MQ_HIST		32

/**
 * struct kipc_mq_msg - one message
 * @list:	in its priority node's FIFO, or owned by one task
 * @next_free:	the next buffer down the queue's cache (while in it)
 * @len:	bytes in @data
 * @cap:	room in @data (the queue's msgsize for a recyclable buffer)
 * @prio:	priority
 * @data:	the payload (allocated with the message: slab or vmalloc)
 */
struct kipc_mq_msg {
	union {
		struct list_head list;
		struct kipc_mq_msg *next_free;
	};
	size_t len;
	size_t cap;
	unsigned int prio;
	char data[];
};

/**
 * struct kipc_mq_prio - the messages of one priority
 * @node:	in struct kipc_mq_tree.root, keyed by @prio
 * @msgs:	FIFO of struct kipc_mq_msg
 * @prio:	the priority
 */
struct kipc_mq_prio {
	struct rb_node node;
	struct list_head msgs;
	unsigned int prio;
};

/**
 * struct kipc_mq_tree - the messages of a queue, by priority then age
 * @root:	priority nodes
 * @rightmost:	the highest priority node, or NULL when empty
 * @count:	messages in the tree
 * @bytes:	payload bytes in the tree
 *
 * All fields are protected by the owning queue's lock; the helpers below
 * only need the caller to hold whatever protects the tree.
 */
struct kipc_mq_tree {
	struct rb_root root;
	struct rb_node *rightmost;
	long count;
	u64 bytes;
};

/* Counters kept per CPU, per queue and in total (summed when read). */
enum kipc_mq_stat {
	KIPC_MQ_SENT,		/* messages queued or handed to a receiver */
	KIPC_MQ_RECEIVED,	/* messages taken by receivers */
	KIPC_MQ_BYTES_SENT,
	KIPC_MQ_BYTES_RECEIVED,
	KIPC_MQ_TIMEOUTS,	/* blocked calls that ended with ETIMEDOUT */
	KIPC_MQ_INTERRUPTS,	/* blocked calls ended by a signal or stop */
	KIPC_MQ_NR_STATS,
};

struct kipc_mq_pcpu {
	u64 v[KIPC_MQ_NR_STATS];
	u64 hist[KIPC_MQ_HIST];	/* how long blocked waits lasted */
};

/**
 * struct kipc_mq - a message queue
 * @obj:	the registry's part; first
 * @lock:	protects every field marked "lock"
 * @tree:	the messages (lock)
 * @spare:	one preallocated priority node, or NULL (lock)
 * @senders:	struct kipc_mq_waiter of blocked senders, FIFO (lock)
 * @receivers:	struct kipc_mq_waiter of blocked receivers, FIFO (lock)
 * @nr_senders:	length of @senders (lock; peeked without it)
 * @nr_receivers: length of @receivers (lock; peeked without it)
 * @peak:	most messages ever held at once (lock)
 * @poll_wq:	poll/select/epoll waiters (its own lock)
 * @notify_pid:	process (tgid) registered for notification, or NULL (lock)
 * @notify_kf:	the handle it registered through (lock)
 * @notify_exec_id: @notify_pid's self_exec_id at registration (lock)
 * @notify_signo: signal to send, 0 for SIGEV_NONE (lock)
 * @notify_value: the sigev_value to send (lock)
 * @notify_uns:	user namespace of the registrant, for si_uid (lock)
 * @notifies:	notifications delivered (lock)
 * @maxmsg:	capacity in messages, fixed
 * @msgsize:	largest message in bytes, fixed
 * @charged:	bytes reserved from the creator's per-user limit, fixed
 * @stats:	per-CPU counters and wait-time histogram
 * @cache_lock:	protects @cache and @nr_cached
 * @cache:	recycled full-size message buffers, a stack linked through
 *		->next_free, newest first (cache_lock)
 * @nr_cached:	length of @cache (cache_lock; peeked without it)
 * @cache_max:	cached buffers plus queued messages stay at most this:
 *		maxmsg plus the reserve of kipc_mq_cache_reserve(), fixed
 */
struct kipc_mq {
	struct kipc_obj obj;
	spinlock_t lock;	/* the queue: messages and waiters */
	struct kipc_mq_tree tree;
	struct kipc_mq_prio *spare;
	struct list_head senders;
	struct list_head receivers;
	unsigned int nr_senders;
	unsigned int nr_receivers;
	long peak;
	wait_queue_head_t poll_wq;
	struct pid *notify_pid;
	struct kipc_file *notify_kf;
	u64 notify_exec_id;
	int notify_signo;
	sigval_t notify_value;
	struct user_namespace *notify_uns;
	u64 notifies;
	long maxmsg;
	long msgsize;
	u64 charged;
	struct kipc_mq_pcpu __percpu *stats;
	spinlock_t cache_lock;	/* the recycled buffers, not the queue */
	struct kipc_mq_msg *cache;
	unsigned int nr_cached;
	long cache_max;
};

/*
 * Room for one batch: the vector and the message pointers of
 * KIPC_MQ_BATCH_MAX messages.
 */
#define KIPC_MQ_BATCH_BYTES \
	(KIPC_MQ_BATCH_MAX * (sizeof(struct kipc_mq_msgv) + \
			      sizeof(struct kipc_mq_msg *)))

/**
 * struct kipc_mq_handle - what one queue file keeps (kf->priv)
 * @batch:	per direction ([0] RECEIVEV, [1] SENDV), so that a sender and
 *		a receiver sharing the file (forked, or threads) each have one:
 * @batch.lock:	serialises use of @batch.buf; a batch that finds it taken (a
 *		second thread batching the same way on the same file) uses a
 *		buffer of its own for that call
 * @batch.buf:	KIPC_MQ_BATCH_BYTES, allocated at the direction's first batch
 *		and kept until the file is released, so a batch does not
 *		allocate (and zero) its vector every call (batch.lock)
 */
struct kipc_mq_handle {
	struct {
		struct mutex lock;	/* buf */
		void *buf;
	} batch[2];
};

static inline struct kipc_mq *kipc_mq_of(struct kipc_obj *obj)
{
	return container_of(obj, struct kipc_mq, obj);
}

/* mq_sysfs.c: the totals over every queue that ever lived */
DECLARE_PER_CPU(struct kipc_mq_pcpu, kipc_mq_totals);

/*
 * Count @n in the queue's and the global counters: per CPU, so the hot
 * paths write only their own CPU's lines; inline, since every send and
 * receive counts twice.
 */
static inline void kipc_mq_count(struct kipc_mq *mq, enum kipc_mq_stat i,
				 u64 n)
{
	this_cpu_add(mq->stats->v[i], n);
	this_cpu_add(kipc_mq_totals.v[i], n);
}

/* mq_msg.c: messages and the priority tree; pure, KUnit-callable */
struct kipc_mq_msg *kipc_mq_msg_alloc(size_t len);
void kipc_mq_msg_free(struct kipc_mq_msg *msg);
void kipc_mq_tree_init(struct kipc_mq_tree *t);
int kipc_mq_tree_insert(struct kipc_mq_tree *t, struct kipc_mq_msg *msg,
			struct kipc_mq_prio **spare);
int kipc_mq_tree_insert_front(struct kipc_mq_tree *t, struct kipc_mq_msg *msg,
			      struct kipc_mq_prio **spare);
struct kipc_mq_msg *kipc_mq_tree_pop(struct kipc_mq_tree *t,
				     struct kipc_mq_prio **spare);
void kipc_mq_tree_purge(struct kipc_mq_tree *t);
int kipc_mq_attr_bytes(s64 maxmsg, s64 msgsize, u64 *bytes);
int kipc_mq_attr_check(s64 maxmsg, s64 msgsize, u64 maxmsg_max,
		       u64 msgsize_max);

/* mq_cache.c: recycled message buffers */
unsigned int kipc_mq_cache_take(struct kipc_mq *mq, struct kipc_mq_msg **out,
				unsigned int n);
struct kipc_mq_msg *kipc_mq_msg_new(struct kipc_mq *mq, size_t len,
				    struct kipc_mq_msg *buf);
struct kipc_mq_msg *kipc_mq_msg_get(struct kipc_mq *mq, size_t len);
void kipc_mq_msgs_put(struct kipc_mq *mq, struct kipc_mq_msg **msgs,
		      unsigned int n);
void kipc_mq_msg_put(struct kipc_mq *mq, struct kipc_mq_msg *msg);
long kipc_mq_cache_reserve(s64 maxmsg, s64 msgsize);
int kipc_mq_charge_bytes(s64 maxmsg, s64 msgsize, u64 *bytes);
void kipc_mq_cache_init(struct kipc_mq *mq);
void kipc_mq_cache_purge(struct kipc_mq *mq);

/* mq.c: the queue's core, used by the file operations in mq_ops.c */
extern struct kipc_type kipc_mq_type;
long kipc_mq_do_send(struct kipc_mq *mq, struct kipc_mq_msg *msg,
		     bool nonblock, const struct kipc_timeout *t);
long kipc_mq_do_receive(struct kipc_mq *mq, bool nonblock,
			const struct kipc_timeout *t,
			struct kipc_mq_msg **out);
long kipc_mq_do_sendv(struct kipc_mq *mq, struct kipc_mq_msg **msgs,
		      unsigned int n, bool nonblock,
		      const struct kipc_timeout *t);
long kipc_mq_do_receivev(struct kipc_mq *mq, bool nonblock,
			 const struct kipc_timeout *t,
			 struct kipc_mq_msg **out, unsigned int n);
void kipc_mq_unreceive(struct kipc_mq *mq, struct kipc_mq_msg **msgs,
		       unsigned int n);

/* mq_ops.c: file operations of a bound handle */
long kipc_mq_ioctl(struct kipc_file *kf, unsigned int cmd, void __user *arg);
ssize_t kipc_mq_read(struct kipc_file *kf, char __user *buf, size_t len,
		     loff_t *ppos);
ssize_t kipc_mq_write(struct kipc_file *kf, const char __user *buf,
		      size_t len, loff_t *ppos);
__poll_t kipc_mq_poll(struct kipc_file *kf, struct poll_table_struct *pt);
int kipc_mq_open_handle(struct kipc_file *kf);
void kipc_mq_release(struct kipc_file *kf);
void kipc_mq_notify_locked(struct kipc_mq *mq);

/* mq_sysfs.c: /sys/kernel/kipc/mq/<name>/, stats/ and limits/ */
extern const struct attribute_group *kipc_mq_groups[];
extern struct kipc_limit kipc_limit_mq_max;
extern struct kipc_limit kipc_limit_mq_maxmsg_max;
extern struct kipc_limit kipc_limit_mq_msgsize_max;
extern struct kipc_limit kipc_limit_mq_maxmsg_default;
extern struct kipc_limit kipc_limit_mq_msgsize_default;
extern struct kipc_limit kipc_limit_mq_bytes_per_user;
void kipc_mq_stats_sum(struct kipc_mq_pcpu __percpu *pc,
		       struct kipc_mq_pcpu *sum);
void kipc_mq_lifecycle(bool created);
int kipc_mq_sysfs_init(void);
void kipc_mq_sysfs_exit(void);

#endif /* _KIPC_MQ_H */
