/* SPDX-License-Identifier: MIT */
/*
 * Instruction facts for breakpoints and watchpoints, decoded with capstone:
 * the length of the instruction under a breakpoint, whether ptk emulates
 * it (and how), whether a copy of it can run out of line (and where its
 * rip-relative displacement sits), and which memory it reads and writes.
 *
 * Emulation is decided here, once per breakpoint, and only for forms whose
 * effect emu.c computes exactly: general registers, immediates, and memory
 * addressed from rsp or rbp (the thread's own frame: another thread never
 * races with an emulated store there).  No lock or rep prefix, no address
 * size override, no fs/gs segment, no memory outside the frame (a load
 * through process_vm_readv is not one atomic access as the instruction's
 * own would be).  Everything else runs for real: out of line or stepped.
 *
 * A single step of a thread that no other thread can race with (every
 * other thread of its address space stopped, PTK_STEP_EMULATE) may use a
 * wider set, op_alone: memory anywhere (rip-relative globals, the heap),
 * fs/gs-relative memory (the thread's TLS), and jumps and calls through
 * memory (PLT entries).  Still no lock or rep prefix.
 */
#include "internal.h"

#include <capstone/capstone.h>
#include <pthread.h>
#include <string.h>

/*
 * One capstone handle for the library, opened on first use and kept (a
 * handle is not safe for concurrent use: the mutex serialises decoders).
 */
static pthread_mutex_t cs_lock = PTHREAD_MUTEX_INITIALIZER;
static csh cs_h;
static int cs_state; /* 0 not opened, 1 open, -1 failed */

uint64_t *insn_gpr(struct ptk_regs *r, int i)
{
	switch (i) {
	case 0:
		return &r->rax;
	case 1:
		return &r->rcx;
	case 2:
		return &r->rdx;
	case 3:
		return &r->rbx;
	case 4:
		return &r->rsp;
	case 5:
		return &r->rbp;
	case 6:
		return &r->rsi;
	case 7:
		return &r->rdi;
	case 8:
		return &r->r8;
	case 9:
		return &r->r9;
	case 10:
		return &r->r10;
	case 11:
		return &r->r11;
	case 12:
		return &r->r12;
	case 13:
		return &r->r13;
	case 14:
		return &r->r14;
	case 15:
		return &r->r15;
	default:
		return NULL;
	}
}

/* A capstone register as (number 0-15, size, high byte); false if not a GPR. */
static bool gpr_of(x86_reg reg, int *ret_i, int *ret_size, bool *ret_hi8)
{
	static const struct {
		x86_reg r;
		int8_t i, size;
	} map[] = {
	        {X86_REG_RAX, 0, 8},   {X86_REG_EAX, 0, 4},   {X86_REG_AX, 0, 2},
	        {X86_REG_AL, 0, 1},    {X86_REG_RCX, 1, 8},   {X86_REG_ECX, 1, 4},
	        {X86_REG_CX, 1, 2},    {X86_REG_CL, 1, 1},    {X86_REG_RDX, 2, 8},
	        {X86_REG_EDX, 2, 4},   {X86_REG_DX, 2, 2},    {X86_REG_DL, 2, 1},
	        {X86_REG_RBX, 3, 8},   {X86_REG_EBX, 3, 4},   {X86_REG_BX, 3, 2},
	        {X86_REG_BL, 3, 1},    {X86_REG_RSP, 4, 8},   {X86_REG_ESP, 4, 4},
	        {X86_REG_SP, 4, 2},    {X86_REG_SPL, 4, 1},   {X86_REG_RBP, 5, 8},
	        {X86_REG_EBP, 5, 4},   {X86_REG_BP, 5, 2},    {X86_REG_BPL, 5, 1},
	        {X86_REG_RSI, 6, 8},   {X86_REG_ESI, 6, 4},   {X86_REG_SI, 6, 2},
	        {X86_REG_SIL, 6, 1},   {X86_REG_RDI, 7, 8},   {X86_REG_EDI, 7, 4},
	        {X86_REG_DI, 7, 2},    {X86_REG_DIL, 7, 1},   {X86_REG_R8, 8, 8},
	        {X86_REG_R8D, 8, 4},   {X86_REG_R8W, 8, 2},   {X86_REG_R8B, 8, 1},
	        {X86_REG_R9, 9, 8},    {X86_REG_R9D, 9, 4},   {X86_REG_R9W, 9, 2},
	        {X86_REG_R9B, 9, 1},   {X86_REG_R10, 10, 8},  {X86_REG_R10D, 10, 4},
	        {X86_REG_R10W, 10, 2}, {X86_REG_R10B, 10, 1}, {X86_REG_R11, 11, 8},
	        {X86_REG_R11D, 11, 4}, {X86_REG_R11W, 11, 2}, {X86_REG_R11B, 11, 1},
	        {X86_REG_R12, 12, 8},  {X86_REG_R12D, 12, 4}, {X86_REG_R12W, 12, 2},
	        {X86_REG_R12B, 12, 1}, {X86_REG_R13, 13, 8},  {X86_REG_R13D, 13, 4},
	        {X86_REG_R13W, 13, 2}, {X86_REG_R13B, 13, 1}, {X86_REG_R14, 14, 8},
	        {X86_REG_R14D, 14, 4}, {X86_REG_R14W, 14, 2}, {X86_REG_R14B, 14, 1},
	        {X86_REG_R15, 15, 8},  {X86_REG_R15D, 15, 4}, {X86_REG_R15W, 15, 2},
	        {X86_REG_R15B, 15, 1},
	};
	*ret_hi8 = false;
	switch (reg) {
	case X86_REG_AH:
		*ret_i = 0, *ret_size = 1, *ret_hi8 = true;
		return true;
	case X86_REG_CH:
		*ret_i = 1, *ret_size = 1, *ret_hi8 = true;
		return true;
	case X86_REG_DH:
		*ret_i = 2, *ret_size = 1, *ret_hi8 = true;
		return true;
	case X86_REG_BH:
		*ret_i = 3, *ret_size = 1, *ret_hi8 = true;
		return true;
	default:
		break;
	}
	for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
		if (map[k].r == reg) {
			*ret_i = map[k].i;
			*ret_size = map[k].size;
			return true;
		}
	return false;
}

/* Instructions whose memory operands are not accesses (hints, address arithmetic). */
static bool no_access(unsigned id)
{
	switch (id) {
	case X86_INS_NOP:
	case X86_INS_LEA:
	case X86_INS_PREFETCH:
	case X86_INS_PREFETCHNTA:
	case X86_INS_PREFETCHT0:
	case X86_INS_PREFETCHT1:
	case X86_INS_PREFETCHT2:
	case X86_INS_PREFETCHW:
	case X86_INS_CLFLUSH:
	case X86_INS_CLFLUSHOPT:
	case X86_INS_CLWB:
		return true;
	default:
		return false;
	}
}

/* Instructions that touch memory capstone does not describe as an operand. */
static bool footprint_unknown(unsigned id)
{
	switch (id) {
	case X86_INS_XSAVE:
	case X86_INS_XSAVE64:
	case X86_INS_XSAVEC:
	case X86_INS_XSAVEC64:
	case X86_INS_XSAVEOPT:
	case X86_INS_XSAVEOPT64:
	case X86_INS_XSAVES:
	case X86_INS_XSAVES64:
	case X86_INS_XRSTOR:
	case X86_INS_XRSTOR64:
	case X86_INS_XRSTORS:
	case X86_INS_XRSTORS64:
	case X86_INS_FXSAVE:
	case X86_INS_FXSAVE64:
	case X86_INS_FXRSTOR:
	case X86_INS_FXRSTOR64:
	case X86_INS_FNSAVE:
	case X86_INS_FRSTOR:
	case X86_INS_FNSTENV:
	case X86_INS_FLDENV:
	case X86_INS_ENTER:
	case X86_INS_MASKMOVQ:
	case X86_INS_MASKMOVDQU:
	case X86_INS_VMASKMOVDQU:
		return true;
	default:
		return false;
	}
}

/* Implicit stack accesses (SDM vol. 2: PUSH, CALL, POP, RET, LEAVE, PUSHF, POPF). */
static uint8_t stack_use(unsigned id)
{
	switch (id) {
	case X86_INS_PUSH:
	case X86_INS_PUSHF:
	case X86_INS_PUSHFQ:
	case X86_INS_CALL:
		return STK_PUSH;
	case X86_INS_POP:
	case X86_INS_POPF:
	case X86_INS_POPFQ:
	case X86_INS_RET:
		return STK_POP;
	case X86_INS_LEAVE:
		return STK_LEAVE;
	default:
		return 0;
	}
}

/*
 * String instructions: with a rep prefix, a single step runs one iteration
 * and leaves the pc on the instruction until the count runs out (SDM vol.
 * 3, 18.3.1.4: the trap flag is checked after each iteration).
 */
static bool is_string(unsigned id)
{
	switch (id) {
	case X86_INS_MOVSB:
	case X86_INS_MOVSW:
	case X86_INS_MOVSD:
	case X86_INS_MOVSQ:
	case X86_INS_STOSB:
	case X86_INS_STOSW:
	case X86_INS_STOSD:
	case X86_INS_STOSQ:
	case X86_INS_LODSB:
	case X86_INS_LODSW:
	case X86_INS_LODSD:
	case X86_INS_LODSQ:
	case X86_INS_CMPSB:
	case X86_INS_CMPSW:
	case X86_INS_CMPSD:
	case X86_INS_CMPSQ:
	case X86_INS_SCASB:
	case X86_INS_SCASW:
	case X86_INS_SCASD:
	case X86_INS_SCASQ:
	case X86_INS_INSB:
	case X86_INS_INSW:
	case X86_INS_INSD:
	case X86_INS_OUTSB:
	case X86_INS_OUTSW:
	case X86_INS_OUTSD:
		return true;
	default:
		return false;
	}
}

static bool is_relbranch(unsigned id, const cs_x86 *x)
{
	switch (id) {
	case X86_INS_JMP:
	case X86_INS_CALL:
		return x->op_count == 1 && x->operands[0].type == X86_OP_IMM;
	case X86_INS_JAE:
	case X86_INS_JA:
	case X86_INS_JBE:
	case X86_INS_JB:
	case X86_INS_JCXZ:
	case X86_INS_JECXZ:
	case X86_INS_JE:
	case X86_INS_JGE:
	case X86_INS_JG:
	case X86_INS_JLE:
	case X86_INS_JL:
	case X86_INS_JNE:
	case X86_INS_JNO:
	case X86_INS_JNP:
	case X86_INS_JNS:
	case X86_INS_JO:
	case X86_INS_JP:
	case X86_INS_JRCXZ:
	case X86_INS_JS:
	case X86_INS_LOOP:
	case X86_INS_LOOPE:
	case X86_INS_LOOPNE:
	case X86_INS_XBEGIN:
		return true;
	default:
		return false;
	}
}

/* Convert capstone's operands; false when one is not something ptk models. */
static bool convert_ops(const cs_x86 *x, struct insn *in)
{
	if (x->op_count > INSN_MAXOPS)
		return false;
	for (int k = 0; k < x->op_count; k++) {
		const cs_x86_op *o = &x->operands[k];
		struct iop *d = &in->ops[k];
		int i, size;
		bool hi8;
		d->size = o->size;
		d->acc = (uint8_t)(((o->access & CS_AC_READ) ? REF_R : 0) |
		                   ((o->access & CS_AC_WRITE) ? REF_W : 0));
		switch (o->type) {
		case X86_OP_REG:
			if (!gpr_of(o->reg, &i, &size, &hi8) || size != o->size)
				return false;
			d->type = IOP_REG;
			d->reg = (int8_t)i;
			d->hi8 = hi8;
			break;
		case X86_OP_IMM:
			d->type = IOP_IMM;
			d->imm = o->imm;
			break;
		case X86_OP_MEM:
			d->type = IOP_MEM;
			d->imm = o->mem.disp;
			d->scale = (uint8_t)o->mem.scale;
			d->reg = -1;
			d->index = -1;
			if (o->mem.base == X86_REG_RIP) {
				d->reg = IREG_RIP;
			} else if (o->mem.base != X86_REG_INVALID) {
				if (!gpr_of(o->mem.base, &i, &size, &hi8) || size != 8)
					return false;
				d->reg = (int8_t)i;
			}
			if (o->mem.index != X86_REG_INVALID) {
				if (!gpr_of(o->mem.index, &i, &size, &hi8) || size != 8)
					return false; /* a vector index (gather/scatter) */
				d->index = (int8_t)i;
			}
			if (o->mem.segment == X86_REG_FS)
				d->seg = SEG_FS;
			else if (o->mem.segment == X86_REG_GS)
				d->seg = SEG_GS;
			break;
		default:
			return false;
		}
	}
	in->nops = x->op_count;
	return true;
}

static bool size_ok(int n)
{
	return n == 1 || n == 2 || n == 4 || n == 8;
}

/*
 * An operand emu.c can use: a GPR, an immediate, or memory addressed from
 * rsp or rbp (the thread's frame) without a segment; with any_mem, memory
 * at any address (fs and gs bases applied).
 */
static bool emu_operand(const struct iop *o, bool any_mem)
{
	if (!size_ok(o->size))
		return false;
	if (o->type != IOP_MEM || any_mem)
		return true;
	return (o->reg == 4 || o->reg == 5) && o->seg == 0;
}

static bool ops_emulable(const struct insn *in, bool any_mem)
{
	for (int k = 0; k < in->nops; k++)
		if (!emu_operand(&in->ops[k], any_mem))
			return false;
	return true;
}

static bool is_type(const struct insn *in, int k, int type)
{
	return k < in->nops && in->ops[k].type == type;
}

/* The condition code of jcc (70+cc, 0f 80+cc), cmovcc (0f 40+cc), setcc (0f 90+cc). */
static int cond_code(const cs_x86 *x)
{
	if (x->opcode[0] == 0x0f)
		return x->opcode[1] & 0x0f;
	return x->opcode[0] & 0x0f;
}

/*
 * Decide how to emulate the instruction, or leave op EOP_NONE.  Only the
 * forms listed are accepted; the operand checks keep the rest out.  With
 * any_mem, memory operands may be anywhere (op_alone, see the top).
 */
static void classify_emu(unsigned id, const cs_x86 *x, struct insn *in, bool any_mem)
{
	in->op = EOP_NONE;
	/*
	 * No lock or rep/repne prefix (f2 is accepted on a branch: the BND
	 * prefix, a no-op without MPX), no address-size override.
	 */
	bool branch =
	        id == X86_INS_RET || id == X86_INS_JMP || id == X86_INS_CALL || is_relbranch(id, x);
	if (x->prefix[0] == 0xf0 || (x->prefix[0] && !(branch && x->prefix[0] == 0xf2)))
		return;
	/* No effect on the thread's state (a nop's memory operand is not accessed). */
	switch (id) {
	case X86_INS_NOP:
		/* 90, 66 90 and the 0f 1f /0 forms; not the other hint-nop space */
		if (x->opcode[0] == 0x90 || (x->opcode[0] == 0x0f && x->opcode[1] == 0x1f))
			in->op = EOP_NOP;
		return;
	case X86_INS_ENDBR64:
	case X86_INS_ENDBR32:
	case X86_INS_PAUSE:
		in->op = EOP_NOP;
		return;
	default:
		break;
	}
	if (x->prefix[3] || x->addr_size != 8)
		return;
	if (!ops_emulable(in, any_mem))
		return;
	int n = in->nops;
	switch (id) {
	case X86_INS_MOV:
	case X86_INS_MOVABS:
		if (n == 2 && !is_type(in, 0, IOP_IMM) &&
		    !(is_type(in, 0, IOP_MEM) && is_type(in, 1, IOP_MEM)))
			in->op = EOP_MOV;
		break;
	case X86_INS_MOVZX:
	case X86_INS_MOVSX:
	case X86_INS_MOVSXD:
		if (n == 2 && is_type(in, 0, IOP_REG) && !is_type(in, 1, IOP_IMM))
			in->op = id == X86_INS_MOVZX ? EOP_MOVZX : EOP_MOVSX;
		break;
	case X86_INS_PUSH:
		if (n == 1 && in->ops[0].size == 8 && !is_type(in, 0, IOP_MEM))
			in->op = EOP_PUSH;
		break;
	case X86_INS_POP:
		if (n == 1 && in->ops[0].size == 8 && is_type(in, 0, IOP_REG))
			in->op = EOP_POP;
		break;
	case X86_INS_ADD:
	case X86_INS_OR:
	case X86_INS_ADC:
	case X86_INS_SBB:
	case X86_INS_AND:
	case X86_INS_SUB:
	case X86_INS_XOR:
	case X86_INS_CMP:
	case X86_INS_TEST:
		if (n == 2 && !is_type(in, 0, IOP_IMM) &&
		    !(is_type(in, 0, IOP_MEM) && is_type(in, 1, IOP_MEM))) {
			in->op = EOP_ALU2;
			in->sub = id == X86_INS_ADD   ? ALU_ADD
			          : id == X86_INS_OR  ? ALU_OR
			          : id == X86_INS_ADC ? ALU_ADC
			          : id == X86_INS_SBB ? ALU_SBB
			          : id == X86_INS_AND ? ALU_AND
			          : id == X86_INS_SUB ? ALU_SUB
			          : id == X86_INS_XOR ? ALU_XOR
			          : id == X86_INS_CMP ? ALU_CMP
			                              : ALU_TEST;
		}
		break;
	case X86_INS_INC:
	case X86_INS_DEC:
	case X86_INS_NEG:
	case X86_INS_NOT:
		if (n == 1 && !is_type(in, 0, IOP_IMM)) {
			in->op = EOP_ALU1;
			in->sub = id == X86_INS_INC   ? ALU_INC
			          : id == X86_INS_DEC ? ALU_DEC
			          : id == X86_INS_NEG ? ALU_NEG
			                              : ALU_NOT;
		}
		break;
	case X86_INS_SHL:
	case X86_INS_SAL:
	case X86_INS_SHR:
	case X86_INS_SAR:
	case X86_INS_ROL:
	case X86_INS_ROR:
		/* count: an immediate, cl, or the implicit 1 of d0/d1 */
		if (is_type(in, 0, IOP_IMM))
			break;
		if (n == 2 && is_type(in, 1, IOP_REG) &&
		    !(in->ops[1].reg == 1 && in->ops[1].size == 1 && !in->ops[1].hi8))
			break; /* only cl counts */
		if (n == 1 || n == 2) {
			in->op = EOP_SHIFT;
			in->sub = (id == X86_INS_SHL || id == X86_INS_SAL) ? ALU_SHL
			          : id == X86_INS_SHR                      ? ALU_SHR
			          : id == X86_INS_SAR                      ? ALU_SAR
			          : id == X86_INS_ROL                      ? ALU_ROL
			                                                   : ALU_ROR;
		}
		break;
	case X86_INS_IMUL:
		if ((n == 2 || (n == 3 && is_type(in, 2, IOP_IMM))) && is_type(in, 0, IOP_REG) &&
		    !is_type(in, 1, IOP_IMM) && in->ops[0].size > 1)
			in->op = EOP_IMUL;
		break;
	case X86_INS_LEA:
		break; /* handled below: its operand need not be in the frame */
	case X86_INS_JMP:
		if (n == 1 && (any_mem || !is_type(in, 0, IOP_MEM)) &&
		    (is_type(in, 0, IOP_IMM) || in->ops[0].size == 8))
			in->op = EOP_JMP;
		break;
	case X86_INS_CALL:
		if (n == 1 && (any_mem || !is_type(in, 0, IOP_MEM)) &&
		    (is_type(in, 0, IOP_IMM) || in->ops[0].size == 8))
			in->op = EOP_CALL;
		break;
	case X86_INS_RET:
		if (n == 0 || (n == 1 && is_type(in, 0, IOP_IMM)))
			in->op = EOP_RET;
		break;
	case X86_INS_LEAVE:
		if (n == 0 && !x->prefix[2])
			in->op = EOP_LEAVE;
		break;
	case X86_INS_CBW:
	case X86_INS_CWDE:
	case X86_INS_CDQE:
		in->op = EOP_SEXT_A;
		in->sub = id == X86_INS_CBW ? 2 : id == X86_INS_CWDE ? 4 : 8;
		break;
	case X86_INS_CWD:
	case X86_INS_CDQ:
	case X86_INS_CQO:
		in->op = EOP_SEXT_AD;
		in->sub = id == X86_INS_CWD ? 2 : id == X86_INS_CDQ ? 4 : 8;
		break;
	case X86_INS_XCHG:
		if (n == 2 && is_type(in, 0, IOP_REG) && is_type(in, 1, IOP_REG))
			in->op = EOP_XCHG;
		break;
	case X86_INS_LOOP:
	case X86_INS_LOOPE:
	case X86_INS_LOOPNE:
	case X86_INS_JRCXZ:
	case X86_INS_JECXZ:
		if (n == 1 && is_type(in, 0, IOP_IMM)) {
			in->op = EOP_LOOP;
			in->sub = id == X86_INS_LOOP     ? 0
			          : id == X86_INS_LOOPE  ? 1
			          : id == X86_INS_LOOPNE ? 2
			          : id == X86_INS_JRCXZ  ? 3
			                                 : 4;
		}
		break;
	default:
		break;
	}
	/* jcc, cmovcc, setcc by opcode: the condition is in its low nibble */
	if (in->op == EOP_NONE && n >= 1) {
		bool jcc = (x->opcode[0] & 0xf0) == 0x70 ||
		           (x->opcode[0] == 0x0f && (x->opcode[1] & 0xf0) == 0x80);
		bool cmov = x->opcode[0] == 0x0f && (x->opcode[1] & 0xf0) == 0x40;
		bool setcc = x->opcode[0] == 0x0f && (x->opcode[1] & 0xf0) == 0x90;
		if (jcc && n == 1 && is_type(in, 0, IOP_IMM) && is_relbranch(id, x)) {
			in->op = EOP_JCC;
			in->sub = (uint16_t)cond_code(x);
		} else if (cmov && n == 2 && is_type(in, 0, IOP_REG) && !is_type(in, 1, IOP_IMM)) {
			in->op = EOP_CMOV;
			in->sub = (uint16_t)cond_code(x);
		} else if (setcc && n == 1 && !is_type(in, 0, IOP_IMM) && in->ops[0].size == 1) {
			in->op = EOP_SETCC;
			in->sub = (uint16_t)cond_code(x);
		}
	}
}

int insn_decode(const uint8_t *buf, size_t n, uint64_t addr, struct insn *ret)
{
	memset(ret, 0, sizeof *ret);
	pthread_mutex_lock(&cs_lock);
	if (cs_state == 0) {
		cs_state = -1;
		if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs_h) == CS_ERR_OK) {
			if (cs_option(cs_h, CS_OPT_DETAIL, CS_OPT_ON) == CS_ERR_OK)
				cs_state = 1;
			else
				cs_close(&cs_h);
		}
	}
	if (cs_state < 0) {
		pthread_mutex_unlock(&cs_lock);
		return -ENOTSUP;
	}
	cs_insn *ci = NULL;
	size_t c = cs_disasm(cs_h, buf, n > 16 ? 16 : n, addr, 1, &ci);
	if (c == 0) {
		pthread_mutex_unlock(&cs_lock);
		return -EINVAL;
	}
	const cs_x86 *x = &ci->detail->x86;
	unsigned id = ci->id;
	ret->len = (uint8_t)ci->size;
	memcpy(ret->bytes, ci->bytes, ci->size);
	ret->stack = stack_use(id);
	bool ops = convert_ops(x, ret);
	if (!ops)
		ret->nops = 0;

	/* Out-of-line execution facts. */
	if (id == X86_INS_SYSCALL)
		ret->flags |= INSN_SYSCALL;
	if (id == X86_INS_SYSENTER ||
	    (id == X86_INS_INT && x->op_count == 1 && x->operands[0].type == X86_OP_IMM &&
	     x->operands[0].imm == 0x80))
		ret->flags |= INSN_INT80 | INSN_NOCOPY;
	if (is_relbranch(id, x))
		ret->flags |= INSN_RELBR;
	if ((x->prefix[0] == 0xf3 || x->prefix[0] == 0xf2) && is_string(id))
		ret->flags |= INSN_REP;
	if (id == X86_INS_CALL)
		ret->flags |= INSN_CALL;
	if (id == X86_INS_LCALL || id == X86_INS_LJMP || id == X86_INS_RETF || id == X86_INS_RETFQ)
		ret->flags |= INSN_NOCOPY;
	for (int k = 0; k < x->op_count; k++)
		if (x->operands[k].type == X86_OP_MEM && x->operands[k].mem.base == X86_REG_RIP) {
			/* rip-relative is ModRM mod=00 rm=101 with a disp32 (SDM 2.2.1.6) */
			if (x->encoding.disp_size == 4 && x->encoding.disp_offset > 0 &&
			    x->encoding.disp_offset + 4 <= ci->size) {
				ret->flags |= INSN_RIPREL;
				ret->disp_off = x->encoding.disp_offset;
			} else {
				ret->flags |= INSN_NOCOPY;
			}
		}

	/* Memory footprint. */
	if (footprint_unknown(id))
		ret->flags |= INSN_UNKNOWN;
	for (int k = 0; k < x->op_count && !no_access(id); k++) {
		const cs_x86_op *o = &x->operands[k];
		if (o->type != X86_OP_MEM)
			continue;
		if (!ops || o->size == 0 || o->size > 64)
			ret->flags |= INSN_UNKNOWN;
	}

	bool lea = ops && id == X86_INS_LEA && ret->nops == 2 && is_type(ret, 0, IOP_REG) &&
	           is_type(ret, 1, IOP_MEM) && ret->ops[0].size >= 2 && ret->ops[1].seg == 0 &&
	           !x->prefix[3] && x->addr_size == 8;
	/* the wider set first (op_alone), then the one for any time (op) */
	for (int any = 1; any >= 0; any--) {
		if (ops || id == X86_INS_NOP || id == X86_INS_ENDBR64 || id == X86_INS_ENDBR32 ||
		    id == X86_INS_PAUSE)
			classify_emu(id, x, ret, any);
		if (lea)
			ret->op = EOP_LEA;
		if (ret->op == EOP_PUSH && ret->ops[0].type == IOP_IMM && ret->ops[0].size != 8)
			ret->op = EOP_NONE;
		if (any)
			ret->op_alone = ret->op;
	}
	cs_free(ci, c);
	pthread_mutex_unlock(&cs_lock);
	return 0;
}

static uint64_t op_addr(const struct iop *o, uint64_t next_pc, const struct ptk_regs *r)
{
	struct ptk_regs rr = *r;
	uint64_t a = (uint64_t)o->imm;
	if (o->reg == IREG_RIP)
		a += next_pc;
	else if (o->reg >= 0)
		a += *insn_gpr(&rr, o->reg);
	if (o->index >= 0)
		a += *insn_gpr(&rr, o->index) * o->scale;
	if (o->seg == SEG_FS)
		a += r->fs_base;
	else if (o->seg == SEG_GS)
		a += r->gs_base;
	return a;
}

static void add_ref(struct inflight *w, uint64_t a, uint32_t len, uint8_t acc)
{
	if (w->n == INSN_MAXREF) {
		w->unknown = true;
		return;
	}
	w->ref[w->n++] = (struct memref){a, len, acc};
}

/*
 * The memory the instruction at addr accesses when it runs with registers
 * r (before it runs).  A single-stepped rep string instruction runs one
 * iteration per step, which is what its operands describe.
 */
void insn_refs(const struct insn *in, uint64_t addr, const struct ptk_regs *r, struct inflight *ret)
{
	memset(ret, 0, sizeof *ret);
	ret->valid = true;
	ret->syscall = (in->flags & (INSN_SYSCALL | INSN_INT80)) != 0;
	ret->unknown = (in->flags & INSN_UNKNOWN) != 0;
	uint64_t next = addr + in->len;
	if (in->op != EOP_LEA && in->op != EOP_NOP)
		for (int k = 0; k < in->nops; k++) {
			const struct iop *o = &in->ops[k];
			if (o->type != IOP_MEM)
				continue;
			uint8_t acc = o->acc ? o->acc : REF_R | REF_W;
			add_ref(ret, op_addr(o, next, r), o->size, acc);
		}
	switch (in->stack) {
	case STK_PUSH:
		add_ref(ret, r->rsp - 8, 8, REF_W);
		break;
	case STK_POP:
		add_ref(ret, r->rsp, 8, REF_R);
		break;
	case STK_LEAVE:
		add_ref(ret, r->rbp, 8, REF_R);
		break;
	default:
		break;
	}
}
