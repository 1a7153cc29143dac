/* SPDX-License-Identifier: MIT */
/*
 * The syscall decoder: dispatch to a syscall's hand-written decoder or the
 * generic one, the generic decoder itself (argument types from data/), the
 * return value, and the assembly of strace's line:
 *
 *	name(entry args[ <unfinished ...>]
 *	<... name resumed>exit args) = ret[ aux][ <T>]
 */
#include "trace.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RET_COLUMN 40

/* c->dec_state: DEC_MORE, and the entry's text ends with the ", " before
 * the first argument printed at exit. */
#define DEC_MORE_SEP 2

/* ---- argument types of the tables (data/README.md) ---- */

enum base {
	B_NONE,
	B_INT,
	B_UINT,
	B_LONG,
	B_ULONG,
	B_HEX,
	B_PTR,
	B_SIZE,
	B_OFF,
	B_OCTAL,
	B_FD,
	B_DIRFD,
	B_PID,
	B_UID,
	B_GID,
	B_UID16,
	B_GID16,
	B_MODE,
	B_FMODE,
	B_DEV,
	B_SIGNAL,
	B_SIGMASK,
	B_SIGHANDLER,
	B_PATH,
	B_STR,
	B_ARGV,
	B_ENVP,
	B_FDPAIR,
	B_BUF,
	B_IOV,
	B_STRLIST,
	B_SIGSET,
	B_FDSET,
	B_FLAGS,
	B_XLAT,
	B_STRUCT,
	B_ARRAY,
};

static const struct {
	const char *name;
	enum base base;
} bases[] = {
        {"int", B_INT},         {"uint", B_UINT},
        {"long", B_LONG},       {"ulong", B_ULONG},
        {"hex", B_HEX},         {"ptr", B_PTR},
        {"size", B_SIZE},       {"off", B_OFF},
        {"octal", B_OCTAL},     {"fd", B_FD},
        {"dirfd", B_DIRFD},     {"pid", B_PID},
        {"uid", B_UID},         {"gid", B_GID},
        {"uid16", B_UID16},     {"gid16", B_GID16},
        {"mode", B_MODE},       {"fmode", B_FMODE},
        {"dev", B_DEV},         {"signal", B_SIGNAL},
        {"sigmask", B_SIGMASK}, {"sighandler", B_SIGHANDLER},
        {"path", B_PATH},       {"str", B_STR},
        {"argv", B_ARGV},       {"envp", B_ENVP},
        {"fdpair", B_FDPAIR},   {"buf", B_BUF},
        {"iov", B_IOV},         {"strlist", B_STRLIST},
        {"sigset", B_SIGSET},   {"fdset", B_FDSET},
        {"flags", B_FLAGS},     {"xlat", B_XLAT},
        {"struct", B_STRUCT},   {"array", B_ARRAY},
};

enum dir { D_IN, D_OUT, D_INOUT };

struct atype {
	uint8_t dir, half, base; /* half: 0, 1 lo, 2 hi */
	int8_t n;                /* the argument a size or count refers to, or -1 */
	int fixed;               /* array:NAME:#K */
	const struct ptk_xlat *set;
	char sname[24];   /* struct or array element name */
	char unknown[32]; /* xlat: "SEEK_???" */
};

struct arow {
	bool parsed, ok;
	int nargs;
	struct atype a[6];
};

static struct arow *rows[4]; /* by enum ptk_arch */
static long nrows[4];

static bool parse_type(const char *s, struct atype *a)
{
	char tmp[128];
	snprintf(tmp, sizeof tmp, "%s", s);
	memset(a, 0, sizeof *a);
	a->n = -1;
	char *p = tmp, *tok[5];
	int nt = 0;
	for (char *q = strtok(p, ":"); q && nt < 5; q = strtok(NULL, ":"))
		tok[nt++] = q;
	int i = 0;
	if (i < nt && strcmp(tok[i], "out") == 0)
		a->dir = D_OUT, i++;
	else if (i < nt && strcmp(tok[i], "inout") == 0)
		a->dir = D_INOUT, i++;
	if (i < nt && strcmp(tok[i], "lo") == 0)
		a->half = 1, i++;
	else if (i < nt && strcmp(tok[i], "hi") == 0)
		a->half = 2, i++;
	if (i >= nt)
		return false;
	for (size_t k = 0; k < sizeof bases / sizeof *bases; k++)
		if (strcmp(bases[k].name, tok[i]) == 0)
			a->base = bases[k].base;
	if (!a->base)
		return false;
	i++;
	switch (a->base) {
	case B_BUF:
	case B_IOV:
	case B_STRLIST:
	case B_SIGSET:
	case B_FDSET:
		if (i < nt)
			a->n = (int8_t)atoi(tok[i]);
		break;
	case B_FLAGS:
	case B_XLAT:
		if (i >= nt)
			return false;
		a->set = ptk_flagset_find(tok[i]);
		xlat_unknown(a->set, a->unknown, sizeof a->unknown);
		break;
	case B_STRUCT:
	case B_ARRAY:
		if (i >= nt)
			return false;
		snprintf(a->sname, sizeof a->sname, "%s", tok[i]);
		if (++i < nt) {
			if (tok[i][0] == '#')
				a->fixed = atoi(tok[i] + 1);
			else
				a->n = (int8_t)atoi(tok[i]);
		}
		break;
	default:
		break;
	}
	return true;
}

static const struct arow *row_of(int arch, long nr)
{
	int ai = arch == PTK_ARCH_I386 ? PTK_ARCH_I386 : PTK_ARCH_X86_64;
	if (!rows[ai]) {
		nrows[ai] = ptk_syscall_count(ai);
		if (nrows[ai] <= 0 || !(rows[ai] = calloc((size_t)nrows[ai], sizeof **rows)))
			return NULL;
	}
	if (nr < 0 || nr >= nrows[ai])
		return NULL;
	struct arow *r = &rows[ai][nr];
	if (r->parsed)
		return r->ok ? r : NULL;
	r->parsed = true;
	const struct ptk_sysent *e = ptk_sysent_get(ai, nr);
	if (!e || !e->name || !e->args)
		return NULL;
	r->nargs = e->nargs;
	if (r->nargs == 0) {
		r->ok = true;
		return r;
	}
	char buf[512];
	snprintf(buf, sizeof buf, "%s", e->args);
	int i = 0;
	char *save = NULL;
	for (char *t = strtok_r(buf, ",", &save); t && i < 6; t = strtok_r(NULL, ",", &save))
		if (!parse_type(t, &r->a[i++]))
			return NULL;
	r->ok = i == r->nargs;
	return r->ok ? r : NULL;
}

/* ---- the generic decoder ---- */

static void p_uid(struct dctx *d, uint64_t v, bool sixteen)
{
	uint32_t u = sixteen ? (uint16_t)v : (uint32_t)v;
	if (u == (sixteen ? 0xffffu : 0xffffffffu))
		db_puts(d->out, "-1");
	else
		p_uint(d, u);
}

static void p_fdpair(struct dctx *d, uint64_t addr)
{
	int32_t fds[2];
	if (!mem_get(d, addr, fds, sizeof fds)) {
		p_ptr(d, addr);
		return;
	}
	/* An array like any other: at most -s elements. */
	db_putc(d->out, '[');
	for (unsigned i = 0; i < 2; i++) {
		if (i)
			db_puts(d->out, ", ");
		if (i >= d->t->o.strsize && !d->t->o.verbose) {
			db_puts(d->out, "...");
			break;
		}
		p_fd(d, fds[i]);
	}
	db_putc(d->out, ']');
}

static void p_fdset(struct dctx *d, uint64_t addr, int64_t nfds)
{
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	if (nfds < 0 || nfds > 1024 * 1024) {
		p_ptr(d, addr);
		return;
	}
	size_t bytes = (size_t)((nfds + 63) / 64) * 8;
	uint64_t *bits = calloc(1, bytes ? bytes : 8);
	if (!bits || (bytes && !mem_get(d, addr, bits, bytes))) {
		free(bits);
		p_ptr(d, addr);
		return;
	}
	db_putc(d->out, '[');
	bool first = true;
	for (int64_t i = 0; i < nfds; i++)
		if ((bits[i / 64] >> (i % 64)) & 1) {
			if (!first)
				db_putc(d->out, ' ');
			p_fd(d, i);
			first = false;
		}
	db_putc(d->out, ']');
	free(bits);
}

static void p_iov(struct dctx *d, uint64_t addr, uint64_t count, int64_t data_len)
{
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	if (count > 1024) {
		p_ptr(d, addr);
		return;
	}
	db_putc(d->out, '[');
	size_t w = d->arch == PTK_ARCH_I386 ? 4 : 8;
	for (uint64_t i = 0; i < count; i++) {
		uint64_t e[2] = {0, 0};
		if (w == 8 ? !mem_get(d, addr + i * 16, e, 16) : false) {
			if (i == 0) {
				d->out->len--;
				p_ptr(d, addr);
				return;
			}
			db_puts(d->out, ", ...");
			break;
		}
		if (w == 4) {
			uint32_t e32[2];
			if (!mem_get(d, addr + i * 8, e32, 8))
				break;
			e[0] = e32[0];
			e[1] = e32[1];
		}
		if (i)
			db_puts(d->out, ", ");
		if (i >= d->t->o.strsize && !d->t->o.verbose) {
			db_puts(d->out, "...");
			break;
		}
		db_puts(d->out, "{iov_base=");
		uint64_t n = e[1];
		if (data_len >= 0) {
			n = (uint64_t)data_len < n ? (uint64_t)data_len : n;
			data_len -= (int64_t)n;
		}
		p_buf(d, e[0], n);
		db_printf(d->out, ", iov_len=%llu}", (unsigned long long)e[1]);
	}
	db_putc(d->out, ']');
}

/*
 * The value of an argument as its type says.  A 64-bit value in two
 * registers is printed once, at its first half: lo | hi << 32 on i386,
 * whichever half comes first (_llseek passes the high one first); on
 * x86_64 only the low one (the kernel's pos_from_hilo ignores the high).
 */
static uint64_t value_of(const struct dctx *d, const struct arow *r, int i)
{
	if (r->a[i].half && i + 1 < r->nargs && d->arch == PTK_ARCH_I386) {
		int lo = r->a[i].half == 1 ? i : i + 1, hi = r->a[i].half == 1 ? i + 1 : i;
		return arg_u(d, lo) | arg_u(d, hi) << 32;
	}
	if (r->a[i].half == 2 && i + 1 < r->nargs)
		return arg_u(d, i + 1);
	return arg_u(d, i);
}

/* How many registers argument i of the row takes: 2 for a pair of halves. */
static int width_of(const struct arow *r, int i)
{
	return r->a[i].half ? 2 : 1;
}

/* The row index of the n-th printed argument (pairs print once). */
static int row_index(const struct arow *r, int n)
{
	int i = 0;
	while (n-- > 0 && i < r->nargs)
		i += width_of(r, i);
	return i;
}

static void decode_one(struct dctx *d, const struct arow *r, int i)
{
	const struct atype *a = &r->a[i];
	uint64_t v = value_of(d, r, i);
	bool out = a->dir != D_IN;
	/* The kernel wrote nothing when it failed: strace shows the address. */
	if (out && d->exiting && d->is_error && a->base >= B_PATH) {
		p_ptr(d, v);
		return;
	}
	int64_t nval = a->n >= 0 && a->n < 6 ? (int64_t)arg_u(d, a->n) : -1;
	switch (a->base) {
	case B_INT:
	case B_PID:
		p_int(d, arg_i(d, i));
		break;
	case B_LONG:
		p_int(d, d->arch == PTK_ARCH_I386 ? arg_i(d, i) : (int64_t)v);
		break;
	case B_UINT:
		p_uint(d, (uint32_t)v);
		break;
	case B_ULONG:
	case B_SIZE:
		p_uint(d, v);
		break;
	case B_OFF:
		p_int(d, (int64_t)v);
		break;
	case B_HEX:
		p_hex(d, v);
		break;
	case B_PTR:
		p_ptr(d, v);
		break;
	case B_OCTAL:
		p_oct(d, v);
		break;
	case B_FD:
		p_fd(d, arg_i(d, i));
		break;
	case B_DIRFD:
		p_dirfd(d, arg_i(d, i));
		break;
	case B_UID:
	case B_GID:
		p_uid(d, v, false);
		break;
	case B_UID16:
	case B_GID16:
		p_uid(d, v, true);
		break;
	case B_MODE:
		p_mode(d, v);
		break;
	case B_FMODE:
		p_fmode(d, v);
		break;
	case B_DEV:
		p_dev(d, v);
		break;
	case B_SIGNAL:
		p_signal(d, arg_i(d, i));
		break;
	case B_SIGMASK: {
		uint64_t w = (uint32_t)v;
		p_sigset(d, &w, 32);
		break;
	}
	case B_SIGHANDLER:
		if (v == 0)
			db_puts(d->out, "SIG_DFL");
		else if (v == 1)
			db_puts(d->out, "SIG_IGN");
		else
			p_ptr(d, v);
		break;
	case B_PATH:
		p_path(d, v);
		break;
	case B_STR:
		if (out)
			p_path(d, v);
		else
			p_str(d, v, d->t->o.strsize);
		break;
	case B_ARGV:
		p_argv(d, v);
		break;
	case B_ENVP:
		p_envp(d, v);
		break;
	case B_FDPAIR:
		p_fdpair(d, v);
		break;
	case B_BUF:
		p_buf(d, v, out ? (uint64_t)d->rval : (uint64_t)nval);
		break;
	case B_IOV:
		p_iov(d, v, (uint64_t)nval, out ? d->rval : -1);
		break;
	case B_STRLIST: {
		uint64_t n = out ? (uint64_t)d->rval : (uint64_t)nval;
		if (!v || n == 0) {
			p_ptr(d, v);
			break;
		}
		p_buf(d, v, n);
		break;
	}
	case B_SIGSET:
		p_sigset_addr(d, v, (uint64_t)nval);
		break;
	case B_FDSET:
		p_fdset(d, v, nval);
		break;
	case B_FLAGS:
		if (a->set)
			p_flags(d, a->set, v);
		else
			p_hex(d, v);
		break;
	case B_XLAT:
		if (a->set)
			p_xlat(d, a->set, v, a->unknown[0] ? a->unknown : NULL);
		else
			p_int(d, (int64_t)v);
		break;
	case B_STRUCT: {
		uint64_t size = nval >= 0 ? (uint64_t)nval : 0;
		/* A socklen argument is a pointer to the length. */
		if (a->n >= 0 && a->n < r->nargs && strcmp(r->a[a->n].sname, "socklen") == 0) {
			uint32_t len = 0;
			size = mem_get(d, arg_u(d, a->n), &len, sizeof len) ? len : 0;
		}
		p_struct(d, a->sname, v, size);
		break;
	}
	case B_ARRAY: {
		uint64_t count = a->fixed            ? (uint64_t)a->fixed
		                 : out && d->exiting ? (uint64_t)d->rval
		                                     : (uint64_t)nval;
		p_array(d, a->sname, v, count);
		break;
	}
	default:
		p_hex(d, v);
	}
}

void decode_arg(struct dctx *d, int i)
{
	const struct arow *r = row_of(d->arch, d->nr);
	if (r && i < r->nargs)
		decode_one(d, r, i);
	else
		p_hex(d, arg_u(d, i));
}

/* strace's fallback for what it does not decode: every argument in hex. */
static int decode_raw(struct dctx *d)
{
	const struct ptk_sysent *e = d->ent;
	int n = e && e->name ? e->nargs : 6;
	for (int i = 0; i < n; i++) {
		arg_next(d);
		p_hex(d, arg_u(d, i));
	}
	return DEC_DONE;
}

int decode_generic(struct dctx *d)
{
	const struct arow *r = row_of(d->arch, d->nr);
	if (!r)
		return decode_raw(d);
	for (int i = row_index(r, d->arg); i < r->nargs; i += width_of(r, i)) {
		/* The kernel writes it: print it, and all after it, at exit. */
		if (!d->exiting && r->a[i].dir != D_IN)
			return DEC_MORE;
		arg_next(d);
		decode_one(d, r, i);
	}
	return DEC_DONE;
}

/* ---- hand-written decoders and struct printers, by name ---- */

struct named {
	const char *name;
	const void *p;
	size_t size;
};

static struct named *sys_index, *struct_index;
static size_t nsys, nstruct;

static int cmp_named(const void *a, const void *b)
{
	return strcmp(((const struct named *)a)->name, ((const struct named *)b)->name);
}

static void build_index(void)
{
	static const struct decoder *const sys[] = {
#define SYS(f) dec_##f##_syscalls,
	        DECODER_FAMILIES(SYS)
#undef SYS
	};
	static const struct struct_decoder *const st[] = {
#define ST(f) dec_##f##_structs,
	        DECODER_FAMILIES(ST)
#undef ST
	};
	size_t n = 0;
	for (size_t f = 0; f < sizeof sys / sizeof *sys; f++)
		for (const struct decoder *p = sys[f]; p->name; p++)
			n++;
	sys_index = calloc(n ? n : 1, sizeof *sys_index);
	for (size_t f = 0; sys_index && f < sizeof sys / sizeof *sys; f++)
		for (const struct decoder *p = sys[f]; p->name; p++)
			sys_index[nsys++] = (struct named){p->name, (const void *)p, 0};
	qsort(sys_index, nsys, sizeof *sys_index, cmp_named);
	n = 0;
	for (size_t f = 0; f < sizeof st / sizeof *st; f++)
		for (const struct struct_decoder *p = st[f]; p->name; p++)
			n++;
	struct_index = calloc(n ? n : 1, sizeof *struct_index);
	for (size_t f = 0; struct_index && f < sizeof st / sizeof *st; f++)
		for (const struct struct_decoder *p = st[f]; p->name; p++)
			struct_index[nstruct++] = (struct named){p->name, (const void *)p, p->size};
	qsort(struct_index, nstruct, sizeof *struct_index, cmp_named);
}

static const struct named *find(const struct named *v, size_t n, const char *name)
{
	struct named key = {name, NULL, 0};
	return v ? bsearch(&key, v, n, sizeof *v, cmp_named) : NULL;
}

static int dec_restart_syscall(struct dctx *d);

static syscall_decoder decoder_for(const struct ptk_sysent *e)
{
	if (e && e->name && strcmp(e->name, "restart_syscall") == 0)
		return dec_restart_syscall;
	if (!sys_index)
		build_index();
	const struct named *f = e && e->name ? find(sys_index, nsys, e->name) : NULL;
	return f ? ((const struct decoder *)f->p)->fn : decode_generic;
}

/*
 * Pointers to one scalar (data/README.md: int uint long u32 u64 loff ptr
 * size uid gid uid16 gid16), printed "[42]"; the families' printers of the
 * same name take precedence.
 */
static void scalar(struct dctx *d, uint64_t addr, size_t width, bool is_signed, bool hex)
{
	uint64_t v = 0;
	if (!mem_get(d, addr, &v, width)) {
		p_ptr(d, addr);
		return;
	}
	db_putc(d->out, '[');
	if (hex)
		p_ptr(d, v);
	else if (is_signed)
		p_int(d, width == 4 ? (int64_t)(int32_t)v : (int64_t)v);
	else if (width == 2 && v == 0xffff)
		db_puts(d->out, "-1"); /* uid16/gid16: -1 */
	else
		p_uint(d, v);
	db_putc(d->out, ']');
}

static bool abi32(const struct dctx *d)
{
	return d->arch == PTK_ARCH_I386;
}

static void sc_int(struct dctx *d, uint64_t a, uint64_t n)
{
	scalar(d, a, 4, true, false);
}
static void sc_uint(struct dctx *d, uint64_t a, uint64_t n)
{
	scalar(d, a, 4, false, false);
}
static void sc_long(struct dctx *d, uint64_t a, uint64_t n)
{
	scalar(d, a, abi32(d) ? 4 : 8, true, false);
}
static void sc_ulong(struct dctx *d, uint64_t a, uint64_t n)
{
	scalar(d, a, abi32(d) ? 4 : 8, false, false);
}
static void sc_u64(struct dctx *d, uint64_t a, uint64_t n)
{
	scalar(d, a, 8, false, false);
}
static void sc_loff(struct dctx *d, uint64_t a, uint64_t n)
{
	scalar(d, a, 8, true, false);
}
static void sc_ptr(struct dctx *d, uint64_t a, uint64_t n)
{
	scalar(d, a, abi32(d) ? 4 : 8, false, true);
}
static void sc_id(struct dctx *d, uint64_t a, uint64_t n)
{
	uint32_t v;
	if (!mem_get(d, a, &v, sizeof v)) {
		p_ptr(d, a);
		return;
	}
	if (v == 0xffffffffu)
		db_puts(d->out, "[-1]");
	else
		db_printf(d->out, "[%u]", v);
}
static void sc_id16(struct dctx *d, uint64_t a, uint64_t n)
{
	scalar(d, a, 2, false, false);
}

static const struct struct_decoder builtin_structs[] = {
        {"gid", sc_id, 4},    {"gid16", sc_id16, 2}, {"int", sc_int, 4},    {"long", sc_long, 8},
        {"loff", sc_loff, 8}, {"ptr", sc_ptr, 8},    {"size", sc_ulong, 8}, {"u32", sc_uint, 4},
        {"u64", sc_u64, 8},   {"uid", sc_id, 4},     {"uid16", sc_id16, 2}, {"uint", sc_uint, 4},
};

static const struct struct_decoder *struct_find(const char *name)
{
	if (!struct_index)
		build_index();
	const struct named *f = find(struct_index, nstruct, name);
	if (f)
		return (const struct struct_decoder *)f->p;
	for (size_t i = 0; i < sizeof builtin_structs / sizeof *builtin_structs; i++)
		if (strcmp(builtin_structs[i].name, name) == 0)
			return &builtin_structs[i];
	return NULL;
}

struct_printer struct_printer_find(const char *name)
{
	const struct struct_decoder *s = struct_find(name);
	return s ? s->fn : NULL;
}

void p_struct(struct dctx *d, const char *name, uint64_t addr, uint64_t size)
{
	const struct struct_decoder *s = struct_find(name);
	if (!addr)
		db_puts(d->out, "NULL");
	else if (s)
		s->fn(d, addr, size);
	else
		p_ptr(d, addr);
}

void p_array(struct dctx *d, const char *name, uint64_t addr, uint64_t count)
{
	const struct struct_decoder *s = struct_find(name);
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	if (!s || !s->size || count > 1024 * 1024) {
		p_ptr(d, addr);
		return;
	}
	db_putc(d->out, '[');
	for (uint64_t i = 0; i < count; i++) {
		if (i)
			db_puts(d->out, ", ");
		if (i >= d->t->o.strsize && !d->t->o.verbose) {
			db_puts(d->out, "...");
			break;
		}
		s->fn(d, addr + i * s->size, 0);
	}
	db_putc(d->out, ']');
}

/* ---- restart_syscall: which call it resumes ---- */

/*
 * A syscall that failed with ERESTART_RESTARTBLOCK is resumed by
 * restart_syscall after the signal handler: strace names it.  The last
 * such call of each thread, in a small table (threads rarely have one
 * pending, and a miss only loses the name).
 */
#define ERESTART_RESTARTBLOCK_ 516
static struct {
	pid_t tid;
	long nr;
	int arch;
} interrupted[64];

static void note_interrupted(pid_t tid, long nr, int arch)
{
	/* An interrupted restart_syscall still resumes the original call. */
	char nb[32];
	if (strcmp(syscall_name(arch, nr, nb, sizeof nb), "restart_syscall") == 0)
		return;
	size_t free_slot = sizeof interrupted / sizeof *interrupted;
	for (size_t i = 0; i < sizeof interrupted / sizeof *interrupted; i++) {
		if (interrupted[i].tid == tid) {
			free_slot = i;
			break;
		}
		if (!interrupted[i].tid && free_slot == sizeof interrupted / sizeof *interrupted)
			free_slot = i;
	}
	if (free_slot == sizeof interrupted / sizeof *interrupted)
		free_slot = (size_t)tid % (sizeof interrupted / sizeof *interrupted);
	interrupted[free_slot].tid = tid;
	interrupted[free_slot].nr = nr;
	interrupted[free_slot].arch = arch;
}

static int dec_restart_syscall(struct dctx *d)
{
	char nb[32];
	const char *name = "system call";
	for (size_t i = 0; i < sizeof interrupted / sizeof *interrupted; i++)
		if (interrupted[i].tid == d->c->tid) {
			/* kept: this restart may be interrupted in turn */
			name = syscall_name(interrupted[i].arch, interrupted[i].nr, nb, sizeof nb);
			break;
		}
	db_printf(d->out, "<... resuming interrupted %s ...>", name);
	return DEC_DONE;
}

/* ---- the line ---- */

const char *syscall_name(int arch, long nr, char *buf, size_t len)
{
	const struct ptk_sysent *e = ptk_sysent_get(arch, nr);
	if (e && e->name)
		return e->name;
	snprintf(buf, len, "syscall_%#lx", (unsigned long)nr);
	return buf;
}

/*
 * i386's socketcall(call, args): strace prints the call it stands for,
 * "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)", from the 32-bit words at
 * args.  The decoder sees the i386 syscall of the same name (the direct
 * socket calls since Linux 4.3) and those words as its arguments; the
 * memory is read again at the exit stop (the kernel does not change it).
 * SYS_ACCEPT, SYS_SEND and SYS_RECV have no direct i386 syscall: they stay
 * socketcall(SYS_ACCEPT, 0x...).  The numbers are linux/net.h's SYS_* and
 * arch/x86/entry/syscalls/syscall_32.tbl's.
 */
static void socketcall_unwrap(struct dctx *d)
{
	static const struct {
		uint16_t nr, nargs;
	} sub[21] = {
	        [1] = {359, 3},  [2] = {361, 3},  [3] = {362, 3},  [4] = {363, 2},  [6] = {367, 3},
	        [7] = {368, 3},  [8] = {360, 4},  [11] = {369, 6}, [12] = {371, 6}, [13] = {373, 2},
	        [14] = {366, 5}, [15] = {365, 5}, [16] = {370, 3}, [17] = {372, 3}, [18] = {364, 4},
	        [19] = {337, 5}, [20] = {345, 4},
	};
	uint64_t call = arg_u(d, 0);
	if (call >= 21 || !sub[call].nr)
		return;
	uint32_t w[6] = {0};
	if (!mem_get(d, arg_u(d, 1), w, sub[call].nargs * sizeof *w))
		return;
	const struct ptk_sysent *e = ptk_sysent_get(PTK_ARCH_I386, sub[call].nr);
	if (!e || !e->name)
		return;
	d->nr = sub[call].nr;
	d->ent = e;
	for (int i = 0; i < 6; i++)
		d->args[i] = w[i];
}

/* The name a line shows: the decoded call's (socketcall's subcall). */
static const char *line_name(const struct dctx *d, char *buf, size_t len)
{
	return syscall_name(d->arch, d->nr, buf, len);
}

static void dctx_init(struct dctx *d, struct trace *t, struct tcb *c)
{
	memset(d, 0, sizeof *d);
	d->t = t;
	d->c = c;
	d->arch = c->arch;
	d->nr = c->nr;
	memcpy(d->args, c->args, sizeof d->args);
	d->ent = ptk_sysent_get(c->arch, c->nr);
	d->out = &c->line;
	d->aux = &t->aux;
	d->ret = RET_DEC;
	if (c->arch == PTK_ARCH_I386 && c->nr == 102)
		socketcall_unwrap(d);
	if (d->ent && d->ent->name) {
		if (d->ent->flags & PTK_SYF_HEXRET)
			d->ret = RET_HEX;
		else if (d->ent->flags & PTK_SYF_OCTRET)
			d->ret = RET_OCT;
		else if (d->ent->flags & PTK_SYF_FDRET)
			d->ret = RET_FD;
	}
}

void decode_enter(struct trace *t, struct tcb *c)
{
	struct dctx d;
	char nb[32];
	dctx_init(&d, t, c);
	db_reset(&c->line);
	memset(c->argoff, 0, sizeof c->argoff);
	clock_gettime(CLOCK_MONOTONIC, &c->t_enter);
	c->dec_state = decoder_for(d.ent)(&d);
	/*
	 * strace ends the entry's text with the ", " before an argument the
	 * exit stop prints ("read(0, " then "<... read resumed>"x", 1)"), so
	 * an interrupted line reads "read(0,  <unfinished ...>".
	 */
	if (c->dec_state == DEC_MORE && d.arg > 0) {
		bool sep = d.next == NEXT_ARG;
		if (d.next == NEXT_AUTO)
			sep = d.ent && d.ent->name && d.arg < d.ent->nargs;
		if (sep) {
			db_puts(&c->line, ", ");
			c->dec_state = DEC_MORE_SEP;
		}
	}
	c->next_arg = d.arg;
	c->ret = (int)d.ret;
	c->entry_len = c->line.len;
	out_begin(t, c);
	if (t->o.print_nr)
		out_printf(t, c, "[%4ld] ", c->nr);
	out_printf(t, c, "%s(", line_name(&d, nb, sizeof nb));
	out_write(c, c->line.s ? c->line.s : "", c->line.len);
	/* exit and exit_group never return: strace ends their line now. */
	if (d.ent && d.ent->name && (d.ent->flags & PTK_SYF_NORETURN)) {
		out_printf(t, c, ") ");
		if (c->col < RET_COLUMN)
			out_printf(t, c, "%*s", RET_COLUMN - c->col, "");
		out_printf(t, c, "= ?");
		out_end_line(t, c);
		c->in_syscall = false;
	}
}

/* strace's text for an error return: the restart codes print "?". */
static void print_error(struct trace *t, struct tcb *c, int64_t err)
{
	const char *name = ptk_errno_name((int)err), *msg = ptk_errno_message((int)err);
	bool restart = err == 512 || err == 513 || err == 514 || err == 516;
	if (name)
		out_printf(t, c, "= %s %s (%s)", restart ? "?" : "-1", name,
		           msg ? msg : "Unknown error");
	else
		out_printf(t, c, "= -1 (errno %lld)", (long long)err);
}

static void print_return(struct trace *t, struct tcb *c, struct dctx *d,
                         const struct ptk_syscall *sc)
{
	if (sc->op != PTK_SC_EXIT) {
		out_printf(t, c, "= ?");
		return;
	}
	if (sc->is_error) {
		print_error(t, c, -sc->rval);
		return;
	}
	switch (c->ret) {
	case RET_HEX:
		out_printf(t, c, "= %#llx", (unsigned long long)sc->rval);
		break;
	case RET_OCT:
		out_printf(t, c, "= %#03llo", (unsigned long long)sc->rval);
		break;
	case RET_FD: {
		struct dbuf *saved = d->out, tmp = {0};
		d->out = &tmp;
		p_fd(d, sc->rval);
		out_printf(t, c, "= %s", tmp.s ? tmp.s : "");
		db_free(&tmp);
		d->out = saved;
		break;
	}
	case RET_NONE:
		out_printf(t, c, "= ?");
		break;
	default:
		out_printf(t, c, "= %lld", (long long)sc->rval);
	}
}

void decode_exit(struct trace *t, struct tcb *c, const struct ptk_syscall *sc)
{
	char nb[32];
	struct dctx d;
	if (!c->in_syscall && sc->op == PTK_SC_EXIT) {
		/* The first stop after attach can be an exit: print it resumed. */
		struct ptk_regs r;
		if (ptk_regs_get(t->s, c->tid, &r) == 0)
			c->nr = (long)r.orig_rax;
		c->arch = PTK_ARCH_X86_64;
		db_reset(&c->line);
		c->entry_len = 0;
		c->dec_state = DEC_DONE;
		c->ret = RET_DEC;
	}
	dctx_init(&d, t, c);
	db_reset(&t->aux);
	d.exiting = true;
	d.rval = sc->op == PTK_SC_EXIT ? sc->rval : 0;
	d.is_error = sc->op == PTK_SC_EXIT && sc->is_error;
	d.arg = c->next_arg;
	d.ret = (int)c->ret;
	d.sep_done = c->dec_state == DEC_MORE_SEP;
	if (d.is_error && -d.rval == ERESTART_RESTARTBLOCK_)
		note_interrupted(c->tid, c->nr, c->arch);
	bool more = c->dec_state == DEC_MORE || c->dec_state == DEC_MORE_SEP;
	/* Without an exit (killed, exit_group) the rest stays unprinted. */
	if (more && sc->op == PTK_SC_EXIT)
		decoder_for(d.ent)(&d);
	c->ret = (int)d.ret;
	/*
	 * The entry's text is still the end of c's output unless another
	 * tracee's line closed it (out_unfinished_close zeroes c->col).  With
	 * -ff each tracee has its own file and nothing comes in between.
	 */
	if (c->col == 0) {
		out_begin(t, c);
		out_printf(t, c, "<... %s resumed>", line_name(&d, nb, sizeof nb));
	}
	if (c->line.len > c->entry_len)
		out_write(c, c->line.s + c->entry_len, c->line.len - c->entry_len);
	/* Arguments that were never printed: the tracee did not return. */
	if (more && sc->op != PTK_SC_EXIT)
		out_printf(t, c, " <unfinished ...>");
	out_printf(t, c, ") ");
	if (c->col < RET_COLUMN)
		out_printf(t, c, "%*s", RET_COLUMN - c->col, "");
	print_return(t, c, &d, sc);
	if (t->aux.len)
		out_printf(t, c, " %s", t->aux.s);
	/* Rarely used: freed rather than kept until the trace ends. */
	db_free(&t->aux);
	if (t->o.syscall_time && sc->op == PTK_SC_EXIT) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long long ns = (now.tv_sec - c->t_enter.tv_sec) * 1000000000LL +
		               (now.tv_nsec - c->t_enter.tv_nsec);
		out_printf(t, c, " <%lld.%06lld>", ns / 1000000000LL, (ns % 1000000000LL) / 1000);
	}
	out_end_line(t, c);
	c->in_syscall = false;
}

const char *sig_name(int sig, char *buf, size_t len)
{
	const char *n = ptk_signal_name(sig);
	if (n)
		return n;
	snprintf(buf, len, "%d", sig);
	return buf;
}

void decode_signal(struct trace *t, struct tcb *c, const siginfo_t *si)
{
	struct dctx d;
	char b[32];
	dctx_init(&d, t, c);
	struct dbuf text = {0};
	d.out = &text;
	p_siginfo(&d, si);
	out_begin(t, c);
	out_printf(t, c, "--- %s %s ---", sig_name(si->si_signo, b, sizeof b),
	           text.s ? text.s : "");
	out_end_line(t, c);
	db_free(&text);
}
