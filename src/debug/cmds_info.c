/* SPDX-License-Identifier: MIT */
/*
 * info proc [mappings], info sharedlibrary, set/show settings, help.
 */
#include "dbg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>

/*
 * The run-time bounds of a module's .text section, which gdb shows in
 * info sharedlibrary (libptk's modules give the segments' bounds).
 */
static void text_bounds(const struct ptk_module *m, uint64_t *lo, uint64_t *hi)
{
	int fd = open(m->path, O_RDONLY | O_CLOEXEC);
	Elf *e;
	size_t shstr;

	*lo = m->start;
	*hi = m->end;
	if (fd < 0)
		return;
	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (e && elf_getshdrstrndx(e, &shstr) == 0) {
		for (Elf_Scn *scn = elf_nextscn(e, NULL); scn; scn = elf_nextscn(e, scn)) {
			GElf_Shdr sh;
			const char *name;

			if (!gelf_getshdr(scn, &sh))
				continue;
			name = elf_strptr(e, shstr, sh.sh_name);
			if (name && strcmp(name, ".text") == 0) {
				*lo = sh.sh_addr + m->bias;
				*hi = sh.sh_addr + sh.sh_size + m->bias;
				break;
			}
		}
	}
	if (e)
		elf_end(e);
	close(fd);
}

/* The PT_INTERP string of an ELF file ("" if none). */
void elf_interp(const char *file, char *buf, size_t len)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	Elf *e;
	size_t n;

	buf[0] = '\0';
	if (fd < 0)
		return;
	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (e && elf_getphdrnum(e, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			GElf_Phdr ph;

			if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_INTERP)
				continue;
			if (ph.p_filesz < len &&
			    pread(fd, buf, ph.p_filesz, (off_t)ph.p_offset) == (ssize_t)ph.p_filesz)
				buf[ph.p_filesz] = '\0';
			else
				buf[0] = '\0';
			buf[len - 1] = '\0';
			break;
		}
	}
	if (e)
		elf_end(e);
	close(fd);
}

int cmd_info_proc(struct dbg *d, const struct dbg_cmd *c)
{
	pid_t pid = c->has_count ? (pid_t)c->count : d->inf.pid;
	struct ptk_maps m;
	char path[64], buf[4096];
	ssize_t n;
	int r;

	if (!c->has_count && !inf_live(d))
		return derr(d, "No current process: you must name one.");
	dout(d, "process %d\n", (int)pid);
	if (c->kind == DBG_CMD_INFO_PROC) {
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
		f = fopen(path, "re");
		if (f) {
			size_t k = fread(buf, 1, sizeof(buf) - 1, f);

			fclose(f);
			for (size_t i = 0; i + 1 < k; i++)
				if (!buf[i])
					buf[i] = ' ';
			buf[k] = '\0';
			dout(d, "cmdline = '%s'\n", buf);
		}
		snprintf(path, sizeof(path), "/proc/%d/cwd", (int)pid);
		n = readlink(path, buf, sizeof(buf) - 1);
		if (n > 0) {
			buf[n] = '\0';
			dout(d, "cwd = '%s'\n", buf);
		}
		snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
		n = readlink(path, buf, sizeof(buf) - 1);
		if (n > 0) {
			buf[n] = '\0';
			dout(d, "exe = '%s'\n", buf);
		}
		return 0;
	}
	r = ptk_maps_read(pid, &m);
	if (r < 0)
		return derr(d, "Unable to open /proc file '/proc/%d/maps'", (int)pid);
	dout(d, "Mapped address spaces:\n\n");
	dout(d, "          Start Addr           End Addr       Size     Offset  Perms  objfile\n");
	for (size_t i = 0; i < m.n; i++) {
		const struct ptk_map *p = &m.v[i];
		char perms[5] = {p->prot & PTK_PROT_R ? 'r' : '-', p->prot & PTK_PROT_W ? 'w' : '-',
		                 p->prot & PTK_PROT_X ? 'x' : '-',
		                 p->prot & PTK_MAP_SHARED ? 's' : 'p', 0};
		char a[32], b[32], s[32], o[32];

		snprintf(a, sizeof(a), "0x%llx", (unsigned long long)p->start);
		snprintf(b, sizeof(b), "0x%llx", (unsigned long long)p->end);
		snprintf(s, sizeof(s), "0x%llx", (unsigned long long)(p->end - p->start));
		snprintf(o, sizeof(o), "0x%llx", (unsigned long long)p->offset);
		dout(d, "%20s %18s %10s %10s  %s   %s\n", a, b, s, o, perms,
		     p->path ? p->path : "");
	}
	ptk_maps_free(&m);
	return 0;
}

static const char solib_header[] = "From                To                  Syms Read   Shared "
                                   "Object Library\n";

void solib_remember_loader(struct dbg *d)
{
	struct ptk_symtab *st = d->inf.state == INF_LIVE ? d->inf.st : NULL;
	struct ptk_module mods[256];
	char interp[256] = "";
	int n = st ? ptk_symtab_modules(st, mods, 256) : 0;

	if (n <= 0)
		return;
	/* the process may be gone: the loader is named by the program file */
	if (d->prog_path)
		elf_interp(d->prog_path, interp, sizeof(interp));
	for (int i = 0; i < n && i < 256 && interp[0]; i++) {
		char *a = realpath(interp, NULL), *b = realpath(mods[i].path, NULL);
		bool same = a && b && strcmp(a, b) == 0;

		free(a);
		free(b);
		if (!same || mods[i].is_exe)
			continue;
		text_bounds(&mods[i], &d->loader_lo, &d->loader_hi);
		snprintf(d->loader_name, sizeof(d->loader_name), "%s", interp);
		d->loader_known = true;
		return;
	}
}

int cmd_info_sharedlibrary(struct dbg *d, const struct dbg_cmd *c)
{
	struct ptk_symtab *st = inf_live(d) ? inf_symtab(d) : NULL;
	struct ptk_module mods[256];
	int n = 0, shown = 0;

	(void)c;
	if (!st && d->loader_known) {
		/*
		 * The program has exited or was killed: gdb still lists the
		 * dynamic loader of the last run (it forgets the libraries the
		 * loader brought in).
		 */
		dout(d, "%s0x%016llx  0x%016llx  Yes         %s\n", solib_header,
		     (unsigned long long)d->loader_lo, (unsigned long long)d->loader_hi,
		     d->loader_name);
		return 0;
	}
	if (st)
		n = ptk_symtab_modules(st, mods, 256);
	if (n > 256)
		n = 256;
	/*
	 * gdb lists the objects in the order it learnt of them: the dynamic
	 * loader (by the program's PT_INTERP) first, then the link map's.
	 */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < n; i++) {
			uint64_t lo = 0, hi = 0;
			const char *name;

			if (mods[i].is_exe || mods[i].is_vdso)
				continue;
			name = module_name(d, &mods[i]);
			if ((pass == 0) != (d->interp[0] && strcmp(name, d->interp) == 0))
				continue;
			if (!shown++)
				dout(d, "%s", solib_header);
			/* gdb shows the bounds of .text; the executable segment is close. */
			text_bounds(&mods[i], &lo, &hi);
			dout(d, "0x%016llx  0x%016llx  Yes         %s\n", (unsigned long long)lo,
			     (unsigned long long)hi, name);
		}
	if (!shown)
		dout(d, "No shared libraries loaded at this time.\n");
	return 0;
}

static bool on_off(const char *v, bool *ret)
{
	if (!v || !*v || strcmp(v, "on") == 0 || strcmp(v, "1") == 0 || strcmp(v, "yes") == 0) {
		*ret = true;
		return true;
	}
	if (strcmp(v, "off") == 0 || strcmp(v, "0") == 0 || strcmp(v, "no") == 0) {
		*ret = false;
		return true;
	}
	return false;
}

int cmd_set_option(struct dbg *d, const struct dbg_cmd *c)
{
	const char *what = c->nargs ? c->args[0] : "";
	const char *val = c->nargs > 1 ? c->args[c->nargs - 1] : NULL;
	bool b;

	if (strcmp(what, "confirm") == 0 && on_off(val, &b)) {
		d->confirm = b;
	} else if (strcmp(what, "listsize") == 0 && val) {
		d->listsize = atoi(val);
	} else if (strcmp(what, "disable-randomization") == 0 && on_off(val, &b)) {
		d->no_aslr = b;
	} else if (strcmp(what, "follow-fork-mode") == 0 && val) {
		if (strcmp(val, "parent") != 0)
			return derr(d,
			            "ptk debug follows the parent only (follow-fork-mode parent).");
	} else if (strcmp(what, "detach-on-fork") == 0 && on_off(val, &b)) {
		if (!b)
			return derr(d, "ptk debug detaches fork children (detach-on-fork on).");
	} else if (strcmp(what, "args") == 0) {
		const char *p = c->expr + 4;

		while (*p == ' ')
			p++;
		return set_run_args(d, p);
	} else if (strcmp(what, "print") == 0 || strcmp(what, "pagination") == 0 ||
	           strcmp(what, "width") == 0 || strcmp(what, "height") == 0 ||
	           strcmp(what, "verbose") == 0 || strcmp(what, "language") == 0 ||
	           strcmp(what, "history") == 0 || strcmp(what, "logging") == 0 ||
	           strcmp(what, "startup-with-shell") == 0 || strcmp(what, "step-mode") == 0 ||
	           strcmp(what, "scheduler-locking") == 0 ||
	           strcmp(what, "can-use-hw-watchpoints") == 0 ||
	           strcmp(what, "auto-solib-add") == 0 || strcmp(what, "non-stop") == 0 ||
	           strcmp(what, "disassembly-flavor") == 0) {
		/* Accepted for scripts written for gdb; ptk behaves as their defaults. */
		if (strcmp(what, "print") == 0 && c->nargs >= 2 &&
		    strcmp(c->args[1], "pretty") == 0)
			on_off(c->nargs > 2 ? c->args[2] : NULL, &d->print_pretty);
		if (strcmp(what, "disassembly-flavor") == 0 && val && strcmp(val, "att") != 0)
			return derr(d, "ptk debug disassembles in AT&T syntax only.");
	} else {
		return derr(d, "Undefined set command: \"%s\".  Try \"help set\".", c->expr);
	}
	return 0;
}

int cmd_show(struct dbg *d, const struct dbg_cmd *c)
{
	const char *w = c->expr ? c->expr : "";

	if (strcmp(w, "args") == 0) {
		struct dbg_buf b = {0};

		for (size_t i = 0; i < d->nargs; i++)
			dbg_buf_printf(&b, "%s%s", i ? " " : "", d->args[i]);
		dout(d,
		     "Argument list to give program being debugged when it is started is \"%s\".\n",
		     dbg_buf_str(&b));
		dbg_buf_free(&b);
	} else if (strcmp(w, "listsize") == 0) {
		dout(d, "Number of source lines gdb will list by default is %d.\n", d->listsize);
	} else if (strcmp(w, "confirm") == 0) {
		dout(d, "Whether to confirm potentially dangerous operations is %s.\n",
		     d->confirm ? "on" : "off");
	} else if (strcmp(w, "version") == 0) {
		dout(d, "ptk debug %s\n", ptk_version());
	} else if (strcmp(w, "disable-randomization") == 0) {
		dout(d, "Disabling randomization of debuggee's virtual address space is %s.\n",
		     d->no_aslr ? "on" : "off");
	} else if (strcmp(w, "follow-fork-mode") == 0) {
		dout(d, "Debugger response to a program call of fork or vfork is \"parent\".\n");
	} else if (strcmp(w, "detach-on-fork") == 0) {
		dout(d, "Whether gdb will detach the child of a fork is on.\n");
	} else {
		return derr(d, "Undefined show command: \"%s\".  Try \"help show\".", w);
	}
	return 0;
}

int cmd_help(struct dbg *d, const struct dbg_cmd *c)
{
	struct dbg_buf b = {0};
	char e[256];
	struct dbg_buf topic = {0};
	int r;

	for (size_t i = 0; i < c->nargs; i++)
		dbg_buf_printf(&topic, "%s%s", i ? " " : "", c->args[i]);
	r = dbg_cmd_help(c->nargs ? dbg_buf_str(&topic) : NULL, &b, e, sizeof(e));
	dbg_buf_free(&topic);
	if (r < 0) {
		dbg_buf_free(&b);
		return derr(d, "%s", e);
	}
	dout(d, "%s", dbg_buf_str(&b));
	if (b.len && b.s[b.len - 1] != '\n')
		dout(d, "\n");
	dbg_buf_free(&b);
	return 0;
}
