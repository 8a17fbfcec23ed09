// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/kipc/workers/<id>/: one directory per worker pool, its
 * counters and its writable knobs (threads, nice, cpus); the pool limits in
 * limits/ and the totals in stats/.
 *
 * A pool directory is a plain kobject (the kernel's own release), so a
 * delayed release cannot outlive the module; the methods find their pool
 * on kipc_pools.  That is safe without a reference: a pool is freed only
 * after kobject_del(), which waits for the methods still running.
 */
#include <linux/cpumask.h>
#include <linux/kobject.h>
#include <linux/sched.h>
#include <linux/string.h>
#include "worker.h"

static struct kobject *kipc_workers_kobj;

struct kobject *kipc_worker_dir(void)
{
	return kipc_workers_kobj;
}

static struct kipc_pool *kipc_pool_of(struct kobject *kobj)
{
	struct kipc_pool *p, *found = NULL;

	mutex_lock(&kipc_workers_lock);
	list_for_each_entry(p, &kipc_pools, node) {
		if (p->kobj == kobj) {
			found = p;
			break;
		}
	}
	mutex_unlock(&kipc_workers_lock);
	return found;
}

/* One knob value: no NUL byte, at most one trailing newline. */
static bool kipc_knob_clean(const char *buf, size_t count)
{
	if (count && buf[count - 1] == '\n')
		count--;
	return count && !memchr(buf, '\0', count) && !memchr(buf, '\n', count);
}

static ssize_t threads_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct kipc_pool *p = kipc_pool_of(kobj);

	if (!p)
		return -ENODEV;
	return sysfs_emit(buf, "%u\n", READ_ONCE(p->nr_active));
}

static ssize_t threads_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	struct kipc_pool *p = kipc_pool_of(kobj);
	u64 v;
	int err;

	if (!p)
		return -ENODEV;
	if (!kipc_knob_clean(buf, count))
		return -EINVAL;
	err = kipc_parse_u64(buf, count, 1,
			     kipc_limit_get(&kipc_limit_worker_threads_max), &v);
	if (err)
		return err;
	err = kipc_pool_resize(p, v);
	return err ?: count;
}

static ssize_t nice_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	struct kipc_pool *p = kipc_pool_of(kobj);

	if (!p)
		return -ENODEV;
	return sysfs_emit(buf, "%d\n", READ_ONCE(p->nice));
}

static ssize_t nice_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	struct kipc_pool *p = kipc_pool_of(kobj);
	char tmp[16];
	size_t len = count;
	int v;

	if (!p)
		return -ENODEV;
	if (!kipc_knob_clean(buf, count))
		return -EINVAL;
	if (buf[len - 1] == '\n')
		len--;
	if (len >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, buf, len);
	tmp[len] = '\0';
	if (kstrtoint(tmp, 10, &v) || v < MIN_NICE || v > MAX_NICE)
		return -EINVAL;
	kipc_pool_set_nice(p, v);
	return count;
}

static ssize_t cpus_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	struct kipc_pool *p = kipc_pool_of(kobj);
	ssize_t len;

	if (!p)
		return -ENODEV;
	mutex_lock(&p->lock);
	len = sysfs_emit(buf, "%*pbl\n", cpumask_pr_args(p->cpus));
	mutex_unlock(&p->lock);
	return len;
}

static ssize_t cpus_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	struct kipc_pool *p = kipc_pool_of(kobj);
	cpumask_var_t mask;
	int err;

	if (!p)
		return -ENODEV;
	if (!kipc_knob_clean(buf, count) || buf[0] == ' ')
		return -EINVAL;
	if (!alloc_cpumask_var(&mask, GFP_KERNEL))
		return -ENOMEM;
	/* sysfs ends the buffer with a NUL; cpulist_parse takes one '\n' */
	err = cpulist_parse(buf, mask);
	if (err || !cpumask_subset(mask, cpu_possible_mask) ||
	    !cpumask_intersects(mask, cpu_online_mask))
		err = -EINVAL;
	else
		err = kipc_pool_set_cpus(p, mask);
	free_cpumask_var(mask);
	return err ?: count;
}

#define POOL_U64(_name, _expr)						\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	struct kipc_pool *p = kipc_pool_of(kobj);			\
									\
	if (!p)								\
		return -ENODEV;						\
	return sysfs_emit(buf, "%llu\n", (u64)(_expr));			\
}									\
static struct kobj_attribute pool_##_name##_attr = __ATTR_RO(_name)

POOL_U64(processed, atomic64_read(&p->processed));
POOL_U64(errors, atomic64_read(&p->errors));
POOL_U64(dropped, atomic64_read(&p->dropped));

static ssize_t pool_str(struct kobject *kobj, char *buf, int what)
{
	struct kipc_pool *p = kipc_pool_of(kobj);

	if (!p)
		return -ENODEV;
	switch (what) {
	case 0:
		return sysfs_emit(buf, "%s\n", p->in->name);
	case 1:
		return sysfs_emit(buf, "%s\n", p->out ? p->out->name : "");
	default:
		return sysfs_emit(buf, "%s\n", kipc_worker_op_name(p->op));
	}
}

static ssize_t input_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return pool_str(kobj, buf, 0);
}

static ssize_t output_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return pool_str(kobj, buf, 1);
}

static ssize_t op_show(struct kobject *kobj, struct kobj_attribute *attr,
		       char *buf)
{
	return pool_str(kobj, buf, 2);
}

/* Threads per phase: receiving working sending retiring. */
static void pool_phases(struct kipc_pool *p, unsigned int n[4])
{
	struct kipc_wthread *w;

	memset(n, 0, 4 * sizeof(n[0]));
	mutex_lock(&p->lock);
	list_for_each_entry(w, &p->threads, node) {
		int ph = READ_ONCE(w->phase);

		if (ph == KIPC_WPHASE_DONE)
			continue;
		if (w->retire)
			n[3]++;
		else if (ph == KIPC_WPHASE_SEND)
			n[2]++;
		else if (ph == KIPC_WPHASE_WORK)
			n[1]++;
		else
			n[0]++;
	}
	mutex_unlock(&p->lock);
}

static ssize_t activity_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	struct kipc_pool *p = kipc_pool_of(kobj);
	unsigned int n[4];

	if (!p)
		return -ENODEV;
	pool_phases(p, n);
	return sysfs_emit(buf, "receiving %u working %u sending %u retiring %u\n",
			  n[0], n[1], n[2], n[3]);
}

/* idle: all wait for input; blocked: some wait to answer; else busy */
static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct kipc_pool *p = kipc_pool_of(kobj);
	unsigned int n[4];

	if (!p)
		return -ENODEV;
	pool_phases(p, n);
	if (n[2])
		return sysfs_emit(buf, "sending\n");
	if (n[1])
		return sysfs_emit(buf, "busy\n");
	return sysfs_emit(buf, "idle\n");
}

static struct kobj_attribute pool_threads_attr = __ATTR_RW(threads);
static struct kobj_attribute pool_nice_attr = __ATTR_RW(nice);
static struct kobj_attribute pool_cpus_attr = __ATTR_RW(cpus);
static struct kobj_attribute pool_input_attr = __ATTR_RO(input);
static struct kobj_attribute pool_output_attr = __ATTR_RO(output);
static struct kobj_attribute pool_op_attr = __ATTR_RO(op);
static struct kobj_attribute pool_state_attr = __ATTR_RO(state);
static struct kobj_attribute pool_activity_attr = __ATTR_RO(activity);

static struct attribute *kipc_pool_attrs[] = {
	&pool_threads_attr.attr,
	&pool_nice_attr.attr,
	&pool_cpus_attr.attr,
	&pool_processed_attr.attr,
	&pool_errors_attr.attr,
	&pool_dropped_attr.attr,
	&pool_state_attr.attr,
	&pool_activity_attr.attr,
	&pool_input_attr.attr,
	&pool_output_attr.attr,
	&pool_op_attr.attr,
	NULL,
};

static const struct attribute_group kipc_pool_group = {
	.attrs = kipc_pool_attrs,
};

const struct attribute_group *kipc_pool_groups[] = {
	&kipc_pool_group,
	NULL,
};

/* ---- limits/ and stats/ ------------------------------------------------ */

static struct attribute *kipc_worker_limit_attrs[] = {
	&kipc_limit_worker_pools_max.attr.attr,
	&kipc_limit_worker_threads_max.attr.attr,
	NULL,
};

static const struct attribute_group kipc_worker_limit_group = {
	.attrs = kipc_worker_limit_attrs,
};

static ssize_t worker_pools_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&kipc_worker_nr_pools));
}

static ssize_t worker_threads_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&kipc_worker_nr_threads));
}

static ssize_t worker_processed_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n",
			  atomic64_read(&kipc_worker_total_processed));
}

static struct kobj_attribute worker_pools_attr = __ATTR_RO(worker_pools);
static struct kobj_attribute worker_threads_attr = __ATTR_RO(worker_threads);
static struct kobj_attribute worker_processed_attr =
	__ATTR_RO(worker_processed);

static struct attribute *kipc_worker_stats_attrs[] = {
	&worker_pools_attr.attr,
	&worker_threads_attr.attr,
	&worker_processed_attr.attr,
	NULL,
};

static const struct attribute_group kipc_worker_stats_group = {
	.attrs = kipc_worker_stats_attrs,
};

int kipc_worker_sysfs_init(void)
{
	int err;

	kipc_workers_kobj = kobject_create_and_add("workers", kipc_kobj);
	if (!kipc_workers_kobj)
		return -ENOMEM;
	err = sysfs_create_group(kipc_limits_kobj, &kipc_worker_limit_group);
	if (err)
		goto err_dir;
	err = sysfs_create_group(kipc_stats_kobj, &kipc_worker_stats_group);
	if (err)
		goto err_limits;
	return 0;

err_limits:
	sysfs_remove_group(kipc_limits_kobj, &kipc_worker_limit_group);
err_dir:
	kipc_kobj_remove(kipc_workers_kobj);
	return err;
}

void kipc_worker_sysfs_exit(void)
{
	sysfs_remove_group(kipc_stats_kobj, &kipc_worker_stats_group);
	sysfs_remove_group(kipc_limits_kobj, &kipc_worker_limit_group);
	kobject_del(kipc_workers_kobj);
	kipc_kobj_remove(kipc_workers_kobj);
}
