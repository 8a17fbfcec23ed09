// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers for sysfs files: strict number parsing for the writable knobs and
 * the one-line log2 histograms of wait times.
 */
#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/sysfs.h>
#include "kipc.h"

/*
 * kipc_parse_u64() - parse a knob written to sysfs
 *
 * Accepts one unsigned decimal (or 0x hex) number, optionally followed by a
 * single newline, within [@min, @max].  Everything else, including "",
 * "-1", "1 2" and values past U64_MAX, is -EINVAL and leaves @val alone.
 */
int kipc_parse_u64(const char *buf, size_t count, u64 min, u64 max, u64 *val)
{
	char tmp[24];
	u64 v;

	if (count && buf[count - 1] == '\n')
		count--;
	if (!count || count >= sizeof(tmp))
		return -EINVAL;
	/* kstrtou64 would stop at a NUL and forgive another newline */
	if (memchr(buf, '\0', count) || memchr(buf, '\n', count))
		return -EINVAL;
	memcpy(tmp, buf, count);
	tmp[count] = '\0';
	if (kstrtou64(tmp, 0, &v))
		return -EINVAL;
	if (v < min || v > max)
		return -EINVAL;
	*val = v;
	return 0;
}

/*
 * kipc_hist_bucket() - log2 bucket of a duration in ns
 *
 * Bucket 0 holds 0 ns; bucket k (k >= 1) holds [2^(k-1), 2^k) ns; the last
 * bucket also holds everything longer.
 */
unsigned int kipc_hist_bucket(u64 ns, unsigned int n)
{
	unsigned int b = fls64(ns);

	return min(b, n - 1);
}

/* One line: the @n bucket counts separated by spaces. */
ssize_t kipc_hist_show(const u64 *buckets, unsigned int n, char *buf)
{
	ssize_t len = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		len += sysfs_emit_at(buf, len, "%s%llu", i ? " " : "",
				     READ_ONCE(buckets[i]));
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}
