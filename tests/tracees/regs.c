/* SPDX-License-Identifier: MIT */
/*
 * Hard case: registers a tracer reads and writes at syscall stops (SSE,
 * AVX and the general registers across a syscall).
 *
 *	regs
 *
 * Makes raw getppid syscalls (nr 110) whose first argument says which
 * marker it is (0x7e01 to 0x7e04), from inline assembly so that no
 * library code touches the vector registers between the load and the
 * syscall:
 *	marker 1: xmm7 holds the bytes 0x10..0x1f
 *	marker 2: (only with AVX) ymm7 holds the bytes 0x20..0x3f
 *	marker 3: xmm6 is zeroed before and printed after the syscall
 *	marker 4: rbx, r12-r15 hold known values; the program checks them
 *	          after the syscall (the kernel preserves them) and prints
 *	          whether the syscall returned its parent's pid
 * Untraced output:
 *	avx=1		(or 0)
 *	xmm6=00000000000000000000000000000000
 *	callee-saved ok
 *	ret=ppid
 * A tracer that writes xmm6 at marker 3, rbx at marker 4 or rax at the
 * exit of marker 4 changes the printed values ("ret=16962").
 */
#include "tracee.h"

#include <stdint.h>

static const uint8_t p1[16] = {0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
                               0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f};
static const uint8_t p2[32] = {0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a,
                               0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35,
                               0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f};

int main(void)
{
	long r;
	__asm__ volatile("movdqu %[p], %%xmm7\n\t"
	                 "syscall"
	                 : "=a"(r)
	                 : "a"(110L), "D"(0x7e01L), [p] "m"(p1)
	                 : "rcx", "r11", "memory", "xmm7");

	__builtin_cpu_init();
	int avx = !!__builtin_cpu_supports("avx");
	say("avx=%d\n", avx);
	if (avx) {
		__asm__ volatile("vmovdqu %[p], %%ymm7\n\t"
		                 "syscall\n\t"
		                 "vzeroupper"
		                 : "=a"(r)
		                 : "a"(110L), "D"(0x7e02L), [p] "m"(p2)
		                 : "rcx", "r11", "memory", "xmm7");
	}

	uint8_t out[16];
	__asm__ volatile("pxor %%xmm6, %%xmm6\n\t"
	                 "syscall\n\t"
	                 "movdqu %%xmm6, %[o]"
	                 : "=a"(r), [o] "=m"(out)
	                 : "a"(110L), "D"(0x7e03L)
	                 : "rcx", "r11", "memory", "xmm6");
	char hex[33];
	for (int i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", out[i]);
	say("xmm6=%s\n", hex);

	uint64_t v[5];
	__asm__ volatile("mov $0x1111111111111111, %%rbx\n\t"
	                 "mov $0x1212121212121212, %%r12\n\t"
	                 "mov $0x1313131313131313, %%r13\n\t"
	                 "mov $0x1414141414141414, %%r14\n\t"
	                 "mov $0x1515151515151515, %%r15\n\t"
	                 "syscall\n\t"
	                 "mov %%rbx, 0(%[v])\n\t"
	                 "mov %%r12, 8(%[v])\n\t"
	                 "mov %%r13, 16(%[v])\n\t"
	                 "mov %%r14, 24(%[v])\n\t"
	                 "mov %%r15, 32(%[v])"
	                 : "=a"(r)
	                 : "a"(110L), "D"(0x7e04L), [v] "r"(v)
	                 : "rbx", "rcx", "r11", "r12", "r13", "r14", "r15", "memory");
	bool ok = v[0] == 0x1111111111111111ull && v[1] == 0x1212121212121212ull &&
	          v[2] == 0x1313131313131313ull && v[3] == 0x1414141414141414ull &&
	          v[4] == 0x1515151515151515ull;
	say("callee-saved %s\n", ok ? "ok" : "changed");
	if (r == getppid())
		say("ret=ppid\n");
	else
		say("ret=%ld\n", r);
	return 0;
}
