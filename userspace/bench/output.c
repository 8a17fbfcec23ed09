// SPDX-License-Identifier: GPL-2.0
/* The environment, and the results as a table (markdown), JSON and CSV. */
#include <cpuid.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "bench.h"

static struct {
	char kernel[256];
	char cpu[128];
	char hv[16];		/* CPUID hypervisor signature */
	char virt[64];		/* none, KVM, TCG (software emulation), ... */
	char date[32];
	char clocksource[32];
	int hv_flag;
	int kipc_loaded;
} env;

static const char *built =
#if defined(HAVE_KIPC_MQ)
	"mq "
#endif
#if defined(HAVE_KIPC_MQ_BATCH)
	"mq-batch "
#endif
#if defined(HAVE_KIPC_SEM)
	"sem "
#endif
#if defined(HAVE_KIPC_SHM)
	"shm "
#endif
#if defined(HAVE_KIPC_WORKER)
	"worker "
#endif
	"";

void env_collect(void)
{
	unsigned int a, b, c, d;
	struct utsname u;
	char line[512];
	time_t now = time(NULL);
	FILE *f;

	if (!uname(&u))
		snprintf(env.kernel, sizeof(env.kernel), "%s %s %s", u.sysname,
			 u.release, u.machine);
	f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *v = strchr(line, ':');

		if (!v)
			continue;
		v += 2;
		v[strcspn(v, "\n")] = 0;
		if (!env.cpu[0] && !strncmp(line, "model name", 10))
			snprintf(env.cpu, sizeof(env.cpu), "%s", v);
		if (!strncmp(line, "flags", 5) && strstr(v, " hypervisor"))
			env.hv_flag = 1;
	}
	if (f)
		fclose(f);
	if (env.hv_flag) {
		__cpuid(0x40000000, a, b, c, d);
		memcpy(env.hv, &b, 4);
		memcpy(env.hv + 4, &c, 4);
		memcpy(env.hv + 8, &d, 4);
		env.hv[12] = 0;
	}
	if (strstr(env.cpu, "QEMU") || strstr(env.cpu, "TCG") ||
	    !strcmp(env.hv, "TCGTCGTCGTCG"))
		snprintf(env.virt, sizeof(env.virt), "TCG (software emulation)");
	else if (!strncmp(env.hv, "KVMKVMKVM", 9))
		snprintf(env.virt, sizeof(env.virt), "KVM");
	else if (env.hv_flag)
		snprintf(env.virt, sizeof(env.virt), "hypervisor '%s'", env.hv);
	else
		snprintf(env.virt, sizeof(env.virt), "none (bare metal)");
	env.kipc_loaded = access("/sys/module/kipc", F_OK) == 0;
	f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");
	if (f) {
		if (fgets(env.clocksource, sizeof(env.clocksource), f))
			env.clocksource[strcspn(env.clocksource, "\n")] = 0;
		fclose(f);
	}
	/* what one clock read costs: subtracted from per-operation times */
	{
		uint64_t best = ~0ull, t0, t1;
		int i;

		for (i = 0; i < 200; i++) {
			t0 = now_ns();
			t1 = now_ns();
			if (t1 - t0 < best)
				best = t1 - t0;
		}
		clock_cost_ns = best;
	}
	strftime(env.date, sizeof(env.date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
}

static const char *who(const struct group *g)
{
	return g->mode == MODE_PROC ? "processes" : "threads";
}

static void fmt_num(char *b, size_t n, double v)
{
	if (v >= 1e7)
		snprintf(b, n, "%.2fM", v / 1e6);
	else if (v >= 1e4)
		snprintf(b, n, "%.1fk", v / 1e3);
	else if (v >= 100)
		snprintf(b, n, "%.0f", v);
	else if (v >= 10)
		snprintf(b, n, "%.1f", v);
	else
		snprintf(b, n, "%.2f", v);
}

/* "3.1x posix-mq (2.8-3.4)": the ratio and, when paired, its quartiles */
static void fmt_ratio(char *b, size_t n, const struct result *r, int k,
		      const char *base)
{
	if (r->ratio[k] <= 0)
		snprintf(b, n, "%s", "");
	else if (r->rlo[k] > 0)
		snprintf(b, n, "%.3gx %s (%.3g-%.3g)", r->ratio[k], base,
			 r->rlo[k], r->rhi[k]);
	else
		snprintf(b, n, "%.3gx %s", r->ratio[k], base);
}

static void fmt_size(char *b, size_t n, size_t s)
{
	if (!s)
		snprintf(b, n, "-");
	else if (s >= 1024)
		snprintf(b, n, "%zu KiB", s / 1024);
	else
		snprintf(b, n, "%zu B", s);
}

static double mbps(const struct group *g, const struct result *r)
{
	return g->kind == K_RATE && g->size ? r->median * g->size / 1e6 : 0;
}

static void print_env(FILE *f, const char *pre)
{
	fprintf(f, "%skernel: %s; CPU: %s; vCPUs: %d; virtualization: %s%s%s%s; clocksource %s, one clock read %.2f us (subtracted)\n",
		pre, env.kernel, env.cpu, ncpu, env.virt,
		env.hv[0] ? " (CPUID '" : "", env.hv, env.hv[0] ? "')" : "",
		env.clocksource[0] ? env.clocksource : "?", clock_cost_ns / 1000.0);
	fprintf(f, "%s%s; %d samples of %.2f s each after a warm-up, interleaved; main side on CPU 0, peer k on CPU k mod %d%s; kipc module %s; kipc parts built: %s; %s\n",
		pre, opt.quick ? "quick run" : "full run", opt.reps,
		opt.sample_s, ncpu, ncpu < 2 ? " (one CPU: both sides share it)" : "",
		env.kipc_loaded ? "loaded" : "NOT loaded", built[0] ? built : "none",
		env.date);
	if (strstr(env.virt, "TCG"))
		fprintf(f, "%sUnder software emulation times are not hardware times: compare ratios only.\n",
			pre);
}

void print_table(FILE *f)
{
	const char *sec = "";
	int i, k;

	fprintf(f, "# kipc-bench\n\n");
	print_env(f, "- ");
	fprintf(f, "- Times in us: median and p99 of every %dth operation timed alone (every one in samples of fewer than %d), median over the samples; mean = batch time / operations; no p99: too few operations, the median column is the mean; rates per second; spread = (max-min)/median over the samples.\n",
		LAT_EVERY, 64 * LAT_EVERY);
	fprintf(f, "- Ratios: kipc / baseline of the same group; for times below 1 is better, for rates above 1. Samples are taken in rounds (one of each implementation in turn): the ratio is the median of the per-round ratios, and in brackets their quartiles (no brackets: a group run in sequence, ratio of the medians).\n");
	for (i = 0; i < ngroups; i++) {
		struct group *g = groups[i];

		if (!g->nimpl)
			continue;
		if (strcmp(sec, g->section)) {
			sec = g->section;
			fprintf(f, "\n## %s\n\n", sec);
			fprintf(f, "| test | between | size | mechanism | median | unit | p99 us | mean us | MB/s | spread | ratio | ratio |\n");
			fprintf(f, "|---|---|---|---|---:|---|---:|---:|---:|---:|---|---|\n");
		}
		for (k = 0; k < g->nimpl; k++) {
			struct result *r = &g->res[k];
			char sz[32], med[32], p99[32] = "", mb[32] = "", r0[64] = "", r1[64] = "", mean[32] = "";

			fmt_size(sz, sizeof(sz), g->size);
			if (!r->n) {
				fprintf(f, "| %s | %s | %s | %s | %s | | | | | | | |\n",
					g->test, who(g), sz, r->impl,
					r->na[0] ? r->na : "not measured");
				continue;
			}
			fmt_num(med, sizeof(med), r->median);
			if (g->kind == K_LAT && r->p99med > 0)
				fmt_num(p99, sizeof(p99), r->p99med);
			if (mbps(g, r) > 0)
				fmt_num(mb, sizeof(mb), mbps(g, r));
			if (g->kind == K_LAT && r->mean > 0)
				fmt_num(mean, sizeof(mean), r->mean);
			fmt_ratio(r0, sizeof(r0), r, 0, g->base[0]);
			fmt_ratio(r1, sizeof(r1), r, 1, g->base[1]);
			fprintf(f, "| %s | %s | %s | %s%s%s | %s | %s | %s | %s | %s | %.0f%% | %s | %s |\n",
				g->test, who(g), sz, r->kipc ? "**" : "", r->impl, r->kipc ? "**" : "",
				med, g->unit, p99, mean, mb, r->spread, r0, r1);
		}
		if (g->note[0])
			fprintf(f, "| %s | | | note: %s | | | | | | | | |\n", g->test, g->note);
	}
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

void print_json(FILE *f)
{
	int i, k, s, first = 1;

	fprintf(f, "{\n  \"env\": {\"kernel\": ");
	json_str(f, env.kernel);
	fprintf(f, ", \"cpu\": ");
	json_str(f, env.cpu);
	fprintf(f, ", \"vcpus\": %d, \"hypervisor_flag\": %s, \"hypervisor\": ",
		ncpu, env.hv_flag ? "true" : "false");
	json_str(f, env.hv);
	fprintf(f, ", \"virtualization\": ");
	json_str(f, env.virt);
	fprintf(f, ", \"kipc_loaded\": %s, \"kipc_built\": ",
		env.kipc_loaded ? "true" : "false");
	json_str(f, built);
	fprintf(f, ", \"date\": ");
	json_str(f, env.date);
	fprintf(f, ", \"clocksource\": ");
	json_str(f, env.clocksource);
	fprintf(f, ", \"clock_read_ns\": %llu", (unsigned long long)clock_cost_ns);
	fprintf(f, "},\n  \"options\": {\"quick\": %s, \"reps\": %d, \"sample_s\": %g, \"pinning\": \"main CPU 0, peer k CPU k mod %d\", \"fanin\": %d, \"contenders\": %d, \"open_queues\": %d},\n",
		opt.quick ? "true" : "false", opt.reps, opt.sample_s, ncpu,
		opt.fanin, opt.contend, opt.open_big);
	fprintf(f, "  \"results\": [");
	for (i = 0; i < ngroups; i++) {
		struct group *g = groups[i];

		for (k = 0; k < g->nimpl; k++) {
			struct result *r = &g->res[k];

			fprintf(f, "%s\n    {\"section\": \"%s\", \"test\": \"%s\", \"mode\": \"%s\", \"size\": %zu, \"impl\": \"%s\", \"kipc\": %s, \"unit\": \"%s\", \"status\": ",
				first ? "" : ",", g->section, g->test, who(g),
				g->size, r->impl, r->kipc ? "true" : "false", g->unit);
			first = 0;
			json_str(f, r->n ? "ok" : r->na[0] ? r->na : "not measured");
			if (!r->n) {
				fputc('}', f);
				continue;
			}
			fprintf(f, ", \"median\": %.6g, \"p99\": %.6g, \"mean\": %.6g, \"mbps\": %.6g, \"spread_pct\": %.3g, \"samples\": [",
				r->median, r->p99med, r->mean, mbps(g, r), r->spread);
			for (s = 0; s < r->n; s++)
				fprintf(f, "%s%.6g", s ? ", " : "", r->samples[s]);
			fprintf(f, "], \"ratio\": {");
			if (r->ratio[0] > 0)
				fprintf(f, "\"%s\": %.4g", g->base[0], r->ratio[0]);
			if (r->ratio[1] > 0)
				fprintf(f, "%s\"%s\": %.4g", r->ratio[0] > 0 ? ", " : "",
					g->base[1], r->ratio[1]);
			fprintf(f, "}, \"ratio_quartiles\": {");
			if (r->rlo[0] > 0)
				fprintf(f, "\"%s\": [%.4g, %.4g]", g->base[0],
					r->rlo[0], r->rhi[0]);
			if (r->rlo[1] > 0)
				fprintf(f, "%s\"%s\": [%.4g, %.4g]",
					r->rlo[0] > 0 ? ", " : "", g->base[1],
					r->rlo[1], r->rhi[1]);
			fprintf(f, "}}");
		}
		if (g->note[0]) {
			fprintf(f, ",\n    {\"section\": \"%s\", \"test\": \"%s\", \"note\": ",
				g->section, g->test);
			json_str(f, g->note);
			fputc('}', f);
		}
	}
	fprintf(f, "\n  ]\n}\n");
}

void print_csv(FILE *f)
{
	int i, k, q;

	fprintf(f, "section,test,mode,size,impl,kipc,unit,median,p99,mbps,spread_pct,n,base1,ratio1,base2,ratio2,status,mean,ratio1_q1,ratio1_q3,ratio2_q1,ratio2_q3\n");
	for (i = 0; i < ngroups; i++) {
		struct group *g = groups[i];

		for (k = 0; k < g->nimpl; k++) {
			struct result *r = &g->res[k];

			fprintf(f, "%s,%s,%s,%zu,%s,%d,%s,", g->section, g->test,
				who(g), g->size, r->impl, r->kipc, g->unit);
			if (r->n)
				fprintf(f, "%.6g,%.6g,%.6g,%.3g,%d,", r->median,
					r->p99med, mbps(g, r), r->spread, r->n);
			else
				fprintf(f, ",,,,0,");
			fprintf(f, "%s,", g->base[0] ? g->base[0] : "");
			if (r->ratio[0] > 0)
				fprintf(f, "%.4g", r->ratio[0]);
			fprintf(f, ",%s,", g->base[1] ? g->base[1] : "");
			if (r->ratio[1] > 0)
				fprintf(f, "%.4g", r->ratio[1]);
			fprintf(f, ",\"%s\",", r->n ? "ok" : r->na[0] ? r->na : "not measured");
			if (r->mean > 0)
				fprintf(f, "%.6g", r->mean);
			for (q = 0; q < 2; q++) {
				if (r->rlo[q] > 0)
					fprintf(f, ",%.4g,%.4g", r->rlo[q], r->rhi[q]);
				else
					fprintf(f, ",,");
			}
			fputc('\n', f);
		}
	}
}
