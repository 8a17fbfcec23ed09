// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the worker issue lands: registers nothing. */
#include "kipc.h"

int kipc_worker_init(void)
{
	return 0;
}

void kipc_worker_exit(void)
{
}
