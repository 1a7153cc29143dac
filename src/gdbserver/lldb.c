/* SPDX-License-Identifier: MIT */
/*
 * What lldb asks for beyond gdb's packets (lldb's docs/lldb-gdb-remote.txt describes
 * them): qHostInfo and qProcessInfo (key:value; lists, strings hex-encoded),
 * qMemoryRegionInfo (the mapping that holds an address, or the gap up to the next one),
 * jThreadsInfo (JSON, binary-escaped: `}` must be escaped on the wire).  Also the thread
 * facts shared with qXfer:threads and stop replies: its name and the CPU it last ran on.
 */
#include "gs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static char out[RSP_PAYLOAD_MAX];

#define TRIPLE "x86_64-pc-linux-gnu"

/* Threads whose stat file stays open for core: (beyond this, opened per use). */
#define STAT_FDS_MAX 256
static int stat_fds_open;

void gs_thread_name(pid_t pid, pid_t tid, char *buf, size_t len)
{
	char path[96], *data = NULL;
	size_t n = 0;

	buf[0] = 0;
	snprintf(path, sizeof path, "/proc/%d/task/%d/comm", (int)pid, (int)tid);
	if (gs_host_read_file(path, &data, &n) < 0)
		return;
	while (n > 0 && (data[n - 1] == '\n' || data[n - 1] == 0))
		n--;
	snprintf(buf, len, "%.*s", (int)n, data);
	free(data);
}

int gs_thread_core(struct gs_thread *t)
{
	char buf[1024];
	int fd = t->stat_fd;
	long n;

	if (fd < 0) {
		fd = gs_host_open_stat(t->proc->pid, t->tid);
		if (fd < 0)
			return -1;
		if (stat_fds_open < STAT_FDS_MAX) {
			t->stat_fd = fd;
			stat_fds_open++;
		}
	}
	n = gs_host_pread_stat(fd, buf, sizeof buf - 1);
	if (fd != t->stat_fd)
		gs_host_close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	/* Fields after the command name: state is field 3, processor field 39. */
	char *p = strrchr(buf, ')');
	if (!p)
		return -1;
	p++;
	for (int field = 2; field < 39; field++) {
		p = strchr(p + 1, ' ');
		if (!p)
			return -1;
	}
	return atoi(p + 1);
}

void gs_stat_fd_closed(void)
{
	if (stat_fds_open > 0)
		stat_fds_open--;
}

static void put_hex_str(struct rsp_buf *b, const char *key, const char *s)
{
	rsp_buf_puts(b, key);
	rsp_buf_putc(b, ':');
	rsp_buf_put_hex(b, s, strlen(s));
	rsp_buf_putc(b, ';');
}

void gs_pkt_host_info(struct gs *g)
{
	struct utsname u;
	struct rsp_buf b;
	char host[256] = "";

	g->lldb = true;
	rsp_buf_init(&b, out, sizeof out);
	put_hex_str(&b, "triple", TRIPLE);
	rsp_buf_puts(&b, "ptrsize:8;endian:little;watchpoint_exceptions_received:after;");
	if (uname(&u) == 0) {
		/* The numeric part of the release: lldb parses it as a version. */
		size_t k = strspn(u.release, "0123456789.");
		rsp_buf_printf(&b, "os_version:%.*s;", (int)k, u.release);
		put_hex_str(&b, "os_kernel", u.version);
	}
	if (gethostname(host, sizeof host - 1) == 0 && *host)
		put_hex_str(&b, "hostname", host);
	gs_send(g, b.data, b.len);
}

/* A numeric field of /proc/PID/status ("PPid", "Uid" (first), "Gid"). */
static long status_field(pid_t pid, const char *key, int which)
{
	char path[64], *data = NULL, *l;
	size_t n = 0, kl = strlen(key);
	long v = -1;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if (gs_host_read_file(path, &data, &n) < 0)
		return -1;
	for (l = data; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, key, kl) == 0 && l[kl] == ':') {
			char *p = l + kl + 1;
			for (int i = 0; i <= which; i++)
				v = strtol(p, &p, 10);
			break;
		}
	}
	free(data);
	return v;
}

void gs_pkt_process_info(struct gs *g)
{
	struct gs_proc *p = gs_cur_proc(g);
	struct rsp_buf b;
	long v;

	if (!p) {
		gs_send_error(g, ESRCH);
		return;
	}
	rsp_buf_init(&b, out, sizeof out);
	rsp_buf_printf(&b, "pid:%x;", (unsigned)p->pid);
	if ((v = status_field(p->pid, "PPid", 0)) >= 0)
		rsp_buf_printf(&b, "parent-pid:%lx;", v);
	if ((v = status_field(p->pid, "Uid", 0)) >= 0)
		rsp_buf_printf(&b, "real-uid:%lx;", v);
	if ((v = status_field(p->pid, "Gid", 0)) >= 0)
		rsp_buf_printf(&b, "real-gid:%lx;", v);
	if ((v = status_field(p->pid, "Uid", 1)) >= 0)
		rsp_buf_printf(&b, "effective-uid:%lx;", v);
	if ((v = status_field(p->pid, "Gid", 1)) >= 0)
		rsp_buf_printf(&b, "effective-gid:%lx;", v);
	put_hex_str(&b, "triple", TRIPLE);
	rsp_buf_puts(&b, "ostype:linux;endian:little;ptrsize:8;");
	gs_send(g, b.data, b.len);
}

void gs_pkt_mem_region(struct gs *g, struct rsp_scan *sc)
{
	struct gs_proc *p = gs_cur_proc(g);
	char path[64], *text = NULL;
	size_t len = 0;
	struct ptk_maps m;
	uint64_t addr, next = 0;
	struct rsp_buf b;
	const struct ptk_map *hit;

	if (rsp_scan_num(sc, &addr) < 0 || !rsp_scan_eof(sc)) {
		gs_send_error(g, EINVAL);
		return;
	}
	if (!p) {
		gs_send_error(g, ESRCH);
		return;
	}
	snprintf(path, sizeof path, "/proc/%d/maps", (int)p->pid);
	if (gs_host_read_file(path, &text, &len) < 0 || ptk_maps_parse(text, len, &m, NULL) < 0) {
		free(text);
		gs_send_error(g, EIO);
		return;
	}
	free(text);
	rsp_buf_init(&b, out, sizeof out);
	hit = ptk_maps_find(&m, addr);
	if (hit) {
		rsp_buf_printf(&b, "start:%llx;size:%llx;permissions:%s%s%s;",
		               (unsigned long long)hit->start,
		               (unsigned long long)(hit->end - hit->start),
		               hit->prot & PTK_PROT_R ? "r" : "", hit->prot & PTK_PROT_W ? "w" : "",
		               hit->prot & PTK_PROT_X ? "x" : "");
		if (hit->path && *hit->path)
			put_hex_str(&b, "name", hit->path);
	} else {
		/* Unmapped: the gap up to the next mapping, without permissions. */
		for (size_t i = 0; i < m.n; i++)
			if (m.v[i].start > addr && (next == 0 || m.v[i].start < next))
				next = m.v[i].start;
		rsp_buf_printf(&b, "start:%llx;size:%llx;", (unsigned long long)addr,
		               (unsigned long long)(next ? next - addr : (0 - addr)));
	}
	ptk_maps_free(&m);
	gs_send(g, b.data, b.len);
}

static void json_str(struct rsp_buf *b, const char *s)
{
	rsp_buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			rsp_buf_printf(b, "\\%c", c);
		else if (c < 0x20)
			rsp_buf_printf(b, "\\u%04x", c);
		else
			rsp_buf_putc(b, (char)c);
	}
	rsp_buf_putc(b, '"');
}

void gs_pkt_jthreads(struct gs *g)
{
	static char json[RSP_PAYLOAD_MAX];
	struct rsp_buf j, b;
	bool first = true;
	char name[64];

	rsp_buf_init(&j, json, sizeof json);
	rsp_buf_putc(&j, '[');
	for (struct gs_proc *p = g->procs; p; p = p->next) {
		if (p->hidden)
			continue;
		for (struct gs_thread *t = p->threads; t; t = t->next) {
			struct ptk_regs r;
			if (!first)
				rsp_buf_putc(&j, ',');
			first = false;
			rsp_buf_printf(&j, "{\"tid\":%d", (int)t->tid);
			gs_thread_name(p->pid, t->tid, name, sizeof name);
			if (*name) {
				rsp_buf_puts(&j, ",\"name\":");
				json_str(&j, name);
			}
			if (!t->running && t->last.kind == GS_STOP_SIGNAL) {
				const char *reason = t->last.reason == GS_R_SWBREAK ||
				                                     t->last.reason == GS_R_HWBREAK
				                             ? "breakpoint"
				                     : t->last.reason == GS_R_STEP ? "trace"
				                     : t->last.sig                 ? "signal"
				                                                   : NULL;
				if (reason)
					rsp_buf_printf(&j, ",\"reason\":\"%s\"", reason);
				rsp_buf_printf(&j, ",\"signal\":%d", gs_sig_to_gdb(t->last.sig));
			}
			if (!t->running && ptk_regs_get(g->s, t->tid, &r) == 0) {
				const uint64_t v[3] = {r.rbp, r.rsp, r.rip};
				const int num[3] = {6, 7, 16};
				rsp_buf_puts(&j, ",\"registers\":{");
				for (int i = 0; i < 3; i++) {
					rsp_buf_printf(&j, "%s\"%d\":\"", i ? "," : "", num[i]);
					rsp_buf_put_hex(&j, &v[i], 8);
					rsp_buf_putc(&j, '"');
				}
				rsp_buf_putc(&j, '}');
			}
			rsp_buf_putc(&j, '}');
		}
	}
	rsp_buf_putc(&j, ']');
	if (j.overflow) {
		gs_send_error(g, ENOBUFS);
		return;
	}
	rsp_buf_init(&b, out, sizeof out);
	if (rsp_buf_put_binary(&b, j.data, j.len) < 0) {
		gs_send_error(g, ENOBUFS);
		return;
	}
	gs_send(g, b.data, b.len);
}
