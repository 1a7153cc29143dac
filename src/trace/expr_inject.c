/* SPDX-License-Identifier: MIT */
/*
 * -e inject= and -e fault=: SET:OPTION=VALUE:... with strace's options
 * (error, retval, signal, syscall, delay_enter, delay_exit, when=FIRST
 * [..LAST][+[STEP]]).  Pure code: unit-tested and fuzzed with expr.c.
 */
#include "trace.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool parse_u32(const char *s, const char **end, uint32_t *ret)
{
	if (!isdigit((unsigned char)*s))
		return false;
	unsigned long v = 0;
	while (isdigit((unsigned char)*s)) {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > 1000000)
			return false;
		s++;
	}
	*end = s;
	*ret = (uint32_t)v;
	return true;
}

/* when=FIRST[..LAST][+[STEP]] */
static int parse_when(const char *v, struct inject_spec *sp, char *err, size_t errlen)
{
	const char *p = v;
	uint32_t first, last = UINT32_MAX, step = 1;
	if (!parse_u32(p, &p, &first) || first < 1 || first > 65535) {
		snprintf(err, errlen, "when=%s: the first invocation must be 1..65535", v);
		return -1;
	}
	bool range = false;
	if (p[0] == '.' && p[1] == '.') {
		range = true;
		p += 2;
		if (!parse_u32(p, &p, &last) || last < 1 || last > 65534) {
			snprintf(err, errlen, "when=%s: the last invocation must be 1..65534", v);
			return -1;
		}
		if (last < first) {
			snprintf(err, errlen, "when=%s: the last invocation is before the first",
			         v);
			return -1;
		}
	}
	if (*p == '+') {
		p++;
		if (*p) {
			if (!parse_u32(p, &p, &step) || step < 1 || step > 65535) {
				snprintf(err, errlen, "when=%s: the step must be 1..65535", v);
				return -1;
			}
		}
	} else if (!range) {
		last = first; /* "N": invocation N only */
	}
	if (*p) {
		snprintf(err, errlen, "when=%s: unexpected '%s' (FIRST[..LAST][+[STEP]])", v, p);
		return -1;
	}
	sp->first = first;
	sp->last = last;
	sp->step = step;
	return 0;
}

static int inject_option(struct inject_spec *sp, bool fault, const char *opt, char *err,
                         size_t errlen)
{
	const char *eq = strchr(opt, '=');
	if (!eq) {
		snprintf(err, errlen, "'%s': expected NAME=VALUE", opt);
		return -1;
	}
	size_t kl = (size_t)(eq - opt);
	const char *v = eq + 1;
#define KEY(k) (kl == strlen(k) && strncmp(opt, k, kl) == 0)
	if (KEY("when"))
		return parse_when(v, sp, err, errlen);
	if (KEY("error")) {
		if (sp->what & (INJ_ERROR | INJ_RETVAL)) {
			snprintf(err, errlen, "'%s': only one error= or retval= is allowed", opt);
			return -1;
		}
		int e = ptk_errno_lookup(v);
		if (e < 0) {
			char *end;
			long n = strtol(v, &end, 10);
			e = *v && !*end && n >= 1 && n <= 4095 ? (int)n : -1;
		}
		if (e < 1 || e > 4095) {
			snprintf(err, errlen,
			         "'%s': unknown errno (a name such as ENOENT, or 1..4095)", opt);
			return -1;
		}
		sp->what |= INJ_ERROR;
		sp->error = e;
		return 0;
	}
	if (fault) {
		snprintf(err, errlen, "'%s': -e fault takes only error= and when= (see -e inject)",
		         opt);
		return -1;
	}
	if (KEY("retval")) {
		if (sp->what & (INJ_ERROR | INJ_RETVAL)) {
			snprintf(err, errlen, "'%s': only one error= or retval= is allowed", opt);
			return -1;
		}
		char *end;
		errno = 0;
		long long n = strtoll(v, &end, 0);
		if (errno == ERANGE) {
			errno = 0;
			n = (long long)strtoull(v, &end, 0);
		}
		if (errno || !*v || *end) {
			snprintf(err, errlen, "'%s': the value must be an integer", opt);
			return -1;
		}
		sp->what |= INJ_RETVAL;
		sp->retval = n;
		return 0;
	}
	if (KEY("signal")) {
		int s = ptk_signal_lookup(v);
		if (sp->what & INJ_SIGNAL) {
			snprintf(err, errlen, "'%s': only one signal= is allowed", opt);
			return -1;
		}
		if (s < 1 || s > 64) {
			snprintf(err, errlen, "'%s': unknown signal", opt);
			return -1;
		}
		sp->what |= INJ_SIGNAL;
		sp->signo = s;
		return 0;
	}
	if (KEY("syscall")) {
		long nr = ptk_syscall_lookup(PTK_ARCH_X86_64, v);
		const struct ptk_sysent *e = nr >= 0 ? ptk_sysent_get(PTK_ARCH_X86_64, nr) : NULL;
		if (!e) {
			snprintf(err, errlen, "'%s': unknown syscall", opt);
			return -1;
		}
		if (!(e->classes & PTK_SCC_PURE)) {
			snprintf(err, errlen, "'%s': only a %%pure syscall can be injected", opt);
			return -1;
		}
		sp->what |= INJ_SYSCALL;
		sp->syscall = nr;
		return 0;
	}
	if (KEY("delay_enter") || KEY("delay_exit")) {
		int64_t ns = expr_time_ns(v);
		if (ns < 0) {
			snprintf(err, errlen,
			         "'%s': a delay is a number of microseconds or NUMBER{s,ms,us,ns}",
			         opt);
			return -1;
		}
		if (KEY("delay_enter")) {
			sp->what |= INJ_DELAY_ENTER;
			sp->delay_enter_ns = (uint64_t)ns;
		} else {
			sp->what |= INJ_DELAY_EXIT;
			sp->delay_exit_ns = (uint64_t)ns;
		}
		return 0;
	}
	if (KEY("poke_enter") || KEY("poke_exit")) {
		snprintf(err, errlen, "'%.*s' is not supported by ptk trace", (int)kl, opt);
		return -1;
	}
#undef KEY
	snprintf(err, errlen,
	         "unknown tampering option '%.*s' (error, retval, signal, syscall, delay_enter, "
	         "delay_exit, when)",
	         (int)kl, opt);
	return -1;
}

int expr_inject(struct trace_opts *o, const char *val, bool fault, char *err, size_t errlen)
{
	const char *what = fault ? "fault" : "inject";
	char e2[400];
	if (o->ninj == TRACE_MAX_INJECT) {
		snprintf(err, errlen, "too many -e %s expressions (at most %d)", what,
		         TRACE_MAX_INJECT);
		return -1;
	}
	char buf[1024];
	if (strlen(val) >= sizeof buf) {
		snprintf(err, errlen, "-e %s: expression too long", what);
		return -1;
	}
	snprintf(buf, sizeof buf, "%s", val);
	char *colon = strchr(buf, ':');
	if (colon)
		*colon = 0;
	struct sc_set set;
	if (expr_syscall_set(buf, &set, e2, sizeof e2) < 0) {
		snprintf(err, errlen, "-e %s=%s: %s", what, val, e2);
		return -1;
	}
	struct inject_spec sp = {.first = 1, .last = UINT32_MAX, .step = 1};
	char *save = NULL;
	for (char *opt = colon ? strtok_r(colon + 1, ":", &save) : NULL; opt;
	     opt = strtok_r(NULL, ":", &save)) {
		if (inject_option(&sp, fault, opt, e2, sizeof e2) < 0) {
			snprintf(err, errlen, "-e %s=%s: %s", what, val, e2);
			return -1;
		}
	}
	if (fault && !(sp.what & INJ_ERROR)) {
		sp.what |= INJ_ERROR;
		sp.error = ENOSYS;
	}
	if (!(sp.what & ~(unsigned)INJ_SYSCALL)) {
		snprintf(err, errlen,
		         "-e %s=%s: say what to do: error=, retval=, signal=, delay_enter= or "
		         "delay_exit=",
		         what, val);
		return -1;
	}
	if ((sp.what & INJ_SYSCALL) && !(sp.what & (INJ_ERROR | INJ_RETVAL))) {
		snprintf(err, errlen, "-e %s=%s: syscall= needs error= or retval=", what, val);
		return -1;
	}
	int idx = o->ninj++;
	o->inj[idx] = sp;
	for (int a = 0; a < ABI_N; a++)
		for (long nr = 0; nr < SC_BITS; nr++)
			if (sc_set_has(&set, a, nr)) {
				o->inj_of[a][nr] = (uint8_t)(idx + 1);
				sc_set_add(&o->inj_set, a, nr);
			}
	return 0;
}
