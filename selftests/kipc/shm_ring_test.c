// SPDX-License-Identifier: GPL-2.0
/*
 * The classic bounded buffer across processes: a ring of slots in a kipc
 * shared-memory region, guarded by three kipc semaphores (empty slots,
 * full slots, a mutex for the indices).  4 producer and 4 consumer
 * processes move 100,000 items, 8 to a slot (12,500 slot hand-offs, so
 * that the debug kernel finishes in time), each with its producer, sequence number,
 * a payload derived from both and a checksum; the consumers tally every
 * item in a table in the region, and the parent then counts what was
 * lost, duplicated or corrupt: all three must be 0.
 *
 * Every process opens the region and the semaphores by name itself.
 * $KIPC_RING_ITEMS=N (32..100000) moves fewer items, for make demo; the
 * test reports how many it moved.
 */
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>
#include "../kselftest_harness.h"
#include "kipc_test.h"
#include "kipc.h"

#define NPROD		4
#define NCONS		4
#define ITEMS		100000		/* in all; a multiple of 32 */
#define PER_SLOT	8		/* items in one ring slot */
#define PER_PROD	(items / NPROD)
#define PER_CONS	(items / NCONS)
#define SLOTS		64
#define WAIT_S		120		/* no single wait takes this long */

static unsigned int items = ITEMS;

struct item {
	uint32_t producer;
	uint32_t seq;
	uint64_t payload[6];
	uint64_t sum;
};

/* The region: the ring, then the tallies. */
struct ring {
	uint32_t head;			/* next slot to fill; mutex */
	uint32_t tail;			/* next slot to drain; mutex */
	uint32_t in_use;		/* filled slots; mutex, checked */
	uint32_t overflow;		/* in_use out of [0, SLOTS]: bug */
	uint64_t corrupt;		/* atomic */
	uint64_t bad_id;		/* atomic */
	struct item slot[SLOTS][PER_SLOT];
	uint8_t seen[ITEMS];		/* atomic increments */
};

static uint64_t mix(uint64_t x)
{
	/* splitmix64 */
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void item_make(struct item *it, uint32_t p, uint32_t seq)
{
	int i;

	it->producer = p;
	it->seq = seq;
	it->sum = (uint64_t)p << 32 | seq;
	for (i = 0; i < 6; i++) {
		it->payload[i] = mix(((uint64_t)p << 40) ^ ((uint64_t)seq << 8) ^ i);
		it->sum = mix(it->sum ^ it->payload[i]);
	}
}

static bool item_ok(const struct item *it)
{
	struct item want;

	if (it->producer >= NPROD || it->seq >= PER_PROD)
		return false;
	item_make(&want, it->producer, it->seq);
	return !memcmp(&want, it, sizeof(want));
}

struct names {
	char shm[64], empty[64], full[64], mutex[64];
};

struct proc {
	struct ring *r;
	kipc_sem_t *empty, *full, *mutex;
};

static int proc_open(const struct names *n, struct proc *pr)
{
	int fd = kipc_shm_open(n->shm, O_RDWR, 0, 0);

	if (fd < 0)
		return 10;
	pr->r = mmap(NULL, sizeof(struct ring), PROT_READ | PROT_WRITE,
		     MAP_SHARED, fd, 0);
	close(fd);
	if (pr->r == MAP_FAILED)
		return 11;
	pr->empty = kipc_sem_open(n->empty, 0);
	pr->full = kipc_sem_open(n->full, 0);
	pr->mutex = kipc_sem_open(n->mutex, 0);
	if (!pr->empty || !pr->full || !pr->mutex)
		return 12;
	return 0;
}

static int wait_sem(kipc_sem_t *s)
{
	struct timespec abs;

	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_sec += WAIT_S;
	while (kipc_sem_clockwait(s, CLOCK_MONOTONIC, &abs)) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

static int producer(const struct names *n, uint32_t p)
{
	struct proc pr;
	uint32_t seq, j;
	int err = proc_open(n, &pr);

	if (err)
		return err;
	for (seq = 0; seq < PER_PROD; seq += PER_SLOT) {
		struct ring *r = pr.r;

		if (wait_sem(pr.empty) || wait_sem(pr.mutex))
			return 20;
		for (j = 0; j < PER_SLOT; j++)
			item_make(&r->slot[r->head][j], p, seq + j);
		r->head = (r->head + 1) % SLOTS;
		if (++r->in_use > SLOTS)
			r->overflow++;
		if (kipc_sem_post(pr.mutex) || kipc_sem_post(pr.full))
			return 21;
	}
	return 0;
}

static int consumer(const struct names *n)
{
	struct proc pr;
	struct item got[PER_SLOT];
	unsigned int i, j;
	int err = proc_open(n, &pr);

	if (err)
		return err;
	for (i = 0; i < PER_CONS; i += PER_SLOT) {
		struct ring *r = pr.r;

		if (wait_sem(pr.full) || wait_sem(pr.mutex))
			return 30;
		memcpy(got, r->slot[r->tail], sizeof(got));
		/* poison the slot: a consumer reading it twice sees garbage */
		memset(r->slot[r->tail], 0xee, sizeof(got));
		r->tail = (r->tail + 1) % SLOTS;
		if (r->in_use-- == 0)
			r->overflow++;
		if (kipc_sem_post(pr.mutex) || kipc_sem_post(pr.empty))
			return 31;
		/* check outside the critical section */
		for (j = 0; j < PER_SLOT; j++) {
			const struct item *it = &got[j];

			if (!item_ok(it)) {
				__atomic_fetch_add(&r->corrupt, 1,
						   __ATOMIC_RELAXED);
				if (it->producer >= NPROD ||
				    it->seq >= PER_PROD) {
					__atomic_fetch_add(&r->bad_id, 1,
							   __ATOMIC_RELAXED);
					continue;
				}
			}
			__atomic_fetch_add(&r->seen[it->producer * PER_PROD +
						    it->seq],
					   1, __ATOMIC_RELAXED);
		}
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

FIXTURE(ring) {
	int unused;
};

FIXTURE_SETUP(ring)
{
}

FIXTURE_TEARDOWN(ring)
{
}

/* the harness's default 30 s is too short for TCG; run-all caps at 300 */
TEST_F_TIMEOUT(ring, bounded_buffer_4x4_100k_items, 280)
{
	unsigned long long lost = 0, dup = 0, i;
	pid_t pids[NPROD + NCONS];
	kipc_sem_t *s[3];
	struct names n;
	struct ring *r;
	double t0, dt;
	int fd, k, st, failed = 0;

	KIPC_REQUIRE_MODULE(_metadata);
	if (getenv("KIPC_RING_ITEMS")) {
		items = strtoul(getenv("KIPC_RING_ITEMS"), NULL, 0) & ~31U;
		ASSERT_LE(32, items);
		ASSERT_GE(ITEMS, items);
	}
	kipc_test_name(n.shm, sizeof(n.shm), "ring");
	kipc_test_name(n.empty, sizeof(n.empty), "ring-empty");
	kipc_test_name(n.full, sizeof(n.full), "ring-full");
	kipc_test_name(n.mutex, sizeof(n.mutex), "ring-mutex");

	fd = kipc_shm_open(n.shm, O_RDWR | O_CREAT | O_EXCL, 0600,
			   sizeof(struct ring));
	ASSERT_LE(0, fd);
	r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, r);
	close(fd);
	s[0] = kipc_sem_open(n.empty, O_CREAT | O_EXCL, 0600, SLOTS);
	s[1] = kipc_sem_open(n.full, O_CREAT | O_EXCL, 0600, 0);
	s[2] = kipc_sem_open(n.mutex, O_CREAT | O_EXCL, 0600, 1);
	ASSERT_NE(NULL, s[0]);
	ASSERT_NE(NULL, s[1]);
	ASSERT_NE(NULL, s[2]);

	t0 = now();
	for (k = 0; k < NPROD + NCONS; k++) {
		pids[k] = fork();
		ASSERT_LE(0, pids[k]);
		if (!pids[k])
			_exit(k < NPROD ? producer(&n, k) : consumer(&n));
	}
	for (k = 0; k < NPROD + NCONS; k++) {
		ASSERT_EQ(pids[k], waitpid(pids[k], &st, 0));
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			TH_LOG("%s %d: status %#x", k < NPROD ? "producer" :
			       "consumer", k, st);
			failed++;
		}
	}
	dt = now() - t0;
	EXPECT_EQ(0, failed);

	for (i = 0; i < items; i++) {
		if (!r->seen[i])
			lost++;
		else if (r->seen[i] > 1)
			dup += r->seen[i] - 1;
	}
	ksft_print_msg("%u items, %d producers, %d consumers, %d slots of %d items: "
		       "%llu lost, %llu duplicated, %llu corrupt in %.1f s "
		       "(%.0f items/s)\n", items, NPROD, NCONS, SLOTS, PER_SLOT, lost,
		       dup, (unsigned long long)r->corrupt, dt, items / dt);
	ksft_print_msg("region /sys: maps %llu, faults %llu, mappings now %llu\n",
		       kipc_sysfs_u64(KIPC_SYSFS "/shm/%s/maps", n.shm),
		       kipc_sysfs_u64(KIPC_SYSFS "/shm/%s/faults", n.shm),
		       kipc_sysfs_u64(KIPC_SYSFS "/shm/%s/mappings", n.shm));
	/* the harness's test child ends with _exit(): flush ourselves */
	fflush(stdout);
	EXPECT_EQ(0, lost);
	EXPECT_EQ(0, dup);
	EXPECT_EQ(0, r->corrupt);
	EXPECT_EQ(0, r->bad_id);
	EXPECT_EQ(0, r->overflow);
	EXPECT_EQ(0, r->in_use);
	EXPECT_EQ(r->head, r->tail);
	/* every child mapped it once; only our mapping is left */
	EXPECT_EQ(1 + NPROD + NCONS,
		  kipc_sysfs_u64(KIPC_SYSFS "/shm/%s/maps", n.shm));
	EXPECT_EQ(1, kipc_sysfs_u64(KIPC_SYSFS "/shm/%s/mappings", n.shm));
	{
		int v = -1;

		EXPECT_EQ(0, kipc_sem_getvalue(s[0], &v));
		EXPECT_EQ(SLOTS, v);
		EXPECT_EQ(0, kipc_sem_getvalue(s[1], &v));
		EXPECT_EQ(0, v);
		EXPECT_EQ(0, kipc_sem_getvalue(s[2], &v));
		EXPECT_EQ(1, v);
	}

	munmap(r, sizeof(*r));
	for (k = 0; k < 3; k++)
		kipc_sem_close(s[k]);
	EXPECT_EQ(0, kipc_sem_unlink(n.empty));
	EXPECT_EQ(0, kipc_sem_unlink(n.full));
	EXPECT_EQ(0, kipc_sem_unlink(n.mutex));
	EXPECT_EQ(0, kipc_shm_unlink(n.shm));
}

TEST_HARNESS_MAIN
