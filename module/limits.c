// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/kipc/limits/: the knobs that bound what users may pin, like
 * /proc/sys/fs/mqueue.  Each object file defines its limits with
 * KIPC_LIMIT() and adds them to kipc_limits_kobj as an attribute group; the
 * show and store methods here are shared.  Writes need root (mode 0644) and
 * are validated; a refused write changes nothing.
 */
#include "kipc.h"

ssize_t kipc_limit_show(struct kobject *kobj, struct kobj_attribute *attr,
			char *buf)
{
	struct kipc_limit *l = container_of(attr, struct kipc_limit, attr);

	return sysfs_emit(buf, "%llu\n", kipc_limit_get(l));
}

ssize_t kipc_limit_store(struct kobject *kobj, struct kobj_attribute *attr,
			 const char *buf, size_t count)
{
	struct kipc_limit *l = container_of(attr, struct kipc_limit, attr);
	u64 v;
	int err;

	err = kipc_parse_u64(buf, count, l->min, l->max, &v);
	if (err)
		return err;
	WRITE_ONCE(l->value, v);
	return count;
}
