// SPDX-License-Identifier: GPL-2.0
/*
 * /sys for regions: the files of /sys/kernel/kipc/shm/<name>/, the totals
 * in stats/ and the limits in limits/.
 */
#include <linux/sizes.h>
#include "shm.h"

/*
 * Limits.  Bytes are counted at creation (page-rounded size), so these
 * bound what an unprivileged user can make the kernel pin.  The ranges
 * keep every sum and page count far from overflow (2^46 bytes at most).
 */
#define KIPC_SHM_BYTES_MAX	BIT_ULL(46)
KIPC_LIMIT(shm_max, 1024, 0, 1U << 20);
KIPC_LIMIT(shm_size_max, SZ_64M, PAGE_SIZE, KIPC_SHM_BYTES_MAX);
KIPC_LIMIT(shm_user_max, 128, 0, 1U << 20);
KIPC_LIMIT(shm_user_bytes_max, SZ_256M, 0, KIPC_SHM_BYTES_MAX);
KIPC_LIMIT(shm_total_bytes_max, SZ_512M, 0, KIPC_SHM_BYTES_MAX);

static struct attribute *kipc_shm_limit_attrs[] = {
	&kipc_limit_shm_max.attr.attr,
	&kipc_limit_shm_size_max.attr.attr,
	&kipc_limit_shm_user_max.attr.attr,
	&kipc_limit_shm_user_bytes_max.attr.attr,
	&kipc_limit_shm_total_bytes_max.attr.attr,
	NULL,
};

const struct attribute_group kipc_shm_limits_group = {
	.attrs = kipc_shm_limit_attrs,
};

/* Totals */
#define KIPC_SHM_STAT(_name, _expr)					\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%lld\n", (long long)(_expr));		\
}									\
static struct kobj_attribute kipc_shm_##_name##_attr = __ATTR_RO(_name)

KIPC_SHM_STAT(shm_regions, atomic_read(&kipc_shm_type.nr_objects));
KIPC_SHM_STAT(shm_bytes, atomic64_read(&kipc_shm_total_bytes));
KIPC_SHM_STAT(shm_resident_pages, atomic64_read(&kipc_shm_total_resident));
KIPC_SHM_STAT(shm_mappings, atomic64_read(&kipc_shm_total_mappings));
KIPC_SHM_STAT(shm_maps, atomic64_read(&kipc_shm_total_maps));
KIPC_SHM_STAT(shm_faults, atomic64_read(&kipc_shm_total_faults));

static struct attribute *kipc_shm_stats_attrs[] = {
	&kipc_shm_shm_regions_attr.attr,
	&kipc_shm_shm_bytes_attr.attr,
	&kipc_shm_shm_resident_pages_attr.attr,
	&kipc_shm_shm_mappings_attr.attr,
	&kipc_shm_shm_maps_attr.attr,
	&kipc_shm_shm_faults_attr.attr,
	NULL,
};

const struct attribute_group kipc_shm_stats_group = {
	.attrs = kipc_shm_stats_attrs,
};

/* Per region: /sys/kernel/kipc/shm/<name>/ */
#define KIPC_SHM_ATTR(_name, _expr)					\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	struct kipc_obj *obj = kipc_obj_from_kobj(&kipc_shm_type, kobj); \
	struct kipc_shm *shm;						\
	ssize_t ret;							\
									\
	if (!obj)							\
		return -ENOENT;						\
	shm = kipc_shm_of(obj);						\
	ret = sysfs_emit(buf, "%llu\n", (unsigned long long)(_expr));	\
	kipc_obj_put(obj);						\
	return ret;							\
}									\
static struct kobj_attribute kipc_shm_obj_##_name##_attr = __ATTR_RO(_name)

KIPC_SHM_ATTR(size, shm->size);
KIPC_SHM_ATTR(pages, shm->npages);
KIPC_SHM_ATTR(resident_pages, atomic_long_read(&shm->resident));
KIPC_SHM_ATTR(mappings, atomic_read(&shm->mappings));
KIPC_SHM_ATTR(maps, atomic64_read(&shm->maps));
KIPC_SHM_ATTR(faults, atomic64_read(&shm->faults));
KIPC_SHM_ATTR(read_bytes, atomic64_read(&shm->read_bytes));
KIPC_SHM_ATTR(written_bytes, atomic64_read(&shm->written_bytes));

static struct attribute *kipc_shm_obj_attrs[] = {
	&kipc_shm_obj_size_attr.attr,
	&kipc_shm_obj_pages_attr.attr,
	&kipc_shm_obj_resident_pages_attr.attr,
	&kipc_shm_obj_mappings_attr.attr,
	&kipc_shm_obj_maps_attr.attr,
	&kipc_shm_obj_faults_attr.attr,
	&kipc_shm_obj_read_bytes_attr.attr,
	&kipc_shm_obj_written_bytes_attr.attr,
	NULL,
};

static const struct attribute_group kipc_shm_obj_group = {
	.attrs = kipc_shm_obj_attrs,
};

const struct attribute_group *kipc_shm_obj_groups[] = {
	&kipc_shm_obj_group,
	NULL,
};
