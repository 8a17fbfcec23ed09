/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces shared by the files of kipc.ko.
 *
 * Object model: every named object (queue, semaphore, region) starts with a
 * struct kipc_obj, allocated by the registry (obj.c) together with the
 * type's container (the type says how big) and the name.  The registry
 * keeps one name table per type, the per-object sysfs directory, the
 * permission checks and the reference count; the type's file (mq.c, sem.c,
 * shm.c) supplies the behaviour through struct kipc_type.
 *
 * Lifetime: an object holds one reference for its name while linked and one
 * for each handle (bound file), mapping or kernel user.  The last put calls
 * type->destroy() and frees the memory after an RCU grace period (name
 * lookups are lockless).  Unlink removes the name and the sysfs directory at
 * once, so a new object may take the name while old handles live on.
 */
#ifndef _KIPC_H
#define _KIPC_H

#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/rhashtable-types.h>
#include <linux/refcount.h>
#include <linux/rcupdate.h>
#include <linux/sysfs.h>
#include <linux/uidgid.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <uapi/linux/kipc.h>

#define KIPC_VERSION "0.1.0"

struct kipc_file;
struct kipc_user;
struct poll_table_struct;
struct vm_area_struct;
struct seq_file;

/**
 * struct kipc_obj - the part every named object shares; first in containers
 * @type:	the object's type, fixed
 * @ref:	references: the name while linked, handles, mappings, kernel users
 * @node:	in @type->names; writers hold @type->lock, readers use RCU
 * @kobj:	sysfs directory while linked (NULL after unlink); @type->lock
 * @linked:	name present in @type->names; written under @type->lock
 * @handles:	open handles (bound files), for sysfs
 * @user:	the user charged for the object (the creator)
 * @uid:	owner, fixed at creation
 * @gid:	group, fixed at creation
 * @mode:	permission bits, fixed at creation
 * @id:		unique for the module's lifetime
 * @name:	NUL-terminated, stored after the container, fixed
 * @name_len:	strlen(@name)
 * @rcu:	frees the object after lockless lookups are done
 */
struct kipc_obj {
	const struct kipc_type *type;
	refcount_t ref;
	struct rhash_head node;
	struct kobject *kobj;
	bool linked;
	atomic_t handles;
	struct kipc_user *user;
	kuid_t uid;
	kgid_t gid;
	umode_t mode;
	u64 id;
	const char *name;
	u32 name_len;
	struct rcu_head rcu;
};

/**
 * struct kipc_file - per open file of /dev/kipc
 * @file:	the file itself (for f_flags)
 * @type:	the bound object's type, NULL until bound; set once with
 *		release semantics, read with acquire (see kipc_file_type())
 * @obj:	the bound object, valid when @type is set
 * @acc:	MAY_READ and/or MAY_WRITE granted at open
 * @flags:	KIPC_O_* flags given at open
 * @priv:	the type's per-handle state (its open() sets it)
 * @bind_lock:	serialises binding against itself
 */
struct kipc_file {
	struct file *file;
	const struct kipc_type *type;
	struct kipc_obj *obj;
	int acc;
	u32 flags;
	void *priv;
	struct mutex bind_lock;	/* serialises binding */
};

/**
 * struct kipc_type - the behaviour of one kind of object
 *
 * Callbacks are optional unless marked.  All run in process context and may
 * sleep.
 *
 * @name:	"mq", "sem", "shm": the /sys/kernel/kipc/<name>/ directory
 * @id:		KIPC_TYPE_*
 * @obj_size:	size of the container, whose first member is struct kipc_obj
 * @attr_size:	size of the creation attribute structure
 * @ioc_first:	first _IOC_NR of the type's ioctls
 * @ioc_last:	last _IOC_NR of the type's ioctls
 * @flags_ok:	KIPC_O_* bits beyond access/CREAT/EXCL/NONBLOCK it accepts
 * @obj_groups:	files of /sys/kernel/kipc/<name>/<object>/
 * @create:	required; initialise a zeroed container from @attr (NULL for
 *		defaults) and charge @user; clean up itself when it fails.
 *		Called under @lock.
 * @destroy:	required; undo @create: the last reference is gone
 * @priv_size:	size of the per-handle state the registry allocates (zeroed)
 *		into kf->priv before the object is opened or created, so
 *		that binding cannot fail for lack of memory after it made an
 *		object; @release frees it
 * @open:	a file is being bound: initialise kf->priv.  Must not fail
 *		once the object may have been created (return 0)
 * @release:	a bound file is released
 * @ioctl:	the type's commands on a bound file
 * @read:	read() on a bound file
 * @write:	write() on a bound file
 * @poll:	poll() on a bound file
 * @mmap:	mmap() on a bound file
 * @show_fdinfo: extra lines for /proc/<pid>/fdinfo/<fd>
 * @max_objects: limit on live objects of this type, or NULL
 * @nr_objects:	live objects of this type (registry)
 * @lock:	serialises create and unlink, and sysfs directory changes
 * @names:	name table; see struct kipc_obj.node
 * @dir:	/sys/kernel/kipc/<name>/
 */
struct kipc_type {
	const char *name;
	u32 id;
	size_t obj_size;
	size_t attr_size;
	unsigned int ioc_first;
	unsigned int ioc_last;
	u32 flags_ok;
	const struct attribute_group **obj_groups;
	size_t priv_size;

	int (*create)(struct kipc_obj *obj, const void *attr,
		      struct kipc_user *user);
	void (*destroy)(struct kipc_obj *obj);
	int (*open)(struct kipc_file *kf);
	void (*release)(struct kipc_file *kf);
	long (*ioctl)(struct kipc_file *kf, unsigned int cmd,
		      void __user *arg);
	ssize_t (*read)(struct kipc_file *kf, char __user *buf, size_t len,
			loff_t *ppos);
	ssize_t (*write)(struct kipc_file *kf, const char __user *buf,
			 size_t len, loff_t *ppos);
	__poll_t (*poll)(struct kipc_file *kf, struct poll_table_struct *pt);
	int (*mmap)(struct kipc_file *kf, struct vm_area_struct *vma);
	void (*show_fdinfo)(struct kipc_file *kf, struct seq_file *m);

	const u64 *max_objects;

	/* registry state, owned by obj.c */
	atomic_t nr_objects;
	struct mutex lock;	/* create/unlink/sysfs dirs */
	struct rhashtable names;
	struct kobject *dir;
};

static inline const struct kipc_type *kipc_file_type(struct kipc_file *kf)
{
	/* pairs with smp_store_release() in kipc_bind() */
	return smp_load_acquire(&kf->type);
}

static inline bool kipc_file_nonblock(const struct kipc_file *kf)
{
	return READ_ONCE(kf->file->f_flags) & O_NONBLOCK;
}

/* name.c: pure checks, also used by the KUnit tests */
int kipc_name_check(const char *name, size_t len);

/* obj.c: the registry */
int kipc_type_register(struct kipc_type *type);
void kipc_type_unregister(struct kipc_type *type);
struct kipc_obj *kipc_obj_open(struct kipc_type *type, const char *name,
			       u32 flags, umode_t mode, const void *attr,
			       int *acc);
int kipc_obj_unlink(struct kipc_type *type, const char *name);
struct kipc_obj *kipc_obj_lookup(struct kipc_type *type, const char *name);
struct kipc_obj *kipc_obj_from_kobj(struct kipc_type *type,
				    struct kobject *kobj);
void kipc_obj_get(struct kipc_obj *obj);
void kipc_obj_put(struct kipc_obj *obj);
struct kipc_type *kipc_type_by_id(u32 id);

/* timeout.c: struct kipc_timeout for blocking calls */
int kipc_timeout_check(const struct kipc_timeout *t, ktime_t *expires,
		       clockid_t *clk);
bool kipc_timeout_clock_ok(const struct kipc_timeout *t);
int kipc_timeout_sleep(ktime_t expires, clockid_t clk);

/* dev.c */
int kipc_dev_init(void);
void kipc_dev_exit(void);

/* sysfs.c: /sys/kernel/kipc/ and its shared directories */
extern struct kobject *kipc_kobj;
extern struct kobject *kipc_stats_kobj;
extern struct kobject *kipc_limits_kobj;
int kipc_sysfs_init(void);
void kipc_sysfs_exit(void);
void kipc_kobj_remove(struct kobject *kobj);

/* sysfs_util.c: show/store helpers */
int kipc_parse_u64(const char *buf, size_t count, u64 min, u64 max, u64 *val);
ssize_t kipc_hist_show(const u64 *buckets, unsigned int n, char *buf);
unsigned int kipc_hist_bucket(u64 ns, unsigned int n);

/* limits.c: /sys/kernel/kipc/limits/ */
struct kipc_limit {
	struct kobj_attribute attr;
	u64 value;
	u64 min;
	u64 max;
};

ssize_t kipc_limit_show(struct kobject *kobj, struct kobj_attribute *attr,
			char *buf);
ssize_t kipc_limit_store(struct kobject *kobj, struct kobj_attribute *attr,
			 const char *buf, size_t count);

/* Defines a root-writable limit file <_name> with a default and a range. */
#define KIPC_LIMIT(_name, _def, _min, _max)				\
	struct kipc_limit kipc_limit_##_name = {			\
		.attr = __ATTR(_name, 0644, kipc_limit_show,		\
			       kipc_limit_store),			\
		.value = (_def), .min = (_min), .max = (_max),		\
	}

static inline u64 kipc_limit_get(const struct kipc_limit *l)
{
	return READ_ONCE(l->value);
}

/* user.c: per-user accounting of objects and bytes */
enum kipc_res {
	KIPC_RES_MQ,		/* queues */
	KIPC_RES_MQ_BYTES,	/* bytes of queue memory */
	KIPC_RES_SEM,		/* semaphores */
	KIPC_RES_SHM,		/* regions */
	KIPC_RES_SHM_BYTES,	/* bytes of regions */
	KIPC_RES_NR,
};

struct kipc_user *kipc_user_get(kuid_t uid);
void kipc_user_put(struct kipc_user *user);
int kipc_user_charge(struct kipc_user *user, enum kipc_res res, u64 n,
		     u64 limit);
void kipc_user_uncharge(struct kipc_user *user, enum kipc_res res, u64 n);
u64 kipc_user_usage(struct kipc_user *user, enum kipc_res res);
int kipc_user_init(void);
void kipc_user_exit(void);

/* The objects and services; each file's init and exit */
int kipc_mq_init(void);
void kipc_mq_exit(void);
int kipc_sem_init(void);
void kipc_sem_exit(void);
int kipc_shm_init(void);
void kipc_shm_exit(void);
int kipc_race_init(void);
void kipc_race_exit(void);
int kipc_worker_init(void);
void kipc_worker_exit(void);
/* worker.c: the device-level worker pool commands (dev.c routes them) */
long kipc_worker_ioctl(unsigned int cmd, void __user *uarg);

#endif /* _KIPC_H */
