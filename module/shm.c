// SPDX-License-Identifier: GPL-2.0
/*
 * Named shared-memory regions: creation against the size and byte limits,
 * the pages (allocated zero-filled on first touch, charged to the creator's
 * memory cgroup), pread/pwrite on a handle and the KIPC_SHM_IOC_STAT
 * ioctl.  mmap is in shm_vm.c, the /sys files in shm_sysfs.c.
 *
 * Locking: there is no region lock.  Pages live in an xarray whose own
 * spinlock serialises insertion; lookups are lockless (RCU inside
 * xa_load()), and a found page stays valid while the caller holds a
 * reference on the region, because pages are only removed by destroy().
 * Copies to and from user space hold only page references, never a lock,
 * so a fault on a mapping of the same region inside the copy is harmless.
 */
#include <linux/highmem.h>
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include "shm.h"

atomic64_t kipc_shm_total_bytes = ATOMIC64_INIT(0);	/* reserved */
atomic64_t kipc_shm_total_resident = ATOMIC64_INIT(0);	/* pages */
atomic64_t kipc_shm_total_mappings = ATOMIC64_INIT(0);	/* live */
atomic64_t kipc_shm_total_maps = ATOMIC64_INIT(0);	/* ever */
atomic64_t kipc_shm_total_faults = ATOMIC64_INIT(0);

/* Add @n to the global byte count unless that passes @limit. */
static int kipc_shm_charge_total(u64 n, u64 limit)
{
	s64 old = atomic64_read(&kipc_shm_total_bytes);

	do {
		if (n > limit || (u64)old > limit - n)
			return -ENOSPC;
	} while (!atomic64_try_cmpxchg(&kipc_shm_total_bytes, &old, old + n));
	return 0;
}

/*
 * Called by the registry under kipc_shm_type.lock.  Every check comes
 * before any charge, and a failed charge undoes the earlier ones, so a
 * refused creation changes nothing.
 */
static int kipc_shm_create(struct kipc_obj *obj, const void *attr,
			   struct kipc_user *user)
{
	const struct kipc_shm_attr *a = attr;
	struct kipc_shm *shm = kipc_shm_of(obj);
	u64 size;
	int err;

	if (!a || !a->size || a->size > kipc_limit_get(&kipc_limit_shm_size_max))
		return -EINVAL;
	/* shm_size_max is far below U64_MAX, so rounding cannot wrap */
	size = PAGE_ALIGN(a->size);

	err = kipc_user_charge(user, KIPC_RES_SHM, 1,
			       kipc_limit_get(&kipc_limit_shm_user_max));
	if (err)
		return err;
	err = kipc_user_charge(user, KIPC_RES_SHM_BYTES, size,
			       kipc_limit_get(&kipc_limit_shm_user_bytes_max));
	if (err)
		goto err_count;
	err = kipc_shm_charge_total(size, kipc_limit_get(&kipc_limit_shm_total_bytes_max));
	if (err)
		goto err_bytes;

	shm->size = size;
	shm->npages = size >> PAGE_SHIFT;
	xa_init(&shm->pages);
	/* the creator's memcg pays for the pages, whoever touches them */
	shm->memcg = get_mem_cgroup_from_mm(current->mm);
	atomic_long_set(&shm->resident, 0);
	atomic_set(&shm->mappings, 0);
	return 0;

err_bytes:
	kipc_user_uncharge(user, KIPC_RES_SHM_BYTES, size);
err_count:
	kipc_user_uncharge(user, KIPC_RES_SHM, 1);
	return err;
}

/* The last handle, mapping and the name are gone: free every page. */
static void kipc_shm_destroy(struct kipc_obj *obj)
{
	struct kipc_shm *shm = kipc_shm_of(obj);
	struct page *page;
	unsigned long idx;

	WARN_ON_ONCE(atomic_read(&shm->mappings));
	xa_for_each(&shm->pages, idx, page) {
		/* get_user_pages() users may hold the page a little longer */
		put_page(page);
		cond_resched();
	}
	xa_destroy(&shm->pages);
	atomic64_sub(atomic_long_read(&shm->resident),
		     &kipc_shm_total_resident);
	mem_cgroup_put(shm->memcg);
	atomic64_sub(shm->size, &kipc_shm_total_bytes);
	kipc_user_uncharge(obj->user, KIPC_RES_SHM_BYTES, shm->size);
	kipc_user_uncharge(obj->user, KIPC_RES_SHM, 1);
}

/**
 * kipc_shm_page() - page @idx of @shm, with a reference for the caller
 * @shm:	the region
 * @idx:	page index
 * @alloc:	allocate a zeroed page when there is none yet
 *
 * The caller holds a reference on the region and @idx < @shm->npages.
 * Allocation happens under the creator's memcg (set_active_memcg), so the
 * page and any xarray node are charged to it, not to whoever touches first.
 *
 * Return: the page, NULL (absent and !@alloc) or ERR_PTR(-ENOMEM).
 */
struct page *kipc_shm_page(struct kipc_shm *shm, pgoff_t idx, bool alloc)
{
	struct mem_cgroup *old_memcg;
	struct page *page, *cur;

	page = xa_load(&shm->pages, idx);
	if (page || !alloc)
		goto out;

	old_memcg = set_active_memcg(shm->memcg);
	page = alloc_page(GFP_HIGHUSER | __GFP_ZERO | __GFP_ACCOUNT);
	if (page) {
		cur = xa_cmpxchg(&shm->pages, idx, NULL, page,
				 GFP_KERNEL_ACCOUNT);
		if (xa_is_err(cur)) {
			put_page(page);
			page = ERR_PTR(xa_err(cur));
		} else if (cur) {
			/* another toucher won the race: use theirs */
			put_page(page);
			page = cur;
		} else {
			atomic_long_inc(&shm->resident);
			atomic64_inc(&kipc_shm_total_resident);
		}
	} else {
		page = ERR_PTR(-ENOMEM);
	}
	set_active_memcg(old_memcg);
out:
	if (!IS_ERR_OR_NULL(page))
		get_page(page);
	return page;
}

/*
 * One step of a read or write: at most the rest of one page.  Returns the
 * bytes copied or a negative errno.
 */
static ssize_t kipc_shm_copy_page(struct kipc_shm *shm, loff_t pos,
				  char __user *ubuf, size_t n, bool write)
{
	size_t off = offset_in_page(pos), left;
	struct page *page;
	void *kaddr;

	page = kipc_shm_page(shm, pos >> PAGE_SHIFT, write);
	if (IS_ERR(page))
		return PTR_ERR(page);
	if (!page) {
		/* never touched: zeros, without allocating anything */
		left = clear_user(ubuf, n);
	} else {
		kaddr = kmap_local_page(page);
		if (write)
			left = copy_from_user(kaddr + off, ubuf, n);
		else
			left = copy_to_user(ubuf, kaddr + off, n);
		kunmap_local(kaddr);
		put_page(page);
	}
	if (left == n)
		return -EFAULT;
	return n - left;
}

static ssize_t kipc_shm_rw(struct kipc_file *kf, char __user *buf,
			   size_t len, loff_t *ppos, bool write)
{
	struct kipc_shm *shm = kipc_shm_of(kf->obj);
	loff_t pos = *ppos;
	size_t done = 0;
	ssize_t n;

	if (!(kf->acc & (write ? MAY_WRITE : MAY_READ)))
		return -EBADF;
	if (pos < 0)
		return -EINVAL;
	if (!len)
		return 0;
	if (pos >= shm->size)
		return write ? -ENOSPC : 0;
	len = min_t(u64, len, shm->size - pos);

	while (done < len) {
		size_t step = min_t(size_t, PAGE_SIZE - offset_in_page(pos),
				    len - done);

		n = kipc_shm_copy_page(shm, pos, buf + done, step, write);
		if (n < 0) {
			if (!done)
				return n;
			break;
		}
		done += n;
		pos += n;
		if (n < step || fatal_signal_pending(current))
			break;
		cond_resched();
	}
	*ppos = pos;
	atomic64_add(done, write ? &shm->written_bytes : &shm->read_bytes);
	return done;
}

static ssize_t kipc_shm_read(struct kipc_file *kf, char __user *buf,
			     size_t len, loff_t *ppos)
{
	return kipc_shm_rw(kf, buf, len, ppos, false);
}

static ssize_t kipc_shm_write(struct kipc_file *kf, const char __user *buf,
			      size_t len, loff_t *ppos)
{
	/* the helper only reads from @buf when writing */
	return kipc_shm_rw(kf, (char __user *)buf, len, ppos, true);
}

static long kipc_shm_ioctl(struct kipc_file *kf, unsigned int cmd,
			   void __user *arg)
{
	struct kipc_shm *shm = kipc_shm_of(kf->obj);
	struct kipc_shm_stat st;

	if (cmd != KIPC_SHM_IOC_STAT)
		return -ENOTTY;
	memset(&st, 0, sizeof(st));
	st.size = shm->size;
	st.resident = atomic_long_read(&shm->resident);
	st.mappings = atomic_read(&shm->mappings);
	st.faults = atomic64_read(&shm->faults);
	if (copy_to_user(arg, &st, sizeof(st)))
		return -EFAULT;
	return 0;
}

static void kipc_shm_show_fdinfo(struct kipc_file *kf, struct seq_file *m)
{
	struct kipc_shm *shm = kipc_shm_of(kf->obj);

	seq_printf(m, "kipc-shm-size:\t%llu\nkipc-shm-resident:\t%ld\n",
		   shm->size, atomic_long_read(&shm->resident));
}

struct kipc_type kipc_shm_type = {
	.name		= "shm",
	.id		= KIPC_TYPE_SHM,
	.obj_size	= sizeof(struct kipc_shm),
	.attr_size	= sizeof(struct kipc_shm_attr),
	.ioc_first	= 0x50,
	.ioc_last	= 0x6f,
	.obj_groups	= kipc_shm_obj_groups,
	.create		= kipc_shm_create,
	.destroy	= kipc_shm_destroy,
	.ioctl		= kipc_shm_ioctl,
	.read		= kipc_shm_read,
	.write		= kipc_shm_write,
	.mmap		= kipc_shm_mmap,
	.show_fdinfo	= kipc_shm_show_fdinfo,
	.max_objects	= &kipc_limit_shm_max.value,
};

int kipc_shm_init(void)
{
	int err;

	err = sysfs_create_group(kipc_limits_kobj, &kipc_shm_limits_group);
	if (err)
		return err;
	err = sysfs_create_group(kipc_stats_kobj, &kipc_shm_stats_group);
	if (err)
		goto err_limits;
	err = kipc_type_register(&kipc_shm_type);
	if (err)
		goto err_stats;
	return 0;

err_stats:
	sysfs_remove_group(kipc_stats_kobj, &kipc_shm_stats_group);
err_limits:
	sysfs_remove_group(kipc_limits_kobj, &kipc_shm_limits_group);
	return err;
}

void kipc_shm_exit(void)
{
	kipc_type_unregister(&kipc_shm_type);
	sysfs_remove_group(kipc_stats_kobj, &kipc_shm_stats_group);
	sysfs_remove_group(kipc_limits_kobj, &kipc_shm_limits_group);
}
