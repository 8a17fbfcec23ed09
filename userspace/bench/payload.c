// SPDX-License-Identifier: GPL-2.0
/*
 * Payloads.  Every message carries its sequence number in its first and last
 * 8 bytes and a known 64-bit word in every 64-byte line; the receiver checks
 * both ends and the sum of one word per line, so no copy can be skipped or
 * torn without the benchmark failing, at the cost of one load per line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "bench.h"

#define LINE	64

static uint64_t word_at(size_t off)
{
	return 0x9e3779b97f4a7c15ull * (off / LINE + 1);
}

void payload_fill(void *buf, size_t len)
{
	size_t off;

	memset(buf, 0xa5, len);
	for (off = 0; off + 8 <= len; off += LINE)
		memcpy((char *)buf + off, &(uint64_t){ word_at(off) }, 8);
}

void payload_stamp(void *buf, size_t len, uint64_t seq)
{
	memcpy(buf, &seq, 8);
	if (len >= 16)
		memcpy((char *)buf + len - 8, &seq, 8);
}

int payload_check(const void *buf, size_t len, uint64_t seq)
{
	uint64_t head, tail, sum = 0, want = 0, w;
	size_t off;

	memcpy(&head, buf, 8);
	if (head != seq)
		goto bad;
	if (len >= 16) {
		memcpy(&tail, (const char *)buf + len - 8, 8);
		if (tail != seq)
			goto bad;
	}
	/* line 0 holds the sequence; the last word may overlap a line word */
	for (off = LINE; off + 8 <= len - (len >= 16 ? 8 : 0); off += LINE) {
		memcpy(&w, (const char *)buf + off, 8);
		sum += w;
		want += word_at(off);
	}
	if (sum != want)
		goto bad;
	return 0;
bad:
	fprintf(stderr, "kipc-bench: payload check failed (message %llu, %zu bytes)\n",
		(unsigned long long)seq, len);
	return -1;
}

static void *map(size_t len, int flags)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       flags | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if (p == MAP_FAILED) {
		perror("kipc-bench: mmap");
		exit(1);
	}
	memset(p, 0, len);	/* prefault for writing too */
	return p;
}

void *alloc_buf(size_t len)
{
	return map(len ? len : 1, MAP_PRIVATE);
}

void *alloc_shared(size_t len)
{
	return map(len ? len : 1, MAP_SHARED);
}
