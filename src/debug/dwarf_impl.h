/* SPDX-License-Identifier: MIT */
/* The DWARF reader's insides, shared by dwarf.c (variables) and dwarf_types.c (types). */
#ifndef PTK_DEBUG_DWARF_IMPL_H
#define PTK_DEBUG_DWARF_IMPL_H

#include "dbg.h"

#include <ptk/dwarf.h>

struct tcache_ent;

#define DW_SCOPE_CACHE 8

struct dwarf_info {
	struct dbg_arena arena; /* types, names; dropped with the symbol table */
	struct tcache_ent **tcache;
	struct dbg_type *void_t;
	unsigned char scratch[64]; /* a constant or register variable's bytes */
	unsigned char *big;        /* pieces larger than scratch */
	/* the last scopes looked up, by pc */
	struct ptk_dwarf_scopes sc[DW_SCOPE_CACHE];
	uint64_t sc_pc[DW_SCOPE_CACHE];
	bool sc_valid[DW_SCOPE_CACHE];
	unsigned sc_held[DW_SCOPE_CACHE]; /* in use by a caller: not to be evicted */
	unsigned sc_next;
};

struct dwarf_info *dw_state(struct dbg *d);
/* The dbg_type of a type DIE (cached); of die's DW_AT_type (void when none). */
struct dbg_type *dw_type(struct dbg *d, Dwarf_Die *die);
struct dbg_type *dw_type_of(struct dbg *d, Dwarf_Die *die);
/* The pc whose scope names are looked up in (selected frame, or a breakpoint's address). */
bool dw_scope_pc(struct dbg *d, uint64_t *ret);
const struct ptk_dwarf_scopes *dw_scopes(struct dbg *d, uint64_t pc);
/*
 * dw_scopes, kept (not evicted by other lookups) until dw_scopes_release:
 * for callers that go on using its DIEs (the function's, the blocks')
 * while looking up other pcs -- the entry values of arguments look at the
 * callers' call sites.  NULL when none (or every entry is held).
 */
const struct ptk_dwarf_scopes *dw_scopes_hold(struct dbg *d, uint64_t pc);
void dw_scopes_release(struct dbg *d, const struct ptk_dwarf_scopes *scp);
/* dwarf_loc.c: variable DIE var of frame f (func: its subprogram) as a dbg_symbol. */
int dw_var_symbol(struct dbg *d, struct frame *f, Dwarf_Die *var, Dwarf_Die *func, Dwarf_Addr bias,
                  uint64_t pc, struct dbg_symbol *ret);
/* The value the caller passed for parameter var (size bytes): 0 or -ENOENT. */
int dw_param_entry_value(struct dbg *d, struct frame *f, Dwarf_Die *var, Dwarf_Die *func,
                         Dwarf_Addr bias, uint8_t *buf, size_t size);
void dw_scopes_flush(struct dbg *d);

#endif
