/* SPDX-License-Identifier: MIT */
/*
 * -c / -C: strace's summary table (% time, seconds, usecs/call, calls,
 * errors, syscall; -U columns, -S order, -w wall time, -O overhead), and
 * ptk's own cost under it: stops and ptrace requests per traced syscall.
 *
 * The time of a syscall is the CPU time its thread spent between the
 * enter and the exit stop (/proc/TID/schedstat: the tracee runs nothing
 * but the syscall in between), or with -w the wall time.
 */
#include "trace.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct sc_stat {
	uint64_t calls, errors, total_ns, min_ns, max_ns;
};

struct summary {
	struct sc_stat v[ABI_N][SC_BITS];
};

int summary_new(struct trace *t)
{
	t->sum = calloc(1, sizeof *t->sum);
	return t->sum ? 0 : -1;
}

void summary_free(struct trace *t)
{
	free(t->sum);
	t->sum = NULL;
}

/*
 * The CPU time of a thread in ns: the first field of /proc/TID/schedstat.
 * The first 256 threads keep their descriptor in their tcb and read it
 * again with pread at 0 (the kernel formats it anew): one syscall per
 * reading.  Others (thousands of threads must not use up descriptors) open
 * and close it each time.
 */
#define KEPT_FDS_MAX 256
static int kept_fds;

static uint64_t thread_cpu_ns(struct tcb *c)
{
	char buf[128];
	ssize_t n = -1;
	for (int attempt = 0; attempt < 2 && n <= 0; attempt++) {
		int fd = c->schedstat_fd - 1;
		if (fd < 0 || attempt) {
			/* Not open yet, or a thread that took another's tid (execve). */
			char path[64];
			if (fd >= 0) {
				close(fd);
				kept_fds--;
				c->schedstat_fd = 0;
			}
			snprintf(path, sizeof path, "/proc/%d/schedstat", c->tid);
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				return 0;
			if (kept_fds < KEPT_FDS_MAX) {
				kept_fds++;
				c->schedstat_fd = fd + 1;
			}
		}
		n = pread(fd, buf, sizeof buf - 1, 0);
		if (!c->schedstat_fd)
			close(fd);
	}
	if (n <= 0)
		return 0;
	buf[n] = 0;
	return strtoull(buf, NULL, 10);
}

void summary_forget(struct tcb *c)
{
	if (c->schedstat_fd > 0) {
		close(c->schedstat_fd - 1);
		kept_fds--;
		c->schedstat_fd = 0;
	}
}

void summary_enter(struct trace *t, struct tcb *c)
{
	if (!t->o.wall)
		c->cpu_enter = thread_cpu_ns(c);
}

void summary_count(struct trace *t, struct tcb *c, const struct ptk_syscall *sc)
{
	if (!t->sum || c->nr < 0 || c->nr >= SC_BITS)
		return;
	int64_t ns;
	if (t->o.wall)
		ns = now_ns(CLOCK_MONOTONIC) - c->mono_enter;
	else
		ns = (int64_t)(thread_cpu_ns(c) - c->cpu_enter);
	ns -= (int64_t)t->o.overhead_ns;
	if (ns < 0)
		ns = 0;
	struct sc_stat *s = &t->sum->v[abi_of_arch(c->arch)][c->nr];
	if (!s->calls || (uint64_t)ns < s->min_ns)
		s->min_ns = (uint64_t)ns;
	if ((uint64_t)ns > s->max_ns)
		s->max_ns = (uint64_t)ns;
	s->calls++;
	s->errors += sc->is_error;
	s->total_ns += (uint64_t)ns;
}

/* ---- the table ---- */

static const struct sc_stat *sort_base;
static int sort_by;
static int sort_arch;

static uint64_t avg(const struct sc_stat *s)
{
	return s->calls ? s->total_ns / s->calls : 0;
}

static int cmp_rows(const void *pa, const void *pb)
{
	long a = *(const long *)pa, b = *(const long *)pb;
	const struct sc_stat *x = &sort_base[a], *y = &sort_base[b];
	uint64_t vx = 0, vy = 0;
	switch (sort_by) {
	case SORT_TIME:
		vx = x->total_ns, vy = y->total_ns;
		break;
	case SORT_MIN:
		vx = x->min_ns, vy = y->min_ns;
		break;
	case SORT_MAX:
		vx = x->max_ns, vy = y->max_ns;
		break;
	case SORT_AVG:
		vx = avg(x), vy = avg(y);
		break;
	case SORT_CALLS:
		vx = x->calls, vy = y->calls;
		break;
	case SORT_ERRORS:
		vx = x->errors, vy = y->errors;
		break;
	case SORT_NAME: {
		char ba[32], bb[32];
		int r = strcmp(syscall_name(sort_arch, a, ba, sizeof ba),
		               syscall_name(sort_arch, b, bb, sizeof bb));
		if (r)
			return r;
		break;
	}
	default:
		break;
	}
	if (vx != vy)
		return vx > vy ? -1 : 1;
	return a < b ? -1 : a > b;
}

static const struct {
	const char *head;
	int width;
} cols[] = {
        [COL_PERCENT] = {"% time", 6}, [COL_TOTAL] = {"seconds", 11},  [COL_MIN] = {"shortest", 8},
        [COL_MAX] = {"longest", 8},    [COL_AVG] = {"usecs/call", 11}, [COL_CALLS] = {"calls", 9},
        [COL_ERRORS] = {"errors", 9},  [COL_NAME] = {"syscall", 16},
};

static void put_cell(FILE *f, int col, bool last, const struct sc_stat *s, uint64_t total_ns,
                     const char *name)
{
	int w = cols[col].width;
	switch (col) {
	case COL_PERCENT:
		fprintf(f, "%6.2f",
		        total_ns ? 100.0 * (double)s->total_ns / (double)total_ns
		                 : (name && strcmp(name, "total") == 0 ? 100.0 : 0.0));
		break;
	case COL_TOTAL:
		fprintf(f, "%11.6f", (double)s->total_ns / 1e9);
		break;
	case COL_MIN:
		fprintf(f, "%8.6f", (double)s->min_ns / 1e9);
		break;
	case COL_MAX:
		fprintf(f, "%8.6f", (double)s->max_ns / 1e9);
		break;
	case COL_AVG:
		fprintf(f, "%11llu", (unsigned long long)(avg(s) / 1000));
		break;
	case COL_CALLS:
		fprintf(f, "%9llu", (unsigned long long)s->calls);
		break;
	case COL_ERRORS:
		if (s->errors)
			fprintf(f, "%9llu", (unsigned long long)s->errors);
		else
			fprintf(f, "%9s", "");
		break;
	default:
		if (last)
			fputs(name, f);
		else
			fprintf(f, "%-*s", w, name);
	}
}

static void print_table(struct trace *t, FILE *f, int abi)
{
	static const int defcols[] = {COL_PERCENT, COL_TOTAL,  COL_AVG,
	                              COL_CALLS,   COL_ERRORS, COL_NAME};
	const int *cl = t->o.ncolumns ? t->o.columns : defcols;
	int ncl = t->o.ncolumns ? t->o.ncolumns : 6;
	const struct sc_stat *v = t->sum->v[abi];
	long rows[SC_BITS];
	int n = 0;
	struct sc_stat tot = {0};
	for (long nr = 0; nr < SC_BITS; nr++) {
		if (!v[nr].calls)
			continue;
		rows[n++] = nr;
		if (!tot.calls || v[nr].min_ns < tot.min_ns)
			tot.min_ns = v[nr].min_ns;
		if (v[nr].max_ns > tot.max_ns)
			tot.max_ns = v[nr].max_ns;
		tot.calls += v[nr].calls;
		tot.errors += v[nr].errors;
		tot.total_ns += v[nr].total_ns;
	}
	if (!n)
		return;
	static const int arch_of[ABI_N] = {PTK_ARCH_X86_64, PTK_ARCH_I386, PTK_ARCH_X32};
	if (abi == ABI_32)
		fprintf(f, "System call usage summary for 32 bit mode:\n");
	else if (abi == ABI_X32)
		fprintf(f, "System call usage summary for x32 mode:\n");
	sort_base = v;
	sort_by = t->o.sortby;
	sort_arch = arch_of[abi];
	if (sort_by != SORT_NONE)
		qsort(rows, (size_t)n, sizeof *rows, cmp_rows);
	for (int i = 0; i < ncl; i++) {
		int c = cl[i];
		bool last = i == ncl - 1;
		if (i)
			fputc(' ', f);
		if ((c == COL_NAME || c == COL_PERCENT) && last)
			fputs(cols[c].head, f);
		else if (c == COL_NAME || c == COL_PERCENT)
			fprintf(f, "%-*s", cols[c].width, cols[c].head);
		else
			fprintf(f, "%*s", cols[c].width, cols[c].head);
	}
	fputc('\n', f);
	char dashes[32];
	for (int pass = 0; pass <= n + 1; pass++) {
		if (pass == 0 || pass == n + 1) {
			for (int i = 0; i < ncl; i++) {
				int w = cols[cl[i]].width;
				memset(dashes, '-', (size_t)w);
				dashes[w] = 0;
				fprintf(f, "%s%s", i ? " " : "", dashes);
			}
			fputc('\n', f);
			if (pass == 0)
				continue;
		}
		const struct sc_stat *s = pass <= n ? &v[rows[pass - 1]] : &tot;
		char nb[32];
		const char *name =
		        pass <= n ? syscall_name(arch_of[abi], rows[pass - 1], nb, sizeof nb)
		                  : "total";
		for (int i = 0; i < ncl; i++) {
			if (i)
				fputc(' ', f);
			put_cell(f, cl[i], i == ncl - 1, s, tot.total_ns, name);
		}
		fputc('\n', f);
	}
}

void summary_print(struct trace *t, FILE *f)
{
	if (!t->sum)
		return;
	for (int abi = 0; abi < ABI_N; abi++)
		print_table(t, f, abi);
	cost_footer(t, f, "ptk trace: ");
}

/* ptk's own cost: what the ptrace conversation took per traced syscall. */
void cost_footer(const struct trace *t, FILE *f, const char *prefix)
{
	struct ptk_stats st = t->stats;
	double per = t->nsyscalls ? (double)t->nsyscalls : 1.0;
	double extra = st.stops ? (double)(st.ptrace_calls - st.resumes) / (double)st.stops : 0;
	fprintf(f,
	        "%s%llu stops and %llu ptrace requests (%llu resumes) for %llu traced syscalls: "
	        "%.2f stops and %.2f requests per syscall, %.2f requests per stop besides the "
	        "resume; %.0f%% of waits answered by polling, %.1f polls per wait%s\n",
	        prefix, (unsigned long long)st.stops, (unsigned long long)st.ptrace_calls,
	        (unsigned long long)st.resumes, (unsigned long long)t->nsyscalls,
	        (double)st.stops / per, (double)st.ptrace_calls / per, extra,
	        st.waits ? 100.0 * (double)st.spin_hits / (double)st.waits : 0.0,
	        st.waits ? (double)st.spin_polls / (double)st.waits : 0.0,
	        t->seccomp ? " (seccomp filter on)" : "");
}
