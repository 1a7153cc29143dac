/* SPDX-License-Identifier: MIT */
/*
 * The server's own files and the CPU's XSAVE layout, behind functions that the fuzz
 * target replaces (fuzz/gdbserver/fake_ptk.c), so that fuzzed vFile packets never touch
 * real files.
 */
#include "gs.h"

#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int gs_host_read_file(const char *path, char **ret, size_t *ret_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0, cap = 4096;
	char *buf;

	if (fd < 0)
		return -errno;
	buf = malloc(cap + 1);
	while (buf) {
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == cap) {
			char *nb = realloc(buf, cap * 2 + 1);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	close(fd);
	if (!buf)
		return -ENOMEM;
	buf[len] = 0;
	*ret = buf;
	*ret_len = len;
	return 0;
}

int gs_host_readlink(const char *path, char *buf, size_t len)
{
	ssize_t n = readlink(path, buf, len - 1);

	if (n < 0)
		return -errno;
	buf[n] = 0;
	return (int)n;
}

int gs_host_open(const char *path, int flags, int mode)
{
	int fd = open(path, flags, mode);

	return fd < 0 ? -errno : fd;
}

int gs_host_close(int fd)
{
	return close(fd) < 0 ? -errno : 0;
}

long gs_host_pread(int fd, void *buf, size_t n, uint64_t off)
{
	ssize_t r = pread(fd, buf, n, (off_t)off);

	return r < 0 ? -errno : (long)r;
}

long gs_host_pwrite(int fd, const void *buf, size_t n, uint64_t off)
{
	ssize_t r = pwrite(fd, buf, n, (off_t)off);

	return r < 0 ? -errno : (long)r;
}

int gs_host_fstat(int fd, struct stat *st)
{
	return fstat(fd, st) < 0 ? -errno : 0;
}

int gs_host_unlink(const char *path)
{
	return unlink(path) < 0 ? -errno : 0;
}

int gs_host_open_stat(pid_t pid, pid_t tid)
{
	char path[96];

	snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)pid, (int)tid);
	return gs_host_open(path, O_RDONLY | O_CLOEXEC, 0);
}

long gs_host_pread_stat(int fd, char *buf, size_t n)
{
	/* procfs regenerates the file at offset 0: one pread per stop, no reopen. */
	return gs_host_pread(fd, buf, n, 0);
}

void gs_host_xsave_info(struct gs_xsave_info *ret)
{
	unsigned a, b, c, d;

	memset(ret, 0, sizeof *ret);
	/* CPUID.1:ECX.OSXSAVE[bit 27]: the OS enabled XSAVE and XGETBV. */
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27)))
		return;
	__asm__ volatile("xgetbv" : "=a"(a), "=d"(d) : "c"(0));
	ret->xcr0 = (uint64_t)d << 32 | a;
	/* CPUID.(EAX=0DH, ECX=i): EAX size, EBX offset of component i (standard format). */
	for (unsigned i = 2; i < 32; i++) {
		if (!(ret->xcr0 >> i & 1))
			continue;
		__cpuid_count(0xd, i, a, b, c, d);
		ret->size[i] = a;
		ret->off[i] = b;
	}
}
