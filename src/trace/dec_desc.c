/* SPDX-License-Identifier: MIT */
/*
 * The descriptor family: fcntl per command, poll/ppoll and select/pselect6
 * with their results after the return value, epoll events, sendfile's
 * offset and the scalar-through-pointer arguments ([0]), in strace 6.1's
 * text (observed; see tests/trace/test_decode_desc.py).  ioctl is in
 * dec_ioctl.c.  Layouts are the x86_64 UAPI's (asm-generic/fcntl.h,
 * asm-generic/poll.h, linux/eventpoll.h).
 */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

/* ---- fcntl ---- */

enum {
	F_DUPFD_ = 0,
	F_GETFD_ = 1,
	F_SETFD_ = 2,
	F_GETFL_ = 3,
	F_SETFL_ = 4,
	F_GETLK_ = 5,
	F_SETLK_ = 6,
	F_SETLKW_ = 7,
	F_SETOWN_ = 8,
	F_GETOWN_ = 9,
	F_SETSIG_ = 10,
	F_GETSIG_ = 11,
	F_GETLK64_ = 12,
	F_SETLK64_ = 13,
	F_SETLKW64_ = 14,
	F_SETOWN_EX_ = 15,
	F_GETOWN_EX_ = 16,
	F_OFD_GETLK_ = 36,
	F_OFD_SETLK_ = 37,
	F_OFD_SETLKW_ = 38,
	F_SETLEASE_ = 1024,
	F_GETLEASE_ = 1025,
	F_NOTIFY_ = 1026,
	F_DUPFD_QUERY_ = 1027,
	F_DUPFD_CLOEXEC_ = 1030,
	F_SETPIPE_SZ_ = 1031,
	F_GETPIPE_SZ_ = 1032,
	F_ADD_SEALS_ = 1033,
	F_GET_SEALS_ = 1034,
};

/* struct flock (x86_64: 32 bytes); l_pid only where the kernel wrote it. */
static void p_flock(struct dctx *d, uint64_t addr, bool with_pid)
{
	struct {
		int16_t type, whence;
		int32_t pad;
		int64_t start, len;
		int32_t pid, pad2;
	} fl;
	if (d->arch == PTK_ARCH_I386 || !mem_get(d, addr, &fl, sizeof fl)) {
		p_ptr(d, addr);
		return;
	}
	db_puts(d->out, "{l_type=");
	p_xlat(d, &ptk_xlat_lock_type, (uint64_t)(int64_t)fl.type, "F_???");
	db_puts(d->out, ", l_whence=");
	p_xlat(d, &ptk_xlat_whence, (uint64_t)(int64_t)fl.whence, "SEEK_???");
	db_printf(d->out, ", l_start=%lld, l_len=%lld", (long long)fl.start, (long long)fl.len);
	if (with_pid)
		db_printf(d->out, ", l_pid=%d", fl.pid);
	db_putc(d->out, '}');
}

/* struct f_owner_ex: {type=F_OWNER_PID, pid=123}. */
static void p_owner_ex(struct dctx *d, uint64_t addr)
{
	int32_t o[2];
	if (!mem_get(d, addr, o, sizeof o)) {
		p_ptr(d, addr);
		return;
	}
	db_puts(d->out, "{type=");
	p_xlat(d, &ptk_xlat_f_owner, (uint64_t)(int64_t)o[0], "F_OWNER_???");
	db_printf(d->out, ", pid=%d}", o[1]);
}

/* "0x8002 (flags O_RDWR|O_LARGEFILE)": a returned value and its meaning. */
static void ret_aux(struct dctx *d, const char *what, const struct ptk_xlat *x, uint64_t v)
{
	d->ret = RET_HEX;
	db_putc(d->aux, '(');
	if (what)
		db_printf(d->aux, "%s ", what);
	struct dbuf *saved = d->out;
	d->out = d->aux;
	if (x->kind == PTK_XLAT_ENUM)
		p_xlat(d, x, v, NULL);
	else
		p_flags(d, x, v);
	d->out = saved;
	db_putc(d->aux, ')');
}

static int dec_fcntl(struct dctx *d)
{
	int64_t cmd = arg_i(d, 1);
	uint64_t arg = arg_u(d, 2);
	if (d->exiting) {
		/* The commands that print the struct the kernel filled. */
		if (cmd == F_GETLK_ || cmd == F_OFD_GETLK_ ||
		    (cmd == F_GETLK64_ && d->arch == PTK_ARCH_I386)) {
			arg_next(d);
			if (d->is_error)
				p_ptr(d, arg);
			else
				p_flock(d, arg, true);
		} else if (cmd == F_GETOWN_EX_) {
			arg_next(d);
			if (d->is_error)
				p_ptr(d, arg);
			else
				p_owner_ex(d, arg);
		}
		if (d->is_error)
			return DEC_DONE;
		uint64_t r = (uint64_t)d->rval;
		switch (cmd) {
		case F_GETFD_:
			if (r)
				ret_aux(d, "flags", &ptk_xlat_fd_flags, r);
			break;
		case F_GETFL_:
			ret_aux(d, "flags", &ptk_xlat_open, r);
			break;
		case F_GETLEASE_:
			ret_aux(d, NULL, &ptk_xlat_lock_type, r);
			break;
		case F_GET_SEALS_:
			if (r)
				ret_aux(d, "seals", &ptk_xlat_seals, r);
			break;
		case F_DUPFD_:
		case F_DUPFD_CLOEXEC_:
			d->ret = RET_FD;
			break;
		default:
			break;
		}
		return DEC_DONE;
	}
	arg_next(d);
	p_fd(d, arg_i(d, 0));
	arg_next(d);
	p_xlat(d, &ptk_xlat_fcntl, (uint64_t)cmd, "F_???");
	switch (cmd) {
	case F_GETFD_:
	case F_GETFL_:
	case F_GETOWN_:
	case F_GETSIG_:
	case F_GETLEASE_:
	case F_GETPIPE_SZ_:
	case F_GET_SEALS_:
		break;
	case F_DUPFD_:
	case F_DUPFD_CLOEXEC_:
	case F_SETOWN_:
	case F_SETPIPE_SZ_:
		arg_next(d);
		p_int(d, arg_i(d, 2));
		break;
	case F_DUPFD_QUERY_:
		arg_next(d);
		p_fd(d, arg_i(d, 2));
		break;
	case F_SETFD_:
		arg_next(d);
		p_flags(d, &ptk_xlat_fd_flags, arg);
		break;
	case F_SETFL_:
		arg_next(d);
		p_flags(d, &ptk_xlat_open, (uint32_t)arg);
		break;
	case F_SETSIG_:
		arg_next(d);
		p_signal(d, arg_i(d, 2));
		break;
	case F_SETLEASE_:
		arg_next(d);
		p_xlat(d, &ptk_xlat_lock_type, arg, "F_???");
		break;
	case F_NOTIFY_:
		arg_next(d);
		p_flags(d, &ptk_xlat_dnotify, (uint32_t)arg);
		break;
	case F_ADD_SEALS_:
		arg_next(d);
		p_flags(d, &ptk_xlat_seals, (uint32_t)arg);
		break;
	case F_SETLK_:
	case F_SETLKW_:
	case F_OFD_SETLK_:
	case F_OFD_SETLKW_:
		arg_next(d);
		p_flock(d, arg, false);
		break;
	case F_SETOWN_EX_:
		arg_next(d);
		p_owner_ex(d, arg);
		break;
	case F_GETLK_:
	case F_OFD_GETLK_:
	case F_GETOWN_EX_:
		d->next = NEXT_ARG;
		return DEC_MORE;
	default:
		if (cmd == F_GETLK64_ && d->arch == PTK_ARCH_I386) {
			d->next = NEXT_ARG;
			return DEC_MORE;
		}
		arg_next(d);
		p_hex(d, arg);
		break;
	}
	d->next = NEXT_NONE;
	return DEC_MORE; /* for the return value's meaning */
}

/* ---- poll, ppoll ---- */

/* The pollfd array: with events at entry, or only the fds with revents. */
static void pollfds(struct dctx *d, struct dbuf *out, uint64_t addr, uint64_t n, bool revents)
{
	struct dbuf *saved = d->out;
	d->out = out;
	if (!addr) {
		db_puts(out, "NULL");
		d->out = saved;
		return;
	}
	struct {
		int32_t fd;
		int16_t events, revents;
	} *pf = n && n <= 1024 * 1024 ? calloc((size_t)n, 8) : NULL;
	if (n && (!pf || !mem_get(d, addr, pf, (size_t)n * 8))) {
		free(pf);
		p_ptr(d, addr);
		d->out = saved;
		return;
	}
	db_putc(out, '[');
	size_t printed = 0;
	for (uint64_t i = 0; i < n; i++) {
		if (revents && !pf[i].revents)
			continue;
		if (printed)
			db_puts(out, ", ");
		if (printed >= d->t->o.strsize && !d->t->o.verbose) {
			db_puts(out, "...");
			break;
		}
		printed++;
		db_puts(out, "{fd=");
		p_fd(d, pf[i].fd);
		if (revents) {
			db_puts(out, ", revents=");
			p_flags(d, &ptk_xlat_poll, (uint16_t)pf[i].revents);
		} else if (pf[i].fd >= 0) {
			db_puts(out, ", events=");
			p_flags(d, &ptk_xlat_poll, (uint16_t)pf[i].events);
		}
		db_putc(out, '}');
	}
	db_putc(out, ']');
	free(pf);
	d->out = saved;
}

static int dec_poll(struct dctx *d)
{
	if (!d->exiting) {
		arg_next(d);
		pollfds(d, d->out, arg_u(d, 0), (uint32_t)arg_u(d, 1), false);
		arg_next(d);
		p_uint(d, (uint32_t)arg_u(d, 1));
		arg_next(d);
		p_int(d, arg_i(d, 2));
		d->next = NEXT_NONE;
		return DEC_MORE;
	}
	if (d->is_error)
		return DEC_DONE;
	if (d->rval == 0) {
		db_puts(d->aux, "(Timeout)");
		return DEC_DONE;
	}
	db_putc(d->aux, '(');
	pollfds(d, d->aux, arg_u(d, 0), (uint32_t)arg_u(d, 1), true);
	db_putc(d->aux, ')');
	return DEC_DONE;
}

static int dec_ppoll(struct dctx *d)
{
	if (!d->exiting) {
		arg_next(d);
		pollfds(d, d->out, arg_u(d, 0), (uint32_t)arg_u(d, 1), false);
		arg_next(d);
		p_uint(d, (uint32_t)arg_u(d, 1));
		arg_next(d);
		p_timespec_addr(d, arg_u(d, 2));
		arg_next(d);
		p_sigset_addr(d, arg_u(d, 3), arg_u(d, 4));
		arg_next(d);
		p_uint(d, arg_u(d, 4));
		d->next = NEXT_NONE;
		return DEC_MORE;
	}
	if (d->is_error)
		return DEC_DONE;
	if (d->rval == 0) {
		db_puts(d->aux, "(Timeout)");
		return DEC_DONE;
	}
	db_putc(d->aux, '(');
	pollfds(d, d->aux, arg_u(d, 0), (uint32_t)arg_u(d, 1), true);
	if (arg_u(d, 2)) {
		struct dbuf *saved = d->out;
		d->out = d->aux;
		db_puts(d->aux, ", left ");
		p_timespec_addr(d, arg_u(d, 2));
		d->out = saved;
	}
	db_putc(d->aux, ')');
	return DEC_DONE;
}

/* ---- select, pselect6 ---- */

/* The fds set in an fd_set of nfds bits, or NULL if none (-1 if unreadable). */
static int fdset_read(struct dctx *d, uint64_t addr, int64_t nfds, uint64_t **ret)
{
	*ret = NULL;
	if (!addr || nfds <= 0 || nfds > 1024 * 1024)
		return 0;
	size_t bytes = (size_t)((nfds + 63) / 64) * 8;
	uint64_t *bits = calloc(1, bytes);
	if (!bits || !mem_get(d, addr, bits, bytes)) {
		free(bits);
		return -1;
	}
	*ret = bits;
	return 0;
}

static void fdset_print(struct dctx *d, const uint64_t *bits, int64_t nfds)
{
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
}

static void fdset_arg(struct dctx *d, uint64_t addr, int64_t nfds)
{
	uint64_t *bits;
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	if (fdset_read(d, addr, nfds, &bits) < 0) {
		p_ptr(d, addr);
		return;
	}
	if (bits)
		fdset_print(d, bits, nfds);
	else
		db_puts(d->out, "[]");
	free(bits);
}

/* After the return value: "(in [3], out [4], left {...})" or "(Timeout)". */
static void select_result(struct dctx *d, bool timeval)
{
	if (d->is_error)
		return;
	if (d->rval == 0) {
		db_puts(d->aux, "(Timeout)");
		return;
	}
	int64_t nfds = arg_i(d, 0);
	static const char *const names[] = {"in", "out", "except"};
	struct dbuf *saved = d->out;
	d->out = d->aux;
	db_putc(d->aux, '(');
	bool first = true;
	for (int i = 0; i < 3; i++) {
		uint64_t *bits;
		if (fdset_read(d, arg_u(d, 1 + i), nfds, &bits) < 0 || !bits)
			continue;
		bool any = false;
		for (int64_t k = 0; k < nfds && !any; k++)
			any = (bits[k / 64] >> (k % 64)) & 1;
		if (any) {
			db_printf(d->aux, "%s%s ", first ? "" : ", ", names[i]);
			fdset_print(d, bits, nfds);
			first = false;
		}
		free(bits);
	}
	if (arg_u(d, 4)) {
		db_printf(d->aux, "%sleft ", first ? "" : ", ");
		if (timeval)
			p_timeval_addr(d, arg_u(d, 4));
		else
			p_timespec_addr(d, arg_u(d, 4));
	}
	db_putc(d->aux, ')');
	d->out = saved;
}

static int select_common(struct dctx *d, bool timeval)
{
	if (d->exiting) {
		select_result(d, timeval);
		return DEC_DONE;
	}
	int64_t nfds = arg_i(d, 0);
	arg_next(d);
	p_int(d, nfds);
	for (int i = 1; i <= 3; i++) {
		arg_next(d);
		fdset_arg(d, arg_u(d, i), nfds);
	}
	arg_next(d);
	if (timeval)
		p_timeval_addr(d, arg_u(d, 4));
	else
		p_timespec_addr(d, arg_u(d, 4));
	d->next = NEXT_NONE;
	return DEC_MORE;
}

static int dec_select(struct dctx *d)
{
	return select_common(d, true);
}

static int dec_pselect6(struct dctx *d)
{
	int r = select_common(d, false);
	if (!d->exiting) {
		/* struct { const sigset_t *ss; size_t ss_len; } */
		uint64_t addr = arg_u(d, 5), sm[2];
		arg_next(d);
		if (!addr)
			db_puts(d->out, "NULL");
		else if (d->arch == PTK_ARCH_I386 || !mem_get(d, addr, sm, sizeof sm))
			p_ptr(d, addr);
		else {
			db_puts(d->out, "{sigmask=");
			p_sigset_addr(d, sm[0], sm[1]);
			db_printf(d->out, ", sigsetsize=%llu}", (unsigned long long)sm[1]);
		}
	}
	return r;
}

/* ---- epoll ---- */

/* struct epoll_event: packed on x86_64 (12 bytes). */
static void p_epoll_event(struct dctx *d, uint64_t addr, uint64_t size)
{
	uint8_t e[12];
	if (!mem_get(d, addr, e, sizeof e)) {
		p_ptr(d, addr);
		return;
	}
	uint32_t events;
	uint64_t data;
	memcpy(&events, e, 4);
	memcpy(&data, e + 4, 8);
	db_puts(d->out, "{events=");
	p_flags(d, &ptk_xlat_epoll_events, events);
	db_printf(d->out, ", data={u32=%u, u64=%llu}}", (uint32_t)data, (unsigned long long)data);
}

/* ---- sendfile: the offset before and after ---- */

static void p_loff(struct dctx *d, uint64_t addr)
{
	int64_t v;
	if (!addr)
		db_puts(d->out, "NULL");
	else if (!mem_get(d, addr, &v, sizeof v))
		p_ptr(d, addr);
	else
		db_printf(d->out, "[%lld]", (long long)v);
}

static int dec_sendfile(struct dctx *d)
{
	if (!d->exiting) {
		arg_next(d);
		p_fd(d, arg_i(d, 0));
		arg_next(d);
		p_fd(d, arg_i(d, 1));
		arg_next(d);
		p_loff(d, arg_u(d, 2));
		if (arg_u(d, 2)) {
			d->next = NEXT_NONE; /* " => [4]" continues the offset */
			return DEC_MORE;
		}
		arg_next(d);
		p_uint(d, arg_u(d, 3));
		return DEC_DONE;
	}
	if (!d->is_error) {
		db_puts(d->out, " => ");
		p_loff(d, arg_u(d, 2));
	}
	arg_next(d);
	p_uint(d, arg_u(d, 3));
	return DEC_DONE;
}

/* epoll_ctl(epfd, op, fd, event): EPOLL_CTL_DEL ignores event, which
 * strace then prints as an address. */
static int dec_epoll_ctl(struct dctx *d)
{
	for (int i = 0; i < 3; i++) {
		arg_next(d);
		decode_arg(d, i);
	}
	arg_next(d);
	if (arg_u(d, 1) == 2) /* EPOLL_CTL_DEL */
		p_ptr(d, arg_u(d, 3));
	else
		decode_arg(d, 3);
	return DEC_DONE;
}

const struct decoder dec_desc_syscalls[] = {
        {"epoll_ctl", dec_epoll_ctl}, {"fcntl", dec_fcntl},
        {"fcntl64", dec_fcntl},       {"poll", dec_poll},
        {"ppoll", dec_ppoll},         {"select", dec_select},
        {"_newselect", dec_select},   {"pselect6", dec_pselect6},
        {"sendfile", dec_sendfile},   {NULL, NULL},
};

const struct struct_decoder dec_desc_structs[] = {
        {"epoll_event", p_epoll_event, 12},
        {NULL, NULL, 0},
};
