/* SPDX-License-Identifier: MIT */
/*
 * Packet dispatch: every packet the client sends lands in gs_packet().  Unknown packets
 * get the empty reply (the protocol's "not supported"); malformed ones an E reply.  Also
 * here: the thread and process packets (H, T, D, k, vKill, vAttach, vRun, !), vCont and
 * the legacy resume packets, `?`, vStopped, vCtrlC.  The q and Q packets are in query.c.
 */
#include "gs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int gs_init(struct gs *g, struct ptk_session *s)
{
	struct gs_xsave_info xi;

	memset(g, 0, sizeof *g);
	g->s = s;
	g->conn = malloc(sizeof *g->conn);
	if (!g->conn)
		return -ENOMEM;
	rsp_conn_init(g->conn, RSP_PAYLOAD_MAX);
	g->sigfd = -1;
	for (int i = 0; i < GS_MAX_VFD; i++)
		g->vfd[i] = -1;
	g->no_aslr = true;
	sigemptyset(&g->spawn_mask);
	sigemptyset(&g->spawn_ignored);
	gs_env_init(&g->env);
	gs_host_xsave_info(&xi);
	gs_layout_init(&g->layout, &xi);
	return 0;
}

void gs_fini(struct gs *g)
{
	while (g->procs)
		gs_proc_del(g, g->procs);
	gs_notif_clear(g);
	gs_vfile_close_all(g);
	gs_env_free(&g->env);
	if (g->argv)
		for (char **a = g->argv; *a; a++)
			free(*a);
	free(g->argv);
	free(g->cwd);
	free(g->xdoc);
	free(g->pexits);
	free(g->conn);
	g->conn = NULL;
}

/* ------------------------------------------------------------------------------------- */
/* Helpers                                                                               */

/* The thread of a packet: lldb's `;thread:TID;` suffix (which is cut off), or Hg's. */
static struct gs_thread *packet_thread(struct gs *g, struct rsp_scan *sc)
{
	size_t left = rsp_scan_left(sc);
	const char *p = sc->p, *k = NULL;
	struct rsp_tid id;
	struct rsp_str v;

	for (size_t i = 0; i + 8 <= left; i++)
		if (memcmp(p + i, ";thread:", 8) == 0)
			k = p + i;
	if (!k)
		return gs_cur_thread(g);
	v.p = k + 8;
	v.len = (size_t)(sc->end - v.p);
	if (v.len && v.p[v.len - 1] == ';')
		v.len--;
	sc->end = k;
	if (rsp_str_tid(v, &id) < 0 || id.tid <= 0)
		return NULL;
	return gs_thread_find(g, (pid_t)id.tid);
}

static bool session_over(struct gs *g)
{
	/*
	 * Not before the client has heard of the exits: one kept for the next resume
	 * (all-stop), a notification not yet taken with vStopped (non-stop).
	 */
	return !g->extended && !g->multi && gs_nprocs(g) == 0 && g->npexits == 0 && !g->nq;
}

/* ------------------------------------------------------------------------------------- */
/* Threads, processes, resuming                                                          */

static void packet_H(struct gs *g, struct rsp_scan *sc)
{
	char which;
	struct rsp_tid id;
	pid_t pid, tid;

	if (rsp_scan_eof(sc)) {
		gs_send_error(g, EINVAL);
		return;
	}
	which = *sc->p++;
	if ((which != 'g' && which != 'c') || rsp_scan_tid(sc, &id) < 0 || !rsp_scan_eof(sc)) {
		gs_send_error(g, EINVAL);
		return;
	}
	tid = id.tid > 0 ? (pid_t)id.tid : 0;
	pid = id.has_pid && id.pid > 0 ? (pid_t)id.pid : 0;
	if (tid) {
		struct gs_thread *t = gs_thread_find(g, tid);
		if (!t || (pid && t->proc->pid != pid)) {
			gs_send_error(g, ESRCH);
			return;
		}
		pid = t->proc->pid;
	} else if (pid && !gs_proc_find(g, pid)) {
		gs_send_error(g, ESRCH);
		return;
	}
	if (which == 'g') {
		g->g_pid = pid;
		g->g_tid = tid;
	} else {
		g->c_pid = pid;
		g->c_tid = tid;
	}
	gs_send_str(g, "OK");
}

static void packet_T(struct gs *g, struct rsp_scan *sc)
{
	struct rsp_tid id;

	if (rsp_scan_tid(sc, &id) < 0 || !rsp_scan_eof(sc)) {
		gs_send_error(g, EINVAL);
		return;
	}
	if (id.tid > 0 && gs_thread_find(g, (pid_t)id.tid))
		gs_send_str(g, "OK");
	else
		gs_send_error(g, ESRCH);
}

/* `?`: why the target stopped. */
static void packet_status(struct gs *g)
{
	struct gs_thread *t;
	struct gs_stop st;

	if (!g->procs) {
		gs_send_str(g, "W00");
		return;
	}
	if (g->non_stop) {
		/* The first stopped thread now, the others through vStopped. */
		bool first = true;
		gs_notif_clear(g);
		for (struct gs_proc *p = g->procs; p; p = p->next)
			for (t = p->threads; t && !p->hidden; t = t->next) {
				if (t->running)
					continue;
				st = t->last.kind == GS_STOP_SIGNAL
				             ? t->last
				             : (struct gs_stop){.kind = GS_STOP_SIGNAL};
				st.pid = p->pid;
				st.tid = t->tid;
				g->notif_sent = true; /* queue only: the first goes as the reply */
				gs_report(g, &st);
				if (first) {
					gs_send(g, g->nq->text, g->nq->len);
					first = false;
				}
			}
		if (first) {
			g->notif_sent = false;
			gs_send_str(g, "OK");
		}
		return;
	}
	t = g->have_last ? gs_thread_find(g, g->last.tid) : NULL;
	if (t && !t->running) {
		st = g->last;
	} else {
		t = gs_cur_thread(g);
		if (!t) {
			gs_send_str(g, "W00");
			return;
		}
		st = t->last.kind == GS_STOP_SIGNAL ? t->last
		                                    : (struct gs_stop){.kind = GS_STOP_SIGNAL};
		st.pid = t->proc->pid;
		st.tid = t->tid;
	}
	gs_report(g, &st);
}

static int parse_action(struct rsp_str item, struct gs_action *a)
{
	struct rsp_scan s;
	uint64_t v;
	struct rsp_str who;

	memset(a, 0, sizeof *a);
	rsp_scan_init_str(&s, item);
	if (rsp_scan_eof(&s))
		return -EINVAL;
	a->op = *s.p++;
	switch (a->op) {
	case 'C':
	case 'S':
		if (rsp_scan_num(&s, &v) < 0 || v >= GS_GDB_NSIG || gs_sig_from_gdb((int)v) < 0)
			return -EINVAL;
		a->sig = gs_sig_from_gdb((int)v);
		a->op = a->op == 'C' ? 'c' : 's';
		break;
	case 'c':
	case 's':
	case 't':
		break;
	case 'r':
		if (rsp_scan_addr_len(&s, &a->lo, &a->hi) < 0 || a->lo > a->hi)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (rsp_scan_eof(&s)) {
		a->any = true;
		return 0;
	}
	if (!rsp_scan_lit(&s, ":"))
		return -EINVAL;
	who = rsp_scan_rest(&s);
	return rsp_str_tid(who, &a->who);
}

static void v_cont(struct gs *g, struct rsp_scan *sc)
{
	struct gs_action acts[64];
	struct rsp_str item;
	int n = 0;

	while (rsp_scan_item(sc, ';', &item)) {
		if (n == (int)(sizeof acts / sizeof acts[0]) || parse_action(item, &acts[n]) < 0) {
			gs_send_error(g, EINVAL);
			return;
		}
		n++;
	}
	if (n == 0) {
		gs_send_error(g, EINVAL);
		return;
	}
	gs_resume(g, acts, n);
}

/* c [addr], C sig[;addr], s [addr], S sig[;addr] */
static void legacy_resume(struct gs *g, char op, struct rsp_scan *sc)
{
	struct gs_action acts[2];
	struct gs_thread *t = g->c_tid > 0 ? gs_thread_find(g, g->c_tid) : NULL;
	uint64_t v = 0, addr;
	int sig = 0, n = 0;

	if (!t)
		t = gs_cur_thread(g);
	if (op == 'C' || op == 'S') {
		if (rsp_scan_num(sc, &v) < 0 || v >= GS_GDB_NSIG ||
		    (sig = gs_sig_from_gdb((int)v)) < 0) {
			gs_send_error(g, EINVAL);
			return;
		}
		if (!rsp_scan_eof(sc) && !rsp_scan_lit(sc, ";")) {
			gs_send_error(g, EINVAL);
			return;
		}
	}
	if (!rsp_scan_eof(sc)) {
		struct ptk_regs r;
		if (rsp_scan_num(sc, &addr) < 0 || !rsp_scan_eof(sc) || !t ||
		    ptk_regs_get(g->s, t->tid, &r) < 0) {
			gs_send_error(g, EINVAL);
			return;
		}
		r.rip = addr;
		ptk_regs_set(g->s, t->tid, &r);
	}
	if (!t) {
		gs_send_error(g, ESRCH);
		return;
	}
	bool step = op == 's' || op == 'S';
	acts[n++] =
	        (struct gs_action){.op = step ? 's' : 'c',
	                           .sig = sig,
	                           .who = {.has_pid = true, .pid = t->proc->pid, .tid = t->tid}};
	if (!step)
		acts[n++] = (struct gs_action){.op = 'c', .any = true};
	gs_resume(g, acts, n);
}

static void packet_detach(struct gs *g, struct rsp_scan *sc)
{
	uint64_t pid = 0;
	int r;

	if (rsp_scan_lit(sc, ";") && (rsp_scan_num(sc, &pid) < 0 || !gs_proc_find(g, (pid_t)pid))) {
		gs_send_error(g, ESRCH);
		return;
	}
	if (!rsp_scan_eof(sc)) {
		gs_send_error(g, EINVAL);
		return;
	}
	r = gs_detach(g, (pid_t)pid);
	if (r < 0 && r != -ETIMEDOUT)
		gs_send_error(g, -r);
	else
		gs_send_str(g, "OK");
}

static void v_kill(struct gs *g, struct rsp_scan *sc)
{
	uint64_t pid;

	if (rsp_scan_num(sc, &pid) < 0 || !rsp_scan_eof(sc) || !gs_proc_find(g, (pid_t)pid)) {
		gs_send_error(g, ESRCH);
		return;
	}
	gs_kill(g, (pid_t)pid);
	gs_notif_clear(g);
	gs_send_str(g, "OK");
}

static void v_attach(struct gs *g, struct rsp_scan *sc)
{
	uint64_t pid;
	struct gs_proc *p;
	int r;

	if (rsp_scan_num(sc, &pid) < 0 || !rsp_scan_eof(sc) || pid == 0 || pid > INT32_MAX) {
		gs_send_error(g, EINVAL);
		return;
	}
	r = gs_attach(g, (pid_t)pid);
	if (r < 0) {
		char why[256];
		ptk_explain(PTK_OP_ATTACH, r, "", why, sizeof why);
		fprintf(stderr, "ptk gdbserver: %s\n", why);
		gs_send_error(g, -r);
		return;
	}
	p = gs_proc_find(g, (pid_t)pid);
	if (!p || !p->threads) {
		gs_send_error(g, ESRCH);
		return;
	}
	if (g->non_stop) {
		gs_send_str(g, "OK");
		for (struct gs_thread *t = p->threads; t; t = t->next)
			gs_report(g, &(struct gs_stop){
			                     .kind = GS_STOP_SIGNAL, .pid = p->pid, .tid = t->tid});
		return;
	}
	gs_report(g,
	          &(struct gs_stop){.kind = GS_STOP_SIGNAL, .pid = p->pid, .tid = p->threads->tid});
}

static void v_run(struct gs *g, struct rsp_scan *sc)
{
	struct rsp_str item;
	char **argv = NULL;
	size_t n = 0;
	struct gs_stop ex;
	int r;

	while (rsp_scan_item(sc, ';', &item)) {
		char *a = item.len ? gs_unhex(item) : strdup("");
		char **nv = realloc(argv, (n + 2) * sizeof *argv);
		if (!a || !nv) {
			free(a);
			if (nv)
				argv = nv;
			goto bad;
		}
		argv = nv;
		argv[n++] = a;
		argv[n] = NULL;
	}
	if (n == 0)
		goto bad;
	if (!*argv[0]) {
		/* No program named: the one given on the command line. */
		if (!g->argv || !g->argv[0])
			goto bad;
		free(argv[0]);
		argv[0] = strdup(g->argv[0]);
		if (!argv[0])
			goto bad;
	}
	r = gs_spawn(g, argv, &ex);
	if (r < 0 && ex.kind != GS_STOP_NONE) {
		gs_report(g, &ex);
	} else if (r < 0) {
		char why[512];
		ptk_explain(PTK_OP_SPAWN, r, argv[0], why, sizeof why);
		fprintf(stderr, "ptk gdbserver: %s\n", why);
		gs_send_error(g, -r);
	} else {
		fprintf(stderr, "ptk gdbserver: process %s created; pid = %d\n", argv[0], r);
		gs_report(g, &(struct gs_stop){
		                     .kind = GS_STOP_SIGNAL, .sig = SIGTRAP, .pid = r, .tid = r});
	}
	for (size_t i = 0; i < n; i++)
		free(argv[i]);
	free(argv);
	return;
bad:
	for (size_t i = 0; i < n; i++)
		free(argv[i]);
	free(argv);
	gs_send_error(g, EINVAL);
}

static void packet_v(struct gs *g, struct rsp_scan *sc)
{
	if (rsp_scan_lit(sc, "Cont?")) {
		gs_send_str(g, "vCont;c;C;s;S;t;r");
	} else if (rsp_scan_lit(sc, "Cont;")) {
		v_cont(g, sc);
	} else if (rsp_scan_lit(sc, "Stopped") && rsp_scan_eof(sc)) {
		gs_vstopped(g);
	} else if (rsp_scan_lit(sc, "CtrlC") && rsp_scan_eof(sc)) {
		if (g->non_stop) {
			for (struct gs_proc *p = g->procs; p; p = p->next)
				for (struct gs_thread *t = p->threads; t; t = t->next)
					if (t->running && !p->hidden) {
						t->want_run = false;
						t->report_stop = true;
						if (!t->stop_wanted &&
						    ptk_interrupt(g->s, t->tid) == 0)
							t->stop_wanted = true;
					}
		} else {
			gs_interrupt(g);
		}
		gs_send_str(g, "OK");
	} else if (rsp_scan_lit(sc, "Kill;")) {
		v_kill(g, sc);
	} else if (rsp_scan_lit(sc, "Attach;")) {
		v_attach(g, sc);
	} else if (rsp_scan_lit(sc, "Run;")) {
		v_run(g, sc);
	} else if (rsp_scan_lit(sc, "File:")) {
		gs_pkt_vfile(g, sc);
	} else {
		gs_send_str(g, ""); /* vMustReplyEmpty and everything else */
	}
}

void gs_packet(struct gs *g, const char *data, size_t len)
{
	struct rsp_scan sc;
	struct gs_thread *t;
	char c;

	if (g->debug)
		fprintf(stderr, "ptk gdbserver: <- $%.*s\n", (int)(len > 400 ? 400 : len), data);
	rsp_scan_init(&sc, data, len);
	if (len == 0) {
		gs_send_str(g, "");
		return;
	}
	c = *sc.p++;
	switch (c) {
	case '?':
		packet_status(g);
		break;
	case '!':
		g->extended = true;
		gs_send_str(g, "OK");
		break;
	case 'c':
	case 'C':
	case 's':
	case 'S':
		legacy_resume(g, c, &sc);
		break;
	case 'D':
		packet_detach(g, &sc);
		break;
	case 'g':
		t = packet_thread(g, &sc);
		if (!rsp_scan_eof(&sc))
			gs_send_error(g, EINVAL);
		else
			gs_pkt_regs_read(g, t);
		break;
	case 'G':
		t = packet_thread(g, &sc);
		gs_pkt_regs_write(g, t, &sc);
		break;
	case 'p':
		t = packet_thread(g, &sc);
		gs_pkt_reg_read(g, t, &sc);
		break;
	case 'P':
		t = packet_thread(g, &sc);
		gs_pkt_reg_write(g, t, &sc);
		break;
	case 'm':
		gs_pkt_mem_read(g, &sc);
		break;
	case 'M':
		gs_pkt_mem_write(g, &sc, false);
		break;
	case 'X':
		gs_pkt_mem_write(g, &sc, true);
		break;
	case 'H':
		packet_H(g, &sc);
		break;
	case 'T':
		packet_T(g, &sc);
		break;
	case 'k':
		gs_kill(g, 0);
		gs_notif_clear(g);
		gs_send_str(g, "X09"); /* lldb waits for it; gdb does not mind it */
		break;
	case 'q':
		gs_packet_q(g, &sc);
		break;
	case 'Q':
		gs_packet_Q(g, &sc);
		break;
	case 'v':
		packet_v(g, &sc);
		break;
	case 'Z':
	case 'z':
		gs_pkt_bp(g, &sc, c == 'Z');
		break;
	case 'j':
		if (rsp_scan_lit(&sc, "ThreadsInfo") && rsp_scan_eof(&sc))
			gs_pkt_jthreads(g);
		else
			gs_send_str(g, "");
		break;
	default:
		gs_send_str(g, "");
		break;
	}
}

bool gs_session_over(struct gs *g)
{
	return g->conn_lost || session_over(g);
}

void gs_feed(struct gs *g, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		struct rsp_event ev;
		size_t used = rsp_conn_feed(g->conn, p, len, &ev);
		p += used;
		len -= used;
		switch (ev.kind) {
		case RSP_EV_PACKET:
			gs_packet(g, ev.data, ev.len);
			break;
		case RSP_EV_INTERRUPT:
			gs_interrupt(g);
			break;
		case RSP_EV_TOO_LONG:
			gs_send_error(g, EMSGSIZE);
			break;
		default:
			break;
		}
	}
	gs_flush(g);
}
