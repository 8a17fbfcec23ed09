/* SPDX-License-Identifier: GPL-2.0 */
/* kipcctl: what the subcommand files share. */
#ifndef KIPCCTL_H
#define KIPCCTL_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

/* Exit codes as util-linux uses them. */
#define KIPCCTL_OK	0	/* EXIT_SUCCESS */
#define KIPCCTL_FAIL	1	/* EXIT_FAILURE: the operation failed */
#define KIPCCTL_USAGE	1	/* misuse: util-linux also exits 1 */

/**
 * struct kipcctl_cmd - one subcommand (kipcctl NAME ...)
 * @name:	as typed
 * @summary:	one line for the top-level usage
 * @run:	argv[0] is @name; returns the exit code
 */
struct kipcctl_cmd {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
};

/* Global options, parsed before the subcommand. */
extern bool kipcctl_json;

/* Print "kipcctl: <what> <name>: <strerror(errnum)>" to stderr. */
void kipcctl_err(const char *what, const char *name, int errnum);
/* Print a JSON string literal (quoted and escaped). */
void kipcctl_json_str(FILE *f, const char *s);
/* Parse a non-negative integer with an optional k/m/g suffix. */
int kipcctl_parse_size(const char *s, unsigned long long *out);
/* Parse seconds ("1.5") into a relative timespec; 0 on success. */
int kipcctl_parse_seconds(const char *s, struct timespec *ts);
/* Read a sysfs file's first line, without its newline: 0 or -errno. */
int kipcctl_read_line(const char *path, char *buf, size_t len);
/* Write @val to a sysfs file: 0 or -errno (the store's error). */
int kipcctl_write_str(const char *path, const char *val);
/* A help request in argv[1]? (-h or --help) */
bool kipcctl_wants_help(int argc, char **argv);

/* Subcommand groups, each in its own file */
int kipcctl_ls(int argc, char **argv);
int kipcctl_stat(int argc, char **argv);
int kipcctl_mq(int argc, char **argv);
int kipcctl_sem(int argc, char **argv);
int kipcctl_shm(int argc, char **argv);
int kipcctl_race(int argc, char **argv);
int kipcctl_worker(int argc, char **argv);

#endif
