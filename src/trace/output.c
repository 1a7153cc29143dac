/* SPDX-License-Identifier: MIT */
/*
 * ptk trace's output lines, in strace's layout: a "[pid N] " prefix when
 * several tracees print to one stream ("N  " with -o FILE), timestamps,
 * the return value at column 40, and the `<unfinished ...>` / `<... name
 * resumed>` pair when another tracee's line comes between a syscall's
 * entry and exit.
 *
 * A line is built in its tcb's obuf and written with one fwrite when it
 * ends (or when another line interrupts it), so a traced syscall costs no
 * write of its own when the output is a file.  Where the line goes is its
 * sink: written as it comes (SINK_STREAM), held until the syscall's status
 * is known (SINK_HOLD, for -e status=), kept for --json (SINK_CAPTURE) or
 * dropped.
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

/* -ff: the file of a tracee, FILE.TID, opened when it first prints. */
static FILE *out_of(struct trace *t, struct tcb *c)
{
	if (c->out)
		return c->out;
	c->out = t->out;
	if (t->o.follow_files && t->o.outfile) {
		char path[4096];
		snprintf(path, sizeof path, "%s.%d", t->o.outfile, c->tid);
		FILE *f = fopen(path, t->o.append ? "ae" : "we");
		if (f) {
			setvbuf(f, NULL, _IOFBF, 1 << 16);
			c->out = f;
		} else {
			trace_msg(t, "cannot write '%s': %s", path, strerror(errno));
		}
	}
	return c->out;
}

FILE *out_file(struct trace *t, struct tcb *c)
{
	return out_of(t, c);
}

struct tcb *tcb_find(struct trace *t, pid_t tid)
{
	if (t->tcb_cap)
		for (struct tcb *c = t->tcbs[slot(t, tid)]; c; c = c->hnext)
			if (c->tid == tid)
				return c;
	return NULL;
}

struct tcb *tcb_get(struct trace *t, pid_t tid, pid_t pid)
{
	struct tcb *c = tcb_find(t, tid);
	if (c)
		return c;
	if (t->ntcbs + 1 > t->tcb_cap / 2)
		grow(t);
	if (!t->tcb_cap)
		return NULL;
	c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->tid = tid;
	c->pid = pid;
	c->nr = -1;
	c->last_nr = -1;
	size_t h = slot(t, tid);
	c->hnext = t->tcbs[h];
	t->tcbs[h] = c;
	t->ntcbs++;
	return c;
}

static void unlink_tcb(struct trace *t, struct tcb *c)
{
	for (struct tcb **pp = &t->tcbs[slot(t, c->tid)]; *pp; pp = &(*pp)->hnext)
		if (*pp == c) {
			*pp = c->hnext;
			return;
		}
}

void tcb_drop(struct trace *t, pid_t tid)
{
	struct tcb *c = tcb_find(t, tid);
	if (!c)
		return;
	if (t->line_owner == c || t->stream_owner == c) {
		/* Its open line ends here (it was printed in part). */
		FILE *f = out_of(t, c);
		if (t->stream_owner == c && c->obuf.len)
			fwrite(c->obuf.s, 1, c->obuf.len, f);
		if (t->stream_owner == c)
			fputc('\n', f);
		t->line_owner = t->stream_owner = NULL;
	}
	unlink_tcb(t, c);
	if (c->out && c->out != t->out)
		fclose(c->out);
	if (c->visible)
		t->nvisible--;
	delay_forget(t, tid);
	db_free(&c->line);
	db_free(&c->obuf);
	db_free(&c->stack);
	summary_forget(c);
	free(c->inj_count);
	free(c);
	t->ntcbs--;
}

void tcb_rekey(struct trace *t, struct tcb *c, pid_t tid)
{
	unlink_tcb(t, c);
	c->tid = tid;
	size_t h = slot(t, tid);
	c->hnext = t->tcbs[h];
	t->tcbs[h] = c;
}

void tcb_set_visible(struct trace *t, struct tcb *c, bool v)
{
	if (c->visible == v)
		return;
	c->visible = v;
	if (v)
		t->nvisible++;
	else
		t->nvisible--;
}

void out_write(struct tcb *c, const char *s, size_t n)
{
	if (c->sink != SINK_DROP)
		db_putn(&c->obuf, s, n);
	c->col += (int)n;
}

void out_printf(struct trace *t, struct tcb *c, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	(void)t;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof buf) {
		out_write(c, buf, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big)
		return;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	out_write(c, big, (size_t)n);
	free(big);
}

/* Write what is left of c's line, then end it with tail. */
static void close_line(struct trace *t, struct tcb *c, const char *tail)
{
	FILE *f = out_of(t, c);
	db_puts(&c->obuf, tail);
	fwrite(c->obuf.s, 1, c->obuf.len, f);
	db_reset(&c->obuf);
	c->col = 0;
}

/* Close a line another tracee left open: it will be "resumed" later. */
void out_unfinished_close(struct trace *t)
{
	struct tcb *o = t->stream_owner;
	if (!o)
		return;
	close_line(t, o, " <unfinished ...>\n");
	t->stream_owner = NULL;
	if (t->line_owner == o)
		t->line_owner = NULL;
}

void out_detached(struct trace *t, struct tcb *c)
{
	if (t->stream_owner == c) {
		close_line(t, c, " <detached ...>\n");
		t->stream_owner = NULL;
		if (t->line_owner == c)
			t->line_owner = NULL;
	} else if (c->sink == SINK_HOLD && c->in_syscall && c->obuf.len &&
	           (t->o.status & ST_DETACHED)) {
		if (t->stream_owner && t->stream_owner->out == out_of(t, c))
			out_unfinished_close(t);
		close_line(t, c, " <detached ...>\n");
	}
}

/*
 * execve in a thread: c's open "execve(..." line ends as strace ends it,
 * and from now on c prints where the leader printed (its -ff file).
 */
void out_pid_changed(struct trace *t, struct tcb *c, struct tcb *leader, pid_t tid)
{
	if (c->sink == SINK_STREAM && c->col > 0) {
		char tail[64];
		snprintf(tail, sizeof tail, " <pid changed to %d ...>\n", tid);
		close_line(t, c, tail);
		if (t->stream_owner == c)
			t->stream_owner = NULL;
		if (t->line_owner == c)
			t->line_owner = NULL;
	}
	if (leader && leader->out && leader->out != t->out) {
		if (c->out && c->out != t->out)
			fclose(c->out);
		c->out = leader->out;
		leader->out = NULL;
	}
}

/* Write the partial line of the stream's owner now (stderr: as strace does). */
void out_flush_partial(struct trace *t)
{
	struct tcb *o = t->stream_owner;
	if (o && o->obuf.len) {
		fwrite(o->obuf.s, 1, o->obuf.len, out_of(t, o));
		db_reset(&o->obuf);
	}
}

void out_raw_line(struct trace *t, FILE *f, const char *s, size_t n)
{
	if (t->stream_owner && t->stream_owner->out == f)
		out_unfinished_close(t);
	fwrite(s, 1, n, f);
}

/* ns as seconds with prec (0..9) digits after the point: "1.000250". */
void fmt_secs(char *buf, size_t len, int64_t ns, int prec)
{
	char frac[16];
	if (ns < 0)
		ns = 0;
	snprintf(frac, sizeof frac, "%09lld", (long long)(ns % 1000000000));
	if (prec <= 0)
		snprintf(buf, len, "%lld", (long long)(ns / 1000000000));
	else
		snprintf(buf, len, "%lld.%.*s", (long long)(ns / 1000000000), prec > 9 ? 9 : prec,
		         frac);
}

/* -t, -tt, -ttt and -r: the time at the start of a line. */
static void timestamp(struct trace *t, struct tcb *c)
{
	struct timespec now;
	if (t->o.tflag) {
		clock_gettime(CLOCK_REALTIME, &now);
		if (t->o.tflag == 2) {
			char b[48];
			fmt_secs(b, sizeof b, (int64_t)now.tv_sec * 1000000000 + now.tv_nsec,
			         t->o.tprec);
			out_printf(t, c, "%s", b);
		} else {
			struct tm tm;
			time_t sec = now.tv_sec;
			localtime_r(&sec, &tm);
			out_printf(t, c, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
			if (t->o.tprec > 0) {
				char b[16];
				snprintf(b, sizeof b, "%09ld", now.tv_nsec);
				out_printf(t, c, ".%.*s", t->o.tprec, b);
			}
		}
		out_write(c, " ", 1);
	}
	if (t->o.relative) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (!t->t_last.tv_sec && !t->t_last.tv_nsec)
			t->t_last = now;
		long long ns = (now.tv_sec - t->t_last.tv_sec) * 1000000000LL +
		               (now.tv_nsec - t->t_last.tv_nsec);
		t->t_last = now;
		char b[48];
		fmt_secs(b, sizeof b, ns, t->o.rprec);
		out_printf(t, c, t->o.tflag ? "(+%*s) " : "%*s ", 6 + 1 + t->o.rprec, b);
	}
}

/* Start a line of c: close another's open line, print the pid prefix. */
void out_begin(struct trace *t, struct tcb *c)
{
	FILE *f = out_of(t, c);
	if (c->sink == SINK_STREAM) {
		if (t->stream_owner && t->stream_owner != c && t->stream_owner->out == f)
			out_unfinished_close(t);
		if (t->stream_owner == c)
			close_line(t, c, " <unfinished ...>\n");
	}
	db_reset(&c->obuf);
	c->col = 0;
	if (c->sink == SINK_DROP || c->sink == SINK_CAPTURE)
		return;
	if (f != t->out)
		;
	else if (t->pid_prefix_file)
		out_printf(t, c, "%-5d ", c->tid);
	else if (!t->o.outfile && t->nvisible > 1)
		out_printf(t, c, "[pid %5d] ", c->tid);
	timestamp(t, c);
	if (t->o.nflag) {
		if (c->last_nr >= 0)
			out_printf(t, c, "[%4d] ", c->last_nr);
		else
			out_printf(t, c, "[????] ");
	}
	if (t->o.iflag) {
		if (c->ip_valid)
			out_printf(t, c, "[%016llx] ", (unsigned long long)c->ip);
		else
			out_printf(t, c, "[????????????????] ");
	}
	if (c->sink == SINK_STREAM)
		t->stream_owner = t->line_owner = c;
}

void out_end_line(struct trace *t, struct tcb *c)
{
	FILE *f = out_of(t, c);
	switch (c->sink) {
	case SINK_STREAM:
		db_puts(&c->obuf, c->suffix);
		close_line(t, c, "\n");
		if (t->stream_owner == c)
			t->stream_owner = NULL;
		if (c->stack.len) /* -k: the frames follow the line */
			fwrite(c->stack.s, 1, c->stack.len, f);
		break;
	case SINK_HOLD:
		if (c->keep) {
			if (t->stream_owner && t->stream_owner != c && t->stream_owner->out == f)
				out_unfinished_close(t);
			db_puts(&c->obuf, c->suffix);
			close_line(t, c, "\n");
			if (c->stack.len)
				fwrite(c->stack.s, 1, c->stack.len, f);
		}
		db_reset(&c->obuf);
		break;
	case SINK_CAPTURE:
		break; /* main.c takes the text */
	default:
		db_reset(&c->obuf);
	}
	c->col = 0;
	c->suffix[0] = 0;
	if (c->sink != SINK_CAPTURE)
		db_reset(&c->stack);
	if (t->line_owner == c)
		t->line_owner = t->stream_owner;
}

void trace_msg(struct trace *t, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (t && t->out == stderr)
		out_flush_partial(t);
	fprintf(stderr, "ptk trace: %s\n", buf);
}

int out_open_files(struct trace *t, char *err, size_t errlen)
{
	const char *of = t->o.outfile;
	if (!of || (t->o.follow_files && of[0] != '|' && of[0] != '!')) {
		/* -ff: stderr only for lines that belong to no process. */
		t->out = stderr;
		t->live = true;
		return 0;
	}
	if (of[0] == '|' || of[0] == '!') {
		t->out = popen(of + 1, "we");
		t->out_pipe = true;
	} else {
		t->out = fopen(of, t->o.append ? "ae" : "we");
	}
	if (!t->out) {
		snprintf(err, errlen, "cannot write '%s': %s", of, strerror(errno));
		return -1;
	}
	/*
	 * glibc ignores setvbuf's size without a buffer (it allocates
	 * st_blksize, 4 KiB): give it one, so a trace to a file costs one
	 * write(2) per 64 KiB rather than per 4 KiB.
	 */
	static char buf[1 << 16];
	setvbuf(t->out, buf, _IOFBF, sizeof buf);
	return 0;
}

void out_close_all(struct trace *t)
{
	out_unfinished_close(t);
	for (size_t i = 0; i < t->tcb_cap; i++)
		while (t->tcbs[i])
			tcb_drop(t, t->tcbs[i]->tid);
	free(t->tcbs);
	t->tcbs = NULL;
	t->tcb_cap = 0;
	if (t->out && t->out_pipe)
		pclose(t->out);
	else if (t->out && t->out != stderr)
		fclose(t->out);
	else if (t->out)
		fflush(t->out);
	t->out = NULL;
}
