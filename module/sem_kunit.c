// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the semaphore bookkeeping (sem_core.c): take, post with
 * hand-off, the waiter order, undo and the owner-died notice.  Meant to be
 * #included by kipc_kunit.c, like the other files under test; the waiters
 * are structures on the test's stack whose task is the test thread itself
 * (waking it is harmless).
 */
#include <kunit/test.h>
#include <linux/sched/prio.h>
#include "sem_core.c"

static void kipc_sem_test_waiter(struct kipc_sem_waiter *w, int prio,
				 u32 *undo)
{
	memset(w, 0, sizeof(*w));
	w->task = current;
	w->prio = prio;
	w->undo = undo;
	w->start = ktime_get();
}

static void kipc_sem_take_post(struct kunit *test)
{
	struct kipc_sem_wake wake = { .n = 0 };
	struct kipc_sem_core c;

	kipc_sem_core_init(&c, 2);
	spin_lock(&c.lock);
	KUNIT_EXPECT_EQ(test, 0, kipc_sem_core_trytake(&c, NULL));
	KUNIT_EXPECT_EQ(test, 0, kipc_sem_core_trytake(&c, NULL));
	KUNIT_EXPECT_EQ(test, -EAGAIN, kipc_sem_core_trytake(&c, NULL));
	KUNIT_EXPECT_EQ(test, 1, kipc_sem_core_post(&c, NULL, &wake));
	KUNIT_EXPECT_EQ(test, 1U, c.value);
	KUNIT_EXPECT_EQ(test, 0U, wake.n);
	KUNIT_EXPECT_EQ(test, 2ULL, c.st.waits);
	KUNIT_EXPECT_EQ(test, 1ULL, c.st.posts);
	c.value = KIPC_SEM_VALUE_MAX;
	KUNIT_EXPECT_EQ(test, -EOVERFLOW, kipc_sem_core_post(&c, NULL, &wake));
	KUNIT_EXPECT_EQ(test, (u32)KIPC_SEM_VALUE_MAX, c.value);
	KUNIT_EXPECT_EQ(test, 1ULL, c.st.posts);
	spin_unlock(&c.lock);
}

/* Each post hands one unit to the first waiter; the value stays 0. */
static void kipc_sem_handoff_fifo(struct kunit *test)
{
	struct kipc_sem_wake wake = { .n = 0 };
	struct kipc_sem_waiter w[3];
	struct kipc_sem_core c;
	int i;

	kipc_sem_core_init(&c, 0);
	spin_lock(&c.lock);
	for (i = 0; i < 3; i++) {
		kipc_sem_test_waiter(&w[i], MAX_RT_PRIO, NULL);
		kipc_sem_core_enqueue(&c, &w[i]);
	}
	KUNIT_EXPECT_EQ(test, 3U, c.nr_waiters);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, 0, kipc_sem_core_post(&c, NULL, &wake));
		KUNIT_EXPECT_EQ(test, KIPC_SEM_GOT, w[i].state);
		if (i < 2)
			KUNIT_EXPECT_EQ(test, KIPC_SEM_WAITING, w[i + 1].state);
		KUNIT_EXPECT_EQ(test, 0U, c.value);
		/* no barging: the unit is not in the value */
		KUNIT_EXPECT_EQ(test, -EAGAIN, kipc_sem_core_trytake(&c, NULL));
	}
	KUNIT_EXPECT_EQ(test, 0U, c.nr_waiters);
	KUNIT_EXPECT_EQ(test, 3U, wake.n);
	spin_unlock(&c.lock);
	kipc_sem_wake_up(&wake);
	KUNIT_EXPECT_EQ(test, 0U, wake.n);
}

/* Realtime priorities first (lower prio value), FIFO among equals. */
static void kipc_sem_priority_order(struct kunit *test)
{
	static const int prio[] = { 50, MAX_RT_PRIO, 10, 50, MAX_RT_PRIO };
	static const int served[] = { 2, 0, 3, 1, 4 };
	struct kipc_sem_wake wake = { .n = 0 };
	struct kipc_sem_waiter w[5], *first;
	struct kipc_sem_core c;
	int i;

	kipc_sem_core_init(&c, 0);
	spin_lock(&c.lock);
	for (i = 0; i < 5; i++) {
		kipc_sem_test_waiter(&w[i], prio[i], NULL);
		kipc_sem_core_enqueue(&c, &w[i]);
	}
	for (i = 0; i < 5; i++) {
		first = list_first_entry(&c.waiters, struct kipc_sem_waiter,
					 node);
		KUNIT_EXPECT_PTR_EQ(test, &w[served[i]], first);
		kipc_sem_core_post(&c, NULL, &wake);
		KUNIT_EXPECT_EQ(test, KIPC_SEM_GOT, w[served[i]].state);
	}
	spin_unlock(&c.lock);
	kipc_sem_wake_up(&wake);
}

/* Undo counts what was taken minus what was posted, never below 0. */
static void kipc_sem_undo_counting(struct kunit *test)
{
	struct kipc_sem_wake wake = { .n = 0 };
	struct kipc_sem_waiter w;
	struct kipc_sem_core c;
	u32 undo = 0, wundo = 0;

	kipc_sem_core_init(&c, 1);
	spin_lock(&c.lock);
	KUNIT_EXPECT_EQ(test, 0, kipc_sem_core_trytake(&c, &undo));
	KUNIT_EXPECT_EQ(test, 1U, undo);
	/* a hand-off charges the waiter's handle */
	kipc_sem_test_waiter(&w, MAX_RT_PRIO, &wundo);
	kipc_sem_core_enqueue(&c, &w);
	KUNIT_EXPECT_EQ(test, 0, kipc_sem_core_post(&c, &undo, &wake));
	KUNIT_EXPECT_EQ(test, 0U, undo);
	KUNIT_EXPECT_EQ(test, 1U, wundo);
	/* posts beyond what was taken leave undo at 0 */
	KUNIT_EXPECT_EQ(test, 1, kipc_sem_core_post(&c, &undo, &wake));
	KUNIT_EXPECT_EQ(test, 0U, undo);
	KUNIT_EXPECT_EQ(test, 1U, c.value);
	spin_unlock(&c.lock);
	kipc_sem_wake_up(&wake);
}

/* Returned units: to waiters first (told), then into the value (marked). */
static void kipc_sem_undo_return(struct kunit *test)
{
	struct kipc_sem_wake wake = { .n = 0 };
	struct kipc_sem_waiter w;
	struct kipc_sem_core c;
	u32 undo = 3, taker = 0;

	kipc_sem_core_init(&c, 0);
	spin_lock(&c.lock);
	kipc_sem_test_waiter(&w, MAX_RT_PRIO, NULL);
	kipc_sem_core_enqueue(&c, &w);
	KUNIT_EXPECT_EQ(test, 3U, kipc_sem_core_return(&c, &undo, &wake));
	KUNIT_EXPECT_EQ(test, 0U, undo);
	KUNIT_EXPECT_EQ(test, KIPC_SEM_GOT_DEAD, w.state);
	KUNIT_EXPECT_EQ(test, 2U, c.value);
	KUNIT_EXPECT_EQ(test, 2U, c.dead);
	KUNIT_EXPECT_EQ(test, 3ULL, c.st.returned);
	KUNIT_EXPECT_EQ(test, -EOWNERDEAD, kipc_sem_core_trytake(&c, &taker));
	KUNIT_EXPECT_EQ(test, -EOWNERDEAD, kipc_sem_core_trytake(&c, &taker));
	KUNIT_EXPECT_EQ(test, 2U, taker);
	KUNIT_EXPECT_EQ(test, -EAGAIN, kipc_sem_core_trytake(&c, &taker));
	KUNIT_EXPECT_EQ(test, 3ULL, c.st.owner_dead);
	/* a fresh post is not flagged */
	kipc_sem_core_post(&c, NULL, &wake);
	KUNIT_EXPECT_EQ(test, 0, kipc_sem_core_trytake(&c, NULL));
	/* near the maximum the excess is dropped */
	c.value = KIPC_SEM_VALUE_MAX - 1;
	undo = 3;
	KUNIT_EXPECT_EQ(test, 3U, kipc_sem_core_return(&c, &undo, &wake));
	KUNIT_EXPECT_EQ(test, (u32)KIPC_SEM_VALUE_MAX, c.value);
	KUNIT_EXPECT_EQ(test, 1U, c.dead);
	spin_unlock(&c.lock);
	kipc_sem_wake_up(&wake);
}

/* A waiter that gives up leaves no trace; the next post goes to value. */
static void kipc_sem_dequeue(struct kunit *test)
{
	struct kipc_sem_wake wake = { .n = 0 };
	struct kipc_sem_waiter w;
	struct kipc_sem_core c;

	kipc_sem_core_init(&c, 0);
	spin_lock(&c.lock);
	kipc_sem_test_waiter(&w, MAX_RT_PRIO, NULL);
	kipc_sem_core_enqueue(&c, &w);
	kipc_sem_core_dequeue(&c, &w);
	KUNIT_EXPECT_EQ(test, 0U, c.nr_waiters);
	KUNIT_EXPECT_EQ(test, 1, kipc_sem_core_post(&c, NULL, &wake));
	KUNIT_EXPECT_EQ(test, KIPC_SEM_WAITING, w.state);
	KUNIT_EXPECT_EQ(test, 1U, c.value);
	spin_unlock(&c.lock);
}

static struct kunit_case kipc_sem_cases[] = {
	KUNIT_CASE(kipc_sem_take_post),
	KUNIT_CASE(kipc_sem_handoff_fifo),
	KUNIT_CASE(kipc_sem_priority_order),
	KUNIT_CASE(kipc_sem_undo_counting),
	KUNIT_CASE(kipc_sem_undo_return),
	KUNIT_CASE(kipc_sem_dequeue),
	{}
};

static struct kunit_suite kipc_sem_suite = {
	.name = "kipc_sem",
	.test_cases = kipc_sem_cases,
};

kunit_test_suite(kipc_sem_suite);
