// SPDX-License-Identifier: GPL-2.0
/*
 * The race lab: /sys/kernel/kipc/race/.  Kernel threads, spread over the
 * online CPUs, increment one shared counter @iterations times each, with the
 * chosen way of synchronising, so a user can watch updates get lost without
 * synchronisation and see what each primitive costs.
 *
 * A run: writing 1 to run creates the threads (each bound to one online
 * CPU, round robin), then wakes them together.  Each thread counts, then
 * says it is finished and sleeps until it is stopped: threads never exit on
 * their own, so kthread_stop() is always safe on them without holding extra
 * task references.  The last thread to finish queues race_reap_work, which
 * stops them all and publishes the results.  Cancelling (writing 0) and
 * rmmod raise race_cancel and stop the threads directly; every thread checks
 * for that every RACE_CHUNK increments, where it also yields the CPU (never
 * while holding a lock), so even a billion spinlock increments cause no
 * soft lockup and end promptly.
 */
#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/semaphore.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include "kipc.h"

#define RACE_THREADS_MAX	64	/* documented bound of the threads knob */
#define RACE_ITERATIONS_MAX	U32_MAX	/* per thread */
#define RACE_CHUNK		1024	/* increments between yields */

enum race_sync {
	RACE_NONE,
	RACE_ATOMIC,
	RACE_CMPXCHG,
	RACE_SPINLOCK,
	RACE_MUTEX,
	RACE_SEMAPHORE,
	RACE_PERCPU,
	RACE_NR_SYNC,
};

static const char * const race_sync_names[RACE_NR_SYNC] = {
	[RACE_NONE]	 = "none",
	[RACE_ATOMIC]	 = "atomic",
	[RACE_CMPXCHG]	 = "cmpxchg",
	[RACE_SPINLOCK]	 = "spinlock",
	[RACE_MUTEX]	 = "mutex",
	[RACE_SEMAPHORE] = "semaphore",
	[RACE_PERCPU]	 = "percpu",
};

enum race_state { RACE_IDLE, RACE_RUNNING, RACE_DONE, RACE_CANCELLED };

static const char * const race_state_names[] = {
	[RACE_IDLE]	 = "idle",
	[RACE_RUNNING]	 = "running",
	[RACE_DONE]	 = "done",
	[RACE_CANCELLED] = "cancelled",
};

/* Knobs, state, the thread array and the results: all under race_lock. */
static DEFINE_MUTEX(race_lock);
static u32 race_threads = 2;			/* race_lock */
static u64 race_iterations = 1000000;		/* race_lock */
static enum race_sync race_sync = RACE_NONE;	/* race_lock */
static enum race_state race_state = RACE_IDLE;	/* race_lock */
static struct task_struct **race_tasks;		/* race_lock */
static u64 *race_done_ops;	/* per thread; written by it, read after stop */
static u32 race_nr_tasks;			/* race_lock */
static enum race_sync race_run_sync;		/* race_lock; fixed per run */
static u64 race_run_iterations;			/* race_lock; fixed per run */
static u64 race_start_ns;			/* race_lock */

/* Results of the last run, written under race_lock, read locklessly. */
static u64 race_expected, race_observed, race_elapsed_ns;

/* Run-time state shared with the threads. */
static bool race_cancel;		/* set under race_lock; READ_ONCE */
static atomic_t race_active;		/* threads still counting */
static atomic64_t race_end_ns;		/* when the last one finished */
static DECLARE_COMPLETION(race_go);	/* released once all exist */

/* The shared counter and what protects it, per mode. */
static u64 race_counter;	/* none: unprotected; else the mode's lock */
static atomic64_t race_atomic;	/* atomic, cmpxchg */
static u64 __percpu *race_percpu;	/* percpu: each CPU its own */
static DEFINE_SPINLOCK(race_spin);	/* spinlock: race_counter */
static DEFINE_MUTEX(race_mutex);	/* mutex: race_counter */
static struct semaphore race_sem;	/* semaphore: race_counter */

static struct kobject *race_kobj;

static void race_reap(struct work_struct *work);
static DECLARE_WORK(race_reap_work, race_reap);

static __always_inline void race_inc(enum race_sync sync)
{
	u64 v;

	switch (sync) {
	case RACE_NONE:
		/*
		 * The point of the lab: a plain load, add, store with no
		 * synchronisation at all, so concurrent increments overwrite
		 * each other.  Marked as an intended data race (KCSAN stays
		 * quiet); READ_ONCE/WRITE_ONCE keep the compiler from
		 * merging the increments of the loop into one.
		 */
		v = data_race(READ_ONCE(race_counter));
		WRITE_ONCE(race_counter, v + 1);
		break;
	case RACE_ATOMIC:
		atomic64_inc(&race_atomic);
		break;
	case RACE_CMPXCHG:
		v = atomic64_read(&race_atomic);
		while (!atomic64_try_cmpxchg(&race_atomic, &v, v + 1))
			;
		break;
	case RACE_SPINLOCK:
		spin_lock(&race_spin);
		race_counter++;
		spin_unlock(&race_spin);
		break;
	case RACE_MUTEX:
		mutex_lock(&race_mutex);
		race_counter++;
		mutex_unlock(&race_mutex);
		break;
	case RACE_SEMAPHORE:
		down(&race_sem);
		race_counter++;
		up(&race_sem);
		break;
	case RACE_PERCPU:
		this_cpu_inc(*race_percpu);
		break;
	default:
		break;
	}
}

static int race_thread(void *arg)
{
	unsigned long idx = (unsigned long)arg;
	enum race_sync sync = race_run_sync;
	u64 n = race_run_iterations, i = 0;

	wait_for_completion(&race_go);
	while (i < n) {
		u64 end = min(n, i + RACE_CHUNK);

		for (; i < end; i++)
			race_inc(sync);
		if (READ_ONCE(race_cancel) || kthread_should_stop())
			break;
		cond_resched();
	}
	race_done_ops[idx] = i;
	if (atomic_dec_and_test(&race_active)) {
		atomic64_set(&race_end_ns, ktime_get_ns());
		queue_work(system_dfl_wq, &race_reap_work);
	}
	/* Never exit before kthread_stop(): see the comment at the top. */
	for (;;) {
		set_current_state(TASK_IDLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static u64 race_counter_value(enum race_sync sync)
{
	u64 sum = 0;
	int cpu;

	switch (sync) {
	case RACE_ATOMIC:
	case RACE_CMPXCHG:
		return atomic64_read(&race_atomic);
	case RACE_PERCPU:
		for_each_possible_cpu(cpu)
			sum += *per_cpu_ptr(race_percpu, cpu);
		return sum;
	default:
		return READ_ONCE(race_counter);
	}
}

/* Stop every thread of the run and publish its results.  race_lock held. */
static void race_finish(enum race_state state)
{
	u64 end, expected = 0;
	u32 i;

	lockdep_assert_held(&race_lock);
	if (state == RACE_CANCELLED)
		WRITE_ONCE(race_cancel, true);
	/* Threads still waiting for the start must be let go to end. */
	complete_all(&race_go);
	for (i = 0; i < race_nr_tasks; i++)
		kthread_stop(race_tasks[i]);
	end = atomic64_read(&race_end_ns);
	if (state == RACE_CANCELLED || !end)
		end = ktime_get_ns();
	for (i = 0; i < race_nr_tasks; i++)
		expected += race_done_ops[i];
	WRITE_ONCE(race_expected, expected);
	WRITE_ONCE(race_observed, race_counter_value(race_run_sync));
	WRITE_ONCE(race_elapsed_ns, end - race_start_ns);
	kfree(race_tasks);
	kfree(race_done_ops);
	race_tasks = NULL;
	race_done_ops = NULL;
	race_nr_tasks = 0;
	race_state = state;
}

/* The last thread to finish asks for this; a cancel may have come first. */
static void race_reap(struct work_struct *work)
{
	mutex_lock(&race_lock);
	if (race_state == RACE_RUNNING && !atomic_read(&race_active))
		race_finish(READ_ONCE(race_cancel) ? RACE_CANCELLED : RACE_DONE);
	mutex_unlock(&race_lock);
}

static int race_start(void)
{
	u32 i, n = race_threads;
	int cpu = -1, cpu_i, err;

	lockdep_assert_held(&race_lock);
	race_tasks = kcalloc(n, sizeof(*race_tasks), GFP_KERNEL);
	race_done_ops = kcalloc(n, sizeof(*race_done_ops), GFP_KERNEL);
	if (!race_tasks || !race_done_ops) {
		err = -ENOMEM;
		goto err_free;
	}
	/*
	 * A reaper queued by the previous run may still be waiting for
	 * race_lock: it does nothing until race_active of this run is 0.
	 */
	reinit_completion(&race_go);
	WRITE_ONCE(race_cancel, false);
	race_run_sync = race_sync;
	race_run_iterations = race_iterations;
	race_counter = 0;
	atomic64_set(&race_atomic, 0);
	for_each_possible_cpu(cpu_i) {
		u64 *p = per_cpu_ptr(race_percpu, cpu_i);

		*p = 0;
	}
	atomic64_set(&race_end_ns, 0);
	atomic_set(&race_active, n);
	WRITE_ONCE(race_expected, 0);
	WRITE_ONCE(race_observed, 0);
	WRITE_ONCE(race_elapsed_ns, 0);

	cpus_read_lock();
	for (i = 0; i < n; i++) {
		struct task_struct *t;

		cpu = cpumask_next(cpu, cpu_online_mask);
		if (cpu >= (int)nr_cpu_ids)
			cpu = cpumask_first(cpu_online_mask);
		t = kthread_create(race_thread, (void *)(unsigned long)i,
				   "kipc_race/%u", i);
		if (IS_ERR(t)) {
			err = PTR_ERR(t);
			cpus_read_unlock();
			goto err_stop;
		}
		kthread_bind(t, cpu);
		race_tasks[i] = t;
		race_nr_tasks = i + 1;
		wake_up_process(t);
	}
	cpus_read_unlock();
	race_state = RACE_RUNNING;
	race_start_ns = ktime_get_ns();
	complete_all(&race_go);
	return 0;

err_stop:
	/* the threads made so far count nothing: they see race_cancel */
	WRITE_ONCE(race_cancel, true);
	complete_all(&race_go);
	for (i = 0; i < race_nr_tasks; i++)
		kthread_stop(race_tasks[i]);
	race_nr_tasks = 0;
err_free:
	kfree(race_tasks);
	kfree(race_done_ops);
	race_tasks = NULL;
	race_done_ops = NULL;
	return err;
}

/* ---- sysfs ---------------------------------------------------------- */

static ssize_t threads_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(race_threads));
}

static ssize_t threads_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	u64 v;
	int err;

	err = kipc_parse_u64(buf, count, 1, RACE_THREADS_MAX, &v);
	if (err)
		return err;
	mutex_lock(&race_lock);
	if (race_state == RACE_RUNNING)
		err = -EBUSY;
	else
		WRITE_ONCE(race_threads, v);
	mutex_unlock(&race_lock);
	return err ?: count;
}

static ssize_t iterations_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", READ_ONCE(race_iterations));
}

static ssize_t iterations_store(struct kobject *kobj,
				struct kobj_attribute *attr, const char *buf,
				size_t count)
{
	u64 v;
	int err;

	err = kipc_parse_u64(buf, count, 1, RACE_ITERATIONS_MAX, &v);
	if (err)
		return err;
	mutex_lock(&race_lock);
	if (race_state == RACE_RUNNING)
		err = -EBUSY;
	else
		WRITE_ONCE(race_iterations, v);
	mutex_unlock(&race_lock);
	return err ?: count;
}

static ssize_t sync_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", race_sync_names[READ_ONCE(race_sync)]);
}

/* Exactly one mode name, optionally followed by one newline. */
static int race_parse_sync(const char *buf, size_t count)
{
	int i;

	if (count && buf[count - 1] == '\n')
		count--;
	for (i = 0; i < RACE_NR_SYNC; i++)
		if (count == strlen(race_sync_names[i]) &&
		    !memcmp(buf, race_sync_names[i], count))
			return i;
	return -EINVAL;
}

static ssize_t sync_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	int mode = race_parse_sync(buf, count);
	int err = 0;

	if (mode < 0)
		return mode;
	mutex_lock(&race_lock);
	if (race_state == RACE_RUNNING)
		err = -EBUSY;
	else
		WRITE_ONCE(race_sync, mode);
	mutex_unlock(&race_lock);
	return err ?: count;
}

static ssize_t sync_modes_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	ssize_t len = 0;
	int i;

	for (i = 0; i < RACE_NR_SYNC; i++)
		len += sysfs_emit_at(buf, len, "%s%s", i ? " " : "",
				     race_sync_names[i]);
	return len + sysfs_emit_at(buf, len, "\n");
}

static ssize_t run_show(struct kobject *kobj, struct kobj_attribute *attr,
			char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  race_state_names[READ_ONCE(race_state)]);
}

static ssize_t run_store(struct kobject *kobj, struct kobj_attribute *attr,
			 const char *buf, size_t count)
{
	u64 v;
	int err;

	err = kipc_parse_u64(buf, count, 0, 1, &v);
	if (err)
		return err;
	mutex_lock(&race_lock);
	if (v) {
		if (race_state == RACE_RUNNING)
			err = -EBUSY;
		else
			err = race_start();
	} else if (race_state == RACE_RUNNING) {
		race_finish(RACE_CANCELLED);
	}
	mutex_unlock(&race_lock);
	return err ?: count;
}

#define RACE_RESULT(_name, _expr)					\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%llu\n", (u64)(_expr));			\
}									\
static struct kobj_attribute race_##_name##_attr = __ATTR_RO(_name)

/*
 * The results are written together under race_lock; reading them under it
 * too makes lost = expected - observed consistent within one file.
 */
static u64 race_result(int what)
{
	u64 e, o, t, v;

	mutex_lock(&race_lock);
	e = race_expected;
	o = race_observed;
	t = race_elapsed_ns;
	mutex_unlock(&race_lock);
	switch (what) {
	case 0:
		v = e;
		break;
	case 1:
		v = o;
		break;
	case 2:
		v = e > o ? e - o : 0;
		break;
	case 3:
		v = t;
		break;
	default:
		v = e ? div64_u64(t, e) : 0;
		break;
	}
	return v;
}

RACE_RESULT(expected, race_result(0));
RACE_RESULT(observed, race_result(1));
RACE_RESULT(lost, race_result(2));
RACE_RESULT(elapsed_ns, race_result(3));
RACE_RESULT(ns_per_op, race_result(4));
RACE_RESULT(threads_max, RACE_THREADS_MAX);

static struct kobj_attribute race_threads_attr = __ATTR_RW(threads);
static struct kobj_attribute race_iterations_attr = __ATTR_RW(iterations);
static struct kobj_attribute race_sync_attr = __ATTR_RW(sync);
static struct kobj_attribute race_sync_modes_attr = __ATTR_RO(sync_modes);
static struct kobj_attribute race_run_attr = __ATTR_RW(run);

static struct attribute *race_attrs[] = {
	&race_threads_attr.attr,
	&race_iterations_attr.attr,
	&race_sync_attr.attr,
	&race_sync_modes_attr.attr,
	&race_run_attr.attr,
	&race_expected_attr.attr,
	&race_observed_attr.attr,
	&race_lost_attr.attr,
	&race_elapsed_ns_attr.attr,
	&race_ns_per_op_attr.attr,
	&race_threads_max_attr.attr,
	NULL,
};

static const struct attribute_group race_group = {
	.attrs = race_attrs,
};

int kipc_race_init(void)
{
	int err;

	/* default: one thread per online CPU, so "none" really races */
	race_threads = clamp_t(u32, num_online_cpus(), 2, RACE_THREADS_MAX);
	/* binary, like a mutex, but a sleeping lock anyone may release */
	sema_init(&race_sem, 1);
	race_percpu = alloc_percpu(u64);
	if (!race_percpu)
		return -ENOMEM;
	race_kobj = kobject_create_and_add("race", kipc_kobj);
	if (!race_kobj) {
		err = -ENOMEM;
		goto err_percpu;
	}
	err = sysfs_create_group(race_kobj, &race_group);
	if (err)
		goto err_kobj;
	return 0;

err_kobj:
	kipc_kobj_remove(race_kobj);
err_percpu:
	free_percpu(race_percpu);
	return err;
}

void kipc_race_exit(void)
{
	/* no new runs: removing the files waits for writers in progress */
	kobject_del(race_kobj);
	kipc_kobj_remove(race_kobj);
	mutex_lock(&race_lock);
	if (race_state == RACE_RUNNING)
		race_finish(RACE_CANCELLED);
	mutex_unlock(&race_lock);
	/* the threads are gone, so nothing queues the reaper again */
	cancel_work_sync(&race_reap_work);
	free_percpu(race_percpu);
}
