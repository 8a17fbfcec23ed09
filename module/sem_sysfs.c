// SPDX-License-Identifier: GPL-2.0
/*
 * The semaphores' files in /sys/kernel/kipc: one directory per semaphore
 * (sem/<name>/), the module totals (stats/sem_*) and the limits
 * (limits/sem_*).  Documented in Documentation/ABI/testing/sysfs-kernel-kipc.
 */
#include <linux/sched.h>
#include "sem.h"

/* Total semaphores (ENOSPC beyond) and per creating user (EMFILE). */
KIPC_LIMIT(sem_max, 4096, 0, 1 << 20);
KIPC_LIMIT(sem_per_user_max, 1024, 0, 1 << 20);

/* Most PIDs waiter_pids lists before "...". */
#define KIPC_SEM_PIDS_MAX	64

static struct kipc_sem *kipc_sem_of_kobj(struct kobject *kobj)
{
	struct kipc_obj *obj = kipc_obj_from_kobj(&kipc_sem_type, kobj);

	return obj ? container_of(obj, struct kipc_sem, obj) : NULL;
}

#define KIPC_SEM_ATTR(_name, _expr)					\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	struct kipc_sem *sem = kipc_sem_of_kobj(kobj);			\
	ssize_t ret;							\
									\
	if (!sem)							\
		return -ENOENT;						\
	ret = sysfs_emit(buf, "%llu\n", (u64)READ_ONCE(_expr));	\
	kipc_obj_put(&sem->obj);					\
	return ret;							\
}									\
static struct kobj_attribute kipc_sem_##_name##_attr = __ATTR_RO(_name)

KIPC_SEM_ATTR(value, sem->core.value);
KIPC_SEM_ATTR(waiters, sem->core.nr_waiters);
KIPC_SEM_ATTR(posts, sem->core.st.posts);
KIPC_SEM_ATTR(waits, sem->core.st.waits);
KIPC_SEM_ATTR(trywait_fails, sem->core.st.trywait_fails);
KIPC_SEM_ATTR(timeouts, sem->core.st.timeouts);
KIPC_SEM_ATTR(interrupts, sem->core.st.interrupts);
KIPC_SEM_ATTR(undo_returned, sem->core.st.returned);
KIPC_SEM_ATTR(owner_dead, sem->core.st.owner_dead);

/* The thread-group ids of the tasks blocked now, in service order. */
static ssize_t waiter_pids_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	struct kipc_sem *sem = kipc_sem_of_kobj(kobj);
	struct kipc_sem_waiter *w;
	unsigned int n = 0;
	ssize_t len = 0;

	if (!sem)
		return -ENOENT;
	spin_lock(&sem->core.lock);
	list_for_each_entry(w, &sem->core.waiters, node) {
		if (n++ == KIPC_SEM_PIDS_MAX) {
			len += sysfs_emit_at(buf, len, " ...");
			break;
		}
		len += sysfs_emit_at(buf, len, "%s%d", n > 1 ? " " : "",
				     task_tgid_nr(w->task));
	}
	spin_unlock(&sem->core.lock);
	len += sysfs_emit_at(buf, len, "\n");
	kipc_obj_put(&sem->obj);
	return len;
}

static ssize_t wait_hist_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	struct kipc_sem *sem = kipc_sem_of_kobj(kobj);
	ssize_t ret;

	if (!sem)
		return -ENOENT;
	ret = kipc_hist_show(sem->core.st.hist, KIPC_SEM_HIST_N, buf);
	kipc_obj_put(&sem->obj);
	return ret;
}

static struct kobj_attribute kipc_sem_waiter_pids_attr = __ATTR_RO(waiter_pids);
static struct kobj_attribute kipc_sem_wait_hist_attr = __ATTR_RO(wait_hist);

static struct attribute *kipc_sem_obj_attrs[] = {
	&kipc_sem_value_attr.attr,
	&kipc_sem_waiters_attr.attr,
	&kipc_sem_posts_attr.attr,
	&kipc_sem_waits_attr.attr,
	&kipc_sem_trywait_fails_attr.attr,
	&kipc_sem_timeouts_attr.attr,
	&kipc_sem_interrupts_attr.attr,
	&kipc_sem_undo_returned_attr.attr,
	&kipc_sem_owner_dead_attr.attr,
	&kipc_sem_waiter_pids_attr.attr,
	&kipc_sem_wait_hist_attr.attr,
	NULL,
};

static const struct attribute_group kipc_sem_obj_group = {
	.attrs = kipc_sem_obj_attrs,
};

const struct attribute_group *kipc_sem_obj_groups[] = {
	&kipc_sem_obj_group,
	NULL,
};

/* stats/sem_*: module totals */
#define KIPC_SEM_TOTAL(_name, _t)					\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%llu\n", kipc_sem_total_read(_t));	\
}									\
static struct kobj_attribute kipc_sem_##_name##_attr = __ATTR_RO(_name)

KIPC_SEM_TOTAL(sem_posts, KIPC_SEM_T_POSTS);
KIPC_SEM_TOTAL(sem_waits, KIPC_SEM_T_WAITS);
KIPC_SEM_TOTAL(sem_trywait_fails, KIPC_SEM_T_TRYWAIT_FAILS);
KIPC_SEM_TOTAL(sem_timeouts, KIPC_SEM_T_TIMEOUTS);
KIPC_SEM_TOTAL(sem_interrupts, KIPC_SEM_T_INTERRUPTS);
KIPC_SEM_TOTAL(sem_undo_returned, KIPC_SEM_T_RETURNED);
KIPC_SEM_TOTAL(sem_owner_dead, KIPC_SEM_T_OWNER_DEAD);

static ssize_t sem_objects_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&kipc_sem_type.nr_objects));
}

static struct kobj_attribute kipc_sem_sem_objects_attr = __ATTR_RO(sem_objects);

static struct attribute *kipc_sem_stats_attrs[] = {
	&kipc_sem_sem_objects_attr.attr,
	&kipc_sem_sem_posts_attr.attr,
	&kipc_sem_sem_waits_attr.attr,
	&kipc_sem_sem_trywait_fails_attr.attr,
	&kipc_sem_sem_timeouts_attr.attr,
	&kipc_sem_sem_interrupts_attr.attr,
	&kipc_sem_sem_undo_returned_attr.attr,
	&kipc_sem_sem_owner_dead_attr.attr,
	NULL,
};

static const struct attribute_group kipc_sem_stats_group = {
	.attrs = kipc_sem_stats_attrs,
};

static struct attribute *kipc_sem_limits_attrs[] = {
	&kipc_limit_sem_max.attr.attr,
	&kipc_limit_sem_per_user_max.attr.attr,
	NULL,
};

static const struct attribute_group kipc_sem_limits_group = {
	.attrs = kipc_sem_limits_attrs,
};

int kipc_sem_sysfs_init(void)
{
	int err;

	err = sysfs_create_group(kipc_stats_kobj, &kipc_sem_stats_group);
	if (err)
		return err;
	err = sysfs_create_group(kipc_limits_kobj, &kipc_sem_limits_group);
	if (err)
		sysfs_remove_group(kipc_stats_kobj, &kipc_sem_stats_group);
	return err;
}

void kipc_sem_sysfs_exit(void)
{
	sysfs_remove_group(kipc_limits_kobj, &kipc_sem_limits_group);
	sysfs_remove_group(kipc_stats_kobj, &kipc_sem_stats_group);
}
