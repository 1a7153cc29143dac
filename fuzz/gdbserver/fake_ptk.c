/* SPDX-License-Identifier: MIT */
/*
 * A fake libptk and fake host files for the gdbserver packet handlers: processes,
 * threads, memory, registers and events are simulated, nothing is traced and no file is
 * touched.  Events are drawn from a seeded generator, so one input always replays the
 * same way.  Used by fuzz_gdbserver (fuzz/gdbserver/) only.
 *
 * The simulation keeps libptk's contract where the server relies on it: a thread is
 * stopped until resumed, ptk_resume() refuses a running thread (-EBUSY) and a signal
 * outside a signal-delivery stop (-EINVAL), every resumed or interrupted thread reports
 * exactly one event, a killed process reports the death of each thread and
 * process_gone on the last one, memory reads past the mapped window fail with -EFAULT.
 */
#include "fake_ptk.h"

#include "gs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THREADS 16
#define MAX_BPS     32
#define MAX_WATCH   8
#define MEM_BASE    0x400000u
#define MEM_SIZE    0x10000u
#define QMAX        64

struct fthread {
	pid_t tid, pid;
	bool live;
	bool running;
	bool spawned;
	int execs; /* exec events still to come at resume (after spawn) */
	enum ptk_event_kind stop_kind;
	struct ptk_regs regs;
	uint8_t xs[832];
};

static struct {
	uint32_t rng;
	struct fthread th[MAX_THREADS];
	uint64_t bp[MAX_BPS];
	int bp_id[MAX_BPS];
	int next_bp;
	uint64_t w_addr[MAX_WATCH];
	int w_id[MAX_WATCH]; /* 0: free slot */
	int next_watch;
	uint8_t mem[MEM_SIZE];
	struct ptk_event q[QMAX];
	int qlen;
	pid_t next_pid;
	int budget; /* events still to generate before ptk_wait says -EAGAIN */
} F;

static uint32_t rnd(void)
{
	F.rng ^= F.rng << 13;
	F.rng ^= F.rng >> 17;
	F.rng ^= F.rng << 5;
	return F.rng;
}

void fake_ptk_budget(int n)
{
	F.budget = n;
}

void fake_ptk_reset(uint32_t seed)
{
	memset(&F, 0, sizeof F);
	F.rng = seed ? seed : 0x9e3779b9u;
	F.next_pid = 100;
	F.next_bp = 1;
	F.next_watch = 1;
	for (size_t i = 0; i < MEM_SIZE; i++)
		F.mem[i] = (uint8_t)(i * 7);
}

struct ptk_session *fake_ptk_session(void)
{
	return (struct ptk_session *)(void *)&F;
}

static struct fthread *find(pid_t tid)
{
	for (int i = 0; i < MAX_THREADS; i++)
		if (F.th[i].live && F.th[i].tid == tid)
			return &F.th[i];
	return NULL;
}

static struct fthread *add(pid_t pid, pid_t tid)
{
	for (int i = 0; i < MAX_THREADS; i++)
		if (!F.th[i].live) {
			struct fthread *t = &F.th[i];
			memset(t, 0, sizeof *t);
			t->live = true;
			t->pid = pid;
			t->tid = tid;
			t->regs.rip = MEM_BASE + 0x100;
			t->regs.rsp = MEM_BASE + 0x8000;
			t->regs.rbp = MEM_BASE + 0x8010;
			t->regs.cs = 0x33;
			t->regs.eflags = 0x246;
			uint64_t bv = 7;
			memcpy(t->xs + 512, &bv, 8);
			t->xs[0] = 0x7f;
			t->xs[1] = 0x03;
			return t;
		}
	return NULL;
}

static int nthreads(pid_t pid)
{
	int n = 0;

	for (int i = 0; i < MAX_THREADS; i++)
		n += F.th[i].live && F.th[i].pid == pid;
	return n;
}

static void push(const struct ptk_event *ev)
{
	if (F.qlen < QMAX)
		F.q[F.qlen++] = *ev;
}

/* Decide what a running thread reports next. */
static void gen_event(struct fthread *t)
{
	struct ptk_event ev = {.tid = t->tid, .pid = t->pid};
	uint32_t r = rnd() % 16;

	if (t->execs > 0) {
		t->execs--;
		ev.kind = PTK_EV_EXEC;
		ev.former_tid = t->tid;
	} else if (r == 3 && F.next_watch > 1) {
		/* A watchpoint (perhaps one removed meanwhile: its id is stale). */
		int k = (int)(rnd() % MAX_WATCH);
		ev.kind = PTK_EV_WATCHPOINT;
		ev.sig = SIGTRAP;
		ev.addr = F.w_addr[k];
		ev.watch.id = F.w_id[k] ? F.w_id[k] : (int)(rnd() % 4);
		ev.watch.addr = ev.addr;
		t->regs.rip += 1 + rnd() % 8;
	} else if (r < 4) {
		ev.kind = PTK_EV_STEP;
		ev.sig = SIGTRAP;
		t->regs.rip += 1 + rnd() % 8;
	} else if (r < 7 && F.next_bp > 1) {
		int k = (int)(rnd() % MAX_BPS);
		ev.kind = PTK_EV_BREAKPOINT;
		ev.sig = SIGTRAP;
		ev.addr = F.bp[k] ? F.bp[k] : MEM_BASE + 0x200;
		ev.bp_id = F.bp_id[k];
		t->regs.rip = ev.addr;
	} else if (r < 9) {
		ev.kind = PTK_EV_SIGNAL;
		ev.sig = 1 + (int)(rnd() % 31);
		if (ev.sig == SIGKILL || ev.sig == SIGSTOP)
			ev.sig = SIGUSR1;
		ev.si.si_signo = ev.sig;
	} else if (r == 9 && nthreads(t->pid) < 4) {
		ev.kind = PTK_EV_CLONE;
		ev.new_tid = F.next_pid++;
		struct fthread *n = add(t->pid, ev.new_tid);
		if (n) {
			n->running = true;
			struct ptk_event s = {.kind = PTK_EV_STOP,
			                      .tid = n->tid,
			                      .pid = t->pid,
			                      .sig = SIGTRAP,
			                      .new_tracee = true,
			                      .new_thread = true,
			                      .ppid = t->pid};
			push(&s);
		}
	} else if (r == 10) {
		ev.kind = (rnd() & 1) ? PTK_EV_FORK : PTK_EV_VFORK;
		ev.new_tid = F.next_pid++;
		struct fthread *n = add(ev.new_tid, ev.new_tid);
		if (n) {
			n->running = true;
			struct ptk_event s = {.kind = PTK_EV_STOP,
			                      .tid = n->tid,
			                      .pid = n->tid,
			                      .sig = SIGTRAP,
			                      .new_tracee = true,
			                      .ppid = t->pid};
			push(&s);
		}
	} else if (r == 11) {
		ev.kind = PTK_EV_VFORK_DONE;
	} else if (r == 12) {
		ev.kind = PTK_EV_EXITED;
		ev.exit_code = (int)(rnd() % 256);
	} else if (r == 13) {
		ev.kind = PTK_EV_GROUP_STOP;
		ev.sig = SIGSTOP;
	} else {
		ev.kind = PTK_EV_STOP;
		ev.sig = SIGTRAP;
	}
	push(&ev);
}

/* Deliver one queued event, as ptk_wait() does. */
static void take(struct ptk_event *ev)
{
	*ev = F.q[0];
	memmove(F.q, F.q + 1, (size_t)(--F.qlen) * sizeof F.q[0]);
	struct fthread *t = find(ev->tid);
	if (!t)
		return;
	if (ev->kind == PTK_EV_EXITED || ev->kind == PTK_EV_KILLED) {
		t->live = false;
		ev->process_gone = nthreads(ev->pid) == 0;
		return;
	}
	t->running = false;
	t->stop_kind = ev->kind;
}

int ptk_wait(struct ptk_session *s, struct ptk_event *ev, unsigned flags)
{
	(void)s;
	(void)flags;
	for (;;) {
		struct fthread *cand = NULL;
		int live = 0;
		if (F.qlen > 0) {
			take(ev);
			return 0;
		}
		for (int i = 0; i < MAX_THREADS; i++) {
			if (!F.th[i].live)
				continue;
			live++;
			if (F.th[i].running && !cand)
				cand = &F.th[i];
		}
		if (live == 0)
			return -ECHILD;
		if (!cand || F.budget <= 0)
			return -EAGAIN;
		F.budget--;
		gen_event(cand);
	}
}

int ptk_spawn(struct ptk_session *s, const struct ptk_spawn_opts *o, pid_t *ret_pid)
{
	(void)s;
	if (!o->path || strstr(o->path, "missing"))
		return -ENOENT;
	pid_t pid = F.next_pid++;
	struct fthread *t = add(pid, pid);
	if (!t)
		return -EAGAIN;
	t->spawned = true;
	t->execs = strcmp(o->path, "/bin/sh") == 0 ? 2 : 1;
	*ret_pid = pid;
	return 0;
}

int ptk_attach(struct ptk_session *s, pid_t pid, unsigned flags, int *ret_nthreads)
{
	(void)s;
	(void)flags;
	if (pid == 1)
		return -EPERM;
	if (find(pid))
		return -EALREADY;
	for (int i = 0; i < 2; i++) {
		struct fthread *t = add(pid, pid + i * 1000);
		if (!t)
			return -EAGAIN;
		t->running = true;
		struct ptk_event ev = {.kind = PTK_EV_STOP,
		                       .tid = t->tid,
		                       .pid = pid,
		                       .sig = SIGTRAP,
		                       .attach_stop = true};
		push(&ev);
	}
	if (ret_nthreads)
		*ret_nthreads = 2;
	return 0;
}

int ptk_detach(struct ptk_session *s, pid_t pid, int timeout_ms)
{
	(void)s;
	(void)timeout_ms;
	int n = 0;
	for (int i = 0; i < MAX_THREADS; i++)
		if (F.th[i].live && F.th[i].pid == pid) {
			F.th[i].live = false;
			n++;
		}
	for (int i = 0; i < F.qlen;)
		if (F.q[i].pid == pid)
			memmove(F.q + i, F.q + i + 1, (size_t)(--F.qlen - i) * sizeof F.q[0]);
		else
			i++;
	return n ? 0 : -ESRCH;
}

int ptk_kill(struct ptk_session *s, pid_t pid)
{
	(void)s;
	if (!nthreads(pid))
		return -ESRCH;
	for (int i = 0; i < F.qlen;)
		if (F.q[i].pid == pid)
			memmove(F.q + i, F.q + i + 1, (size_t)(--F.qlen - i) * sizeof F.q[0]);
		else
			i++;
	for (int i = 0; i < MAX_THREADS; i++)
		if (F.th[i].live && F.th[i].pid == pid) {
			struct ptk_event ev = {.kind = PTK_EV_KILLED,
			                       .tid = F.th[i].tid,
			                       .pid = pid,
			                       .sig = SIGKILL};
			F.th[i].running = true;
			push(&ev);
		}
	return 0;
}

int ptk_thread_signal(struct ptk_session *s, pid_t tid, int sig)
{
	(void)s;
	(void)sig;
	return find(tid) ? 0 : -ESRCH;
}

int ptk_interrupt(struct ptk_session *s, pid_t tid)
{
	(void)s;
	struct fthread *t = find(tid);
	if (!t)
		return -ESRCH;
	if (t->running) {
		for (int i = 0; i < F.qlen; i++)
			if (F.q[i].tid == tid)
				return 0;
		struct ptk_event ev = {
		        .kind = PTK_EV_STOP, .tid = tid, .pid = t->pid, .sig = SIGTRAP};
		push(&ev);
	}
	return 0;
}

int ptk_resume(struct ptk_session *s, pid_t tid, enum ptk_resume_mode mode, int sig)
{
	(void)s;
	struct fthread *t = find(tid);
	if (!t)
		return -ESRCH;
	if (t->running)
		return -EBUSY;
	if (sig < 0 || sig >= 65 || (unsigned)mode > PTK_RESUME_STEP)
		return -EINVAL;
	if (sig && t->stop_kind != PTK_EV_SIGNAL && t->stop_kind != PTK_EV_STEP &&
	    t->stop_kind != PTK_EV_BREAKPOINT && t->stop_kind != PTK_EV_WATCHPOINT)
		return -EINVAL;
	t->running = true;
	return 0;
}

int ptk_thread_pid(const struct ptk_session *s, pid_t tid)
{
	(void)s;
	struct fthread *t = find(tid);
	return t ? t->pid : -ESRCH;
}

int ptk_process_threads(const struct ptk_session *s, pid_t pid, pid_t *ret_tids, int max)
{
	(void)s;
	int n = 0;
	for (int i = 0; i < MAX_THREADS; i++)
		if (F.th[i].live && F.th[i].pid == pid) {
			if (n < max)
				ret_tids[n] = F.th[i].tid;
			n++;
		}
	return n ? n : -ESRCH;
}

int ptk_mem_read(struct ptk_session *s, pid_t tid, uint64_t addr, void *buf, size_t len,
                 size_t *ret_n)
{
	(void)s;
	size_t n = 0;
	if (!find(tid))
		return -ESRCH;
	if (addr >= MEM_BASE && addr < MEM_BASE + MEM_SIZE) {
		n = MEM_BASE + MEM_SIZE - addr;
		if (n > len)
			n = len;
		memcpy(buf, F.mem + (addr - MEM_BASE), n);
	}
	if (ret_n)
		*ret_n = n;
	return n == len ? 0 : -EFAULT;
}

int ptk_mem_write(struct ptk_session *s, pid_t tid, uint64_t addr, const void *buf, size_t len,
                  size_t *ret_n)
{
	(void)s;
	size_t n = 0;
	if (!find(tid))
		return -ESRCH;
	if (addr >= MEM_BASE && addr < MEM_BASE + MEM_SIZE) {
		n = MEM_BASE + MEM_SIZE - addr;
		if (n > len)
			n = len;
		memcpy(F.mem + (addr - MEM_BASE), buf, n);
	}
	if (ret_n)
		*ret_n = n;
	return n == len ? 0 : -EFAULT;
}

static int stopped(pid_t tid, struct fthread **ret)
{
	struct fthread *t = find(tid);
	if (!t)
		return -ESRCH;
	if (t->running)
		return -EBUSY;
	*ret = t;
	return 0;
}

int ptk_regs_get(struct ptk_session *s, pid_t tid, struct ptk_regs *ret)
{
	(void)s;
	struct fthread *t;
	int r = stopped(tid, &t);
	if (r == 0)
		*ret = t->regs;
	return r;
}

int ptk_regs_set(struct ptk_session *s, pid_t tid, const struct ptk_regs *regs)
{
	(void)s;
	struct fthread *t;
	int r = stopped(tid, &t);
	if (r == 0)
		t->regs = *regs;
	return r;
}

int ptk_fpregs_get(struct ptk_session *s, pid_t tid, struct ptk_fpregs *ret)
{
	(void)s;
	struct fthread *t;
	int r = stopped(tid, &t);
	if (r == 0)
		memcpy(ret, t->xs, sizeof *ret);
	return r;
}

int ptk_fpregs_set(struct ptk_session *s, pid_t tid, const struct ptk_fpregs *regs)
{
	(void)s;
	struct fthread *t;
	int r = stopped(tid, &t);
	if (r == 0)
		memcpy(t->xs, regs, sizeof *regs);
	return r;
}

int ptk_xstate_get(struct ptk_session *s, pid_t tid, void *buf, size_t len, size_t *ret_len)
{
	(void)s;
	struct fthread *t;
	int r = stopped(tid, &t);
	if (r < 0)
		return r;
	size_t n = len < sizeof t->xs ? len : sizeof t->xs;
	memcpy(buf, t->xs, n);
	if (ret_len)
		*ret_len = n;
	return 0;
}

int ptk_xstate_set(struct ptk_session *s, pid_t tid, const void *buf, size_t len)
{
	(void)s;
	struct fthread *t;
	int r = stopped(tid, &t);
	if (r < 0)
		return r;
	if (len > sizeof t->xs)
		return -EINVAL;
	memcpy(t->xs, buf, len);
	return 0;
}

int ptk_bp_insert(struct ptk_session *s, pid_t pid, uint64_t addr, int *ret_id)
{
	(void)s;
	if (!nthreads(pid))
		return -ESRCH;
	if (addr < MEM_BASE || addr >= MEM_BASE + MEM_SIZE)
		return -EFAULT;
	for (int i = 0; i < MAX_BPS; i++)
		if (F.bp[i] == addr) {
			*ret_id = F.bp_id[i];
			return 0;
		}
	for (int i = 0; i < MAX_BPS; i++)
		if (!F.bp[i]) {
			F.bp[i] = addr;
			F.bp_id[i] = F.next_bp++;
			*ret_id = F.bp_id[i];
			return 0;
		}
	return -ENOSPC;
}

int ptk_bp_remove(struct ptk_session *s, pid_t pid, int id)
{
	(void)s;
	(void)pid;
	for (int i = 0; i < MAX_BPS; i++)
		if (F.bp[i] && F.bp_id[i] == id) {
			F.bp[i] = 0;
			return 0;
		}
	return -ENOENT;
}

int ptk_watch_insert(struct ptk_session *s, pid_t pid, uint64_t addr, size_t len, unsigned kind,
                     int *ret_id)
{
	(void)s;
	if (!nthreads(pid))
		return -ESRCH;
	if (len == 0 || len > PTK_WATCH_MAX_LEN || (kind & 3) == 0)
		return -EINVAL;
	if (addr < MEM_BASE || addr + len > MEM_BASE + MEM_SIZE)
		return -EFAULT;
	for (int i = 0; i < MAX_WATCH; i++)
		if (!F.w_id[i]) {
			F.w_addr[i] = addr;
			F.w_id[i] = F.next_watch++;
			*ret_id = F.w_id[i];
			return 0;
		}
	return -ENOSPC;
}

int ptk_watch_remove(struct ptk_session *s, pid_t pid, int id)
{
	(void)s;
	(void)pid;
	for (int i = 0; i < MAX_WATCH; i++)
		if (F.w_id[i] && F.w_id[i] == id) {
			F.w_id[i] = 0;
			return 0;
		}
	return -ENOENT;
}

int ptk_solibs_read(struct ptk_session *s, pid_t pid, struct ptk_solibs *ret)
{
	(void)s;
	memset(ret, 0, sizeof *ret);
	if (!nthreads(pid))
		return -ESRCH;
	ret->v = calloc(3, sizeof *ret->v);
	if (!ret->v)
		return -ENOMEM;
	ret->n = 3;
	ret->v[0] = (struct ptk_solib){.lm = 0x1000, .name = ""};
	ret->v[1] = (struct ptk_solib){.lm = 0x2000, .l_addr = 0x7f00, .name = "/lib/<odd>&\"so\""};
	ret->v[2] = (struct ptk_solib){.lm = 0x3000, .l_addr = 0x7e00, .name = "linux-vdso.so.1"};
	return 0;
}

void ptk_solibs_free(struct ptk_solibs *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

int ptk_maps_parse(const char *text, size_t len, struct ptk_maps *ret, size_t *ret_bad)
{
	(void)len;
	memset(ret, 0, sizeof *ret);
	if (ret_bad)
		*ret_bad = 0;
	ret->v = calloc(2, sizeof *ret->v);
	if (!ret->v)
		return -ENOMEM;
	ret->n = strstr(text, "fake") ? 2 : 0;
	ret->v[0] = (struct ptk_map){.start = MEM_BASE,
	                             .end = MEM_BASE + 0x1000,
	                             .prot = PTK_PROT_R | PTK_PROT_X,
	                             .path = "/fake/prog"};
	ret->v[1] = (struct ptk_map){.start = MEM_BASE + 0x8000,
	                             .end = MEM_BASE + MEM_SIZE,
	                             .prot = PTK_PROT_R | PTK_PROT_W,
	                             .path = ""};
	return 0;
}

void ptk_maps_free(struct ptk_maps *m)
{
	free(m->v);
	memset(m, 0, sizeof *m);
}

const struct ptk_map *ptk_maps_find(const struct ptk_maps *m, uint64_t addr)
{
	for (size_t i = 0; i < m->n; i++)
		if (addr >= m->v[i].start && addr < m->v[i].end)
			return &m->v[i];
	return NULL;
}

int ptk_explain(enum ptk_op op, int err, const char *target, char *buf, size_t len)
{
	return snprintf(buf, len, "cannot %s %s: error %d",
	                op == PTK_OP_ATTACH ? "attach to" : "run", target, err);
}

/* ---- host files ---- */

int gs_host_read_file(const char *path, char **ret, size_t *ret_len)
{
	const char *c;

	if (strstr(path, "/auxv"))
		c = "\x03\0\0\0\0\0\0\0\x40\0\x40\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
	else if (strstr(path, "/maps"))
		c = "00400000-00401000 r-xp 00000000 00:00 1 /fake/prog\n";
	else if (strstr(path, "/comm"))
		c = "fake<&>\n";
	else if (strstr(path, "/status"))
		c = "Name:\tfake\nPPid:\t1\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n";
	else
		return -ENOENT;
	size_t n = strstr(path, "/auxv") ? 32 : strlen(c);
	char *p = malloc(n + 1);
	if (!p)
		return -ENOMEM;
	memcpy(p, c, n);
	p[n] = 0;
	*ret = p;
	*ret_len = n;
	return 0;
}

int gs_host_readlink(const char *path, char *buf, size_t len)
{
	int n = snprintf(buf, len, "/fake/%s", strstr(path, "exe") ? "prog" : "link");
	return n < (int)len ? n : (int)len - 1;
}

/* Fake descriptors: 1000 + n, for the paths under /fake only. */
static bool fd_open[8];

int gs_host_open(const char *path, int flags, int mode)
{
	(void)flags;
	(void)mode;
	if (strncmp(path, "/fake/", 6) != 0)
		return -ENOENT;
	for (int i = 0; i < 8; i++)
		if (!fd_open[i]) {
			fd_open[i] = true;
			return 1000 + i;
		}
	return -EMFILE;
}

int gs_host_close(int fd)
{
	if (fd >= 1000 && fd < 1008 && fd_open[fd - 1000]) {
		fd_open[fd - 1000] = false;
		return 0;
	}
	return fd >= 2000 ? 0 : -EBADF;
}

long gs_host_pread(int fd, void *buf, size_t n, uint64_t off)
{
	(void)fd;
	if (off >= sizeof F.mem)
		return 0;
	if (n > sizeof F.mem - off)
		n = sizeof F.mem - (size_t)off;
	memcpy(buf, F.mem + off, n);
	return (long)n;
}

long gs_host_pwrite(int fd, const void *buf, size_t n, uint64_t off)
{
	(void)fd;
	(void)buf;
	(void)off;
	return (long)n;
}

int gs_host_fstat(int fd, struct stat *st)
{
	(void)fd;
	memset(st, 0, sizeof *st);
	st->st_size = sizeof F.mem;
	st->st_mode = 0100644;
	return 0;
}

int gs_host_unlink(const char *path)
{
	(void)path;
	return -EACCES;
}

int gs_host_open_stat(pid_t pid, pid_t tid)
{
	(void)pid;
	(void)tid;
	return 2000;
}

long gs_host_pread_stat(int fd, char *buf, size_t n)
{
	(void)fd;
	const char *stat = "100 (fa ke) R 1 100 100 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0 "
	                   "0 0 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
	size_t k = strlen(stat) < n ? strlen(stat) : n;
	memcpy(buf, stat, k);
	return (long)k;
}

void gs_host_xsave_info(struct gs_xsave_info *ret)
{
	memset(ret, 0, sizeof *ret);
	ret->xcr0 = 7; /* x87, SSE, AVX */
	ret->off[2] = 576;
	ret->size[2] = 256;
}
