// SPDX-License-Identifier: GPL-2.0
/*
 * Newer kernels (6.17 on) name the unbound workqueue system_dfl_wq; 7.2
 * marks system_unbound_wq deprecated and warns when work is queued on it.
 */
#include <linux/workqueue.h>

struct workqueue_struct *kipc_probe(void);
struct workqueue_struct *kipc_probe(void)
{
	return system_dfl_wq;
}
