/* SPDX-License-Identifier: MIT */
/*
 * Symbol tables of traced processes: the modules (executable, shared
 * objects, vDSO) reported to a libdwfl session by ptk itself, their ELF
 * symbols indexed by name on first use, and PLT entries named "f@plt".
 *
 * libdwfl is told where each module lies with dwfl_report_elf() (a file
 * descriptor and the load bias from the auxiliary vector or the link map),
 * never through dwfl_linux_proc_report()/dwfl_linux_proc_attach(): those
 * read /proc/PID/maps themselves and ptrace the process, and only ptk's
 * session may do that.  dwfl_report_elf() reads the ELF and program
 * headers only; symbol tables and DWARF are read when first asked for.
 *
 * Module identity is the run-time address of its dynamic section (l_ld of
 * the link map): unique per loaded object, and known before the loader
 * has run for the loader itself and the vDSO (from their program headers),
 * so the modules reported at the exec stop are kept when the link map
 * lists them later.
 */
#include "internal.h"
#include "sym_internal.h"

#include <elf.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* The libdwfl session                                                 */
/* ------------------------------------------------------------------ */

/* Every module comes with its ELF (dwfl_report_elf): nothing to find. */
static int no_find_elf(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
                       char **file_name, Elf **elfp)
{
	*elfp = NULL;
	return -1;
}

/* NULL: libdwfl's default path (":.debug:/usr/lib/debug"), build-ids included. */
static char *debuginfo_path;

static const Dwfl_Callbacks dwfl_callbacks = {
        .find_elf = no_find_elf,
        .find_debuginfo = dwfl_standard_find_debuginfo,
        .section_address = dwfl_offline_section_address,
        .debuginfo_path = &debuginfo_path,
};

static void mod_free(struct mod *m)
{
	if (!m)
		return;
	dw_mod_free(m);
	for (size_t i = 0; i < m->nplt; i++)
		free(m->plt[i].name);
	free(m->plt);
	free(m->syms);
	free(m->buckets);
	free(m->name);
	free(m->path);
	free(m);
}

/* The run-time address of the module's dynamic section (0 if none). */
static uint64_t dynamic_addr(Elf *e, uint64_t bias)
{
	size_t n;
	if (!e || elf_getphdrnum(e, &n) != 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (gelf_getphdr(e, (int)i, &ph) && ph.p_type == PT_DYNAMIC)
			return ph.p_vaddr + bias;
	}
	return 0;
}

/*
 * Report the ELF file open on fd (consumed) as module name, loaded with
 * bias (ET_DYN; ignored for ET_EXEC).  NULL when libdwfl refuses it.
 */
static struct mod *mod_report(struct ptk_symtab *st, const char *name, const char *path, int fd,
                              uint64_t bias)
{
	struct mod *m = calloc(1, sizeof *m);
	char *n = strdup(name), *p = strdup(path);
	if (!m || !n || !p) {
		close(fd);
		free(m);
		free(n);
		free(p);
		return NULL;
	}
	/*
	 * add_p_vaddr true: the module's addresses are its p_vaddr plus
	 * bias, which is what l_addr and the PIE load bias are (a prelinked
	 * object has p_vaddr != 0).
	 */
	Dwfl_Module *dm = dwfl_report_elf(st->dwfl, n, p, fd, bias, true);
	if (!dm) {
		close(fd);
		free(m);
		free(n);
		free(p);
		return NULL;
	}
	m->dm = dm;
	m->name = n;
	m->path = p;
	void **ud;
	dwfl_module_info(dm, &ud, &m->start, &m->end, NULL, NULL, NULL, NULL);
	*ud = m;
	GElf_Addr b = 0;
	Elf *e = dwfl_module_getelf(dm, &b);
	m->bias = b;
	m->l_ld = dynamic_addr(e, b);
	return m;
}

static int mods_push(struct ptk_symtab *st, struct mod ***v, size_t *n, struct mod *m)
{
	struct mod **nv = realloc(*v, (*n + 1) * sizeof *nv);
	if (!nv)
		return -ENOMEM;
	nv[(*n)++] = m;
	*v = nv;
	return 0;
}

/* The mapping of path in maps whose start is lowest, or NULL. */
static const struct ptk_map *map_of_start(const struct ptk_maps *mp, uint64_t start)
{
	for (size_t i = 0; i < mp->n; i++)
		if (mp->v[i].start == start && mp->v[i].offset == 0 && mp->v[i].path[0] == '/')
			return &mp->v[i];
	return NULL;
}

/*
 * Open the file of a loaded object: its link-map name, the same name in
 * the process's root, or the mapping at its load address through
 * /proc/PID/map_files (which also opens a deleted file).  *ret_path gets
 * the name opened (static storage of the caller's buffer).
 */
static int open_object(struct ptk_symtab *st, const char *name, uint64_t l_addr,
                       struct ptk_maps *mp, bool *have_maps, char *buf, size_t len)
{
	int fd = -1;
	if (name[0] == '/') {
		snprintf(buf, len, "%s", name);
		fd = open(buf, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			snprintf(buf, len, "/proc/%d/root%s", st->pid, name);
			fd = open(buf, O_RDONLY | O_CLOEXEC);
		}
	}
	if (fd >= 0)
		return fd;
	if (!*have_maps) {
		if (ptk_maps_read(st->pid, mp) < 0)
			return -1;
		*have_maps = true;
	}
	const struct ptk_map *m = map_of_start(mp, l_addr);
	if (!m)
		return -1;
	snprintf(buf, len, "/proc/%d/map_files/%" PRIx64 "-%" PRIx64, st->pid, m->start, m->end);
	fd = open(buf, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		snprintf(buf, len, "%s", m->path);
	return fd;
}

/* Report the vDSO from the process's memory (it has no file). */
static struct mod *report_vdso(struct ptk_symtab *st, struct ptk_maps *mp, bool *have_maps)
{
	if (!*have_maps) {
		if (ptk_maps_read(st->pid, mp) < 0)
			return NULL;
		*have_maps = true;
	}
	const struct ptk_map *vm = ptk_maps_find(mp, st->vdso_ehdr);
	if (!vm || vm->end - st->vdso_ehdr > (1u << 20))
		return NULL;
	size_t len = vm->end - st->vdso_ehdr;
	void *img = malloc(len);
	if (!img)
		return NULL;
	struct mod *m = NULL;
	int fd = -1;
	if (ptk_mem_read(st->s, st->pid, st->vdso_ehdr, img, len, NULL) == 0)
		fd = memfd_create("ptk-vdso", MFD_CLOEXEC);
	if (fd >= 0 && write(fd, img, len) == (ssize_t)len && lseek(fd, 0, SEEK_SET) == 0) {
		/* the vDSO's first segment is at p_vaddr 0 of its image */
		m = mod_report(st, "[vdso]", "[vdso]", fd, st->vdso_ehdr);
		fd = -1;
		if (m)
			m->is_vdso = true;
	}
	if (fd >= 0)
		close(fd);
	free(img);
	return m;
}

static uint32_t fnv(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n && s[i]; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

/* Keys of the link map's objects (index 0, the executable, excluded). */
static uint64_t *lm_keys_of(const struct ptk_solibs *l, size_t *ret_n)
{
	*ret_n = l->n > 1 ? (l->n - 1) * 3 : 0;
	uint64_t *k = malloc((*ret_n + 1) * sizeof *k);
	if (!k)
		return NULL;
	for (size_t i = 1; i < l->n; i++) {
		k[(i - 1) * 3] = l->v[i].l_ld;
		k[(i - 1) * 3 + 1] = l->v[i].l_addr;
		k[(i - 1) * 3 + 2] = fnv(l->v[i].name, SIZE_MAX);
	}
	return k;
}

static bool is_vdso_name(const char *n)
{
	return strncmp(n, "linux-vdso", 10) == 0 || strncmp(n, "linux-gate", 10) == 0;
}

/*
 * Report the modules anew: the executable, then the objects of the link
 * map l (or, when l is empty, the loader at AT_BASE and the vDSO), keeping
 * the modules already known (same l_ld and bias) and freeing the others.
 */
static int rebuild(struct ptk_symtab *st, const struct ptk_solibs *l)
{
	struct ptk_maps maps = {0};
	bool have_maps = false;
	struct mod **nv = NULL;
	size_t nn = 0;
	int r = 0;
	char path[4200];

	for (size_t i = 1; i < st->nmods; i++)
		st->mods[i]->keep = false;
	dwfl_report_begin(st->dwfl);
	struct mod *exe = st->mods[0];
	dwfl_report_module(st->dwfl, exe->name, exe->start, exe->end);
	if (mods_push(st, &nv, &nn, exe) < 0)
		goto nomem;

	if (l && l->n > 0) {
		for (size_t i = 1; i < l->n; i++) {
			const struct ptk_solib *so = &l->v[i];
			if (so->l_ld == exe->l_ld && so->l_addr == exe->bias)
				continue;
			struct mod *m = NULL;
			for (size_t j = 1; j < st->nmods && !m; j++)
				if (!st->mods[j]->keep && st->mods[j]->l_ld == so->l_ld &&
				    st->mods[j]->bias == so->l_addr)
					m = st->mods[j];
			if (m) {
				dwfl_report_module(st->dwfl, m->name, m->start, m->end);
			} else if (st->vdso_ehdr &&
			           (is_vdso_name(so->name) || so->l_addr == st->vdso_ehdr)) {
				m = report_vdso(st, &maps, &have_maps);
			} else {
				int fd = open_object(st, so->name, so->l_addr, &maps, &have_maps,
				                     path, sizeof path);
				if (fd >= 0)
					m = mod_report(st, so->name[0] ? so->name : path, path, fd,
					               so->l_addr);
			}
			if (!m)
				continue; /* a file we cannot open: no symbols for it */
			m->keep = true;
			if (mods_push(st, &nv, &nn, m) < 0)
				goto nomem;
		}
	} else {
		/* before the loader has run: the loader itself and the vDSO */
		uint64_t base = 0;
		struct mod *m = NULL;
		for (size_t j = 1; j < st->nmods; j++)
			st->mods[j]->keep = true;
		if (st->nmods == 1 && ptk_auxv_get(st->pid, AT_BASE, &base) == 0 && base) {
			int fd = open_object(st, "", base, &maps, &have_maps, path, sizeof path);
			if (fd >= 0 && (m = mod_report(st, path, path, fd, base)) != NULL) {
				m->keep = true;
				if (mods_push(st, &nv, &nn, m) < 0)
					goto nomem;
			}
			if (st->vdso_ehdr && (m = report_vdso(st, &maps, &have_maps)) != NULL) {
				m->keep = true;
				if (mods_push(st, &nv, &nn, m) < 0)
					goto nomem;
			}
		} else {
			for (size_t j = 1; j < st->nmods; j++) {
				m = st->mods[j];
				dwfl_report_module(st->dwfl, m->name, m->start, m->end);
				if (mods_push(st, &nv, &nn, m) < 0)
					goto nomem;
			}
		}
	}
	goto out;
nomem:
	r = -ENOMEM;
out:
	dwfl_report_end(st->dwfl, NULL, NULL);
	if (r == 0) {
		for (size_t i = 1; i < st->nmods; i++)
			if (!st->mods[i]->keep)
				mod_free(st->mods[i]);
		free(st->mods);
		st->mods = nv;
		st->nmods = nn;
	} else {
		/* keep the old list; modules reported anew are lost to it */
		for (size_t i = 1; i < nn; i++) {
			bool old = false;
			for (size_t j = 1; j < st->nmods; j++)
				old |= st->mods[j] == nv[i];
			if (!old)
				mod_free(nv[i]);
		}
		free(nv);
	}
	if (have_maps)
		ptk_maps_free(&maps);
	return r;
}

int ptk_symtab_new(struct ptk_session *s, pid_t pid, struct ptk_symtab **ret)
{
	*ret = NULL;
	elf_version(EV_CURRENT);
	struct ptk_symtab *st = calloc(1, sizeof *st);
	if (!st)
		return -ENOMEM;
	st->s = s;
	st->pid = pid;
	int r = -ENOMEM;
	st->dwfl = dwfl_begin(&dwfl_callbacks);
	if (!st->dwfl)
		goto fail;

	uint64_t bias, dyn;
	r = ptk_exe_load_bias(s, pid, &bias, &dyn);
	if (r < 0)
		goto fail;
	if (ptk_auxv_get(pid, AT_SYSINFO_EHDR, &st->vdso_ehdr) < 0)
		st->vdso_ehdr = 0;

	char link[64], path[4096];
	snprintf(link, sizeof link, "/proc/%d/exe", pid);
	ssize_t n = readlink(link, path, sizeof path - 1);
	if (n < 0) {
		r = errno == ENOENT ? -ESRCH : -errno;
		goto fail;
	}
	path[n] = 0;
	if (n > 10 && strcmp(path + n - 10, " (deleted)") == 0)
		path[n - 10] = 0;
	int fd = open(link, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = errno == ENOENT ? -ESRCH : -errno;
		goto fail;
	}
	dwfl_report_begin(st->dwfl);
	struct mod *exe = mod_report(st, path, path, fd, bias);
	dwfl_report_end(st->dwfl, NULL, NULL);
	if (!exe) {
		r = -ENOEXEC;
		goto fail;
	}
	exe->is_exe = true;
	if (mods_push(st, &st->mods, &st->nmods, exe) < 0) {
		mod_free(exe);
		r = -ENOMEM;
		goto fail;
	}

	struct ptk_solibs l;
	if (ptk_solibs_read(s, pid, &l) < 0)
		memset(&l, 0, sizeof l);
	r = rebuild(st, &l);
	if (r == 0 && l.n > 0)
		st->lm_keys = lm_keys_of(&l, &st->nlm_keys);
	ptk_solibs_free(&l);
	if (r < 0)
		goto fail;
	*ret = st;
	return 0;
fail:
	ptk_symtab_free(st);
	return r;
}

/*
 * The seam for fuzzing the ELF/DWARF loader (fuzz/symbols): a symbol table of one ELF
 * file and no process.  See sym_internal.h.
 */
int sym_open_file(const char *path, uint64_t bias, struct ptk_symtab **ret)
{
	*ret = NULL;
	elf_version(EV_CURRENT);
	struct ptk_symtab *st = calloc(1, sizeof *st);
	if (!st)
		return -ENOMEM;
	int r = -ENOMEM;
	st->dwfl = dwfl_begin(&dwfl_callbacks);
	if (!st->dwfl)
		goto fail;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		goto fail;
	}
	dwfl_report_begin(st->dwfl);
	struct mod *exe = mod_report(st, path, path, fd, bias);
	dwfl_report_end(st->dwfl, NULL, NULL);
	if (!exe) {
		r = -ENOEXEC;
		goto fail;
	}
	exe->is_exe = true;
	if (mods_push(st, &st->mods, &st->nmods, exe) < 0) {
		mod_free(exe);
		r = -ENOMEM;
		goto fail;
	}
	*ret = st;
	return 0;
fail:
	ptk_symtab_free(st);
	return r;
}

void ptk_symtab_free(struct ptk_symtab *st)
{
	if (!st)
		return;
	if (st->dwfl)
		dwfl_end(st->dwfl);
	for (size_t i = 0; i < st->nmods; i++)
		mod_free(st->mods[i]);
	free(st->mods);
	free(st->lm_keys);
	free(st->pages);
	free(st);
}

int ptk_symtab_refresh(struct ptk_symtab *st)
{
	struct ptk_solibs l;
	int r = ptk_solibs_read(st->s, st->pid, &l);
	if (r < 0)
		return r;
	/* RT_ADD / RT_DELETE: the list is being changed; wait for RT_CONSISTENT */
	if (l.n == 0 || l.r_state != 0) {
		ptk_solibs_free(&l);
		return 0;
	}
	size_t nk;
	uint64_t *k = lm_keys_of(&l, &nk);
	if (!k) {
		ptk_solibs_free(&l);
		return -ENOMEM;
	}
	if (nk == st->nlm_keys && memcmp(k, st->lm_keys, nk * sizeof *k) == 0) {
		free(k);
		ptk_solibs_free(&l);
		return 0;
	}
	r = rebuild(st, &l);
	ptk_solibs_free(&l);
	if (r < 0) {
		free(k);
		return r;
	}
	free(st->lm_keys);
	st->lm_keys = k;
	st->nlm_keys = nk;
	return 1;
}

pid_t ptk_symtab_pid(const struct ptk_symtab *st)
{
	return st->pid;
}

static void mod_info(const struct mod *m, struct ptk_module *ret)
{
	ret->name = m->name;
	ret->path = m->path;
	ret->start = m->start;
	ret->end = m->end;
	ret->bias = m->bias;
	ret->is_exe = m->is_exe;
	ret->is_vdso = m->is_vdso;
}

int ptk_symtab_modules(struct ptk_symtab *st, struct ptk_module *ret, size_t max)
{
	for (size_t i = 0; i < st->nmods && i < max; i++)
		mod_info(st->mods[i], &ret[i]);
	return (int)st->nmods;
}

struct mod *sym_mod_at(struct ptk_symtab *st, uint64_t addr)
{
	Dwfl_Module *dm = dwfl_addrmodule(st->dwfl, addr);
	if (!dm)
		return NULL;
	void **ud;
	dwfl_module_info(dm, &ud, NULL, NULL, NULL, NULL, NULL, NULL);
	return ud ? *ud : NULL;
}

int ptk_symtab_module_at(struct ptk_symtab *st, uint64_t addr, struct ptk_module *ret)
{
	struct mod *m = sym_mod_at(st, addr);
	if (!m)
		return -ENOENT;
	mod_info(m, ret);
	return 0;
}

/* ------------------------------------------------------------------ */
/* ELF symbols                                                         */
/* ------------------------------------------------------------------ */

/* Length of a symbol name without its version ("malloc@@GLIBC_2.2.5" -> 6). */
static size_t base_len(const char *name)
{
	const char *at = strchr(name, '@');
	return at ? (size_t)(at - name) : strlen(name);
}

static enum ptk_sym_type sym_type(unsigned t)
{
	switch (t) {
	case STT_FUNC:
		return PTK_SYM_FUNC;
	case STT_GNU_IFUNC:
		return PTK_SYM_IFUNC;
	case STT_OBJECT:
	case STT_COMMON:
		return PTK_SYM_OBJECT;
	case STT_TLS:
		return PTK_SYM_TLS;
	default:
		return PTK_SYM_OTHER;
	}
}

/* Read the module's symbol table and index it by name (once). */
int sym_load(struct mod *m)
{
	if (m->syms_done)
		return 0;
	m->syms_done = true;
	int n = dwfl_module_getsymtab(m->dm);
	if (n <= 0)
		return 0;
	m->syms = calloc((size_t)n, sizeof *m->syms);
	size_t nb = 64;
	while (nb < (size_t)n)
		nb *= 2;
	m->buckets = malloc(nb * sizeof *m->buckets);
	if (!m->syms || !m->buckets) {
		free(m->syms);
		free(m->buckets);
		m->syms = NULL;
		m->buckets = NULL;
		return -ENOMEM;
	}
	m->nbuckets = nb;
	memset(m->buckets, 0xff, nb * sizeof *m->buckets);
	for (int i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		GElf_Word shndx;
		const char *name =
		        dwfl_module_getsym_info(m->dm, i, &sym, &addr, &shndx, NULL, NULL);
		unsigned t = GELF_ST_TYPE(sym.st_info);
		if (!name || !name[0] || shndx == SHN_UNDEF || shndx == SHN_ABS ||
		    t == STT_SECTION || t == STT_FILE)
			continue;
		struct sym_ent *e = &m->syms[m->nsyms];
		e->name = name;
		e->addr = addr;
		e->size = sym.st_size;
		e->type = (uint8_t)sym_type(t);
		e->global = GELF_ST_BIND(sym.st_info) != STB_LOCAL;
		e->hash = fnv(name, base_len(name));
		e->next = m->buckets[e->hash & (nb - 1)];
		m->buckets[e->hash & (nb - 1)] = (uint32_t)m->nsyms;
		m->nsyms++;
	}
	return 0;
}

struct reloc {
	uint64_t got;
	const char *name;
};

static int reloc_cmp(const void *a, const void *b)
{
	const struct reloc *x = a, *y = b;
	return x->got < y->got ? -1 : x->got > y->got;
}

static int plt_cmp(const void *a, const void *b)
{
	const struct plt_ent *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* The GOT slots that the loader fills with a symbol's address. */
static size_t plt_relocs(Elf *e, struct reloc **ret)
{
	size_t n = 0, cap = 0;
	*ret = NULL;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_RELA || sh.sh_entsize == 0)
			continue;
		Elf_Scn *symscn = elf_getscn(e, sh.sh_link);
		GElf_Shdr symsh;
		Elf_Data *rd = elf_getdata(scn, NULL);
		Elf_Data *sd = symscn ? elf_getdata(symscn, NULL) : NULL;
		if (!rd || !sd || !gelf_getshdr(symscn, &symsh))
			continue;
		size_t cnt = sh.sh_size / sh.sh_entsize;
		for (size_t i = 0; i < cnt; i++) {
			GElf_Rela ra;
			GElf_Sym sym;
			if (!gelf_getrela(rd, (int)i, &ra))
				break;
			unsigned type = GELF_R_TYPE(ra.r_info);
			size_t si = GELF_R_SYM(ra.r_info);
			if ((type != R_X86_64_JUMP_SLOT && type != R_X86_64_GLOB_DAT) || si == 0 ||
			    !gelf_getsym(sd, (int)si, &sym))
				continue;
			const char *name = elf_strptr(e, symsh.sh_link, sym.st_name);
			if (!name || !name[0])
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				struct reloc *nv = realloc(*ret, cap * sizeof *nv);
				if (!nv)
					return n;
				*ret = nv;
			}
			(*ret)[n].got = ra.r_offset;
			(*ret)[n].name = name;
			n++;
		}
	}
	if (n)
		qsort(*ret, n, sizeof **ret, reloc_cmp);
	return n;
}

static const char *reloc_find(const struct reloc *v, size_t n, uint64_t got)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].got < got)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo].got == got ? v[lo].name : NULL;
}

/*
 * Where the PLT entry at p (avail bytes) jumps through: an indirect
 * `jmp *disp32(%rip)` (ff 25), possibly after endbr64 (f3 0f 1e fa) and a
 * bnd prefix (f2), is the only form whose target is a GOT slot.  Returns
 * the offset of the instruction's end, or 0.
 */
static size_t plt_jmp(const uint8_t *p, size_t avail, int32_t *disp)
{
	static const uint8_t endbr[4] = {0xf3, 0x0f, 0x1e, 0xfa};
	size_t k = 0;
	if (avail >= 4 && memcmp(p, endbr, 4) == 0)
		k = 4;
	if (k < avail && p[k] == 0xf2)
		k++;
	if (k + 6 > avail || p[k] != 0xff || p[k + 1] != 0x25)
		return 0;
	memcpy(disp, p + k + 2, 4);
	return k + 6;
}

/*
 * Name the PLT entries ("puts@plt") as gdb does: ELF has no symbols for
 * them, so decode each entry of .plt, .plt.sec and .plt.got, take the GOT
 * slot it jumps through and the symbol of the relocation of that slot.
 */
static void plt_load(struct mod *m)
{
	m->plt_done = true;
	GElf_Addr bias;
	Elf *e = dwfl_module_getelf(m->dm, &bias);
	size_t shstrndx;
	if (!e || elf_getshdrstrndx(e, &shstrndx) != 0)
		return;
	struct reloc *rel;
	size_t nrel = plt_relocs(e, &rel);
	size_t cap = 0;
	Elf_Scn *scn = NULL;
	while (nrel && (scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS)
			continue;
		const char *sn = elf_strptr(e, shstrndx, sh.sh_name);
		if (!sn || (strcmp(sn, ".plt") != 0 && strcmp(sn, ".plt.sec") != 0 &&
		            strcmp(sn, ".plt.got") != 0))
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf)
			continue;
		size_t es = sh.sh_entsize >= 8 ? sh.sh_entsize : 16;
		const uint8_t *b = d->d_buf;
		for (size_t off = 0; off + es <= d->d_size; off += es) {
			int32_t disp;
			size_t end = plt_jmp(b + off, es, &disp);
			if (!end)
				continue;
			const char *name =
			        reloc_find(rel, nrel, sh.sh_addr + off + end + (int64_t)disp);
			if (!name)
				continue;
			if (m->nplt == cap) {
				cap = cap ? cap * 2 : 32;
				struct plt_ent *nv = realloc(m->plt, cap * sizeof *nv);
				if (!nv)
					break;
				m->plt = nv;
			}
			size_t len = strlen(name) + 5;
			char *pn = malloc(len);
			if (!pn)
				break;
			snprintf(pn, len, "%s@plt", name);
			m->plt[m->nplt].addr = sh.sh_addr + off + bias;
			m->plt[m->nplt].size = es;
			m->plt[m->nplt].name = pn;
			m->nplt++;
		}
	}
	free(rel);
	if (m->nplt)
		qsort(m->plt, m->nplt, sizeof *m->plt, plt_cmp);
}

static void plt_sym(const struct mod *m, const struct plt_ent *p, struct ptk_sym *ret)
{
	ret->name = p->name;
	ret->addr = p->addr;
	ret->size = p->size;
	ret->offset = 0;
	ret->type = PTK_SYM_PLT;
	ret->global = false;
	ret->module = m->path;
}

bool sym_find(struct mod *m, uint64_t addr, struct ptk_sym *ret)
{
	if (!m->plt_done)
		plt_load(m);
	size_t lo = 0, hi = m->nplt;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->plt[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && addr < m->plt[lo - 1].addr + m->plt[lo - 1].size) {
		plt_sym(m, &m->plt[lo - 1], ret);
		ret->offset = addr - ret->addr;
		return true;
	}
	GElf_Off off;
	GElf_Sym sym;
	const char *name = dwfl_module_addrinfo(m->dm, addr, &off, &sym, NULL, NULL, NULL);
	if (!name || !name[0])
		return false;
	ret->name = name;
	ret->addr = addr - off;
	ret->size = sym.st_size;
	ret->offset = off;
	ret->type = sym_type(GELF_ST_TYPE(sym.st_info));
	ret->global = GELF_ST_BIND(sym.st_info) != STB_LOCAL;
	ret->module = m->path;
	return true;
}

int ptk_sym_at(struct ptk_symtab *st, uint64_t addr, struct ptk_sym *ret)
{
	struct mod *m = sym_mod_at(st, addr);
	if (!m || !sym_find(m, addr, ret))
		return -ENOENT;
	return 0;
}

int ptk_sym_format(struct ptk_symtab *st, uint64_t addr, char *buf, size_t len)
{
	struct ptk_sym s;
	if (ptk_sym_at(st, addr, &s) < 0)
		return snprintf(buf, len, "%#" PRIx64, addr);
	/* without a version: "__libc_start_main+133", not "...@@GLIBC_2.34+133" */
	int nl = (int)base_len(s.name);
	if (s.type == PTK_SYM_PLT)
		nl = (int)strlen(s.name);
	if (s.offset)
		return snprintf(buf, len, "%.*s+%" PRIu64, nl, s.name, s.offset);
	return snprintf(buf, len, "%.*s", nl, s.name);
}

static void ent_sym(const struct mod *m, const struct sym_ent *e, struct ptk_sym *ret)
{
	ret->name = e->name;
	ret->addr = e->addr;
	ret->size = e->size;
	ret->offset = 0;
	ret->type = (enum ptk_sym_type)e->type;
	ret->global = e->global;
	ret->module = m->path;
}

/* Append s to ret unless already there; returns the new count. */
static size_t add_match(struct ptk_sym *ret, size_t max, size_t n, const struct ptk_sym *s,
                        size_t mod_first)
{
	for (size_t i = mod_first; i < n && i < max; i++)
		if (ret[i].addr == s->addr && strcmp(ret[i].name, s->name) == 0)
			return n;
	if (n < max)
		ret[n] = *s;
	return n + 1;
}

static int sym_addr_cmp(const void *a, const void *b)
{
	const struct ptk_sym *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

int ptk_sym_lookup(struct ptk_symtab *st, const char *name, struct ptk_sym *ret, size_t max)
{
	size_t nl = strlen(name), n = 0;
	bool want_plt = nl > 4 && strcmp(name + nl - 4, "@plt") == 0;
	size_t kl = want_plt ? nl - 4 : base_len(name);
	uint32_t h = fnv(name, kl);
	for (size_t i = 0; i < st->nmods; i++) {
		struct mod *m = st->mods[i];
		size_t first = n;
		struct ptk_sym s;
		if (want_plt) {
			if (!m->plt_done)
				plt_load(m);
			for (size_t j = 0; j < m->nplt; j++)
				if (strncmp(m->plt[j].name, name, kl) == 0 &&
				    strcmp(m->plt[j].name + kl, "@plt") == 0) {
					plt_sym(m, &m->plt[j], &s);
					n = add_match(ret, max, n, &s, first);
				}
			continue;
		}
		int r = sym_load(m);
		if (r < 0)
			return r;
		if (!m->nbuckets)
			continue;
		for (uint32_t j = m->buckets[h & (m->nbuckets - 1)]; j != NONE;
		     j = m->syms[j].next) {
			const struct sym_ent *e = &m->syms[j];
			if (e->hash == h && strncmp(e->name, name, kl) == 0 &&
			    (e->name[kl] == 0 || e->name[kl] == '@')) {
				ent_sym(m, e, &s);
				n = add_match(ret, max, n, &s, first);
			}
		}
		if (n > first && first < max)
			qsort(ret + first, (n < max ? n : max) - first, sizeof *ret, sym_addr_cmp);
	}
	if (n == 0 && !want_plt) {
		/* no definition anywhere (libc not loaded yet): the PLT entries */
		for (size_t i = 0; i < st->nmods; i++) {
			struct mod *m = st->mods[i];
			if (!m->plt_done)
				plt_load(m);
			for (size_t j = 0; j < m->nplt; j++)
				if (strncmp(m->plt[j].name, name, kl) == 0 &&
				    strcmp(m->plt[j].name + kl, "@plt") == 0) {
					struct ptk_sym s;
					plt_sym(m, &m->plt[j], &s);
					n = add_match(ret, max, n, &s, 0);
				}
		}
	}
	return n > INT32_MAX ? INT32_MAX : (int)n;
}
