/* SPDX-License-Identifier: MIT */
/*
 * Golden tracee of the memory family (tests/trace/test_decode_mem.py):
 * mappings with fixed arguments between write(-1, "BEGIN", 5) and
 * write(-1, "END", 3).
 *
 *	dec_mem SECTION		(map, advise, numa)
 *
 * Exits 0, or 99 if the setup failed.
 */
#include "tracee.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

static void marker(const char *m)
{
	if (write(-1, m, strlen(m)) != -1)
		die("marker");
}

static void sec_map(void)
{
	int fd = open("/proc/self/exe", O_RDONLY);
	if (fd < 0)
		die("open");
	marker("BEGIN");
	void *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(p, 4096, PROT_NONE);
	mprotect(p, 4096, PROT_READ | PROT_EXEC | 0x100000);
	syscall(SYS_mprotect, NULL, 4096, 0x100000);
	void *q = mremap(p, 8192, 16384, MREMAP_MAYMOVE);
	munmap(q, 16384);
	mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 4096);
	mmap(NULL, 4096, PROT_READ, MAP_SHARED | MAP_FIXED_NOREPLACE | 0x8000000, -1, 0);
	mmap(NULL, 2 << 20, PROT_READ,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | (21 << MAP_HUGE_SHIFT), 12345, 0);
	mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_GROWSDOWN, -1, 0);
	munmap(NULL, 0);
	marker("END");
}

static void sec_advise(void)
{
	void *p = mmap(NULL, 16384, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	unsigned char vec[4];
	marker("BEGIN");
	madvise(p, 8192, MADV_DONTNEED);
	madvise(p, 8192, MADV_HUGEPAGE);
	madvise(p, 8192, 1234);
	msync(p, 4096, MS_ASYNC | MS_INVALIDATE);
	msync(p, 4096, 0x100);
	mlock(p, 4096);
	munlock(p, 4096);
	mincore(p, 16384, vec);
	mlockall(0x80);
	syscall(SYS_mremap, p, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, (char *)p + 8192);
	marker("END");
}

/* NUMA policies and node masks (one node is enough: node 0). */
static void sec_numa(void)
{
	unsigned long mask[2] = {1, 0};
	int mode;
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	marker("BEGIN");
	syscall(SYS_set_mempolicy, 3 /* MPOL_INTERLEAVE */, mask, 65);
	syscall(SYS_get_mempolicy, &mode, mask, 129, NULL, 0);
	syscall(SYS_get_mempolicy, &mode, mask, 1, NULL, 0);
	syscall(SYS_get_mempolicy, &mode, mask, 0, NULL, 0);
	syscall(SYS_set_mempolicy, 0 /* MPOL_DEFAULT */, NULL, 0);
	syscall(SYS_mbind, p, 4096, 2 | 0x8000 /* MPOL_BIND|MPOL_F_STATIC_NODES */, mask, 65,
	        1 /* MPOL_MF_STRICT */);
	syscall(SYS_migrate_pages, 0, 65, mask, mask);
	marker("END");
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	if (strcmp(argv[1], "map") == 0)
		sec_map();
	else if (strcmp(argv[1], "advise") == 0)
		sec_advise();
	else if (strcmp(argv[1], "numa") == 0)
		sec_numa();
	else
		return 2;
	return 0;
}
