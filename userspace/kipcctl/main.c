// SPDX-License-Identifier: GPL-2.0
/*
 * kipcctl: drive and inspect kipc from the shell.  A table of subcommands,
 * each in its own file; --help everywhere; util-linux exit codes.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "kipcctl.h"

#define KIPCCTL_VERSION "0.1.0"

bool kipcctl_json;

static const struct kipcctl_cmd cmds[] = {
	{ "ls", "list every kipc object", kipcctl_ls },
	{ "stat", "show every counter of kipc objects and the totals", kipcctl_stat },
	{ "mq", "create, send to, receive from, describe, unlink message queues", kipcctl_mq },
	{ "sem", "named semaphores: create, wait, trywait, post, get, unlink", kipcctl_sem },
	{ "shm", "create, read, write, stat, unlink shared memory", kipcctl_shm },
	{ "race", "race kernel threads on one counter: lost updates, cost", kipcctl_race },
	{ "worker", "start, stop, list and tune kernel worker pools", kipcctl_worker },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage:\n kipcctl [--json] <command> [<args>]\n\n"
		   "Drive and inspect kipc's kernel objects (/dev/kipc,\n"
		   "/sys/kernel/kipc).\n\nCommands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, " %-8s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\nOptions:\n"
		   " -j, --json     machine-readable output\n"
		   " -h, --help     display this help\n"
		   " -V, --version  display version\n\n"
		   "Run 'kipcctl <command> --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	size_t i;
	int c;

	/* stop at the first non-option: the subcommand parses the rest */
	while ((c = getopt_long(argc, argv, "+jhV", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			kipcctl_json = true;
			break;
		case 'h':
			usage(stdout);
			return KIPCCTL_OK;
		case 'V':
			printf("kipcctl %s\n", KIPCCTL_VERSION);
			return KIPCCTL_OK;
		default:
			usage(stderr);
			return KIPCCTL_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return KIPCCTL_USAGE;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (!strcmp(argv[optind], cmds[i].name)) {
			int ret;

			argc -= optind;
			argv += optind;
			optind = 0;	/* reset getopt for the subcommand */
			ret = cmds[i].run(argc, argv);
			if (fflush(stdout) || ferror(stdout)) {
				fprintf(stderr, "kipcctl: write error\n");
				return KIPCCTL_FAIL;
			}
			return ret;
		}
	}
	fprintf(stderr, "kipcctl: unknown command '%s'\n", argv[optind]);
	usage(stderr);
	return KIPCCTL_USAGE;
}
