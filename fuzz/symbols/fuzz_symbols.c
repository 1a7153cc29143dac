/* SPDX-License-Identifier: MIT */
/*
 * fuzz_symbols: libptk's ELF/DWARF symbol loader (lib/symbols.c, sym_dwarf.c,
 * sym_func.c) on a mutated ELF file.  The input is the whole file; it is written to a
 * memfd and opened by path (/proc/self/fd/N) through sym_open_file(), the loader's
 * file-only seam, as a PIE loaded at a fixed bias.  Then every query of <ptk/symbols.h>
 * and <ptk/dwarf.h> that needs no process runs over it: the module list, ELF symbols and
 * PLT entries at addresses across the module and by the names found there, gdb's <sym+off>
 * format, line-table rows and ranges, FILE:LINE and function breakpoints (fast and exact),
 * functions, inlined-call chains, DWARF scopes and globals.
 *
 * Invariants: every call returns 0, a count or -errno (never another positive value or an
 * errno outside the documented ones); every returned string is NUL-terminated (ASan reads
 * it); a symbol found at an address covers it (offset = address - symbol address); a
 * formatted name is exactly what snprintf would say about its length; a line row is
 * positive and starts at or before the address; a location chain has at least one entry.
 */
#include "sym_internal.h"

#include <ptk/dwarf.h>
#include <ptk/symbols.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define BIAS   0x555555554000ull
#define NADDR  48
#define NNAMES 8

static int memfd = -1;

/* A broken invariant: say which, then abort() for libFuzzer. */
__attribute__((format(printf, 1, 2), noreturn)) static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
static char path[64];

static void str_ok(const char *s)
{
	if (s && strlen(s) > (1u << 20))
		abort();
}

static void neg_ok(int r)
{
	/* the errnos the loader's queries document */
	if (r < 0 && r != -ENOENT && r != -ENOMEM && r != -EINVAL && r != -ENOEXEC && r != -EIO)
		abort();
}

static void query_addr(struct ptk_symtab *st, uint64_t a, const char **names, size_t *nnames,
                       const char **files, int *lines, size_t *nfiles)
{
	struct ptk_sym sym;
	int r = ptk_sym_at(st, a, &sym);
	neg_ok(r);
	if (r == 0) {
		str_ok(sym.name);
		str_ok(sym.module);
		if (!sym.name || sym.addr > a || sym.offset != a - sym.addr)
			abort();
		if (*nnames < NNAMES && sym.name[0])
			names[(*nnames)++] = sym.name;
	}
	char buf[64];
	r = ptk_sym_format(st, a, buf, sizeof buf);
	if (r < 0 || strlen(buf) != ((size_t)r < sizeof buf ? (size_t)r : sizeof buf - 1))
		abort();

	struct ptk_line ln;
	r = ptk_line_at(st, a, &ln);
	neg_ok(r);
	if (r == 0) {
		str_ok(ln.file);
		if (ln.line < 1 || ln.addr > a)
			die("ptk_line_at(%#" PRIx64 "): line %d at %#" PRIx64 "-%#" PRIx64 " in %s",
			    a, ln.line, ln.addr, ln.end, ln.file ? ln.file : "(null)");
		if (*nfiles < NNAMES && ln.file) {
			files[*nfiles] = ln.file;
			lines[(*nfiles)++] = ln.line;
		}
	}
	r = ptk_line_range(st, a, &ln);
	neg_ok(r);
	if (r == 0) {
		str_ok(ln.file);
		if (ln.line < 1)
			abort();
	}

	struct ptk_func fn;
	r = ptk_func_at(st, a, &fn);
	neg_ok(r);
	if (r == 0) {
		str_ok(fn.name);
		str_ok(fn.file);
		if (fn.line < 0 || fn.low > fn.high)
			die("ptk_func_at(%#" PRIx64 "): line %d range %#" PRIx64 "-%#" PRIx64, a,
			    fn.line, fn.low, fn.high);
		uint64_t bp;
		int bl;
		neg_ok(ptk_func_breakpoint(st, fn.entry, &bp, &bl));
	}

	struct ptk_location loc[4];
	r = ptk_addr_locate(st, a, loc, 4);
	neg_ok(r);
	if (r == 0)
		abort(); /* >= 1 entries, or -ENOENT */
	for (int i = 0; i < r && i < 4; i++) {
		if (loc[i].line < 0 || loc[i].column < 0)
			die("ptk_addr_locate(%#" PRIx64 ")[%d]: line %d column %d", a, i,
			    loc[i].line, loc[i].column);
		str_ok(loc[i].func);
		str_ok(loc[i].file);
		str_ok(loc[i].module);
	}

	struct ptk_dwarf_scopes sc;
	r = ptk_dwarf_scopes_at(st, a, &sc);
	neg_ok(r);
	if (r == 0) {
		if (sc.nscopes < 0 || sc.func >= sc.nscopes)
			abort();
		ptk_dwarf_scopes_free(&sc);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (memfd < 0) {
		memfd = memfd_create("fuzz_symbols", MFD_CLOEXEC);
		if (memfd < 0)
			abort();
		snprintf(path, sizeof path, "/proc/self/fd/%d", memfd);
	}
	if (ftruncate(memfd, 0) < 0 || pwrite(memfd, data, size, 0) != (ssize_t)size)
		abort();

	struct ptk_symtab *st;
	int r = sym_open_file(path, BIAS, &st);
	if (r < 0) {
		if (r != -ENOEXEC && r != -ENOMEM)
			abort();
		return 0;
	}

	struct ptk_module mods[2];
	r = ptk_symtab_modules(st, mods, 2);
	if (r != 1)
		abort();
	str_ok(mods[0].name);
	str_ok(mods[0].path);
	uint64_t lo = mods[0].start, hi = mods[0].end;

	const char *names[NNAMES], *files[NNAMES];
	int lines[NNAMES];
	size_t nnames = 0, nfiles = 0;
	static const char *fixed[] = {"main", "puts", "puts@plt", "_start", "f", ""};

	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
		struct ptk_sym s[4];
		r = ptk_sym_lookup(st, fixed[i], s, 4);
		neg_ok(r);
		for (int k = 0; k < r && k < 4; k++) {
			str_ok(s[k].name);
			query_addr(st, s[k].addr, names, &nnames, files, lines, &nfiles);
		}
	}
	/* addresses across the module (and just outside it) */
	uint64_t step = hi > lo ? (hi - lo) / NADDR + 1 : 1;
	for (uint64_t a = lo - 1, i = 0; i < NADDR + 2; i++, a += step)
		query_addr(st, a, names, &nnames, files, lines, &nfiles);

	for (size_t i = 0; i < nnames; i++) {
		struct ptk_sym s[4];
		struct ptk_line_loc ll[4];
		r = ptk_sym_lookup(st, names[i], s, 4);
		neg_ok(r);
		/*
		 * Not an invariant: a name found at an address may not be found by name in a
		 * damaged file (section headers cut off: libdwfl then reads the dynamic symbols
		 * while the name index may differ); seed trunc-shdrs is one.
		 */
		r = ptk_func_lookup(st, names[i], 0, ll, 4);
		neg_ok(r);
		for (int k = 0; k < r && k < 4; k++) {
			str_ok(ll[k].file);
			str_ok(ll[k].func);
		}
		r = ptk_func_lookup(st, names[i], PTK_FUNC_EXACT, ll, 4);
		neg_ok(r);
		Dwarf_Die die;
		Dwarf_Addr b;
		neg_ok(ptk_dwarf_global(st, names[i], &die, &b));
	}
	for (size_t i = 0; i < nfiles; i++) {
		struct ptk_line_loc ll[4];
		r = ptk_line_lookup(st, files[i], lines[i], ll, 4);
		neg_ok(r);
		for (int k = 0; k < r && k < 4; k++) {
			str_ok(ll[k].file);
			str_ok(ll[k].func);
		}
		const char *base = strrchr(files[i], '/');
		neg_ok(ptk_line_lookup(st, base ? base + 1 : files[i], lines[i] + 1, ll, 4));
	}
	Dwarf *dw;
	Dwarf_Addr b;
	neg_ok(ptk_dwarf_module(st, 0, &dw, &b));
	ptk_symtab_free(st);
	return 0;
}
