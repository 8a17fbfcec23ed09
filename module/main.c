// SPDX-License-Identifier: GPL-2.0
/*
 * kipc: kernel threads, kernel-managed semaphores, named message queues and
 * named shared memory behind /dev/kipc, with counters under /sys/kernel/kipc.
 *
 * This file only brings the parts up in order and down in reverse.  The
 * device comes last: no file can reach an object type that is not ready.
 */
#include <linux/module.h>
#include "kipc.h"

static int __init kipc_init(void)
{
	int err;

	err = kipc_sysfs_init();
	if (err)
		return err;
	err = kipc_user_init();
	if (err)
		goto err_sysfs;
	err = kipc_mq_init();
	if (err)
		goto err_user;
	err = kipc_sem_init();
	if (err)
		goto err_mq;
	err = kipc_shm_init();
	if (err)
		goto err_sem;
	err = kipc_race_init();
	if (err)
		goto err_shm;
	err = kipc_worker_init();
	if (err)
		goto err_race;
	err = kipc_dev_init();
	if (err)
		goto err_worker;
	pr_info("version %s loaded\n", KIPC_VERSION);
	return 0;

err_worker:
	kipc_worker_exit();
err_race:
	kipc_race_exit();
err_shm:
	kipc_shm_exit();
err_sem:
	kipc_sem_exit();
err_mq:
	kipc_mq_exit();
err_user:
	kipc_user_exit();
err_sysfs:
	kipc_sysfs_exit();
	return err;
}

static void __exit kipc_exit(void)
{
	kipc_dev_exit();
	kipc_worker_exit();
	kipc_race_exit();
	kipc_shm_exit();
	kipc_sem_exit();
	kipc_mq_exit();
	kipc_user_exit();
	kipc_sysfs_exit();
	pr_info("unloaded\n");
}

module_init(kipc_init);
module_exit(kipc_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The kipc developers");
MODULE_DESCRIPTION("Named message queues, semaphores and shared memory, kernel threads, observable in /sys");
MODULE_VERSION(KIPC_VERSION);
