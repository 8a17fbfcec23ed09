// SPDX-License-Identifier: GPL-2.0
/*
 * Blocking calls' timeouts (struct kipc_timeout), shared by queues and
 * semaphores so that both follow the same POSIX rules.
 */
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/time64.h>
#include "kipc.h"

/*
 * kipc_timeout_check() - turn @t into an absolute expiry
 *
 * Called only once the caller knows it must block (POSIX: a bad time is
 * EINVAL only then).  Sets *@expires (KTIME_MAX: no timeout) and *@clk.
 * Return: 0 or -EINVAL.
 */
int kipc_timeout_check(const struct kipc_timeout *t, ktime_t *expires,
		       clockid_t *clk)
{
	struct timespec64 ts;

	if (t->__pad)
		return -EINVAL;
	switch (t->clock) {
	case KIPC_CLOCK_NONE:
		*expires = KTIME_MAX;
		*clk = CLOCK_MONOTONIC;
		return 0;
	case KIPC_CLOCK_REALTIME:
		*clk = CLOCK_REALTIME;
		break;
	case KIPC_CLOCK_MONOTONIC:
		*clk = CLOCK_MONOTONIC;
		break;
	default:
		return -EINVAL;
	}
	ts.tv_sec = t->sec;
	ts.tv_nsec = t->nsec;
	if (!timespec64_valid(&ts))
		return -EINVAL;
	*expires = timespec64_to_ktime(ts);	/* saturates at KTIME_MAX */
	return 0;
}

/* Is the clock field itself acceptable?  (Checked before any blocking.) */
bool kipc_timeout_clock_ok(const struct kipc_timeout *t)
{
	return t->clock <= KIPC_CLOCK_MONOTONIC && !t->__pad;
}

/*
 * kipc_timeout_sleep() - schedule() until woken or @expires (absolute, on
 * @clk) passes; the caller has set the task state.  Without a deadline
 * (KTIME_MAX) no hrtimer is armed at all, as schedule_hrtimeout() would
 * arm and cancel one at KTIME_MAX on every block.
 *
 * Return: 0 when the deadline passed, -EINTR otherwise (woken).
 */
int kipc_timeout_sleep(ktime_t expires, clockid_t clk)
{
	if (expires == KTIME_MAX) {
		schedule();
		return -EINTR;
	}
	return schedule_hrtimeout_range_clock(&expires, 0, HRTIMER_MODE_ABS,
					      clk);
}
