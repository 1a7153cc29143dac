/* SPDX-License-Identifier: MIT */
/*
 * ptk trace -k: the stack of every printed syscall, in strace's layout,
 * one line per frame after the syscall's line:
 *
 *     " > /usr/lib/x86_64-linux-gnu/libc.so.6(getppid+0x7) [0xd8e97]"
 *
 * the file of the mapping that holds the frame's pc (as /proc/PID/maps
 * names it), the nearest symbol at or before pc with the distance to it
 * ("()" when there is none), and pc as an offset in that file.  The stack
 * is unwound at the syscall-enter stop (libdwfl through include/ptk/
 * symbols.h, which reads memory and registers through libptk), formatted
 * at once while the maps are those of that moment, and printed when the
 * line ends (out_end_line), so an "<unfinished ...>" line gets it after
 * its "<... resumed>" part, as strace does.
 *
 * One symbol table and one copy of the maps per process, opened at the
 * first stack that needs them, refreshed after a syscall that changes the
 * address space (mmap, munmap, mremap, brk is not one) and thrown away at
 * exec and when the process ends.
 */
#include "trace.h"

#include <ptk/symbols.h>

#include <stdlib.h>
#include <string.h>

#define STACK_MAX_FRAMES 256

struct stack_proc {
	pid_t pid;
	struct ptk_symtab *st; /* NULL until opened (or when it cannot be) */
	bool st_failed;        /* ptk_symtab_new failed: do not retry at every syscall */
	struct ptk_maps maps;
	bool maps_ok;
	bool stale; /* the address space changed since maps and st were read */
	struct stack_proc *next;
};

static struct stack_proc *find(struct trace *t, pid_t pid, bool create)
{
	for (struct stack_proc *p = t->stack_procs; p; p = p->next)
		if (p->pid == pid)
			return p;
	if (!create)
		return NULL;
	struct stack_proc *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->pid = pid;
	p->next = t->stack_procs;
	t->stack_procs = p;
	return p;
}

static void proc_free(struct stack_proc *p)
{
	ptk_symtab_free(p->st);
	if (p->maps_ok)
		ptk_maps_free(&p->maps);
	free(p);
}

void stack_forget(struct trace *t, pid_t pid)
{
	for (struct stack_proc **pp = &t->stack_procs; *pp; pp = &(*pp)->next)
		if ((*pp)->pid == pid) {
			struct stack_proc *p = *pp;
			*pp = p->next;
			proc_free(p);
			return;
		}
}

void stack_free(struct trace *t)
{
	while (t->stack_procs) {
		struct stack_proc *p = t->stack_procs;
		t->stack_procs = p->next;
		proc_free(p);
	}
}

/* A syscall that maps or unmaps memory: the next stack re-reads the maps. */
void stack_after_syscall(struct trace *t, struct tcb *c)
{
	const struct ptk_sysent *e = ptk_sysent_get(c->arch, c->nr);
	if (!e || !e->name)
		return;
	if (strcmp(e->name, "mmap") && strcmp(e->name, "munmap") && strcmp(e->name, "mremap") &&
	    strcmp(e->name, "mmap2") && strcmp(e->name, "shmat") && strcmp(e->name, "shmdt"))
		return;
	struct stack_proc *p = find(t, c->pid, false);
	if (p)
		p->stale = true;
}

static void reload_maps(struct stack_proc *p)
{
	if (p->maps_ok)
		ptk_maps_free(&p->maps);
	p->maps_ok = ptk_maps_read(p->pid, &p->maps) == 0;
}

/* Bring the process's view up to date before an unwind. */
static struct stack_proc *prepare(struct trace *t, struct tcb *c)
{
	struct stack_proc *p = find(t, c->pid, true);
	if (!p)
		return NULL;
	if (!p->st && !p->st_failed) {
		if (ptk_symtab_new(t->s, c->pid, &p->st) < 0) {
			p->st = NULL;
			p->st_failed = true;
		}
		p->stale = true;
	}
	if (p->stale) {
		if (p->st)
			ptk_symtab_refresh(p->st);
		reload_maps(p);
		p->stale = false;
	}
	return p;
}

/* One frame's line. */
static void frame_line(struct stack_proc *p, struct dbuf *b, uint64_t pc)
{
	const struct ptk_map *m = p->maps_ok ? ptk_maps_find(&p->maps, pc) : NULL;
	if (!m || !m->path || !m->path[0]) {
		db_printf(b, " > unexpected_backtracing_error [0x%llx]\n", (unsigned long long)pc);
		return;
	}
	uint64_t off = pc - m->start + m->offset;
	struct ptk_sym sym;
	int r = -1;
	if (p->st) {
		r = ptk_sym_at(p->st, pc, &sym);
		/* The return address of a noreturn call is just past its function. */
		if (r < 0 && (r = ptk_sym_at(p->st, pc - 1, &sym)) == 0)
			sym.offset++;
	}
	if (r == 0 && sym.name && sym.name[0]) {
		/* strace prints the name without its version ("malloc", not "malloc@@GLIBC"). */
		size_t n = strcspn(sym.name, "@");
		db_printf(b, " > %s(%.*s+0x%llx) [0x%llx]\n", m->path, (int)n, sym.name,
		          (unsigned long long)sym.offset, (unsigned long long)off);
	} else {
		db_printf(b, " > %s() [0x%llx]\n", m->path, (unsigned long long)off);
	}
}

/*
 * Does a frame lie in a file the symbol table does not know (a library the
 * loader added after the last refresh, mapped by a syscall ptk's filter
 * did not stop at)?
 */
static bool missed_module(struct stack_proc *p, const struct ptk_frame *fr, int n)
{
	for (int i = 0; i < n; i++) {
		struct ptk_module mod;
		if (ptk_symtab_module_at(p->st, fr[i].pc, &mod) == 0)
			continue;
		const struct ptk_map *m = p->maps_ok ? ptk_maps_find(&p->maps, fr[i].pc) : NULL;
		if (!m || m->path[0] == '/')
			return true;
	}
	return false;
}

void stack_capture(struct trace *t, struct tcb *c)
{
	db_reset(&c->stack);
	struct stack_proc *p = prepare(t, c);
	if (!p || !p->st)
		return;
	struct ptk_frame *fr = malloc(STACK_MAX_FRAMES * sizeof *fr);
	if (!fr)
		return;
	int n = ptk_unwind(p->st, c->tid, 0, fr, STACK_MAX_FRAMES);
	if (n > 0 && missed_module(p, fr, n)) {
		reload_maps(p);
		if (ptk_symtab_refresh(p->st) == 1)
			n = ptk_unwind(p->st, c->tid, 0, fr, STACK_MAX_FRAMES);
	}
	for (int i = 0; i < n && i < STACK_MAX_FRAMES; i++)
		frame_line(p, &c->stack, fr[i].pc);
	free(fr);
}
