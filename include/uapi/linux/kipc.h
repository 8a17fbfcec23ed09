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

/*
 * A file bound to a queue (KIPC_TYPE_MQ) with KIPC_IOC_OPEN is a queue
 * descriptor.  Creation: @attr NULL gives limits/mq_maxmsg_default and
 * limits/mq_msgsize_default; maxmsg or msgsize zero, negative or above
 * limits/mq_maxmsg_max, limits/mq_msgsize_max: EINVAL.  Creating reserves
 * maxmsg * (msgsize + per-message overhead) bytes from the creator's
 * limits/mq_bytes_per_user (EMFILE when it would pass, as RLIMIT_MSGQUEUE),
 * plus, when msgsize <= 256, room for 2 * min(maxmsg, 64) recycled message
 * buffers (the queue's memory file in /sys says how much); more than
 * limits/mq_max queues: ENOSPC.
 *
 * Access: sending needs a handle opened for writing, receiving one opened
 * for reading (EBADF otherwise).  Priorities are 0..KIPC_MQ_PRIO_MAX
 * (EINVAL above); receivers get the highest priority first, FIFO within a
 * priority.  A message longer than msgsize: EMSGSIZE; a receive buffer
 * shorter than msgsize: EMSGSIZE (both before anything else happens).
 * A full queue blocks senders and an empty one blocks receivers, unless
 * the file is O_NONBLOCK (EAGAIN).  The blocking commands take a struct
 * kipc_timeout: ETIMEDOUT when it passes, EINVAL for a bad time only when
 * the call would block; a signal ends the wait with EINTR (or a restart
 * with SA_RESTART).  A message handed to a waiting receiver is delivered
 * even if a signal or the timeout comes at the same moment.
 *
 * write() sends one message at priority 0; read() receives one (the buffer
 * must hold msgsize bytes) and returns its length.  poll: EPOLLIN (and
 * EPOLLRDNORM) while a message is queued, EPOLLOUT (EPOLLWRNORM) while
 * there is room.  Unknown commands in 0x10..0x2f: ENOTTY.
 */

#define KIPC_MQ_PRIO_MAX	32767	/* highest priority */
#define KIPC_MQ_BATCH_MAX	256	/* most messages per SENDV/RECEIVEV */

/**
 * struct kipc_mq_attr - creation attributes of a message queue
 * @maxmsg:	most messages the queue holds, 1..limits/mq_maxmsg_max
 * @msgsize:	largest message in bytes, 1..limits/mq_msgsize_max
 */
struct kipc_mq_attr {
	__s64 maxmsg;
	__s64 msgsize;
};

/**
 * struct kipc_mq_send - KIPC_MQ_IOC_SEND: send one message
 * @buf:	pointer to the message
 * @len:	its length, 0..msgsize (EMSGSIZE above)
 * @prio:	0..KIPC_MQ_PRIO_MAX (EINVAL above)
 * @__pad:	must be zero (EINVAL)
 * @timeout:	when to give up while the queue is full
 *
 * Return: 0.  Errors: EBADF, EFAULT, EINVAL, EMSGSIZE, EAGAIN, ETIMEDOUT,
 * EINTR, ENOMEM.
 */
struct kipc_mq_send {
	__u64 buf;
	__u64 len;
	__u32 prio;
	__u32 __pad;
	struct kipc_timeout timeout;
};

/**
 * struct kipc_mq_receive - KIPC_MQ_IOC_RECEIVE: receive one message
 * @buf:	pointer to the buffer
 * @len:	its size, at least msgsize (EMSGSIZE below)
 * @prio:	out: the message's priority
 * @__pad:	must be zero (EINVAL)
 * @timeout:	when to give up while the queue is empty
 *
 * Return: the message's length.  Errors: EBADF, EFAULT (the message is
 * lost then, as with mq_receive), EINVAL, EMSGSIZE, EAGAIN, ETIMEDOUT,
 * EINTR, ENOMEM.
 */
struct kipc_mq_receive {
	__u64 buf;
	__u64 len;
	__u32 prio;
	__u32 __pad;
	struct kipc_timeout timeout;
};

/**
 * struct kipc_mq_getattr - KIPC_MQ_IOC_GETATTR: the queue's attributes
 * @flags:	KIPC_O_NONBLOCK when this descriptor is non-blocking
 * @maxmsg:	capacity
 * @msgsize:	largest message
 * @curmsgs:	messages queued now
 *
 * O_NONBLOCK is per descriptor and set with fcntl(F_SETFL) (as mq_setattr
 * does for kipc_mq_setattr()); nothing else can change.
 */
struct kipc_mq_getattr {
	__s64 flags;
	__s64 maxmsg;
	__s64 msgsize;
	__s64 curmsgs;
};

/* struct kipc_mq_notify.notify */
#define KIPC_MQ_NOTIFY_REMOVE	0	/* unregister (only the registrant) */
#define KIPC_MQ_NOTIFY_NONE	1	/* register, no signal (SIGEV_NONE) */
#define KIPC_MQ_NOTIFY_SIGNAL	2	/* register for @signo (SIGEV_SIGNAL) */

/**
 * struct kipc_mq_notify - KIPC_MQ_IOC_NOTIFY: as mq_notify()
 * @notify:	KIPC_MQ_NOTIFY_*; unknown: EINVAL
 * @signo:	the signal for KIPC_MQ_NOTIFY_SIGNAL (1.._NSIG; EINVAL), else 0
 * @value:	sent as si_value (sival_ptr / sival_int)
 *
 * The calling process (thread group) registers through this descriptor;
 * EBUSY when another registration exists.  When a message arrives on an
 * empty queue and no receiver is waiting, the registration is removed and,
 * for KIPC_MQ_NOTIFY_SIGNAL, @signo is sent to the process with si_code
 * SI_MESGQ, si_value @value, and si_pid/si_uid of the sender.  The
 * registration also goes with KIPC_MQ_NOTIFY_REMOVE from the registered
 * process (from any other process it returns 0 and changes nothing, as
 * mq_notify(NULL) does), when the descriptor it was made through is
 * released (its last dup closed), and when the process has exec'd or
 * exited by delivery time (nothing is sent then).  SIGEV_THREAD has no
 * kernel form: the library refuses it with EINVAL.
 */
struct kipc_mq_notify {
	__u32 notify;
	__u32 signo;
	__u64 value;
};

/**
 * struct kipc_mq_msgv - one message of a batch
 * @buf:	pointer to the message or buffer
 * @len:	SENDV: its length; RECEIVEV: in: buffer size (>= msgsize),
 *		out: the message's length
 * @prio:	SENDV: its priority; RECEIVEV: out: its priority
 * @__pad:	must be zero
 */
struct kipc_mq_msgv {
	__u64 buf;
	__u64 len;
	__u32 prio;
	__u32 __pad;
};

/**
 * struct kipc_mq_batch - KIPC_MQ_IOC_SENDV / KIPC_MQ_IOC_RECEIVEV
 * @vec:	pointer to @n struct kipc_mq_msgv
 * @n:		1..KIPC_MQ_BATCH_MAX (EINVAL otherwise)
 * @__pad:	must be zero
 * @timeout:	for the first message only
 *
 * The whole vector is checked first (EINVAL for a bad priority or
 * padding, EMSGSIZE for a length), so a bad entry transfers nothing.
 * Then the messages move in vector order; only the first may block (as
 * the single command, with @timeout).  After the first, the call stops at
 * the first message that would block (full queue for SENDV, empty for
 * RECEIVEV) or fail.  RECEIVEV writes each received entry's @len and
 * @prio back.  If RECEIVEV cannot write a message to its @buf (EFAULT),
 * that message is lost and counts as received, as with the single
 * command; the call returns the number before it (EFAULT for the first),
 * and messages taken after it stay queued, first of their priority.
 *
 * Return: how many messages moved (>= 1), or the first message's error.
 */
struct kipc_mq_batch {
	__u64 vec;
	__u32 n;
	__u32 __pad;
	struct kipc_timeout timeout;
};

#define KIPC_MQ_IOC_SEND	_IOW(KIPC_IOC_MAGIC, 0x10, struct kipc_mq_send)
#define KIPC_MQ_IOC_RECEIVE	_IOWR(KIPC_IOC_MAGIC, 0x11, struct kipc_mq_receive)
#define KIPC_MQ_IOC_GETATTR	_IOR(KIPC_IOC_MAGIC, 0x12, struct kipc_mq_getattr)
#define KIPC_MQ_IOC_NOTIFY	_IOW(KIPC_IOC_MAGIC, 0x13, struct kipc_mq_notify)
#define KIPC_MQ_IOC_SENDV	_IOW(KIPC_IOC_MAGIC, 0x14, struct kipc_mq_batch)
#define KIPC_MQ_IOC_RECEIVEV	_IOW(KIPC_IOC_MAGIC, 0x15, struct kipc_mq_batch)

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

/*
 * A file bound to a semaphore (KIPC_TYPE_SEM) is a handle of it.  Creation
 * takes struct kipc_sem_attr (value above KIPC_SEM_VALUE_MAX: EINVAL; no
 * attributes: value 0).  Limits: limits/sem_max semaphores in all (ENOSPC)
 * and limits/sem_per_user_max per creating user (EMFILE).
 *
 * Access: WAIT, TRYWAIT and POST need a handle opened for writing
 * (KIPC_O_WRONLY or KIPC_O_RDWR), EBADF otherwise; GETVALUE and poll need
 * none.  (libkipc opens every semaphore KIPC_O_RDWR, as glibc does.)
 *
 * Service order: a post while tasks are blocked gives its unit straight to
 * one of them (the value stays 0, one task is woken, and no newcomer can
 * take that unit).  Blocked tasks are served by scheduling priority when
 * realtime tasks wait (higher realtime priority first; every non-realtime
 * task ranks below every realtime one), first come first served among
 * equals: with ordinary tasks only, plain FIFO.
 *
 * Undo (KIPC_O_UNDO, semaphores only): the handle counts the units taken
 * through it (WAIT, TRYWAIT) minus the units posted through it, never below
 * zero (posts beyond what was taken simply add to the value).  When the
 * handle is released -- its last file descriptor closed, which includes the
 * death of every process that had it -- that many units are returned: each
 * goes to the first blocked task or back into the value, and whoever takes
 * such a unit next gets EOWNERDEAD from WAIT/TRYWAIT *with the unit
 * acquired*, as pthread robust mutexes report a dead owner.  Units that
 * would lift the value above KIPC_SEM_VALUE_MAX are dropped.  Undo belongs
 * to the open file description: after fork() parent and child share one
 * handle and one count, and nothing is returned until both have closed it.
 * Without KIPC_O_UNDO, as POSIX says, a unit held by a process that dies is
 * lost.  Undo suits lock-style use (each wait matched by a post on the same
 * handle); a consumer that only waits accumulates units it would "return".
 *
 * Poll: EPOLLIN | EPOLLRDNORM while the value is above 0 (a unit can be
 * taken without blocking, unless another task takes it first).
 */

/**
 * struct kipc_sem_state - KIPC_IOC_SEM_GETVALUE's answer
 * @value:	units available now, 0..KIPC_SEM_VALUE_MAX (never negative)
 * @waiters:	tasks blocked in KIPC_IOC_SEM_WAIT now
 * @undo:	units this handle holds under undo (0 without KIPC_O_UNDO)
 * @__pad:	zero
 */
struct kipc_sem_state {
	__u32 value;
	__u32 waiters;
	__u32 undo;
	__u32 __pad;
};

/*
 * Take one unit, blocking until one is handed over, the timeout passes,
 * or a signal comes.  The argument says when to give up (clock
 * KIPC_CLOCK_NONE: never).  Returns 0, or -1 with errno:
 *   EOWNERDEAD	the unit *was* taken; it was returned by a released undo
 *		handle (see above)
 *   EAGAIN	the file is O_NONBLOCK and no unit is free
 *   ETIMEDOUT	the absolute time passed on its clock (never earlier)
 *   EINVAL	bad clock or __pad (always); bad sec/nsec only when the call
 *		would block, as sem_timedwait
 *   EINTR	a signal, with or without SA_RESTART: as sem_wait(3), a
 *		semaphore wait is never restarted (signal(7))
 *   EBADF	handle not open for writing; EFAULT
 * A task already handed a unit when its timeout or signal comes keeps it
 * and returns success: no unit is ever lost.
 */
#define KIPC_IOC_SEM_WAIT	_IOW(KIPC_IOC_MAGIC, 0x30, struct kipc_timeout)
/* Take one unit if free: 0, EOWNERDEAD (taken, as above), EAGAIN, EBADF. */
#define KIPC_IOC_SEM_TRYWAIT	_IO(KIPC_IOC_MAGIC, 0x31)
/* Add one unit (or hand it to a blocked task): 0, EOVERFLOW, EBADF. */
#define KIPC_IOC_SEM_POST	_IO(KIPC_IOC_MAGIC, 0x32)
/* Read the state: 0, EFAULT. */
#define KIPC_IOC_SEM_GETVALUE	_IOR(KIPC_IOC_MAGIC, 0x33, struct kipc_sem_state)

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

/*
 * A worker pool is a set of kernel threads that take messages from an
 * input queue, work on them and answer on an output queue, through the
 * queues' in-kernel interface (no copy through user space), honouring the
 * queues' priority order.  The commands work on any /dev/kipc file, bound
 * or not, and need CAP_SYS_ADMIN (EPERM otherwise, before anything else).
 * A pool lives until KIPC_WORKER_IOC_STOP or until the module is unloaded,
 * not as long as the file; it holds references to its queues, so it goes
 * on serving them after they are unlinked.  It is watched and tuned in
 * /sys/kernel/kipc/workers/<id>/.
 *
 * Operations, for struct kipc_worker_start.op:
 *   KIPC_WORKER_ECHO	   answer each message with the same payload at the
 *			   same priority; the output queue's msgsize must be
 *			   at least the input's (EMSGSIZE)
 *   KIPC_WORKER_CHECKSUM  answer with the message's CRC32C (Castagnoli,
 *			   seed and final xor ~0, as iSCSI/ext4) as 4 bytes,
 *			   little-endian, at the same priority; the output
 *			   msgsize must be at least 4 (EMSGSIZE)
 *   KIPC_WORKER_SINK	   consume and count; no output queue (output and
 *			   output_len zero, EINVAL otherwise)
 *
 * Idle threads sleep on the input queue; a full output queue blocks a
 * thread with its message (back-pressure; nothing lost).  Resizing (the
 * threads file) neither loses nor duplicates a message: a retiring thread
 * answers the message it holds before it leaves.  Stopping ends every
 * thread at once, even one blocked on an empty input or a full output; a
 * message then held that could not be answered counts in "dropped".
 */
#define KIPC_WORKER_ECHO	1
#define KIPC_WORKER_CHECKSUM	2
#define KIPC_WORKER_SINK	3

/**
 * struct kipc_worker_start - KIPC_WORKER_IOC_START: start a pool
 * @input:	pointer to the input queue's name (not NUL-terminated)
 * @output:	pointer to the output queue's name; 0 for KIPC_WORKER_SINK
 * @input_len:	length of the input name, 1..KIPC_NAME_MAX
 * @output_len:	length of the output name (0 for sink)
 * @op:		KIPC_WORKER_*
 * @threads:	threads to start, 1..limits/worker_threads_max
 * @id:		in: must be zero; out: the pool's id (its sysfs directory)
 * @__pad:	must be zero
 *
 * Errors: EPERM (no CAP_SYS_ADMIN), EFAULT, EINVAL (op, threads, padding,
 * id, names, an output name for sink), ENAMETOOLONG, ENOENT (a queue does
 * not exist), EMSGSIZE (answers would not fit the output queue), ENOSPC
 * (limits/worker_pools_max pools exist), ENOMEM.
 */
struct kipc_worker_start {
	__u64 input;
	__u64 output;
	__u32 input_len;
	__u32 output_len;
	__u32 op;
	__u32 threads;
	__u64 id;
	__u64 __pad;
};

/**
 * struct kipc_worker_stop - KIPC_WORKER_IOC_STOP: stop a pool
 * @id:		the pool's id
 *
 * Returns when every thread of the pool has ended.  Errors: EPERM, EFAULT,
 * ENOENT (no such pool).
 */
struct kipc_worker_stop {
	__u64 id;
};

#define KIPC_WORKER_IOC_START	_IOWR(KIPC_IOC_MAGIC, 0x70, struct kipc_worker_start)
#define KIPC_WORKER_IOC_STOP	_IOW(KIPC_IOC_MAGIC, 0x71, struct kipc_worker_stop)
#define KIPC_WORKER_IOC_FIRST	0x70
#define KIPC_WORKER_IOC_LAST	0x7f

#endif /* _UAPI_LINUX_KIPC_H */
