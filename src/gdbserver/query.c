/* SPDX-License-Identifier: MIT */
/*
 * The q and Q packets: negotiation (qSupported), queries about threads and processes,
 * and the switches (QStartNoAckMode, QNonStop, QPassSignals, the environment and start
 * settings of vRun, lldb's QThreadSuffixSupported and QListThreadsInStopReply).
 */
#include "gs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char out[RSP_PAYLOAD_MAX];

/* A NUL-terminated copy of hex-encoded text, or NULL. */
char *gs_unhex(struct rsp_str s)
{
	char *p = malloc(s.len / 2 + 1);
	size_t n = 0;

	if (!p)
		return NULL;
	if (rsp_hex_decode(s.p, s.len, p, s.len / 2, &n) < 0 || memchr(p, 0, n)) {
		free(p);
		return NULL;
	}
	p[n] = 0;
	return p;
}

/* ------------------------------------------------------------------------------------- */
/* Queries                                                                               */

static void q_supported(struct gs *g, struct rsp_scan *sc)
{
	struct rsp_str item;
	struct rsp_feature f;
	struct rsp_buf b;

	rsp_scan_lit(sc, ":");
	while (rsp_scan_item(sc, ';', &item)) {
		if (rsp_parse_feature(item, &f) < 0 || f.state != '+')
			continue;
		if (rsp_str_eq(f.name, "multiprocess"))
			g->multiprocess = true;
		else if (rsp_str_eq(f.name, "swbreak"))
			g->swbreak = true;
		else if (rsp_str_eq(f.name, "hwbreak"))
			g->hwbreak = true;
		else if (rsp_str_eq(f.name, "fork-events"))
			g->fork_events = true;
		else if (rsp_str_eq(f.name, "vfork-events"))
			g->vfork_events = true;
		else if (rsp_str_eq(f.name, "exec-events"))
			g->exec_events = true;
		else if (rsp_str_eq(f.name, "vContSupported"))
			g->vcont_supported = true;
		else if (rsp_str_eq(f.name, "QThreadEvents"))
			g->thread_events_ok = true;
		else if (rsp_str_eq(f.name, "no-resumed"))
			g->no_resumed = true;
	}
	rsp_buf_init(&b, out, sizeof out);
	rsp_buf_printf(&b, "PacketSize=%zx;", rsp_conn_max_payload(g->conn));
	rsp_buf_puts(&b, "QPassSignals+;QProgramSignals+;QStartupWithShell+;"
	                 "QEnvironmentHexEncoded+;QEnvironmentReset+;QEnvironmentUnset+;"
	                 "QSetWorkingDir+;qXfer:libraries-svr4:read+;qXfer:auxv:read+;"
	                 "qXfer:siginfo:read+;qXfer:features:read+;qXfer:exec-file:read+;"
	                 "qXfer:threads:read+;QStartNoAckMode+;QNonStop+;"
	                 "QDisableRandomization+;ConditionalBreakpoints+");
	if (g->multiprocess)
		rsp_buf_puts(&b, ";multiprocess+");
	if (g->swbreak)
		rsp_buf_puts(&b, ";swbreak+");
	if (g->hwbreak)
		rsp_buf_puts(&b, ";hwbreak+");
	if (g->fork_events)
		rsp_buf_puts(&b, ";fork-events+");
	if (g->vfork_events)
		rsp_buf_puts(&b, ";vfork-events+");
	if (g->exec_events)
		rsp_buf_puts(&b, ";exec-events+");
	if (g->vcont_supported)
		rsp_buf_puts(&b, ";vContSupported+");
	if (g->thread_events_ok)
		rsp_buf_puts(&b, ";QThreadEvents+");
	if (g->no_resumed)
		rsp_buf_puts(&b, ";no-resumed+");
	gs_send(g, b.data, b.len);
}

/* qfThreadInfo / qsThreadInfo: `m` and thread-ids, as many as fit, then `l`. */
static void q_thread_info(struct gs *g, bool first)
{
	static size_t next; /* index of the next thread to list */
	struct rsp_buf b;
	size_t i = 0;
	bool any = false;

	if (first)
		next = 0;
	rsp_buf_init(&b, out, sizeof out - 64);
	rsp_buf_putc(&b, 'm');
	for (struct gs_proc *p = g->procs; p; p = p->next) {
		if (p->hidden)
			continue;
		for (struct gs_thread *t = p->threads; t; t = t->next, i++) {
			if (i < next)
				continue;
			if (b.len + 48 > b.cap)
				goto done;
			if (any)
				rsp_buf_putc(&b, ',');
			gs_put_tid(g, &b, p->pid, t->tid);
			any = true;
			next = i + 1;
		}
	}
done:
	if (!any)
		gs_send_str(g, "l");
	else
		gs_send(g, b.data, b.len);
}

static void q_thread_extra(struct gs *g, struct rsp_scan *sc)
{
	struct rsp_tid id;
	struct gs_thread *t;
	char name[64], text[96];
	struct rsp_buf b;

	if (rsp_scan_tid(sc, &id) < 0 || !rsp_scan_eof(sc) || id.tid <= 0) {
		gs_send_error(g, EINVAL);
		return;
	}
	t = gs_thread_find(g, (pid_t)id.tid);
	if (!t) {
		gs_send_error(g, ESRCH);
		return;
	}
	gs_thread_name(t->proc->pid, t->tid, name, sizeof name);
	snprintf(text, sizeof text, "%s%s%s", name, *name ? ", " : "",
	         t->running ? "running" : "stopped");
	rsp_buf_init(&b, out, sizeof out);
	rsp_buf_put_hex(&b, text, strlen(text));
	gs_send(g, b.data, b.len);
}

static void q_attached(struct gs *g, struct rsp_scan *sc)
{
	uint64_t pid = 0;
	struct gs_proc *p;

	if (rsp_scan_lit(sc, ":") && rsp_scan_num(sc, &pid) < 0) {
		gs_send_error(g, EINVAL);
		return;
	}
	p = pid ? gs_proc_find(g, (pid_t)pid) : gs_cur_proc(g);
	if (!p) {
		gs_send_error(g, ESRCH);
		return;
	}
	gs_send_str(g, p->attached ? "1" : "0");
}

static void q_current(struct gs *g)
{
	struct gs_thread *t = gs_cur_thread(g);
	struct rsp_buf b;

	if (!t) {
		gs_send_error(g, ESRCH);
		return;
	}
	rsp_buf_init(&b, out, sizeof out);
	rsp_buf_puts(&b, "QC");
	gs_put_tid(g, &b, t->proc->pid, t->tid);
	gs_send(g, b.data, b.len);
}

/* lldb's qThreadStopInfoTID: the stop reply of one thread. */
static void q_thread_stop_info(struct gs *g, struct rsp_scan *sc)
{
	uint64_t tid;
	struct gs_thread *t;
	struct gs_stop st;
	struct rsp_buf b;

	if (rsp_scan_num(sc, &tid) < 0 || !(t = gs_thread_find(g, (pid_t)tid))) {
		gs_send_error(g, ESRCH);
		return;
	}
	st = t->last;
	if (st.kind != GS_STOP_SIGNAL)
		st = (struct gs_stop){.kind = GS_STOP_SIGNAL};
	st.pid = t->proc->pid;
	st.tid = t->tid;
	rsp_buf_init(&b, out, sizeof out);
	gs_stop_reply(g, &st, &b);
	gs_send(g, b.data, b.len);
}

void gs_packet_q(struct gs *g, struct rsp_scan *sc)
{
	if (rsp_scan_lit(sc, "Supported"))
		q_supported(g, sc);
	else if (rsp_scan_lit(sc, "Xfer:"))
		gs_pkt_qxfer(g, sc);
	else if (rsp_scan_lit(sc, "fThreadInfo"))
		q_thread_info(g, true);
	else if (rsp_scan_lit(sc, "sThreadInfo"))
		q_thread_info(g, false);
	else if (rsp_scan_lit(sc, "ThreadExtraInfo,"))
		q_thread_extra(g, sc);
	else if (rsp_scan_lit(sc, "ThreadStopInfo"))
		q_thread_stop_info(g, sc);
	else if (rsp_scan_lit(sc, "Attached"))
		q_attached(g, sc);
	else if (rsp_scan_lit(sc, "C") && rsp_scan_eof(sc))
		q_current(g);
	else if (rsp_scan_lit(sc, "Symbol:"))
		gs_send_str(g, "OK");
	else if (rsp_scan_lit(sc, "HostInfo"))
		gs_pkt_host_info(g);
	else if (rsp_scan_lit(sc, "ProcessInfo"))
		gs_pkt_process_info(g);
	else if (rsp_scan_lit(sc, "MemoryRegionInfo:"))
		gs_pkt_mem_region(g, sc);
	else
		gs_send_str(g, ""); /* qOffsets, qTStatus, qRegisterInfo, ...: not offered */
}

/* ------------------------------------------------------------------------------------- */
/* Settings                                                                              */

static int bool_arg(struct rsp_scan *sc)
{
	if (rsp_scan_lit(sc, "1") && rsp_scan_eof(sc))
		return 1;
	if (rsp_scan_lit(sc, "0") && rsp_scan_eof(sc))
		return 0;
	return -1;
}

static void q_pass_signals(struct gs *g, struct rsp_scan *sc)
{
	uint8_t pass[GS_GDB_NSIG] = {0};
	struct rsp_str item;
	uint64_t v;

	while (rsp_scan_item(sc, ';', &item)) {
		if (item.len == 0)
			continue;
		if (rsp_str_num(item, &v) < 0) {
			gs_send_error(g, EINVAL);
			return;
		}
		if (v < GS_GDB_NSIG)
			pass[v] = 1;
	}
	memcpy(g->pass, pass, sizeof pass);
	gs_send_str(g, "OK");
}

void gs_packet_Q(struct gs *g, struct rsp_scan *sc)
{
	int v;
	char *s;

	if (rsp_scan_lit(sc, "StartNoAckMode")) {
		gs_send_str(g, "OK");
		rsp_conn_set_ack_mode(g->conn, false);
	} else if (rsp_scan_lit(sc, "NonStop:")) {
		if ((v = bool_arg(sc)) < 0) {
			gs_send_error(g, EINVAL);
			return;
		}
		g->non_stop = v;
		gs_send_str(g, "OK");
	} else if (rsp_scan_lit(sc, "PassSignals:")) {
		q_pass_signals(g, sc);
	} else if (rsp_scan_lit(sc, "ProgramSignals:")) {
		gs_send_str(g, "OK"); /* the client decides which signals it passes on */
	} else if (rsp_scan_lit(sc, "ThreadEvents:")) {
		if ((v = bool_arg(sc)) < 0) {
			gs_send_error(g, EINVAL);
			return;
		}
		g->thread_events = v;
		gs_send_str(g, "OK");
	} else if (rsp_scan_lit(sc, "DisableRandomization:") ||
	           rsp_scan_lit(sc, "SetDisableASLR:")) {
		if ((v = bool_arg(sc)) < 0) {
			gs_send_error(g, EINVAL);
			return;
		}
		g->no_aslr = v;
		gs_send_str(g, "OK");
	} else if (rsp_scan_lit(sc, "StartupWithShell:")) {
		if ((v = bool_arg(sc)) < 0) {
			gs_send_error(g, EINVAL);
			return;
		}
		g->startup_with_shell = v;
		gs_send_str(g, "OK");
	} else if (rsp_scan_lit(sc, "EnvironmentHexEncoded:")) {
		if (!(s = gs_unhex(rsp_scan_rest(sc))) || gs_env_set(&g->env, s) < 0) {
			free(s);
			gs_send_error(g, EINVAL);
			return;
		}
		free(s);
		gs_send_str(g, "OK");
	} else if (rsp_scan_lit(sc, "EnvironmentUnset:")) {
		if (!(s = gs_unhex(rsp_scan_rest(sc)))) {
			gs_send_error(g, EINVAL);
			return;
		}
		gs_env_unset(&g->env, s);
		free(s);
		gs_send_str(g, "OK");
	} else if (rsp_scan_lit(sc, "EnvironmentReset") && rsp_scan_eof(sc)) {
		gs_env_free(&g->env);
		gs_env_init(&g->env);
		gs_send_str(g, "OK");
	} else if (rsp_scan_lit(sc, "SetWorkingDir:")) {
		struct rsp_str d = rsp_scan_rest(sc);
		s = d.len ? gs_unhex(d) : NULL;
		if (d.len && !s) {
			gs_send_error(g, EINVAL);
			return;
		}
		free(g->cwd);
		g->cwd = s;
		gs_send_str(g, "OK");
	} else if (rsp_scan_lit(sc, "ThreadSuffixSupported")) {
		g->thread_suffix = g->lldb = true;
		gs_send_str(g, "OK");
	} else if (rsp_scan_lit(sc, "ListThreadsInStopReply")) {
		g->list_threads = true;
		gs_send_str(g, "OK");
	} else if (rsp_scan_lit(sc, "EnableErrorStrings")) {
		g->error_strings = true;
		gs_send_str(g, "OK");
	} else {
		gs_send_str(g, "");
	}
}
