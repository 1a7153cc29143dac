/* SPDX-License-Identifier: MIT */
/*
 * Which stops ptk trace prints: the trace set, the signal set, -P (only
 * syscalls that touch a path: its path arguments, or file descriptors
 * that resolve to it), and the set of syscalls the seccomp filter stops
 * the tracee on.
 */
#include "trace.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool filter_traced(const struct trace *t, int arch, long nr)
{
	return t->o.trace_all || sc_set_has(&t->o.trace, abi_of_arch(arch), nr);
}

bool filter_signal(const struct trace *t, int sig)
{
	if (sig <= 0 || sig >= 128)
		return true;
	return (t->o.signals[sig / 64] >> (sig % 64)) & 1;
}

/* ---- argument kinds, from the table rows ---- */

struct kinds {
	uint8_t done, path, fd;
};
static struct kinds *kind_cache[2];

static void kinds_of_row(const char *row, int nargs, uint8_t *path, uint8_t *fd)
{
	*path = *fd = 0;
	if (!row || strcmp(row, "-") == 0)
		return;
	const char *p = row;
	for (int i = 0; i < nargs && i < 6 && *p; i++) {
		size_t len = strcspn(p, ",");
		const char *tok = p;
		size_t tl = len;
		/* Skip DIR: and HALF: prefixes. */
		for (;;) {
			if (tl > 4 && strncmp(tok, "out:", 4) == 0)
				tok += 4, tl -= 4;
			else if (tl > 6 && strncmp(tok, "inout:", 6) == 0)
				tok += 6, tl -= 6;
			else if (tl > 3 &&
			         (strncmp(tok, "lo:", 3) == 0 || strncmp(tok, "hi:", 3) == 0))
				tok += 3, tl -= 3;
			else
				break;
		}
		size_t bl = strcspn(tok, ":,");
		if (bl > tl)
			bl = tl;
		if (bl == 4 && strncmp(tok, "path", 4) == 0)
			*path |= (uint8_t)(1u << i);
		else if ((bl == 2 && strncmp(tok, "fd", 2) == 0) ||
		         (bl == 5 && strncmp(tok, "dirfd", 5) == 0))
			*fd |= (uint8_t)(1u << i);
		p += len;
		if (*p == ',')
			p++;
	}
}

void filter_arg_kinds(int arch, long nr, unsigned *ret_path, unsigned *ret_fd)
{
	*ret_path = *ret_fd = 0;
	int ai = arch == PTK_ARCH_I386 ? 1 : 0;
	long cnt = ptk_syscall_count(arch == PTK_ARCH_I386 ? PTK_ARCH_I386 : PTK_ARCH_X86_64);
	if (nr < 0 || nr >= cnt)
		return;
	if (!kind_cache[ai]) {
		kind_cache[ai] = calloc((size_t)cnt, sizeof **kind_cache);
		if (!kind_cache[ai])
			return;
	}
	struct kinds *k = &kind_cache[ai][nr];
	if (!k->done) {
		const struct ptk_sysent *e = ptk_sysent_get(arch, nr);
		if (e)
			kinds_of_row(e->args, e->nargs, &k->path, &k->fd);
		k->done = 1;
	}
	*ret_path = k->path;
	*ret_fd = k->fd;
}

static bool path_listed(const struct trace *t, const char *p)
{
	for (int i = 0; i < t->o.npaths; i++)
		if (strcmp(t->o.paths[i], p) == 0)
			return true;
	for (int i = 0; i < t->npaths_resolved; i++)
		if (strcmp(t->paths_resolved[i], p) == 0)
			return true;
	return false;
}

/* -P: does the syscall at c's enter stop touch one of the paths? */
bool filter_path_match(struct trace *t, struct tcb *c)
{
	unsigned pm, fm;
	filter_arg_kinds(c->arch, c->nr, &pm, &fm);
	uint64_t mask = c->arch == PTK_ARCH_I386 ? 0xffffffffu : ~0ull;
	for (int i = 0; i < 6; i++) {
		if (pm & (1u << i)) {
			char buf[PATH_MAX + 1];
			if (ptk_mem_read_str(t->s, c->tid, c->args[i] & mask, buf, PATH_MAX,
			                     NULL) == 0 &&
			    path_listed(t, buf))
				return true;
		}
		if (fm & (1u << i)) {
			int fd = (int)c->args[i];
			if (fd < 0)
				continue;
			char link[64], target[PATH_MAX + 1];
			snprintf(link, sizeof link, "/proc/%d/fd/%d", c->tid, fd);
			ssize_t n = readlink(link, target, PATH_MAX);
			if (n <= 0)
				continue;
			target[n] = 0;
			if (path_listed(t, target))
				return true;
		}
	}
	return false;
}

/* -P PATH that is a symlink also matches what it resolves to (as strace). */
void filter_resolve_paths(struct trace *t)
{
	for (int i = 0; i < t->o.npaths && t->npaths_resolved < TRACE_MAX_PATHS; i++) {
		char *r = realpath(t->o.paths[i], NULL);
		if (!r)
			continue;
		if (strcmp(r, t->o.paths[i]) != 0) {
			if (!(t->o.quiet_set & Q_PATH))
				trace_msg(t, "Requested path \"%s\" resolved into \"%s\"",
				          t->o.paths[i], r);
			t->paths_resolved[t->npaths_resolved++] = r;
		} else {
			free(r);
		}
	}
}

void filter_free(struct trace *t)
{
	for (int i = 0; i < t->npaths_resolved; i++)
		free(t->paths_resolved[i]);
	t->npaths_resolved = 0;
	for (int i = 0; i < 2; i++) {
		free(kind_cache[i]);
		kind_cache[i] = NULL;
	}
}

/* ---- the seccomp filter's set ---- */

static bool name_is(int arch, long nr, const char *name)
{
	const struct ptk_sysent *e = ptk_sysent_get(arch, nr);
	return e && e->name && strcmp(e->name, name) == 0;
}

bool filter_is_seccomp_install(int arch, long nr, const uint64_t *args)
{
	if (name_is(arch, nr, "seccomp"))
		return args[0] == 1; /* SECCOMP_SET_MODE_FILTER */
	if (name_is(arch, nr, "prctl"))
		return args[0] == 22 && args[1] == 2; /* PR_SET_SECCOMP, SECCOMP_MODE_FILTER */
	return false;
}

/*
 * The x86_64 syscalls that must stop the tracee: the traced ones, the
 * tampered ones, and the few ptk watches for itself (a filter the tracee
 * installs, clone with CLONE_UNTRACED).  Other ABIs always stop (the
 * filter traces every foreign-architecture syscall).  Returns 1 when the
 * set leaves some syscall out (a filter saves stops), 0 when it does not.
 */
int filter_seccomp_set(const struct trace *t, uint8_t *set, size_t nbits)
{
	static const char *const internal[] = {"seccomp", "prctl", "clone", "clone3", "ptrace"};
	memset(set, 0, (nbits + 7) / 8);
	bool all = true;
	for (size_t nr = 0; nr < nbits; nr++) {
		bool in = filter_traced(t, PTK_ARCH_X86_64, (long)nr) ||
		          sc_set_has(&t->o.inj_set, ABI_64, (long)nr);
		for (size_t k = 0; !in && k < sizeof internal / sizeof *internal; k++)
			in = name_is(PTK_ARCH_X86_64, (long)nr, internal[k]);
		/* -n prints the last syscall's number on the "+++ exited" line. */
		if (!in && t->o.nflag)
			in = name_is(PTK_ARCH_X86_64, (long)nr, "exit_group") ||
			     name_is(PTK_ARCH_X86_64, (long)nr, "exit");
		if (in)
			set[nr / 8] |= (uint8_t)(1u << (nr % 8));
		else if (ptk_sysent_get(PTK_ARCH_X86_64, (long)nr))
			all = false;
	}
	return all ? 0 : 1;
}
