/* SPDX-License-Identifier: MIT */
/*
 * Tail calls in a backtrace.  A function that ended with a jump to
 * another (a tail call) has no frame left, so an unwinder goes from the
 * callee straight to the function's caller.  gdb shows the missing frames
 * when DWARF says how the caller got to the callee: the caller's call site
 * (DW_TAG_call_site at the return address) names the function it called,
 * and that function's call sites marked DW_AT_call_tail_call name the ones
 * it jumped to; a unique chain of those from the caller's callee to the
 * frame's function gives the missing frames, each at the return address
 * of its tail-call site.
 */
#include "internal.h"
#include "sym_internal.h"

#include <dwarf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Tail calls                                                          */
/* ------------------------------------------------------------------ */

static bool is_call_site(int tag)
{
	return tag == DW_TAG_call_site || tag == DW_TAG_GNU_call_site;
}

/* The return address of call site d (DWARF address). */
static bool call_site_pc(Dwarf_Die *d, Dwarf_Addr *ret)
{
	Dwarf_Attribute at;
	if (dwarf_attr(d, DW_AT_call_return_pc, &at))
		return dwarf_formaddr(&at, ret) == 0;
	return dwarf_attr(d, DW_AT_low_pc, &at) && dwarf_formaddr(&at, ret) == 0;
}

static bool call_site_is_tail(Dwarf_Die *d)
{
	bool f = false;
	Dwarf_Attribute at;
	if (dwarf_attr(d, DW_AT_call_tail_call, &at) || dwarf_attr(d, DW_AT_GNU_tail_call, &at))
		dwarf_formflag(&at, &f);
	return f;
}

/*
 * The run-time entry of the function a call site calls (DW_AT_call_origin,
 * DW_AT_abstract_origin for GNU call sites): its own ranges, or for a
 * declaration the ELF symbol of its name.  0 when unknown (an indirect call).
 */
static uint64_t call_site_target(struct ptk_symtab *st, struct mod *m, Dwarf_Die *d)
{
	Dwarf_Attribute at;
	Dwarf_Die t;
	if (!(dwarf_attr(d, DW_AT_call_origin, &at) || dwarf_attr(d, DW_AT_abstract_origin, &at)) ||
	    !dwarf_formref_die(&at, &t))
		return 0;
	Dwarf_Addr e;
	if (dw_block_entry(&t, &e))
		return e + m->dwbias;
	const char *name = dw_funcname(&t);
	struct ptk_sym v[8];
	int n = name ? ptk_sym_lookup(st, name, v, 8) : 0;
	uint64_t other = 0;
	for (int i = 0; i < n && i < 8; i++) {
		if (v[i].type != PTK_SYM_FUNC)
			continue;
		if (strcmp(v[i].module, m->path) == 0)
			return v[i].addr;
		if (!other)
			other = v[i].addr;
	}
	return other;
}

/* Call sites in the subtree of d (not into nested functions); cb returns true to stop. */
static bool call_sites(Dwarf_Die *d, int depth, bool (*cb)(Dwarf_Die *, void *), void *arg)
{
	Dwarf_Die ch;
	if (depth > 64 || dwarf_child(d, &ch) != 0)
		return false;
	do {
		int tag = dwarf_tag(&ch);
		if (is_call_site(tag)) {
			if (cb(&ch, arg))
				return true;
		} else if (tag == DW_TAG_lexical_block || tag == DW_TAG_inlined_subroutine) {
			if (call_sites(&ch, depth + 1, cb, arg))
				return true;
		}
	} while (dwarf_siblingof(&ch, &ch) == 0);
	return false;
}

/* The out-of-line function that contains run-time address a. */
static bool func_of(struct ptk_symtab *st, uint64_t a, struct mod **ret_m, Dwarf_Die *ret,
                    uint64_t *ret_entry)
{
	struct mod *m = sym_mod_at(st, a);
	struct cu_info *c = m ? dw_cu_at(m, a) : NULL;
	Dwarf_Addr e;
	if (!c || !dw_func_die_at(m, c, a, ret) || !dw_block_entry(ret, &e))
		return false;
	*ret_m = m;
	*ret_entry = e + m->dwbias;
	return true;
}

#define TAIL_MAX 8

struct tail_walk {
	struct ptk_symtab *st;
	struct mod *m;
	uint64_t goal;           /* entry of the function the chain must reach */
	uint64_t path[TAIL_MAX]; /* return pcs of the tail-call sites so far */
	int depth;
	uint64_t found[TAIL_MAX]; /* the chain found */
	int nfound, chains;
	Dwarf_Addr want_pc; /* call_site_find: the return pc looked for */
	Dwarf_Die site;
};

static void tail_from(struct tail_walk *w, uint64_t entry);

static bool tail_site(Dwarf_Die *d, void *arg)
{
	struct tail_walk *w = arg;
	Dwarf_Addr pc;
	if (!call_site_is_tail(d) || !call_site_pc(d, &pc))
		return false;
	struct mod *m = w->m;
	uint64_t t = call_site_target(w->st, m, d);
	if (!t)
		return false;
	w->path[w->depth] = pc + m->dwbias;
	w->depth++;
	if (t == w->goal) {
		if (w->chains++ == 0) {
			memcpy(w->found, w->path, (size_t)w->depth * sizeof w->path[0]);
			w->nfound = w->depth;
		} else if (w->nfound != w->depth ||
		           memcmp(w->found, w->path, (size_t)w->depth * sizeof w->path[0]) != 0) {
			w->nfound = -1; /* two different chains: gdb shows none of them */
		}
	} else if (w->depth < TAIL_MAX) {
		tail_from(w, t);
		w->m = m;
	}
	w->depth--;
	return w->chains > 4;
}

/* Follow the tail calls of the function at entry. */
static void tail_from(struct tail_walk *w, uint64_t entry)
{
	Dwarf_Die fd;
	uint64_t e;
	if (!func_of(w->st, entry, &w->m, &fd, &e) || e != entry)
		return;
	call_sites(&fd, 0, tail_site, w);
}

static bool site_at(Dwarf_Die *d, void *arg)
{
	struct tail_walk *w = arg;
	Dwarf_Addr pc;
	if (!call_site_pc(d, &pc) || pc != w->want_pc)
		return false;
	w->site = *d;
	return true;
}

/*
 * The functions that were tail-called between a callee frame (lookup pc
 * callee_pc) and its caller, which called from return address ra: as gdb
 * finds them, from the caller's call site (DW_TAG_call_site) to the callee
 * through call sites marked as tail calls, when exactly one such chain
 * exists.  Fills ret with the return pcs of the tail-call sites, the one
 * nearest the callee first; returns their number.
 */
int sym_tailcalls(struct ptk_symtab *st, uint64_t callee_pc, uint64_t ra, uint64_t *ret, int max)
{
	struct mod *mc, *mr;
	Dwarf_Die callee, caller;
	uint64_t callee_entry, caller_entry;
	if (!func_of(st, callee_pc, &mc, &callee, &callee_entry) ||
	    !func_of(st, ra - 1, &mr, &caller, &caller_entry))
		return 0;
	struct tail_walk w = {.st = st, .m = mr, .goal = callee_entry, .want_pc = ra - mr->dwbias};
	if (!call_sites(&caller, 0, site_at, &w))
		return 0;
	uint64_t t = call_site_target(st, mr, &w.site);
	if (!t || t == callee_entry)
		return 0;
	w.path[0] = 0;
	tail_from(&w, t);
	if (w.chains == 0 || w.nfound <= 0)
		return 0;
	/* the chain runs from the caller's target towards the callee */
	int n = 0;
	for (int i = w.nfound - 1; i >= 0 && n < max; i--)
		ret[n++] = w.found[i];
	return n;
}
