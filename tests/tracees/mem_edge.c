/* SPDX-License-Identifier: MIT */
/*
 * Hard case: memory at the edge of a mapping, big buffers and read-only
 * data, as seen by a tracer that reads system call arguments.
 *
 *	mem_edge
 *
 * 1. Maps two pages, unmaps the second, and puts "EDGE-STRING" (no NUL)
 *    in the last 11 bytes of the first; write(2)s 64 bytes from there to
 *    a pipe of its own and prints what write returned and what arrived.
 * 2. The same with the second page PROT_NONE and "PROT-NONE-EDGE".
 * 3. Writes a 1 MiB buffer (byte i is (i * 7 + 3) & 0xff) to /dev/null.
 * 4. Writes a string from read-only data (.rodata) to stdout.
 *
 * Correct behaviour under a tracer: the syscalls return exactly what they
 * return untraced (the tracer's reads never change them); a tracer reads
 * the readable prefix of 1 and 2 (and an -EFAULT for the rest), the whole
 * 1 MiB of 3, and can write the read-only string of 4 (then the tracee
 * prints the new text).  Untraced output:
 *	unmapped: write=-1 EFAULT arrived=0 []
 *	prot_none: write=-1 EFAULT arrived=0 []
 *	big: write=1048576
 *	read-only message
 * (the first two lines are whatever this kernel does; traced or not they
 * must be the same).
 */
#include "tracee.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

static const char ro_msg[] = "read-only message\n";

static void edge(const char *what, const char *text, bool unmap)
{
	long page = sysconf(_SC_PAGESIZE);
	char *a = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	               -1, 0);
	if (a == MAP_FAILED)
		die("mmap");
	memset(a, 'x', (size_t)page);
	size_t len = strlen(text);
	char *e = a + page - len;
	memcpy(e, text, len);
	if (unmap ? munmap(a + page, (size_t)page) : mprotect(a + page, (size_t)page, PROT_NONE))
		die("munmap/mprotect");
	int p[2];
	if (pipe2(p, O_NONBLOCK) < 0)
		die("pipe2");
	long w = syscall(SYS_write, p[1], e, 64);
	int err = w < 0 ? errno : 0;
	char got[128];
	ssize_t n = read(p[0], got, sizeof got);
	if (n < 0)
		n = 0;
	say("%s: write=%ld %s arrived=%zd [%.*s]\n", what, w, w < 0 ? errname(err) : "", n, (int)n,
	    got);
	close(p[0]);
	close(p[1]);
	munmap(a, (size_t)page * 2);
}

int main(void)
{
	edge("unmapped", "EDGE-STRING", true);
	edge("prot_none", "PROT-NONE-EDGE", false);

	size_t big_len = 1u << 20;
	unsigned char *big =
	        mmap(NULL, big_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (big == MAP_FAILED)
		die("mmap");
	for (size_t i = 0; i < big_len; i++)
		big[i] = (unsigned char)((i * 7 + 3) & 0xff);
	int null = open("/dev/null", O_WRONLY);
	if (null < 0)
		die("open");
	say("big: write=%ld\n", syscall(SYS_write, null, big, big_len));

	if (syscall(SYS_write, 1, ro_msg, sizeof ro_msg - 1) < 0)
		die("write");
	return 0;
}
