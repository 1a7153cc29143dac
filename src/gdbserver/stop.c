/* SPDX-License-Identifier: MIT */
/*
 * Replies to the client: sending, signal numbers, stop replies and non-stop notifications.
 *
 * Signal numbers on the wire are gdb's own (include/gdb/signals.def in gdb's sources, a
 * protocol fact): the classic Unix ones keep their numbers, the others moved.  Observed
 * against gdbserver 13 here: SIGUSR1 is 30, SIGRTMIN+n (33..63) is 45+(n-33), signal 32
 * is 77, signal 64 is 78, and SIGSTKFLT, which gdb has no name for, is 143 (unknown).
 *
 * Stop replies ("Stop Reply Packets" in the GDB manual):
 *   T<sig> then rbp, rsp and rip expedited (gdb reads them without a `g`), thread:, core:,
 *   then the reason: swbreak:/hwbreak: (when negotiated), watch:/rwatch:/awatch:ADDR
 *   (both clients know them), fork:/vfork:/vforkdone:/exec:,
 *   create:, and for lldb reason:breakpoint / reason:trace with threads:/thread-pcs: when
 *   it asked for QListThreadsInStopReply.  The pc is always the breakpoint's address
 *   (libptk rewinds it after int3), which is what swbreak: and reason:breakpoint promise.
 *   W<code>;process:PID, X<sig>;process:PID, w<code>;PID.TID (thread exit), N (nothing
 *   resumed).
 */
#include "gs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GDB_SIG_UNKNOWN 143

static const uint8_t host_to_gdb[32] = {
        [SIGHUP] = 1,   [SIGINT] = 2,     [SIGQUIT] = 3,  [SIGILL] = 4,
        [SIGTRAP] = 5,  [SIGABRT] = 6,    [SIGBUS] = 10,  [SIGFPE] = 8,
        [SIGKILL] = 9,  [SIGUSR1] = 30,   [SIGSEGV] = 11, [SIGUSR2] = 31,
        [SIGPIPE] = 13, [SIGALRM] = 14,   [SIGTERM] = 15, [SIGSTKFLT] = GDB_SIG_UNKNOWN,
        [SIGCHLD] = 20, [SIGCONT] = 19,   [SIGSTOP] = 17, [SIGTSTP] = 18,
        [SIGTTIN] = 21, [SIGTTOU] = 22,   [SIGURG] = 16,  [SIGXCPU] = 24,
        [SIGXFSZ] = 25, [SIGVTALRM] = 26, [SIGPROF] = 27, [SIGWINCH] = 28,
        [SIGIO] = 23,   [SIGPWR] = 32,    [SIGSYS] = 12,
};

int gs_sig_to_gdb(int host)
{
	if (host <= 0)
		return 0;
	if (host < 32)
		return host_to_gdb[host];
	if (host == 32)
		return 77;
	if (host <= 63)
		return 45 + (host - 33);
	if (host == 64)
		return 78;
	return GDB_SIG_UNKNOWN;
}

int gs_sig_from_gdb(int gdb)
{
	if (gdb == 0)
		return 0;
	for (int h = 1; h < 32; h++)
		if (host_to_gdb[h] == gdb && gdb != GDB_SIG_UNKNOWN)
			return h;
	if (gdb == 77)
		return 32;
	if (gdb >= 45 && gdb <= 75)
		return gdb - 45 + 33;
	if (gdb == 78)
		return 64;
	return -1;
}

/* ------------------------------------------------------------------------------------- */
/* Sending                                                                               */

void gs_flush(struct gs *g)
{
	size_t n;
	const char *p = rsp_conn_output(g->conn, &n);

	if (n == 0)
		return;
	if (!g->conn_lost && g->out_fn && g->out_fn(g->out_arg, p, n) < 0)
		g->conn_lost = true;
	rsp_conn_consume(g->conn, n);
}

static void debug_out(struct gs *g, char lead, const void *p, size_t n)
{
	if (g->debug)
		fprintf(stderr, "ptk gdbserver: -> %c%.*s\n", lead, (int)(n > 400 ? 400 : n),
		        (const char *)p);
}

void gs_send(struct gs *g, const void *p, size_t n)
{
	int r = rsp_conn_send(g->conn, p, n);

	if (r == -ENOBUFS) {
		gs_flush(g);
		r = rsp_conn_send(g->conn, p, n);
	}
	if (r < 0) {
		/* A reply we cannot frame is a bug of ours: say so rather than go silent. */
		fprintf(stderr, "ptk gdbserver: cannot send a %zu-byte reply (%s)\n", n,
		        strerror(-r));
		rsp_conn_send_str(g->conn, "E01");
	}
	debug_out(g, '$', p, n);
	gs_flush(g);
}

void gs_send_str(struct gs *g, const char *s)
{
	gs_send(g, s, strlen(s));
}

void gs_send_error(struct gs *g, int err)
{
	char mem[8];
	struct rsp_buf b;

	rsp_buf_init(&b, mem, sizeof mem);
	rsp_buf_put_error(&b, err < 0 ? -err : err);
	gs_send(g, b.data, b.len);
}

static void notify(struct gs *g, const char *p, size_t n)
{
	static char mem[RSP_PAYLOAD_MAX];
	struct rsp_buf b;

	rsp_buf_init(&b, mem, sizeof mem);
	rsp_buf_puts(&b, "Stop:");
	rsp_buf_put(&b, p, n);
	if (b.overflow)
		return;
	if (rsp_conn_notify(g->conn, b.data, b.len) == -ENOBUFS) {
		gs_flush(g);
		rsp_conn_notify(g->conn, b.data, b.len);
	}
	debug_out(g, '%', b.data, b.len);
	gs_flush(g);
}

/* ------------------------------------------------------------------------------------- */
/* Stop replies                                                                          */

void gs_put_tid(struct gs *g, struct rsp_buf *b, pid_t pid, pid_t tid)
{
	struct rsp_tid t = {.has_pid = g->multiprocess, .pid = pid, .tid = tid};

	rsp_buf_put_tid(b, &t);
}

static void put_field_tid(struct gs *g, struct rsp_buf *b, const char *name, pid_t pid, pid_t tid)
{
	rsp_buf_puts(b, name);
	rsp_buf_putc(b, ':');
	gs_put_tid(g, b, pid, tid);
	rsp_buf_putc(b, ';');
}

/* threads:T1,T2;thread-pcs:PC1,PC2; for lldb's QListThreadsInStopReply. */
static void put_thread_list(struct gs *g, struct rsp_buf *b, pid_t pid)
{
	struct gs_proc *p = gs_proc_find(g, pid);
	struct ptk_regs r;
	bool first = true;

	if (!p)
		return;
	rsp_buf_puts(b, "threads:");
	for (struct gs_thread *t = p->threads; t; t = t->next) {
		if (!first)
			rsp_buf_putc(b, ',');
		rsp_buf_put_num(b, (uint64_t)t->tid);
		first = false;
	}
	rsp_buf_puts(b, ";thread-pcs:");
	first = true;
	for (struct gs_thread *t = p->threads; t; t = t->next) {
		if (!first)
			rsp_buf_putc(b, ',');
		if (t->running || ptk_regs_get(g->s, t->tid, &r) < 0)
			r.rip = 0;
		rsp_buf_put_num(b, r.rip);
		first = false;
	}
	rsp_buf_putc(b, ';');
}

void gs_stop_reply(struct gs *g, const struct gs_stop *st, struct rsp_buf *b)
{
	struct gs_thread *t;
	struct ptk_regs r;
	int core;

	switch (st->kind) {
	case GS_STOP_EXITED:
	case GS_STOP_KILLED:
		rsp_buf_putc(b, st->kind == GS_STOP_EXITED ? 'W' : 'X');
		rsp_buf_printf(b, "%02x",
		               st->kind == GS_STOP_EXITED ? st->code & 0xff
		                                          : gs_sig_to_gdb(st->sig));
		if (g->multiprocess)
			rsp_buf_printf(b, ";process:%x", (unsigned)st->pid);
		return;
	case GS_STOP_THREAD_EXIT:
		rsp_buf_printf(b, "w%02x;", st->code & 0xff);
		gs_put_tid(g, b, st->pid, st->tid);
		return;
	case GS_STOP_NO_RESUMED:
		rsp_buf_putc(b, 'N');
		return;
	default:
		break;
	}
	rsp_buf_put_stop(b, st->kind == GS_STOP_SIGNAL ? gs_sig_to_gdb(st->sig) : 5);
	t = gs_thread_find(g, st->tid);
	if (t && !t->running && ptk_regs_get(g->s, t->tid, &r) == 0) {
		rsp_buf_put_field_reg(b, 6, &r.rbp, 8);
		rsp_buf_put_field_reg(b, 7, &r.rsp, 8);
		rsp_buf_put_field_reg(b, 16, &r.rip, 8);
	}
	put_field_tid(g, b, "thread", st->pid, st->tid);
	core = t ? gs_thread_core(t) : -1;
	if (core >= 0)
		rsp_buf_put_field_num(b, "core", (uint64_t)core);
	switch (st->kind) {
	case GS_STOP_SIGNAL:
		if (st->reason == GS_R_SWBREAK && g->swbreak)
			rsp_buf_put_field(b, "swbreak", "");
		else if (st->reason == GS_R_HWBREAK && g->hwbreak)
			rsp_buf_put_field(b, "hwbreak", "");
		else if ((st->reason == GS_R_SWBREAK || st->reason == GS_R_HWBREAK) && g->lldb)
			rsp_buf_put_field(b, "reason", "breakpoint");
		else if (st->reason == GS_R_WATCH)
			rsp_buf_printf(b, "%swatch:%llx;",
			               st->wtype == 3   ? "r"
			               : st->wtype == 4 ? "a"
			                                : "",
			               (unsigned long long)st->addr);
		else if (st->reason == GS_R_STEP && g->lldb)
			rsp_buf_put_field(b, "reason", "trace");
		break;
	case GS_STOP_FORK:
	case GS_STOP_VFORK:
		put_field_tid(g, b, st->kind == GS_STOP_FORK ? "fork" : "vfork", st->child,
		              st->child);
		break;
	case GS_STOP_VFORK_DONE:
		rsp_buf_put_field(b, "vforkdone", "");
		break;
	case GS_STOP_EXEC: {
		char path[4096], link[64];
		snprintf(link, sizeof link, "/proc/%d/exe", (int)st->pid);
		int k = gs_host_readlink(link, path, sizeof path);
		if (g->exec_events) {
			rsp_buf_puts(b, "exec:");
			if (k > 0)
				rsp_buf_put_hex(b, path, (size_t)k);
			rsp_buf_putc(b, ';');
		} else if (g->lldb) {
			rsp_buf_put_field(b, "reason", "exec");
		}
		break;
	}
	case GS_STOP_CREATE:
		rsp_buf_put_field(b, "create", "");
		break;
	default:
		break;
	}
	if (g->list_threads)
		put_thread_list(g, b, st->pid);
}

void gs_report(struct gs *g, const struct gs_stop *st)
{
	static char mem[RSP_PAYLOAD_MAX];
	struct rsp_buf b;
	struct gs_thread *t = gs_thread_find(g, st->tid);

	rsp_buf_init(&b, mem, sizeof mem);
	gs_stop_reply(g, st, &b);
	if (t)
		t->last = *st;
	if (st->kind == GS_STOP_FORK || st->kind == GS_STOP_VFORK) {
		/* The client hears of the child now: it may show and resume it. */
		struct gs_proc *c = gs_proc_find(g, st->child);
		if (c)
			c->hidden = false;
	}
	if (!g->non_stop) {
		/* The other threads stopped because this one did, with no reason of their own. */
		for (struct gs_proc *p = g->procs; p; p = p->next)
			for (struct gs_thread *u = p->threads; u; u = u->next)
				if (u != t && !u->running)
					u->last = (struct gs_stop){.kind = GS_STOP_SIGNAL,
					                           .reason = GS_R_STOP,
					                           .pid = p->pid,
					                           .tid = u->tid};
		g->last = *st;
		g->have_last = true;
		if (st->tid > 0) {
			g->g_pid = g->c_pid = st->pid;
			g->g_tid = g->c_tid = st->tid;
		}
		gs_send(g, b.data, b.len);
		return;
	}
	struct gs_notif *n = malloc(sizeof *n + b.len + 1);
	if (!n)
		return;
	n->next = NULL;
	n->len = b.len;
	memcpy(n->text, b.data, b.len);
	n->text[b.len] = 0;
	struct gs_notif **pp = &g->nq;
	while (*pp)
		pp = &(*pp)->next;
	*pp = n;
	if (!g->notif_sent) {
		g->notif_sent = true;
		notify(g, n->text, n->len);
	}
}

void gs_vstopped(struct gs *g)
{
	if (g->notif_sent && g->nq) {
		struct gs_notif *n = g->nq;
		g->nq = n->next;
		free(n);
	}
	if (!g->nq) {
		g->notif_sent = false;
		gs_send_str(g, "OK");
		return;
	}
	g->notif_sent = true;
	gs_send(g, g->nq->text, g->nq->len);
}

void gs_notif_clear(struct gs *g)
{
	while (g->nq) {
		struct gs_notif *n = g->nq;
		g->nq = n->next;
		free(n);
	}
	g->notif_sent = false;
}
