/* SPDX-License-Identifier: MIT */
/*
 * --timeline FILE: the trace as Chrome/Perfetto trace-event JSON
 * ({"traceEvents":[...]}), which ui.perfetto.dev and chrome://tracing
 * load: one track per thread, named after its process (its comm, read
 * again after execve), one complete ("X") slice per syscall with its
 * arguments and return value, and instant ("i") events for signals and
 * exits.  Times are microseconds since ptk started.
 */
#include "trace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct timeline {
	FILE *f;
	bool first;
};

int timeline_open(struct trace *t, char *err, size_t errlen)
{
	struct timeline *tl = calloc(1, sizeof *tl);
	if (!tl) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	tl->f = fopen(t->o.timeline, "we");
	if (!tl->f) {
		snprintf(err, errlen, "cannot write '%s': %s", t->o.timeline, strerror(errno));
		free(tl);
		return -1;
	}
	static char buf[1 << 16]; /* (setvbuf ignores the size without a buffer) */
	setvbuf(tl->f, buf, _IOFBF, sizeof buf);
	fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n", tl->f);
	tl->first = true;
	t->tl = tl;
	return 0;
}

static void put_event(struct trace *t, struct dbuf *b)
{
	struct timeline *tl = t->tl;
	if (!tl->first)
		fputs(",\n", tl->f);
	tl->first = false;
	fwrite(b->s, 1, b->len, tl->f);
	db_free(b);
}

static void ts(struct dbuf *b, const char *key, int64_t ns)
{
	if (ns < 0)
		ns = 0;
	db_printf(b, ",\"%s\":%lld.%03lld", key, (long long)(ns / 1000), (long long)(ns % 1000));
}

/* Name the process and thread tracks of tid after the process's comm. */
void timeline_thread(struct trace *t, pid_t pid, pid_t tid)
{
	if (!t->tl)
		return;
	char path[64], comm[64] = "?";
	snprintf(path, sizeof path, "/proc/%d/comm", tid);
	FILE *f = fopen(path, "re");
	if (f) {
		if (fgets(comm, sizeof comm, f))
			comm[strcspn(comm, "\n")] = 0;
		fclose(f);
	}
	struct dbuf b = {0};
	char name[96];
	snprintf(name, sizeof name, "%s %d", comm, pid);
	db_printf(
	        &b,
	        "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%d,\"tid\":%d,\"args\":{\"name\":",
	        pid, tid);
	json_escape(&b, name, strlen(name));
	db_puts(&b, "}}");
	put_event(t, &b);
	snprintf(name, sizeof name, "%s %d", comm, tid);
	db_printf(
	        &b,
	        "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":%d,\"tid\":%d,\"args\":{\"name\":",
	        pid, tid);
	json_escape(&b, name, strlen(name));
	db_puts(&b, "}}");
	put_event(t, &b);
}

void timeline_syscall(struct trace *t, struct tcb *c, const struct ptk_syscall *sc)
{
	if (!t->tl)
		return;
	char nb[32];
	struct dbuf b = {0};
	int64_t end = now_ns(CLOCK_MONOTONIC);
	db_puts(&b, "{\"ph\":\"X\",\"cat\":\"syscall\",\"name\":");
	const char *name = syscall_name(c->arch, c->nr, nb, sizeof nb);
	json_escape(&b, name, strlen(name));
	db_printf(&b, ",\"pid\":%d,\"tid\":%d", c->pid, c->tid);
	ts(&b, "ts", c->mono_enter - t->t0);
	ts(&b, "dur", end - c->mono_enter);
	db_puts(&b, ",\"args\":{\"args\":");
	json_escape(&b, c->line.s ? c->line.s : "", c->line.len);
	if (sc && sc->op == PTK_SC_EXIT) {
		db_printf(&b, ",\"return\":%lld", (long long)sc->rval);
		if (sc->is_error) {
			const char *en = ptk_errno_name((int)-sc->rval);
			if (en) {
				db_puts(&b, ",\"errno\":");
				json_escape(&b, en, strlen(en));
			}
		}
	} else {
		db_puts(&b, ",\"return\":null");
	}
	db_puts(&b, "}}");
	put_event(t, &b);
}

void timeline_instant(struct trace *t, struct tcb *c, const char *name, const char *detail)
{
	if (!t->tl)
		return;
	struct dbuf b = {0};
	db_puts(&b, "{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"event\",\"name\":");
	json_escape(&b, name, strlen(name));
	db_printf(&b, ",\"pid\":%d,\"tid\":%d", c->pid, c->tid);
	ts(&b, "ts", now_ns(CLOCK_MONOTONIC) - t->t0);
	if (detail) {
		db_puts(&b, ",\"args\":{\"detail\":");
		json_escape(&b, detail, strlen(detail));
		db_putc(&b, '}');
	}
	db_putc(&b, '}');
	put_event(t, &b);
}

void timeline_close(struct trace *t)
{
	if (!t->tl)
		return;
	fputs("\n]}\n", t->tl->f);
	fclose(t->tl->f);
	free(t->tl);
	t->tl = NULL;
}
