/* SPDX-License-Identifier: MIT */
/*
 * struct dbg_target over libptk: memory of the selected thread (ptk's
 * breakpoints hidden), registers (regs.c), variables and types (dwarf.c),
 * addresses as "main+4" from the process's symbol table, and one
 * instruction at a time disassembled by capstone, rewritten into the
 * spelling gdb (and objdump) use: "mov    %rsp,%rbp", "$0x1", "-0x4(%rbp)",
 * branch targets with <symbol>, rip-relative operands with "# 0xADDR".
 */
#include "dbg.h"

#include <capstone/capstone.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static pid_t mem_tid(struct dbg *d)
{
	struct dthread *t;

	if (d->inf.state == INF_NONE)
		return 0;
	t = thr_cur(d);
	return t ? t->tid : d->inf.pid;
}

static int t_read(void *data, uint64_t addr, void *buf, size_t len)
{
	struct dbg *d = data;
	pid_t tid = mem_tid(d);

	if (!tid)
		return -EIO;
	return ptk_mem_read(d->s, tid, addr, buf, len, NULL) < 0 ? -EFAULT : 0;
}

static int t_write(void *data, uint64_t addr, const void *buf, size_t len)
{
	struct dbg *d = data;
	pid_t tid = mem_tid(d);

	if (!tid)
		return -EIO;
	return ptk_mem_write(d->s, tid, addr, buf, len, NULL) < 0 ? -EFAULT : 0;
}

static int t_read_reg(void *data, const char *name, struct dbg_type **ret_type, void *buf,
                      size_t cap)
{
	return dreg_read(data, name, ret_type, buf, cap);
}

static int t_write_reg(void *data, const char *name, const void *buf, size_t len)
{
	return dreg_write(data, name, buf, len);
}

static int t_lookup_symbol(void *data, const char *name, struct dbg_symbol *ret)
{
	struct dbg *d = data;

	/* No process: load the program, as gdb reads its file. */
	if (d->inf.state == INF_NONE)
		inf_ensure_loaded(d);
	return dw_lookup_symbol(d, name, ret);
}

static struct dbg_type *t_lookup_type(void *data, const char *name, enum dbg_tag tag)
{
	return dw_lookup_type(data, name, tag);
}

bool sym_describe(struct dbg *d, uint64_t addr, char *buf, size_t len)
{
	struct ptk_symtab *st = inf_symtab(d);
	struct ptk_sym s;
	char name[512];
	const char *at;

	if (!st || ptk_sym_at(st, addr, &s) < 0 || !s.name)
		return false;
	if (s.size && s.offset >= s.size && s.type != PTK_SYM_PLT)
		return false;
	snprintf(name, sizeof(name), "%s", s.name);
	/*
	 * gdb shows a default version without it ("malloc", not
	 * "malloc@@GLIBC_2.2.5") and any other with it: an object copied from
	 * a library into the executable is "stdout@GLIBC_2.2.5".
	 */
	at = strstr(name, "@@");
	if (at)
		name[at - name] = '\0';
	if (s.offset)
		snprintf(buf, len, "%s+%llu", name, (unsigned long long)s.offset);
	else
		snprintf(buf, len, "%s", name);
	return true;
}

static int t_symbolize(void *data, uint64_t addr, char *buf, size_t cap)
{
	return sym_describe(data, addr, buf, cap) ? 1 : 0;
}

/* ---- disassembly ---- */

static csh *cs_handle(struct dbg *d)
{
	csh *h = d->cs;

	if (h)
		return h;
	h = malloc(sizeof(*h));
	if (!h)
		return NULL;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, h) != CS_ERR_OK) {
		free(h);
		return NULL;
	}
	cs_option(*h, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
	cs_option(*h, CS_OPT_DETAIL, CS_OPT_ON);
	d->cs = h;
	return h;
}

void disas_free(struct dbg *d)
{
	csh *h = d->cs;

	if (h) {
		cs_close(h);
		free(h);
		d->cs = NULL;
	}
}

/* Numbers in hex ("$1" -> "$0x1", "-4(" -> "-0x4("), no space after commas. */
static void rewrite_operands(const char *in, struct dbg_buf *b)
{
	for (const char *p = in; *p;) {
		if (*p == ',' && p[1] == ' ') {
			dbg_buf_putc(b, ',');
			p += 2;
			continue;
		}
		if (isdigit((unsigned char)*p) && (p == in || strchr("$-(, :", p[-1]) != NULL)) {
			if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
				const char *q = p + 2;

				while (isxdigit((unsigned char)*q))
					q++;
				dbg_buf_putn(b, p, (size_t)(q - p));
				p = q;
				continue;
			}
			unsigned long long v = strtoull(p, (char **)&p, 10);

			dbg_buf_printf(b, "0x%llx", v);
			continue;
		}
		dbg_buf_putc(b, *p++);
	}
}

static bool has_reg_operand(const cs_insn *in)
{
	const cs_x86 *x = &in->detail->x86;

	for (int i = 0; i < x->op_count; i++)
		if (x->operands[i].type == X86_OP_REG)
			return true;
	return false;
}

/* gdb prints the size suffix only where no register operand gives the size. */
static void mnemonic(const cs_insn *in, char *buf, size_t len)
{
	static const char *const always[] = {"call", "ret", "jmp", "push", "pop", "leave", NULL};
	static const char *const sized[] = {
	        "mov",  "add", "sub", "and",  "or",  "xor", "cmp", "test", "lea",  "inc", "dec",
	        "neg",  "not", "shl", "shr",  "sar", "sal", "rol", "ror",  "imul", "mul", "div",
	        "idiv", "adc", "sbb", "xchg", "bt",  "bts", "btr", "btc",  "xadd", NULL};
	size_t n = strlen(in->mnemonic);
	char c = n ? in->mnemonic[n - 1] : 0;

	snprintf(buf, len, "%s", in->mnemonic);
	if (n < 2 || (c != 'b' && c != 'w' && c != 'l' && c != 'q'))
		return;
	for (int i = 0; always[i]; i++)
		if (strlen(always[i]) == n - 1 && strncmp(in->mnemonic, always[i], n - 1) == 0 &&
		    c == 'q') {
			buf[n - 1] = '\0';
			return;
		}
	if (!has_reg_operand(in))
		return;
	for (int i = 0; sized[i]; i++)
		if (strlen(sized[i]) == n - 1 && strncmp(in->mnemonic, sized[i], n - 1) == 0) {
			buf[n - 1] = '\0';
			return;
		}
}

int disas_one(struct dbg *d, uint64_t addr, char *buf, size_t len, size_t *ret_len)
{
	csh *h = cs_handle(d);
	unsigned char code[16];
	size_t got = 0;
	cs_insn *in = NULL;
	struct dbg_buf b = {0};
	char mn[32], sym[256];
	pid_t tid = mem_tid(d);
	int r;

	if (!h || !tid)
		return -EIO;
	r = ptk_mem_read(d->s, tid, addr, code, sizeof(code), &got);
	if (r < 0 && got == 0)
		return -EFAULT;
	if (r == 0)
		got = sizeof(code);
	if (cs_disasm(*h, code, got, addr, 1, &in) != 1) {
		snprintf(buf, len, "(bad)");
		*ret_len = 1;
		return 0;
	}
	mnemonic(in, mn, sizeof(mn));
	if (in->op_str[0]) {
		dbg_buf_printf(&b, "%-6s ", mn);
		rewrite_operands(in->op_str, &b);
	} else {
		dbg_buf_puts(&b, mn);
	}
	{
		const cs_x86 *x = &in->detail->x86;
		bool branch =
		        cs_insn_group(*h, in, CS_GRP_JUMP) || cs_insn_group(*h, in, CS_GRP_CALL);

		for (int i = 0; i < x->op_count; i++) {
			const cs_x86_op *op = &x->operands[i];

			if (branch && op->type == X86_OP_IMM &&
			    sym_describe(d, (uint64_t)op->imm, sym, sizeof(sym)))
				dbg_buf_printf(&b, " <%s>", sym);
			if (op->type == X86_OP_MEM && op->mem.base == X86_REG_RIP) {
				uint64_t ea = in->address + in->size + (uint64_t)op->mem.disp;

				dbg_buf_printf(&b, "        # 0x%llx", (unsigned long long)ea);
				if (sym_describe(d, ea, sym, sizeof(sym)))
					dbg_buf_printf(&b, " <%s>", sym);
			}
		}
	}
	snprintf(buf, len, "%s", dbg_buf_str(&b));
	*ret_len = in->size;
	dbg_buf_free(&b);
	cs_free(in, 1);
	return 0;
}

static int t_disassemble(void *data, uint64_t addr, char *buf, size_t cap, size_t *ret_len)
{
	return disas_one(data, addr, buf, cap, ret_len);
}

bool insn_is_call(struct dbg *d, uint64_t addr, size_t *ret_len)
{
	csh *h = cs_handle(d);
	unsigned char code[16];
	size_t got = 0;
	cs_insn *in = NULL;
	pid_t tid = mem_tid(d);
	bool call;
	int r;

	if (!h || !tid)
		return false;
	r = ptk_mem_read(d->s, tid, addr, code, sizeof(code), &got);
	if (r == 0)
		got = sizeof(code);
	if (got == 0 || cs_disasm(*h, code, got, addr, 1, &in) != 1)
		return false;
	call = cs_insn_group(*h, in, CS_GRP_CALL);
	*ret_len = in->size;
	cs_free(in, 1);
	return call;
}

struct dbg_target target_make(struct dbg *d)
{
	struct dbg_target t = {
	        .data = d,
	        .read_memory = t_read,
	        .write_memory = t_write,
	        .read_register = t_read_reg,
	        .write_register = t_write_reg,
	        .lookup_symbol = t_lookup_symbol,
	        .lookup_type = t_lookup_type,
	        .symbolize = t_symbolize,
	        .disassemble = t_disassemble,
	};
	return t;
}
