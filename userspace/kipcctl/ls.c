// SPDX-License-Identifier: GPL-2.0
/*
 * kipcctl ls / stat: read /sys/kernel/kipc.  Every object directory has the
 * common files id, owner, group, mode and handles; stat shows all files.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kipcctl.h"

static const char *const types[] = { "mq", "sem", "shm" };

static const char *sysdir(void)
{
	const char *d = getenv("KIPC_SYSFS");

	return d && *d ? d : "/sys/kernel/kipc";
}

/* Read a one-line sysfs file into @buf without its newline; "" on error. */
static void read_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	buf[0] = '\0';
	if (!f)
		return;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
}

static bool is_number(const char *s)
{
	if (*s == '-')
		s++;
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static void json_value(const char *v)
{
	if (is_number(v) && (v[0] != '0' || !v[1]))
		fputs(v, stdout);
	else
		kipcctl_json_str(stdout, v);
}

static int names(const char *dir, struct dirent ***list)
{
	return scandir(dir, list, NULL, alphasort);
}

static bool skip(const struct dirent *d)
{
	return d->d_name[0] == '.' && (!d->d_name[1] ||
	       (d->d_name[1] == '.' && !d->d_name[2]));
}

static int ls_usage(FILE *f, int ret)
{
	fprintf(f, "Usage:\n kipcctl [--json] ls [TYPE]\n\n"
		   "List kipc objects: TYPE is mq, sem or shm (default all).\n\n"
		   "Options:\n -j, --json  one JSON array\n -h, --help  display this help\n");
	return ret;
}

int kipcctl_ls(int argc, char **argv)
{
	static const char *const common[] = { "id", "owner", "group", "mode", "handles" };
	const char *only = NULL;
	bool first = true;
	size_t t, c;
	int opt;

	while ((opt = getopt(argc, argv, "+jh")) != -1) {
		if (opt == 'j')
			kipcctl_json = true;
		else
			return ls_usage(opt == 'h' ? stdout : stderr,
					opt == 'h' ? KIPCCTL_OK : KIPCCTL_USAGE);
	}
	if (kipcctl_wants_help(argc, argv))
		return ls_usage(stdout, KIPCCTL_OK);
	if (optind < argc)
		only = argv[optind++];
	if (optind < argc)
		return ls_usage(stderr, KIPCCTL_USAGE);
	if (only && strcmp(only, "mq") && strcmp(only, "sem") && strcmp(only, "shm")) {
		fprintf(stderr, "kipcctl: ls: unknown type '%s'\n", only);
		return KIPCCTL_USAGE;
	}

	if (access(sysdir(), F_OK)) {
		kipcctl_err("ls", sysdir(), errno);
		return KIPCCTL_FAIL;
	}
	if (kipcctl_json)
		printf("[");
	else
		printf("%-4s %-24s %6s %6s %6s %5s %7s\n", "TYPE", "NAME", "ID",
		       "OWNER", "GROUP", "MODE", "HANDLES");
	for (t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		struct dirent **list;
		char dir[2048];
		int n, i;

		if (only && strcmp(only, types[t]))
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", sysdir(), types[t]);
		n = names(dir, &list);
		if (n < 0) {
			continue;	/* type not in this module */
		}
		for (i = 0; i < n; i++) {
			char vals[5][64], path[4096];

			if (skip(list[i])) {
				free(list[i]);
				continue;
			}
			for (c = 0; c < 5; c++) {
				snprintf(path, sizeof(path), "%s/%s/%s", dir,
					 list[i]->d_name, common[c]);
				read_file(path, vals[c], sizeof(vals[c]));
			}
			if (kipcctl_json) {
				printf("%s{\"type\":\"%s\",\"name\":", first ? "" : ",",
				       types[t]);
				kipcctl_json_str(stdout, list[i]->d_name);
				for (c = 0; c < 5; c++) {
					printf(",\"%s\":", common[c]);
					json_value(vals[c]);
				}
				printf("}");
			} else {
				printf("%-4s %-24s %6s %6s %6s %5s %7s\n", types[t],
				       list[i]->d_name, vals[0], vals[1], vals[2],
				       vals[3], vals[4]);
			}
			first = false;
			free(list[i]);
		}
		free(list);
	}
	if (kipcctl_json)
		printf("]\n");
	return KIPCCTL_OK;
}

/* Print every regular file of @dir as key=value lines or JSON members. */
static int dump_dir(const char *dir, const char *indent)
{
	struct dirent **list;
	bool first = true;
	int n, i;

	n = names(dir, &list);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		char path[4096], val[4096];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
		if (skip(list[i]) || stat(path, &st) || !S_ISREG(st.st_mode) ||
		    !(st.st_mode & 0444)) {
			free(list[i]);
			continue;
		}
		read_file(path, val, sizeof(val));
		if (kipcctl_json) {
			printf("%s", first ? "" : ",");
			kipcctl_json_str(stdout, list[i]->d_name);
			printf(":");
			json_value(val);
		} else {
			printf("%s%-20s %s\n", indent, list[i]->d_name, val);
		}
		first = false;
		free(list[i]);
	}
	free(list);
	return 0;
}

static int stat_usage(FILE *f, int ret)
{
	fprintf(f, "Usage:\n kipcctl [--json] stat [TYPE [NAME]]\n\n"
		   "Show every counter of the kipc objects (all, one TYPE, or\n"
		   "one object), and with no argument also the module's totals\n"
		   "(stats/) and limits (limits/).\n\n"
		   "Options:\n -j, --json  one JSON object\n -h, --help  display this help\n");
	return ret;
}

int kipcctl_stat(int argc, char **argv)
{
	const char *only = NULL, *name = NULL;
	bool first = true;
	char dir[2048];
	size_t t;
	int opt, err;

	while ((opt = getopt(argc, argv, "+jh")) != -1) {
		if (opt == 'j')
			kipcctl_json = true;
		else
			return stat_usage(opt == 'h' ? stdout : stderr,
					  opt == 'h' ? KIPCCTL_OK : KIPCCTL_USAGE);
	}
	if (optind < argc)
		only = argv[optind++];
	if (optind < argc)
		name = argv[optind++];
	if (optind < argc)
		return stat_usage(stderr, KIPCCTL_USAGE);
	if (only && strcmp(only, "mq") && strcmp(only, "sem") && strcmp(only, "shm")) {
		fprintf(stderr, "kipcctl: stat: unknown type '%s'\n", only);
		return KIPCCTL_USAGE;
	}
	if (name) {
		if (*name == '/')
			name++;
		snprintf(dir, sizeof(dir), "%s/%s/%s", sysdir(), only, name);
		if (kipcctl_json) {
			printf("{\"type\":\"%s\",\"name\":", only);
			kipcctl_json_str(stdout, name);
			printf(",\"files\":{");
		} else {
			printf("%s/%s:\n", only, name);
		}
		err = dump_dir(dir, "  ");
		if (err) {
			if (kipcctl_json)
				printf("}}\n");
			kipcctl_err("stat", name, -err);
			return KIPCCTL_FAIL;
		}
		if (kipcctl_json)
			printf("}}\n");
		return KIPCCTL_OK;
	}

	if (access(sysdir(), F_OK)) {
		kipcctl_err("stat", sysdir(), errno);
		return KIPCCTL_FAIL;
	}
	if (kipcctl_json)
		printf("{\"objects\":[");
	for (t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		struct dirent **list;
		int n, i;

		if (only && strcmp(only, types[t]))
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", sysdir(), types[t]);
		n = names(dir, &list);
		if (n < 0)
			continue;
		for (i = 0; i < n; i++) {
			char sub[4096];

			if (skip(list[i])) {
				free(list[i]);
				continue;
			}
			snprintf(sub, sizeof(sub), "%s/%s", dir, list[i]->d_name);
			if (kipcctl_json) {
				printf("%s{\"type\":\"%s\",\"name\":", first ? "" : ",",
				       types[t]);
				kipcctl_json_str(stdout, list[i]->d_name);
				printf(",\"files\":{");
			} else {
				printf("%s/%s:\n", types[t], list[i]->d_name);
			}
			dump_dir(sub, "  ");
			if (kipcctl_json)
				printf("}}");
			first = false;
			free(list[i]);
		}
		free(list);
	}
	if (kipcctl_json)
		printf("]");
	if (!only) {
		snprintf(dir, sizeof(dir), "%s/stats", sysdir());
		if (kipcctl_json)
			printf(",\"stats\":{");
		else
			printf("stats:\n");
		dump_dir(dir, "  ");
		snprintf(dir, sizeof(dir), "%s/limits", sysdir());
		if (kipcctl_json)
			printf("},\"limits\":{");
		else
			printf("limits:\n");
		dump_dir(dir, "  ");
		if (kipcctl_json)
			printf("}");
	}
	if (kipcctl_json)
		printf("}\n");
	return KIPCCTL_OK;
}
