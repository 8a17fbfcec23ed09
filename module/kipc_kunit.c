// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of kipc's pure logic: name rules, sysfs input parsing,
 * histogram bucketing, timeouts and per-user charge arithmetic.  Built as
 * kipc_kunit.ko for kernels with CONFIG_KUNIT; the files under test are
 * compiled into this module privately (#include), so kipc.ko exports
 * nothing for the tests' sake.
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "name.c"
#include "sysfs_util.c"
#include "timeout.c"
#include "user.c"
#include "sem_kunit.c"	/* the kipc_sem suite (sem_core.c) */
#include "mq_kunit.c"	/* the kipc_mq suite (mq_msg.c) */

static void kipc_name_valid(struct kunit *test)
{
	static const char *const ok[] = {
		"a", "queue-1", "A_b.c~!", "...", ".a", "a.", "~", "{}[]<>",
	};
	char longest[KIPC_NAME_MAX];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ok); i++)
		KUNIT_EXPECT_EQ_MSG(test, 0, kipc_name_check(ok[i], strlen(ok[i])),
				    "name '%s'", ok[i]);
	memset(longest, 'x', sizeof(longest));
	KUNIT_EXPECT_EQ(test, 0, kipc_name_check(longest, KIPC_NAME_MAX));
}

static void kipc_name_invalid(struct kunit *test)
{
	static const char *const bad[] = {
		".", "..", "a/b", "/a", "a b", " ", "tab\there", "nl\n",
		"\x7f", "\x80", "caf\xc3\xa9",
	};
	char toolong[KIPC_NAME_MAX + 1];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, -EINVAL,
				    kipc_name_check(bad[i], strlen(bad[i])),
				    "name #%zu", i);
	KUNIT_EXPECT_EQ(test, -EINVAL, kipc_name_check("", 0));
	/* an embedded NUL is not printable either */
	KUNIT_EXPECT_EQ(test, -EINVAL, kipc_name_check("a\0b", 3));
	memset(toolong, 'x', sizeof(toolong));
	KUNIT_EXPECT_EQ(test, -ENAMETOOLONG,
			kipc_name_check(toolong, sizeof(toolong)));
}

static void kipc_parse_accepts(struct kunit *test)
{
	u64 v = 0;

	KUNIT_EXPECT_EQ(test, 0, kipc_parse_u64("5", 1, 0, 10, &v));
	KUNIT_EXPECT_EQ(test, 5ULL, v);
	KUNIT_EXPECT_EQ(test, 0, kipc_parse_u64("7\n", 2, 0, 10, &v));
	KUNIT_EXPECT_EQ(test, 7ULL, v);
	KUNIT_EXPECT_EQ(test, 0, kipc_parse_u64("0x10", 4, 0, 100, &v));
	KUNIT_EXPECT_EQ(test, 16ULL, v);
	KUNIT_EXPECT_EQ(test, 0, kipc_parse_u64("18446744073709551615", 20,
						0, U64_MAX, &v));
	KUNIT_EXPECT_EQ(test, U64_MAX, v);
	/* the range is inclusive at both ends */
	KUNIT_EXPECT_EQ(test, 0, kipc_parse_u64("1", 1, 1, 3, &v));
	KUNIT_EXPECT_EQ(test, 0, kipc_parse_u64("3", 1, 1, 3, &v));
}

static void kipc_parse_refuses(struct kunit *test)
{
	static const char *const junk[] = {
		"", "\n", "-1", "1 2", " 1", "1\n\n", "abc", "1a", "+", "\x01",
		"18446744073709551616", "99999999999999999999999",
	};
	char *big = kunit_kmalloc(test, 4096, GFP_KERNEL);
	size_t i;
	u64 v = 42;

	KUNIT_ASSERT_NOT_NULL(test, big);

	for (i = 0; i < ARRAY_SIZE(junk); i++) {
		KUNIT_EXPECT_EQ_MSG(test, -EINVAL,
				    kipc_parse_u64(junk[i], strlen(junk[i]), 0,
						   U64_MAX, &v), "input #%zu", i);
		KUNIT_EXPECT_EQ(test, 42ULL, v);	/* untouched */
	}
	/* the length counts: a NUL inside is not the end of the input */
	KUNIT_EXPECT_EQ(test, -EINVAL, kipc_parse_u64("1\0junk", 6, 0, 9, &v));
	KUNIT_EXPECT_EQ(test, -EINVAL, kipc_parse_u64("1\0", 2, 0, 9, &v));
	memset(big, '1', 4096);
	KUNIT_EXPECT_EQ(test, -EINVAL, kipc_parse_u64(big, 4096, 0, U64_MAX, &v));
	KUNIT_EXPECT_EQ(test, -EINVAL, kipc_parse_u64("0", 1, 1, 3, &v));
	KUNIT_EXPECT_EQ(test, -EINVAL, kipc_parse_u64("4", 1, 1, 3, &v));
	KUNIT_EXPECT_EQ(test, 42ULL, v);
}

static void kipc_hist_buckets(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 0U, kipc_hist_bucket(0, 32));
	KUNIT_EXPECT_EQ(test, 1U, kipc_hist_bucket(1, 32));
	KUNIT_EXPECT_EQ(test, 2U, kipc_hist_bucket(2, 32));
	KUNIT_EXPECT_EQ(test, 2U, kipc_hist_bucket(3, 32));
	KUNIT_EXPECT_EQ(test, 3U, kipc_hist_bucket(4, 32));
	KUNIT_EXPECT_EQ(test, 11U, kipc_hist_bucket(1024, 32));
	KUNIT_EXPECT_EQ(test, 10U, kipc_hist_bucket(1023, 32));
	/* everything longer lands in the last bucket */
	KUNIT_EXPECT_EQ(test, 31U, kipc_hist_bucket(1ULL << 40, 32));
	KUNIT_EXPECT_EQ(test, 31U, kipc_hist_bucket(U64_MAX, 32));
}

static void kipc_hist_line(struct kunit *test)
{
	const u64 b[4] = { 0, 3, 12345678901ULL, 1 };
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, (ssize_t)strlen("0 3 12345678901 1\n"),
			kipc_hist_show(b, 4, buf));
	KUNIT_EXPECT_STREQ(test, buf, "0 3 12345678901 1\n");
}

static void kipc_timeout_rules(struct kunit *test)
{
	struct kipc_timeout t = { .clock = KIPC_CLOCK_NONE };
	ktime_t exp;
	clockid_t clk;

	KUNIT_EXPECT_EQ(test, 0, kipc_timeout_check(&t, &exp, &clk));
	KUNIT_EXPECT_EQ(test, KTIME_MAX, exp);

	t = (struct kipc_timeout){ .clock = KIPC_CLOCK_REALTIME, .sec = 5,
				   .nsec = 999999999 };
	KUNIT_EXPECT_EQ(test, 0, kipc_timeout_check(&t, &exp, &clk));
	KUNIT_EXPECT_EQ(test, CLOCK_REALTIME, clk);
	KUNIT_EXPECT_EQ(test, 5999999999LL, ktime_to_ns(exp));

	t.clock = KIPC_CLOCK_MONOTONIC;
	KUNIT_EXPECT_EQ(test, 0, kipc_timeout_check(&t, &exp, &clk));
	KUNIT_EXPECT_EQ(test, CLOCK_MONOTONIC, clk);

	/* far future saturates instead of overflowing */
	t.sec = S64_MAX;
	t.nsec = 0;
	KUNIT_EXPECT_EQ(test, 0, kipc_timeout_check(&t, &exp, &clk));
	KUNIT_EXPECT_EQ(test, KTIME_MAX, exp);

	t.sec = 1;
	t.nsec = 1000000000;
	KUNIT_EXPECT_EQ(test, -EINVAL, kipc_timeout_check(&t, &exp, &clk));
	t.nsec = -1;
	KUNIT_EXPECT_EQ(test, -EINVAL, kipc_timeout_check(&t, &exp, &clk));
	t.nsec = 0;
	t.sec = -1;
	KUNIT_EXPECT_EQ(test, -EINVAL, kipc_timeout_check(&t, &exp, &clk));
	t.sec = 0;
	t.clock = 3;
	KUNIT_EXPECT_EQ(test, -EINVAL, kipc_timeout_check(&t, &exp, &clk));
	KUNIT_EXPECT_FALSE(test, kipc_timeout_clock_ok(&t));
	t.clock = KIPC_CLOCK_REALTIME;
	t.__pad = 1;
	KUNIT_EXPECT_EQ(test, -EINVAL, kipc_timeout_check(&t, &exp, &clk));
	KUNIT_EXPECT_FALSE(test, kipc_timeout_clock_ok(&t));
}

static void kipc_user_charges(struct kunit *test)
{
	struct kipc_user *u = kipc_user_get(KUIDT_INIT(12345));

	KUNIT_ASSERT_NOT_NULL(test, u);
	/* a second get finds the same record */
	KUNIT_EXPECT_PTR_EQ(test, u, kipc_user_get(KUIDT_INIT(12345)));
	kipc_user_put(u);

	KUNIT_EXPECT_EQ(test, 0, kipc_user_charge(u, KIPC_RES_MQ_BYTES, 60, 100));
	KUNIT_EXPECT_EQ(test, 0, kipc_user_charge(u, KIPC_RES_MQ_BYTES, 40, 100));
	KUNIT_EXPECT_EQ(test, 100ULL, kipc_user_usage(u, KIPC_RES_MQ_BYTES));
	/* at the limit: refused, nothing charged */
	KUNIT_EXPECT_EQ(test, -EMFILE,
			kipc_user_charge(u, KIPC_RES_MQ_BYTES, 1, 100));
	KUNIT_EXPECT_EQ(test, 100ULL, kipc_user_usage(u, KIPC_RES_MQ_BYTES));
	/* a charge that would wrap around is refused, not wrapped */
	KUNIT_EXPECT_EQ(test, -EMFILE,
			kipc_user_charge(u, KIPC_RES_MQ_BYTES, U64_MAX - 10,
					 U64_MAX - 5));
	KUNIT_EXPECT_EQ(test, -EMFILE,
			kipc_user_charge(u, KIPC_RES_SEM, 101, 100));
	/* resources are independent */
	KUNIT_EXPECT_EQ(test, 0ULL, kipc_user_usage(u, KIPC_RES_SEM));
	kipc_user_uncharge(u, KIPC_RES_MQ_BYTES, 100);
	KUNIT_EXPECT_EQ(test, 0ULL, kipc_user_usage(u, KIPC_RES_MQ_BYTES));
	kipc_user_put(u);
	KUNIT_EXPECT_TRUE(test, hash_empty(kipc_users));
}

static struct kunit_case kipc_core_cases[] = {
	KUNIT_CASE(kipc_name_valid),
	KUNIT_CASE(kipc_name_invalid),
	KUNIT_CASE(kipc_parse_accepts),
	KUNIT_CASE(kipc_parse_refuses),
	KUNIT_CASE(kipc_hist_buckets),
	KUNIT_CASE(kipc_hist_line),
	KUNIT_CASE(kipc_timeout_rules),
	KUNIT_CASE(kipc_user_charges),
	{}
};

static struct kunit_suite kipc_core_suite = {
	.name = "kipc_core",
	.test_cases = kipc_core_cases,
};

kunit_test_suites(&kipc_core_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of kipc's internal logic");
