// SPDX-License-Identifier: GPL-2.0
/*
 * The semaphore's bookkeeping without any user-space interface: taking a
 * unit, posting one (handing it straight to the first waiter), the waiter
 * order, and undo (units a handle took and did not post back, returned when
 * the handle goes).  sem.c adds blocking, ioctls and poll; a KUnit test can
 * call these functions with waiters of its own.
 *
 * Hand-off follows ipc/mqueue.c's pipelined send: under the lock, the waker
 * unlinks the waiter, charges its undo count, takes a reference on its task
 * and only then publishes the new state with smp_store_release(); from that
 * store on the waiter may return and its stack-resident structure vanish
 * (CVE-2021-47069), so the waker touches only its task reference, which it
 * wakes and drops after unlocking.
 */
#include <linux/percpu.h>
#include <linux/sched/rt.h>
#include <linux/sched/prio.h>
#include <linux/sched/task.h>
#include "sem.h"

void kipc_sem_core_init(struct kipc_sem_core *c, u32 value)
{
	spin_lock_init(&c->lock);
	c->value = value;
	c->dead = 0;
	c->nr_waiters = 0;
	INIT_LIST_HEAD(&c->waiters);
	memset(&c->st, 0, sizeof(c->st));
}

/*
 * Queueing priority of @task: its effective priority when realtime, else
 * MAX_RT_PRIO for everyone (so ordinary tasks are served FIFO).
 */
int kipc_sem_waiter_prio(struct task_struct *task)
{
	return rt_task(task) ? task->prio : MAX_RT_PRIO;
}

/* Queue @w behind every waiter of the same or a better (lower) priority. */
void kipc_sem_core_enqueue(struct kipc_sem_core *c, struct kipc_sem_waiter *w)
{
	struct kipc_sem_waiter *pos;

	lockdep_assert_held(&c->lock);
	w->state = KIPC_SEM_WAITING;
	list_for_each_entry_reverse(pos, &c->waiters, node) {
		if (pos->prio <= w->prio) {
			list_add(&w->node, &pos->node);
			goto out;
		}
	}
	list_add(&w->node, &c->waiters);
out:
	c->nr_waiters++;
}

/* A waiter gives up (timeout, signal) before being handed a unit. */
void kipc_sem_core_dequeue(struct kipc_sem_core *c, struct kipc_sem_waiter *w)
{
	lockdep_assert_held(&c->lock);
	list_del(&w->node);
	c->nr_waiters--;
}

/* Count a taken unit; the caller already lowered value or handed it off. */
static int kipc_sem_took(struct kipc_sem_core *c, u32 *undo, bool dead)
{
	if (undo)
		(*undo)++;
	c->st.waits++;
	kipc_sem_total_add(KIPC_SEM_T_WAITS, 1);
	if (!dead)
		return 0;
	c->st.owner_dead++;
	kipc_sem_total_add(KIPC_SEM_T_OWNER_DEAD, 1);
	return -EOWNERDEAD;
}

/*
 * kipc_sem_core_trytake() - take a unit if one is free
 * @undo:	the taker's undo count, or NULL
 *
 * Return: 0; -EOWNERDEAD with the unit taken when it was one a released
 * undo handle gave back; -EAGAIN when the value is 0 (whether or not there
 * are waiters: a unit handed to a waiter is never in @value).
 */
int kipc_sem_core_trytake(struct kipc_sem_core *c, u32 *undo)
{
	bool dead = false;

	lockdep_assert_held(&c->lock);
	if (!c->value)
		return -EAGAIN;
	c->value--;
	if (c->dead) {
		c->dead--;
		dead = true;
	}
	return kipc_sem_took(c, undo, dead);
}

/* Give one unit to the first waiter; see the file comment for the order. */
static void kipc_sem_handoff(struct kipc_sem_core *c, bool dead,
			     struct kipc_sem_wake *wake)
{
	struct kipc_sem_waiter *w;

	w = list_first_entry(&c->waiters, struct kipc_sem_waiter, node);
	kipc_sem_core_dequeue(c, w);
	kipc_sem_took(c, w->undo, dead);
	/* under the lock, so the cheapest clock: a plain clocksource read */
	c->st.hist[kipc_hist_bucket(ktime_get_mono_fast_ns() - w->start,
				    KIPC_SEM_HIST_N)]++;
	wake->task[wake->n++] = get_task_struct(w->task);
	/* pairs with the waiter's READ_ONCE + smp_acquire__after_ctrl_dep() */
	smp_store_release(&w->state, dead ? KIPC_SEM_GOT_DEAD : KIPC_SEM_GOT);
	/* @w may be gone from here on */
}

/*
 * kipc_sem_core_post() - add one unit, or hand it to the first waiter
 * @undo:	the poster's undo count (lowered if above 0), or NULL
 * @wake:	collects the task to wake; must have a free slot
 *
 * Return: 1 when the value went up (pollers may care), 0 when the unit was
 * handed to a waiter, -EOVERFLOW at KIPC_SEM_VALUE_MAX (nothing changes).
 */
int kipc_sem_core_post(struct kipc_sem_core *c, u32 *undo,
		       struct kipc_sem_wake *wake)
{
	lockdep_assert_held(&c->lock);
	if (c->value >= KIPC_SEM_VALUE_MAX)
		return -EOVERFLOW;
	if (undo && *undo)
		(*undo)--;
	c->st.posts++;
	kipc_sem_total_add(KIPC_SEM_T_POSTS, 1);
	if (!list_empty(&c->waiters)) {
		kipc_sem_handoff(c, false, wake);
		return 0;
	}
	c->value++;
	return 1;
}

/*
 * kipc_sem_core_return() - give back what an undo handle holds
 * @undo:	the handle's undo count; lowered by what is returned
 * @wake:	collects woken tasks; returns early when it is full
 *
 * Each unit goes to the first waiter (told: GOT_DEAD) or back into the
 * value, marked dead so that its next taker is told.  Units that would
 * carry the value past KIPC_SEM_VALUE_MAX (only possible after posts
 * beyond what was taken) are dropped.  Call again while *@undo is not 0.
 *
 * Return: units returned (including dropped ones) in this call.
 */
u32 kipc_sem_core_return(struct kipc_sem_core *c, u32 *undo,
			 struct kipc_sem_wake *wake)
{
	u32 n = 0;

	lockdep_assert_held(&c->lock);
	while (*undo && !list_empty(&c->waiters) &&
	       wake->n < KIPC_SEM_WAKE_BATCH) {
		(*undo)--;
		n++;
		kipc_sem_handoff(c, true, wake);
	}
	if (*undo && list_empty(&c->waiters)) {
		u32 room = KIPC_SEM_VALUE_MAX - c->value;
		u32 add = min(*undo, room);

		c->value += add;
		c->dead += add;
		n += *undo;
		*undo = 0;
	}
	c->st.returned += n;
	kipc_sem_total_add(KIPC_SEM_T_RETURNED, n);
	return n;
}

/* Wake and release the tasks collected under the lock. */
void kipc_sem_wake_up(struct kipc_sem_wake *wake)
{
	unsigned int i;

	for (i = 0; i < wake->n; i++) {
		wake_up_process(wake->task[i]);
		put_task_struct(wake->task[i]);
	}
	wake->n = 0;
}

/* Module totals, per CPU: bumped under a semaphore's lock, summed by sysfs. */
static DEFINE_PER_CPU(u64 [KIPC_SEM_T_NR], kipc_sem_totals);

void kipc_sem_total_add(enum kipc_sem_total t, u64 n)
{
	this_cpu_add(kipc_sem_totals[t], n);
}

u64 kipc_sem_total_read(enum kipc_sem_total t)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu(kipc_sem_totals, cpu)[t]);
	return sum;
}
