/* SPDX-License-Identifier: MIT */
/*
 * The agent-expression interpreter.  Opcodes and their stack effects are the GDB manual's
 * "Bytecode Descriptions"; operands follow the opcode, big-endian.  Values are 64-bit;
 * arithmetic wraps (computed unsigned), comparisons and shifts say whether they are
 * signed.  Tracing bytecodes (trace, trace_quick, trace16, tracev, tracenz) only record
 * data for tracepoints: in a condition they do nothing but their stack effect.
 */
#include "agent.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

enum {
	OP_FLOAT = 0x01,
	OP_ADD = 0x02,
	OP_SUB = 0x03,
	OP_MUL = 0x04,
	OP_DIV_SIGNED = 0x05,
	OP_DIV_UNSIGNED = 0x06,
	OP_REM_SIGNED = 0x07,
	OP_REM_UNSIGNED = 0x08,
	OP_LSH = 0x09,
	OP_RSH_SIGNED = 0x0a,
	OP_RSH_UNSIGNED = 0x0b,
	OP_TRACE = 0x0c,
	OP_TRACE_QUICK = 0x0d,
	OP_LOG_NOT = 0x0e,
	OP_BIT_AND = 0x0f,
	OP_BIT_OR = 0x10,
	OP_BIT_XOR = 0x11,
	OP_BIT_NOT = 0x12,
	OP_EQUAL = 0x13,
	OP_LESS_SIGNED = 0x14,
	OP_LESS_UNSIGNED = 0x15,
	OP_EXT = 0x16,
	OP_REF8 = 0x17,
	OP_REF16 = 0x18,
	OP_REF32 = 0x19,
	OP_REF64 = 0x1a,
	OP_REF_FLOAT = 0x1b,
	OP_REF_DOUBLE = 0x1c,
	OP_REF_LONG_DOUBLE = 0x1d,
	OP_L_TO_D = 0x1e,
	OP_D_TO_L = 0x1f,
	OP_IF_GOTO = 0x20,
	OP_GOTO = 0x21,
	OP_CONST8 = 0x22,
	OP_CONST16 = 0x23,
	OP_CONST32 = 0x24,
	OP_CONST64 = 0x25,
	OP_REG = 0x26,
	OP_END = 0x27,
	OP_DUP = 0x28,
	OP_POP = 0x29,
	OP_ZERO_EXT = 0x2a,
	OP_SWAP = 0x2b,
	OP_GETV = 0x2c,
	OP_SETV = 0x2d,
	OP_TRACEV = 0x2e,
	OP_TRACENZ = 0x2f,
	OP_TRACE16 = 0x30,
	OP_PICK = 0x32,
	OP_ROT = 0x33,
	OP_PRINTF = 0x34,
};

/* Read an n-byte big-endian operand at pc; false if the code ends first. */
static bool operand(const uint8_t *code, size_t len, size_t pc, size_t n, uint64_t *ret)
{
	uint64_t v = 0;

	if (pc + n > len || pc + n < pc)
		return false;
	for (size_t i = 0; i < n; i++)
		v = v << 8 | code[pc + i];
	*ret = v;
	return true;
}

static uint64_t sign_extend(uint64_t v, unsigned bits)
{
	if (bits == 0 || bits >= 64)
		return v;
	uint64_t m = 1ull << (bits - 1);
	v &= (1ull << bits) - 1;
	return (v ^ m) - m;
}

static uint64_t zero_extend(uint64_t v, unsigned bits)
{
	if (bits >= 64)
		return v;
	return v & ((1ull << bits) - 1);
}

/* The operand size of each opcode that has one. */
static size_t operand_size(uint8_t op)
{
	switch (op) {
	case OP_EXT:
	case OP_ZERO_EXT:
	case OP_CONST8:
	case OP_TRACE_QUICK:
	case OP_PICK:
		return 1;
	case OP_IF_GOTO:
	case OP_GOTO:
	case OP_CONST16:
	case OP_REG:
	case OP_GETV:
	case OP_SETV:
	case OP_TRACEV:
	case OP_TRACE16:
		return 2;
	case OP_CONST32:
		return 4;
	case OP_CONST64:
		return 8;
	default:
		return 0;
	}
}

#define NEED(k)                            \
	do {                               \
		if (sp < (k))              \
			return -EOVERFLOW; \
	} while (0)

int gs_ax_eval(const uint8_t *code, size_t len, const struct ax_ctx *cx, int64_t *ret)
{
	uint64_t st[AX_STACK_MAX];
	size_t sp = 0, pc = 0;
	unsigned long steps = 0;

	while (pc < len) {
		uint8_t op = code[pc++];
		uint64_t arg = 0, a, b;
		size_t osz = operand_size(op);
		int r;

		if (++steps > AX_STEPS_MAX)
			return -ELOOP;
		if (osz) {
			if (!operand(code, len, pc, osz, &arg))
				return -EINVAL;
			pc += osz;
		}
		switch (op) {
		case OP_ADD:
		case OP_SUB:
		case OP_MUL:
		case OP_DIV_SIGNED:
		case OP_DIV_UNSIGNED:
		case OP_REM_SIGNED:
		case OP_REM_UNSIGNED:
		case OP_LSH:
		case OP_RSH_SIGNED:
		case OP_RSH_UNSIGNED:
		case OP_BIT_AND:
		case OP_BIT_OR:
		case OP_BIT_XOR:
		case OP_EQUAL:
		case OP_LESS_SIGNED:
		case OP_LESS_UNSIGNED:
			NEED(2);
			b = st[--sp];
			a = st[sp - 1];
			switch (op) {
			case OP_ADD:
				a += b;
				break;
			case OP_SUB:
				a -= b;
				break;
			case OP_MUL:
				a *= b;
				break;
			case OP_DIV_SIGNED:
			case OP_REM_SIGNED:
				if (b == 0)
					return -EDOM;
				if ((int64_t)a == INT64_MIN && (int64_t)b == -1)
					a = op == OP_DIV_SIGNED
					            ? a
					            : 0; /* wraps, as gdb's int64 would */
				else if (op == OP_DIV_SIGNED)
					a = (uint64_t)((int64_t)a / (int64_t)b);
				else
					a = (uint64_t)((int64_t)a % (int64_t)b);
				break;
			case OP_DIV_UNSIGNED:
			case OP_REM_UNSIGNED:
				if (b == 0)
					return -EDOM;
				a = op == OP_DIV_UNSIGNED ? a / b : a % b;
				break;
			case OP_LSH:
				a = b >= 64 ? 0 : a << b;
				break;
			case OP_RSH_SIGNED:
				a = (uint64_t)((int64_t)a >> (b >= 64 ? 63 : b));
				break;
			case OP_RSH_UNSIGNED:
				a = b >= 64 ? 0 : a >> b;
				break;
			case OP_BIT_AND:
				a &= b;
				break;
			case OP_BIT_OR:
				a |= b;
				break;
			case OP_BIT_XOR:
				a ^= b;
				break;
			case OP_EQUAL:
				a = a == b;
				break;
			case OP_LESS_SIGNED:
				a = (int64_t)a < (int64_t)b;
				break;
			default: /* OP_LESS_UNSIGNED */
				a = a < b;
				break;
			}
			st[sp - 1] = a;
			break;
		case OP_LOG_NOT:
			NEED(1);
			st[sp - 1] = st[sp - 1] == 0;
			break;
		case OP_BIT_NOT:
			NEED(1);
			st[sp - 1] = ~st[sp - 1];
			break;
		case OP_EXT:
			NEED(1);
			st[sp - 1] = sign_extend(st[sp - 1], (unsigned)arg);
			break;
		case OP_ZERO_EXT:
			NEED(1);
			st[sp - 1] = zero_extend(st[sp - 1], (unsigned)arg);
			break;
		case OP_REF8:
		case OP_REF16:
		case OP_REF32:
		case OP_REF64: {
			size_t n = (size_t)1 << (op - OP_REF8);
			uint8_t buf[8];
			uint64_t v = 0;
			NEED(1);
			r = cx->mem(cx->arg, st[sp - 1], buf, n);
			if (r < 0)
				return r;
			/* x86_64 is little-endian: the value is zero-extended. */
			for (size_t i = n; i-- > 0;)
				v = v << 8 | buf[i];
			st[sp - 1] = v;
			break;
		}
		case OP_IF_GOTO:
			NEED(1);
			if (st[--sp] == 0)
				break;
			/* fall through */
		case OP_GOTO:
			if (arg >= len)
				return -EINVAL;
			pc = (size_t)arg;
			break;
		case OP_CONST8:
		case OP_CONST16:
		case OP_CONST32:
		case OP_CONST64:
			if (sp == AX_STACK_MAX)
				return -EOVERFLOW;
			st[sp++] = arg;
			break;
		case OP_REG:
			if (sp == AX_STACK_MAX)
				return -EOVERFLOW;
			r = cx->reg(cx->arg, (int)arg, &a);
			if (r < 0)
				return r;
			st[sp++] = a;
			break;
		case OP_END:
			if (sp == 0)
				return -EINVAL;
			*ret = (int64_t)st[sp - 1];
			return 0;
		case OP_DUP:
			NEED(1);
			if (sp == AX_STACK_MAX)
				return -EOVERFLOW;
			st[sp] = st[sp - 1];
			sp++;
			break;
		case OP_POP:
			NEED(1);
			sp--;
			break;
		case OP_SWAP:
			NEED(2);
			a = st[sp - 1];
			st[sp - 1] = st[sp - 2];
			st[sp - 2] = a;
			break;
		case OP_PICK:
			/* pick n: copy the item n below the top (pick 0 is dup). */
			if (arg >= sp)
				return -EOVERFLOW;
			if (sp == AX_STACK_MAX)
				return -EOVERFLOW;
			st[sp] = st[sp - 1 - arg];
			sp++;
			break;
		case OP_ROT:
			/* a b c => c a b */
			NEED(3);
			a = st[sp - 1];
			st[sp - 1] = st[sp - 2];
			st[sp - 2] = st[sp - 3];
			st[sp - 3] = a;
			break;
		case OP_TRACE:
		case OP_TRACENZ:
			/* addr size => (the data would be recorded) */
			NEED(2);
			sp -= 2;
			break;
		case OP_TRACE_QUICK:
		case OP_TRACE16:
			/* addr => addr */
			NEED(1);
			break;
		case OP_TRACEV:
			break;
		case OP_FLOAT:
		case OP_REF_FLOAT:
		case OP_REF_DOUBLE:
		case OP_REF_LONG_DOUBLE:
		case OP_L_TO_D:
		case OP_D_TO_L:
		case OP_GETV:
		case OP_SETV:
		case OP_PRINTF:
			return -ENOTSUP;
		default:
			return -EINVAL;
		}
	}
	/* Ran off the end without `end`. */
	return -EINVAL;
}
