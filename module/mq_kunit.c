// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the message queue's pure logic (mq_msg.c, mq_cache.c):
 * the priority tree (highest priority first, FIFO within a priority, the
 * spare node), the attribute arithmetic with its overflow edges, and the
 * bound on recycled buffers.  #included by
 * kipc_kunit.c, like the other files under test.
 */
#include <kunit/test.h>
#include "mq_msg.c"
#include "mq_cache.c"

static struct kipc_mq_msg *kipc_mq_test_msg(struct kunit *test,
					    unsigned int prio, u32 id)
{
	struct kipc_mq_msg *m = kipc_mq_msg_alloc(sizeof(id));

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->prio = prio;
	memcpy(m->data, &id, sizeof(id));
	return m;
}

static u32 kipc_mq_test_id(const struct kipc_mq_msg *m)
{
	u32 id;

	memcpy(&id, m->data, sizeof(id));
	return id;
}

static void kipc_mq_tree_order(struct kunit *test)
{
	static const unsigned int prios[] = { 3, 1, 3, 7, 0, 7, 1, 32767, 3 };
	/* ids (indexes above) in the order they must come out */
	static const u32 expect[] = { 7, 3, 5, 0, 2, 8, 1, 6, 4 };
	struct kipc_mq_prio *spare = NULL;
	struct kipc_mq_tree t;
	struct kipc_mq_msg *m;
	size_t i;

	kipc_mq_tree_init(&t);
	for (i = 0; i < ARRAY_SIZE(prios); i++) {
		if (!spare)
			spare = kzalloc(sizeof(*spare), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, spare);
		m = kipc_mq_test_msg(test, prios[i], i);
		KUNIT_ASSERT_EQ(test, 0, kipc_mq_tree_insert(&t, m, &spare));
	}
	KUNIT_EXPECT_EQ(test, (long)ARRAY_SIZE(prios), t.count);
	KUNIT_EXPECT_EQ(test, (u64)(ARRAY_SIZE(prios) * sizeof(u32)), t.bytes);
	for (i = 0; i < ARRAY_SIZE(expect); i++) {
		m = kipc_mq_tree_pop(&t, &spare);
		KUNIT_ASSERT_NOT_NULL(test, m);
		KUNIT_EXPECT_EQ_MSG(test, expect[i], kipc_mq_test_id(m),
				    "pop #%zu", i);
		KUNIT_EXPECT_EQ(test, prios[expect[i]], m->prio);
		kipc_mq_msg_free(m);
	}
	KUNIT_EXPECT_NULL(test, kipc_mq_tree_pop(&t, &spare));
	KUNIT_EXPECT_EQ(test, 0L, t.count);
	KUNIT_EXPECT_EQ(test, 0ULL, t.bytes);
	kfree(spare);
}

static void kipc_mq_tree_spare(struct kunit *test)
{
	struct kipc_mq_prio *spare = NULL;
	struct kipc_mq_msg *a, *b, *m;
	struct kipc_mq_tree t;

	kipc_mq_tree_init(&t);
	a = kipc_mq_test_msg(test, 5, 1);
	/* a new priority needs a node: without one nothing changes */
	KUNIT_EXPECT_EQ(test, -ENOMEM, kipc_mq_tree_insert(&t, a, &spare));
	KUNIT_EXPECT_EQ(test, 0L, t.count);
	KUNIT_EXPECT_NULL(test, kipc_mq_tree_pop(&t, &spare));

	spare = kzalloc(sizeof(*spare), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, spare);
	KUNIT_EXPECT_EQ(test, 0, kipc_mq_tree_insert(&t, a, &spare));
	KUNIT_EXPECT_NULL(test, spare);		/* consumed */
	/* the same priority needs no node */
	b = kipc_mq_test_msg(test, 5, 2);
	KUNIT_EXPECT_EQ(test, 0, kipc_mq_tree_insert(&t, b, &spare));

	m = kipc_mq_tree_pop(&t, &spare);
	KUNIT_EXPECT_PTR_EQ(test, a, m);
	KUNIT_EXPECT_NULL(test, spare);		/* node still in use */
	kipc_mq_msg_free(m);
	m = kipc_mq_tree_pop(&t, &spare);
	KUNIT_EXPECT_PTR_EQ(test, b, m);
	KUNIT_EXPECT_NOT_NULL(test, spare);	/* emptied node kept */
	kipc_mq_msg_free(m);
	kfree(spare);
}

/* Messages taken too early go back in front of their priority, in order. */
static void kipc_mq_tree_put_back(struct kunit *test)
{
	static const u32 expect[] = { 2, 1, 0, 3, 4 };
	struct kipc_mq_prio *spare = NULL;
	struct kipc_mq_msg *m, *taken[2];
	struct kipc_mq_tree t;
	size_t i;

	kipc_mq_tree_init(&t);
	for (i = 0; i < 5; i++) {
		if (!spare)
			spare = kzalloc(sizeof(*spare), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, spare);
		/* ids 0..2 at priority 9, 3..4 at priority 1 */
		m = kipc_mq_test_msg(test, i < 3 ? 9 : 1, i);
		KUNIT_ASSERT_EQ(test, 0, kipc_mq_tree_insert(&t, m, &spare));
	}
	taken[0] = kipc_mq_tree_pop(&t, &spare);	/* id 0 */
	taken[1] = kipc_mq_tree_pop(&t, &spare);	/* id 1 */
	KUNIT_ASSERT_NOT_NULL(test, taken[1]);
	/* put back the later one first, so the earlier ends up in front */
	KUNIT_EXPECT_EQ(test, 0, kipc_mq_tree_insert_front(&t, taken[1], &spare));
	m = kipc_mq_tree_pop(&t, &spare);		/* id 1 again */
	KUNIT_EXPECT_EQ(test, 1U, kipc_mq_test_id(m));
	/* now id 2 is first; put back 1 then 0 in front of it... */
	KUNIT_EXPECT_EQ(test, 0, kipc_mq_tree_insert_front(&t, m, &spare));
	KUNIT_EXPECT_EQ(test, 0, kipc_mq_tree_insert_front(&t, taken[0], &spare));
	/* ...which gives 0 1 2; take 0 and 1 to check, then rebuild 2 1 0 */
	m = kipc_mq_tree_pop(&t, &spare);
	KUNIT_EXPECT_EQ(test, 0U, kipc_mq_test_id(m));
	taken[0] = m;
	m = kipc_mq_tree_pop(&t, &spare);
	KUNIT_EXPECT_EQ(test, 1U, kipc_mq_test_id(m));
	taken[1] = m;
	m = kipc_mq_tree_pop(&t, &spare);
	KUNIT_EXPECT_EQ(test, 2U, kipc_mq_test_id(m));
	/* the priority's node emptied: putting back needs the spare node */
	KUNIT_EXPECT_EQ(test, 0, kipc_mq_tree_insert_front(&t, taken[0], &spare));
	KUNIT_EXPECT_EQ(test, 0, kipc_mq_tree_insert_front(&t, taken[1], &spare));
	KUNIT_EXPECT_EQ(test, 0, kipc_mq_tree_insert_front(&t, m, &spare));
	for (i = 0; i < ARRAY_SIZE(expect); i++) {
		m = kipc_mq_tree_pop(&t, &spare);
		KUNIT_ASSERT_NOT_NULL(test, m);
		KUNIT_EXPECT_EQ_MSG(test, expect[i], kipc_mq_test_id(m),
				    "pop #%zu", i);
		kipc_mq_msg_free(m);
	}
	KUNIT_EXPECT_EQ(test, 0L, t.count);
	kfree(spare);
}

static void kipc_mq_tree_purges(struct kunit *test)
{
	struct kipc_mq_prio *spare = NULL;
	struct kipc_mq_msg *m;
	struct kipc_mq_tree t;
	unsigned int i;

	kipc_mq_tree_init(&t);
	for (i = 0; i < 64; i++) {
		if (!spare)
			spare = kzalloc(sizeof(*spare), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, spare);
		m = kipc_mq_test_msg(test, i % 7, i);
		KUNIT_ASSERT_EQ(test, 0, kipc_mq_tree_insert(&t, m, &spare));
	}
	kfree(spare);
	/* everything goes; kmemleak in the debug guest checks the rest */
	kipc_mq_tree_purge(&t);
	KUNIT_EXPECT_EQ(test, 0L, t.count);
	KUNIT_EXPECT_NULL(test, t.rightmost);
}

static void kipc_mq_attr_arith(struct kunit *test)
{
	const u64 hdr = sizeof(struct kipc_mq_msg) + sizeof(struct kipc_mq_prio);
	u64 bytes = 0;

	KUNIT_EXPECT_EQ(test, 0, kipc_mq_attr_bytes(10, 8192, &bytes));
	KUNIT_EXPECT_EQ(test, 10 * 8192 + 10 * hdr, bytes);
	KUNIT_EXPECT_EQ(test, 0, kipc_mq_attr_bytes(1, 1, &bytes));
	KUNIT_EXPECT_EQ(test, 1 + hdr, bytes);

	KUNIT_EXPECT_EQ(test, -EINVAL, kipc_mq_attr_bytes(0, 1, &bytes));
	KUNIT_EXPECT_EQ(test, -EINVAL, kipc_mq_attr_bytes(1, 0, &bytes));
	KUNIT_EXPECT_EQ(test, -EINVAL, kipc_mq_attr_bytes(-1, 8, &bytes));
	KUNIT_EXPECT_EQ(test, -EINVAL, kipc_mq_attr_bytes(8, S64_MIN, &bytes));
	/* the product overflows 64 bits */
	KUNIT_EXPECT_EQ(test, -EINVAL,
			kipc_mq_attr_bytes(1LL << 32, 1LL << 32, &bytes));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			kipc_mq_attr_bytes(S64_MAX, S64_MAX, &bytes));
	/* the product fits, the headers on top do not */
	KUNIT_EXPECT_EQ(test, -EINVAL,
			kipc_mq_attr_bytes(1LL << 60, 15, &bytes));
	/* just fits: 2^31 messages of 2^32 bytes */
	KUNIT_EXPECT_EQ(test, 0, kipc_mq_attr_bytes(1LL << 31, 1LL << 32, &bytes));
	KUNIT_EXPECT_EQ(test, (1ULL << 63) + (1ULL << 31) * hdr, bytes);
}

static void kipc_mq_attr_limits(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 0, kipc_mq_attr_check(256, 65536, 256, 65536));
	KUNIT_EXPECT_EQ(test, -EINVAL, kipc_mq_attr_check(257, 65536, 256, 65536));
	KUNIT_EXPECT_EQ(test, -EINVAL, kipc_mq_attr_check(256, 65537, 256, 65536));
	KUNIT_EXPECT_EQ(test, -EINVAL, kipc_mq_attr_check(0, 1, 256, 65536));
	KUNIT_EXPECT_EQ(test, -EINVAL, kipc_mq_attr_check(1, -5, 256, 65536));
	/* limits at U64_MAX leave only the overflow check */
	KUNIT_EXPECT_EQ(test, -EINVAL,
			kipc_mq_attr_check(S64_MAX, 2, U64_MAX, U64_MAX));
}

/* Just what the cache looks at of a queue: its sizes, lock and count. */
static struct kipc_mq *kipc_mq_test_queue(struct kunit *test, long maxmsg,
					  long msgsize)
{
	struct kipc_mq *mq = kunit_kzalloc(test, sizeof(*mq), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, mq);
	mq->maxmsg = maxmsg;
	mq->msgsize = msgsize;
	kipc_mq_cache_init(mq);
	kipc_mq_tree_init(&mq->tree);
	return mq;
}

/*
 * The cache keeps full-size buffers only, newest first, and never more
 * than maxmsg plus the reserve minus the queued messages; the rest are
 * freed.
 */
static void kipc_mq_cache_bound(struct kunit *test)
{
	struct kipc_mq_msg *m[14], *got[14];
	struct kipc_mq *mq;
	unsigned int i;

	mq = kipc_mq_test_queue(test, 4, 64);
	KUNIT_EXPECT_EQ(test, 4L + 8, mq->cache_max);	/* two batches of 4 */

	KUNIT_EXPECT_EQ(test, 0U, kipc_mq_cache_take(mq, got, 14));
	for (i = 0; i < 14; i++) {
		m[i] = kipc_mq_msg_get(mq, 1 + i);	/* small queue: full */
		KUNIT_ASSERT_NOT_NULL(test, m[i]);
		KUNIT_EXPECT_EQ(test, (size_t)64, m[i]->cap);
		KUNIT_EXPECT_EQ(test, (size_t)1 + i, m[i]->len);
	}
	/* three queued messages leave room for nine */
	mq->tree.count = 3;
	kipc_mq_msgs_put(mq, m, 14);
	KUNIT_EXPECT_EQ(test, 9U, mq->nr_cached);
	mq->tree.count = 0;
	/* a fitted buffer is freed, not kept */
	m[0] = kipc_mq_msg_alloc(8);
	KUNIT_ASSERT_NOT_NULL(test, m[0]);
	kipc_mq_msg_put(mq, m[0]);
	KUNIT_EXPECT_EQ(test, 9U, mq->nr_cached);
	/* newest first: the one put last comes out first */
	m[0] = kipc_mq_msg_alloc(64);
	KUNIT_ASSERT_NOT_NULL(test, m[0]);
	kipc_mq_msg_put(mq, m[0]);
	KUNIT_EXPECT_EQ(test, 10U, mq->nr_cached);
	KUNIT_EXPECT_EQ(test, 1U, kipc_mq_cache_take(mq, got, 1));
	KUNIT_EXPECT_PTR_EQ(test, m[0], got[0]);
	KUNIT_EXPECT_EQ(test, 9U, kipc_mq_cache_take(mq, got + 1, 14));
	KUNIT_EXPECT_EQ(test, 0U, mq->nr_cached);
	kipc_mq_msgs_put(mq, got, 10);
	KUNIT_EXPECT_EQ(test, 10U, mq->nr_cached);
	kipc_mq_cache_purge(mq);
	KUNIT_EXPECT_EQ(test, 0U, mq->nr_cached);
	KUNIT_EXPECT_NULL(test, mq->cache);
}

/*
 * The reserve: two batches of at most 64 for messages up to 256 bytes,
 * none above; charged on top of kipc_mq_attr_bytes().
 */
static void kipc_mq_cache_reserve_charge(struct kunit *test)
{
	size_t hdr = sizeof(struct kipc_mq_msg);
	u64 attr, charge;

	KUNIT_EXPECT_EQ(test, 2L, kipc_mq_cache_reserve(1, 16));
	KUNIT_EXPECT_EQ(test, 20L, kipc_mq_cache_reserve(10, 256));
	KUNIT_EXPECT_EQ(test, 128L, kipc_mq_cache_reserve(64, 64));
	KUNIT_EXPECT_EQ(test, 128L, kipc_mq_cache_reserve(1000, 1));
	KUNIT_EXPECT_EQ(test, 0L, kipc_mq_cache_reserve(64, 257));
	KUNIT_EXPECT_EQ(test, 0L, kipc_mq_cache_reserve(10, 8192));

	KUNIT_ASSERT_EQ(test, 0, kipc_mq_attr_bytes(64, 64, &attr));
	KUNIT_ASSERT_EQ(test, 0, kipc_mq_charge_bytes(64, 64, &charge));
	KUNIT_EXPECT_EQ(test, attr + 128 * (hdr + 64), charge);
	KUNIT_ASSERT_EQ(test, 0, kipc_mq_attr_bytes(10, 8192, &attr));
	KUNIT_ASSERT_EQ(test, 0, kipc_mq_charge_bytes(10, 8192, &charge));
	KUNIT_EXPECT_EQ(test, attr, charge);
	/* the attribute checks still come first */
	KUNIT_EXPECT_EQ(test, -EINVAL, kipc_mq_charge_bytes(0, 64, &charge));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			kipc_mq_charge_bytes(S64_MAX, 2, &charge));
}

/* A large queue fits small messages and uses full buffers for big ones. */
static void kipc_mq_cache_large_policy(struct kunit *test)
{
	struct kipc_mq_msg *m;
	struct kipc_mq *mq;

	mq = kipc_mq_test_queue(test, 2, 65536);
	m = kipc_mq_msg_get(mq, 16);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, (size_t)16, m->cap);
	kipc_mq_msg_put(mq, m);
	KUNIT_EXPECT_EQ(test, 0U, mq->nr_cached);
	m = kipc_mq_msg_get(mq, 32769);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, (size_t)65536, m->cap);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(m));
	memset(m->data, 0xab, 65536);	/* KASAN: the whole room is ours */
	kipc_mq_msg_put(mq, m);
	KUNIT_EXPECT_EQ(test, 1U, mq->nr_cached);
	kipc_mq_cache_purge(mq);
}

static struct kunit_case kipc_mq_cases[] = {
	KUNIT_CASE(kipc_mq_tree_order),
	KUNIT_CASE(kipc_mq_tree_spare),
	KUNIT_CASE(kipc_mq_tree_put_back),
	KUNIT_CASE(kipc_mq_tree_purges),
	KUNIT_CASE(kipc_mq_attr_arith),
	KUNIT_CASE(kipc_mq_attr_limits),
	KUNIT_CASE(kipc_mq_cache_bound),
	KUNIT_CASE(kipc_mq_cache_reserve_charge),
	KUNIT_CASE(kipc_mq_cache_large_policy),
	{}
};

static struct kunit_suite kipc_mq_suite = {
	.name = "kipc_mq",
	.test_cases = kipc_mq_cases,
};

kunit_test_suite(kipc_mq_suite);
