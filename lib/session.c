/* SPDX-License-Identifier: MIT */
/*
 * The session: its tracees (threads) in a hash table keyed by tid, grouped
 * in processes; the one ptrace(2) wrapper every request goes through (so
 * requests are counted and can be observed); logging.
 */
#include "internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <elf.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

const char *ptk_version(void)
{
	return PTK_VERSION_STRING;
}

static bool is_resume(int req)
{
	return req == PTRACE_CONT || req == PTRACE_SYSCALL || req == PTRACE_SINGLESTEP ||
	       req == PTRACE_LISTEN || req == PTRACE_DETACH || req == PTRACE_SYSEMU ||
	       req == PTRACE_SYSEMU_SINGLESTEP;
}

/* Requests that neither see nor change a thread's general registers. */
static bool regs_blind(int req, unsigned long addr)
{
	switch (req) {
	case PTRACE_PEEKDATA:
	case PTRACE_PEEKTEXT:
	case PTRACE_POKEDATA:
	case PTRACE_POKETEXT:
	case PTRACE_GETSIGINFO:
	case PTRACE_SETSIGINFO:
	case PTRACE_GETEVENTMSG:
	case PTRACE_GETFPREGS:
	case PTRACE_SETFPREGS:
	case PTRACE_SETREGS: /* regs_store() writes the cache itself */
		return true;
	case PTRACE_PEEKUSER:
	case PTRACE_POKEUSER:
		return addr >= sizeof(struct user_regs_struct); /* the debug registers */
	case PTRACE_GETREGSET:
	case PTRACE_SETREGSET:
		return addr != NT_PRSTATUS;
	default:
		return false;
	}
}

/* Before request req on thread pid: write registers regs_store_lazy() left in the cache. */
static void flush_regs(struct ptk_session *s, int req, pid_t pid, unsigned long addr)
{
	if (s->ndirty && !regs_blind(req, addr)) {
		struct tracee *t = tracee_find(s, pid);
		if (t && t->regs_dirty)
			regs_store(s, t); /* a failure shows in the request itself */
	}
}

long pt(struct ptk_session *s, int req, pid_t pid, unsigned long addr, unsigned long data)
{
	flush_regs(s, req, pid, addr);
	errno = 0;
	long r = ptrace((enum __ptrace_request)req, pid, (void *)addr, (void *)data);
	int e = errno;
	s->st.ptrace_calls++;
	if (is_resume(req))
		s->st.resumes++;
	if (r == -1 && e != 0)
		r = -e;
	if (s->obs_fn) {
		struct ptk_obs o = {.kind = PTK_OBS_REQUEST,
		                    .request = req,
		                    .pid = pid,
		                    .addr = addr,
		                    .data = data,
		                    .result = r};
		s->obs_fn(s->obs_arg, &o);
	}
	return r;
}

/* PEEKDATA/PEEKUSER: the word read goes to *ret; returns 0 or -errno. */
int pt_peek(struct ptk_session *s, int req, pid_t pid, unsigned long addr, uint64_t *ret)
{
	flush_regs(s, req, pid, addr);
	errno = 0;
	long r = ptrace((enum __ptrace_request)req, pid, (void *)addr, NULL);
	int e = errno;
	s->st.ptrace_calls++;
	if (s->obs_fn) {
		struct ptk_obs o = {.kind = PTK_OBS_REQUEST,
		                    .request = req,
		                    .pid = pid,
		                    .addr = addr,
		                    .result = e ? -e : r};
		s->obs_fn(s->obs_arg, &o);
	}
	if (e)
		return -e;
	*ret = (uint64_t)r;
	return 0;
}

void plog(struct ptk_session *s, enum ptk_log_level lvl, const char *fmt, ...)
{
	if (!s->log_fn)
		return;
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	s->log_fn(s->log_arg, lvl, buf);
}

void ptk_set_log_fn(struct ptk_session *s, ptk_log_fn fn, void *arg)
{
	s->log_fn = fn;
	s->log_arg = arg;
}

void ptk_set_observer(struct ptk_session *s, ptk_obs_fn fn, void *arg)
{
	s->obs_fn = fn;
	s->obs_arg = arg;
}

void ptk_stats_get(const struct ptk_session *s, struct ptk_stats *ret)
{
	*ret = s->st;
}

int ptk_session_new(struct ptk_session **ret_s, unsigned flags)
{
	struct ptk_session *s = calloc(1, sizeof *s);
	if (!s)
		return -ENOMEM;
	s->hash_cap = HASH_MIN;
	s->hash = calloc(s->hash_cap, sizeof *s->hash);
	if (!s->hash) {
		free(s);
		return -ENOMEM;
	}
	s->flags = flags;
	s->self = getpid();
	s->vm_rw_broken = flags & (PTK_MEM_VIA_PROC | PTK_MEM_VIA_PEEK);
	/*
	 * TRACESYSGOOD marks syscall stops with 0x80 so they are never taken
	 * for the tracee's own SIGTRAPs; TRACEEXEC replaces the legacy
	 * post-exec SIGTRAP by PTRACE_EVENT_EXEC (which carries the former
	 * tid).  EXITKILL: a spawned tracee must not outlive a crashed ptk
	 * (attached tracees are seized without it, see attach.c).
	 */
	s->ptrace_opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC;
	if (flags & PTK_FOLLOW)
		s->ptrace_opts |= PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE;
	if (flags & PTK_TRACE_EXIT)
		s->ptrace_opts |= PTRACE_O_TRACEEXIT;
	if (flags & PTK_TRACE_SECCOMP)
		s->ptrace_opts |= PTRACE_O_TRACESECCOMP;
	if (flags & PTK_TRACE_VFORK_DONE)
		s->ptrace_opts |= PTRACE_O_TRACEVFORKDONE;
	*ret_s = s;
	return 0;
}

static size_t hslot(const struct ptk_session *s, pid_t tid)
{
	return ((uint32_t)tid * 2654435761u) & (s->hash_cap - 1);
}

struct tracee *tracee_find(const struct ptk_session *s, pid_t tid)
{
	for (struct tracee *t = s->hash[hslot(s, tid)]; t; t = t->hnext)
		if (t->tid == tid)
			return t;
	return NULL;
}

static void hash_insert(struct ptk_session *s, struct tracee *t)
{
	size_t h = hslot(s, t->tid);
	t->hnext = s->hash[h];
	s->hash[h] = t;
}

static void hash_remove(struct ptk_session *s, struct tracee *t)
{
	for (struct tracee **pp = &s->hash[hslot(s, t->tid)]; *pp; pp = &(*pp)->hnext)
		if (*pp == t) {
			*pp = t->hnext;
			return;
		}
}

static void hash_grow(struct ptk_session *s)
{
	size_t ncap = s->hash_cap * 2;
	struct tracee **nh = calloc(ncap, sizeof *nh);
	if (!nh)
		return; /* keep the old table: longer chains, still correct */
	struct tracee **old = s->hash;
	size_t ocap = s->hash_cap;
	s->hash = nh;
	s->hash_cap = ncap;
	for (size_t i = 0; i < ocap; i++)
		for (struct tracee *t = old[i], *n; t; t = n) {
			n = t->hnext;
			hash_insert(s, t);
		}
	free(old);
}

struct tracee *tracee_add(struct ptk_session *s, struct proc *p, pid_t tid)
{
	struct tracee *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->tid = tid;
	t->proc = p;
	t->state = T_RUNNING;
	if (s->ntracees + 1 > s->hash_cap)
		hash_grow(s);
	hash_insert(s, t);
	s->ntracees++;
	/* append to the process's thread list */
	if (!p->threads) {
		p->threads = t;
		t->next = t->prev = t;
	} else {
		t->prev = p->threads->prev;
		t->next = p->threads;
		p->threads->prev->next = t;
		p->threads->prev = t;
	}
	p->nthreads++;
	return t;
}

void tracee_del(struct ptk_session *s, struct tracee *t)
{
	struct proc *p = t->proc;
	regs_clean(s, t);
	hash_remove(s, t);
	s->ntracees--;
	if (t->next == t) {
		p->threads = NULL;
	} else {
		t->prev->next = t->next;
		t->next->prev = t->prev;
		if (p->threads == t)
			p->threads = t->next;
	}
	p->nthreads--;
	free(t);
}

void tracee_rekey(struct ptk_session *s, struct tracee *t, pid_t newtid)
{
	hash_remove(s, t);
	t->tid = newtid;
	hash_insert(s, t);
}

struct proc *proc_find(const struct ptk_session *s, pid_t pid)
{
	for (struct proc *p = s->procs; p; p = p->next)
		if (p->pid == pid)
			return p;
	return NULL;
}

struct proc *proc_add(struct ptk_session *s, pid_t pid)
{
	struct proc *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->pid = pid;
	p->memfd = -1;
	p->next_bp_id = 1;
	p->next = s->procs;
	if (s->procs)
		s->procs->prev = p;
	s->procs = p;
	return p;
}

void proc_del(struct ptk_session *s, struct proc *p)
{
	/* processes sharing this one's memory lose their owner */
	for (struct proc *q = s->procs; q; q = q->next)
		if (q->mm_owner == p)
			q->mm_owner = NULL;
	while (p->threads) {
		/* Its t->proc is p, so p->threads moves on: the analyzer cannot see it. */
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
		tracee_del(s, p->threads);
	}
	mem_close(p);
	bp_forget_all(p);
	if (p->prev)
		p->prev->next = p->next;
	else
		s->procs = p->next;
	if (p->next)
		p->next->prev = p->prev;
	free(p);
}

/* Read a numeric field ("Tgid", "PPid", "TracerPid") of /proc/TID/status. */
int read_proc_status(struct ptk_session *s, pid_t tid, const char *key, long *ret)
{
	char path[64], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/status", tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	int e = errno;
	close(fd);
	if (s)
		s->st.proc_reads++;
	if (n < 0)
		return -e;
	buf[n] = 0;
	size_t kl = strlen(key);
	for (char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (strncmp(l, key, kl) == 0 && l[kl] == ':') {
			*ret = strtol(l + kl + 1, NULL, 10);
			return 0;
		}
	return -ENOENT;
}

int ptk_thread_pid(const struct ptk_session *s, pid_t tid)
{
	struct tracee *t = tracee_find(s, tid);
	return t ? t->proc->pid : -ESRCH;
}

int ptk_process_threads(const struct ptk_session *s, pid_t pid, pid_t *ret_tids, int max)
{
	struct proc *p = proc_find(s, pid);
	if (!p)
		return -ESRCH;
	int n = 0;
	struct tracee *t = p->threads;
	if (t)
		do {
			if (n < max)
				ret_tids[n] = t->tid;
			n++;
			t = t->next;
		} while (t != p->threads);
	return n;
}

int ptk_session_nthreads(const struct ptk_session *s)
{
	return (int)s->ntracees;
}

bool ptk_detach_pending(const struct ptk_session *s)
{
	return s && s->released;
}

bool ptk_process_spawned(const struct ptk_session *s, pid_t pid)
{
	struct proc *p = proc_find(s, pid);
	return p && p->spawned;
}

const char *ptk_request_name(long request)
{
	switch (request) {
	case PTRACE_TRACEME:
		return "PTRACE_TRACEME";
	case PTRACE_PEEKTEXT:
		return "PTRACE_PEEKTEXT";
	case PTRACE_PEEKDATA:
		return "PTRACE_PEEKDATA";
	case PTRACE_PEEKUSER:
		return "PTRACE_PEEKUSER";
	case PTRACE_POKETEXT:
		return "PTRACE_POKETEXT";
	case PTRACE_POKEDATA:
		return "PTRACE_POKEDATA";
	case PTRACE_POKEUSER:
		return "PTRACE_POKEUSER";
	case PTRACE_CONT:
		return "PTRACE_CONT";
	case PTRACE_KILL:
		return "PTRACE_KILL";
	case PTRACE_SINGLESTEP:
		return "PTRACE_SINGLESTEP";
	case PTRACE_GETREGS:
		return "PTRACE_GETREGS";
	case PTRACE_SETREGS:
		return "PTRACE_SETREGS";
	case PTRACE_GETFPREGS:
		return "PTRACE_GETFPREGS";
	case PTRACE_SETFPREGS:
		return "PTRACE_SETFPREGS";
	case PTRACE_ATTACH:
		return "PTRACE_ATTACH";
	case PTRACE_DETACH:
		return "PTRACE_DETACH";
	case PTRACE_SYSCALL:
		return "PTRACE_SYSCALL";
	case PTRACE_SYSEMU:
		return "PTRACE_SYSEMU";
	case PTRACE_SYSEMU_SINGLESTEP:
		return "PTRACE_SYSEMU_SINGLESTEP";
	case PTRACE_SETOPTIONS:
		return "PTRACE_SETOPTIONS";
	case PTRACE_GETEVENTMSG:
		return "PTRACE_GETEVENTMSG";
	case PTRACE_GETSIGINFO:
		return "PTRACE_GETSIGINFO";
	case PTRACE_SETSIGINFO:
		return "PTRACE_SETSIGINFO";
	case PTRACE_GETREGSET:
		return "PTRACE_GETREGSET";
	case PTRACE_SETREGSET:
		return "PTRACE_SETREGSET";
	case PTRACE_SEIZE:
		return "PTRACE_SEIZE";
	case PTRACE_INTERRUPT:
		return "PTRACE_INTERRUPT";
	case PTRACE_LISTEN:
		return "PTRACE_LISTEN";
	case PTRACE_PEEKSIGINFO:
		return "PTRACE_PEEKSIGINFO";
	case PTRACE_GETSIGMASK:
		return "PTRACE_GETSIGMASK";
	case PTRACE_SETSIGMASK:
		return "PTRACE_SETSIGMASK";
	case PTRACE_SECCOMP_GET_FILTER:
		return "PTRACE_SECCOMP_GET_FILTER";
	case PTRACE_GET_SYSCALL_INFO:
		return "PTRACE_GET_SYSCALL_INFO";
	default:
		return NULL;
	}
}
