/* SPDX-License-Identifier: MIT */
/*
 * Hard case: a tracer that emulates the instruction under a breakpoint must
 * leave registers, flags and memory exactly as the CPU would.  A block of
 * instructions (emu_block, in assembly) runs on several register and flag
 * seeds; the registers and flags after it are printed, one line per seed.
 * A tracer puts a breakpoint on every instruction of the block and the
 * output must not change.
 *
 *	emu_target
 *
 * Marker syscall: getppid(0x7e13, &table_start, &table_end) where the table
 * holds {address, kind} pairs of 8-byte words, kind 1 for instructions a
 * tracer is expected to emulate, 2 for ones that must run for real (SSE,
 * locked, rep, push from memory), 3 for ones that run for real under a
 * breakpoint but that a single step may emulate when no other thread of
 * the process can run (memory outside the frame, fs-relative memory,
 * calls and jumps through memory).
 * The block leaves no address in a register (addresses differ between
 * runs): those it makes are turned into offsets before the end.
 */
#include "tracee.h"

#include <stdint.h>
#include <sys/syscall.h>

struct state {
	uint64_t r[16]; /* rax rcx rdx rbx (rsp) rbp rsi rdi r8-r15 */
	uint64_t flags;
};

struct state emu_in, emu_out;
uint64_t emu_data[8];
extern char __start_emu_tab[], __stop_emu_tab[];
void emu_block(void);

/* E: expected to be emulated; N: expected to run for real. */
__asm__(".macro E insn:vararg\n"
        ".Lemu\\@: \\insn\n"
        ".pushsection emu_tab,\"aw\"\n"
        ".quad .Lemu\\@, 1\n"
        ".popsection\n"
        ".endm\n"
        ".macro N insn:vararg\n"
        ".Lemu\\@: \\insn\n"
        ".pushsection emu_tab,\"aw\"\n"
        ".quad .Lemu\\@, 2\n"
        ".popsection\n"
        ".endm\n"
        ".macro A insn:vararg\n"
        ".Lemu\\@: \\insn\n"
        ".pushsection emu_tab,\"aw\"\n"
        ".quad .Lemu\\@, 3\n"
        ".popsection\n"
        ".endm\n"
        ".data\n"
        "emu_fptr: .quad .Lemu_fn2\n"
        "emu_jptr: .quad .Lemu_jt\n"
        ".text\n"
        ".globl emu_block\n"
        ".type emu_block,@function\n"
        "emu_block:\n"
        "	push %rbp\n	push %rbx\n	push %r12\n	push %r13\n	push %r14\n	"
        "push %r15\n"
        "	sub $72, %rsp\n"
        "	movq $0, 0(%rsp)\n	movq $0, 8(%rsp)\n	movq $0, 16(%rsp)\n"
        "	movq $0, 24(%rsp)\n	movq $0, 32(%rsp)\n	movq $0, 40(%rsp)\n"
        "	movq $0, 48(%rsp)\n	movq $0, 56(%rsp)\n"
        "	pushq emu_in+128(%rip)\n	popfq\n"
        "	mov emu_in+0(%rip), %rax\n	mov emu_in+8(%rip), %rcx\n"
        "	mov emu_in+16(%rip), %rdx\n	mov emu_in+24(%rip), %rbx\n"
        "	mov emu_in+40(%rip), %rbp\n	mov emu_in+48(%rip), %rsi\n"
        "	mov emu_in+56(%rip), %rdi\n	mov emu_in+64(%rip), %r8\n"
        "	mov emu_in+72(%rip), %r9\n	mov emu_in+80(%rip), %r10\n"
        "	mov emu_in+88(%rip), %r11\n	mov emu_in+96(%rip), %r12\n"
        "	mov emu_in+104(%rip), %r13\n	mov emu_in+112(%rip), %r14\n"
        "	mov emu_in+120(%rip), %r15\n"
        /* no-ops and register moves */
        "	E endbr64\n	E nop\n	E nopl 0(%rax)\n	E nopw 0x0(%rax,%rax,1)\n	E "
        "xchg %ax, %ax\n"
        "	E mov %rsp, %rbp\n	E add $32, %rbp\n"
        "	E push %rbx\n	E push %r12\n	E pop %rbx\n	E pop %r12\n"
        "	E push $-5\n	E pop %r13\n"
        "	E mov %rax, %rcx\n	E mov %eax, %edx\n	E mov $0x12345678, %esi\n"
        "	E movabs $0x1122334455667788, %r14\n	E mov $-1, %r15\n"
        "	E mov %ah, %cl\n	E mov %bl, %ah\n"
        /* the frame: [rsp+disp] and [rbp+disp] */
        "	E mov %rax, 8(%rsp)\n	E mov %ebx, -4(%rbp)\n	E movq $7, 16(%rsp)\n"
        "	E movw %cx, 24(%rsp)\n	E mov 8(%rsp), %r9\n	E add 16(%rsp), %r9\n"
        "	E addl $3, -4(%rbp)\n	E mov -4(%rbp), %r10d\n	E cmpl $9, -4(%rbp)\n"
        "	E setl %r11b\n	E incq 16(%rsp)\n	E subq $2, 8(%rsp)\n"
        /* arithmetic and flags */
        "	E add %rbx, %rax\n	E adc %rcx, %rdx\n	E sub %rsi, %rdi\n	E sbb "
        "%r8d, %r9d\n"
        "	E and %r10, %r11\n	E or $0x40, %r12b\n	E xor %r13w, %r14w\n"
        "	E test %r15, %rax\n	E cmp %rbx, %rcx\n	E cmovg %rcx, %rdx\n"
        "	E cmovb %esi, %edi\n	E sete %bl\n	E inc %rsi\n	E dec %edi\n	E neg %r8\n"
        "	E not %r9d\n	E shl $3, %rax\n	E shr %cl, %rdx\n	E sar $1, %rbx\n"
        "	E rol $5, %esi\n	E ror $7, %di\n	E imul %rbx, %rax\n	E imul $7, %rcx, "
        "%rdx\n"
        "	E imul $-3, %r8d, %r9d\n	E add $0x7f, %al\n	E adc $0, %ah\n	E sub $1, "
        "%r10w\n"
        "	E xor %r11d, %r11d\n	E test %eax, %eax\n	E cmp $-1, %rdx\n	E sbb "
        "%r12, %r12\n"
        /* addresses, extensions */
        "	E lea 8(%rax,%rbx,4), %rsi\n	E lea -16(%rbp), %r10\n	E sub %rsp, %r10\n"
        "	E lea emu_data+16(%rip), %rdi\n	E lea emu_data(%rip), %r8\n	E sub %r8, %rdi\n"
        "	E mov %rax, %r8\n	E movzbl %al, %ecx\n	E movsbq %dl, %r11\n	E movslq "
        "%esi, %r12\n"
        "	E movzwl 24(%rsp), %r13d\n	E movswq 24(%rsp), %r15\n"
        "	E cbw\n	E cwde\n	E cdqe\n	E cqo\n	E cdq\n	E xchg %rax, %rbx\n"
        "	E xchg %ecx, %edx\n"
        /* branches */
        "	E test %eax, %eax\n	E jz .Lemu_j1\n	E inc %rax\n.Lemu_j1:\n"
        "	E jnz .Lemu_j2\n	E inc %rcx\n.Lemu_j2:\n"
        "	E jmp .Lemu_j3\n	inc %rdx\n.Lemu_j3:\n"
        "	E call .Lemu_fn\n	E jmp .Lemu_j4\n.Lemu_fn:\n	E add $1, %r14\n	E "
        "ret\n"
        ".Lemu_j4:\n"
        "	E push %rbp\n	E mov %rsp, %rbp\n	E leave\n"
        "	E mov $3, %ecx\n.Lemu_loop:\n	E add %rcx, %rax\n	E loop .Lemu_loop\n"
        "	E jrcxz .Lemu_j5\n	E inc %r15\n.Lemu_j5:\n"
        "	E cmp $5, %rax\n	E jl .Lemu_j6\n	E dec %rax\n.Lemu_j6:\n"
        "	E cmp %r9, %r10\n	E ja .Lemu_j7\n	E not %r10\n.Lemu_j7:\n"
        /* for real: memory outside the frame, SSE, lock, rep, indirect through memory */
        "	E lea emu_data(%rip), %rsi\n"
        "	A mov %rax, (%rsi)\n	A addq $1, 8(%rsi)\n	A mov (%rsi), %r13\n"
        "	A mov %fs:0, %r11\n	A sub %fs:0, %r11\n	A cmp %fs:0, %r11\n"
        "	N lock incq emu_data+16(%rip)\n	N xadd %rcx, 24(%rsi)\n"
        "	N movq %rax, %xmm0\n	N paddq %xmm0, %xmm0\n	N movq %xmm0, %rdx\n"
        "	N bsf %rax, %r11\n	N bswap %r12\n	N bt $3, %rax\n	E adc %r13, %r13\n"
        "	N push 8(%rsi)\n	E pop %r9\n"
        "	E mov %rdi, %r8\n	E lea emu_data+32(%rip), %rdi\n	E mov $4, %ecx\n"
        "	N rep stosb\n	E mov %r8, %rdi\n"
        "	A call *emu_fptr(%rip)\n	E jmp .Lemu_j8\n.Lemu_fn2:\n	E add $2, "
        "%r14\n	E ret\n"
        ".Lemu_j8:\n"
        "	A jmp *emu_jptr(%rip)\n	inc %r15\n.Lemu_jt:\n"
        "	A mov (%rsi), %rsi\n"
        "	E sub %rsp, %rbp\n"
        "	pushfq\n	popq emu_out+128(%rip)\n"
        "	mov %rax, emu_out+0(%rip)\n	mov %rcx, emu_out+8(%rip)\n"
        "	mov %rdx, emu_out+16(%rip)\n	mov %rbx, emu_out+24(%rip)\n"
        "	mov %rbp, emu_out+40(%rip)\n	mov %rsi, emu_out+48(%rip)\n"
        "	mov %rdi, emu_out+56(%rip)\n	mov %r8, emu_out+64(%rip)\n"
        "	mov %r9, emu_out+72(%rip)\n	mov %r10, emu_out+80(%rip)\n"
        "	mov %r11, emu_out+88(%rip)\n	mov %r12, emu_out+96(%rip)\n"
        "	mov %r13, emu_out+104(%rip)\n	mov %r14, emu_out+112(%rip)\n"
        "	mov %r15, emu_out+120(%rip)\n"
        "	add $72, %rsp\n"
        "	pop %r15\n	pop %r14\n	pop %r13\n	pop %r12\n	pop %rbx\n	"
        "pop %rbp\n"
        "	ret\n"
        ".size emu_block, .-emu_block\n");

static uint64_t lcg(uint64_t *x)
{
	*x = *x * 6364136223846793005ull + 1442695040888963407ull;
	return *x ^ (*x >> 29);
}

int main(void)
{
	syscall(SYS_getppid, 0x7e13L, (long)(uintptr_t)__start_emu_tab,
	        (long)(uintptr_t)__stop_emu_tab);
	static const uint64_t edge[] = {0,
	                                ~0ull,
	                                0x7fffffffffffffffull,
	                                0x8000000000000000ull,
	                                0x7fffffffull,
	                                0x80000000ull,
	                                0xffull,
	                                1};
	uint64_t x = 42;
	for (int seed = 0; seed < 12; seed++) {
		for (int i = 0; i < 16; i++)
			emu_in.r[i] = seed < 8 ? edge[(seed + i) % 8] : lcg(&x);
		/* status flags from the seed (CF PF AF ZF SF OF), IF and bit 1 set */
		emu_in.flags = 0x202 | ((seed < 8 ? edge[seed] : lcg(&x)) & 0x8d5);
		memset(emu_data, 0, sizeof emu_data);
		emu_block();
		char line[512];
		int n = snprintf(line, sizeof line, "%2d", seed);
		for (int i = 0; i < 16; i++)
			if (i != 4)
				n += snprintf(line + n, sizeof line - (size_t)n, " %llx",
				              (unsigned long long)emu_out.r[i]);
		snprintf(line + n, sizeof line - (size_t)n, " f=%llx d=%llx,%llx,%llx,%llx,%llx\n",
		         (unsigned long long)emu_out.flags, (unsigned long long)emu_data[0],
		         (unsigned long long)emu_data[1], (unsigned long long)emu_data[2],
		         (unsigned long long)emu_data[3], (unsigned long long)emu_data[4]);
		say("%s", line);
	}
	return 0;
}
