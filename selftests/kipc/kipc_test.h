/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kipc selftests share: finding the module, raw ioctl helpers that
 * poison their argument structures, reading /sys counters, and running a
 * piece of a test as the unprivileged user (uid/gid 65534).
 */
#ifndef KIPC_TEST_H
#define KIPC_TEST_H

#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/kipc.h>

#define KIPC_SYSFS	"/sys/kernel/kipc"
#define KIPC_NOBODY	65534

static inline int kipc_present(void)
{
	return access(KIPC_DEVICE, R_OK | W_OK) == 0 &&
	       access(KIPC_SYSFS, F_OK) == 0;
}

/* Skip the whole test program unless the module is loaded. */
#define KIPC_REQUIRE_MODULE(_metadata)					\
	do {								\
		if (!kipc_present())					\
			SKIP(return, "kipc module not loaded");		\
	} while (0)

#define KIPC_REQUIRE_ROOT(_metadata)					\
	do {								\
		if (geteuid())						\
			SKIP(return, "needs root");			\
	} while (0)

/* Read an unsigned number from a sysfs file; -1 (all ones) on error. */
static inline unsigned long long kipc_sysfs_u64(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline unsigned long long kipc_sysfs_u64(const char *fmt, ...)
{
	unsigned long long v = ~0ULL;
	char path[4096];
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	f = fopen(path, "r");
	if (!f)
		return ~0ULL;
	if (fscanf(f, "%llu", &v) != 1)
		v = ~0ULL;
	fclose(f);
	return v;
}

/* Write @val to a sysfs file; 0 or -errno. */
static inline int kipc_sysfs_write(const char *path, const char *val,
				   size_t len)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	return 0;
}

/* Raw KIPC_IOC_OPEN on a fresh /dev/kipc fd; returns fd or -errno. */
static inline int kipc_raw_open(uint32_t type, const char *name,
				uint32_t flags, uint32_t mode,
				const void *attr, uint32_t attr_size)
{
	struct kipc_open a;
	int fd, err;

	memset(&a, 0xa5, sizeof(a));	/* poison: every field is set below */
	a.name = (uintptr_t)name;
	a.name_len = name ? strlen(name) : 0;
	a.flags = flags;
	a.mode = mode;
	a.type = type;
	a.attr = (uintptr_t)attr;
	a.attr_size = attr ? attr_size : 0;
	a.__pad = 0;
	fd = open(KIPC_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, KIPC_IOC_OPEN, &a) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static inline int kipc_raw_unlink(uint32_t type, const char *name)
{
	struct kipc_open a;
	int fd, ret;

	memset(&a, 0, sizeof(a));
	a.name = (uintptr_t)name;
	a.name_len = strlen(name);
	a.type = type;
	fd = open(KIPC_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = ioctl(fd, KIPC_IOC_UNLINK, &a) < 0 ? -errno : 0;
	close(fd);
	return ret;
}

/*
 * Run @fn(@arg) in a child that has become uid/gid 65534 and return the
 * child's exit status (fn's return value), or -1 if it did not exit.
 */
static inline int kipc_as_nobody(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (!pid) {
		if (setgroups(0, NULL) || setgid(KIPC_NOBODY) ||
		    setuid(KIPC_NOBODY))
			_exit(99);
		_exit(fn(arg));
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Tasks whose comm starts with @prefix (kernel threads of kipc), or -1. */
static inline int kipc_kthreads_alive(const char *prefix)
{
	DIR *dir = opendir("/proc");
	struct dirent *d;
	int found = 0;

	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		char path[300], comm[64] = "";
		FILE *f;

		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) &&
		    !strncmp(comm, prefix, strlen(prefix)))
			found++;
		fclose(f);
	}
	closedir(dir);
	return found;
}

/*
 * kthread_stop() returns once the thread has exited, but its /proc entry
 * goes a moment later: wait (up to 5 s) for the count to reach zero.
 */
static inline int kipc_kthreads_gone(const char *prefix)
{
	int i, n = 0;

	for (i = 0; i < 500; i++) {
		n = kipc_kthreads_alive(prefix);
		if (n <= 0)
			break;
		usleep(10000);
	}
	return n;
}

/* The module file to reload from: $KIPC_KO, else where vm-run puts it. */
static inline const char *kipc_ko(void)
{
	const char *ko = getenv("KIPC_KO");

	return ko && *ko ? ko : "/lib/kipc/kipc.ko";
}

/*
 * Load kipc.ko again after a test unloaded it.  A debug kernel
 * (CONFIG_DEBUG_KOBJECT_RELEASE) may remove /sys/kernel/kipc a few seconds
 * after the unload, and loading fails until it is gone: wait for that.
 */
static inline int kipc_reload(void)
{
	int ko, ret, i;

	for (i = 0; i < 100 && access(KIPC_SYSFS, F_OK) == 0; i++)
		usleep(100000);
	ko = open(kipc_ko(), O_RDONLY | O_CLOEXEC);
	if (ko < 0)
		return -errno;
	ret = syscall(SYS_finit_module, ko, "", 0) ? -errno : 0;
	close(ko);
	return ret;
}

/* Seconds on CLOCK_MONOTONIC. */
static inline double kipc_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A name unique to this process and @tag, for tests that run side by side. */
static inline const char *kipc_test_name(char *buf, size_t len,
					 const char *tag)
{
	snprintf(buf, len, "t-%s-%d", tag, (int)getpid());
	return buf;
}

#endif
