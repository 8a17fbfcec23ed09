// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/kipc: the misc device.  Each open file starts unbound; KIPC_IOC_OPEN
 * binds it once to a named object, after which the file operations go to
 * the object's type.  Device-level commands (open, unlink, info) are here;
 * everything else is the type's.
 */
#include <linux/compat.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "kipc.h"

/* Largest creation attribute structure of any type. */
#define KIPC_ATTR_MAX	64

static ushort device_mode = 0666;
module_param(device_mode, ushort, 0444);
MODULE_PARM_DESC(device_mode,
		 "Permission bits of /dev/kipc (default 0666: objects carry their own permissions)");

static atomic_long_t kipc_files_open = ATOMIC_LONG_INIT(0);
static atomic64_t kipc_binds = ATOMIC64_INIT(0);

static int kipc_dev_open(struct inode *inode, struct file *file)
{
	struct kipc_file *kf;

	kf = kzalloc(sizeof(*kf), GFP_KERNEL_ACCOUNT);
	if (!kf)
		return -ENOMEM;
	kf->file = file;
	mutex_init(&kf->bind_lock);
	file->private_data = kf;
	atomic_long_inc(&kipc_files_open);
	return 0;
}

static int kipc_dev_release(struct inode *inode, struct file *file)
{
	struct kipc_file *kf = file->private_data;
	const struct kipc_type *type = kipc_file_type(kf);

	if (type) {
		if (type->release)
			type->release(kf);
		atomic_dec(&kf->obj->handles);
		kipc_obj_put(kf->obj);
	}
	mutex_destroy(&kf->bind_lock);
	kfree(kf);
	atomic_long_dec(&kipc_files_open);
	return 0;
}

/* Copy and check the name of @args into @name (KIPC_NAME_MAX + 1 bytes). */
static int kipc_copy_name(const struct kipc_open *args, char *name)
{
	if (!args->name_len)
		return -EINVAL;
	if (args->name_len > KIPC_NAME_MAX)
		return -ENAMETOOLONG;
	if (copy_from_user(name, u64_to_user_ptr(args->name), args->name_len))
		return -EFAULT;
	name[args->name_len] = '\0';
	return kipc_name_check(name, args->name_len);
}

static int kipc_bind(struct kipc_file *kf, struct kipc_type *type,
		     const char *name, const struct kipc_open *args,
		     const void *attr)
{
	struct file *file = kf->file;
	struct kipc_obj *obj;
	void *priv = NULL;
	int acc, err;

	/* before the object exists: nothing may fail after it was made */
	if (type->priv_size) {
		priv = kzalloc(type->priv_size, GFP_KERNEL_ACCOUNT);
		if (!priv)
			return -ENOMEM;
	}
	mutex_lock(&kf->bind_lock);
	if (kf->type) {
		err = -EBUSY;
		goto out;
	}
	obj = kipc_obj_open(type, name, args->flags, args->mode, attr, &acc);
	if (IS_ERR(obj)) {
		err = PTR_ERR(obj);
		goto out;
	}
	kf->obj = obj;
	kf->acc = acc;
	kf->flags = args->flags;
	kf->priv = priv;
	if (type->open) {
		err = type->open(kf);
		if (WARN_ON_ONCE(err)) {
			kf->obj = NULL;
			kf->priv = NULL;
			kipc_obj_put(obj);
			goto out;
		}
	}
	priv = NULL;
	atomic_inc(&obj->handles);
	if (args->flags & KIPC_O_NONBLOCK) {
		spin_lock(&file->f_lock);
		file->f_flags |= O_NONBLOCK;
		spin_unlock(&file->f_lock);
	}
	atomic64_inc(&kipc_binds);
	/* publish: readers of kf->type see obj, acc and priv set */
	smp_store_release(&kf->type, type);
	err = 0;
out:
	mutex_unlock(&kf->bind_lock);
	kfree(priv);
	return err;
}

static long kipc_ioctl_open(struct kipc_file *kf, void __user *uarg)
{
	u8 attr[KIPC_ATTR_MAX] __aligned(8);
	char name[KIPC_NAME_MAX + 1];
	struct kipc_open args;
	struct kipc_type *type;
	u32 allowed;
	int err;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	type = kipc_type_by_id(args.type);
	if (!type || args.__pad)
		return -EINVAL;
	allowed = KIPC_O_ACCMODE | KIPC_O_CREAT | KIPC_O_EXCL |
		  KIPC_O_NONBLOCK | type->flags_ok;
	if ((args.flags & ~allowed) ||
	    (args.flags & KIPC_O_ACCMODE) == KIPC_O_ACCMODE ||
	    args.mode & ~0777U)
		return -EINVAL;
	err = kipc_copy_name(&args, name);
	if (err)
		return err;
	if (args.attr) {
		if (!type->attr_size || type->attr_size > sizeof(attr))
			return -EINVAL;
		err = copy_struct_from_user(attr, type->attr_size,
					    u64_to_user_ptr(args.attr),
					    args.attr_size);
		if (err)
			return err;
	} else if (args.attr_size) {
		return -EINVAL;
	}
	return kipc_bind(kf, type, name, &args, args.attr ? attr : NULL);
}

static long kipc_ioctl_unlink(void __user *uarg)
{
	char name[KIPC_NAME_MAX + 1];
	struct kipc_open args;
	struct kipc_type *type;
	int err;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	type = kipc_type_by_id(args.type);
	if (!type || args.flags || args.mode || args.attr || args.attr_size ||
	    args.__pad)
		return -EINVAL;
	err = kipc_copy_name(&args, name);
	if (err)
		return err;
	return kipc_obj_unlink(type, name);
}

static long kipc_ioctl_info(struct kipc_file *kf, void __user *uarg)
{
	const struct kipc_type *type = kipc_file_type(kf);
	struct kipc_info info;
	struct kipc_obj *obj;

	if (!type)
		return -EBADF;
	obj = kf->obj;
	memset(&info, 0, sizeof(info));
	info.type = type->id;
	info.flags = kf->flags & ~KIPC_O_NONBLOCK;
	if (kipc_file_nonblock(kf))
		info.flags |= KIPC_O_NONBLOCK;
	info.uid = from_kuid_munged(current_user_ns(), obj->uid);
	info.gid = from_kgid_munged(current_user_ns(), obj->gid);
	info.mode = obj->mode;
	info.linked = READ_ONCE(obj->linked);
	info.id = obj->id;
	memcpy(info.name, obj->name, obj->name_len + 1);
	if (copy_to_user(uarg, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

/* Is @nr the number of some type's command? Then a wrong file is EBADF. */
static bool kipc_ioc_is_typed(unsigned int nr)
{
	u32 id;

	for (id = KIPC_TYPE_MQ; id <= KIPC_TYPE_SHM; id++) {
		const struct kipc_type *t = kipc_type_by_id(id);

		if (t && nr >= t->ioc_first && nr <= t->ioc_last)
			return true;
	}
	return false;
}

static long kipc_dev_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct kipc_file *kf = file->private_data;
	void __user *uarg = (void __user *)arg;
	const struct kipc_type *type;
	unsigned int nr = _IOC_NR(cmd);

	switch (cmd) {
	case KIPC_IOC_OPEN:
		return kipc_ioctl_open(kf, uarg);
	case KIPC_IOC_UNLINK:
		return kipc_ioctl_unlink(uarg);
	case KIPC_IOC_INFO:
		return kipc_ioctl_info(kf, uarg);
	}
	if (_IOC_TYPE(cmd) != KIPC_IOC_MAGIC)
		return -ENOTTY;
	/* worker pools: device-level, on any file */
	if (nr >= KIPC_WORKER_IOC_FIRST && nr <= KIPC_WORKER_IOC_LAST)
		return kipc_worker_ioctl(cmd, uarg);
	type = kipc_file_type(kf);
	if (type && type->ioctl && nr >= type->ioc_first &&
	    nr <= type->ioc_last)
		return type->ioctl(kf, cmd, uarg);
	return kipc_ioc_is_typed(nr) ? -EBADF : -ENOTTY;
}

static ssize_t kipc_dev_read(struct file *file, char __user *buf, size_t len,
			     loff_t *ppos)
{
	struct kipc_file *kf = file->private_data;
	const struct kipc_type *type = kipc_file_type(kf);

	if (!type)
		return -EBADF;
	if (!type->read)
		return -EINVAL;
	return type->read(kf, buf, len, ppos);
}

static ssize_t kipc_dev_write(struct file *file, const char __user *buf,
			      size_t len, loff_t *ppos)
{
	struct kipc_file *kf = file->private_data;
	const struct kipc_type *type = kipc_file_type(kf);

	if (!type)
		return -EBADF;
	if (!type->write)
		return -EINVAL;
	return type->write(kf, buf, len, ppos);
}

static __poll_t kipc_dev_poll(struct file *file, poll_table *pt)
{
	struct kipc_file *kf = file->private_data;
	const struct kipc_type *type = kipc_file_type(kf);

	if (!type || !type->poll)
		return EPOLLERR;
	return type->poll(kf, pt);
}

static int kipc_dev_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct kipc_file *kf = file->private_data;
	const struct kipc_type *type = kipc_file_type(kf);

	if (!type || !type->mmap)
		return -ENODEV;
	return type->mmap(kf, vma);
}

static void kipc_dev_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct kipc_file *kf = file->private_data;
	const struct kipc_type *type = kipc_file_type(kf);

	if (!type) {
		seq_puts(m, "kipc-type:\tnone\n");
		return;
	}
	seq_printf(m, "kipc-type:\t%s\nkipc-name:\t%s\nkipc-id:\t%llu\n",
		   type->name, kf->obj->name, kf->obj->id);
	if (type->show_fdinfo)
		type->show_fdinfo(kf, m);
}

static const struct file_operations kipc_fops = {
	.owner		= THIS_MODULE,
	.open		= kipc_dev_open,
	.release	= kipc_dev_release,
	.unlocked_ioctl	= kipc_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.read		= kipc_dev_read,
	.write		= kipc_dev_write,
	.poll		= kipc_dev_poll,
	.mmap		= kipc_dev_mmap,
	.show_fdinfo	= kipc_dev_show_fdinfo,
	.llseek		= default_llseek,
};

static struct miscdevice kipc_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "kipc",
	.fops	= &kipc_fops,
};

static ssize_t files_open_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&kipc_files_open));
}

static ssize_t binds_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%lld\n", atomic64_read(&kipc_binds));
}

static struct kobj_attribute kipc_files_open_attr = __ATTR_RO(files_open);
static struct kobj_attribute kipc_binds_attr = __ATTR_RO(binds);

static struct attribute *kipc_dev_stats_attrs[] = {
	&kipc_files_open_attr.attr,
	&kipc_binds_attr.attr,
	NULL,
};

static const struct attribute_group kipc_dev_stats_group = {
	.attrs = kipc_dev_stats_attrs,
};

int kipc_dev_init(void)
{
	int err;

	if (device_mode & ~0666) {
		pr_err("device_mode %#o: only read and write bits are allowed\n",
		       device_mode);
		return -EINVAL;
	}
	kipc_misc.mode = device_mode;
	err = sysfs_create_group(kipc_stats_kobj, &kipc_dev_stats_group);
	if (err)
		return err;
	err = misc_register(&kipc_misc);
	if (err)
		sysfs_remove_group(kipc_stats_kobj, &kipc_dev_stats_group);
	return err;
}

void kipc_dev_exit(void)
{
	misc_deregister(&kipc_misc);
	sysfs_remove_group(kipc_stats_kobj, &kipc_dev_stats_group);
}
