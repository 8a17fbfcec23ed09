// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/kipc/: the root directory with the module's version, and the
 * stats/ and limits/ directories that every object type adds its files to.
 */
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include "kipc.h"

struct kobject *kipc_kobj;
struct kobject *kipc_stats_kobj;
struct kobject *kipc_limits_kobj;

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", KIPC_VERSION);
}

static struct kobj_attribute kipc_version_attr = __ATTR_RO(version);

/*
 * Remove a directory now and drop our reference.  The release may run
 * seconds later (CONFIG_DEBUG_KOBJECT_RELEASE), and until kobject_del() the
 * directory would stay visible: a module reloaded at once, or a new object
 * taking the name, would find it still there (-EEXIST).
 */
void kipc_kobj_remove(struct kobject *kobj)
{
	if (!kobj)
		return;
	kobject_del(kobj);
	kobject_put(kobj);
}

int kipc_sysfs_init(void)
{
	int err;

	kipc_kobj = kobject_create_and_add("kipc", kernel_kobj);
	if (!kipc_kobj)
		return -ENOMEM;
	err = sysfs_create_file(kipc_kobj, &kipc_version_attr.attr);
	if (err)
		goto err_root;
	err = -ENOMEM;
	kipc_stats_kobj = kobject_create_and_add("stats", kipc_kobj);
	if (!kipc_stats_kobj)
		goto err_root;
	kipc_limits_kobj = kobject_create_and_add("limits", kipc_kobj);
	if (!kipc_limits_kobj)
		goto err_stats;
	return 0;

err_stats:
	kipc_kobj_remove(kipc_stats_kobj);
err_root:
	kipc_kobj_remove(kipc_kobj);
	return err;
}

void kipc_sysfs_exit(void)
{
	kipc_kobj_remove(kipc_limits_kobj);
	kipc_kobj_remove(kipc_stats_kobj);
	kipc_kobj_remove(kipc_kobj);
}
