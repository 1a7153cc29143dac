/* SPDX-License-Identifier: MIT */
/*
 * ptk trace's output lines, in strace's layout: a "[pid N] " prefix when
 * several tracees print to one stream ("N  " with -o FILE -f), the return
 * value at column 40, and the `<unfinished ...>` / `<... name resumed>`
 * pair when another tracee's line comes between a syscall's entry and exit.
 */
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static size_t slot(const struct trace *t, pid_t tid)
{
	return ((uint32_t)tid * 2654435761u) & (t->tcb_cap - 1);
}

static void grow(struct trace *t)
{
	size_t ncap = t->tcb_cap ? t->tcb_cap * 2 : 64;
	struct tcb **nv = calloc(ncap, sizeof *nv);
	if (!nv)
		return;
	struct tcb **old = t->tcbs;
	size_t ocap = t->tcb_cap;
	t->tcbs = nv;
	t->tcb_cap = ncap;
	for (size_t i = 0; i < ocap; i++)
		for (struct tcb *c = old[i], *n; c; c = n) {
			n = c->hnext;
			size_t h = slot(t, c->tid);
			c->hnext = t->tcbs[h];
			t->tcbs[h] = c;
		}
	free(old);
}

static FILE *open_ff(struct trace *t, pid_t pid)
{
	char path[4096];
	snprintf(path, sizeof path, "%s.%d", t->o.outfile, pid);
	FILE *f = fopen(path, "we");
	if (f)
		setvbuf(f, NULL, _IOFBF, 1 << 16);
	return f ? f : t->out;
}

struct tcb *tcb_get(struct trace *t, pid_t tid, pid_t pid)
{
	if (t->tcb_cap)
		for (struct tcb *c = t->tcbs[slot(t, tid)]; c; c = c->hnext)
			if (c->tid == tid)
				return c;
	if (t->ntcbs + 1 > t->tcb_cap)
		grow(t);
	if (!t->tcb_cap)
		return NULL;
	struct tcb *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->tid = tid;
	c->pid = pid;
	c->nr = -1;
	c->out = t->o.follow_files ? open_ff(t, tid) : t->out;
	size_t h = slot(t, tid);
	c->hnext = t->tcbs[h];
	t->tcbs[h] = c;
	t->ntcbs++;
	return c;
}

void tcb_drop(struct trace *t, pid_t tid)
{
	if (!t->tcb_cap)
		return;
	for (struct tcb **pp = &t->tcbs[slot(t, tid)]; *pp; pp = &(*pp)->hnext)
		if ((*pp)->tid == tid) {
			struct tcb *c = *pp;
			*pp = c->hnext;
			if (t->line_owner == c)
				t->line_owner = NULL;
			if (c->out != t->out)
				fclose(c->out);
			db_free(&c->line);
			free(c);
			t->ntcbs--;
			return;
		}
}

void out_write(struct tcb *c, const char *s, size_t n)
{
	fwrite(s, 1, n, c->out);
	c->col += (int)n;
}

#define put out_write

void out_printf(struct trace *t, struct tcb *c, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof buf) {
		put(c, buf, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big)
		return;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	put(c, big, (size_t)n);
	free(big);
	(void)t;
}

/* Close a line another tracee left open: it will be "resumed" later. */
void out_unfinished_close(struct trace *t)
{
	struct tcb *o = t->line_owner;
	if (!o)
		return;
	fputs(" <unfinished ...>\n", o->out);
	o->col = 0;
	t->line_owner = NULL;
}

/* -t, -tt, -ttt and -r: the time at the start of a line. */
static void timestamp(struct trace *t, struct tcb *c)
{
	struct timespec now;
	if (t->o.tflag) {
		clock_gettime(CLOCK_REALTIME, &now);
		if (t->o.tflag == 3) {
			out_printf(t, c, "%lld.%06ld ", (long long)now.tv_sec, now.tv_nsec / 1000);
		} else {
			struct tm tm;
			time_t sec = now.tv_sec;
			localtime_r(&sec, &tm);
			out_printf(t, c, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
			if (t->o.tflag == 2)
				out_printf(t, c, ".%06ld", now.tv_nsec / 1000);
			out_printf(t, c, " ");
		}
	}
	if (t->o.relative) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (!t->t_last.tv_sec && !t->t_last.tv_nsec)
			t->t_last = now;
		long long ns = (now.tv_sec - t->t_last.tv_sec) * 1000000000LL +
		               (now.tv_nsec - t->t_last.tv_nsec);
		t->t_last = now;
		out_printf(t, c, t->o.tflag ? "(+%6lld.%06lld) " : "%6lld.%06lld ",
		           ns / 1000000000LL, (ns % 1000000000LL) / 1000);
	}
}

/* Start a line of c: close another's open line, print the pid prefix. */
void out_begin(struct trace *t, struct tcb *c)
{
	if (t->line_owner && t->line_owner != c && t->line_owner->out == c->out)
		out_unfinished_close(t);
	c->col = 0;
	if (c->out != t->out || !t->o.follow)
		;
	else if (t->o.outfile)
		out_printf(t, c, "%-5d ", c->tid);
	else if (t->ntcbs > 1 || c->tid != t->main_pid)
		out_printf(t, c, "[pid %5d] ", c->tid);
	timestamp(t, c);
	t->line_owner = c;
}

void out_end_line(struct trace *t, struct tcb *c)
{
	put(c, "\n", 1);
	c->col = 0;
	if (t->line_owner == c)
		t->line_owner = NULL;
}

int out_open_files(struct trace *t, char *err, size_t errlen)
{
	if (!t->o.outfile) {
		t->out = stderr;
		return 0;
	}
	if (t->o.follow_files) {
		t->out = stderr; /* for lines that belong to no process */
		return 0;
	}
	t->out = fopen(t->o.outfile, "we");
	if (!t->out) {
		snprintf(err, errlen, "cannot write '%s': %s", t->o.outfile, strerror(errno));
		return -1;
	}
	setvbuf(t->out, NULL, _IOFBF, 1 << 16);
	return 0;
}

void out_close_all(struct trace *t)
{
	for (size_t i = 0; i < t->tcb_cap; i++)
		while (t->tcbs[i])
			tcb_drop(t, t->tcbs[i]->tid);
	free(t->tcbs);
	t->tcbs = NULL;
	t->tcb_cap = 0;
	if (t->out && t->out != stderr)
		fclose(t->out);
	else if (t->out)
		fflush(t->out);
}
