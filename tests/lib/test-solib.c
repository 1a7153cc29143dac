/* SPDX-License-Identifier: MIT */
/*
 * The auxiliary vector, the executable's load bias and the dynamic
 * loader's list of loaded objects, checked against /proc/PID/maps and the
 * executable file itself.
 */
#include "lt.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <unistd.h>

/* e_entry of an ELF file. */
static uint64_t file_entry(const char *path)
{
	Elf64_Ehdr eh;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0);
	CHECK(read(fd, &eh, sizeof eh) == (ssize_t)sizeof eh);
	close(fd);
	return eh.e_entry;
}

/* The lowest start of the mappings of path, or 0. */
static uint64_t map_base(const struct ptk_maps *m, const char *path)
{
	uint64_t base = 0;
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->v[i].path, path) == 0 && (!base || m->v[i].start < base))
			base = m->v[i].start;
	return base;
}

TEST(solibs_before_and_after_the_loader)
{
	const char *hello = th_tracee("hello");
	char *argv[] = {(char *)hello, NULL};
	pid_t pid;
	int out;
	struct ptk_session *s = lt_start(0, argv, &pid, &out);
	struct ptk_event ev;
	lt_resume_expect(s, pid, PTK_RESUME_CONT, PTK_EV_EXEC, &ev);

	/* At the exec stop: the executable is mapped, the loader has not run. */
	uint64_t bias, dyn, entry, at_base;
	CHECK_OK(ptk_exe_load_bias(s, pid, &bias, &dyn));
	CHECK_OK(ptk_auxv_get(pid, AT_ENTRY, &entry));
	CHECK_EQ_HEX(entry - bias, file_entry(hello));
	CHECK(dyn != 0);
	CHECK_OK(ptk_auxv_get(pid, AT_BASE, &at_base));
	CHECK_EQ_INT(ptk_auxv_get(pid, 0x7fffffff, &entry), -ENOENT);
	struct ptk_solibs l;
	CHECK_OK(ptk_solibs_read(s, pid, &l));
	CHECK_EQ_INT(l.n, 0);
	CHECK_EQ_HEX(l.r_debug, 0);
	ptk_solibs_free(&l);

	/* At its first write the loader is done: exe, vdso, libc, ld.so. */
	lt_run_to_syscall(s, pid, NR_write, -1, &ev, NULL);
	CHECK_OK(ptk_solibs_read(s, pid, &l));
	struct ptk_maps m;
	CHECK_OK(ptk_maps_read(pid, &m));
	CHECK(l.n >= 3);
	CHECK(l.r_debug != 0);
	CHECK_EQ_INT(l.r_state, 0);
	CHECK_EQ_STR(l.v[0].name, "");
	CHECK_EQ_HEX(l.v[0].l_addr, bias);
	CHECK_EQ_HEX(l.v[0].l_ld, dyn);
	bool libc = false, ldso = false;
	for (size_t i = 1; i < l.n; i++) {
		const char *n = l.v[i].name;
		if (strncmp(n, "linux-vdso", 10) == 0)
			continue;
		/* every named object is mapped from that file (maps has the real
		   path: /lib is a link to /usr/lib here) at its load bias */
		char real[4096];
		CHECK(realpath(n, real) != NULL);
		CHECK_MSG(map_base(&m, real) == l.v[i].l_addr, "%s: l_addr %#llx, mapped at %#llx",
		          n, (unsigned long long)l.v[i].l_addr,
		          (unsigned long long)map_base(&m, real));
		libc |= strstr(n, "/libc.so.6") != NULL;
		if (l.v[i].l_addr == at_base) {
			ldso = true;
			/* r_brk (_dl_debug_state) lies in the loader's text */
			const struct ptk_map *mp = ptk_maps_find(&m, l.r_brk);
			CHECK(mp && strcmp(mp->path, real) == 0 && (mp->prot & PTK_PROT_X));
		}
	}
	CHECK(libc);
	CHECK(ldso);
	ptk_maps_free(&m);
	ptk_solibs_free(&l);
	ptk_session_end(s, false, 1000);
	free(lt_slurp(out, 5000));
}
