// SPDX-License-Identifier: GPL-2.0
/*
 * Messages of a queue and the pure logic around them: the priority tree
 * (highest priority first, FIFO within a priority) and the size arithmetic
 * of queue attributes.  Nothing here locks, sleeps on user memory or knows
 * about files, so the KUnit tests can call all of it directly.
 */
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "mq.h"

/*
 * kipc_mq_msg_alloc() - a message with room for @len payload bytes
 *
 * Charged to the caller's memory cgroup.  Up to the largest kmalloc cache
 * it comes from the slab; above, from vmalloc, which rounds to pages
 * rather than to a power of two (kvmalloc would take an order-5 block,
 * 128 KiB zeroed, for one 64 KiB message, twice what the queue's
 * creator was charged for it).
 */
struct kipc_mq_msg *kipc_mq_msg_alloc(size_t len)
{
	struct kipc_mq_msg *msg;
	size_t size = struct_size(msg, data, len);

	if (size <= KMALLOC_MAX_CACHE_SIZE)
		msg = kmalloc(size, GFP_KERNEL_ACCOUNT);
	else
		msg = __vmalloc(size, GFP_KERNEL_ACCOUNT);
	if (!msg)
		return NULL;
	INIT_LIST_HEAD(&msg->list);
	msg->len = len;
	msg->cap = len;
	msg->prio = 0;
	return msg;
}

void kipc_mq_msg_free(struct kipc_mq_msg *msg)
{
	kvfree(msg);
}

void kipc_mq_tree_init(struct kipc_mq_tree *t)
{
	t->root = RB_ROOT;
	t->rightmost = NULL;
	t->count = 0;
	t->bytes = 0;
}

/*
 * kipc_mq_tree_insert() - add @msg behind the messages of its priority
 * @spare:	a preallocated node, used (and set to NULL) when @msg's
 *		priority has no node yet
 *
 * Return: 0, or -ENOMEM when a node is needed and *@spare is NULL (nothing
 * changed then).
 */
static int kipc_mq_tree_add(struct kipc_mq_tree *t, struct kipc_mq_msg *msg,
			    struct kipc_mq_prio **spare, bool front)
{
	struct rb_node **p = &t->root.rb_node, *parent = NULL;
	struct kipc_mq_prio *leaf;
	bool rightmost = true;

	while (*p) {
		parent = *p;
		leaf = rb_entry(parent, struct kipc_mq_prio, node);
		if (leaf->prio == msg->prio)
			goto found;
		if (msg->prio < leaf->prio) {
			p = &parent->rb_left;
			rightmost = false;
		} else {
			p = &parent->rb_right;
		}
	}
	leaf = *spare;
	if (!leaf)
		return -ENOMEM;
	*spare = NULL;
	leaf->prio = msg->prio;
	INIT_LIST_HEAD(&leaf->msgs);
	rb_link_node(&leaf->node, parent, p);
	rb_insert_color(&leaf->node, &t->root);
	if (rightmost)
		t->rightmost = &leaf->node;
found:
	if (front)
		list_add(&msg->list, &leaf->msgs);
	else
		list_add_tail(&msg->list, &leaf->msgs);
	t->count++;
	t->bytes += msg->len;
	return 0;
}

int kipc_mq_tree_insert(struct kipc_mq_tree *t, struct kipc_mq_msg *msg,
			struct kipc_mq_prio **spare)
{
	return kipc_mq_tree_add(t, msg, spare, false);
}

/*
 * kipc_mq_tree_insert_front() - as kipc_mq_tree_insert(), but in front of
 * the messages of its priority: puts back a message taken too early.
 */
int kipc_mq_tree_insert_front(struct kipc_mq_tree *t, struct kipc_mq_msg *msg,
			      struct kipc_mq_prio **spare)
{
	return kipc_mq_tree_add(t, msg, spare, true);
}

/*
 * kipc_mq_tree_pop() - take the oldest message of the highest priority
 * @spare:	receives the emptied node when *@spare is NULL (kept for the
 *		next insert); otherwise the node is freed
 *
 * Return: the message, or NULL when the tree is empty.
 */
struct kipc_mq_msg *kipc_mq_tree_pop(struct kipc_mq_tree *t,
				     struct kipc_mq_prio **spare)
{
	struct kipc_mq_prio *leaf;
	struct kipc_mq_msg *msg;
	struct rb_node *parent;

	parent = t->rightmost;
	if (!parent)
		return NULL;
	leaf = rb_entry(parent, struct kipc_mq_prio, node);
	msg = list_first_entry(&leaf->msgs, struct kipc_mq_msg, list);
	list_del_init(&msg->list);
	if (list_empty(&leaf->msgs)) {
		t->rightmost = rb_prev(parent);
		rb_erase(parent, &t->root);
		if (*spare)
			kfree(leaf);	/* kfree does not sleep */
		else
			*spare = leaf;
	}
	t->count--;
	t->bytes -= msg->len;
	return msg;
}

/* Free every message and node: the queue is being destroyed. */
void kipc_mq_tree_purge(struct kipc_mq_tree *t)
{
	struct kipc_mq_prio *spare = NULL;
	struct kipc_mq_msg *msg;

	while ((msg = kipc_mq_tree_pop(t, &spare)))
		kipc_mq_msg_free(msg);
	kfree(spare);
}

/*
 * kipc_mq_attr_bytes() - memory a queue of @maxmsg messages of @msgsize
 * bytes may pin: the payloads plus the message headers plus one priority
 * node per message (as ipc/mqueue.c reserves against RLIMIT_MSGQUEUE)
 *
 * Return: 0 with *@bytes set, or -EINVAL for non-positive sizes or when the
 * arithmetic overflows.
 */
int kipc_mq_attr_bytes(s64 maxmsg, s64 msgsize, u64 *bytes)
{
	u64 payload, overhead, hdr;

	if (maxmsg <= 0 || msgsize <= 0)
		return -EINVAL;
	hdr = sizeof(struct kipc_mq_msg) + sizeof(struct kipc_mq_prio);
	if (check_mul_overflow((u64)maxmsg, (u64)msgsize, &payload) ||
	    check_mul_overflow((u64)maxmsg, hdr, &overhead) ||
	    check_add_overflow(payload, overhead, bytes))
		return -EINVAL;
	return 0;
}

/*
 * kipc_mq_attr_check() - are @maxmsg and @msgsize acceptable creation
 * attributes under the given limits?
 *
 * Return: 0 or -EINVAL (zero, negative, above a limit, or overflowing).
 */
int kipc_mq_attr_check(s64 maxmsg, s64 msgsize, u64 maxmsg_max,
		       u64 msgsize_max)
{
	u64 bytes;

	if (maxmsg <= 0 || msgsize <= 0)
		return -EINVAL;
	if ((u64)maxmsg > maxmsg_max || (u64)msgsize > msgsize_max)
		return -EINVAL;
	return kipc_mq_attr_bytes(maxmsg, msgsize, &bytes);
}
