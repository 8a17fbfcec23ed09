// SPDX-License-Identifier: GPL-2.0
/*
 * Named shared memory: creation and sizes, pread/pwrite bounds, two
 * unrelated processes sharing a region, fork, a writer killed mid-write,
 * unlink while mapped and the memory coming back, every mmap edge case,
 * copy-on-write MAP_PRIVATE, the /sys counters, permissions and the limits
 * as the unprivileged user.
 *
 * The program re-executes itself ("--helper ...") to get processes that
 * are not parent and child of each other and share nothing but the name.
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <time.h>
#include "../kselftest_harness.h"
#include "kipc_test.h"
#include "kipc.h"

#define PG	((size_t)sysconf(_SC_PAGESIZE))
#define SHM_SYS	KIPC_SYSFS "/shm"
#define LIM	KIPC_SYSFS "/limits/"

static unsigned long long shm_stat(const char *name, const char *file)
{
	return kipc_sysfs_u64(SHM_SYS "/%s/%s", name, file);
}

static unsigned long long total(const char *file)
{
	return kipc_sysfs_u64(KIPC_SYSFS "/stats/%s", file);
}

static int shm_create(const char *name, size_t size)
{
	return kipc_shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, size);
}

static int set_limit(const char *limit, unsigned long long v)
{
	char path[256], val[32];

	snprintf(path, sizeof(path), LIM "%s", limit);
	snprintf(val, sizeof(val), "%llu\n", v);
	return kipc_sysfs_write(path, val, strlen(val));
}

static unsigned long long get_limit(const char *limit)
{
	return kipc_sysfs_u64(LIM "%s", limit);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- helpers run in separately exec'd processes ------------------- */

#define MSG_A	"hello from A, an unrelated process"
#define MSG_B	"and B answers through the same pages"

/*
 * writer: map NAME, write MSG_A at 0, wait for MSG_B at one page in.
 * replier: map NAME, wait for MSG_A at 0, write MSG_B at one page in.
 * Both give up after 20 s.  Exit 0 on success.
 */
static int helper(int argc, char **argv)
{
	bool writer;
	double end;
	size_t sz;
	char *p;
	int fd;

	if (argc != 4)
		return 2;
	writer = !strcmp(argv[2], "writer");
	fd = kipc_shm_open(argv[3], O_RDWR, 0, 0);
	if (fd < 0 || kipc_shm_size(fd, &sz) || sz < 2 * PG)
		return 3;
	p = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return 4;
	close(fd);
	end = now() + 20;
	if (writer)
		memcpy(p, MSG_A, sizeof(MSG_A));
	while (now() < end) {
		volatile char *v = p + (writer ? PG : 0);

		if (!memcmp((const char *)v, writer ? MSG_B : MSG_A,
			    writer ? sizeof(MSG_B) : sizeof(MSG_A))) {
			if (!writer)
				memcpy(p + PG, MSG_B, sizeof(MSG_B));
			return 0;
		}
		usleep(1000);
	}
	return 5;
}

static pid_t spawn_helper(const char *role, const char *name)
{
	pid_t pid = fork();

	if (!pid) {
		execl("/proc/self/exe", "shm_test", "--helper", role, name,
		      (char *)NULL);
		_exit(127);
	}
	return pid;
}

static int wait_exit(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* ---- creation ----------------------------------------------------- */

TEST(create_rounds_size_and_shows_sysfs)
{
	unsigned long long regions0;
	char name[64];
	size_t sz = 0;
	int fd, fd2;

	KIPC_REQUIRE_MODULE(_metadata);
	kipc_test_name(name, sizeof(name), "create");
	regions0 = total("shm_regions");
	fd = shm_create(name, PG + 1);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kipc_shm_size(fd, &sz));
	EXPECT_EQ(2 * PG, sz);
	EXPECT_EQ(2 * PG, shm_stat(name, "size"));
	EXPECT_EQ(2, shm_stat(name, "pages"));
	EXPECT_EQ(0, shm_stat(name, "mappings"));
	EXPECT_EQ(0, shm_stat(name, "resident_pages"));
	EXPECT_EQ(1, shm_stat(name, "handles"));
	EXPECT_EQ(regions0 + 1, total("shm_regions"));

	/* an existing region keeps its size whatever the opener asks */
	fd2 = kipc_shm_open(name, O_RDWR | O_CREAT, 0600, 100 * PG);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, kipc_shm_size(fd2, &sz));
	EXPECT_EQ(2 * PG, sz);
	EXPECT_EQ(2, shm_stat(name, "handles"));
	EXPECT_EQ(-1, shm_create(name, PG));
	EXPECT_EQ(EEXIST, errno);
	close(fd2);
	close(fd);
	ASSERT_EQ(0, kipc_shm_unlink(name));
	EXPECT_EQ(-1, kipc_shm_unlink(name));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, kipc_shm_open(name, O_RDWR, 0, 0));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(regions0, total("shm_regions"));
}

TEST(bad_sizes_change_nothing)
{
	unsigned long long regions0, bytes0, max;
	char name[64];
	int fd;

	KIPC_REQUIRE_MODULE(_metadata);
	kipc_test_name(name, sizeof(name), "badsize");
	regions0 = total("shm_regions");
	bytes0 = total("shm_bytes");
	max = get_limit("shm_size_max");
	ASSERT_NE(~0ULL, max);

	EXPECT_EQ(-1, shm_create(name, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, shm_create(name, max + 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, shm_create(name, (size_t)-1));
	EXPECT_EQ(EINVAL, errno);
	/* no attributes at all */
	fd = kipc_raw_open(KIPC_TYPE_SHM, name, KIPC_O_RDWR | KIPC_O_CREAT,
			   0600, NULL, 0);
	EXPECT_EQ(-EINVAL, fd);
	EXPECT_EQ(regions0, total("shm_regions"));
	EXPECT_EQ(bytes0, total("shm_bytes"));
	EXPECT_EQ(-1, kipc_shm_open(name, O_RDWR, 0, 0));
	EXPECT_EQ(ENOENT, errno);

	/* the largest allowed size works: bytes are reserved, not touched */
	if (max <= (64ULL << 20)) {
		fd = shm_create(name, max);
		ASSERT_LE(0, fd);
		EXPECT_EQ(bytes0 + max, total("shm_bytes"));
		EXPECT_EQ(0, shm_stat(name, "resident_pages"));
		close(fd);
		EXPECT_EQ(0, kipc_shm_unlink(name));
	}
	EXPECT_EQ(bytes0, total("shm_bytes"));
}

TEST(kipc_shm_size_on_other_fds)
{
	size_t sz;
	int fd;

	KIPC_REQUIRE_MODULE(_metadata);
	fd = open(KIPC_DEVICE, O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, kipc_shm_size(fd, &sz));
	EXPECT_EQ(EBADF, errno);
	close(fd);
	fd = open("/dev/null", O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, kipc_shm_size(fd, &sz));
	EXPECT_EQ(EBADF, errno);
	close(fd);
}

/* ---- pread / pwrite ----------------------------------------------- */

TEST(pread_pwrite_bounds)
{
	char name[64], buf[8192], zero[8192];
	void *volatile bad_ptr = (void *)8;	/* hidden from the compiler */
	size_t size = 2 * PG;
	int fd, ro, wo;

	KIPC_REQUIRE_MODULE(_metadata);
	ASSERT_GE(sizeof(buf), size);
	kipc_test_name(name, sizeof(name), "rw");
	fd = shm_create(name, size);
	ASSERT_LE(0, fd);
	memset(zero, 0, sizeof(zero));

	/* untouched pages read as zeros and are not allocated by reading */
	memset(buf, 0xff, sizeof(buf));
	EXPECT_EQ((ssize_t)size, pread(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, zero, size));
	EXPECT_EQ(0, shm_stat(name, "resident_pages"));

	/* a write across the page boundary */
	EXPECT_EQ(10, pwrite(fd, "0123456789", 10, PG - 5));
	EXPECT_EQ(2, shm_stat(name, "resident_pages"));
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(10, pread(fd, buf, 10, PG - 5));
	EXPECT_EQ(0, memcmp(buf, "0123456789", 10));

	/* the end: reads stop, writes are short, then ENOSPC */
	EXPECT_EQ(3, pread(fd, buf, 100, size - 3));
	EXPECT_EQ(0, pread(fd, buf, 100, size));
	EXPECT_EQ(0, pread(fd, buf, 100, size + 12345));
	EXPECT_EQ(4, pwrite(fd, "abcdefgh", 8, size - 4));
	EXPECT_EQ(-1, pwrite(fd, "x", 1, size));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(-1, pwrite(fd, "x", 1, 1LL << 60));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(-1, pread(fd, buf, 1, -1));
	EXPECT_EQ(EINVAL, errno);
	/* a bad user pointer: EFAULT, nothing copied */
	EXPECT_EQ(-1, pwrite(fd, bad_ptr, 10, 0));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, pread(fd, bad_ptr, 10, PG - 5));
	EXPECT_EQ(EFAULT, errno);

	/* read() and write() use and move the file position */
	EXPECT_EQ(0, lseek(fd, 0, SEEK_SET));
	EXPECT_EQ(5, write(fd, "HELLO", 5));
	EXPECT_EQ(5, lseek(fd, 0, SEEK_CUR));
	EXPECT_EQ(0, lseek(fd, 0, SEEK_SET));
	EXPECT_EQ(5, read(fd, buf, 5));
	EXPECT_EQ(0, memcmp(buf, "HELLO", 5));
	/* 8 KiB + 10 + 3 bytes by pread above, 5 by read() */
	EXPECT_EQ(size + 10 + 3 + 5, shm_stat(name, "read_bytes"));

	/* access mode of the handle */
	ro = kipc_shm_open(name, O_RDONLY, 0, 0);
	ASSERT_LE(0, ro);
	EXPECT_EQ(-1, pwrite(ro, "x", 1, 0));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(5, pread(ro, buf, 5, 0));
	wo = kipc_raw_open(KIPC_TYPE_SHM, name, KIPC_O_WRONLY, 0, NULL, 0);
	ASSERT_LE(0, wo);
	EXPECT_EQ(-1, pread(wo, buf, 1, 0));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(1, pwrite(wo, "h", 1, 0));
	close(wo);
	close(ro);
	close(fd);
	EXPECT_EQ(0, kipc_shm_unlink(name));
}

/* ---- sharing ------------------------------------------------------ */

TEST(unrelated_processes_see_each_others_writes)
{
	pid_t a, b;
	char name[64], buf[64];
	int fd;

	KIPC_REQUIRE_MODULE(_metadata);
	kipc_test_name(name, sizeof(name), "unrel");
	fd = shm_create(name, 2 * PG);
	ASSERT_LE(0, fd);
	/* two exec'd siblings: neither inherits anything from the other */
	b = spawn_helper("replier", name);
	ASSERT_LT(0, b);
	a = spawn_helper("writer", name);
	ASSERT_LT(0, a);
	EXPECT_EQ(0, wait_exit(a));
	EXPECT_EQ(0, wait_exit(b));
	/* and this process sees both writes through pread */
	ASSERT_EQ((ssize_t)sizeof(MSG_A), pread(fd, buf, sizeof(MSG_A), 0));
	EXPECT_EQ(0, memcmp(buf, MSG_A, sizeof(MSG_A)));
	ASSERT_EQ((ssize_t)sizeof(MSG_B), pread(fd, buf, sizeof(MSG_B), PG));
	EXPECT_EQ(0, memcmp(buf, MSG_B, sizeof(MSG_B)));
	EXPECT_EQ(0, shm_stat(name, "mappings"));
	EXPECT_EQ(2, shm_stat(name, "maps"));
	close(fd);
	EXPECT_EQ(0, kipc_shm_unlink(name));
}

TEST(fork_child_inherits_mapping)
{
	volatile char *p;
	char name[64];
	double end;
	pid_t pid;
	int fd;

	KIPC_REQUIRE_MODULE(_metadata);
	kipc_test_name(name, sizeof(name), "fork");
	fd = shm_create(name, PG);
	ASSERT_LE(0, fd);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	close(fd);	/* the mapping alone keeps it */
	p[0] = 1;
	EXPECT_EQ(1, shm_stat(name, "mappings"));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		double end = now() + 20;

		/* the parent's write before fork, then ours, then theirs */
		if (p[0] != 1)
			_exit(1);
		p[1] = 2;
		while (p[2] != 3 && now() < end)
			usleep(1000);
		_exit(p[2] == 3 ? 0 : 2);
	}
	end = now() + 20;
	while (p[1] != 2 && now() < end) {
		usleep(1000);
		if (waitpid(pid, NULL, WNOHANG) == pid)
			break;
	}
	EXPECT_EQ(2, p[1]);
	/* the child's copy of the VMA counts while it lives */
	EXPECT_EQ(2, shm_stat(name, "mappings"));
	p[2] = 3;
	EXPECT_EQ(0, wait_exit(pid));
	EXPECT_EQ(1, shm_stat(name, "mappings"));
	munmap((void *)p, PG);
	EXPECT_EQ(0, shm_stat(name, "mappings"));
	EXPECT_EQ(0, kipc_shm_unlink(name));
}

TEST(writer_killed_mid_write_leaves_region_intact)
{
	size_t size = 16 * PG, half = size / 2, i;
	unsigned long long *q, last = 0, zeros = 0, breaks;
	char name[64], *buf;
	pid_t pid;
	int fd;

	KIPC_REQUIRE_MODULE(_metadata);
	kipc_test_name(name, sizeof(name), "kill");
	fd = shm_create(name, size);
	ASSERT_LE(0, fd);
	buf = malloc(size);
	ASSERT_NE(NULL, buf);
	for (i = 0; i < half; i++)
		buf[i] = (char)(i * 7 + 1);
	ASSERT_EQ((ssize_t)half, pwrite(fd, buf, half, half));

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		unsigned long long *w, n = 0;
		int cfd = kipc_shm_open(name, O_RDWR, 0, 0);

		w = mmap(NULL, half, PROT_READ | PROT_WRITE, MAP_SHARED,
			 cfd, 0);
		if (w == MAP_FAILED)
			_exit(1);
		/* each word gets an ever-increasing number, for ever */
		for (;;)
			for (i = 0; i < half / 8; i++)
				w[i] = ++n;
	}
	/* let it run into the middle of its writing, then kill it */
	while (!shm_stat(name, "mappings") && waitpid(pid, NULL, WNOHANG) == 0)
		usleep(1000);
	usleep(200 * 1000);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));

	/* the region survives, its other half untouched, no mapping left */
	EXPECT_EQ(0, shm_stat(name, "mappings"));
	EXPECT_EQ(1, shm_stat(name, "handles"));
	EXPECT_EQ(size, shm_stat(name, "size"));
	q = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, q);
	EXPECT_EQ(0, memcmp((char *)q + half, buf, half));
	/*
	 * The written half: the writer's current pass, then the rest of its
	 * previous one.  So the words count up by one with at most one step
	 * back, of exactly one pass, and none is zero (a torn or lost write
	 * would show as another step).
	 */
	for (i = 0, breaks = 0; i < half / 8; i++) {
		if (!q[i])
			zeros++;
		if (q[i] > last)
			last = q[i];
		if (i && q[i] != q[i - 1] + 1) {
			breaks++;
			EXPECT_EQ(half / 8 - 1, q[i - 1] - q[i]);
		}
	}
	EXPECT_EQ(0, zeros);
	EXPECT_GE(1, breaks);
	EXPECT_LT(0, last);
	TH_LOG("writer got to number %llu before SIGKILL", last);
	munmap(q, size);
	free(buf);
	close(fd);
	EXPECT_EQ(0, kipc_shm_unlink(name));
}

/* ---- unlink while mapped, and the memory coming back --------------- */

TEST(unlink_while_mapped_then_memory_freed)
{
	unsigned long long bytes0, res0, regions0, lim0;
	size_t size = 8 * PG, i;
	char name[64], name2[64];
	volatile char *p;
	int fd, fd2;

	KIPC_REQUIRE_MODULE(_metadata);
	KIPC_REQUIRE_ROOT(_metadata);
	kipc_test_name(name, sizeof(name), "unl");
	kipc_test_name(name2, sizeof(name2), "unl2");
	bytes0 = total("shm_bytes");
	res0 = total("shm_resident_pages");
	regions0 = total("shm_regions");
	lim0 = get_limit("shm_total_bytes_max");
	/* room for exactly one region of @size: the limit shows who holds it */
	ASSERT_EQ(0, set_limit("shm_total_bytes_max", bytes0 + size));

	fd = shm_create(name, size);
	ASSERT_LE(0, fd);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	for (i = 0; i < size; i += PG)
		p[i] = (char)(i / PG + 1);
	EXPECT_EQ(res0 + 8, total("shm_resident_pages"));
	EXPECT_EQ(bytes0 + size, total("shm_bytes"));
	EXPECT_EQ(-1, shm_create(name2, PG));
	EXPECT_EQ(ENOSPC, errno);

	ASSERT_EQ(0, kipc_shm_unlink(name));
	/* the name is gone at once: open fails, /sys dir gone, name reusable */
	EXPECT_EQ(-1, kipc_shm_open(name, O_RDWR, 0, 0));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(~0ULL, shm_stat(name, "size"));
	/* the mapping still works both ways, and the handle too */
	for (i = 0; i < size; i += PG)
		EXPECT_EQ((char)(i / PG + 1), p[i]);
	p[1] = 'x';
	{
		char c = 0;

		EXPECT_EQ(1, pread(fd, &c, 1, 1));
		EXPECT_EQ('x', c);
	}
	/* the memory is still held: counted and limiting */
	EXPECT_EQ(bytes0 + size, total("shm_bytes"));
	EXPECT_EQ(res0 + 8, total("shm_resident_pages"));
	EXPECT_EQ(-1, shm_create(name2, PG));
	EXPECT_EQ(ENOSPC, errno);

	/* close first: the mapping alone still holds it */
	close(fd);
	EXPECT_EQ(bytes0 + size, total("shm_bytes"));
	EXPECT_EQ('x', p[1]);
	EXPECT_EQ(0, munmap((void *)p, size));
	/* the last reference: everything comes back */
	EXPECT_EQ(bytes0, total("shm_bytes"));
	EXPECT_EQ(res0, total("shm_resident_pages"));
	EXPECT_EQ(regions0, total("shm_regions"));
	fd2 = shm_create(name2, size);
	EXPECT_LE(0, fd2);
	if (fd2 >= 0) {
		close(fd2);
		EXPECT_EQ(0, kipc_shm_unlink(name2));
	}
	EXPECT_EQ(0, set_limit("shm_total_bytes_max", lim0));
}

/* ---- mmap edge cases ---------------------------------------------- */

struct edge {
	const char *what;
	int expect;
	int got;
};

static void edge_check(struct edge *e, void *p, int err)
{
	e->got = p == MAP_FAILED ? err : 0;
}

TEST(mmap_edge_cases_rejected)
{
	size_t size = 4 * PG;
	struct edge e[20];
	unsigned int n = 0, ok = 0, i;
	char name[64];
	int fd, ro, wo, unbound;
	void *p;

	KIPC_REQUIRE_MODULE(_metadata);
	kipc_test_name(name, sizeof(name), "edge");
	fd = shm_create(name, size);
	ASSERT_LE(0, fd);
	ro = kipc_shm_open(name, O_RDONLY, 0, 0);
	ASSERT_LE(0, ro);
	wo = kipc_raw_open(KIPC_TYPE_SHM, name, KIPC_O_WRONLY, 0, NULL, 0);
	ASSERT_LE(0, wo);
	unbound = open(KIPC_DEVICE, O_RDWR);
	ASSERT_LE(0, unbound);

#define EDGE(_what, _expect, _call) do {				\
		e[n].what = (_what);					\
		e[n].expect = (_expect);				\
		errno = 0;						\
		p = (_call);						\
		edge_check(&e[n], p, errno);				\
		if (p != MAP_FAILED)					\
			munmap(p, PG);					\
		n++;							\
	} while (0)
#define MAP(_len, _prot, _fd, _off)					\
	mmap(NULL, (_len), (_prot), MAP_SHARED, (_fd), (off_t)(_off))

	EDGE("offset at the end", ENXIO,
	     MAP(PG, PROT_READ, fd, size));
	EDGE("offset past the end", ENXIO,
	     MAP(PG, PROT_READ, fd, size + 10 * PG));
	EDGE("huge pgoff (2^40 bytes)", ENXIO,
	     MAP(PG, PROT_READ, fd, 1ULL << 40));
	EDGE("huge pgoff (2^62 bytes)", ENXIO,
	     MAP(PG, PROT_READ, fd, 1ULL << 62));
	EDGE("huge pgoff (2^63 bytes)", ENXIO,
	     MAP(PG, PROT_READ, fd, 1ULL << 63));
	EDGE("pgoff past any offset (2^64 - 1 page)", EOVERFLOW,
	     MAP(PG, PROT_READ, fd, -(off_t)PG));
	EDGE("size + 1 page", ENXIO,
	     MAP(size + PG, PROT_READ, fd, 0));
	EDGE("last page + 1 page", ENXIO,
	     MAP(2 * PG, PROT_READ, fd, size - PG));
	EDGE("zero length", EINVAL,
	     MAP(0, PROT_READ, fd, 0));
	EDGE("unaligned offset", EINVAL,
	     MAP(PG, PROT_READ, fd, 1));
	EDGE("PROT_WRITE MAP_SHARED on a read-only handle", EACCES,
	     MAP(PG, PROT_READ | PROT_WRITE, ro, 0));
	EDGE("write-only handle", EACCES,
	     MAP(PG, PROT_READ, wo, 0));
	EDGE("unbound /dev/kipc file", ENODEV,
	     MAP(PG, PROT_READ, unbound, 0));

	/* mprotect upgrade of a read-only handle's shared mapping */
	p = MAP(size, PROT_READ, ro, 0);
	ASSERT_NE(MAP_FAILED, p);
	e[n].what = "mprotect(PROT_WRITE) on a read-only handle's mapping";
	e[n].expect = EACCES;
	e[n].got = mprotect(p, PG, PROT_READ | PROT_WRITE) ? errno : 0;
	n++;
	/* mremap growth, in place and moving */
	e[n].what = "mremap growth in place";
	e[n].expect = EFAULT;
	e[n].got = mremap(p, size, size + PG, 0) == MAP_FAILED ? errno : 0;
	n++;
	e[n].what = "mremap growth, may move";
	e[n].expect = EFAULT;
	e[n].got = mremap(p, size, 2 * size, MREMAP_MAYMOVE) == MAP_FAILED ?
		   errno : 0;
	n++;
	/* still the same read-only mapping, still readable */
	EXPECT_EQ(0, ((volatile char *)p)[size - 1]);
	EXPECT_EQ(1, shm_stat(name, "mappings"));
	EXPECT_EQ(0, munmap(p, size));

	for (i = 0; i < n; i++) {
		if (e[i].got == e[i].expect)
			ok++;
		else
			TH_LOG("%s: expected %s, got %s", e[i].what,
			       strerror(e[i].expect),
			       e[i].got ? strerror(e[i].got) : "success");
	}
	ksft_print_msg("mmap edge cases: %u of %u rejected as documented\n",
		       ok, n);
	fflush(stdout);	/* the test child ends with _exit() */
	EXPECT_EQ(n, ok);
	/* no failed attempt left a mapping or a reference behind */
	EXPECT_EQ(0, shm_stat(name, "mappings"));
	EXPECT_EQ(3, shm_stat(name, "handles"));
	close(unbound);
	close(wo);
	close(ro);
	close(fd);
	EXPECT_EQ(0, kipc_shm_unlink(name));
}

TEST(allowed_mappings_work)
{
	size_t size = 4 * PG;
	char name[64], *p, *q, c;
	int fd, ro;

	KIPC_REQUIRE_MODULE(_metadata);
	kipc_test_name(name, sizeof(name), "allowed");
	fd = shm_create(name, size);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, pwrite(fd, "A", 1, 2 * PG + 7));

	/* a part, at an offset */
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 2 * PG);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ('A', p[7]);
	p[8] = 'B';
	ASSERT_EQ(1, pread(fd, &c, 1, 2 * PG + 8));
	EXPECT_EQ('B', c);
	/* mremap may shrink */
	q = mremap(p, PG, PG, 0);
	EXPECT_EQ(p, q);
	munmap(p, PG);

	/* read-only handle: PROT_READ shared works and sees writes */
	ro = kipc_shm_open(name, O_RDONLY, 0, 0);
	ASSERT_LE(0, ro);
	p = mmap(NULL, size, PROT_READ, MAP_SHARED, ro, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(1, pwrite(fd, "C", 1, 0));
	EXPECT_EQ('C', ((volatile char *)p)[0]);
	munmap(p, size);

	/* MAP_PRIVATE is copy-on-write: the region never changes */
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ('C', p[0]);
	p[0] = 'P';
	ASSERT_EQ(1, pread(fd, &c, 1, 0));
	EXPECT_EQ('C', c);
	EXPECT_EQ('P', p[0]);
	munmap(p, size);

	/* MAP_POPULATE faults every page in at once */
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_POPULATE, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(4, shm_stat(name, "resident_pages"));
	munmap(p, size);

	close(ro);
	close(fd);
	EXPECT_EQ(0, kipc_shm_unlink(name));
}

TEST(sysfs_counters)
{
	unsigned long long maps0, faults0, tm0;
	size_t size = 4 * PG, i;
	char name[64];
	volatile char *p;
	int fd;

	KIPC_REQUIRE_MODULE(_metadata);
	kipc_test_name(name, sizeof(name), "cnt");
	fd = shm_create(name, size);
	ASSERT_LE(0, fd);
	maps0 = total("shm_maps");
	faults0 = total("shm_faults");
	tm0 = total("shm_mappings");

	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(1, shm_stat(name, "mappings"));
	EXPECT_EQ(1, shm_stat(name, "maps"));
	EXPECT_EQ(tm0 + 1, total("shm_mappings"));
	EXPECT_EQ(maps0 + 1, total("shm_maps"));
	EXPECT_EQ(0, shm_stat(name, "faults"));
	for (i = 0; i < 3; i++)
		p[i * PG] = 1;
	EXPECT_EQ(3, shm_stat(name, "faults"));
	EXPECT_EQ(3, shm_stat(name, "resident_pages"));
	EXPECT_EQ(faults0 + 3, total("shm_faults"));
	/* touching again does not fault again */
	p[0] = 2;
	EXPECT_EQ(3, shm_stat(name, "faults"));
	/* a hole in the middle splits the VMA: two mappings, as shm_nattch */
	EXPECT_EQ(0, munmap((void *)(p + PG), PG));
	EXPECT_EQ(2, shm_stat(name, "mappings"));
	EXPECT_EQ(0, munmap((void *)p, PG));
	EXPECT_EQ(1, shm_stat(name, "mappings"));
	EXPECT_EQ(0, munmap((void *)(p + 2 * PG), 2 * PG));
	EXPECT_EQ(0, shm_stat(name, "mappings"));
	EXPECT_EQ(tm0, total("shm_mappings"));
	/* pages stay with the region, not with the mapping */
	EXPECT_EQ(3, shm_stat(name, "resident_pages"));
	close(fd);
	EXPECT_EQ(0, kipc_shm_unlink(name));
}

/* ---- memory cgroup charging --------------------------------------- */

/*
 * A cgroup2 mount with the memory controller enabled for children, or
 * NULL.  The guest may have none mounted: then mount one (and unmount it
 * in cgroup2_done()).
 */
#define CG2_OWN	"/tmp/kipc-cg2"
static bool cg2_mounted;

static const char *cgroup2_root(void)
{
	static const char *const roots[] = { "/sys/fs/cgroup", CG2_OWN };
	char path[256];
	unsigned int i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/cgroup.controllers", roots[i]);
		if (access(path, R_OK) && i == 1) {
			mkdir(CG2_OWN, 0755);
			if (mount("none", CG2_OWN, "cgroup2", 0, NULL))
				return NULL;
			cg2_mounted = true;
		}
		if (access(path, R_OK))
			continue;
		snprintf(path, sizeof(path), "%s/cgroup.subtree_control",
			 roots[i]);
		if (!kipc_sysfs_write(path, "+memory", 7))
			return roots[i];
	}
	return NULL;
}

static void cgroup2_done(void)
{
	if (cg2_mounted && !umount(CG2_OWN))
		rmdir(CG2_OWN);
	cg2_mounted = false;
}

static int create_in_cgroup(const char *procs, const char *name, size_t size)
{
	char pid[32];
	int fd;

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	if (kipc_sysfs_write(procs, pid, strlen(pid)))
		return 1;
	fd = shm_create(name, size);
	if (fd < 0)
		return 2;
	close(fd);
	return 0;
}

/*
 * A region created by a process in cgroup C and touched by a process
 * outside it: the pages are C's (memory.current), and they go when the
 * region is freed.
 */
TEST(pages_charged_to_creators_memcg)
{
	unsigned long long before, touched, after, slack;
	size_t size = 2048 * PG, i;
	char cg[256], procs[300], cur[300], name[64];
	const char *root;
	volatile char *p;
	pid_t pid;
	int fd;

	KIPC_REQUIRE_MODULE(_metadata);
	KIPC_REQUIRE_ROOT(_metadata);
	root = cgroup2_root();
	if (!root) {
		cgroup2_done();
		SKIP(return, "no cgroup2 memory controller");
	}
	kipc_test_name(name, sizeof(name), "memcg");
	snprintf(cg, sizeof(cg), "%s/%s", root, name);
	ASSERT_EQ(0, mkdir(cg, 0755));
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
	snprintf(cur, sizeof(cur), "%s/memory.current", cg);

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(create_in_cgroup(procs, name, size));
	ASSERT_EQ(0, wait_exit(pid));

	/* this process is not in @cg, but the pages it faults in are */
	before = kipc_sysfs_u64("%s", cur);
	fd = kipc_shm_open(name, O_RDWR, 0, 0);
	ASSERT_LE(0, fd);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	for (i = 0; i < size; i += PG)
		p[i] = 1;
	touched = kipc_sysfs_u64("%s", cur);
	/*
	 * memcg charges in batches of 64 pages (MEMCG_CHARGE_BATCH) kept per
	 * CPU, so memory.current may lag by up to that much per CPU; nothing
	 * else runs in @cg, so the rest of the rise is our pages.
	 */
	slack = 64ULL * PG * sysconf(_SC_NPROCESSORS_CONF);
	EXPECT_LE(before + size - slack, touched);
	TH_LOG("memory.current of the creator's cgroup: %llu -> %llu bytes after touching %zu",
	       before, touched, size);
	munmap((void *)p, size);
	close(fd);
	EXPECT_EQ(0, kipc_shm_unlink(name));
	after = kipc_sysfs_u64("%s", cur);
	TH_LOG("and %llu bytes once the region is freed", after);
	EXPECT_GE(touched - size + slack, after);
	EXPECT_EQ(0, rmdir(cg));
	cgroup2_done();
}

/* ---- permissions and limits as the unprivileged user --------------- */

struct nb {
	const char *name;
	const char *name2;
	size_t size;
	int err;
};

/* Try to create @name of @size; return 0 on success, else the errno. */
static int nobody_create(void *arg)
{
	struct nb *a = arg;
	int fd = kipc_shm_open(a->name, O_RDWR | O_CREAT | O_EXCL, 0600,
			       a->size);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int nobody_unlink(void *arg)
{
	struct nb *a = arg;

	return kipc_shm_unlink(a->name) ? errno : 0;
}

static int nobody_uses_root_region(void *arg)
{
	struct nb *a = arg;
	void *p;
	int fd;

	/* mode 0644: read yes, write no, map writable no, unlink no */
	if (kipc_shm_open(a->name, O_RDWR, 0, 0) != -1 || errno != EACCES)
		return 10;
	fd = kipc_shm_open(a->name, O_RDONLY, 0, 0);
	if (fd < 0)
		return 11;
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p != MAP_FAILED || errno != EACCES)
		return 12;
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return 13;
	if (mprotect(p, PG, PROT_READ | PROT_WRITE) != -1 || errno != EACCES)
		return 14;
	munmap(p, PG);
	close(fd);
	if (kipc_shm_unlink(a->name) != -1 || errno != EACCES)
		return 15;
	/* and the limits are root's */
	if (set_limit("shm_size_max", 1 << 20) != -EACCES)
		return 16;
	return 0;
}

TEST(permissions_as_nobody)
{
	char name[64];
	struct nb a;
	mode_t old;
	int fd;

	KIPC_REQUIRE_MODULE(_metadata);
	KIPC_REQUIRE_ROOT(_metadata);
	kipc_test_name(name, sizeof(name), "perm");
	old = umask(0);
	fd = kipc_shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0644, PG);
	umask(old);
	ASSERT_LE(0, fd);
	a.name = name;
	EXPECT_EQ(0, kipc_as_nobody(nobody_uses_root_region, &a));
	close(fd);
	EXPECT_EQ(0, kipc_shm_unlink(name));
}

FIXTURE(limits) {
	unsigned long long saved[5];
	char name[4][64];
};

static const char *const limit_names[5] = {
	"shm_max", "shm_size_max", "shm_user_max", "shm_user_bytes_max",
	"shm_total_bytes_max",
};

FIXTURE_SETUP(limits)
{
	int i;

	KIPC_REQUIRE_MODULE(_metadata);
	KIPC_REQUIRE_ROOT(_metadata);
	for (i = 0; i < 5; i++) {
		self->saved[i] = get_limit(limit_names[i]);
		ASSERT_NE(~0ULL, self->saved[i]);
	}
	for (i = 0; i < 4; i++) {
		char tag[8];

		snprintf(tag, sizeof(tag), "lim%d", i);
		kipc_test_name(self->name[i], sizeof(self->name[i]), tag);
	}
}

FIXTURE_TEARDOWN(limits)
{
	int i;

	for (i = 0; i < 4; i++)
		kipc_shm_unlink(self->name[i]);	/* whatever is left */
	for (i = 0; i < 5; i++)
		if (self->saved[i] != ~0ULL)
			set_limit(limit_names[i], self->saved[i]);
}

static int as_nobody_create(struct __test_metadata *m, const char *name,
			    size_t size)
{
	struct nb a = { .name = name, .size = size };

	(void)m;
	return kipc_as_nobody(nobody_create, &a);
}

static int as_nobody_unlink(const char *name)
{
	struct nb a = { .name = name };

	return kipc_as_nobody(nobody_unlink, &a);
}

TEST_F(limits, user_bytes_max_is_emfile_and_root_raises_it)
{
	ASSERT_EQ(0, set_limit("shm_user_bytes_max", 3 * PG));
	EXPECT_EQ(0, as_nobody_create(_metadata, self->name[0], 2 * PG));
	EXPECT_EQ(EMFILE, as_nobody_create(_metadata, self->name[1], 2 * PG));
	/* a size rounding up past the limit counts as rounded */
	EXPECT_EQ(EMFILE, as_nobody_create(_metadata, self->name[1], PG + 1));
	EXPECT_EQ(0, as_nobody_create(_metadata, self->name[1], PG));
	EXPECT_EQ(EMFILE, as_nobody_create(_metadata, self->name[2], 1));
	/* root raises it */
	ASSERT_EQ(0, set_limit("shm_user_bytes_max", 5 * PG));
	EXPECT_EQ(0, as_nobody_create(_metadata, self->name[2], 2 * PG));
	/* unlinking gives the bytes back */
	EXPECT_EQ(0, as_nobody_unlink(self->name[0]));
	EXPECT_EQ(0, as_nobody_create(_metadata, self->name[3], 2 * PG));
}

TEST_F(limits, user_max_is_emfile)
{
	ASSERT_EQ(0, set_limit("shm_user_max", 1));
	EXPECT_EQ(0, as_nobody_create(_metadata, self->name[0], PG));
	EXPECT_EQ(EMFILE, as_nobody_create(_metadata, self->name[1], PG));
	ASSERT_EQ(0, set_limit("shm_user_max", 2));
	EXPECT_EQ(0, as_nobody_create(_metadata, self->name[1], PG));
}

TEST_F(limits, size_max_is_einval)
{
	ASSERT_EQ(0, set_limit("shm_size_max", 2 * PG));
	EXPECT_EQ(0, as_nobody_create(_metadata, self->name[0], 2 * PG));
	EXPECT_EQ(EINVAL, as_nobody_create(_metadata, self->name[1],
					   2 * PG + 1));
	ASSERT_EQ(0, set_limit("shm_size_max", 4 * PG));
	EXPECT_EQ(0, as_nobody_create(_metadata, self->name[1], 4 * PG));
}

TEST_F(limits, total_bytes_and_count_are_enospc)
{
	unsigned long long bytes = total("shm_bytes");
	unsigned long long regions = total("shm_regions");

	ASSERT_EQ(0, set_limit("shm_total_bytes_max", bytes + 2 * PG));
	EXPECT_EQ(0, as_nobody_create(_metadata, self->name[0], PG));
	EXPECT_EQ(ENOSPC, as_nobody_create(_metadata, self->name[1], 2 * PG));
	EXPECT_EQ(0, as_nobody_create(_metadata, self->name[1], PG));
	ASSERT_EQ(0, set_limit("shm_total_bytes_max", bytes + 8 * PG));
	ASSERT_EQ(0, set_limit("shm_max", regions + 2));
	EXPECT_EQ(ENOSPC, as_nobody_create(_metadata, self->name[2], PG));
	ASSERT_EQ(0, set_limit("shm_max", regions + 3));
	EXPECT_EQ(0, as_nobody_create(_metadata, self->name[2], PG));
}

TEST_F(limits, bad_writes_refused_value_kept)
{
	static const char *const bad[] = {
		"\n", "-1", "abc", "1 2", "99999999999999999999999",
		"0",		/* below shm_size_max's minimum (one page) */
		"70368744177665",	/* 2^46 + 1: above the maximum */
	};
	unsigned long long before = get_limit("shm_size_max");
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, kipc_sysfs_write(LIM "shm_size_max", bad[i],
						    strlen(bad[i])))
			TH_LOG("wrote '%s'", bad[i]);
		EXPECT_EQ(before, get_limit("shm_size_max"));
	}
	EXPECT_EQ(0, set_limit("shm_size_max", 1ULL << 46));
	EXPECT_EQ(1ULL << 46, get_limit("shm_size_max"));
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--helper"))
		return helper(argc, argv);
	return test_harness_run(argc, argv);
}
