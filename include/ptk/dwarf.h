/* SPDX-License-Identifier: MIT */
/*
 * libptk DWARF access: the libdw handles behind a struct ptk_symtab, for a
 * debugger that reads variables and types itself (locals, arguments,
 * globals, location expressions and lists) with libdw.  Kept apart from
 * <ptk/symbols.h> so that only code that wants elfutils types sees them.
 *
 * Addresses: DWARF holds link-time addresses; run-time = DWARF + bias.
 * Dwarf and Dwarf_Die handles belong to the symbol table and stay valid
 * under the same rule as its strings (until ptk_symtab_free() or a
 * ptk_symtab_refresh() that returns 1).
 */
#ifndef PTK_DWARF_H
#define PTK_DWARF_H

#include <ptk/symbols.h>

#include <elfutils/libdw.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ptk_dwarf_scopes {
	Dwarf *dwarf;      /* the module's DWARF */
	Dwarf_Addr bias;   /* run-time address = DWARF address + bias */
	Dwarf_Die cu;      /* the compilation unit */
	Dwarf_Die *scopes; /* malloc'd: innermost first */
	int nscopes;
	int func; /* index in scopes of the out-of-line subprogram, -1 if none */
};

/*
 * The DWARF scopes at run-time address pc, innermost first, as they nest
 * in the concrete tree: DW_TAG_lexical_block, DW_TAG_inlined_subroutine
 * (follow DW_AT_abstract_origin for names and types), and the
 * DW_TAG_subprogram that contains them (scopes[func]); then nothing (the
 * CU is in cu).  Variables of an inlined copy are children of its
 * DW_TAG_inlined_subroutine; a frame's variables are those of the scopes
 * up to the first inlined_subroutine or subprogram.  For a caller frame
 * pass its lookup_pc.  The caller frees ret->scopes with
 * ptk_dwarf_scopes_free().  Returns 0, -ENOENT (no DWARF for pc: then
 * nothing to free).
 */
int ptk_dwarf_scopes_at(struct ptk_symtab *st, uint64_t pc, struct ptk_dwarf_scopes *ret);
void ptk_dwarf_scopes_free(struct ptk_dwarf_scopes *sc);

/*
 * The DWARF of module idx (the order of ptk_symtab_modules()), read now
 * if not yet: 0 with *ret_dwarf and *ret_bias, -ENOENT (the module has no
 * DWARF, not even in a separate debuginfo file), -EINVAL (no such index).
 * To look for a global or a type by name, walk the CUs of each module
 * (dwarf_nextcu) in this order: the executable first, as gdb does.
 */
int ptk_dwarf_module(struct ptk_symtab *st, size_t idx, Dwarf **ret_dwarf, Dwarf_Addr *ret_bias);

/*
 * The DW_TAG_variable DIE (with a location) of a global or file-static
 * variable called name, looked up through the ELF symbol of that name
 * (so the address decides which DIE, for statics of several files) and
 * else by a walk of the CUs' top-level DIEs.  Returns 0 with *ret_die and
 * *ret_bias, or -ENOENT.
 */
int ptk_dwarf_global(struct ptk_symtab *st, const char *name, Dwarf_Die *ret_die,
                     Dwarf_Addr *ret_bias);

/*
 * The CFI canonical frame address rule of pc is evaluated by ptk_unwind()
 * (struct ptk_frame's cfa) for DW_OP_call_frame_cfa; nothing more is
 * needed from here for frame bases.
 */

#ifdef __cplusplus
}
#endif

#endif
