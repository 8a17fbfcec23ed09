// SPDX-License-Identifier: GPL-2.0
/*
 * Recycled message buffers.  A message used to cost a slab allocation, its
 * zeroing (init_on_alloc, on by default in Debian's kernels), its memcg
 * charge and a kfree: more than the rest of a send and receive together
 * (kipc-bench's send+receive test; pipes, which reuse their pages, are the
 * fast baseline for the same reason).  A queue now keeps the buffers its
 * receivers are done with and gives them to the next senders.
 *
 * Which buffers: full-size ones (room for msgsize bytes).  A queue of
 * small messages (msgsize <= KIPC_MQ_CACHE_SMALL) always uses them; a
 * queue of large ones uses them for messages over half of msgsize, and
 * allocates smaller messages to fit (so a 16-byte message in a 64 KiB
 * queue does not take 64 KiB).
 *
 * How many: buffers held in the cache plus messages queued stay at most
 * cache_max (checked with a racy peek at the queue's count, which can let
 * one more in), which is maxmsg plus a reserve, both charged to the
 * creator at creation (kipc_mq_charge_bytes()).  An idle queue keeps its
 * buffers until it is destroyed: that memory is already reserved.
 *
 * Why a reserve: a stream of batches has three sets of buffers in use at
 * once, the queue's, the batch a sender is filling and the batch a
 * receiver is copying out.  Streaming 64-byte messages in batches of 64
 * through a 64-slot queue, 42% of them were fresh allocations (and as
 * many buffers were freed) with the cache bounded by maxmsg; with room
 * for two batches more, none were after the first fill.  So the reserve
 * is two batches, 2 * min(maxmsg, 64) buffers, for queues of messages up
 * to KIPC_MQ_RESERVE_MSGSIZE bytes only: there allocation is most of a
 * message's cost, and the reserve costs at most 128 buffers of 256 bytes
 * plus a header, about 38 KiB.
 *
 * A recycled buffer is not zeroed: only the bytes a sender copied in are
 * ever read back (msg->len of them), as with a pipe's reused page.
 */
#include <linux/overflow.h>
#include <linux/slab.h>
#include "mq.h"

#define KIPC_MQ_CACHE_SMALL	1024
#define KIPC_MQ_RESERVE_MSGSIZE	256
#define KIPC_MQ_RESERVE_BATCH	64

/* Should a @len-byte message of @mq live in a full-size buffer? */
static bool kipc_mq_full_size(const struct kipc_mq *mq, size_t len)
{
	return mq->msgsize <= KIPC_MQ_CACHE_SMALL || len > mq->msgsize / 2;
}

/*
 * kipc_mq_cache_take() - up to @n cached buffers into @out[], under one
 * hold of the cache lock.  Return: how many (0 when the cache is empty).
 */
unsigned int kipc_mq_cache_take(struct kipc_mq *mq, struct kipc_mq_msg **out,
				unsigned int n)
{
	struct kipc_mq_msg *msg;
	unsigned int i = 0;

	/* lockless peek: an empty cache (the common cold case) costs nothing */
	if (!data_race(READ_ONCE(mq->nr_cached)))
		return 0;
	spin_lock(&mq->cache_lock);
	for (msg = mq->cache; i < n && msg; msg = msg->next_free)
		out[i++] = msg;
	mq->cache = msg;
	mq->nr_cached -= i;
	spin_unlock(&mq->cache_lock);
	return i;
}

/*
 * kipc_mq_msg_new() - a message for @len bytes (@len <= msgsize): @buf
 * when the caller took one from the cache (NULL otherwise), else a new
 * one, full-size or fitted as the policy above says.  Return: the message
 * with len set and prio 0, or NULL (-ENOMEM).
 */
struct kipc_mq_msg *kipc_mq_msg_new(struct kipc_mq *mq, size_t len,
				    struct kipc_mq_msg *buf)
{
	if (!buf)
		buf = kipc_mq_msg_alloc(kipc_mq_full_size(mq, len) ?
					mq->msgsize : len);
	if (!buf)
		return NULL;
	buf->len = len;
	buf->prio = 0;
	return buf;
}

/* One message for @len bytes, from the cache when it has one. */
struct kipc_mq_msg *kipc_mq_msg_get(struct kipc_mq *mq, size_t len)
{
	struct kipc_mq_msg *buf = NULL;

	if (kipc_mq_full_size(mq, len))
		kipc_mq_cache_take(mq, &buf, 1);
	return kipc_mq_msg_new(mq, len, buf);
}

/*
 * kipc_mq_msgs_put() - done with @msgs[0..@n) (not queued, not on any
 * list): full-size ones go back to the cache while it has room, under one
 * hold of the cache lock; the rest are freed after it (vfree may sleep).
 * The array's contents are reused for that.
 */
void kipc_mq_msgs_put(struct kipc_mq *mq, struct kipc_mq_msg **msgs,
		      unsigned int n)
{
	unsigned int i, nfree = 0;

	if (!n)
		return;
	spin_lock(&mq->cache_lock);
	for (i = 0; i < n; i++) {
		long queued;

		/* racy peek at the queue's count: one too many at worst */
		queued = data_race(READ_ONCE(mq->tree.count));
		if (msgs[i]->cap == mq->msgsize &&
		    mq->nr_cached + queued < mq->cache_max) {
			/* LIFO: the next sender gets a buffer still in cache */
			msgs[i]->next_free = mq->cache;
			mq->cache = msgs[i];
			mq->nr_cached++;
		} else {
			msgs[nfree++] = msgs[i];
		}
	}
	spin_unlock(&mq->cache_lock);
	while (nfree)
		kipc_mq_msg_free(msgs[--nfree]);
}

void kipc_mq_msg_put(struct kipc_mq *mq, struct kipc_mq_msg *msg)
{
	kipc_mq_msgs_put(mq, &msg, 1);
}

/*
 * kipc_mq_cache_reserve() - recycled buffers a queue of @maxmsg messages of
 * @msgsize bytes (both valid, see kipc_mq_attr_check()) may keep on top of
 * maxmsg: two batches for small messages, none for larger ones.
 */
long kipc_mq_cache_reserve(s64 maxmsg, s64 msgsize)
{
	if (msgsize > KIPC_MQ_RESERVE_MSGSIZE)
		return 0;
	return 2 * min_t(s64, maxmsg, KIPC_MQ_RESERVE_BATCH);
}

/*
 * kipc_mq_charge_bytes() - what creating the queue charges its creator:
 * kipc_mq_attr_bytes() plus the buffers of the reserve.
 *
 * Return: 0 with *@bytes set, or -EINVAL as kipc_mq_attr_bytes().
 */
int kipc_mq_charge_bytes(s64 maxmsg, s64 msgsize, u64 *bytes)
{
	u64 reserve;
	int err;

	err = kipc_mq_attr_bytes(maxmsg, msgsize, bytes);
	if (err)
		return err;
	/* msgsize is at most KIPC_MQ_RESERVE_MSGSIZE when this is not 0 */
	reserve = kipc_mq_cache_reserve(maxmsg, msgsize) *
		  (sizeof(struct kipc_mq_msg) + msgsize);
	if (check_add_overflow(*bytes, reserve, bytes))
		return -EINVAL;
	return 0;
}

/* @mq's maxmsg and msgsize are set. */
void kipc_mq_cache_init(struct kipc_mq *mq)
{
	mq->cache_max = mq->maxmsg +
			kipc_mq_cache_reserve(mq->maxmsg, mq->msgsize);
	spin_lock_init(&mq->cache_lock);
	mq->cache = NULL;
	mq->nr_cached = 0;
}

/* Free every cached buffer: the queue is being destroyed. */
void kipc_mq_cache_purge(struct kipc_mq *mq)
{
	struct kipc_mq_msg *msg;

	while ((msg = mq->cache)) {
		mq->cache = msg->next_free;
		kipc_mq_msg_free(msg);
	}
	mq->nr_cached = 0;
}
