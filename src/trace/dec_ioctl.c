/* SPDX-License-Identifier: MIT */
/*
 * ioctl(2) as strace 6.1 prints it (observed): the request by name
 * ("SNDCTL_TMR_START or TCSETS" where two subsystems share a number), or
 * strace's _IOC(dir, type, nr, size) for an unknown one; the argument by
 * what the request passes: nothing, an int by value, an int through a
 * pointer ([1]), a struct termios or winsize, or the raw value in hex.
 * Layouts: asm-generic/termbits.h, asm-generic/ioctls.h.
 */
#include "trace.h"

#include <string.h>

/* Requests that strace names after two subsystems sharing the number. */
static const struct {
	uint32_t code;
	const char *name;
} shared_names[] = {
        {0x5402, "SNDCTL_TMR_START or TCSETS"},
        {0x5403, "SNDCTL_TMR_STOP or TCSETSW"},
        {0x5404, "SNDCTL_TMR_CONTINUE or TCSETSF"},
        {0x40049409, "BTRFS_IOC_CLONE or FICLONE"},
        {0x4020940d, "BTRFS_IOC_CLONE_RANGE or FICLONERANGE"},
        {0xc0189436, "BTRFS_IOC_FILE_EXTENT_SAME or FIDEDUPERANGE"},
};

/* How a request's third argument is printed. */
enum arg_kind {
	A_HEX,     /* unknown: the raw value in hex */
	A_NONE,    /* no argument */
	A_INT,     /* an int by value, decimal */
	A_ULONG,   /* an unsigned long by value, decimal */
	A_IN_INT,  /* pointer to an int the kernel reads: [1] */
	A_OUT_INT, /* pointer to an int the kernel writes: [1] at exit */
	A_TERMIOS_IN,
	A_TERMIOS_OUT,
	A_WINSZ_IN,
	A_WINSZ_OUT,
	A_TCFLSH,
	A_TCXONC,
	A_STI, /* TIOCSTI: one character */
};

static const struct {
	uint32_t code;
	enum arg_kind kind;
} kinds[] = {
        {0x5401, A_TERMIOS_OUT}, /* TCGETS */
        {0x5402, A_TERMIOS_IN},  /* TCSETS */
        {0x5403, A_TERMIOS_IN},  /* TCSETSW */
        {0x5404, A_TERMIOS_IN},  /* TCSETSF */
        {0x5409, A_INT},         /* TCSBRK */
        {0x540a, A_TCXONC},      /* TCXONC */
        {0x540b, A_TCFLSH},      /* TCFLSH */
        {0x540c, A_NONE},        /* TIOCEXCL */
        {0x540d, A_NONE},        /* TIOCNXCL */
        {0x540e, A_INT},         /* TIOCSCTTY */
        {0x540f, A_OUT_INT},     /* TIOCGPGRP */
        {0x5410, A_IN_INT},      /* TIOCSPGRP */
        {0x5411, A_OUT_INT},     /* TIOCOUTQ */
        {0x5412, A_STI},         /* TIOCSTI */
        {0x5413, A_WINSZ_OUT},   /* TIOCGWINSZ */
        {0x5414, A_WINSZ_IN},    /* TIOCSWINSZ */
        {0x5415, A_OUT_INT},     /* TIOCMGET */
        {0x5416, A_IN_INT},      /* TIOCMBIS */
        {0x5417, A_IN_INT},      /* TIOCMBIC */
        {0x5418, A_IN_INT},      /* TIOCMSET */
        {0x5419, A_OUT_INT},     /* TIOCGSOFTCAR */
        {0x541a, A_IN_INT},      /* TIOCSSOFTCAR */
        {0x541b, A_OUT_INT},     /* FIONREAD */
        {0x541d, A_NONE},        /* TIOCCONS */
        {0x541f, A_NONE},        /* TIOCSSERIAL */
        {0x5420, A_IN_INT},      /* TIOCPKT */
        {0x5421, A_IN_INT},      /* FIONBIO */
        {0x5422, A_NONE},        /* TIOCNOTTY */
        {0x5423, A_IN_INT},      /* TIOCSETD */
        {0x5424, A_OUT_INT},     /* TIOCGETD */
        {0x5425, A_INT},         /* TCSBRKP */
        {0x5427, A_NONE},        /* TIOCSBRK */
        {0x5428, A_NONE},        /* TIOCCBRK */
        {0x5429, A_OUT_INT},     /* TIOCGSID */
        {0x80045430, A_OUT_INT}, /* TIOCGPTN */
        {0x40045431, A_IN_INT},  /* TIOCSPTLCK */
        {0x5437, A_NONE},        /* TIOCVHANGUP */
        {0x80045438, A_OUT_INT}, /* TIOCGPKT */
        {0x80045439, A_OUT_INT}, /* TIOCGPTLCK */
        {0x80045440, A_OUT_INT}, /* TIOCGEXCL */
        {0x5450, A_NONE},        /* FIONCLEX */
        {0x5451, A_NONE},        /* FIOCLEX */
        {0x5452, A_IN_INT},      /* FIOASYNC */
        {0x5457, A_TERMIOS_IN},  /* TIOCSLCKTRMIOS */
        {0x8901, A_IN_INT},      /* FIOSETOWN */
        {0x8902, A_IN_INT},      /* SIOCSPGRP */
        {0x8903, A_OUT_INT},     /* FIOGETOWN */
        {0x8904, A_OUT_INT},     /* SIOCGPGRP */
        {0x8905, A_OUT_INT},     /* SIOCATMARK */
        {0xc0045877, A_NONE},    /* FIFREEZE */
        {0xc0045878, A_NONE},    /* FITHAW */
        {0x40049409, A_INT},     /* FICLONE */
        {0x125d, A_IN_INT},      /* BLKROSET */
        {0x125e, A_OUT_INT},     /* BLKROGET */
        {0x125f, A_NONE},        /* BLKRRPART */
        {0x1261, A_NONE},        /* BLKFLSBUF */
        {0x1262, A_ULONG},       /* BLKRASET */
        {0x1268, A_OUT_INT},     /* BLKSSZGET */
        {0x127b, A_OUT_INT},     /* BLKPBSZGET */
};

static enum arg_kind kind_of(uint32_t code)
{
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (kinds[i].code == code)
			return kinds[i].kind;
	return A_HEX;
}

/* The request: its name, or _IOC(_IOC_READ, 0x78, 0x1, 0x4). */
static void p_request(struct dctx *d, uint32_t code)
{
	for (size_t i = 0; i < sizeof shared_names / sizeof *shared_names; i++)
		if (shared_names[i].code == code) {
			db_puts(d->out, shared_names[i].name);
			return;
		}
	const char *n = ptk_xlat_name(&ptk_xlat_ioctl, code);
	if (n) {
		db_puts(d->out, n);
		return;
	}
	/* asm-generic/ioctl.h: nr 8 bits, type 8, size 14, dir 2 (1 write, 2 read). */
	unsigned nr = code & 0xff, type = (code >> 8) & 0xff, size = (code >> 16) & 0x3fff;
	unsigned dir = code >> 30;
	static const char *const dirs[] = {"_IOC_NONE", "_IOC_WRITE", "_IOC_READ",
	                                   "_IOC_READ|_IOC_WRITE"};
	db_printf(d->out, "_IOC(%s, %#x, %#x, ", dirs[dir], type, nr);
	p_hex(d, size);
	db_putc(d->out, ')');
}

/* ---- struct termios ---- */

/* "NAME|" for one field of a flags word (the delays of c_oflag, CBAUD, ...). */
static void field(struct dctx *d, const struct ptk_xlat *x, uint32_t v)
{
	const char *n = ptk_xlat_name(x, v);
	if (n)
		db_printf(d->out, "%s|", n);
	else
		db_printf(d->out, "%#x|", v);
}

/* Flag names without the "0" a zero value would get: strace leaves it empty. */
static void flags_or_empty(struct dctx *d, const struct ptk_xlat *x, uint32_t v)
{
	if (v)
		p_flags(d, x, v);
}

static void p_termios(struct dctx *d, uint64_t addr)
{
	struct {
		uint32_t iflag, oflag, cflag, lflag;
		uint8_t line, cc[19];
	} t;
	if (!mem_get(d, addr, &t, sizeof t)) {
		p_ptr(d, addr);
		return;
	}
	db_puts(d->out, "{c_iflag=");
	flags_or_empty(d, &ptk_xlat_termios_iflag, t.iflag);
	db_puts(d->out, ", c_oflag=");
	field(d, &ptk_xlat_termios_nldly, t.oflag & 0x100);
	field(d, &ptk_xlat_termios_crdly, t.oflag & 0x600);
	field(d, &ptk_xlat_termios_tabdly, t.oflag & 0x1800);
	field(d, &ptk_xlat_termios_bsdly, t.oflag & 0x2000);
	field(d, &ptk_xlat_termios_vtdly, t.oflag & 0x4000);
	field(d, &ptk_xlat_termios_ffdly, t.oflag & 0x8000);
	flags_or_empty(d, &ptk_xlat_termios_oflag, t.oflag & ~0xff00u);
	db_puts(d->out, ", c_cflag=");
	/* CBAUD (0x100f), then CIBAUD (CBAUD << IBSHIFT, 16) when set, CSIZE. */
	field(d, &ptk_xlat_termios_baud, t.cflag & 0x100f);
	if (t.cflag & 0x100f0000) {
		const char *n = ptk_xlat_name(&ptk_xlat_termios_baud, (t.cflag >> 16) & 0x100f);
		if (n)
			db_printf(d->out, "%s<<IBSHIFT|", n);
		else
			db_printf(d->out, "%#x<<IBSHIFT|", (t.cflag >> 16) & 0x100f);
	}
	field(d, &ptk_xlat_termios_csize, t.cflag & 0x30);
	flags_or_empty(d, &ptk_xlat_termios_cflag, t.cflag & ~0x100f103fu);
	db_puts(d->out, ", c_lflag=");
	flags_or_empty(d, &ptk_xlat_termios_lflag, t.lflag);
	if (!d->t->o.verbose) {
		db_puts(d->out, ", ...}");
		return;
	}
	db_puts(d->out, ", c_line=");
	p_xlat(d, &ptk_xlat_tty_ldisc, t.line, "N_???");
	db_puts(d->out, ", c_cc=[");
	for (unsigned i = 0; i < sizeof t.cc; i++) {
		const char *n = ptk_xlat_name(&ptk_xlat_termios_cc, i);
		if (i)
			db_puts(d->out, ", ");
		if (n)
			db_printf(d->out, "[%s]=", n);
		else
			db_printf(d->out, "[%u]=", i);
		p_hex(d, t.cc[i]);
	}
	db_puts(d->out, "]}");
}

static void p_winsize(struct dctx *d, uint64_t addr)
{
	uint16_t w[4];
	if (!mem_get(d, addr, w, sizeof w)) {
		p_ptr(d, addr);
		return;
	}
	db_printf(d->out, "{ws_row=%u, ws_col=%u, ws_xpixel=%u, ws_ypixel=%u}", w[0], w[1], w[2],
	          w[3]);
}

static void p_int_at(struct dctx *d, uint64_t addr)
{
	int32_t v;
	if (!mem_get(d, addr, &v, sizeof v))
		p_ptr(d, addr);
	else
		db_printf(d->out, "[%d]", v);
}

/* Is the argument the kernel's output, printed at the exit stop? */
static bool at_exit(enum arg_kind k)
{
	return k == A_OUT_INT || k == A_TERMIOS_OUT || k == A_WINSZ_OUT;
}

static int dec_ioctl(struct dctx *d)
{
	uint32_t code = (uint32_t)arg_u(d, 1);
	uint64_t arg = arg_u(d, 2);
	enum arg_kind k = kind_of(code);
	if (d->exiting) {
		arg_next(d);
		if (d->is_error || !arg)
			p_ptr(d, arg);
		else if (k == A_OUT_INT)
			p_int_at(d, arg);
		else if (k == A_TERMIOS_OUT)
			p_termios(d, arg);
		else
			p_winsize(d, arg);
		return DEC_DONE;
	}
	arg_next(d);
	p_fd(d, arg_i(d, 0));
	arg_next(d);
	p_request(d, code);
	if (k == A_NONE)
		return DEC_DONE;
	if (at_exit(k)) {
		d->next = NEXT_ARG;
		return DEC_MORE;
	}
	arg_next(d);
	switch (k) {
	case A_INT:
		p_int(d, arg_i(d, 2));
		break;
	case A_ULONG:
		p_uint(d, arg);
		break;
	case A_IN_INT:
		if (!arg)
			db_puts(d->out, "NULL");
		else
			p_int_at(d, arg);
		break;
	case A_TERMIOS_IN:
		if (!arg)
			db_puts(d->out, "NULL");
		else
			p_termios(d, arg);
		break;
	case A_WINSZ_IN:
		if (!arg)
			db_puts(d->out, "NULL");
		else
			p_winsize(d, arg);
		break;
	case A_TCFLSH:
		p_xlat(d, &ptk_xlat_tcflsh, arg, "TC???");
		break;
	case A_TCXONC:
		p_xlat(d, &ptk_xlat_tcxonc, arg, "TC???");
		break;
	case A_STI:
		if (!arg)
			db_puts(d->out, "NULL");
		else
			p_buf(d, arg, 1);
		break;
	default:
		p_hex(d, arg);
		break;
	}
	return DEC_DONE;
}

const struct decoder dec_ioctl_syscalls[] = {
        {"ioctl", dec_ioctl},
        {NULL, NULL},
};

const struct struct_decoder dec_ioctl_structs[] = {
        {NULL, NULL, 0},
};
