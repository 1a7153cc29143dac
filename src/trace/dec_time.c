/* SPDX-License-Identifier: MIT */
/*
 * The time family: clocks, sleeps, interval and POSIX timers, timerfds,
 * adjtimex, and restart_syscall, in strace 6.1's text.  Struct layouts are
 * the kernel UAPI's (linux/time_types.h, linux/timex.h, asm/signal.h).
 */
#include "dec_util.h"

#include <errno.h>
#include <string.h>
#include <time.h>

/* ---- timespec, timeval and their pairs ---- */

void p_timespec_val(struct dctx *d, int64_t sec, int64_t nsec)
{
	/* strace prints tv_nsec unsigned: a -1 shows as 18446744073709551615. */
	db_printf(d->out, "{tv_sec=%lld, tv_nsec=%llu}", (long long)sec, (unsigned long long)nsec);
}

void p_timeval_val(struct dctx *d, int64_t sec, int64_t usec)
{
	db_printf(d->out, "{tv_sec=%lld, tv_usec=%llu}", (long long)sec, (unsigned long long)usec);
}

/* Read a pair of longs of the ABI (two 32-bit ones on i386). */
static bool get_pair(struct dctx *d, uint64_t addr, bool wide, int64_t v[2])
{
	if (wide || d->arch != PTK_ARCH_I386) {
		return mem_get(d, addr, v, 16);
	}
	int32_t w[2];
	if (!mem_get(d, addr, w, sizeof w))
		return false;
	v[0] = w[0];
	v[1] = w[1];
	return true;
}

static void timespec_any(struct dctx *d, uint64_t addr, bool wide)
{
	int64_t v[2];
	if (!addr)
		db_puts(d->out, "NULL");
	else if (!get_pair(d, addr, wide, v))
		p_ptr(d, addr);
	else
		p_timespec_val(d, v[0], v[1]);
}

void p_timespec(struct dctx *d, uint64_t addr, uint64_t size)
{
	(void)size;
	timespec_any(d, addr, false);
}

static void p_timespec64(struct dctx *d, uint64_t addr, uint64_t size)
{
	(void)size;
	timespec_any(d, addr, true);
}

void p_timeval(struct dctx *d, uint64_t addr, uint64_t size)
{
	int64_t v[2];
	(void)size;
	if (!addr)
		db_puts(d->out, "NULL");
	else if (!get_pair(d, addr, false, v))
		p_ptr(d, addr);
	else
		p_timeval_val(d, v[0], v[1]);
}

static void pair_of_pairs(struct dctx *d, uint64_t addr, bool wide, bool nsec)
{
	int64_t a[2], b[2];
	size_t half = wide || d->arch != PTK_ARCH_I386 ? 16 : 8;
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	if (!get_pair(d, addr, wide, a) || !get_pair(d, addr + half, wide, b)) {
		p_ptr(d, addr);
		return;
	}
	db_puts(d->out, "{it_interval=");
	if (nsec)
		p_timespec_val(d, a[0], a[1]);
	else
		p_timeval_val(d, a[0], a[1]);
	db_puts(d->out, ", it_value=");
	if (nsec)
		p_timespec_val(d, b[0], b[1]);
	else
		p_timeval_val(d, b[0], b[1]);
	db_putc(d->out, '}');
}

static void p_itimerval(struct dctx *d, uint64_t addr, uint64_t size)
{
	(void)size;
	pair_of_pairs(d, addr, false, false);
}

static void p_itimerspec(struct dctx *d, uint64_t addr, uint64_t size)
{
	(void)size;
	pair_of_pairs(d, addr, false, true);
}

static void p_itimerspec64(struct dctx *d, uint64_t addr, uint64_t size)
{
	(void)size;
	pair_of_pairs(d, addr, true, true);
}

static void p_timezone(struct dctx *d, uint64_t addr, uint64_t size)
{
	int32_t tz[2];
	(void)size;
	if (!addr)
		db_puts(d->out, "NULL");
	else if (!GET(d, addr, tz))
		p_ptr(d, addr);
	else
		db_printf(d->out, "{tz_minuteswest=%d, tz_dsttime=%d}", tz[0], tz[1]);
}

static void p_tms(struct dctx *d, uint64_t addr, uint64_t size)
{
	int64_t v[4];
	(void)size;
	if (d->arch == PTK_ARCH_I386) {
		int32_t w[4];
		if (!addr || !GET(d, addr, w)) {
			p_ptr(d, addr);
			return;
		}
		for (int i = 0; i < 4; i++)
			v[i] = w[i];
	} else if (!addr || !GET(d, addr, v)) {
		p_ptr(d, addr);
		return;
	}
	static const char *const names[] = {"tms_utime", "tms_stime", "tms_cutime", "tms_cstime"};
	db_putc(d->out, '{');
	for (int i = 0; i < 4; i++) {
		db_printf(d->out, "%s%s=", i ? ", " : "", names[i]);
		p_clock_ticks(d, (uint64_t)v[i]);
	}
	db_putc(d->out, '}');
}

/* A time_t as strace shows it: 1795333809 / * 2026-11-22T07:50:09+0000 * / */
static void time_comment(struct dbuf *b, int64_t t, bool comment)
{
	struct tm tm;
	time_t tt = (time_t)t;
	char s[64];
	if (!localtime_r(&tt, &tm) || !strftime(s, sizeof s, "%FT%T%z", &tm)) {
		db_printf(b, "%lld", (long long)t);
		return;
	}
	if (comment)
		db_printf(b, "%lld /* %s */", (long long)t, s);
	else
		db_printf(b, "(%s)", s);
}

static void p_time(struct dctx *d, uint64_t addr, uint64_t size)
{
	int64_t t;
	(void)size;
	if (d->arch == PTK_ARCH_I386) {
		int32_t w;
		if (!addr || !GET(d, addr, w)) {
			p_ptr(d, addr);
			return;
		}
		t = w;
	} else if (!addr || !GET(d, addr, t)) {
		p_ptr(d, addr);
		return;
	}
	db_putc(d->out, '[');
	time_comment(d->out, t, true);
	db_putc(d->out, ']');
}

/* struct __kernel_timex (linux/timex.h): the same layout on both ABIs. */
struct ktimex {
	uint32_t modes;
	int32_t pad0;
	int64_t offset, freq, maxerror, esterror;
	int32_t status, pad1;
	int64_t constant, precision, tolerance;
	int64_t tv_sec, tv_usec;
	int64_t tick, ppsfreq, jitter;
	int32_t shift, pad2;
	int64_t stabil, jitcnt, calcnt, errcnt, stbcnt;
	int32_t tai;
	int32_t pad3[11];
};

/* The old i386 struct timex of adjtimex (longs are 32-bit). */
struct ktimex32 {
	uint32_t modes;
	int32_t offset, freq, maxerror, esterror, status, constant, precision, tolerance;
	int32_t tv_sec, tv_usec;
	int32_t tick, ppsfreq, jitter, shift, stabil, jitcnt, calcnt, errcnt, stbcnt, tai;
	int32_t pad[11];
};

static void timex_body(struct dctx *d, const struct ktimex *t)
{
	db_puts(d->out, "{modes=");
	p_flags_or(d, &ptk_xlat_adjtimex_modes, t->modes, "ADJ_???");
	db_printf(d->out, ", offset=%lld, freq=%lld, maxerror=%lld, esterror=%lld, status=",
	          (long long)t->offset, (long long)t->freq, (long long)t->maxerror,
	          (long long)t->esterror);
	p_flags_or(d, &ptk_xlat_adjtimex_status, (uint32_t)t->status, "STA_???");
	db_printf(d->out,
	          ", constant=%lld, precision=%lld, tolerance=%lld, time=", (long long)t->constant,
	          (long long)t->precision, (long long)t->tolerance);
	p_timeval_val(d, t->tv_sec, t->tv_usec);
	db_printf(d->out,
	          ", tick=%lld, ppsfreq=%lld, jitter=%lld, shift=%d, stabil=%lld, jitcnt=%lld, "
	          "calcnt=%lld, errcnt=%lld, stbcnt=%lld, tai=%d}",
	          (long long)t->tick, (long long)t->ppsfreq, (long long)t->jitter, t->shift,
	          (long long)t->stabil, (long long)t->jitcnt, (long long)t->calcnt,
	          (long long)t->errcnt, (long long)t->stbcnt, t->tai);
}

static void timex_any(struct dctx *d, uint64_t addr, bool wide)
{
	struct ktimex t;
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	if (wide || d->arch != PTK_ARCH_I386) {
		if (!GET(d, addr, t)) {
			p_ptr(d, addr);
			return;
		}
	} else {
		struct ktimex32 s;
		if (!GET(d, addr, s)) {
			p_ptr(d, addr);
			return;
		}
		t = (struct ktimex){.modes = s.modes,
		                    .offset = s.offset,
		                    .freq = s.freq,
		                    .maxerror = s.maxerror,
		                    .esterror = s.esterror,
		                    .status = s.status,
		                    .constant = s.constant,
		                    .precision = s.precision,
		                    .tolerance = s.tolerance,
		                    .tv_sec = s.tv_sec,
		                    .tv_usec = s.tv_usec,
		                    .tick = s.tick,
		                    .ppsfreq = s.ppsfreq,
		                    .jitter = s.jitter,
		                    .shift = s.shift,
		                    .stabil = s.stabil,
		                    .jitcnt = s.jitcnt,
		                    .calcnt = s.calcnt,
		                    .errcnt = s.errcnt,
		                    .stbcnt = s.stbcnt,
		                    .tai = s.tai};
	}
	timex_body(d, &t);
}

static void p_timex(struct dctx *d, uint64_t addr, uint64_t size)
{
	(void)size;
	timex_any(d, addr, false);
}

static void p_timex64(struct dctx *d, uint64_t addr, uint64_t size)
{
	(void)size;
	timex_any(d, addr, true);
}

/* ---- arguments ---- */

void p_clockid(struct dctx *d, uint64_t v)
{
	/* strace 6.1 names the fixed clocks only; a CPU-time clock of a
	 * process or thread (negative ids) prints as 32-bit hex. */
	p_xlat32(d, &ptk_xlat_clock, v, "CLOCK_???");
}

/* An argument the kernel writes: its struct on success, else the pointer. */
static void out_struct(struct dctx *d, struct_printer fn, uint64_t addr)
{
	if (d->is_error)
		p_ptr(d, addr);
	else
		fn(d, addr, 0);
}

static bool wide_time(const struct dctx *d)
{
	/* The *_time64 calls of i386 use 64-bit time; their names end so. */
	const char *n = d->ent && d->ent->name ? d->ent->name : "";
	size_t l = strlen(n);
	return l > 7 && strcmp(n + l - 7, "_time64") == 0;
}

static void ts_arg(struct dctx *d, uint64_t addr)
{
	timespec_any(d, addr, wide_time(d));
}

/* ---- sleeps ---- */

/* The remaining time: written only when a signal interrupted the sleep. */
static void p_remaining(struct dctx *d, uint64_t addr)
{
	if (d->is_error && (d->rval == -EINTR || d->rval == -516)) /* ERESTART_RESTARTBLOCK */
		ts_arg(d, addr);
	else
		p_ptr(d, addr);
}

static int dec_nanosleep(struct dctx *d)
{
	if (!d->exiting) {
		arg_next(d);
		ts_arg(d, arg_u(d, 0));
		return dec_more(d);
	}
	arg_next(d);
	p_remaining(d, arg_u(d, 1));
	return DEC_DONE;
}

static int dec_clock_nanosleep(struct dctx *d)
{
	if (!d->exiting) {
		arg_next(d);
		p_clockid(d, arg_u(d, 0));
		arg_next(d);
		p_flags_or(d, &ptk_xlat_timer, (uint32_t)arg_u(d, 1), "TIMER_???");
		arg_next(d);
		ts_arg(d, arg_u(d, 2));
		return dec_more(d);
	}
	arg_next(d);
	p_remaining(d, arg_u(d, 3));
	return DEC_DONE;
}

/* ---- clocks ---- */

/* clock_gettime, clock_getres: (clock, out timespec). */
static int dec_clock_get(struct dctx *d)
{
	if (!d->exiting) {
		arg_next(d);
		p_clockid(d, arg_u(d, 0));
		return dec_more(d);
	}
	arg_next(d);
	if (d->is_error)
		p_ptr(d, arg_u(d, 1));
	else
		ts_arg(d, arg_u(d, 1));
	return DEC_DONE;
}

static int dec_clock_settime(struct dctx *d)
{
	arg_next(d);
	p_clockid(d, arg_u(d, 0));
	arg_next(d);
	ts_arg(d, arg_u(d, 1));
	return DEC_DONE;
}

static int dec_gettimeofday(struct dctx *d)
{
	if (!d->exiting)
		return dec_more(d);
	arg_next(d);
	out_struct(d, p_timeval, arg_u(d, 0));
	arg_next(d);
	out_struct(d, p_timezone, arg_u(d, 1));
	return DEC_DONE;
}

static int dec_settimeofday(struct dctx *d)
{
	arg_next(d);
	p_timeval(d, arg_u(d, 0), 0);
	arg_next(d);
	p_timezone(d, arg_u(d, 1), 0);
	return DEC_DONE;
}

static int dec_time_call(struct dctx *d)
{
	if (!d->exiting)
		return dec_more(d);
	arg_next(d);
	out_struct(d, p_time, arg_u(d, 0));
	if (!d->is_error) {
		int64_t t = d->arch == PTK_ARCH_I386 ? (int32_t)d->rval : d->rval;
		time_comment(d->aux, t, false);
	}
	return DEC_DONE;
}

static int dec_times(struct dctx *d)
{
	if (!d->exiting)
		return dec_more(d);
	arg_next(d);
	out_struct(d, p_tms, arg_u(d, 0));
	return DEC_DONE;
}

/* adjtimex(timex), clock_adjtime(clock, timex): the struct after the call. */
static int dec_adjtime(struct dctx *d)
{
	bool clk = strncmp(d->ent->name, "clock_", 6) == 0;
	if (!d->exiting) {
		if (clk) {
			arg_next(d);
			p_clockid(d, arg_u(d, 0));
		}
		return dec_more(d);
	}
	arg_next(d);
	uint64_t addr = arg_u(d, clk ? 1 : 0);
	if (d->is_error)
		p_ptr(d, addr);
	else
		timex_any(d, addr, wide_time(d));
	if (!d->is_error) {
		const char *n = ptk_xlat_name(&ptk_xlat_adjtimex_state, (uint64_t)d->rval);
		if (n)
			db_printf(d->aux, "(%s)", n);
	}
	return DEC_DONE;
}

/* ---- interval timers ---- */

static int dec_getitimer(struct dctx *d)
{
	if (!d->exiting) {
		arg_next(d);
		p_xlat32(d, &ptk_xlat_itimer_which, arg_u(d, 0), "ITIMER_???");
		return dec_more(d);
	}
	arg_next(d);
	out_struct(d, p_itimerval, arg_u(d, 1));
	return DEC_DONE;
}

static int dec_setitimer(struct dctx *d)
{
	if (!d->exiting) {
		arg_next(d);
		p_xlat32(d, &ptk_xlat_itimer_which, arg_u(d, 0), "ITIMER_???");
		arg_next(d);
		p_itimerval(d, arg_u(d, 1), 0);
		return dec_more(d);
	}
	arg_next(d);
	out_struct(d, p_itimerval, arg_u(d, 2));
	return DEC_DONE;
}

/* ---- POSIX timers and timerfds ---- */

static void itspec_arg(struct dctx *d, uint64_t addr)
{
	pair_of_pairs(d, addr, wide_time(d), true);
}

static int dec_timer_create(struct dctx *d)
{
	if (!d->exiting) {
		arg_next(d);
		p_clockid(d, arg_u(d, 0));
		arg_next(d);
		p_sigevent(d, arg_u(d, 1), 0);
		return dec_more(d);
	}
	arg_next(d);
	int32_t id;
	uint64_t a = arg_u(d, 2);
	if (d->is_error || !a || !GET(d, a, id))
		p_ptr(d, a);
	else
		db_printf(d->out, "[%d]", id);
	return DEC_DONE;
}

/* timer_settime(id, flags, new, old), timerfd_settime(fd, flags, new, old). */
static int dec_settime(struct dctx *d)
{
	bool tfd = d->ent->name[5] == 'f';
	if (!d->exiting) {
		arg_next(d);
		if (tfd)
			p_fd(d, arg_i(d, 0));
		else
			p_int(d, arg_i(d, 0));
		arg_next(d);
		if (tfd)
			p_flags_or(d, &ptk_xlat_timerfd_settime, (uint32_t)arg_u(d, 1), "TFD_???");
		else
			p_flags_or(d, &ptk_xlat_timer, (uint32_t)arg_u(d, 1), "TIMER_???");
		arg_next(d);
		itspec_arg(d, arg_u(d, 2));
		return dec_more(d);
	}
	arg_next(d);
	if (d->is_error)
		p_ptr(d, arg_u(d, 3));
	else
		itspec_arg(d, arg_u(d, 3));
	return DEC_DONE;
}

/* timer_gettime(id, cur), timerfd_gettime(fd, cur). */
static int dec_gettime(struct dctx *d)
{
	if (!d->exiting) {
		arg_next(d);
		if (d->ent->name[5] == 'f')
			p_fd(d, arg_i(d, 0));
		else
			p_int(d, arg_i(d, 0));
		return dec_more(d);
	}
	arg_next(d);
	if (d->is_error)
		p_ptr(d, arg_u(d, 1));
	else
		itspec_arg(d, arg_u(d, 1));
	return DEC_DONE;
}

static int dec_timerfd_create(struct dctx *d)
{
	arg_next(d);
	p_clockid(d, arg_u(d, 0));
	arg_next(d);
	p_flags_or(d, &ptk_xlat_timerfd, (uint32_t)arg_u(d, 1), "TFD_???");
	return DEC_DONE;
}

const struct decoder dec_time_syscalls[] = {
        {"adjtimex", dec_adjtime},
        {"adjtimex_time64", dec_adjtime},
        {"clock_adjtime", dec_adjtime},
        {"clock_adjtime64", dec_adjtime},
        {"clock_getres", dec_clock_get},
        {"clock_getres_time64", dec_clock_get},
        {"clock_gettime", dec_clock_get},
        {"clock_gettime64", dec_clock_get},
        {"clock_nanosleep", dec_clock_nanosleep},
        {"clock_nanosleep_time64", dec_clock_nanosleep},
        {"clock_settime", dec_clock_settime},
        {"clock_settime64", dec_clock_settime},
        {"getitimer", dec_getitimer},
        {"gettimeofday", dec_gettimeofday},
        {"nanosleep", dec_nanosleep},
        {"setitimer", dec_setitimer},
        {"settimeofday", dec_settimeofday},
        {"time", dec_time_call},
        {"timer_create", dec_timer_create},
        {"timer_gettime", dec_gettime},
        {"timer_gettime64", dec_gettime},
        {"timer_settime", dec_settime},
        {"timer_settime64", dec_settime},
        {"timerfd_create", dec_timerfd_create},
        {"timerfd_gettime", dec_gettime},
        {"timerfd_gettime64", dec_gettime},
        {"timerfd_settime", dec_settime},
        {"timerfd_settime64", dec_settime},
        {"times", dec_times},
        {NULL, NULL},
};

const struct struct_decoder dec_time_structs[] = {
        {"itimerspec", p_itimerspec, 32},
        {"itimerspec64", p_itimerspec64, 32},
        {"itimerval", p_itimerval, 32},
        {"time", p_time, 8},
        {"timespec", p_timespec, 16},
        {"timespec64", p_timespec64, 16},
        {"timeval", p_timeval, 16},
        {"timex", p_timex, sizeof(struct ktimex)},
        {"timex64", p_timex64, sizeof(struct ktimex)},
        {"timezone", p_timezone, 8},
        {"tms", p_tms, 32},
        {NULL, NULL, 0},
};
