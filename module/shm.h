/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Named shared-memory regions: what shm.c (objects, handles, pread/pwrite),
 * shm_vm.c (mmap and page faults) and shm_sysfs.c (/sys files) share.
 */
#ifndef _KIPC_SHM_H
#define _KIPC_SHM_H

#include <linux/xarray.h>
#include "kipc.h"

struct mem_cgroup;

/**
 * struct kipc_shm - one region; the container of its struct kipc_obj
 * @obj:	registry part; first
 * @size:	bytes, a multiple of PAGE_SIZE, fixed at creation
 * @npages:	@size >> PAGE_SHIFT, fixed
 * @pages:	page index -> struct page *, one reference each.  Entries
 *		are only ever added (xa_cmpxchg under the xarray's own
 *		spinlock) until destroy() empties it, when no handle or
 *		mapping is left; so a page found by xa_load() stays valid
 *		while the caller holds a reference on @obj.
 * @memcg:	the creator's memory cgroup (reference held), charged for
 *		every page and xarray node; NULL without memcg; fixed
 * @resident:	entries in @pages
 * @mappings:	live VMAs mapping the region (vm_ops open/close)
 * @maps:	successful mmap() calls, ever
 * @faults:	page faults served
 * @read_bytes:	bytes read with read()/pread()
 * @written_bytes: bytes written with write()/pwrite()
 *
 * The counters are atomics: they are updated from faults and copies that
 * hold no lock, and read by sysfs.
 */
struct kipc_shm {
	struct kipc_obj obj;
	u64 size;
	pgoff_t npages;
	struct xarray pages;
	struct mem_cgroup *memcg;
	atomic_long_t resident;
	atomic_t mappings;
	atomic64_t maps;
	atomic64_t faults;
	atomic64_t read_bytes;
	atomic64_t written_bytes;
};

static inline struct kipc_shm *kipc_shm_of(struct kipc_obj *obj)
{
	return container_of(obj, struct kipc_shm, obj);
}

/* Totals for /sys/kernel/kipc/stats/ (shm.c) */
extern atomic64_t kipc_shm_total_bytes;
extern atomic64_t kipc_shm_total_resident;
extern atomic64_t kipc_shm_total_mappings;
extern atomic64_t kipc_shm_total_maps;
extern atomic64_t kipc_shm_total_faults;

extern struct kipc_type kipc_shm_type;

/* shm.c: page @idx with a reference, allocated (zeroed) if @alloc */
struct page *kipc_shm_page(struct kipc_shm *shm, pgoff_t idx, bool alloc);

/* shm_vm.c */
int kipc_shm_mmap(struct kipc_file *kf, struct vm_area_struct *vma);

/* shm_sysfs.c */
extern const struct attribute_group *kipc_shm_obj_groups[];
extern const struct attribute_group kipc_shm_stats_group;
extern const struct attribute_group kipc_shm_limits_group;

/* limits (shm_sysfs.c) */
extern struct kipc_limit kipc_limit_shm_max;
extern struct kipc_limit kipc_limit_shm_size_max;
extern struct kipc_limit kipc_limit_shm_user_max;
extern struct kipc_limit kipc_limit_shm_user_bytes_max;
extern struct kipc_limit kipc_limit_shm_total_bytes_max;

#endif /* _KIPC_SHM_H */
