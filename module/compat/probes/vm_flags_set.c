// SPDX-License-Identifier: GPL-2.0
/* Since 6.3 vma->vm_flags is read-only; writers use vm_flags_set/clear(). */
#include <linux/mm.h>

void kipc_probe(struct vm_area_struct *vma);
void kipc_probe(struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_DONTEXPAND);
	vm_flags_clear(vma, VM_MAYWRITE);
}
