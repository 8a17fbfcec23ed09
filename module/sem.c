// SPDX-License-Identifier: GPL-2.0
/*
 * Named counting semaphores behind /dev/kipc: the registry type, the
 * ioctls (wait, trywait, post, getvalue), blocking with absolute hrtimer
 * timeouts, poll, and undo on release.  The bookkeeping itself is in
 * sem_core.c, the /sys files and limits in sem_sysfs.c; the protocol is
 * documented in include/uapi/linux/kipc.h.
 */
#include <linux/hrtimer.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "sem.h"

static inline struct kipc_sem *kipc_sem(struct kipc_obj *obj)
{
	return container_of(obj, struct kipc_sem, obj);
}

static int kipc_sem_create(struct kipc_obj *obj, const void *attr,
			   struct kipc_user *user)
{
	const struct kipc_sem_attr *a = attr;
	struct kipc_sem *sem = kipc_sem(obj);
	u32 value = 0;
	int err;

	if (a) {
		if (a->__pad || a->value > KIPC_SEM_VALUE_MAX)
			return -EINVAL;
		value = a->value;
	}
	err = kipc_user_charge(user, KIPC_RES_SEM, 1,
			       kipc_limit_get(&kipc_limit_sem_per_user_max));
	if (err)
		return err;
	kipc_sem_core_init(&sem->core, value);
	init_waitqueue_head(&sem->poll_wq);
	return 0;
}

static void kipc_sem_destroy(struct kipc_obj *obj)
{
	struct kipc_sem *sem = kipc_sem(obj);

	/* no handle left, so nobody can be blocked */
	WARN_ON_ONCE(!list_empty(&sem->core.waiters));
	kipc_user_uncharge(obj->user, KIPC_RES_SEM, 1);
}

/* kf->priv was allocated, zeroed, before the semaphore could be created */
static int kipc_sem_open(struct kipc_file *kf)
{
	struct kipc_sem_handle *h = kf->priv;

	h->has_undo = kf->flags & KIPC_O_UNDO;
	return 0;
}

static void kipc_sem_poll_wake(struct kipc_sem *sem)
{
	/* wq_has_sleeper() orders the value update before the check */
	if (wq_has_sleeper(&sem->poll_wq))
		wake_up_interruptible_poll(&sem->poll_wq, EPOLLIN | EPOLLRDNORM);
}

/*
 * The handle is gone (last close, or the death of every process that had
 * it): give back what it holds under undo, a batch of hand-offs per lock
 * round so that the wake-ups happen outside the lock.
 */
static void kipc_sem_release(struct kipc_file *kf)
{
	struct kipc_sem_handle *h = kf->priv;
	struct kipc_sem *sem = kipc_sem(kf->obj);
	struct kipc_sem_wake wake = { .n = 0 };
	bool grew;

	while (READ_ONCE(h->undo)) {
		spin_lock(&sem->core.lock);
		kipc_sem_core_return(&sem->core, &h->undo, &wake);
		grew = sem->core.value > 0;
		spin_unlock(&sem->core.lock);
		kipc_sem_wake_up(&wake);
		if (grew)
			kipc_sem_poll_wake(sem);
	}
	kfree(h);
}

static u32 *kipc_sem_undo_of(struct kipc_sem_handle *h)
{
	return h->has_undo ? &h->undo : NULL;
}

static void kipc_sem_count(struct kipc_sem *sem, u64 *field,
			   enum kipc_sem_total t)
{
	lockdep_assert_held(&sem->core.lock);
	(*field)++;
	kipc_sem_total_add(t, 1);
}

/* The waiter's verdict once it is not WAITING any more. */
static int kipc_sem_got(int state)
{
	return state == KIPC_SEM_GOT_DEAD ? -EOWNERDEAD : 0;
}

/*
 * Block until handed a unit, @expires passes on @clk (KTIME_MAX: never) or
 * a signal comes.  Called with the lock held and the value 0; returns with
 * it dropped.  The waker sets w.state last (release) and never touches @w
 * after, so the lockless check below may return at once.
 */
static int kipc_sem_block(struct kipc_sem *sem, struct kipc_sem_handle *h,
			  ktime_t expires, clockid_t clk)
	__releases(&sem->core.lock)
{
	struct kipc_sem_core *c = &sem->core;
	struct kipc_sem_waiter w;
	int state, ret, left;

	w.task = current;
	w.prio = kipc_sem_waiter_prio(current);
	w.undo = kipc_sem_undo_of(h);
	/* a duration only: the fast clock needs no seqcount loop */
	w.start = ktime_get_mono_fast_ns();
	kipc_sem_core_enqueue(c, &w);

	for (;;) {
		__set_current_state(TASK_INTERRUPTIBLE);
		spin_unlock(&c->lock);
		/* absolute and on the caller's clock: never early */
		left = kipc_timeout_sleep(expires, clk);
		state = READ_ONCE(w.state);
		if (state != KIPC_SEM_WAITING) {
			/* pairs with smp_store_release() in the hand-off */
			smp_acquire__after_ctrl_dep();
			return kipc_sem_got(state);
		}
		spin_lock(&c->lock);
		/* under the lock no barrier is needed */
		state = READ_ONCE(w.state);
		if (state != KIPC_SEM_WAITING) {
			spin_unlock(&c->lock);
			return kipc_sem_got(state);
		}
		if (signal_pending(current)) {
			kipc_sem_count(sem, &c->st.interrupts,
				       KIPC_SEM_T_INTERRUPTS);
			/*
			 * -EINTR, never a restart: sem_wait(3) is one of the
			 * calls SA_RESTART does not restart (signal(7)).
			 */
			ret = -EINTR;
			break;
		}
		if (!left) {
			kipc_sem_count(sem, &c->st.timeouts,
				       KIPC_SEM_T_TIMEOUTS);
			ret = -ETIMEDOUT;
			break;
		}
		/* a spurious wake-up: sleep again */
	}
	kipc_sem_core_dequeue(c, &w);
	spin_unlock(&c->lock);
	return ret;
}

static long kipc_sem_wait(struct kipc_file *kf, void __user *uarg)
{
	struct kipc_sem *sem = kipc_sem(kf->obj);
	struct kipc_sem_handle *h = kf->priv;
	struct kipc_timeout t;
	ktime_t expires;
	clockid_t clk;
	int ret;

	if (copy_from_user(&t, uarg, sizeof(t)))
		return -EFAULT;
	if (!kipc_timeout_clock_ok(&t))
		return -EINVAL;

	spin_lock(&sem->core.lock);
	ret = kipc_sem_core_trytake(&sem->core, kipc_sem_undo_of(h));
	if (ret != -EAGAIN)
		goto out_unlock;
	if (kipc_file_nonblock(kf)) {
		kipc_sem_count(sem, &sem->core.st.trywait_fails,
			       KIPC_SEM_T_TRYWAIT_FAILS);
		goto out_unlock;
	}
	/* it would block: only now is the time itself judged (POSIX) */
	ret = kipc_timeout_check(&t, &expires, &clk);
	if (ret)
		goto out_unlock;
	return kipc_sem_block(sem, h, expires, clk);

out_unlock:
	spin_unlock(&sem->core.lock);
	return ret;
}

static long kipc_sem_trywait(struct kipc_file *kf)
{
	struct kipc_sem *sem = kipc_sem(kf->obj);
	struct kipc_sem_handle *h = kf->priv;
	int ret;

	spin_lock(&sem->core.lock);
	ret = kipc_sem_core_trytake(&sem->core, kipc_sem_undo_of(h));
	if (ret == -EAGAIN)
		kipc_sem_count(sem, &sem->core.st.trywait_fails,
			       KIPC_SEM_T_TRYWAIT_FAILS);
	spin_unlock(&sem->core.lock);
	return ret;
}

static long kipc_sem_post(struct kipc_file *kf)
{
	struct kipc_sem *sem = kipc_sem(kf->obj);
	struct kipc_sem_handle *h = kf->priv;
	struct kipc_sem_wake wake = { .n = 0 };
	int ret;

	spin_lock(&sem->core.lock);
	ret = kipc_sem_core_post(&sem->core, kipc_sem_undo_of(h), &wake);
	spin_unlock(&sem->core.lock);
	kipc_sem_wake_up(&wake);
	if (ret > 0)
		kipc_sem_poll_wake(sem);
	return ret < 0 ? ret : 0;
}

static long kipc_sem_getvalue(struct kipc_file *kf, void __user *uarg)
{
	struct kipc_sem *sem = kipc_sem(kf->obj);
	struct kipc_sem_handle *h = kf->priv;
	struct kipc_sem_state st = { 0 };

	spin_lock(&sem->core.lock);
	st.value = sem->core.value;
	st.waiters = sem->core.nr_waiters;
	st.undo = h->undo;
	spin_unlock(&sem->core.lock);
	if (copy_to_user(uarg, &st, sizeof(st)))
		return -EFAULT;
	return 0;
}

static long kipc_sem_ioctl(struct kipc_file *kf, unsigned int cmd,
			   void __user *uarg)
{
	if (cmd == KIPC_IOC_SEM_GETVALUE)
		return kipc_sem_getvalue(kf, uarg);
	if (cmd != KIPC_IOC_SEM_WAIT && cmd != KIPC_IOC_SEM_TRYWAIT &&
	    cmd != KIPC_IOC_SEM_POST)
		return -ENOTTY;
	if (!(kf->acc & MAY_WRITE))
		return -EBADF;
	switch (cmd) {
	case KIPC_IOC_SEM_WAIT:
		return kipc_sem_wait(kf, uarg);
	case KIPC_IOC_SEM_TRYWAIT:
		return kipc_sem_trywait(kf);
	default:
		return kipc_sem_post(kf);
	}
}

static __poll_t kipc_sem_poll(struct kipc_file *kf,
			      struct poll_table_struct *pt)
{
	struct kipc_sem *sem = kipc_sem(kf->obj);

	poll_wait(kf->file, &sem->poll_wq, pt);
	/* paired with wq_has_sleeper() in kipc_sem_poll_wake() */
	smp_mb();
	return READ_ONCE(sem->core.value) ? EPOLLIN | EPOLLRDNORM : 0;
}

static void kipc_sem_show_fdinfo(struct kipc_file *kf, struct seq_file *m)
{
	struct kipc_sem *sem = kipc_sem(kf->obj);
	struct kipc_sem_handle *h = kf->priv;

	seq_printf(m, "sem-value:\t%u\nsem-waiters:\t%u\nsem-undo:\t%s\nsem-held:\t%u\n",
		   READ_ONCE(sem->core.value), READ_ONCE(sem->core.nr_waiters),
		   h->has_undo ? "yes" : "no", READ_ONCE(h->undo));
}

struct kipc_type kipc_sem_type = {
	.name		= "sem",
	.id		= KIPC_TYPE_SEM,
	.obj_size	= sizeof(struct kipc_sem),
	.attr_size	= sizeof(struct kipc_sem_attr),
	.ioc_first	= 0x30,
	.ioc_last	= 0x4f,
	.flags_ok	= KIPC_O_UNDO,
	.create		= kipc_sem_create,
	.destroy	= kipc_sem_destroy,
	.priv_size	= sizeof(struct kipc_sem_handle),
	.open		= kipc_sem_open,
	.release	= kipc_sem_release,
	.ioctl		= kipc_sem_ioctl,
	.poll		= kipc_sem_poll,
	.show_fdinfo	= kipc_sem_show_fdinfo,
	.max_objects	= &kipc_limit_sem_max.value,
};

int kipc_sem_init(void)
{
	int err;

	kipc_sem_type.obj_groups = kipc_sem_obj_groups;
	err = kipc_type_register(&kipc_sem_type);
	if (err)
		return err;
	err = kipc_sem_sysfs_init();
	if (err)
		kipc_type_unregister(&kipc_sem_type);
	return err;
}

void kipc_sem_exit(void)
{
	kipc_sem_sysfs_exit();
	kipc_type_unregister(&kipc_sem_type);
}
