/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel worker pools: what worker.c (the pools and their threads) and
 * worker_sysfs.c (/sys/kernel/kipc/workers/) share.
 */
#ifndef _KIPC_WORKER_H
#define _KIPC_WORKER_H

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include "kipc.h"

/* What a worker thread is doing; written by the thread, read by sysfs. */
enum kipc_wphase {
	KIPC_WPHASE_START,	/* created, not yet serving */
	KIPC_WPHASE_RECV,	/* waiting for (or taking) a message */
	KIPC_WPHASE_WORK,	/* working on the message in hand */
	KIPC_WPHASE_SEND,	/* answering (blocks while output is full) */
	KIPC_WPHASE_DONE,	/* finished; waits for kthread_stop() */
};

/**
 * struct kipc_wthread - one kernel thread of a pool
 * @node:	in @pool->threads (pool lock)
 * @task:	the thread; it never exits before kthread_stop()
 * @pool:	its pool, fixed
 * @retire:	asked to leave after the message in hand (set under the pool
 *		lock, read by the thread with READ_ONCE)
 * @phase:	enum kipc_wphase (WRITE_ONCE by the thread, READ_ONCE else)
 * @buf:	the thread's message buffer, @pool->buf_size bytes
 */
struct kipc_wthread {
	struct list_head node;
	struct task_struct *task;
	struct kipc_pool *pool;
	bool retire;
	int phase;
	void *buf;
};

/**
 * struct kipc_pool - a pool of worker threads serving one queue
 * @node:	in kipc_pools (kipc_workers_lock)
 * @id:		unique for the module's lifetime, the sysfs directory name
 * @kobj:	/sys/kernel/kipc/workers/<id>/
 * @lock:	protects @threads, @nr_active, @nr_threads, @next_idx,
 *		@nice, @cpus
 * @threads:	every thread: active, retiring or done
 * @nr_active:	threads neither retiring nor done: the "threads" file
 * @nr_threads:	every thread in @threads
 * @next_idx:	number for the next thread's name
 * @nice:	nice of every thread
 * @cpus:	CPUs every thread may run on
 * @op:		KIPC_WORKER_*, fixed
 * @in:		input queue (a reference), fixed
 * @out:	output queue (a reference), fixed; NULL for sink
 * @buf_size:	the input queue's msgsize, fixed
 * @processed:	messages completely handled (answered or, sink, consumed)
 * @errors:	messages that could not be handled (error from the queue)
 * @dropped:	messages in hand when the pool was stopped with the output
 *		queue full (also counted in @errors)
 */
struct kipc_pool {
	struct list_head node;
	u64 id;
	struct kobject *kobj;
	struct mutex lock;	/* threads, counts, nice, cpus */
	struct list_head threads;
	unsigned int nr_active;
	unsigned int nr_threads;
	unsigned int next_idx;
	int nice;
	cpumask_var_t cpus;
	u32 op;
	struct kipc_obj *in;
	struct kipc_obj *out;
	size_t buf_size;
	atomic64_t processed;
	atomic64_t errors;
	atomic64_t dropped;
};

/* worker.c */
extern struct mutex kipc_workers_lock;
extern struct list_head kipc_pools;
extern struct kipc_limit kipc_limit_worker_pools_max;
extern struct kipc_limit kipc_limit_worker_threads_max;
extern atomic_t kipc_worker_nr_pools;
extern atomic_t kipc_worker_nr_threads;
extern atomic64_t kipc_worker_total_processed;
int kipc_pool_resize(struct kipc_pool *p, unsigned int n);
int kipc_pool_set_nice(struct kipc_pool *p, int nice);
int kipc_pool_set_cpus(struct kipc_pool *p, const struct cpumask *mask);
const char *kipc_worker_op_name(u32 op);

/* worker_sysfs.c */
extern const struct attribute_group *kipc_pool_groups[];
int kipc_worker_sysfs_init(void);
void kipc_worker_sysfs_exit(void);
struct kobject *kipc_worker_dir(void);

#endif /* _KIPC_WORKER_H */
