/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kipc: kernel-managed named IPC objects behind one character device.
 *
 * Protocol
 * --------
 * A process opens /dev/kipc (O_RDWR) and binds the new file to one named
 * object with KIPC_IOC_OPEN.  From then on the file *is* a handle of that
 * object: read/write/poll/mmap and the object's own ioctls act on it, and
 * close() drops the handle.  A file is bound at most once (EBUSY after);
 * an object ioctl on an unbound file, or on a file bound to an object of
 * another type, fails with EBADF; read and write on an unbound file fail
 * with EBADF, mmap with ENODEV.  Unknown commands fail with ENOTTY.
 *
 * Objects live in one namespace per type (a queue and a semaphore may share
 * a name).  A name is 1..KIPC_NAME_MAX bytes of printable ASCII other than
 * '/' and ' ', and not "." or ".." (EINVAL; longer: ENAMETOOLONG).  An
 * object exists until it is unlinked *and* its last handle (and mapping) is
 * gone; unlinking removes the name at once, so the name may be reused while
 * old handles live on.  Objects outlive the processes that made them, as
 * POSIX IPC objects do, until unlinked or until the module is unloaded.
 *
 * Permissions follow POSIX IPC: the creator's fsuid/fsgid own the object,
 * its mode is @mode & ~umask & 0777; opening for reading needs read
 * permission and for writing write permission (EACCES; CAP_DAC_OVERRIDE or
 * CAP_IPC_OWNER bypass).  The creator gets the access it asked for whatever
 * the mode.  Only the owner or a holder of CAP_IPC_OWNER may unlink
 * (EACCES otherwise, as mq_unlink).
 *
 * Every structure is made of fixed-width fields; pointers travel as __u64;
 * padding and reserved fields must be zero (EINVAL otherwise).  Timeouts are
 * absolute, in nanoseconds, on the clock the caller names.
 */
#ifndef _UAPI_LINUX_KIPC_H
#define _UAPI_LINUX_KIPC_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define KIPC_DEVICE		"/dev/kipc"
#define KIPC_NAME_MAX		255

/* Object types, for struct kipc_open.type */
#define KIPC_TYPE_MQ		1	/* named message queue */
#define KIPC_TYPE_SEM		2	/* named counting semaphore */
#define KIPC_TYPE_SHM		3	/* named shared-memory region */

/*
 * Open flags, for struct kipc_open.flags.  These are kipc's own bits, not the
 * O_* values of fcntl.h, so that the ABI is the same on every architecture.
 */
#define KIPC_O_RDONLY		0x0000
#define KIPC_O_WRONLY		0x0001
#define KIPC_O_RDWR		0x0002
#define KIPC_O_ACCMODE		0x0003
#define KIPC_O_CREAT		0x0100	/* create if absent */
#define KIPC_O_EXCL		0x0200	/* with CREAT: EEXIST if present */
#define KIPC_O_NONBLOCK		0x0400	/* sets O_NONBLOCK on the file */
#define KIPC_O_UNDO		0x0800	/* semaphores only: robust holder */

/* Timeout clocks, for the clock fields of object ioctls */
#define KIPC_CLOCK_NONE		0	/* wait without a timeout */
#define KIPC_CLOCK_REALTIME	1	/* absolute CLOCK_REALTIME */
#define KIPC_CLOCK_MONOTONIC	2	/* absolute CLOCK_MONOTONIC */

/**
 * struct kipc_timeout - when a blocking call gives up
 * @clock:	KIPC_CLOCK_NONE (wait for ever), _REALTIME or _MONOTONIC
 * @__pad:	must be zero
 * @sec:	absolute time on @clock: seconds
 * @nsec:	and nanoseconds, 0..999999999
 *
 * As POSIX: an invalid time (negative, @nsec out of range) is EINVAL only
 * when the call would block; a time already past still lets a call that can
 * complete at once succeed; the wait never ends before the time (it uses an
 * absolute hrtimer on @clock) and ends with ETIMEDOUT after it.  A signal
 * interrupts the wait: EINTR, or a transparent restart with SA_RESTART
 * (harmless, the time being absolute).
 */
struct kipc_timeout {
	__u32 clock;
	__u32 __pad;
	__s64 sec;
	__s64 nsec;
};

/**
 * struct kipc_open - bind a /dev/kipc file to a named object
 * @name:	pointer to the name (not NUL-terminated; @name_len bytes)
 * @name_len:	length of the name, 1..KIPC_NAME_MAX
 * @flags:	KIPC_O_* bits; unknown bits: EINVAL
 * @mode:	permission bits used on creation (umask applies), <= 0777
 * @type:	KIPC_TYPE_*; unknown: EINVAL
 * @attr:	pointer to the type's creation attributes
 *		(struct kipc_mq_attr, kipc_sem_attr, kipc_shm_attr), or 0 for
 *		the type's defaults.  Ignored when the object already exists.
 * @attr_size:	sizeof the attribute structure the caller knows.  A larger
 *		structure must have zero in the bytes the kernel does not know
 *		(E2BIG otherwise); a smaller one is zero-extended.
 * @__pad:	must be zero
 *
 * Errors: EFAULT, EINVAL (name, flags, mode, type, attributes), ENAMETOOLONG,
 * ENOENT (absent without CREAT), EEXIST (CREAT|EXCL and present), EACCES,
 * EBUSY (file already bound), ENOSPC (too many objects of the type), EMFILE
 * (too many for this user), ENOMEM.
 */
struct kipc_open {
	__u64 name;
	__u32 name_len;
	__u32 flags;
	__u32 mode;
	__u32 type;
	__u64 attr;
	__u32 attr_size;
	__u32 __pad;
};

/**
 * struct kipc_info - what a bound file refers to (KIPC_IOC_INFO)
 * @type:	KIPC_TYPE_*
 * @flags:	the KIPC_O_* flags the handle was opened with (NONBLOCK as now)
 * @uid:	owner
 * @gid:	group
 * @mode:	permission bits
 * @linked:	1 while the name exists, 0 once unlinked
 * @id:		object id, unique for the module's lifetime
 * @name:	the name, NUL-terminated
 */
struct kipc_info {
	__u32 type;
	__u32 flags;
	__u32 uid;
	__u32 gid;
	__u32 mode;
	__u32 linked;
	__u64 id;
	char name[KIPC_NAME_MAX + 1];
};

#define KIPC_IOC_MAGIC		0xB9

/* Device-level commands: any /dev/kipc file; numbers 0x00..0x0f */
#define KIPC_IOC_OPEN		_IOW(KIPC_IOC_MAGIC, 0x01, struct kipc_open)
/* Unlink by name: @name, @name_len, @type set; everything else zero. */
#define KIPC_IOC_UNLINK		_IOW(KIPC_IOC_MAGIC, 0x02, struct kipc_open)
/* The bound object; EBADF on an unbound file. */
#define KIPC_IOC_INFO		_IOR(KIPC_IOC_MAGIC, 0x03, struct kipc_info)

/* ---- Message queues: numbers 0x10..0x2f ---------------------------- */

/**
 * struct kipc_mq_attr - creation attributes of a message queue
 * @maxmsg:	most messages the queue holds, 1..limits/mq_maxmsg_max
 * @msgsize:	largest message in bytes, 1..limits/mq_msgsize_max
 */
struct kipc_mq_attr {
	__s64 maxmsg;
	__s64 msgsize;
};

/* (message queue commands go here) */

/* ---- Semaphores: numbers 0x30..0x4f --------------------------------- */

/**
 * struct kipc_sem_attr - creation attributes of a semaphore
 * @value:	initial value, 0..KIPC_SEM_VALUE_MAX
 * @__pad:	must be zero
 */
struct kipc_sem_attr {
	__u32 value;
	__u32 __pad;
};

#define KIPC_SEM_VALUE_MAX	0x7fffffff

/* (semaphore commands go here) */

/* ---- Shared memory: numbers 0x50..0x6f ------------------------------ */

/*
 * A region is a fixed-size, zero-filled piece of kernel memory that every
 * handle of it can read and write with pread/pwrite and map with mmap.
 *
 * Creation (KIPC_IOC_OPEN with KIPC_O_CREAT and struct kipc_shm_attr): the
 * size is rounded up to whole pages and fixed for the region's life.
 * Errors beyond KIPC_IOC_OPEN's: EINVAL for a size of 0 (or no attributes)
 * or above limits/shm_size_max; EMFILE when the creator's uid would hold
 * more than limits/shm_user_max regions or limits/shm_user_bytes_max bytes;
 * ENOSPC when all regions together would pass limits/shm_max regions or
 * limits/shm_total_bytes_max bytes.  Bytes are counted at creation, whether
 * touched or not; the memory itself is allocated page by page on first
 * touch and charged to the creator's memory cgroup.  It is freed when the
 * region is unlinked and its last handle and mapping are gone.
 *
 * read/write/pread/pwrite: the region's bytes at the file position, up to
 * its end.  Read at or past the end returns 0; a write starting at or past
 * the end fails with ENOSPC, one crossing it is short.  Reading pages never
 * touched returns zeros without allocating them.  EBADF when the handle
 * was not opened for reading (writing).  A negative position: EINVAL.
 *
 * mmap: MAP_SHARED maps [offset, offset + length) of the region; writes are
 * seen by every handle and mapping at once.  MAP_PRIVATE works too, as
 * copy-on-write: the region is never changed through it.  Errors:
 *   EACCES	the handle was not opened for reading; or MAP_SHARED with
 *		PROT_WRITE on a handle not opened for writing (mprotect() of
 *		such a mapping to PROT_WRITE is EACCES too, the mapping never
 *		being allowed to become writable)
 *   ENXIO	any part of the range lies past the end of the region,
 *		including a huge offset
 *   EINVAL	length 0 or offset not page-aligned (from mmap itself)
 *   EOVERFLOW	offset + length past 2^64 - 1 (from mmap itself, which
 *		checks this for every character device; smaller huge
 *		offsets reach kipc and get ENXIO)
 * mremap() may shrink or move a mapping but not grow it (EFAULT).  A
 * mapping keeps the region alive after unlink and after its handle is
 * closed; a mapping split by munmap or mprotect of a part counts as two
 * in the "mappings" sysfs file, as shm_nattch does.  After fork the child
 * shares MAP_SHARED mappings.
 */

/**
 * struct kipc_shm_attr - creation attributes of a shared-memory region
 * @size:	size in bytes, rounded up to whole pages, 1..limits/shm_size_max
 */
struct kipc_shm_attr {
	__u64 size;
};

/**
 * struct kipc_shm_stat - a region's size and counters (KIPC_SHM_IOC_STAT)
 * @size:	bytes, a multiple of the page size
 * @resident:	pages allocated so far
 * @mappings:	live mappings (VMAs)
 * @__pad:	zero
 * @faults:	page faults served
 */
struct kipc_shm_stat {
	__u64 size;
	__u64 resident;
	__u32 mappings;
	__u32 __pad;
	__u64 faults;
};

/* Fill struct kipc_shm_stat; any handle.  EBADF if not bound to a region. */
#define KIPC_SHM_IOC_STAT	_IOR(KIPC_IOC_MAGIC, 0x50, struct kipc_shm_stat)

/* ---- Kernel worker pools: numbers 0x70..0x7f ------------------------ */

/* (worker pool commands go here) */

#endif /* _UAPI_LINUX_KIPC_H */
