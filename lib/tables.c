/* SPDX-License-Identifier: MIT */
/*
 * Syscall, errno and signal tables: lookups over the C that data/gen.py
 * generates from the tables in data/ (tables_gen.c).  Name lookups binary-search the
 * generated sorted name indexes.
 */
#include "internal.h"
#include "tables_gen.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* x32 syscall numbers carry __X32_SYSCALL_BIT (asm/unistd.h). */
#define X32_SYSCALL_BIT 0x40000000L

static const struct tab_abi *abi_of(int arch)
{
	switch (arch) {
	case PTK_ARCH_X86_64:
	case PTK_ARCH_X32:
		return &tab_abi_x86_64;
	case PTK_ARCH_I386:
		return &tab_abi_i386;
	default:
		return NULL;
	}
}

static int cmp_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct tab_name *)elem)->name);
}

static const struct tab_name *find(const struct tab_name *idx, size_t n, const char *name)
{
	return bsearch(name, idx, n, sizeof(*idx), cmp_name);
}

const struct ptk_sysent *ptk_sysent_get(int arch, long nr)
{
	const struct tab_abi *abi = abi_of(arch);

	if (!abi)
		return NULL;
	if (arch == PTK_ARCH_X32)
		nr &= ~X32_SYSCALL_BIT;
	if (nr < 0 || nr >= abi->count || !abi->ents[nr].name)
		return NULL;
	return &abi->ents[nr];
}

long ptk_syscall_lookup(int arch, const char *name)
{
	const struct tab_abi *abi = abi_of(arch);
	const struct tab_name *t;

	if (!abi || !name)
		return -EINVAL;
	t = find(abi->names, abi->nnames, name);
	return t ? t->value : -ENOENT;
}

long ptk_syscall_count(int arch)
{
	const struct tab_abi *abi = abi_of(arch);

	return abi ? abi->count : -EINVAL;
}

uint32_t ptk_syscall_class_lookup(const char *name)
{
	char buf[32];
	const struct tab_name *t;

	if (!name)
		return 0;
	if (name[0] != '%') {
		/* "file" means "%file"; only "%%stat" names the stat-like class. */
		size_t n = strlen(name);
		if (n + 2 > sizeof(buf))
			return 0;
		buf[0] = '%';
		memcpy(buf + 1, name, n + 1);
		name = buf;
	}
	t = find(tab_class_index, tab_class_nindex, name);
	return t ? (uint32_t)t->value : 0;
}

const char *ptk_errno_name(int err)
{
	return err > 0 && err <= TAB_ERRNO_MAX ? tab_errno_name[err] : NULL;
}

const char *ptk_errno_message(int err)
{
	return err > 0 && err <= TAB_ERRNO_MAX ? tab_errno_msg[err] : NULL;
}

int ptk_errno_lookup(const char *name)
{
	const struct tab_name *t = name ? find(tab_errno_index, tab_errno_nindex, name) : NULL;

	return t ? t->value : -ENOENT;
}

const char *ptk_signal_name(int sig)
{
	return sig > 0 && sig <= TAB_SIGNAL_MAX ? tab_signal_name[sig] : NULL;
}

/* A decimal number of at most 3 digits, or -1. */
static int small_number(const char *s)
{
	int v = 0;

	if (!*s || strlen(s) > 3)
		return -1;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

int ptk_signal_lookup(const char *name)
{
	char buf[32];
	const struct tab_name *t;
	size_t i, n;
	int v;

	if (!name)
		return -EINVAL;
	v = small_number(name);
	if (v >= 0)
		return v >= 1 && v <= TAB_SIGNAL_MAX ? v : -EINVAL;
	/* Case-insensitive, with or without the SIG prefix. */
	n = strncasecmp(name, "SIG", 3) == 0 ? 0 : 3;
	if (strlen(name) + n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, "SIG", n);
	for (i = 0; name[i]; i++)
		buf[n + i] = (char)toupper((unsigned char)name[i]);
	buf[n + i] = 0;
	t = find(tab_signal_index, tab_signal_nindex, buf);
	if (t)
		return t->value;
	/* SIGRTMIN+n and SIGRTMAX-n count from the kernel's SIGRTMIN (32) and SIGRTMAX (64). */
	if (strncmp(buf, "SIGRTMIN+", 9) == 0 && (v = small_number(buf + 9)) >= 0)
		v = ptk_signal_lookup("SIGRTMIN") + v;
	else if (strncmp(buf, "SIGRTMAX-", 9) == 0 && (v = small_number(buf + 9)) >= 0)
		v = TAB_SIGNAL_MAX - v;
	else
		return -EINVAL;
	return v >= ptk_signal_lookup("SIGRTMIN") && v <= TAB_SIGNAL_MAX ? v : -EINVAL;
}
