/* SPDX-License-Identifier: MIT */
/*
 * Agent expressions: the bytecode gdb sends in Z0 packets for target-side breakpoint
 * conditions (`set breakpoint condition-evaluation target`; the GDB manual, "The GDB
 * Agent Expression Mechanism").  A stack machine over 64-bit integers that reads
 * registers and memory through callbacks.  Pure code.
 */
#ifndef PTK_GDBSERVER_AGENT_H
#define PTK_GDBSERVER_AGENT_H

#include <stddef.h>
#include <stdint.h>

/* One expression: its bytecode (owned). */
struct ax_expr {
	uint8_t *code;
	size_t len;
};

struct ax_ctx {
	/* Register regno (gdb's numbering) as a number: 0 or -errno. */
	int (*reg)(void *arg, int regno, uint64_t *ret);
	/* Read n bytes at addr: 0 or -errno. */
	int (*mem)(void *arg, uint64_t addr, void *buf, size_t n);
	void *arg;
};

/* Limits: stack depth, and bytecodes executed (a goto loop must end). */
#define AX_STACK_MAX 1024
#define AX_STEPS_MAX 100000

/*
 * Run code and return the value on top of the stack at `end` in *ret.  Returns 0, or
 * -EINVAL (unknown or truncated bytecode, a jump outside the code, no value at `end`),
 * -EOVERFLOW (stack overflow or underflow), -EDOM (division by zero), -ENOTSUP (floating
 * point, trace state variables, printf), -ELOOP (step limit), or a callback's error.
 */
int gs_ax_eval(const uint8_t *code, size_t len, const struct ax_ctx *cx, int64_t *ret);

#endif
