/* SPDX-License-Identifier: MIT */
/*
 * The auxiliary vector, the executable's load bias and the dynamic
 * loader's list of loaded objects, read from the tracee:
 *
 *	AT_PHDR - p_vaddr(PT_PHDR)  = load bias of the executable
 *	PT_DYNAMIC + bias           = its dynamic section; DT_DEBUG there holds
 *	                              &_r_debug once the loader has started
 *	struct r_debug   { int r_version; link_map *r_map; Addr r_brk;
 *	                   int r_state; Addr r_ldbase; }      (glibc <link.h>)
 *	struct link_map  { Addr l_addr; char *l_name; Dyn *l_ld;
 *	                   link_map *l_next, *l_prev; }
 */
#include "internal.h"

#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int ptk_auxv_get(pid_t pid, uint64_t type, uint64_t *ret)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/auxv", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	uint64_t v[2];
	int r = -ENOENT;
	while (read(fd, v, sizeof v) == (ssize_t)sizeof v && v[0] != AT_NULL)
		if (v[0] == type) {
			*ret = v[1];
			r = 0;
			break;
		}
	close(fd);
	return r;
}

int ptk_exe_load_bias(struct ptk_session *s, pid_t pid, uint64_t *ret_bias, uint64_t *ret_dynamic)
{
	uint64_t phdr = 0, phnum = 0;
	int r = ptk_auxv_get(pid, AT_PHDR, &phdr);
	if (r == 0)
		r = ptk_auxv_get(pid, AT_PHNUM, &phnum);
	if (r < 0)
		return r;
	if (phnum == 0 || phnum > 4096)
		return -EINVAL;
	Elf64_Phdr *ph = calloc(phnum, sizeof *ph);
	if (!ph)
		return -ENOMEM;
	r = ptk_mem_read(s, pid, phdr, ph, phnum * sizeof *ph, NULL);
	uint64_t bias = 0, dyn = 0;
	bool have_bias = false;
	for (uint64_t i = 0; r == 0 && i < phnum; i++)
		if (ph[i].p_type == PT_PHDR) {
			bias = phdr - ph[i].p_vaddr;
			have_bias = true;
		}
	if (r == 0 && !have_bias) {
		/* No PT_PHDR: the headers follow the ELF header in the first PT_LOAD. */
		for (uint64_t i = 0; i < phnum; i++)
			if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0) {
				bias = phdr - (ph[i].p_vaddr + sizeof(Elf64_Ehdr));
				break;
			}
	}
	for (uint64_t i = 0; r == 0 && i < phnum; i++)
		if (ph[i].p_type == PT_DYNAMIC)
			dyn = ph[i].p_vaddr + bias;
	free(ph);
	if (r < 0)
		return r;
	*ret_bias = bias;
	if (ret_dynamic)
		*ret_dynamic = dyn;
	return 0;
}

/* The value of DT_DEBUG in the dynamic section at dyn, 0 if none yet. */
static int dt_debug(struct ptk_session *s, pid_t pid, uint64_t dyn, uint64_t *ret)
{
	Elf64_Dyn d[64];
	*ret = 0;
	for (int chunk = 0; chunk < 16; chunk++) {
		size_t n = 0;
		int r = ptk_mem_read(s, pid, dyn + (uint64_t)chunk * sizeof d, d, sizeof d, &n);
		if (r < 0 && n < sizeof d[0])
			return r;
		for (size_t i = 0; i < n / sizeof d[0]; i++) {
			if (d[i].d_tag == DT_NULL)
				return 0;
			if (d[i].d_tag == DT_DEBUG) {
				*ret = d[i].d_un.d_ptr;
				return 0;
			}
		}
	}
	return 0;
}

#define MAX_SOLIBS 4096

int ptk_solibs_read(struct ptk_session *s, pid_t pid, struct ptk_solibs *ret)
{
	memset(ret, 0, sizeof *ret);
	uint64_t bias, dyn, rdebug;
	int r = ptk_exe_load_bias(s, pid, &bias, &dyn);
	if (r < 0 || dyn == 0)
		return r; /* static executable: nothing loaded dynamically */
	r = dt_debug(s, pid, dyn, &rdebug);
	if (r < 0 || rdebug == 0)
		return r;
	struct {
		int32_t version, pad;
		uint64_t map, brk;
		int32_t state, pad2;
		uint64_t ldbase;
	} rd;
	r = ptk_mem_read(s, pid, rdebug, &rd, sizeof rd, NULL);
	if (r < 0)
		return r;
	ret->r_debug = rdebug;
	ret->r_brk = rd.brk;
	ret->r_state = rd.state;
	size_t cap = 0, scap = 0, slen = 0;
	uint64_t lm = rd.map;
	while (lm && ret->n < MAX_SOLIBS) {
		struct {
			uint64_t addr, name, ld, next, prev;
		} l;
		r = ptk_mem_read(s, pid, lm, &l, sizeof l, NULL);
		if (r < 0)
			break;
		char name[4096];
		size_t nl = 0;
		name[0] = 0;
		if (l.name)
			ptk_mem_read_str(s, pid, l.name, name, sizeof name - 1, &nl);
		if (ret->n == cap) {
			cap = cap ? cap * 2 : 16;
			struct ptk_solib *nv = realloc(ret->v, cap * sizeof *nv);
			if (!nv) {
				r = -ENOMEM;
				break;
			}
			ret->v = nv;
		}
		if (slen + nl + 1 > scap) {
			scap = (slen + nl + 1) * 2 + 256;
			char *ns = realloc(ret->strings, scap);
			if (!ns) {
				r = -ENOMEM;
				break;
			}
			ret->strings = ns;
		}
		memcpy(ret->strings + slen, name, nl + 1);
		ret->v[ret->n] = (struct ptk_solib){.lm = lm,
		                                    .l_addr = l.addr,
		                                    .l_ld = l.ld,
		                                    .name = (const char *)(uintptr_t)slen};
		slen += nl + 1;
		ret->n++;
		lm = l.next;
	}
	if (r < 0 && r != -EFAULT) {
		ptk_solibs_free(ret);
		return r;
	}
	/* Names were stored as offsets while the buffer could move. */
	for (size_t i = 0; i < ret->n; i++)
		ret->v[i].name = ret->strings + (uintptr_t)ret->v[i].name;
	return 0;
}

void ptk_solibs_free(struct ptk_solibs *l)
{
	free(l->v);
	free(l->strings);
	memset(l, 0, sizeof *l);
}
