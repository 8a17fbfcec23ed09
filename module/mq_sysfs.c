// SPDX-License-Identifier: GPL-2.0
/*
 * The message queues in /sys: one directory per linked queue
 * (/sys/kernel/kipc/mq/<name>/), the totals in stats/ (kept after queues
 * are gone) and the limits in limits/.  Counters are per CPU and summed
 * when read, so sending never bounces a shared cache line for them.
 */
#include <linux/atomic.h>
#include <linux/percpu.h>
#include "mq.h"

/* Limits, as /proc/sys/fs/mqueue and RLIMIT_MSGQUEUE. */
KIPC_LIMIT(mq_max, 65536, 0, 1 << 20);
KIPC_LIMIT(mq_maxmsg_max, 65536, 1, 1 << 24);
KIPC_LIMIT(mq_msgsize_max, 1 << 20, 1, 1 << 26);
KIPC_LIMIT(mq_maxmsg_default, 64, 1, 1 << 24);
KIPC_LIMIT(mq_msgsize_default, 8192, 1, 1 << 26);
KIPC_LIMIT(mq_bytes_per_user, 256ULL << 20, 0, 1ULL << 50);

static struct attribute *kipc_mq_limit_attrs[] = {
	&kipc_limit_mq_max.attr.attr,
	&kipc_limit_mq_maxmsg_max.attr.attr,
	&kipc_limit_mq_msgsize_max.attr.attr,
	&kipc_limit_mq_maxmsg_default.attr.attr,
	&kipc_limit_mq_msgsize_default.attr.attr,
	&kipc_limit_mq_bytes_per_user.attr.attr,
	NULL,
};

static const struct attribute_group kipc_mq_limit_group = {
	.attrs = kipc_mq_limit_attrs,
};

/* Totals over every queue that ever lived (updated by kipc_mq_count()). */
DEFINE_PER_CPU(struct kipc_mq_pcpu, kipc_mq_totals);
static atomic64_t kipc_mq_created = ATOMIC64_INIT(0);
static atomic64_t kipc_mq_destroyed = ATOMIC64_INIT(0);

void kipc_mq_lifecycle(bool created)
{
	atomic64_inc(created ? &kipc_mq_created : &kipc_mq_destroyed);
}

/* Sum per-CPU counters; a reader may see a sum a few updates old. */
void kipc_mq_stats_sum(struct kipc_mq_pcpu __percpu *pc,
		       struct kipc_mq_pcpu *sum)
{
	int cpu, i;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		struct kipc_mq_pcpu *p = per_cpu_ptr(pc, cpu);

		for (i = 0; i < KIPC_MQ_NR_STATS; i++)
			sum->v[i] += READ_ONCE(p->v[i]);
		for (i = 0; i < KIPC_MQ_HIST; i++)
			sum->hist[i] += READ_ONCE(p->hist[i]);
	}
}

/* ---- /sys/kernel/kipc/mq/<name>/ ---------------------------------------- */

/* The queue of the directory, referenced; NULL once it is unlinked. */
static struct kipc_mq *kipc_mq_of_kobj(struct kobject *kobj)
{
	struct kipc_obj *obj = kipc_obj_from_kobj(&kipc_mq_type, kobj);

	return obj ? kipc_mq_of(obj) : NULL;
}

#define KIPC_MQ_ATTR(_name, _expr)					\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	struct kipc_mq *mq = kipc_mq_of_kobj(kobj);			\
	ssize_t ret;							\
									\
	if (!mq)							\
		return -ENOENT;						\
	ret = sysfs_emit(buf, "%lld\n", (long long)(_expr));		\
	kipc_obj_put(&mq->obj);						\
	return ret;							\
}									\
static struct kobj_attribute kipc_mq_##_name##_attr = __ATTR_RO(_name)

static u64 kipc_mq_stat(struct kipc_mq *mq, enum kipc_mq_stat i)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(mq->stats, cpu)->v[i]);
	return sum;
}

/*
 * Fields under the queue lock, read with it: one snapshot per file, and no
 * data race for KCSAN to report.
 */
static long kipc_mq_locked(struct kipc_mq *mq, const long *field)
{
	long v;

	spin_lock(&mq->lock);
	v = *field;
	spin_unlock(&mq->lock);
	return v;
}

static u64 kipc_mq_locked_u64(struct kipc_mq *mq, const u64 *field)
{
	u64 v;

	spin_lock(&mq->lock);
	v = *field;
	spin_unlock(&mq->lock);
	return v;
}

static unsigned int kipc_mq_locked_uint(struct kipc_mq *mq,
					const unsigned int *field)
{
	unsigned int v;

	spin_lock(&mq->lock);
	v = *field;
	spin_unlock(&mq->lock);
	return v;
}

KIPC_MQ_ATTR(maxmsg, mq->maxmsg);
KIPC_MQ_ATTR(msgsize, mq->msgsize);
KIPC_MQ_ATTR(curmsgs, kipc_mq_locked(mq, &mq->tree.count));
KIPC_MQ_ATTR(curbytes, kipc_mq_locked_u64(mq, &mq->tree.bytes));
KIPC_MQ_ATTR(peak, kipc_mq_locked(mq, &mq->peak));
KIPC_MQ_ATTR(blocked_senders, kipc_mq_locked_uint(mq, &mq->nr_senders));
KIPC_MQ_ATTR(blocked_receivers,
	     kipc_mq_locked_uint(mq, &mq->nr_receivers));
KIPC_MQ_ATTR(notifies, kipc_mq_locked_u64(mq, &mq->notifies));
KIPC_MQ_ATTR(memory, mq->charged);
KIPC_MQ_ATTR(sent, kipc_mq_stat(mq, KIPC_MQ_SENT));
KIPC_MQ_ATTR(received, kipc_mq_stat(mq, KIPC_MQ_RECEIVED));
KIPC_MQ_ATTR(bytes_sent, kipc_mq_stat(mq, KIPC_MQ_BYTES_SENT));
KIPC_MQ_ATTR(bytes_received, kipc_mq_stat(mq, KIPC_MQ_BYTES_RECEIVED));
KIPC_MQ_ATTR(timeouts, kipc_mq_stat(mq, KIPC_MQ_TIMEOUTS));
KIPC_MQ_ATTR(interrupts, kipc_mq_stat(mq, KIPC_MQ_INTERRUPTS));

static ssize_t notify_pid_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	struct kipc_mq *mq = kipc_mq_of_kobj(kobj);
	pid_t nr = 0;
	ssize_t ret;

	if (!mq)
		return -ENOENT;
	spin_lock(&mq->lock);
	if (mq->notify_pid)
		nr = pid_vnr(mq->notify_pid);
	spin_unlock(&mq->lock);
	ret = sysfs_emit(buf, "%d\n", nr);
	kipc_obj_put(&mq->obj);
	return ret;
}

static struct kobj_attribute kipc_mq_notify_pid_attr = __ATTR_RO(notify_pid);

static ssize_t wait_hist_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	struct kipc_mq *mq = kipc_mq_of_kobj(kobj);
	struct kipc_mq_pcpu sum;
	ssize_t ret;

	if (!mq)
		return -ENOENT;
	kipc_mq_stats_sum(mq->stats, &sum);
	ret = kipc_hist_show(sum.hist, KIPC_MQ_HIST, buf);
	kipc_obj_put(&mq->obj);
	return ret;
}

static struct kobj_attribute kipc_mq_wait_hist_attr = __ATTR_RO(wait_hist);

static struct attribute *kipc_mq_attrs[] = {
	&kipc_mq_maxmsg_attr.attr,
	&kipc_mq_msgsize_attr.attr,
	&kipc_mq_curmsgs_attr.attr,
	&kipc_mq_curbytes_attr.attr,
	&kipc_mq_peak_attr.attr,
	&kipc_mq_blocked_senders_attr.attr,
	&kipc_mq_blocked_receivers_attr.attr,
	&kipc_mq_notifies_attr.attr,
	&kipc_mq_notify_pid_attr.attr,
	&kipc_mq_memory_attr.attr,
	&kipc_mq_sent_attr.attr,
	&kipc_mq_received_attr.attr,
	&kipc_mq_bytes_sent_attr.attr,
	&kipc_mq_bytes_received_attr.attr,
	&kipc_mq_timeouts_attr.attr,
	&kipc_mq_interrupts_attr.attr,
	&kipc_mq_wait_hist_attr.attr,
	NULL,
};

static const struct attribute_group kipc_mq_group = {
	.attrs = kipc_mq_attrs,
};

const struct attribute_group *kipc_mq_groups[] = {
	&kipc_mq_group,
	NULL,
};

/* ---- /sys/kernel/kipc/stats/mq_* ---------------------------------------- */

static ssize_t kipc_mq_total_show(char *buf, enum kipc_mq_stat i)
{
	struct kipc_mq_pcpu sum;

	kipc_mq_stats_sum(&kipc_mq_totals, &sum);
	return sysfs_emit(buf, "%llu\n", sum.v[i]);
}

#define KIPC_MQ_TOTAL(_name, _i)					\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	return kipc_mq_total_show(buf, _i);				\
}									\
static struct kobj_attribute kipc_mq_total_##_name = __ATTR_RO(_name)

KIPC_MQ_TOTAL(mq_sent, KIPC_MQ_SENT);
KIPC_MQ_TOTAL(mq_received, KIPC_MQ_RECEIVED);
KIPC_MQ_TOTAL(mq_bytes_sent, KIPC_MQ_BYTES_SENT);
KIPC_MQ_TOTAL(mq_bytes_received, KIPC_MQ_BYTES_RECEIVED);
KIPC_MQ_TOTAL(mq_timeouts, KIPC_MQ_TIMEOUTS);
KIPC_MQ_TOTAL(mq_interrupts, KIPC_MQ_INTERRUPTS);

static ssize_t mq_wait_hist_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	struct kipc_mq_pcpu sum;

	kipc_mq_stats_sum(&kipc_mq_totals, &sum);
	return kipc_hist_show(sum.hist, KIPC_MQ_HIST, buf);
}

static ssize_t mq_created_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n", atomic64_read(&kipc_mq_created));
}

static ssize_t mq_destroyed_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n", atomic64_read(&kipc_mq_destroyed));
}

static ssize_t mq_queues_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&kipc_mq_type.nr_objects));
}

static struct kobj_attribute kipc_mq_total_wait_hist = __ATTR_RO(mq_wait_hist);
static struct kobj_attribute kipc_mq_total_created = __ATTR_RO(mq_created);
static struct kobj_attribute kipc_mq_total_destroyed = __ATTR_RO(mq_destroyed);
static struct kobj_attribute kipc_mq_total_queues = __ATTR_RO(mq_queues);

static struct attribute *kipc_mq_stats_attrs[] = {
	&kipc_mq_total_mq_sent.attr,
	&kipc_mq_total_mq_received.attr,
	&kipc_mq_total_mq_bytes_sent.attr,
	&kipc_mq_total_mq_bytes_received.attr,
	&kipc_mq_total_mq_timeouts.attr,
	&kipc_mq_total_mq_interrupts.attr,
	&kipc_mq_total_wait_hist.attr,
	&kipc_mq_total_created.attr,
	&kipc_mq_total_destroyed.attr,
	&kipc_mq_total_queues.attr,
	NULL,
};

static const struct attribute_group kipc_mq_stats_group = {
	.attrs = kipc_mq_stats_attrs,
};

int kipc_mq_sysfs_init(void)
{
	int err;

	err = sysfs_create_group(kipc_limits_kobj, &kipc_mq_limit_group);
	if (err)
		return err;
	err = sysfs_create_group(kipc_stats_kobj, &kipc_mq_stats_group);
	if (err)
		sysfs_remove_group(kipc_limits_kobj, &kipc_mq_limit_group);
	return err;
}

void kipc_mq_sysfs_exit(void)
{
	sysfs_remove_group(kipc_stats_kobj, &kipc_mq_stats_group);
	sysfs_remove_group(kipc_limits_kobj, &kipc_mq_limit_group);
}
