// SPDX-License-Identifier: GPL-2.0
/*
 * Object names: the rules of struct kipc_open's comment, in one place so the
 * device, the worker pools and the KUnit tests agree.
 */
#include "kipc.h"

/*
 * kipc_name_check() - is @name (@len bytes, no NUL needed) a valid name?
 *
 * Return: 0, -EINVAL for an empty name, "." or "..", or a byte that is not
 * printable ASCII or is '/' or ' '; -ENAMETOOLONG above KIPC_NAME_MAX.
 * "." and ".." are refused because each object is also a sysfs directory.
 */
int kipc_name_check(const char *name, size_t len)
{
	size_t i;

	if (!len)
		return -EINVAL;
	if (len > KIPC_NAME_MAX)
		return -ENAMETOOLONG;
	for (i = 0; i < len; i++) {
		/* printable ASCII is 0x21..0x7e once space is excluded */
		if (name[i] <= ' ' || name[i] > '~' || name[i] == '/')
			return -EINVAL;
	}
	if (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.')))
		return -EINVAL;
	return 0;
}
