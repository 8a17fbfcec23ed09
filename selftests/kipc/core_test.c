// SPDX-License-Identifier: GPL-2.0
/*
 * The module skeleton: loaded, device node and /sys present, version agrees
 * with modinfo, unknown ioctls are ENOTTY, device-level bad input gets the
 * documented errno, and the module cannot go while a file is open.
 */
#include <sys/syscall.h>
#include "../kselftest_harness.h"
#include "kipc_test.h"

#ifndef MODULE_INIT_IGNORE_MODVERSIONS
#define MODULE_INIT_IGNORE_MODVERSIONS 1
#endif

static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

TEST(module_loaded)
{
	struct stat st;

	KIPC_REQUIRE_MODULE(_metadata);
	ASSERT_EQ(0, stat("/sys/module/kipc", &st));
	ASSERT_TRUE(S_ISDIR(st.st_mode));
}

TEST(device_node)
{
	struct stat st;

	KIPC_REQUIRE_MODULE(_metadata);
	ASSERT_EQ(0, stat(KIPC_DEVICE, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0666, st.st_mode & 07777);
}

TEST(sysfs_tree)
{
	struct stat st;

	KIPC_REQUIRE_MODULE(_metadata);
	ASSERT_EQ(0, stat(KIPC_SYSFS "/version", &st));
	ASSERT_EQ(0, stat(KIPC_SYSFS "/stats", &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	ASSERT_EQ(0, stat(KIPC_SYSFS "/limits", &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	ASSERT_EQ(0, stat(KIPC_SYSFS "/stats/files_open", &st));
	/* nothing under /sys/kernel/kipc is world-writable */
	EXPECT_EQ(0, st.st_mode & 0002);
}

TEST(version_matches_modinfo)
{
	char sys[64], mod[64], cmd[512], info[64] = "";
	FILE *p;

	KIPC_REQUIRE_MODULE(_metadata);
	read_line(KIPC_SYSFS "/version", sys, sizeof(sys));
	read_line("/sys/module/kipc/version", mod, sizeof(mod));
	ASSERT_NE(0, strlen(sys));
	EXPECT_STREQ(sys, mod);
	if (access(kipc_ko(), R_OK))
		SKIP(return, "no %s to run modinfo on", kipc_ko());
	snprintf(cmd, sizeof(cmd), "modinfo -F version %s", kipc_ko());
	p = popen(cmd, "r");
	ASSERT_NE(NULL, p);
	if (!fgets(info, sizeof(info), p))
		info[0] = '\0';
	pclose(p);
	info[strcspn(info, "\n")] = '\0';
	EXPECT_STREQ(sys, info);
}

TEST(unknown_ioctl_is_enotty)
{
	static const unsigned int cmds[] = {
		_IO('x', 1),				/* another magic */
		_IO(KIPC_IOC_MAGIC, 0x00),		/* unused core number */
		_IO(KIPC_IOC_MAGIC, 0x0f),
		_IOW(KIPC_IOC_MAGIC, 0x01, int),	/* OPEN's nr, wrong size */
		_IO(KIPC_IOC_MAGIC, 0xff),
		0,
		0xffffffff,
	};
	unsigned int i;
	int fd;

	KIPC_REQUIRE_MODULE(_metadata);
	fd = open(KIPC_DEVICE, O_RDWR);
	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		errno = 0;
		EXPECT_EQ(-1, ioctl(fd, cmds[i], 0)) TH_LOG("cmd %#x", cmds[i]);
		EXPECT_EQ(ENOTTY, errno) TH_LOG("cmd %#x", cmds[i]);
	}
	close(fd);
}

TEST(unbound_file)
{
	struct kipc_info info;
	char buf[16];
	int fd;

	KIPC_REQUIRE_MODULE(_metadata);
	fd = open(KIPC_DEVICE, O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ioctl(fd, KIPC_IOC_INFO, &info));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, write(fd, buf, sizeof(buf)));
	EXPECT_EQ(EBADF, errno);
	close(fd);
}

TEST(open_bad_arguments)
{
	struct kipc_open a;
	int fd;

	KIPC_REQUIRE_MODULE(_metadata);
	fd = open(KIPC_DEVICE, O_RDWR);
	ASSERT_LE(0, fd);

	/* unknown type */
	memset(&a, 0, sizeof(a));
	a.name = (uintptr_t)"x";
	a.name_len = 1;
	a.type = 99;
	EXPECT_EQ(-1, ioctl(fd, KIPC_IOC_OPEN, &a));
	EXPECT_EQ(EINVAL, errno);
	a.type = 0;
	EXPECT_EQ(-1, ioctl(fd, KIPC_IOC_OPEN, &a));
	EXPECT_EQ(EINVAL, errno);
	/* the argument itself unreadable */
	EXPECT_EQ(-1, ioctl(fd, KIPC_IOC_OPEN, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(fd, KIPC_IOC_UNLINK, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(fd, KIPC_IOC_INFO, NULL));
	EXPECT_EQ(EBADF, errno);	/* unbound is checked first */
	close(fd);
}

TEST(files_open_counter)
{
	unsigned long long before, during, after;
	int fds[8], i;

	KIPC_REQUIRE_MODULE(_metadata);
	before = kipc_sysfs_u64(KIPC_SYSFS "/stats/files_open");
	ASSERT_NE(~0ULL, before);
	for (i = 0; i < 8; i++) {
		fds[i] = open(KIPC_DEVICE, O_RDWR);
		ASSERT_LE(0, fds[i]);
	}
	during = kipc_sysfs_u64(KIPC_SYSFS "/stats/files_open");
	for (i = 0; i < 8; i++)
		close(fds[i]);
	after = kipc_sysfs_u64(KIPC_SYSFS "/stats/files_open");
	/* other tests do not run concurrently with this program */
	EXPECT_EQ(before + 8, during);
	EXPECT_EQ(before, after);
}

static int nobody_opens(void *arg)
{
	int fd = open(KIPC_DEVICE, O_RDWR);

	(void)arg;
	if (fd < 0)
		return 1;
	close(fd);
	return 0;
}

TEST(unprivileged_can_open_device)
{
	KIPC_REQUIRE_MODULE(_metadata);
	KIPC_REQUIRE_ROOT(_metadata);
	EXPECT_EQ(0, kipc_as_nobody(nobody_opens, NULL));
}

/* Last: unloads and reloads the module. */
TEST(rmmod_while_open_is_busy)
{
	int fd, ko, ret;

	KIPC_REQUIRE_MODULE(_metadata);
	KIPC_REQUIRE_ROOT(_metadata);
	if (access(kipc_ko(), R_OK))
		SKIP(return, "no %s to reload the module from", kipc_ko());

	fd = open(KIPC_DEVICE, O_RDWR);
	ASSERT_LE(0, fd);
	/* delete_module says EWOULDBLOCK; rmmod(8) reports "in use" */
	ret = syscall(SYS_delete_module, "kipc", O_NONBLOCK);
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EWOULDBLOCK, errno);
	EXPECT_EQ(0, access("/sys/module/kipc", F_OK));
	ret = system("rmmod kipc 2>/dev/null");
	EXPECT_NE(0, ret);
	close(fd);

	ASSERT_EQ(0, syscall(SYS_delete_module, "kipc", O_NONBLOCK))
		TH_LOG("delete_module after close: %s", strerror(errno));
	EXPECT_NE(0, access(KIPC_DEVICE, F_OK));
	EXPECT_NE(0, access(KIPC_SYSFS, F_OK));

	ko = open(kipc_ko(), O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, ko);
	ASSERT_EQ(0, syscall(SYS_finit_module, ko, "", 0))
		TH_LOG("reload: %s", strerror(errno));
	close(ko);
	EXPECT_EQ(0, access(KIPC_DEVICE, F_OK));
}

TEST_HARNESS_MAIN
