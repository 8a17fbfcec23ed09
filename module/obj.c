// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of named objects: one name table per type, lookups without
 * locks (RCU), creation and unlink serialised by the type's mutex, the
 * sysfs directory of each linked object, POSIX-style permission checks and
 * the reference count that decides when an object dies.
 *
 * Lock order: type->lock, then kernfs (kobject_put may drain sysfs readers;
 * those only take RCU, never type->lock, so the drain cannot deadlock).
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs_struct.h>
#include <linux/jhash.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "kipc.h"

static atomic64_t kipc_next_id = ATOMIC64_INIT(0);
static struct kipc_type *kipc_types[KIPC_TYPE_SHM + 1];

static u32 kipc_key_hash(const void *data, u32 len, u32 seed)
{
	const char *name = data;

	return jhash(name, strlen(name), seed);
}

static u32 kipc_obj_hash(const void *data, u32 len, u32 seed)
{
	const struct kipc_obj *obj = data;

	return jhash(obj->name, obj->name_len, seed);
}

static int kipc_obj_cmp(struct rhashtable_compare_arg *arg, const void *ptr)
{
	const struct kipc_obj *obj = ptr;

	return strcmp(obj->name, arg->key);
}

static const struct rhashtable_params kipc_names_params = {
	.head_offset = offsetof(struct kipc_obj, node),
	.hashfn = kipc_key_hash,
	.obj_hashfn = kipc_obj_hash,
	.obj_cmpfn = kipc_obj_cmp,
	.automatic_shrinking = true,
};

void kipc_obj_get(struct kipc_obj *obj)
{
	refcount_inc(&obj->ref);
}

/* The last reference: the name is gone, so is every handle and mapping. */
void kipc_obj_put(struct kipc_obj *obj)
{
	struct kipc_type *type;

	if (!refcount_dec_and_test(&obj->ref))
		return;
	type = kipc_types[obj->type->id];
	WARN_ON_ONCE(obj->linked || obj->kobj);
	type->destroy(obj);
	kipc_user_put(obj->user);
	atomic_dec(&type->nr_objects);
	/* lockless lookups may still be comparing the name */
	kfree_rcu(obj, rcu);
}

/* POSIX IPC access check: owner, group or other bits, then capabilities. */
static int kipc_obj_permission(const struct kipc_obj *obj, int acc)
{
	umode_t mode = obj->mode;

	if (uid_eq(current_fsuid(), obj->uid))
		mode >>= 6;
	else if (in_group_p(obj->gid))
		mode >>= 3;
	/* MAY_READ and MAY_WRITE are the r and w bits of a mode triplet */
	if (!(acc & ~mode & (MAY_READ | MAY_WRITE)))
		return 0;
	if (capable(CAP_DAC_OVERRIDE) || capable(CAP_IPC_OWNER))
		return 0;
	return -EACCES;
}

/*
 * kipc_obj_lookup() - find a linked object by name and take a reference
 *
 * Return: the object or NULL.  Lockless.
 */
struct kipc_obj *kipc_obj_lookup(struct kipc_type *type, const char *name)
{
	struct kipc_obj *obj;

	rcu_read_lock();
	obj = rhashtable_lookup(&type->names, name, kipc_names_params);
	if (obj && !refcount_inc_not_zero(&obj->ref))
		obj = NULL;
	rcu_read_unlock();
	return obj;
}

/*
 * kipc_obj_from_kobj() - the object whose sysfs directory is @kobj
 *
 * For the show() methods of per-object files.  Directories exist only while
 * their object is linked, at most one per name, so the name finds it; the
 * kobj comparison rejects a newer object that took the name meanwhile.
 *
 * Return: a referenced object, or NULL when it is being unlinked.
 */
struct kipc_obj *kipc_obj_from_kobj(struct kipc_type *type,
				    struct kobject *kobj)
{
	struct kipc_obj *obj;

	rcu_read_lock();
	obj = rhashtable_lookup(&type->names, kobject_name(kobj),
				kipc_names_params);
	if (obj && (READ_ONCE(obj->kobj) != kobj ||
		    !refcount_inc_not_zero(&obj->ref)))
		obj = NULL;
	rcu_read_unlock();
	return obj;
}

/*
 * Files every object directory has: id, owner, group, mode, handles.  The
 * type is the one whose directory holds @kobj.
 */
static struct kipc_obj *kipc_obj_of_dir(struct kobject *kobj)
{
	u32 id;

	for (id = 0; id < ARRAY_SIZE(kipc_types); id++) {
		struct kipc_type *type = READ_ONCE(kipc_types[id]);

		if (type && kobj->parent == type->dir)
			return kipc_obj_from_kobj(type, kobj);
	}
	return NULL;
}

#define KIPC_OBJ_ATTR(_name, _fmt, _expr)				\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	struct kipc_obj *obj = kipc_obj_of_dir(kobj);			\
	ssize_t ret;							\
									\
	if (!obj)							\
		return -ENOENT;						\
	ret = sysfs_emit(buf, _fmt "\n", _expr);			\
	kipc_obj_put(obj);						\
	return ret;							\
}									\
static struct kobj_attribute kipc_obj_##_name##_attr = __ATTR_RO(_name)

KIPC_OBJ_ATTR(id, "%llu", obj->id);
KIPC_OBJ_ATTR(owner, "%u", from_kuid_munged(&init_user_ns, obj->uid));
KIPC_OBJ_ATTR(group, "%u", from_kgid_munged(&init_user_ns, obj->gid));
KIPC_OBJ_ATTR(mode, "%04o", obj->mode);
KIPC_OBJ_ATTR(handles, "%d", atomic_read(&obj->handles));

static struct attribute *kipc_obj_common_attrs[] = {
	&kipc_obj_id_attr.attr,
	&kipc_obj_owner_attr.attr,
	&kipc_obj_group_attr.attr,
	&kipc_obj_mode_attr.attr,
	&kipc_obj_handles_attr.attr,
	NULL,
};

static const struct attribute_group kipc_obj_common_group = {
	.attrs = kipc_obj_common_attrs,
};

static struct kipc_obj *kipc_obj_alloc(struct kipc_type *type,
				       const char *name, umode_t mode)
{
	size_t len = strlen(name);
	struct kipc_obj *obj;
	char *copy;

	obj = kzalloc(type->obj_size + len + 1, GFP_KERNEL_ACCOUNT);
	if (!obj)
		return NULL;
	obj->user = kipc_user_get(current_fsuid());
	if (!obj->user) {
		kfree(obj);
		return NULL;
	}
	copy = (char *)obj + type->obj_size;
	memcpy(copy, name, len + 1);
	obj->name = copy;
	obj->name_len = len;
	obj->type = type;
	obj->uid = current_fsuid();
	obj->gid = current_fsgid();
	obj->mode = mode & ~current_umask() & 0777;
	atomic_set(&obj->handles, 0);
	return obj;
}

static void kipc_obj_free_unborn(struct kipc_obj *obj)
{
	kipc_user_put(obj->user);
	kfree(obj);
}

/*
 * Create @fresh under @type->lock: check the type's limit, let the type set
 * it up, give it its sysfs directory, then publish the name.
 */
static int kipc_obj_publish(struct kipc_type *type, struct kipc_obj *fresh,
			    const void *attr)
{
	struct kobject *kobj;
	int err;

	lockdep_assert_held(&type->lock);
	if (type->max_objects &&
	    atomic_read(&type->nr_objects) >= READ_ONCE(*type->max_objects))
		return -ENOSPC;
	err = type->create(fresh, attr, fresh->user);
	if (err)
		return err;

	err = -ENOMEM;
	kobj = kobject_create_and_add(fresh->name, type->dir);
	if (!kobj)
		goto err_destroy;
	err = sysfs_create_group(kobj, &kipc_obj_common_group);
	if (err)
		goto err_kobj;
	err = sysfs_create_groups(kobj, type->obj_groups);
	if (err)
		goto err_kobj;

	fresh->id = atomic64_inc_return(&kipc_next_id);
	refcount_set(&fresh->ref, 2);	/* the name and the caller */
	WRITE_ONCE(fresh->kobj, kobj);
	err = rhashtable_insert_fast(&type->names, &fresh->node,
				     kipc_names_params);
	if (err)
		goto err_kobj;
	fresh->linked = true;
	atomic_inc(&type->nr_objects);
	return 0;

err_kobj:
	WRITE_ONCE(fresh->kobj, NULL);
	kipc_kobj_remove(kobj);
err_destroy:
	type->destroy(fresh);
	return err;
}

/*
 * kipc_obj_open() - open or create the object @name of @type
 * @flags:	KIPC_O_* (already validated)
 * @mode:	permission bits for creation
 * @attr:	creation attributes or NULL for defaults
 * @acc:	out: MAY_READ/MAY_WRITE granted
 *
 * Return: a referenced object or an ERR_PTR: -ENOENT, -EEXIST, -EACCES,
 * -ENOSPC (type limit), -ENOMEM or the type's create() error.
 */
struct kipc_obj *kipc_obj_open(struct kipc_type *type, const char *name,
			       u32 flags, umode_t mode, const void *attr,
			       int *acc)
{
	struct kipc_obj *obj, *fresh;
	int err;

	switch (flags & KIPC_O_ACCMODE) {
	case KIPC_O_RDONLY:
		*acc = MAY_READ;
		break;
	case KIPC_O_WRONLY:
		*acc = MAY_WRITE;
		break;
	default:
		*acc = MAY_READ | MAY_WRITE;
		break;
	}

	obj = kipc_obj_lookup(type, name);
	if (obj)
		goto existing;
	if (!(flags & KIPC_O_CREAT))
		return ERR_PTR(-ENOENT);

	/* allocate before taking the lock */
	fresh = kipc_obj_alloc(type, name, mode);
	if (!fresh)
		return ERR_PTR(-ENOMEM);

	mutex_lock(&type->lock);
	obj = rhashtable_lookup_fast(&type->names, name, kipc_names_params);
	if (obj) {
		/* lost a race with another creator; linked, so ref > 0 */
		kipc_obj_get(obj);
		mutex_unlock(&type->lock);
		kipc_obj_free_unborn(fresh);
		goto existing;
	}
	err = kipc_obj_publish(type, fresh, attr);
	mutex_unlock(&type->lock);
	if (err) {
		kipc_obj_free_unborn(fresh);
		return ERR_PTR(err);
	}
	/* as POSIX: the creator gets the access it asked for, whatever mode */
	return fresh;

existing:
	if ((flags & (KIPC_O_CREAT | KIPC_O_EXCL)) ==
	    (KIPC_O_CREAT | KIPC_O_EXCL))
		err = -EEXIST;
	else
		err = kipc_obj_permission(obj, *acc);
	if (err) {
		kipc_obj_put(obj);
		return ERR_PTR(err);
	}
	return obj;
}

/* Remove the name and the directory; @type->lock held. */
static void kipc_obj_unpublish(struct kipc_type *type, struct kipc_obj *obj)
{
	struct kobject *kobj = obj->kobj;

	lockdep_assert_held(&type->lock);
	rhashtable_remove_fast(&type->names, &obj->node, kipc_names_params);
	obj->linked = false;
	WRITE_ONCE(obj->kobj, NULL);
	/* gone now, not at the release: a new object may take the name */
	kipc_kobj_remove(kobj);
}

/*
 * kipc_obj_unlink() - remove the name @name of @type
 *
 * Return: 0, -ENOENT, or -EACCES unless the caller owns the object or has
 * CAP_IPC_OWNER.  Open handles keep working; the object dies with the last.
 */
int kipc_obj_unlink(struct kipc_type *type, const char *name)
{
	struct kipc_obj *obj;

	mutex_lock(&type->lock);
	obj = rhashtable_lookup_fast(&type->names, name, kipc_names_params);
	if (!obj) {
		mutex_unlock(&type->lock);
		return -ENOENT;
	}
	if (!uid_eq(current_euid(), obj->uid) && !capable(CAP_IPC_OWNER)) {
		mutex_unlock(&type->lock);
		return -EACCES;
	}
	kipc_obj_unpublish(type, obj);
	mutex_unlock(&type->lock);
	kipc_obj_put(obj);	/* the name's reference */
	return 0;
}

struct kipc_type *kipc_type_by_id(u32 id)
{
	if (id >= ARRAY_SIZE(kipc_types))
		return NULL;
	return READ_ONCE(kipc_types[id]);
}

int kipc_type_register(struct kipc_type *type)
{
	int err;

	if (WARN_ON(type->id >= ARRAY_SIZE(kipc_types) ||
		    kipc_types[type->id]))
		return -EINVAL;
	mutex_init(&type->lock);
	atomic_set(&type->nr_objects, 0);
	err = rhashtable_init(&type->names, &kipc_names_params);
	if (err)
		return err;
	type->dir = kobject_create_and_add(type->name, kipc_kobj);
	if (!type->dir) {
		rhashtable_destroy(&type->names);
		return -ENOMEM;
	}
	WRITE_ONCE(kipc_types[type->id], type);
	return 0;
}

static void kipc_obj_unlink_at_exit(void *ptr, void *arg)
{
	struct kipc_obj *obj = ptr;
	struct kobject *kobj = obj->kobj;

	obj->linked = false;
	WRITE_ONCE(obj->kobj, NULL);
	kipc_kobj_remove(kobj);
	kipc_obj_put(obj);
}

/*
 * Module exit: no file is open (the module would be busy) and kernel users
 * are stopped, so the names hold the last references and unlinking frees
 * every object.
 */
void kipc_type_unregister(struct kipc_type *type)
{
	mutex_lock(&type->lock);
	rhashtable_free_and_destroy(&type->names, kipc_obj_unlink_at_exit,
				    NULL);
	mutex_unlock(&type->lock);
	WARN_ON(atomic_read(&type->nr_objects));
	WRITE_ONCE(kipc_types[type->id], NULL);
	kipc_kobj_remove(type->dir);
}
