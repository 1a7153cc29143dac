/* SPDX-License-Identifier: MIT */
/*
 * The insides of struct ptk_symtab, shared by symbols.c (modules, ELF
 * symbols, PLT entries), sym_dwarf.c (line tables, functions, scopes) and
 * unwind.c (the libdwfl unwinder's callbacks).
 */
#ifndef PTK_LIB_SYM_INTERNAL_H
#define PTK_LIB_SYM_INTERNAL_H

#include "ptk/symbols.h"

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

/* One defined ELF symbol of a module, chained by the hash of its name. */
struct sym_ent {
	const char *name; /* in libelf's string table */
	uint64_t addr;    /* run-time */
	uint64_t size;
	uint32_t hash; /* of the name without its @version */
	uint32_t next; /* next entry of the bucket, UINT32_MAX at the end */
	uint8_t type;  /* enum ptk_sym_type */
	bool global;
};

/* A PLT entry: "name@plt" at a run-time address. */
struct plt_ent {
	uint64_t addr, size;
	char *name; /* malloc'd, with the @plt suffix */
};

/* One row of a CU's line table, as gdb keeps it (see sym_dwarf.c). */
struct lrow {
	Dwarf_Addr addr;
	int32_t line;
	uint32_t file; /* index in the CU's file table */
	uint16_t col;
	bool stmt, endseq;
};

/* What ptk caches about one compilation unit. */
struct cu_info {
	Dwarf_Off off; /* of the CU DIE: the key */
	Dwarf_Die die;
	bool lines_done;
	struct lrow *rows; /* sorted by address; NULL when the CU has none */
	size_t nrows;
	char **paths; /* full path of each file index, made on demand */
	size_t npaths;
	int8_t starts_at_entry; /* -1 unknown; else gdb's "locations valid" (GCC
	                           with location lists) or an assembler CU */
	struct cu_info *hnext;
};

/* A function or inlined copy in a module's DWARF, chained by name hash. */
struct fidx_ent {
	const char *name;
	Dwarf_Addr entry; /* DWARF address */
	Dwarf_Off cu;     /* offset of the CU DIE */
	Dwarf_Off func;   /* the out-of-line function's DIE (0 if none) */
	uint32_t hash, next;
	bool inlined;
};

struct mod {
	Dwfl_Module *dm;
	char *name; /* the name reported to libdwfl (re-reported on refresh) */
	char *path;
	uint64_t l_ld; /* run-time address of its dynamic section: the identity */
	uint64_t start, end, bias;
	bool is_exe, is_vdso;
	bool keep; /* refresh: still in the link map */

	/* ELF symbols, read at the first lookup by name */
	bool syms_done;
	struct sym_ent *syms;
	size_t nsyms;
	uint32_t *buckets; /* nbuckets heads, UINT32_MAX when empty */
	size_t nbuckets;

	/* PLT entries, decoded at the first symbol lookup */
	bool plt_done;
	struct plt_ent *plt; /* sorted by address */
	size_t nplt;

	/* DWARF, opened at the first line or scope lookup */
	bool dw_done;
	Dwarf *dw;
	Dwarf_Addr dwbias;
	struct cu_info **cuhash;
	size_t cuhash_cap, ncu;

	/* functions by name from all the DWARF, built on first need */
	bool fidx_done;
	struct fidx_ent *fidx;
	size_t nfidx, fidx_cap;
	uint32_t *fbuckets;
	size_t nfbuckets;
};

#define NONE UINT32_MAX

struct page_cache;

struct ptk_symtab {
	struct ptk_session *s;
	pid_t pid;
	Dwfl *dwfl;
	struct mod **mods; /* executable first, then link-map order */
	size_t nmods;
	uint64_t vdso_ehdr; /* AT_SYSINFO_EHDR, 0 if none */
	/* the link map at the last refresh: l_ld, l_addr and name hash */
	uint64_t *lm_keys;
	size_t nlm_keys;
	/* unwinding */
	bool attached; /* dwfl_attach_state() done */
	pid_t unwind_tid;
	struct page_cache *pages;
	int unwind_err;
};

/* symbols.c */
struct mod *sym_mod_at(struct ptk_symtab *st, uint64_t addr);
int sym_load(struct mod *m);
/* The ELF symbol containing addr (PLT entries included); false if none. */
bool sym_find(struct mod *m, uint64_t addr, struct ptk_sym *ret);

/* sym_dwarf.c: CUs, line tables */
void dw_mod_free(struct mod *m);
/* The module's DWARF, opened on first use (NULL if it has none). */
Dwarf *dw_get(struct mod *m);
struct cu_info *dw_cu_get(struct mod *m, Dwarf_Die *cudie);
/* The CU that contains run-time address addr, or NULL. */
struct cu_info *dw_cu_at(struct mod *m, uint64_t addr);
/* The full path of file idx of the CU's file table, or NULL. */
const char *dw_cu_path(struct cu_info *c, size_t idx);
/* The line-table row of run-time address addr (false: none). */
bool dw_line_at(struct mod *m, struct cu_info *c, uint64_t addr, struct ptk_line *ret);

/* sym_func.c: scopes and functions */
int dw_scopes(Dwarf_Die *cu, Dwarf_Addr a, Dwarf_Die **ret);
int dw_func_index(Dwarf_Die *scopes, int n);
bool dw_func_die_at(struct mod *m, struct cu_info *c, uint64_t addr, Dwarf_Die *ret);
bool dw_block_entry(Dwarf_Die *d, Dwarf_Addr *ret);
bool dw_block_piece(Dwarf_Die *d, Dwarf_Addr a, Dwarf_Addr *lo, Dwarf_Addr *hi, Dwarf_Addr *span_lo,
                    Dwarf_Addr *span_hi);
const char *dw_funcname(Dwarf_Die *d);
uint64_t dw_post_prologue(struct ptk_symtab *st, struct mod *m, struct cu_info *c, Dwarf_Die *func,
                          uint64_t entry, int *ret_line);

/*
 * symbols.c: a symbol table of the ELF file at path alone, loaded with bias (ET_DYN), with
 * no process behind it (s NULL, pid 0): symbols, PLT entries, lines, functions and scopes
 * work; nothing reads memory (prologue analysis sees no bytes), refresh and unwinding do not
 * apply.  For the symbol loader's fuzz target.  Returns 0, -errno of open(), -ENOEXEC,
 * -ENOMEM.
 */
int sym_open_file(const char *path, uint64_t bias, struct ptk_symtab **ret);

/* sym_tail.c */
int sym_tailcalls(struct ptk_symtab *st, uint64_t callee_pc, uint64_t ra, uint64_t *ret, int max);

#endif
