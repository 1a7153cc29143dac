/* SPDX-License-Identifier: MIT */
/*
 * Emulating the instruction under a breakpoint, so that a thread resumed
 * from a hit continues after it with the int3 left in place: no step, no
 * second stop, no other thread held (DESIGN.md, "Performance").
 *
 * The effect is applied to the thread's cached registers and, for stores
 * and pushes, to its stack memory through process_vm_writev, which honours
 * page protections as the instruction would: when an access fails (a guard
 * page, a stack not grown yet) nothing is changed and the caller runs the
 * instruction for real, so the fault or the stack growth happens as it
 * would have.  All reads happen before the one write, so an instruction is
 * applied whole or not at all.
 *
 * EFLAGS: an arithmetic instruction's status flags (CF PF AF ZF SF OF,
 * SDM vol. 1, 3.4.3.1), including the ones the SDM leaves "undefined"
 * (AF after AND, OF after a shift by more than 1, SF/ZF/AF/PF after IMUL),
 * are computed by executing the same instruction on the tracer's CPU with
 * the tracee's status flags loaded (POPF) and reading them back (PUSHF):
 * the tracee runs on this CPU, so the result is what its own execution
 * would give.
 */
#include "internal.h"

#include <string.h>
#include <sys/uio.h>

#define STATUS_FLAGS 0x8d5ull /* CF(0) PF(2) AF(4) ZF(6) SF(7) OF(11) */
#define TF_FLAG      0x100ull

/*
 * pushfq/popfq below rsp would clobber the red zone a leaf function may
 * keep there (System V AMD64 ABI, 3.2.2): step over it first.
 */
#define FLAGS_IN                     \
	"lea -128(%%rsp), %%rsp\n\t" \
	"pushfq\n\t"                 \
	"andq %[keep], (%%rsp)\n\t"  \
	"orq %[fin], (%%rsp)\n\t"    \
	"popfq\n\t"
#define FLAGS_OUT        \
	"\n\tpushfq\n\t" \
	"popq %[fo]\n\t" \
	"lea 128(%%rsp), %%rsp"
#define BIN(mn)                                                         \
	__asm__ volatile(FLAGS_IN mn " %[b], %[a]" FLAGS_OUT            \
	                 : [a] "+r"(a), [fo] "=&r"(fo)                  \
	                 : [b] "r"(b), [fin] "r"(fin), [keep] "r"(keep) \
	                 : "cc", "memory")
#define UN(mn)                                              \
	__asm__ volatile(FLAGS_IN mn " %[a]" FLAGS_OUT      \
	                 : [a] "+r"(a), [fo] "=&r"(fo)      \
	                 : [fin] "r"(fin), [keep] "r"(keep) \
	                 : "cc", "memory")
#define SH(mn)                                                            \
	__asm__ volatile(FLAGS_IN mn " %%cl, %[a]" FLAGS_OUT              \
	                 : [a] "+r"(a), [fo] "=&r"(fo)                    \
	                 : [c] "c"(cnt), [fin] "r"(fin), [keep] "r"(keep) \
	                 : "cc", "memory")

/* One function per operand size: T the C type, S the AT&T suffix. */
#define DEFINE_ALU(NAME, T, S, IMUL)                                    \
	static T NAME(int op, T a, T b, uint64_t fin, uint64_t *ret_fo) \
	{                                                               \
		uint64_t fo = fin, keep = ~STATUS_FLAGS;                \
		uint8_t cnt = (uint8_t)b;                               \
		switch (op) {                                           \
		case ALU_ADD:                                           \
			BIN("add" S);                                   \
			break;                                          \
		case ALU_OR:                                            \
			BIN("or" S);                                    \
			break;                                          \
		case ALU_ADC:                                           \
			BIN("adc" S);                                   \
			break;                                          \
		case ALU_SBB:                                           \
			BIN("sbb" S);                                   \
			break;                                          \
		case ALU_AND:                                           \
			BIN("and" S);                                   \
			break;                                          \
		case ALU_SUB:                                           \
			BIN("sub" S);                                   \
			break;                                          \
		case ALU_XOR:                                           \
			BIN("xor" S);                                   \
			break;                                          \
		case ALU_CMP:                                           \
			BIN("cmp" S);                                   \
			break;                                          \
		case ALU_TEST:                                          \
			BIN("test" S);                                  \
			break;                                          \
		case ALU_INC:                                           \
			UN("inc" S);                                    \
			break;                                          \
		case ALU_DEC:                                           \
			UN("dec" S);                                    \
			break;                                          \
		case ALU_NEG:                                           \
			UN("neg" S);                                    \
			break;                                          \
		case ALU_NOT:                                           \
			UN("not" S);                                    \
			break;                                          \
		case ALU_SHL:                                           \
			SH("shl" S);                                    \
			break;                                          \
		case ALU_SHR:                                           \
			SH("shr" S);                                    \
			break;                                          \
		case ALU_SAR:                                           \
			SH("sar" S);                                    \
			break;                                          \
		case ALU_ROL:                                           \
			SH("rol" S);                                    \
			break;                                          \
		case ALU_ROR:                                           \
			SH("ror" S);                                    \
			break;                                          \
		case ALU_IMUL:                                          \
			IMUL;                                           \
			break;                                          \
		default:                                                \
			break;                                          \
		}                                                       \
		*ret_fo = fo;                                           \
		return a;                                               \
	}

DEFINE_ALU(alu8, uint8_t, "b", (void)0)
DEFINE_ALU(alu16, uint16_t, "w", BIN("imulw"))
DEFINE_ALU(alu32, uint32_t, "l", BIN("imull"))
DEFINE_ALU(alu64, uint64_t, "q", BIN("imulq"))

/*
 * Run op on the tracer's CPU with the tracee's status flags *flags; the
 * result comes back, *flags is updated with the status flags it produced.
 */
static uint64_t alu(int op, int size, uint64_t a, uint64_t b, uint64_t *flags)
{
	uint64_t fin = *flags & STATUS_FLAGS, fo = 0, r;
	switch (size) {
	case 1:
		r = alu8(op, (uint8_t)a, (uint8_t)b, fin, &fo);
		break;
	case 2:
		r = alu16(op, (uint16_t)a, (uint16_t)b, fin, &fo);
		break;
	case 4:
		r = alu32(op, (uint32_t)a, (uint32_t)b, fin, &fo);
		break;
	default:
		r = alu64(op, a, b, fin, &fo);
		break;
	}
	*flags = (*flags & ~STATUS_FLAGS) | (fo & STATUS_FLAGS);
	return r;
}

/* Condition codes (SDM vol. 1, appendix B): cc is the low nibble of jcc's opcode. */
static bool cond(unsigned cc, uint64_t f)
{
	bool cf = f & 0x1, pf = f & 0x4, zf = f & 0x40, sf = f & 0x80, of = f & 0x800;
	bool r;
	switch (cc >> 1) {
	case 0:
		r = of;
		break;
	case 1:
		r = cf;
		break;
	case 2:
		r = zf;
		break;
	case 3:
		r = cf || zf;
		break;
	case 4:
		r = sf;
		break;
	case 5:
		r = pf;
		break;
	case 6:
		r = sf != of;
		break;
	default:
		r = zf || sf != of;
		break;
	}
	return (cc & 1) ? !r : r;
}

static uint64_t mask(int size)
{
	return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

static uint64_t sext(uint64_t v, int size)
{
	if (size >= 8)
		return v;
	uint64_t sign = 1ull << (size * 8 - 1);
	v &= mask(size);
	return (v ^ sign) - sign;
}

struct ctx {
	struct ptk_session *s;
	pid_t tid;
	struct ptk_regs r; /* the registers being computed */
	uint64_t next;     /* address of the next instruction */
	bool wpending;
	uint64_t waddr;
	int wsize;
	uint64_t wval;
	struct inflight *refs;
	uint16_t op; /* in->op, or in->op_alone */
};

static uint64_t reg_get(const struct ptk_regs *r, const struct iop *o)
{
	struct ptk_regs rr = *r;
	uint64_t v = *insn_gpr(&rr, o->reg);
	if (o->hi8)
		return (v >> 8) & 0xff;
	return v & mask(o->size);
}

/* Write a GPR as the CPU does: 32-bit results zero-extend, 8/16-bit merge. */
static void reg_set(struct ptk_regs *r, int reg, int size, bool hi8, uint64_t v)
{
	uint64_t *p = insn_gpr(r, reg);
	if (hi8)
		*p = (*p & ~0xff00ull) | ((v & 0xff) << 8);
	else if (size == 8)
		*p = v;
	else if (size == 4)
		*p = v & 0xffffffffull;
	else
		*p = (*p & ~mask(size)) | (v & mask(size));
}

static uint64_t ea(const struct ctx *c, const struct iop *o)
{
	struct ptk_regs rr = c->r;
	uint64_t a = (uint64_t)o->imm;
	if (o->reg == IREG_RIP)
		a += c->next;
	else if (o->reg >= 0)
		a += *insn_gpr(&rr, o->reg);
	if (o->index >= 0)
		a += *insn_gpr(&rr, o->index) * o->scale;
	if (o->seg == SEG_FS)
		a += c->r.fs_base;
	else if (o->seg == SEG_GS)
		a += c->r.gs_base;
	return a;
}

static void note_ref(struct ctx *c, uint64_t a, int size, uint8_t acc)
{
	struct inflight *w = c->refs;
	if (w->n < INSN_MAXREF)
		w->ref[w->n++] = (struct memref){a, (uint32_t)size, acc};
	else
		w->unknown = true;
}

/* Read size bytes at a as the tracee would (protections apply). 0, or 1: cannot. */
static int mem_get(struct ctx *c, uint64_t a, int size, uint64_t *ret)
{
	uint64_t v = 0;
	struct iovec l = {&v, (size_t)size}, rm = {(void *)(uintptr_t)a, (size_t)size};
	if (c->s->vm_rw_broken)
		return 1;
	ssize_t n = process_vm_readv(c->tid, &l, 1, &rm, 1, 0);
	c->s->st.vm_reads++;
	if (n != size)
		return n < 0 && errno == ESRCH ? -ESRCH : 1;
	note_ref(c, a, size, REF_R);
	*ret = v;
	return 0;
}

static int mem_put(struct ctx *c, uint64_t a, int size, uint64_t v)
{
	c->wpending = true;
	c->waddr = a;
	c->wsize = size;
	c->wval = v;
	note_ref(c, a, size, REF_W);
	return 0;
}

static int get(struct ctx *c, const struct iop *o, uint64_t *ret)
{
	switch (o->type) {
	case IOP_REG:
		*ret = reg_get(&c->r, o);
		return 0;
	case IOP_IMM:
		*ret = (uint64_t)o->imm & mask(o->size);
		return 0;
	default:
		return mem_get(c, ea(c, o), o->size, ret);
	}
}

static int put(struct ctx *c, const struct iop *o, uint64_t v)
{
	if (o->type == IOP_REG) {
		reg_set(&c->r, o->reg, o->size, o->hi8, v);
		return 0;
	}
	return mem_put(c, ea(c, o), o->size, v & mask(o->size));
}

static int push(struct ctx *c, uint64_t v)
{
	c->r.rsp -= 8;
	return mem_put(c, c->r.rsp, 8, v);
}

static int pop(struct ctx *c, uint64_t *ret)
{
	int r = mem_get(c, c->r.rsp, 8, ret);
	if (r == 0)
		c->r.rsp += 8;
	return r;
}

/* Apply in to c->r; 0 done, 1 not possible here, -errno. */
static int exec1(struct ctx *c, const struct insn *in)
{
	const struct iop *o0 = &in->ops[0], *o1 = &in->ops[1];
	uint64_t a = 0, b = 0, v;
	int r = 0;
	c->r.rip = c->next;
	switch (c->op) {
	case EOP_NOP:
		return 0;
	case EOP_MOV:
		if ((r = get(c, o1, &v)))
			return r;
		return put(c, o0, v);
	case EOP_MOVZX:
		if ((r = get(c, o1, &v)))
			return r;
		return put(c, o0, v & mask(o1->size));
	case EOP_MOVSX:
		if ((r = get(c, o1, &v)))
			return r;
		return put(c, o0, sext(v, o1->size));
	case EOP_LEA:
		return put(c, o0, ea(c, o1));
	case EOP_PUSH:
		if ((r = get(c, o0, &v)))
			return r;
		if (o0->type == IOP_IMM)
			v = (uint64_t)o0->imm; /* sign-extended to 64 bits */
		return push(c, v);
	case EOP_POP:
		if ((r = pop(c, &v)))
			return r;
		return put(c, o0, v); /* pop rsp: rsp gets the popped value */
	case EOP_ALU2:
		if ((r = get(c, o0, &a)) || (r = get(c, o1, &b)))
			return r;
		if (o1->type == IOP_IMM)
			b = (uint64_t)o1->imm & mask(o0->size);
		v = alu(in->sub, o0->size, a, b, &c->r.eflags);
		if (in->sub == ALU_CMP || in->sub == ALU_TEST)
			return 0;
		return put(c, o0, v);
	case EOP_ALU1:
		if ((r = get(c, o0, &a)))
			return r;
		return put(c, o0, alu(in->sub, o0->size, a, 0, &c->r.eflags));
	case EOP_SHIFT:
		if ((r = get(c, o0, &a)))
			return r;
		b = 1;
		if (in->nops == 2 && (r = get(c, o1, &b)))
			return r;
		return put(c, o0, alu(in->sub, o0->size, a, b & 0xff, &c->r.eflags));
	case EOP_IMUL:
		if (in->nops == 3) {
			if ((r = get(c, o1, &a)))
				return r;
			b = (uint64_t)in->ops[2].imm;
		} else if ((r = get(c, o0, &a)) || (r = get(c, o1, &b))) {
			return r;
		}
		return put(c, o0, alu(ALU_IMUL, o0->size, a, b, &c->r.eflags));
	case EOP_JMP:
		if (o0->type == IOP_IMM)
			v = (uint64_t)o0->imm;
		else if ((r = get(c, o0, &v)))
			return r; /* through a register, or memory (op_alone) */
		c->r.rip = v;
		return 0;
	case EOP_JCC:
		if (cond(in->sub, c->r.eflags))
			c->r.rip = (uint64_t)o0->imm;
		return 0;
	case EOP_CALL:
		/* the target is read before the push (an rsp-based operand sees the old rsp) */
		if (o0->type == IOP_IMM)
			v = (uint64_t)o0->imm;
		else if ((r = get(c, o0, &v)))
			return r;
		if ((r = push(c, c->next)))
			return r;
		c->r.rip = v;
		return 0;
	case EOP_RET:
		if ((r = pop(c, &v)))
			return r;
		if (in->nops == 1)
			c->r.rsp += (uint64_t)o0->imm & 0xffff;
		c->r.rip = v;
		return 0;
	case EOP_LEAVE:
		c->r.rsp = c->r.rbp;
		if ((r = pop(c, &v)))
			return r;
		c->r.rbp = v;
		return 0;
	case EOP_CMOV:
		if ((r = get(c, o1, &v)))
			return r;
		if (cond(in->sub, c->r.eflags))
			return put(c, o0, v);
		/* a false 32-bit cmov still zero-extends its destination (SDM: CMOVcc) */
		if (o0->size == 4)
			reg_set(&c->r, o0->reg, 4, false, reg_get(&c->r, o0));
		return 0;
	case EOP_SETCC:
		return put(c, o0, cond(in->sub, c->r.eflags) ? 1 : 0);
	case EOP_SEXT_A: /* cbw, cwde, cdqe */
		reg_set(&c->r, 0, in->sub, false, sext(c->r.rax, in->sub / 2));
		return 0;
	case EOP_SEXT_AD: /* cwd, cdq, cqo: rdx gets the sign of rax */
		v = (sext(c->r.rax, in->sub) >> 63) ? ~0ull : 0;
		reg_set(&c->r, 2, in->sub, false, v);
		return 0;
	case EOP_XCHG:
		a = reg_get(&c->r, o0);
		b = reg_get(&c->r, o1);
		reg_set(&c->r, o0->reg, o0->size, o0->hi8, b);
		reg_set(&c->r, o1->reg, o1->size, o1->hi8, a);
		return 0;
	case EOP_LOOP: {
		bool take;
		if (in->sub <= 2) {
			c->r.rcx--; /* no flags change (SDM: LOOP/LOOPcc) */
			take = c->r.rcx != 0;
			if (in->sub == 1)
				take = take && (c->r.eflags & 0x40);
			else if (in->sub == 2)
				take = take && !(c->r.eflags & 0x40);
		} else {
			take = (in->sub == 3 ? c->r.rcx : (c->r.rcx & 0xffffffffull)) == 0;
		}
		if (take)
			c->r.rip = (uint64_t)o0->imm;
		return 0;
	}
	default:
		return 1;
	}
}

/*
 * Emulate in (the instruction at t's pc) on t's cached registers; alone:
 * no other thread of the address space can run meanwhile, so in->op_alone
 * applies.  Returns 1 when done (t->regs hold the result, not yet stored),
 * 0 when the instruction must run for real (not emulated, the tracee
 * single-steps itself, or a memory access failed), or -errno.  *ret_refs
 * receives the memory it accessed.
 */
int emu_run(struct ptk_session *s, struct tracee *t, const struct insn *in, bool alone,
            struct inflight *ret_refs)
{
	memset(ret_refs, 0, sizeof *ret_refs);
	ret_refs->valid = true;
	uint16_t op = alone ? in->op_alone : in->op;
	if (op == EOP_NONE || !t->regs_valid)
		return 0;
	/* The tracee traces itself (TF): its trap after this instruction is due. */
	if (t->regs.eflags & TF_FLAG)
		return 0;
	struct ctx c = {.s = s, .tid = t->tid, .r = t->regs, .refs = ret_refs, .op = op};
	c.next = t->regs.rip + in->len;
	int r = exec1(&c, in);
	if (r != 0)
		return r < 0 ? r : 0;
	if (c.wpending) {
		if (s->vm_rw_broken)
			return 0;
		struct iovec l = {&c.wval, (size_t)c.wsize},
		             rm = {(void *)(uintptr_t)c.waddr, (size_t)c.wsize};
		ssize_t n = process_vm_writev(t->tid, &l, 1, &rm, 1, 0);
		s->st.vm_writes++;
		if (n != c.wsize)
			return n < 0 && errno == ESRCH ? -ESRCH : 0;
	}
	t->regs = c.r;
	return 1;
}
