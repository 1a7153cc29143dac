/* SPDX-License-Identifier: MIT */
/*
 * Symbol tables of traced processes (include/ptk/symbols.h): modules and
 * their load biases, ELF symbols both ways against nm, PLT names against
 * objdump, line tables against addr2line and gdb, FILE:LINE and `break
 * FUNC` addresses against gdb 13's choices, a refresh after dlopen(), and
 * the DWARF scopes for the debugger.  Subjects: tracees/symtest.c built
 * with -g at -O0 and -O2.  The comparisons with gdb are skipped (with a
 * reason) when gdb is not installed; the others need binutils.
 */
#include "lt.h"

#include <ptk/dwarf.h>
#include <ptk/symbols.h>

#include <dwarf.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <unistd.h>

enum { NR_getppid_ = 110 };

static const char *const opts[2] = {"symtest_O0", "symtest_O2"};

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static const char *need_tool(const char *name)
{
	const char *p = lt_tool(name);
	if (!p)
		th_skip("%s is not installed", name);
	return p;
}

/* Output of argv (stdout), malloc'd; the command must exit 0. */
static char *run_out(char *const argv[])
{
	size_t cap = 8 << 20;
	char *out = malloc(cap);
	CHECK(out);
	int st = th_run_untraced(argv, out, cap);
	CHECK_MSG(st == 0, "%s exited with status %#x", argv[0], st);
	return out;
}

/* The line of tracees/NAME.c that carries the tag "L:tag". */
static int tag_line(const char *file, const char *tag)
{
	char path[4096], want[64], line[512];
	snprintf(path, sizeof path, "%s/tests/tracees/%s", PTK_SRCDIR, file);
	snprintf(want, sizeof want, "L:%s ", tag);
	FILE *f = fopen(path, "r");
	CHECK_MSG(f, "%s: %s", path, strerror(errno));
	int n = 0, found = 0;
	while (fgets(line, sizeof line, f)) {
		n++;
		if (strstr(line, want)) {
			found = n;
			break;
		}
	}
	fclose(f);
	CHECK_MSG(found, "no tag %s in %s", tag, file);
	return found;
}

static int file_lines(const char *file)
{
	char path[4096], line[512];
	snprintf(path, sizeof path, "%s/tests/tracees/%s", PTK_SRCDIR, file);
	FILE *f = fopen(path, "r");
	CHECK(f);
	int n = 0;
	while (fgets(line, sizeof line, f))
		n++;
	fclose(f);
	return n;
}

/*
 * Spawn argv (spawn flags flags) and run it to its first getppid().
 * Returns the pid; *ret_out gets the tracee's stdout.
 */
static pid_t run_to_getppid(struct ptk_session *s, char *const argv[], unsigned flags, int *ret_out)
{
	pid_t pid;
	CHECK_OK(lt_spawn(s, argv, flags, &pid, ret_out));
	struct ptk_event ev;
	lt_run_to_syscall(s, pid, NR_getppid_, -1, &ev, NULL);
	return pid;
}

struct fixture {
	struct ptk_session *s;
	struct ptk_symtab *st;
	pid_t pid;
	int out;
	const char *exe;
	uint64_t bias;
};

/* symtest NAME (mode "deep 2") stopped at its getppid(), with a symbol table. */
static void fx_open(struct fixture *f, const char *name, unsigned flags)
{
	memset(f, 0, sizeof *f);
	f->exe = th_tracee(name);
	char *argv[] = {(char *)f->exe, "deep", "2", NULL};
	CHECK_OK(ptk_session_new(&f->s, 0));
	f->pid = run_to_getppid(f->s, argv, flags, &f->out);
	CHECK_OK(ptk_symtab_new(f->s, f->pid, &f->st));
	CHECK_OK(ptk_exe_load_bias(f->s, f->pid, &f->bias, NULL));
}

static void fx_close(struct fixture *f)
{
	ptk_symtab_free(f->st);
	ptk_session_end(f->s, false, 1000);
	free(lt_slurp(f->out, 5000));
}

/* The one symbol called name in the executable (fails if not exactly one). */
static uint64_t exe_sym(struct fixture *f, const char *name)
{
	struct ptk_sym v[4];
	int n = ptk_sym_lookup(f->st, name, v, 4);
	CHECK_MSG(n >= 1, "no symbol %s", name);
	CHECK_MSG(strcmp(v[0].module, f->exe) == 0, "%s found in %s first", name, v[0].module);
	return v[0].addr;
}

static const char *base(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;
	return s ? s + 1 : p;
}

static uint64_t hex(const char *s)
{
	return strtoull(s, NULL, 16);
}

/* ------------------------------------------------------------------ */
/* Modules                                                             */
/* ------------------------------------------------------------------ */

static int mod_index(const struct ptk_module *m, int n, const char *suffix)
{
	for (int i = 0; i < n; i++) {
		size_t a = strlen(m[i].path), b = strlen(suffix);
		if (a >= b && strcmp(m[i].path + a - b, suffix) == 0)
			return i;
	}
	return -1;
}

TEST(modules_at_exec_stop_and_after_the_loader)
{
	const char *exe = th_tracee("symtest_O0");
	char *argv[] = {(char *)exe, "deep", "1", NULL};
	pid_t pid;
	int out;
	struct ptk_session *s = lt_start(0, argv, &pid, &out);
	struct ptk_event ev;
	lt_resume_expect(s, pid, PTK_RESUME_CONT, PTK_EV_EXEC, &ev);

	/* at the exec stop: the executable, the loader (AT_BASE) and the vDSO */
	struct ptk_symtab *st;
	CHECK_OK(ptk_symtab_new(s, pid, &st));
	CHECK_EQ_INT(ptk_symtab_pid(st), pid);
	struct ptk_module m[16];
	int n = ptk_symtab_modules(st, m, 16);
	CHECK_EQ_INT(n, 3);
	uint64_t bias, at_base, vdso;
	CHECK_OK(ptk_exe_load_bias(s, pid, &bias, NULL));
	CHECK_OK(ptk_auxv_get(pid, AT_BASE, &at_base));
	CHECK_OK(ptk_auxv_get(pid, AT_SYSINFO_EHDR, &vdso));
	CHECK(m[0].is_exe && !m[1].is_exe);
	CHECK_EQ_STR(m[0].path, exe);
	CHECK_EQ_HEX(m[0].bias, bias);
	CHECK(bias != 0); /* PIE */
	CHECK_EQ_HEX(m[1].bias, at_base);
	CHECK(m[2].is_vdso);
	CHECK_EQ_HEX(m[2].start, vdso);
	/* the vDSO's symbols come from its image in memory */
	struct ptk_sym sy[4];
	CHECK(ptk_sym_lookup(st, "__vdso_clock_gettime", sy, 4) >= 1);
	CHECK(sy[0].addr >= m[2].start && sy[0].addr < m[2].end);
	CHECK_EQ_INT(ptk_sym_lookup(st, "_dl_debug_state", sy, 4), 1);
	CHECK_EQ_STR(sy[0].module, m[1].path);
	/* libc is not loaded: `puts` is the executable's PLT entry, as gdb has it */
	CHECK_EQ_INT(ptk_sym_lookup(st, "puts", sy, 4), 1);
	CHECK_EQ_STR(sy[0].name, "puts@plt");
	CHECK_EQ_INT(sy[0].type, PTK_SYM_PLT);
	CHECK_EQ_STR(sy[0].module, exe);

	/* the loader has not published a list yet: nothing to refresh */
	CHECK_EQ_INT(ptk_symtab_refresh(st), 0);

	/* at getppid() libc is loaded: one refresh reports it, the next nothing */
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_SYSCALL, 0));
	for (;;) {
		lt_next(s, &ev);
		if (ev.kind == PTK_EV_SYSCALL_ENTER && ev.sc.nr == NR_getppid_)
			break;
		CHECK_OK(lt_resume(s, &ev, PTK_RESUME_SYSCALL));
	}
	CHECK_EQ_INT(ptk_symtab_refresh(st), 1);
	CHECK_EQ_INT(ptk_symtab_refresh(st), 0);
	n = ptk_symtab_modules(st, m, 16);
	CHECK(n >= 4 && n <= 16);
	CHECK(m[0].is_exe);
	int libc = mod_index(m, n, "/libc.so.6");
	CHECK(libc > 0);
	/* the loader and the vDSO reported at the exec stop are the same modules */
	bool have_ld = false, have_vdso = false;
	for (int i = 1; i < n; i++) {
		have_ld |= m[i].bias == at_base;
		have_vdso |= m[i].is_vdso && m[i].start == vdso;
	}
	CHECK(have_ld && have_vdso);
	/* libc's bias is where /proc/PID/maps has the start of the file */
	struct ptk_maps maps;
	CHECK_OK(ptk_maps_read(pid, &maps));
	const struct ptk_map *mp = ptk_maps_find(&maps, m[libc].bias);
	CHECK(mp && strstr(mp->path, "libc.so.6") && mp->offset == 0 && mp->start == m[libc].bias);
	ptk_maps_free(&maps);
	/* now puts is libc's */
	CHECK_EQ_INT(ptk_sym_lookup(st, "puts", sy, 4), 1);
	CHECK_EQ_STR(sy[0].module, m[libc].path);
	struct ptk_module one;
	CHECK_OK(ptk_symtab_module_at(st, sy[0].addr, &one));
	CHECK_EQ_STR(one.path, m[libc].path);
	CHECK_EQ_INT(ptk_symtab_module_at(st, 8, &one), -ENOENT);

	ptk_symtab_free(st);
	ptk_session_end(s, false, 1000);
	free(lt_slurp(out, 5000));
}

/* ------------------------------------------------------------------ */
/* ELF symbols                                                         */
/* ------------------------------------------------------------------ */

/* Is addr among the results of looking name up? */
static bool lookup_has(struct ptk_symtab *st, const char *name, uint64_t addr, int *ret_n)
{
	struct ptk_sym v[32];
	int n = ptk_sym_lookup(st, name, v, 32);
	*ret_n = n;
	for (int i = 0; i < n && i < 32; i++)
		if (v[i].addr == addr)
			return true;
	return false;
}

TEST(executable_symbols_both_ways_against_nm)
{
	const char *nm = need_tool("nm");
	for (int o = 0; o < 2; o++) {
		struct fixture f;
		fx_open(&f, opts[o], 0);
		char *argv[] = {(char *)nm, "--defined-only", "-S", (char *)f.exe, NULL};
		char *out = run_out(argv);
		int checked = 0, funcs = 0;
		for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
			/* "addr [size] type name" */
			char *tok[4], *save = NULL;
			int k = 0;
			for (char *t = strtok_r(line, " ", &save); t && k < 4;
			     t = strtok_r(NULL, " ", &save))
				tok[k++] = t;
			if (k < 3)
				continue;
			const char *a = tok[0], *b = tok[1], *type = k == 4 ? tok[2] : tok[1];
			const char *name = tok[k - 1];
			if (strchr("AaNUu", type[0]))
				continue;
			uint64_t addr = hex(a) + f.bias;
			int n;
			CHECK_MSG(lookup_has(f.st, name, addr, &n),
			          "%s: %s at %#llx not found (%d)", opts[o], name,
			          (unsigned long long)addr, n);
			checked++;
			if (k == 4 && (type[0] == 'T' || type[0] == 't') && hex(b) > 1) {
				/* inside a function: that function (or an alias at its address) */
				struct ptk_sym s;
				CHECK_OK(ptk_sym_at(f.st, addr + 1, &s));
				CHECK_MSG(s.addr == addr && s.offset == 1, "%s+1 -> %s+%llu", name,
				          s.name, (unsigned long long)s.offset);
				CHECK_EQ_INT(s.size, hex(b));
				CHECK_EQ_INT(s.type, PTK_SYM_FUNC);
				CHECK_EQ_STR(s.module, f.exe);
				funcs++;
			}
		}
		th_note("%s: %d symbols, %d functions checked", opts[o], checked, funcs);
		CHECK(checked > 30 && funcs > 10);
		/* a static function of each source file: two addresses, by address */
		struct ptk_sym v[4];
		CHECK_EQ_INT(ptk_sym_lookup(f.st, "helper", v, 4), 2);
		CHECK(v[0].addr < v[1].addr && !v[0].global && !v[1].global);
		/* the global variable */
		CHECK_EQ_INT(ptk_sym_lookup(f.st, "symtest_counter", v, 4), 1);
		CHECK_EQ_INT(v[0].type, PTK_SYM_OBJECT);
		CHECK_EQ_INT(v[0].size, 4);
		int32_t val = 0;
		CHECK_OK(ptk_mem_read(f.s, f.pid, v[0].addr, &val, 4, NULL));
		CHECK_EQ_INT(val, 7);
		CHECK_EQ_INT(ptk_sym_lookup(f.st, "no_such_symbol_anywhere", v, 4), 0);
		free(out);
		fx_close(&f);
	}
}

TEST(sym_at_and_format)
{
	struct fixture f;
	fx_open(&f, "symtest_O0", 0);
	uint64_t main_addr = exe_sym(&f, "main");
	char buf[128];
	ptk_sym_format(f.st, main_addr + 17, buf, sizeof buf);
	CHECK_EQ_STR(buf, "main+17");
	ptk_sym_format(f.st, main_addr, buf, sizeof buf);
	CHECK_EQ_STR(buf, "main");
	ptk_sym_format(f.st, 0x10, buf, sizeof buf);
	CHECK_EQ_STR(buf, "0x10");
	CHECK_EQ_INT(ptk_sym_format(f.st, main_addr + 17, buf, 4), 7);
	CHECK_EQ_STR(buf, "mai");
	struct ptk_sym s;
	CHECK_OK(ptk_sym_at(f.st, main_addr + 17, &s));
	CHECK_EQ_STR(s.name, "main");
	CHECK_EQ_HEX(s.addr, main_addr);
	CHECK_EQ_INT(s.offset, 17);
	CHECK(s.global);
	CHECK_EQ_INT(ptk_sym_at(f.st, 0x10, &s), -ENOENT);
	fx_close(&f);
}

TEST(libc_symbols_against_nm_dynamic)
{
	const char *nm = need_tool("nm");
	struct fixture f;
	fx_open(&f, "symtest_O2", 0);
	struct ptk_module m[16];
	int n = ptk_symtab_modules(f.st, m, 16);
	int libc = mod_index(m, n, "/libc.so.6");
	CHECK(libc > 0);
	char *argv[] = {(char *)nm, "-D", "--defined-only", (char *)m[libc].path, NULL};
	char *out = run_out(argv);
	int checked = 0, ifuncs = 0;
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		char a[32], t[8], name[256];
		if (sscanf(line, "%31s %7s %255s", a, t, name) != 3 || !strchr("TWiDBRV", t[0]))
			continue;
		char *at = strchr(name, '@');
		if (at)
			*at = 0; /* newer nm prints versions: ptk ignores them */
		uint64_t addr = hex(a) + m[libc].bias;
		struct ptk_sym v[32];
		int k = ptk_sym_lookup(f.st, name, v, 32);
		bool found = false;
		for (int i = 0; i < k && i < 32; i++) {
			if (v[i].addr != addr)
				continue;
			found = true;
			if (t[0] == 'i')
				ifuncs += v[i].type == PTK_SYM_IFUNC;
		}
		CHECK_MSG(found, "libc %s at %#llx not found (%d results)", name,
		          (unsigned long long)addr, k);
		checked++;
	}
	th_note("%d dynamic symbols of libc checked, %d ifuncs", checked, ifuncs);
	CHECK(checked > 1000);
	CHECK(ifuncs > 10);
	free(out);
	fx_close(&f);
}

TEST(symbol_versions_are_ignored)
{
	struct fixture f;
	fx_open(&f, "symtest_O2", 0);
	struct ptk_sym a[8], b[8];
	int na = ptk_sym_lookup(f.st, "memcpy", a, 8);
	CHECK(na >= 1 && na <= 8);
	/* the same symbols, asked with a version */
	CHECK_EQ_INT(ptk_sym_lookup(f.st, "memcpy@@GLIBC_2.14", b, 8), na);
	CHECK_EQ_INT(ptk_sym_lookup(f.st, "memcpy@GLIBC_2.2.5", b, 8), na);
	for (int i = 0; i < na; i++)
		CHECK_EQ_HEX(a[i].addr, b[i].addr);
	/* names that carry a version in the symbol table match without it */
	int versioned = 0;
	const char *names[] = {"memcpy", "_IO_do_write", "fopen", "realpath", "pthread_cond_wait"};
	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
		int n = ptk_sym_lookup(f.st, names[k], a, 8);
		CHECK_MSG(n >= 1, "%s not found", names[k]);
		for (int i = 0; i < n && i < 8; i++) {
			size_t l = strlen(names[k]);
			CHECK(strncmp(a[i].name, names[k], l) == 0 &&
			      (a[i].name[l] == 0 || a[i].name[l] == '@'));
			versioned += a[i].name[l] == '@';
		}
	}
	th_note("%d results had a version in their name", versioned);
	fx_close(&f);
}

TEST(plt_entries_named_as_objdump)
{
	const char *objdump = need_tool("objdump");
	for (int o = 0; o < 2; o++) {
		struct fixture f;
		fx_open(&f, opts[o], 0);
		char *argv[] = {(char *)objdump, "-d", "-j",       ".plt",        "-j",
		                ".plt.sec",      "-j", ".plt.got", (char *)f.exe, NULL};
		char *out = run_out(argv);
		int checked = 0;
		for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
			char a[32], name[256];
			/* "0000000000001070 <puts@plt>:" */
			if (sscanf(line, "%31s <%255[^>]>:", a, name) != 2 ||
			    !strstr(name, "@plt") || strpbrk(name, "+-"))
				continue; /* not "<dlerror@plt-0x10>:", the PLT's first entry */
			uint64_t addr = hex(a) + f.bias;
			struct ptk_sym v[4];
			CHECK_MSG(ptk_sym_lookup(f.st, name, v, 4) == 1, "%s", name);
			CHECK_EQ_HEX(v[0].addr, addr);
			CHECK_EQ_INT(v[0].type, PTK_SYM_PLT);
			struct ptk_sym s;
			CHECK_OK(ptk_sym_at(f.st, addr + 2, &s));
			CHECK_EQ_STR(s.name, name);
			CHECK_EQ_INT(s.offset, 2);
			char buf[300], want[300];
			ptk_sym_format(f.st, addr + 2, buf, sizeof buf);
			snprintf(want, sizeof want, "%s+2", name);
			CHECK_EQ_STR(buf, want);
			checked++;
		}
		th_note("%s: %d PLT entries", opts[o], checked);
		CHECK(checked >= 10);
		free(out);
		fx_close(&f);
	}
}

/* ------------------------------------------------------------------ */
/* Line tables                                                         */
/* ------------------------------------------------------------------ */

struct rowset {
	uint64_t addr[4096];
	int nrows[4096]; /* rows at that address */
	size_t n;
};

/* The addresses of line-table rows of the tracee's own files (objdump). */
static void rows_of(const char *exe, struct rowset *rs)
{
	char *argv[] = {(char *)need_tool("objdump"), "--dwarf=decodedline", (char *)exe, NULL};
	char *out = run_out(argv);
	rs->n = 0;
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		char file[256], ln[32], a[32];
		if (sscanf(line, "%255s %31s %31s", file, ln, a) != 3 || strncmp(a, "0x", 2) != 0 ||
		    ln[0] == '-' ||
		    (strcmp(file, "symtest.c") != 0 && strcmp(file, "symtest_other.c") != 0))
			continue;
		uint64_t v = hex(a);
		if (rs->n && rs->addr[rs->n - 1] == v) {
			rs->nrows[rs->n - 1]++;
			continue;
		}
		CHECK(rs->n < 4096);
		rs->addr[rs->n] = v;
		rs->nrows[rs->n] = 1;
		rs->n++;
	}
	free(out);
}

TEST(lines_against_addr2line)
{
	const char *a2l = need_tool("addr2line");
	for (int o = 0; o < 2; o++) {
		struct fixture f;
		fx_open(&f, opts[o], 0);
		static struct rowset rs;
		rows_of(f.exe, &rs);
		CHECK(rs.n > 50);
		/* ask for every row address that has one row, and one byte into it */
		static char *argv[4096 * 2 + 4];
		static char abuf[4096 * 2][24];
		uint64_t asked[4096 * 2];
		size_t na = 0, k = 0;
		argv[k++] = (char *)a2l;
		argv[k++] = "-e";
		argv[k++] = (char *)f.exe;
		for (size_t i = 0; i < rs.n; i++) {
			if (rs.nrows[i] != 1)
				continue; /* addr2line takes the last row there, gdb the last
				             statement row: see lines_against_gdb */
			asked[na] = rs.addr[i];
			asked[na + 1] = rs.addr[i] + 1;
			for (int d = 0; d < 2; d++) {
				snprintf(abuf[na], sizeof abuf[0], "%#llx",
				         (unsigned long long)asked[na]);
				argv[k++] = abuf[na++];
			}
		}
		argv[k] = NULL;
		char *out = run_out(argv);
		char *save = NULL;
		size_t i = 0, same = 0;
		for (char *line = strtok_r(out, "\n", &save); line && i < na;
		     line = strtok_r(NULL, "\n", &save), i++) {
			char *colon = strrchr(line, ':');
			CHECK(colon);
			*colon = 0;
			int want = atoi(colon + 1);
			if (i % 2 == 1 && i + 1 < na && asked[i] == asked[i + 1])
				continue;
			struct ptk_line l;
			int r = ptk_line_at(f.st, asked[i] + f.bias, &l);
			if (want == 0)
				continue; /* a row of line 0: gdb (and ptk) extend the row before */
			CHECK_MSG(r == 0, "%#llx: no line (addr2line %s:%d)",
			          (unsigned long long)asked[i], line, want);
			CHECK_MSG(l.line == want && strcmp(base(l.file), base(line)) == 0,
			          "%s %#llx: ptk %s:%d, addr2line %s:%d", opts[o],
			          (unsigned long long)asked[i], l.file, l.line, line, want);
			CHECK(l.file[0] == '/');
			CHECK(l.addr <= asked[i] + f.bias && asked[i] + f.bias < l.end);
			same++;
		}
		CHECK_EQ_INT(i, na);
		th_note("%s: %zu addresses agree with addr2line", opts[o], same);
		CHECK(same > 100);
		free(out);
		fx_close(&f);
	}
}

/* ------------------------------------------------------------------ */
/* gdb                                                                 */
/* ------------------------------------------------------------------ */

/* Run gdb -batch with the commands in cmds on argv; its stdout, malloc'd. */
static char *gdb_run(const char *cmds, char *const prog[])
{
	return lt_gdb_batch(need_tool("gdb"), cmds, prog, 4 << 20);
}

struct cmdbuf {
	char *p;
	size_t n, cap;
};

__attribute__((format(printf, 2, 3))) static void cmd(struct cmdbuf *b, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		int k = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
		va_end(ap);
		if ((size_t)k < b->cap - b->n) {
			b->n += (size_t)k;
			return;
		}
		b->cap = b->cap ? b->cap * 2 : 4096;
		b->p = realloc(b->p, b->cap);
		CHECK(b->p);
	}
}

/*
 * The breakpoint addresses of gdb's `info breakpoints` section that
 * follows the marker "@@key" in out (one breakpoint, maybe several
 * locations).  Returns the number of addresses; *ret_line: the line of the
 * first location.
 */
static int gdb_locs(const char *out, const char *key, uint64_t *ret, int max, int *ret_line)
{
	char mark[128];
	snprintf(mark, sizeof mark, "@@%s\n", key);
	const char *p = strstr(out, mark);
	CHECK_MSG(p, "no gdb output for %s", key);
	p += strlen(mark);
	const char *end = strstr(p, "@@");
	int n = 0;
	*ret_line = 0;
	while (p && (!end || p < end)) {
		const char *nl = strchr(p, '\n');
		char line[1024];
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		snprintf(line, sizeof line, "%.*s", (int)(len < 1023 ? len : 1023), p);
		const char *ox = strstr(line, " 0x");
		if (ox && (line[0] >= '1' && line[0] <= '9') && !strstr(line, "<MULTIPLE>")) {
			if (n < max)
				ret[n] = hex(ox + 1);
			const char *colon = strrchr(line, ':');
			if (n == 0 && colon)
				*ret_line = atoi(colon + 1);
			n++;
		}
		p = nl ? nl + 1 : NULL;
	}
	return n;
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

TEST(lines_against_gdb_info_line)
{
	for (int o = 0; o < 2; o++) {
		struct fixture f;
		fx_open(&f, opts[o], 0);
		static struct rowset rs;
		rows_of(f.exe, &rs);
		struct cmdbuf b = {0};
		for (size_t i = 0; i < rs.n; i++)
			cmd(&b, "echo @@%zu\\n\ninfo line *%#llx\n", i,
			    (unsigned long long)rs.addr[i]);
		char *prog[] = {(char *)f.exe, NULL};
		char *out = gdb_run(b.p, prog);
		size_t same = 0, multi = 0;
		for (size_t i = 0; i < rs.n; i++) {
			char mark[32];
			snprintf(mark, sizeof mark, "@@%zu\n", i);
			const char *p = strstr(out, mark);
			CHECK(p);
			p += strlen(mark);
			int line;
			char file[512];
			unsigned long long start, end;
			/* Line 58 of "F" starts at address 0x15d0 <middle> and ends at 0x15d7
			 * <...>. */
			if (sscanf(p,
			           "Line %d of \"%511[^\"]\" starts at address %llx <%*[^>]> and "
			           "ends at %llx",
			           &line, file, &start, &end) != 4)
				continue;
			struct ptk_line l;
			CHECK_OK(ptk_line_at(f.st, rs.addr[i] + f.bias, &l));
			CHECK_MSG(l.line == line && strcmp(base(l.file), base(file)) == 0,
			          "%s %#llx: ptk %s:%d, gdb %s:%d", opts[o],
			          (unsigned long long)rs.addr[i], l.file, l.line, file, line);
			CHECK_EQ_HEX(l.addr - f.bias, start);
			CHECK_EQ_HEX(l.end - f.bias, end);
			same++;
			multi += rs.nrows[i] > 1;
		}
		th_note("%s: %zu rows agree with gdb, %zu with several rows at one address",
		        opts[o], same, multi);
		CHECK(same > 50);
		CHECK(o == 0 || multi > 10);
		free(b.p);
		free(out);
		fx_close(&f);
	}
}

/* FILE:LINE for every line of the tracee's two files, against `break FILE:LINE`. */
TEST(file_line_breakpoints_against_gdb)
{
	const char *files[] = {"symtest.c", "symtest_other.c"};
	for (int o = 0; o < 2; o++) {
		struct fixture f;
		fx_open(&f, opts[o], 0);
		struct cmdbuf b = {0};
		int nl[2];
		for (int k = 0; k < 2; k++) {
			nl[k] = file_lines(files[k]) + 2;
			for (int l = 1; l <= nl[k]; l++)
				cmd(&b, "echo @@%s:%d\\n\nbreak %s:%d\ninfo breakpoints\ndelete\n",
				    files[k], l, files[k], l);
		}
		cmd(&b, "echo @@end\\n\n");
		char *prog[] = {(char *)f.exe, NULL};
		char *out = gdb_run(b.p, prog);
		int lines = 0, multi = 0, moved = 0;
		for (int k = 0; k < 2; k++) {
			for (int l = 1; l <= nl[k]; l++) {
				char key[64];
				snprintf(key, sizeof key, "%s:%d", files[k], l);
				uint64_t g[16];
				struct ptk_line_loc p[16];
				int gl;
				int ng = gdb_locs(out, key, g, 16, &gl);
				int np = ptk_line_lookup(f.st, files[k], l, p, 16);
				CHECK(ng <= 16 && np <= 16);
				uint64_t pa[16];
				for (int i = 0; i < np; i++)
					pa[i] = p[i].addr - f.bias;
				qsort(g, (size_t)ng, sizeof g[0], u64_cmp);
				qsort(pa, (size_t)np, sizeof pa[0], u64_cmp);
				bool same = ng == np;
				for (int i = 0; same && i < ng; i++)
					same = g[i] == pa[i];
				if (!same) {
					for (int i = 0; i < ng; i++)
						th_note("gdb %s: %#llx", key,
						        (unsigned long long)g[i]);
					for (int i = 0; i < np; i++)
						th_note("ptk %s: %#llx line %d", key,
						        (unsigned long long)pa[i], p[i].line);
				}
				CHECK_MSG(same, "%s %s: gdb has %d locations, ptk %d", opts[o], key,
				          ng, np);
				if (np == 1)
					CHECK_MSG(p[0].line == gl, "%s %s: line %d, gdb %d",
					          opts[o], key, p[0].line, gl);
				for (int i = 0; i < np; i++)
					CHECK(strcmp(base(p[i].file), files[k]) == 0);
				lines += np > 0;
				multi += np > 1;
				moved += np > 0 && p[0].line != l;
			}
		}
		th_note("%s: %d lines with locations (%d with several, %d moved)", opts[o], lines,
		        multi, moved);
		CHECK(lines > 50 && moved > 10);
		/* the tagged lines themselves have code */
		struct ptk_line_loc p[4];
		int rl = tag_line("symtest.c", "read");
		CHECK_EQ_INT(ptk_line_lookup(f.st, "symtest.c", rl, p, 4), 1);
		CHECK_EQ_INT(p[0].line, rl);
		CHECK_EQ_STR(p[0].func, "inner");
		/* suffix matching: whole path components only */
		CHECK_EQ_INT(ptk_line_lookup(f.st, "tracees/symtest.c", rl, p, 4), 1);
		CHECK_EQ_INT(ptk_line_lookup(f.st, "ymtest.c", rl, p, 4), 0);
		CHECK_EQ_INT(ptk_line_lookup(f.st, "/symtest.c", rl, p, 4), 0);
		CHECK_EQ_INT(ptk_line_lookup(f.st, "symtest.c", 100000, p, 4), 0);
		char abs[4200];
		snprintf(abs, sizeof abs, "%s/tests/tracees/symtest.c", PTK_SRCDIR);
		char *real = realpath(abs, NULL);
		CHECK(real);
		CHECK_EQ_INT(ptk_line_lookup(f.st, real, rl, p, 4), 1);
		free(real);
		free(b.p);
		free(out);
		fx_close(&f);
	}
}

/* `break FUNC` for the tracee's functions and some of libc's, against gdb. */
TEST(function_breakpoints_against_gdb)
{
	const char *names[] = {
	        "main",    "inner",  "middle",           "outer",   "leaf", "recurse", "victim",
	        "on_usr1", "helper", "other_entry",      "step_in", "read", "getppid", "puts",
	        "malloc",  "memcpy", "__libc_start_main"};
	size_t nn = sizeof names / sizeof names[0], own = 11; /* the program's own */
	for (int o = 0; o < 2; o++) {
		/* both without ASLR: libc is at the same address under gdb and ptk */
		struct fixture f;
		fx_open(&f, opts[o], PTK_SPAWN_NO_ASLR);
		struct cmdbuf b = {0};
		cmd(&b, "break leaf\nrun\ndelete\n");
		for (size_t i = 0; i < nn; i++)
			cmd(&b, "echo @@%s\\n\nbreak %s\ninfo breakpoints\ndelete\n", names[i],
			    names[i]);
		cmd(&b, "echo @@end\\n\nkill\n");
		char *prog[] = {(char *)f.exe, "deep", "2", NULL};
		char *out = gdb_run(b.p, prog);
		for (size_t i = 0; i < nn; i++) {
			uint64_t g[64], pa[64], fa[64];
			struct ptk_line_loc p[64];
			int gl;
			int ng = gdb_locs(out, names[i], g, 64, &gl);
			int np = ptk_func_lookup(f.st, names[i], PTK_FUNC_EXACT, p, 64);
			CHECK(ng >= 1 && ng <= 64 && np <= 64);
			for (int k = 0; k < np; k++)
				pa[k] = p[k].addr;
			qsort(g, (size_t)ng, sizeof g[0], u64_cmp);
			qsort(pa, (size_t)np, sizeof pa[0], u64_cmp);
			bool same = ng == np;
			for (int k = 0; same && k < ng; k++)
				same = g[k] == pa[k];
			for (int k = 0; !same && k < (ng > np ? ng : np); k++)
				th_note("%s: gdb %#llx ptk %#llx", names[i],
				        (unsigned long long)(k < ng ? g[k] : 0),
				        (unsigned long long)(k < np ? pa[k] : 0));
			CHECK_MSG(same, "%s break %s: gdb %d locations, ptk %d", opts[o], names[i],
			          ng, np);
			if (np == 1 && gl)
				CHECK_MSG(p[0].line == gl, "%s break %s: line %d, gdb %d", opts[o],
				          names[i], p[0].line, gl);
			/* the fast lookup: a subset, the same for the program's own functions */
			int nf = ptk_func_lookup(f.st, names[i], 0, p, 64);
			CHECK(nf >= 1 && nf <= np);
			for (int k = 0; k < nf; k++)
				fa[k] = p[k].addr;
			qsort(fa, (size_t)nf, sizeof fa[0], u64_cmp);
			for (int k = 0, j = 0; k < nf; k++) {
				while (j < np && pa[j] < fa[k])
					j++;
				CHECK_MSG(j < np && pa[j] == fa[k],
				          "break %s: fast %#llx not in gdb's", names[i],
				          (unsigned long long)fa[k]);
			}
			if (i < own)
				CHECK_EQ_INT(nf, np);
			th_note("break %s: %d locations (%d fast)", names[i], np, nf);
		}
		/* the -O0 prologue is skipped, the -O2 code is entered at the start */
		uint64_t inner = exe_sym(&f, "inner");
		struct ptk_line_loc p[4];
		CHECK_EQ_INT(ptk_func_lookup(f.st, "inner", 0, p, 4), 1);
		if (o == 0)
			CHECK(p[0].addr > inner);
		else
			CHECK_EQ_HEX(p[0].addr, inner);
		uint64_t a;
		int line;
		CHECK_OK(ptk_func_breakpoint(f.st, inner, &a, &line));
		CHECK_EQ_HEX(a, p[0].addr);
		CHECK_EQ_INT(line, p[0].line);
		CHECK_EQ_INT(ptk_func_lookup(f.st, "no_such_function", PTK_FUNC_EXACT, p, 4), 0);
		free(b.p);
		free(out);
		fx_close(&f);
	}
}

/* ------------------------------------------------------------------ */
/* Functions, line ranges, DWARF scopes                                */
/* ------------------------------------------------------------------ */

TEST(function_at_and_line_range)
{
	for (int o = 0; o < 2; o++) {
		struct fixture f;
		fx_open(&f, opts[o], 0);
		struct ptk_sym s[2];
		CHECK_EQ_INT(ptk_sym_lookup(f.st, "inner", s, 2), 1);
		struct ptk_func fn;
		CHECK_OK(ptk_func_at(f.st, s[0].addr + 5, &fn));
		CHECK_EQ_STR(fn.name, "inner");
		CHECK_EQ_HEX(fn.entry, s[0].addr);
		CHECK_EQ_HEX(fn.low, s[0].addr);
		CHECK_EQ_HEX(fn.high, s[0].addr + s[0].size);
		CHECK(fn.has_dwarf);
		CHECK_EQ_STR(base(fn.file), "symtest.c");
		CHECK_EQ_INT(fn.line, tag_line("symtest.c", "inner"));
		CHECK_EQ_INT(ptk_func_at(f.st, 0x10, &fn), -ENOENT);

		/* the range of the read(2) line: every byte in it has that line,
		   the bytes around it another */
		int rl = tag_line("symtest.c", "read");
		struct ptk_line_loc loc;
		CHECK_EQ_INT(ptk_line_lookup(f.st, "symtest.c", rl, &loc, 1), 1);
		struct ptk_line r, l;
		CHECK_OK(ptk_line_range(f.st, loc.addr, &r));
		CHECK_EQ_INT(r.line, rl);
		CHECK(r.addr <= loc.addr && loc.addr < r.end);
		for (uint64_t a = r.addr; a < r.end; a++) {
			CHECK_OK(ptk_line_at(f.st, a, &l));
			CHECK_EQ_INT(l.line, rl);
		}
		CHECK(ptk_line_at(f.st, r.addr - 1, &l) < 0 || l.line != rl);
		CHECK(ptk_line_at(f.st, r.end, &l) < 0 || l.line != rl);
		fx_close(&f);
	}
}

TEST(dwarf_scopes_globals_and_modules)
{
	struct fixture f;
	fx_open(&f, "symtest_O2", 0);
	/* inside the copy of step_in inlined into middle */
	struct ptk_line_loc p[4];
	CHECK_EQ_INT(ptk_func_lookup(f.st, "step_in", 0, p, 4), 1);
	struct ptk_dwarf_scopes sc;
	CHECK_OK(ptk_dwarf_scopes_at(f.st, p[0].addr, &sc));
	CHECK(sc.nscopes >= 2 && sc.func > 0 && sc.func < sc.nscopes);
	CHECK_EQ_INT(dwarf_tag(&sc.scopes[sc.func]), DW_TAG_subprogram);
	CHECK_EQ_STR(dwarf_diename(&sc.scopes[sc.func]), "middle");
	int inl = -1;
	for (int i = 0; i < sc.func; i++)
		if (dwarf_tag(&sc.scopes[i]) == DW_TAG_inlined_subroutine)
			inl = i;
	CHECK(inl >= 0);
	Dwarf_Attribute at;
	Dwarf_Die origin;
	CHECK(dwarf_attr(&sc.scopes[inl], DW_AT_abstract_origin, &at));
	CHECK(dwarf_formref_die(&at, &origin));
	CHECK_EQ_STR(dwarf_diename(&origin), "step_in");
	CHECK_EQ_INT(dwarf_tag(&sc.cu), DW_TAG_compile_unit);
	CHECK_EQ_HEX(sc.bias, f.bias);
	ptk_dwarf_scopes_free(&sc);
	CHECK_EQ_INT(ptk_dwarf_scopes_at(f.st, 0x10, &sc), -ENOENT);

	/* the same place described as gdb's backtrace does */
	struct ptk_location loc[4];
	CHECK_EQ_INT(ptk_addr_locate(f.st, p[0].addr, loc, 4), 2);
	CHECK_EQ_STR(loc[0].func, "step_in");
	CHECK(loc[0].inlined);
	CHECK_EQ_INT(loc[0].line, tag_line("symtest.c", "step_in"));
	CHECK_EQ_STR(loc[1].func, "middle");
	CHECK(!loc[1].inlined);
	CHECK_EQ_INT(loc[1].line, tag_line("symtest.c", "for") + 1); /* the call site */
	CHECK_EQ_STR(base(loc[1].file), "symtest.c");
	CHECK_EQ_STR(base(loc[1].module), "symtest_O2");

	/* a global: its DIE, located where the ELF symbol is */
	Dwarf_Die var;
	Dwarf_Addr bias;
	CHECK_OK(ptk_dwarf_global(f.st, "symtest_counter", &var, &bias));
	CHECK_EQ_STR(dwarf_diename(&var), "symtest_counter");
	Dwarf_Op *ops;
	size_t nops;
	CHECK(dwarf_attr(&var, DW_AT_location, &at));
	CHECK_EQ_INT(dwarf_getlocation(&at, &ops, &nops), 0);
	CHECK_EQ_INT(ops[0].atom, DW_OP_addr);
	CHECK_EQ_HEX(ops[0].number + bias, exe_sym(&f, "symtest_counter"));
	CHECK_EQ_INT(ptk_dwarf_global(f.st, "no_such_global", &var, &bias), -ENOENT);

	Dwarf *dw;
	CHECK_OK(ptk_dwarf_module(f.st, 0, &dw, &bias));
	CHECK(dw != NULL);
	CHECK_EQ_HEX(bias, f.bias);
	CHECK_EQ_INT(ptk_dwarf_module(f.st, 1000, &dw, &bias), -EINVAL);
	fx_close(&f);
}

/* ------------------------------------------------------------------ */
/* dlopen                                                              */
/* ------------------------------------------------------------------ */

TEST(refresh_at_r_brk_after_dlopen)
{
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	const char *exe = th_tracee("symtest_O0");
	const char *lib = th_tracee("libsymlib.so");
	char *argv[] = {(char *)exe, "dlopen", (char *)lib, NULL};
	int out;
	pid_t pid = run_to_getppid(s, argv, 0, &out);
	struct ptk_symtab *st;
	CHECK_OK(ptk_symtab_new(s, pid, &st));
	struct ptk_sym sy[4];
	CHECK_EQ_INT(ptk_sym_lookup(st, "symlib_entry", sy, 4), 0);
	struct ptk_module m[16];
	int n0 = ptk_symtab_modules(st, m, 16);

	/* a breakpoint on r_brk, a refresh at each hit, up to the next getppid */
	struct ptk_solibs l;
	CHECK_OK(ptk_solibs_read(s, pid, &l));
	CHECK(l.r_brk != 0);
	int id;
	CHECK_OK(ptk_bp_insert(s, pid, l.r_brk, &id));
	ptk_solibs_free(&l);
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_SYSCALL, 0));
	int hits = 0, changed = 0;
	struct ptk_event ev;
	for (;;) {
		lt_next(s, &ev);
		CHECK(ev.kind != PTK_EV_EXITED);
		if (ev.kind == PTK_EV_SYSCALL_ENTER && ev.sc.nr == NR_getppid_)
			break;
		if (ev.kind == PTK_EV_BREAKPOINT) {
			hits++;
			int r = ptk_symtab_refresh(st);
			CHECK(r == 0 || r == 1);
			changed += r;
		}
		CHECK_OK(lt_resume(s, &ev, PTK_RESUME_SYSCALL));
	}
	/* the loader stops there before (RT_ADD) and after (RT_CONSISTENT) */
	CHECK_EQ_INT(hits, 2);
	CHECK_EQ_INT(changed, 1);
	CHECK_EQ_INT(ptk_symtab_refresh(st), 0);
	int n1 = ptk_symtab_modules(st, m, 16);
	CHECK_EQ_INT(n1, n0 + 1);
	int li = mod_index(m, n1, "/libsymlib.so");
	CHECK_EQ_INT(li, n1 - 1);

	/* its symbols, lines and functions */
	CHECK_EQ_INT(ptk_sym_lookup(st, "symlib_entry", sy, 4), 1);
	CHECK_EQ_STR(sy[0].module, m[li].path);
	CHECK(sy[0].addr >= m[li].start && sy[0].addr < m[li].end);
	int gl = tag_line("symlib.c", "symlib_getppid");
	struct ptk_line_loc p[4];
	CHECK_EQ_INT(ptk_line_lookup(st, "symlib.c", gl, p, 4), 1);
	CHECK(p[0].addr >= m[li].start && p[0].addr < m[li].end);
	CHECK_EQ_STR(p[0].func, "symlib_inner");
	struct ptk_line ln;
	CHECK_OK(ptk_line_at(st, p[0].addr, &ln));
	CHECK_EQ_INT(ln.line, gl);
	CHECK_EQ_INT(ptk_func_lookup(st, "symlib_inner", 0, p, 4), 1);
	CHECK(p[0].addr > m[li].start);
	char buf[64];
	ptk_sym_format(st, sy[0].addr + 4, buf, sizeof buf);
	CHECK_EQ_STR(buf, "symlib_entry+4");

	ptk_symtab_free(st);
	ptk_session_end(s, false, 1000);
	free(lt_slurp(out, 5000));
}
