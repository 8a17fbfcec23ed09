// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel worker pools: kernel threads that take messages from one kipc
 * queue, work on them (echo, checksum, sink) and answer on another, through
 * the in-kernel queue API of mq.h, so processes talk to kernel threads
 * exactly as they talk to each other.
 *
 * A thread's life: receive (sleeps while the input is empty), work, send
 * (sleeps while the output is full: back-pressure), again.  It never exits
 * before kthread_stop(), so the pool may stop it at any time without extra
 * task references.
 *
 * Nothing is lost or duplicated when the pool shrinks: a thread is asked to
 * retire with a flag and a signal (SIGUSR1, which only the kernel can send
 * it).  The signal ends a wait for input without taking a message, or ends
 * a wait to send; a retiring thread that holds a message then sends it
 * again (blocking as long as the output is full) and only leaves once it
 * has been answered.  The writer of "threads" does not wait for that.
 *
 * Stopping the pool (ioctl or rmmod) uses kthread_stop(): the queue API
 * returns -EINTR at once, even on an empty input or a full output.  A
 * message in hand that cannot be answered then is counted in "dropped".
 */
#include <linux/capability.h>
#include <linux/crc32.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "mq.h"
#include "worker.h"

#define KIPC_WORKER_RETIRE_SIG	SIGUSR1

/* serialises start and stop; protects kipc_pools and the next id */
DEFINE_MUTEX(kipc_workers_lock);
LIST_HEAD(kipc_pools);			/* kipc_workers_lock */
static u64 kipc_worker_next_id = 1;	/* kipc_workers_lock */
atomic_t kipc_worker_nr_pools = ATOMIC_INIT(0);
atomic_t kipc_worker_nr_threads = ATOMIC_INIT(0);
atomic64_t kipc_worker_total_processed = ATOMIC64_INIT(0);

KIPC_LIMIT(worker_pools_max, 16, 1, 1024);
KIPC_LIMIT(worker_threads_max, 16, 1, 256);

static const char * const kipc_worker_ops[] = {
	[KIPC_WORKER_ECHO]	= "echo",
	[KIPC_WORKER_CHECKSUM]	= "checksum",
	[KIPC_WORKER_SINK]	= "sink",
};

const char *kipc_worker_op_name(u32 op)
{
	return op < ARRAY_SIZE(kipc_worker_ops) && kipc_worker_ops[op] ?
	       kipc_worker_ops[op] : "?";
}

/*
 * Answer @len bytes at @prio until sent.  -EINTR from the retire signal
 * only makes us try again; from kthread_stop() it gives up (dropped).
 * -ENOMEM leaves the message with us too (and kipc_mq_ksend() can report
 * it transiently when a priority node is short): retry after a tick
 * rather than lose it.
 */
static long kipc_worker_answer(struct kipc_pool *p, const void *buf,
			       size_t len, unsigned int prio)
{
	long err;

	for (;;) {
		err = kipc_mq_ksend(p->out, buf, len, prio);
		if (err == -ENOMEM) {
			/* the message is still ours: wait a little, retry */
			schedule_timeout_interruptible(1);
		} else if (err != -EINTR) {
			return err;
		}
		flush_signals(current);
		if (kthread_should_stop()) {
			atomic64_inc(&p->dropped);
			return -EINTR;
		}
	}
}

static void kipc_worker_one(struct kipc_wthread *w, size_t len,
			    unsigned int prio)
{
	struct kipc_pool *p = w->pool;
	__le32 crc;
	long err = 0;

	switch (p->op) {
	case KIPC_WORKER_ECHO:
		WRITE_ONCE(w->phase, KIPC_WPHASE_SEND);
		err = kipc_worker_answer(p, w->buf, len, prio);
		break;
	case KIPC_WORKER_CHECKSUM:
		/* standard CRC32C (Castagnoli): ~0 in, ~0 out, little end */
		crc = cpu_to_le32(~crc32c(~0U, w->buf, len));
		WRITE_ONCE(w->phase, KIPC_WPHASE_SEND);
		err = kipc_worker_answer(p, &crc, sizeof(crc), prio);
		break;
	default:	/* sink: consumed is done */
		break;
	}
	if (err) {
		atomic64_inc(&p->errors);
	} else {
		atomic64_inc(&p->processed);
		atomic64_inc(&kipc_worker_total_processed);
	}
}

static int kipc_worker_thread(void *arg)
{
	struct kipc_wthread *w = arg;
	struct kipc_pool *p = w->pool;
	unsigned int prio;
	long n;

	/* before the first look at @retire: see kipc_pool_shrink() */
	allow_kernel_signal(KIPC_WORKER_RETIRE_SIG);
	while (!kthread_should_stop() && !READ_ONCE(w->retire)) {
		WRITE_ONCE(w->phase, KIPC_WPHASE_RECV);
		n = kipc_mq_kreceive(p->in, w->buf, p->buf_size, &prio);
		if (n == -EINTR) {
			/* nothing taken: stop, retire or a stray wake-up */
			flush_signals(current);
			continue;
		}
		if (n < 0) {
			/* e.g. -ENOMEM: count it, do not spin on it */
			atomic64_inc(&p->errors);
			schedule_timeout_interruptible(HZ / 10);
			continue;
		}
		WRITE_ONCE(w->phase, KIPC_WPHASE_WORK);
		kipc_worker_one(w, n, prio);
		cond_resched();
	}
	WRITE_ONCE(w->phase, KIPC_WPHASE_DONE);
	for (;;) {
		set_current_state(TASK_IDLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* Stop and free @w; the pool lock is held or the pool is private. */
static void kipc_wthread_free(struct kipc_pool *p, struct kipc_wthread *w)
{
	kthread_stop(w->task);
	list_del(&w->node);
	p->nr_threads--;
	atomic_dec(&kipc_worker_nr_threads);
	kvfree(w->buf);
	kfree(w);
}

/* Free the threads that have retired.  Pool lock held. */
static void kipc_pool_reap(struct kipc_pool *p)
{
	struct kipc_wthread *w, *tmp;

	list_for_each_entry_safe(w, tmp, &p->threads, node)
		if (READ_ONCE(w->phase) == KIPC_WPHASE_DONE)
			kipc_wthread_free(p, w);
}

static int kipc_pool_grow(struct kipc_pool *p, unsigned int n)
{
	struct kipc_wthread *w;
	struct task_struct *t;

	lockdep_assert_held(&p->lock);
	while (n--) {
		w = kzalloc(sizeof(*w), GFP_KERNEL_ACCOUNT);
		if (!w)
			return -ENOMEM;
		w->buf = kvmalloc(p->buf_size, GFP_KERNEL_ACCOUNT);
		if (!w->buf) {
			kfree(w);
			return -ENOMEM;
		}
		w->pool = p;
		t = kthread_create(kipc_worker_thread, w, "kipc_wk%llu/%u",
				   p->id, p->next_idx);
		if (IS_ERR(t)) {
			kvfree(w->buf);
			kfree(w);
			return PTR_ERR(t);
		}
		p->next_idx++;
		w->task = t;
		set_user_nice(t, p->nice);
		set_cpus_allowed_ptr(t, p->cpus);
		list_add_tail(&w->node, &p->threads);
		p->nr_threads++;
		p->nr_active++;
		atomic_inc(&kipc_worker_nr_threads);
		wake_up_process(t);
	}
	return 0;
}

/*
 * Ask @n active threads to retire.  The flag is set before the signal;
 * a thread that has not yet allowed the signal drops it but then sees the
 * flag (allow_kernel_signal() and send_sig() both take its siglock).
 */
static void kipc_pool_shrink(struct kipc_pool *p, unsigned int n)
{
	struct kipc_wthread *w;

	lockdep_assert_held(&p->lock);
	list_for_each_entry_reverse(w, &p->threads, node) {
		if (!n)
			break;
		if (w->retire)
			continue;
		WRITE_ONCE(w->retire, true);
		send_sig(KIPC_WORKER_RETIRE_SIG, w->task, 1);
		p->nr_active--;
		n--;
	}
}

/*
 * Resize to @n active threads (1..worker_threads_max).  Threads still
 * finishing a message after retiring count against twice that bound
 * (EAGAIN): a full output queue cannot make a pool pile up threads.
 */
int kipc_pool_resize(struct kipc_pool *p, unsigned int n)
{
	unsigned int max = kipc_limit_get(&kipc_limit_worker_threads_max);
	int err = 0;

	if (!n || n > max)
		return -EINVAL;
	mutex_lock(&p->lock);
	kipc_pool_reap(p);
	if (n > p->nr_active) {
		if (p->nr_threads + (n - p->nr_active) > 2 * max)
			err = -EAGAIN;
		else
			err = kipc_pool_grow(p, n - p->nr_active);
	} else {
		kipc_pool_shrink(p, p->nr_active - n);
	}
	mutex_unlock(&p->lock);
	return err;
}

int kipc_pool_set_nice(struct kipc_pool *p, int nice)
{
	struct kipc_wthread *w;

	mutex_lock(&p->lock);
	p->nice = nice;
	list_for_each_entry(w, &p->threads, node)
		set_user_nice(w->task, nice);
	mutex_unlock(&p->lock);
	return 0;
}

int kipc_pool_set_cpus(struct kipc_pool *p, const struct cpumask *mask)
{
	struct kipc_wthread *w;
	int err = 0;

	mutex_lock(&p->lock);
	list_for_each_entry(w, &p->threads, node) {
		err = set_cpus_allowed_ptr(w->task, mask);
		if (err)
			break;
	}
	if (!err) {
		cpumask_copy(p->cpus, mask);
	} else {
		/* put back the threads already moved */
		list_for_each_entry(w, &p->threads, node)
			set_cpus_allowed_ptr(w->task, p->cpus);
	}
	mutex_unlock(&p->lock);
	return err;
}

/* Stop every thread and free the pool; it is off kipc_pools already. */
static void kipc_pool_destroy(struct kipc_pool *p)
{
	struct kipc_wthread *w, *tmp;

	/* waits for sysfs readers and writers (a resize in progress) */
	kobject_del(p->kobj);
	mutex_lock(&p->lock);
	list_for_each_entry_safe(w, tmp, &p->threads, node)
		kipc_wthread_free(p, w);
	mutex_unlock(&p->lock);
	kobject_put(p->kobj);
	kipc_obj_put(p->in);
	if (p->out)
		kipc_obj_put(p->out);
	free_cpumask_var(p->cpus);
	mutex_destroy(&p->lock);
	kfree(p);
	atomic_dec(&kipc_worker_nr_pools);
}

/* ---- ioctls ---------------------------------------------------------- */

static int kipc_worker_queue(u64 uname, u32 len, struct kipc_obj **q)
{
	char name[KIPC_NAME_MAX + 1];
	int err;

	if (!len)
		return -EINVAL;
	if (len > KIPC_NAME_MAX)
		return -ENAMETOOLONG;
	if (copy_from_user(name, u64_to_user_ptr(uname), len))
		return -EFAULT;
	name[len] = '\0';
	err = kipc_name_check(name, len);
	if (err)
		return err;
	*q = kipc_mq_get(name);
	return *q ? 0 : -ENOENT;
}

static struct kipc_pool *kipc_pool_alloc(struct kipc_worker_start *a)
{
	struct kipc_pool *p;
	int err;

	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return ERR_PTR(-ENOMEM);
	if (!zalloc_cpumask_var(&p->cpus, GFP_KERNEL_ACCOUNT)) {
		kfree(p);
		return ERR_PTR(-ENOMEM);
	}
	cpumask_copy(p->cpus, cpu_possible_mask);
	mutex_init(&p->lock);
	INIT_LIST_HEAD(&p->threads);
	p->op = a->op;
	err = kipc_worker_queue(a->input, a->input_len, &p->in);
	if (err)
		goto err_free;
	if (a->op != KIPC_WORKER_SINK) {
		err = kipc_worker_queue(a->output, a->output_len, &p->out);
		if (err)
			goto err_in;
	}
	p->buf_size = kipc_mq_msgsize(p->in);
	/* every answer must fit the output queue */
	err = -EMSGSIZE;
	if (a->op == KIPC_WORKER_ECHO && kipc_mq_msgsize(p->out) < p->buf_size)
		goto err_out;
	if (a->op == KIPC_WORKER_CHECKSUM &&
	    kipc_mq_msgsize(p->out) < sizeof(__le32))
		goto err_out;
	return p;

err_out:
	if (p->out)
		kipc_obj_put(p->out);
err_in:
	kipc_obj_put(p->in);
err_free:
	free_cpumask_var(p->cpus);
	kfree(p);
	return ERR_PTR(err);
}

static long kipc_worker_start(void __user *uarg)
{
	struct kipc_worker_start a;
	struct kipc_pool *p;
	char id[24];
	int err;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.op < KIPC_WORKER_ECHO || a.op > KIPC_WORKER_SINK || a.__pad ||
	    a.id || !a.threads ||
	    a.threads > kipc_limit_get(&kipc_limit_worker_threads_max))
		return -EINVAL;
	if (a.op == KIPC_WORKER_SINK && (a.output || a.output_len))
		return -EINVAL;
	p = kipc_pool_alloc(&a);
	if (IS_ERR(p))
		return PTR_ERR(p);

	mutex_lock(&kipc_workers_lock);
	if (atomic_read(&kipc_worker_nr_pools) >=
	    kipc_limit_get(&kipc_limit_worker_pools_max)) {
		err = -ENOSPC;
		goto err_unlock;
	}
	p->id = kipc_worker_next_id++;
	snprintf(id, sizeof(id), "%llu", p->id);
	err = -ENOMEM;
	p->kobj = kobject_create_and_add(id, kipc_worker_dir());
	if (!p->kobj)
		goto err_unlock;
	/* before any thread runs: a failure then has taken no message */
	a.id = p->id;
	if (copy_to_user(uarg, &a, sizeof(a))) {
		err = -EFAULT;
		goto err_pool;
	}
	err = sysfs_create_groups(p->kobj, kipc_pool_groups);
	if (err)
		goto err_pool;
	mutex_lock(&p->lock);
	err = kipc_pool_grow(p, a.threads);
	mutex_unlock(&p->lock);
	if (err)
		goto err_pool;
	atomic_inc(&kipc_worker_nr_pools);
	list_add_tail(&p->node, &kipc_pools);
	mutex_unlock(&kipc_workers_lock);
	return 0;

err_pool:
	mutex_unlock(&kipc_workers_lock);
	/* as a live pool, minus the count it never had */
	atomic_inc(&kipc_worker_nr_pools);
	kipc_pool_destroy(p);
	return err;
err_unlock:
	mutex_unlock(&kipc_workers_lock);
	if (p->out)
		kipc_obj_put(p->out);
	kipc_obj_put(p->in);
	free_cpumask_var(p->cpus);
	kfree(p);
	return err;
}

static long kipc_worker_stop(void __user *uarg)
{
	struct kipc_worker_stop a;
	struct kipc_pool *p, *found = NULL;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	mutex_lock(&kipc_workers_lock);
	list_for_each_entry(p, &kipc_pools, node) {
		if (p->id == a.id) {
			found = p;
			list_del(&p->node);
			break;
		}
	}
	mutex_unlock(&kipc_workers_lock);
	if (!found)
		return -ENOENT;
	kipc_pool_destroy(found);
	return 0;
}

long kipc_worker_ioctl(unsigned int cmd, void __user *uarg)
{
	if (cmd != KIPC_WORKER_IOC_START && cmd != KIPC_WORKER_IOC_STOP)
		return -ENOTTY;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return cmd == KIPC_WORKER_IOC_START ? kipc_worker_start(uarg) :
					      kipc_worker_stop(uarg);
}

int kipc_worker_init(void)
{
	return kipc_worker_sysfs_init();
}

/* Runs before the queue type goes: every pool ends here. */
void kipc_worker_exit(void)
{
	struct kipc_pool *p, *tmp;
	LIST_HEAD(all);

	mutex_lock(&kipc_workers_lock);
	list_splice_init(&kipc_pools, &all);
	mutex_unlock(&kipc_workers_lock);
	list_for_each_entry_safe(p, tmp, &all, node) {
		list_del(&p->node);
		kipc_pool_destroy(p);
	}
	kipc_worker_sysfs_exit();
}
