/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Named counting semaphores: what sem.c, sem_core.c and sem_sysfs.c share,
 * and the pure bookkeeping (sem_core.c) that a KUnit test can drive without
 * user space: take, post with hand-off, the waiter order and undo.
 *
 * Invariant (under core->lock): value > 0 implies no waiter is queued.  A
 * post with waiters hands its unit straight to the first one, so a newcomer
 * never takes a unit meant for a waiter (no barging) and every post wakes at
 * most one task.
 *
 * Order of waiters: by scheduling priority when realtime tasks wait (a lower
 * task->prio first; every non-realtime task counts as one priority below
 * the lowest realtime one), first come first served among equals.  So with
 * only SCHED_OTHER/BATCH/IDLE tasks the order is plain FIFO.
 */
#ifndef _KIPC_SEM_H
#define _KIPC_SEM_H

#include <linux/list.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include "kipc.h"

#define KIPC_SEM_HIST_N		32	/* log2 buckets of blocked-wait ns */
#define KIPC_SEM_WAKE_BATCH	16	/* tasks woken per lock round */

/* waiter states; the waker publishes GOT* with smp_store_release() */
enum {
	KIPC_SEM_WAITING = 0,
	KIPC_SEM_GOT,		/* handed a unit */
	KIPC_SEM_GOT_DEAD,	/* handed a unit a dead holder returned */
};

/**
 * struct kipc_sem_waiter - one blocked wait, on the waiter's stack
 * @node:	in core->waiters; core->lock
 * @task:	the sleeping task
 * @prio:	its queueing priority (see the file comment), fixed
 * @undo:	the handle's undo count to charge on hand-off, or NULL;
 *		core->lock
 * @start:	ktime_get_mono_fast_ns() when it started to block, for the
 *		histogram
 * @state:	KIPC_SEM_*; written by the waker last (release), read by the
 *		waiter locklessly (acquire) or under core->lock.  Once it is
 *		not WAITING the waker no longer touches the structure.
 */
struct kipc_sem_waiter {
	struct list_head node;
	struct task_struct *task;
	int prio;
	u32 *undo;
	u64 start;
	int state;
};

/**
 * struct kipc_sem_wake - tasks to wake once core->lock is dropped
 * @n:		entries used
 * @task:	referenced tasks (taken before the waiter's state is set)
 */
struct kipc_sem_wake {
	unsigned int n;
	struct task_struct *task[KIPC_SEM_WAKE_BATCH];
};

/**
 * struct kipc_sem_stats - one semaphore's counters; core->lock, read
 * locklessly by sysfs (READ_ONCE)
 * @posts:	successful posts
 * @waits:	successful waits and trywaits (units taken)
 * @trywait_fails: trywaits (and non-blocking waits) that found no unit
 * @timeouts:	waits that ended with ETIMEDOUT
 * @interrupts:	waits that ended because of a signal
 * @returned:	units given back by released undo handles (dead holders)
 * @owner_dead:	units taken with the owner-died notice (EOWNERDEAD)
 * @hist:	blocked waits that got a unit, by log2 of ns blocked
 */
struct kipc_sem_stats {
	u64 posts;
	u64 waits;
	u64 trywait_fails;
	u64 timeouts;
	u64 interrupts;
	u64 returned;
	u64 owner_dead;
	u64 hist[KIPC_SEM_HIST_N];
};

/**
 * struct kipc_sem_core - value and waiters, under one lock
 * @lock:	protects every other field
 * @value:	units available, 0..KIPC_SEM_VALUE_MAX
 * @dead:	how many of @value came from released undo handles and are
 *		not yet taken; the next takers are told (EOWNERDEAD)
 * @nr_waiters:	entries of @waiters
 * @waiters:	blocked waits in service order (struct kipc_sem_waiter)
 * @st:		counters
 */
struct kipc_sem_core {
	spinlock_t lock;	/* value, waiters, counters */
	u32 value;
	u32 dead;
	u32 nr_waiters;
	struct list_head waiters;
	struct kipc_sem_stats st;
};

/**
 * struct kipc_sem - a named semaphore (the registry's container)
 * @obj:	registry part, first
 * @core:	value, waiters, counters
 * @poll_wq:	pollers waiting for value > 0
 */
struct kipc_sem {
	struct kipc_obj obj;
	struct kipc_sem_core core;
	wait_queue_head_t poll_wq;
};

/**
 * struct kipc_sem_handle - per bound file (kf->priv)
 * @undo:	units taken through this handle and not posted back;
 *		core->lock; counted only when @has_undo
 * @has_undo:	opened with KIPC_O_UNDO, fixed
 */
struct kipc_sem_handle {
	u32 undo;
	bool has_undo;
};

/* sem_core.c: pure logic; callers hold core->lock unless said otherwise */
void kipc_sem_core_init(struct kipc_sem_core *c, u32 value);
int kipc_sem_waiter_prio(struct task_struct *task);
void kipc_sem_core_enqueue(struct kipc_sem_core *c, struct kipc_sem_waiter *w);
void kipc_sem_core_dequeue(struct kipc_sem_core *c, struct kipc_sem_waiter *w);
int kipc_sem_core_trytake(struct kipc_sem_core *c, u32 *undo);
int kipc_sem_core_post(struct kipc_sem_core *c, u32 *undo,
		       struct kipc_sem_wake *wake);
u32 kipc_sem_core_return(struct kipc_sem_core *c, u32 *undo,
			 struct kipc_sem_wake *wake);
void kipc_sem_wake_up(struct kipc_sem_wake *wake);	/* lock dropped */

/* per-CPU module totals, /sys/kernel/kipc/stats/sem_* */
enum kipc_sem_total {
	KIPC_SEM_T_POSTS,
	KIPC_SEM_T_WAITS,
	KIPC_SEM_T_TRYWAIT_FAILS,
	KIPC_SEM_T_TIMEOUTS,
	KIPC_SEM_T_INTERRUPTS,
	KIPC_SEM_T_RETURNED,
	KIPC_SEM_T_OWNER_DEAD,
	KIPC_SEM_T_NR,
};

void kipc_sem_total_add(enum kipc_sem_total t, u64 n);
u64 kipc_sem_total_read(enum kipc_sem_total t);

/* sem.c */
extern struct kipc_type kipc_sem_type;

/* sem_sysfs.c */
extern struct kipc_limit kipc_limit_sem_max;
extern struct kipc_limit kipc_limit_sem_per_user_max;
extern const struct attribute_group *kipc_sem_obj_groups[];
int kipc_sem_sysfs_init(void);
void kipc_sem_sysfs_exit(void);

#endif /* _KIPC_SEM_H */
