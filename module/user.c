// SPDX-License-Identifier: GPL-2.0
/*
 * Per-user accounting: how many objects and bytes each uid has created, so
 * that the per-user limits in /sys/kernel/kipc/limits/ can be enforced the
 * way RLIMIT_MSGQUEUE is for POSIX queues.  A struct kipc_user lives while
 * any object charged to it lives.
 */
#include <linux/hashtable.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kipc.h"

/**
 * struct kipc_user - what one uid holds
 * @node:	in kipc_users; kipc_users_lock
 * @uid:	the user
 * @ref:	objects charged to the user plus transient lookups;
 *		drops to zero under kipc_users_lock
 * @usage:	per resource; updated with cmpxchg, no lock
 */
struct kipc_user {
	struct hlist_node node;
	kuid_t uid;
	refcount_t ref;
	atomic64_t usage[KIPC_RES_NR];
};

static DEFINE_HASHTABLE(kipc_users, 6);
static DEFINE_SPINLOCK(kipc_users_lock);

static struct kipc_user *kipc_user_find(kuid_t uid)
{
	struct kipc_user *u;

	lockdep_assert_held(&kipc_users_lock);
	hash_for_each_possible(kipc_users, u, node, __kuid_val(uid))
		if (uid_eq(u->uid, uid))
			return u;
	return NULL;
}

/*
 * kipc_user_get() - the accounting record of @uid, created on first use
 *
 * Return: a referenced record, or NULL when out of memory.
 */
struct kipc_user *kipc_user_get(kuid_t uid)
{
	struct kipc_user *u, *fresh;

	spin_lock(&kipc_users_lock);
	u = kipc_user_find(uid);
	if (u)
		refcount_inc(&u->ref);
	spin_unlock(&kipc_users_lock);
	if (u)
		return u;

	/* allocate outside the spinlock, then look again */
	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL_ACCOUNT);
	if (!fresh)
		return NULL;
	fresh->uid = uid;
	refcount_set(&fresh->ref, 1);

	spin_lock(&kipc_users_lock);
	u = kipc_user_find(uid);
	if (u) {
		refcount_inc(&u->ref);
	} else {
		hash_add(kipc_users, &fresh->node, __kuid_val(uid));
		u = fresh;
		fresh = NULL;
	}
	spin_unlock(&kipc_users_lock);
	kfree(fresh);
	return u;
}

void kipc_user_put(struct kipc_user *user)
{
	/* refcount_dec_and_lock(), spelled out so sparse can follow it */
	if (!user || refcount_dec_not_one(&user->ref))
		return;
	spin_lock(&kipc_users_lock);
	if (refcount_dec_and_test(&user->ref))
		hash_del(&user->node);
	else
		user = NULL;
	spin_unlock(&kipc_users_lock);
	kfree(user);
}

/*
 * kipc_user_charge() - add @n units of @res to @user unless past @limit
 *
 * Return: 0, or -EMFILE when the charge would pass @limit (the errno POSIX
 * queues give at RLIMIT_MSGQUEUE); nothing is charged then.
 */
int kipc_user_charge(struct kipc_user *user, enum kipc_res res, u64 n,
		     u64 limit)
{
	atomic64_t *v = &user->usage[res];
	s64 old = atomic64_read(v);

	do {
		if (n > limit || (u64)old > limit - n)
			return -EMFILE;
	} while (!atomic64_try_cmpxchg(v, &old, old + n));
	return 0;
}

void kipc_user_uncharge(struct kipc_user *user, enum kipc_res res, u64 n)
{
	WARN_ON_ONCE(atomic64_sub_return(n, &user->usage[res]) < 0);
}

u64 kipc_user_usage(struct kipc_user *user, enum kipc_res res)
{
	return atomic64_read(&user->usage[res]);
}

int kipc_user_init(void)
{
	return 0;
}

/* Every object is gone by now, so every record must be too. */
void kipc_user_exit(void)
{
	WARN_ON(!hash_empty(kipc_users));
}
