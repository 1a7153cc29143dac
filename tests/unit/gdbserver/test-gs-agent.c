/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the agent-expression interpreter (src/gdbserver/agent.c): every family
 * of bytecodes, the errors, and conditions exactly as gdb 13 sent them in Z0 packets.
 */
#include "agent.h"
#include "harness.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A fake thread: registers by gdb number, 256 bytes of memory at 0x1000. */
static uint64_t regs[64];
static uint8_t mem[256];
static int reads;

static int reg(void *arg, int regno, uint64_t *ret)
{
	(void)arg;
	if (regno < 0 || regno >= 64)
		return -EINVAL;
	*ret = regs[regno];
	return 0;
}

static int rd(void *arg, uint64_t addr, void *buf, size_t n)
{
	(void)arg;
	reads++;
	if (addr < 0x1000 || addr + n > 0x1000 + sizeof mem)
		return -EFAULT;
	memcpy(buf, mem + (addr - 0x1000), n);
	return 0;
}

static const struct ax_ctx cx = {.reg = reg, .mem = rd};

/* Evaluate a hex string of bytecode. */
static int ev(const char *hex, int64_t *ret)
{
	uint8_t code[512];
	size_t n = strlen(hex) / 2;

	for (size_t i = 0; i < n; i++) {
		char b[3] = {hex[2 * i], hex[2 * i + 1], 0};
		code[i] = (uint8_t)strtoul(b, NULL, 16);
	}
	*ret = 0x5a5a;
	return gs_ax_eval(code, n, &cx, ret);
}

static int64_t val(const char *hex)
{
	int64_t v;
	int r = ev(hex, &v);
	CHECK_MSG(r == 0, "%s failed: %d", hex, r);
	return v;
}

TEST(constants_and_arithmetic)
{
	CHECK_EQ_INT(val("222a27"), 42);                         /* const8 42, end */
	CHECK_EQ_INT(val("23123427"), 0x1234);                   /* const16, big-endian */
	CHECK_EQ_INT(val("249abcdef027"), 0x9abcdef0);           /* const32, not sign-extended */
	CHECK_EQ_HEX(val("25fffffffffffffffe27"), (uint64_t)-2); /* const64 */
	CHECK_EQ_INT(val("2205220702"
	                 "27"),
	             12); /* 5 + 7 */
	CHECK_EQ_INT(val("2205220703"
	                 "27"),
	             -2); /* 5 - 7 */
	CHECK_EQ_INT(val("2206220704"
	                 "27"),
	             42); /* mul */
	CHECK_EQ_INT(val("22f91608220205"
	                 "27"),
	             -3); /* -7 / 2 signed: -3 */
	CHECK_EQ_INT(val("22f91608220207"
	                 "27"),
	             -1); /* -7 % 2 signed: -1 */
	CHECK_EQ_HEX(val("22f91608220206"
	                 "27"),
	             (uint64_t)-7 / 2); /* unsigned */
	CHECK_EQ_INT(val("22f91608220208"
	                 "27"),
	             1); /* unsigned rem */
	CHECK_EQ_INT(val("2201220409"
	                 "27"),
	             16); /* 1 << 4 */
	CHECK_EQ_INT(val("22f0160822020a"
	                 "27"),
	             -4); /* -16 >> 2 signed */
	CHECK_EQ_HEX(val("22f0160822020b"
	                 "27"),
	             (uint64_t)-16 >> 2);
	CHECK_EQ_INT(val("220c220a0f"
	                 "27"),
	             8); /* and */
	CHECK_EQ_INT(val("220c220a10"
	                 "27"),
	             14); /* or */
	CHECK_EQ_INT(val("220c220a11"
	                 "27"),
	             6); /* xor */
	CHECK_EQ_INT(val("220012"
	                 "27"),
	             -1); /* bit_not */
	CHECK_EQ_INT(val("22000e"
	                 "27"),
	             1); /* log_not */
	CHECK_EQ_INT(val("22050e"
	                 "27"),
	             0);
}

TEST(comparisons_and_extension)
{
	CHECK_EQ_INT(val("2205220513"
	                 "27"),
	             1); /* equal */
	CHECK_EQ_INT(val("2205220613"
	                 "27"),
	             0);
	CHECK_EQ_INT(val("22ff1608220114"
	                 "27"),
	             1); /* -1 < 1 signed */
	CHECK_EQ_INT(val("22ff1608220115"
	                 "27"),
	             0); /* 0xff..ff < 1 unsigned: no */
	CHECK_EQ_INT(val("22ff1608"
	                 "27"),
	             -1); /* ext 8 */
	CHECK_EQ_INT(val("22ff1604"
	                 "27"),
	             -1); /* ext 4 */
	CHECK_EQ_INT(val("227f1608"
	                 "27"),
	             127);
	CHECK_EQ_INT(val("22ff16082a08"
	                 "27"),
	             255); /* zero_ext 8 */
	CHECK_EQ_INT(val("22ff2a40"
	                 "27"),
	             255); /* zero_ext 64: unchanged */
}

TEST(stack_ops)
{
	CHECK_EQ_INT(val("22032802"
	                 "27"),
	             6); /* dup, add */
	CHECK_EQ_INT(val("2201220229"
	                 "27"),
	             1); /* pop */
	CHECK_EQ_INT(val("220122022b03"
	                 "27"),
	             1); /* swap: 2 - 1 */
	CHECK_EQ_INT(val("2201220222033201"
	                 "27"),
	             2); /* pick 1 */
	CHECK_EQ_INT(val("220122022203"
	                 "33"
	                 "27"),
	             2); /* rot: a b c => c a b, top b */
	CHECK_EQ_INT(val("22012202220333"
	                 "3200"
	                 "27"),
	             2); /* rot, then pick 0 */
}

TEST(jumps)
{
	/* if (1) goto 7 else push 9 ; 7: push 5 */
	CHECK_EQ_INT(val("2201"
	                 "200008"
	                 "220927"
	                 "220527"),
	             5);
	CHECK_EQ_INT(val("2200"
	                 "200008"
	                 "220927"
	                 "220527"),
	             9);
	/* goto over a bad opcode */
	CHECK_EQ_INT(val("210004"
	                 "ff"
	                 "220827"),
	             8);
	/* a loop: counter in a register-free form, 0..9, using dup/if_goto */
	/* push 10; L(3): const8 1; sub; dup; if_goto L; end  -> 0 */
	CHECK_EQ_INT(val("220a"
	                 "2201"
	                 "03"
	                 "28"
	                 "200002"
	                 "27"),
	             0);
}

TEST(registers_and_memory)
{
	memset(mem, 0, sizeof mem);
	regs[6] = 0x1010;   /* rbp */
	mem[0x10 - 8] = 97; /* *(rbp - 8) */
	mem[0x20] = 0x34;
	mem[0x21] = 0x12;
	/* gdb 13 for `break step_target if i == 97` (i: long at rbp-8), as sent in Z0: */
	const char *gdb_cond = "26000622100222e81608021a164022611327";
	CHECK_EQ_INT(val(gdb_cond), 1);
	mem[0x10 - 8] = 5;
	CHECK_EQ_INT(val(gdb_cond), 0);
	CHECK_EQ_INT(val("2400001020"
	                 "18"
	                 "27"),
	             0x1234); /* ref16 */
	CHECK_EQ_INT(val("2400001020"
	                 "17"
	                 "27"),
	             0x34); /* ref8 */
	mem[0x23] = 0x80;
	CHECK_EQ_HEX(val("2400001020"
	                 "19"
	                 "27"),
	             0x80001234); /* ref32: zero-extended */
	int64_t v;
	CHECK_EQ_INT(ev("2400002000"
	                "1a"
	                "27",
	                &v),
	             -EFAULT); /* unreadable */
	CHECK_EQ_INT(ev("26003f"
	                "27",
	                &v),
	             0);
	CHECK_EQ_INT(ev("260040"
	                "27",
	                &v),
	             -EINVAL); /* no such register */
	/* trace_quick leaves the address, trace pops two */
	CHECK_EQ_INT(val("2400001020"
	                 "0d02"
	                 "18"
	                 "27"),
	             0x1234);
	CHECK_EQ_INT(val("2207"
	                 "2201"
	                 "2202"
	                 "0c"
	                 "27"),
	             7);
}

TEST(errors)
{
	int64_t v;

	CHECK_EQ_INT(ev("", &v), -EINVAL);     /* empty */
	CHECK_EQ_INT(ev("2201", &v), -EINVAL); /* no end */
	CHECK_EQ_INT(ev("27", &v), -EINVAL);   /* end with an empty stack */
	CHECK_EQ_INT(ev("22", &v), -EINVAL);   /* truncated operand */
	CHECK_EQ_INT(ev("2501020304", &v), -EINVAL);
	CHECK_EQ_INT(ev("0227", &v), -EOVERFLOW); /* underflow */
	CHECK_EQ_INT(ev("22012200"
	                "05"
	                "27",
	                &v),
	             -EDOM);
	CHECK_EQ_INT(ev("22012200"
	                "08"
	                "27",
	                &v),
	             -EDOM);
	CHECK_EQ_INT(ev("ff27", &v), -EINVAL); /* unknown opcode */
	CHECK_EQ_INT(ev("31", &v), -EINVAL);   /* a hole in the table */
	CHECK_EQ_INT(ev("210100"
	                "27",
	                &v),
	             -EINVAL); /* goto outside */
	CHECK_EQ_INT(ev("01"
	                "27",
	                &v),
	             -ENOTSUP); /* float */
	CHECK_EQ_INT(ev("2c0001"
	                "27",
	                &v),
	             -ENOTSUP);                 /* getv */
	CHECK_EQ_INT(ev("34", &v), -ENOTSUP);   /* printf */
	CHECK_EQ_INT(ev("210000", &v), -ELOOP); /* goto itself */
	CHECK_EQ_INT(ev("2201"
	                "3205"
	                "27",
	                &v),
	             -EOVERFLOW); /* pick below the bottom */
	CHECK_EQ_HEX(v, 0x5a5a);  /* failures leave the result alone */
}

TEST(stack_overflow)
{
	/* const8 1, then 1100 x dup: more than AX_STACK_MAX */
	static uint8_t code[1200];
	int64_t v;
	size_t n = 0;

	code[n++] = 0x22;
	code[n++] = 1;
	for (int i = 0; i < 1100; i++)
		code[n++] = 0x28;
	code[n++] = 0x27;
	CHECK_EQ_INT(gs_ax_eval(code, n, &cx, &v), -EOVERFLOW);
}

TEST(int64_min_division_wraps)
{
	/* INT64_MIN / -1 and % -1: no trap */
	CHECK_EQ_HEX(val("258000000000000000"
	                 "22ff1608"
	                 "05"
	                 "27"),
	             0x8000000000000000ull);
	CHECK_EQ_INT(val("258000000000000000"
	                 "22ff1608"
	                 "07"
	                 "27"),
	             0);
}
