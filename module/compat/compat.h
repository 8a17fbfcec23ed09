/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels kipc supports, in one place: the
 * real code is written against the newest API, and this header, included
 * before anything else in every file (module/Kbuild), supplies that API on
 * older kernels.  Which kernel has what is decided by the feature probes in
 * compat/probes/ (one compile test each, against the target tree's headers;
 * KIPC_HAVE_<NAME> when it compiles), never by version numbers.  A kernel
 * older than 6.1 stops the build in compat/Kbuild.probes.
 */
#ifndef _KIPC_COMPAT_H
#define _KIPC_COMPAT_H

#include <linux/crc32.h>
#include <linux/mm.h>
#include <linux/workqueue.h>

#ifndef KIPC_HAVE_VM_FLAGS_SET
/* Before 6.3 the flags were written directly. */
static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}

static inline void vm_flags_clear(struct vm_area_struct *vma,
				  vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}
#endif

#ifndef KIPC_HAVE_CRC32C_IN_CRC32_H
/* lib/crc32's CRC32C, without depending on the libcrc32c module. */
#define crc32c(crc, p, len) __crc32c_le(crc, p, len)
#endif

#ifndef KIPC_HAVE_SYSTEM_DFL_WQ
#define system_dfl_wq system_unbound_wq
#endif

#endif /* _KIPC_COMPAT_H */
