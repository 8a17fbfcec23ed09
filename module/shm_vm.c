// SPDX-License-Identifier: GPL-2.0
/*
 * mmap of a region: the range checks drivers have historically got wrong,
 * and the page fault handler.
 *
 * Every VMA holds a reference on the region (vm_ops open/close, which the
 * core also calls when it splits or copies a VMA), so unlinking the name
 * and closing every handle leave existing mappings working; the pages go
 * with the last reference.  The fault handler returns the region's page
 * with a reference in vmf->page, as shmem does: the core maps it (or, for
 * MAP_PRIVATE, copies it on write).  No lock is held while faulting.
 */
#include <linux/mm.h>
#include "shm.h"

static void kipc_shm_vm_open(struct vm_area_struct *vma)
{
	struct kipc_shm *shm = vma->vm_private_data;

	kipc_obj_get(&shm->obj);
	atomic_inc(&shm->mappings);
	atomic64_inc(&kipc_shm_total_mappings);
}

static void kipc_shm_vm_close(struct vm_area_struct *vma)
{
	struct kipc_shm *shm = vma->vm_private_data;

	atomic_dec(&shm->mappings);
	atomic64_dec(&kipc_shm_total_mappings);
	kipc_obj_put(&shm->obj);	/* may free the region */
}

static vm_fault_t kipc_shm_fault(struct vm_fault *vmf)
{
	struct kipc_shm *shm = vmf->vma->vm_private_data;
	struct page *page;

	/* mmap checked the range and VM_DONTEXPAND keeps it; be safe anyway */
	if (vmf->pgoff >= shm->npages)
		return VM_FAULT_SIGBUS;
	page = kipc_shm_page(shm, vmf->pgoff, true);
	if (IS_ERR(page))
		return vmf_error(PTR_ERR(page));
	atomic64_inc(&shm->faults);
	atomic64_inc(&kipc_shm_total_faults);
	vmf->page = page;	/* the core consumes our reference */
	return 0;
}

static const struct vm_operations_struct kipc_shm_vm_ops = {
	.open	= kipc_shm_vm_open,
	.close	= kipc_shm_vm_close,
	.fault	= kipc_shm_fault,
};

/*
 * The checks, in the order documented in <linux/kipc.h>.  The core has
 * already refused length 0 (EINVAL), an unaligned offset (EINVAL) and
 * pgoff + pages wrapping (EOVERFLOW).  The range test is written so that
 * nothing can overflow: no vm_pgoff << PAGE_SHIFT anywhere.
 */
int kipc_shm_mmap(struct kipc_file *kf, struct vm_area_struct *vma)
{
	struct kipc_shm *shm = kipc_shm_of(kf->obj);
	unsigned long pages = vma_pages(vma);

	if (!(kf->acc & MAY_READ))
		return -EACCES;
	if (vma->vm_pgoff >= shm->npages ||
	    pages > shm->npages - vma->vm_pgoff)
		return -ENXIO;
	/*
	 * VM_MAYSHARE, not VM_SHARED: the core drops VM_SHARED from a
	 * MAP_SHARED mapping of a file opened O_RDONLY, but it is still a
	 * shared mapping of the region.
	 */
	if ((vma->vm_flags & VM_MAYSHARE) && !(kf->acc & MAY_WRITE)) {
		if (vma->vm_flags & VM_WRITE)
			return -EACCES;
		/* and mprotect(PROT_WRITE) can never make it writable */
		vm_flags_clear(vma, VM_MAYWRITE);
	}
	/* mremap may not grow it past what was checked here */
	vm_flags_set(vma, VM_DONTEXPAND);
	vma->vm_ops = &kipc_shm_vm_ops;
	vma->vm_private_data = shm;
	kipc_shm_vm_open(vma);
	atomic64_inc(&shm->maps);
	atomic64_inc(&kipc_shm_total_maps);
	return 0;
}
