/* SPDX-License-Identifier: MIT */
/*
 * ptk trace's qualifying expressions (src/trace/expr.c): syscall sets
 * (names, numbers, classes, regexes, ?, personalities, negation), signal,
 * status and quiet sets, -e inject= / -e fault= with when= ranges, time
 * specifications, the closest-name suggestions, and the one-line message
 * that names the offending token.
 */
#include "harness.h"

#include "trace.h"

#include <string.h>

static char err[512];

static long nr64(const char *name)
{
	return ptk_syscall_lookup(PTK_ARCH_X86_64, name);
}

static long nr32(const char *name)
{
	return ptk_syscall_lookup(PTK_ARCH_I386, name);
}

static int count(const struct sc_set *s, int abi)
{
	int n = 0;
	for (long i = 0; i < SC_BITS; i++)
		n += sc_set_has(s, abi, i);
	return n;
}

#define SET_OK(spec, s)                                                            \
	do {                                                                       \
		if (expr_syscall_set(spec, s, err, sizeof err) != 0)               \
			th_fail(__FILE__, __LINE__, "'%s' failed: %s", spec, err); \
	} while (0)

#define SET_BAD(spec, msg)                                                      \
	do {                                                                    \
		struct sc_set bad_;                                             \
		if (expr_syscall_set(spec, &bad_, err, sizeof err) == 0)        \
			th_fail(__FILE__, __LINE__, "'%s' was accepted", spec); \
		CHECK_EQ_STR(err, msg);                                         \
	} while (0)

TEST(names_and_numbers)
{
	struct sc_set s;
	SET_OK("open,close", &s);
	CHECK(sc_set_has(&s, ABI_64, nr64("open")));
	CHECK(sc_set_has(&s, ABI_64, nr64("close")));
	CHECK(sc_set_has(&s, ABI_32, nr32("open")));
	CHECK(sc_set_has(&s, ABI_X32, nr64("open")));
	CHECK_EQ_INT(count(&s, ABI_64), 2);
	CHECK(!s.rest);
	SET_OK("39", &s); /* a number: getpid on x86_64, umount on i386 */
	CHECK(sc_set_has(&s, ABI_64, 39));
	CHECK(sc_set_has(&s, ABI_32, 39));
	CHECK_EQ_INT(count(&s, ABI_64), 1);
	SET_OK("open,", &s); /* a trailing comma is accepted, as strace */
	CHECK_EQ_INT(count(&s, ABI_64), 1);
}

TEST(all_none_and_negation)
{
	struct sc_set s;
	SET_OK("all", &s);
	CHECK_EQ_INT(count(&s, ABI_64), SC_BITS);
	CHECK(s.rest);
	SET_OK("none", &s);
	CHECK_EQ_INT(count(&s, ABI_64), 0);
	CHECK(!s.rest);
	SET_OK("!none", &s);
	CHECK_EQ_INT(count(&s, ABI_32), SC_BITS);
	SET_OK("!open,close", &s);
	CHECK(!sc_set_has(&s, ABI_64, nr64("open")));
	CHECK(!sc_set_has(&s, ABI_64, nr64("close")));
	CHECK(sc_set_has(&s, ABI_64, nr64("read")));
	CHECK(s.rest);
	SET_OK("!all", &s);
	CHECK_EQ_INT(count(&s, ABI_64), 0);
}

TEST(classes)
{
	struct sc_set s;
	SET_OK("%file", &s);
	CHECK(sc_set_has(&s, ABI_64, nr64("openat")));
	CHECK(sc_set_has(&s, ABI_64, nr64("execve")));
	CHECK(!sc_set_has(&s, ABI_64, nr64("read")));
	SET_OK("file", &s); /* the legacy spelling */
	CHECK(sc_set_has(&s, ABI_64, nr64("unlink")));
	SET_OK("%net", &s);
	CHECK(sc_set_has(&s, ABI_64, nr64("connect")));
	SET_OK("%%stat", &s);
	CHECK(sc_set_has(&s, ABI_64, nr64("fstat")) && sc_set_has(&s, ABI_64, nr64("statx")));
	SET_OK("%pure", &s);
	CHECK(sc_set_has(&s, ABI_64, nr64("getppid")));
	/* "stat" is the syscall, not the %stat class (only old classes go without %). */
	SET_OK("stat", &s);
	CHECK_EQ_INT(count(&s, ABI_64), 1);
	SET_OK("signal", &s); /* the legacy class, not i386's signal() */
	CHECK(sc_set_has(&s, ABI_64, nr64("rt_sigaction")));
	SET_BAD("%frob", "unknown syscall class '%frob' (the classes are %file, %desc, %network, "
	                 "%process, %signal, %memory, %ipc, %creds, %clock, %pure, %stat, %lstat, "
	                 "%fstat, %%stat, %statfs, %fstatfs, %%statfs)");
}

TEST(regex)
{
	struct sc_set s;
	SET_OK("/^getp", &s);
	CHECK(sc_set_has(&s, ABI_64, nr64("getppid")));
	CHECK(sc_set_has(&s, ABI_64, nr64("getpid")));
	CHECK(sc_set_has(&s, ABI_64, nr64("getpgid")));
	CHECK(!sc_set_has(&s, ABI_64, nr64("setpgid")));
	SET_OK("/statv?fs$", &s);
	CHECK(sc_set_has(&s, ABI_64, nr64("statfs")) && sc_set_has(&s, ABI_64, nr64("fstatfs")));
	SET_BAD("/[", "invalid regular expression '[': Invalid regular expression");
	SET_BAD("/^zzz", "no system call matches '/^zzz'");
	SET_OK("?/^zzz", &s);
	CHECK_EQ_INT(count(&s, ABI_64), 0);
}

TEST(regex_whose_repetitions_multiply_is_refused)
{
	/* glibc's regcomp copies a repeated subtree, so each stacked or nested
	 * repetition doubles the compiled size: 30 of them would take gigabytes
	 * (found by fuzz_trace_expr as an out-of-memory). */
	struct sc_set s;
	SET_BAD("/a++++++++++++++++++++++++++++++",
	        "regular expression 'a++++++++++++++++++++++++++++++' repeats a repetition "
	        "('+' then '+'), which POSIX leaves undefined; group the first, as in (x+)+");
	SET_BAD("/((((((((((((((((((x+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+",
	        "regular expression '((((((((((((((((((x+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+' "
	        "is too complex (its repetitions multiply); simplify it");
	SET_BAD("/(a{999}){999}", "regular expression '(a{999}){999}' is too complex (its "
	                          "repetitions multiply); simplify it");
	/* Adjacent repetitions are undefined in POSIX (regex(7)); glibc takes
	 * seconds on some ("K/+n?+++++++?++", found by fuzz_trace_expr). */
	SET_BAD("/K/+n?+++++++?++", "regular expression 'K/+n?+++++++?++' repeats a repetition "
	                            "('?' then '+'), which POSIX leaves undefined; group the "
	                            "first, as in (x?)+");
	SET_BAD("/^get{2}{3}", "regular expression '^get{2}{3}' repeats a repetition "
	                       "('{2}' then '{3}'), which POSIX leaves undefined; group the "
	                       "first, as in (x{2}){3}");
	SET_BAD("/read|a*?", "regular expression 'read|a*?' repeats a repetition ('*' then "
	                     "'?'), which POSIX leaves undefined; group the first, as in (x*)?");
	/* Not repetitions: a literal '{', a bracket or an escaped '+' before one. */
	SET_OK("/^[+a-z]+$", &s);
	SET_OK("/^read\\+*", &s);
	CHECK(sc_set_has(&s, ABI_64, nr64("read")));
	SET_OK("/^(wait4)+$", &s);
	CHECK(sc_set_has(&s, ABI_64, nr64("wait4")));
	/* Ordinary patterns, however many separate repetitions, still compile. */
	SET_OK("/^(get|set)+p+i+d+$", &s);
	CHECK(sc_set_has(&s, ABI_64, nr64("getpid")));
	SET_OK("/^[[:alpha:]]+p[]a-z]*id$", &s);
	CHECK(sc_set_has(&s, ABI_64, nr64("getppid")));
	SET_OK("/^a{0}(getpp){1}id$", &s);
	CHECK_EQ_INT(count(&s, ABI_64), 1);
}

TEST(personalities)
{
	struct sc_set s;
	SET_OK("getpid@64", &s);
	CHECK(sc_set_has(&s, ABI_64, nr64("getpid")));
	CHECK(!sc_set_has(&s, ABI_32, nr32("getpid")));
	CHECK(!sc_set_has(&s, ABI_X32, nr64("getpid")));
	SET_OK("getpid@32", &s);
	CHECK(!sc_set_has(&s, ABI_64, nr64("getpid")));
	CHECK(sc_set_has(&s, ABI_32, nr32("getpid")));
	SET_OK("%file@x32", &s);
	CHECK(sc_set_has(&s, ABI_X32, nr64("openat")));
	CHECK_EQ_INT(count(&s, ABI_64), 0);
	/* A name of one ABI only: socketcall is i386's. */
	SET_OK("socketcall", &s);
	CHECK(sc_set_has(&s, ABI_32, nr32("socketcall")));
	CHECK_EQ_INT(count(&s, ABI_64), 0);
	SET_BAD("getpid@99",
	        "incorrect personality designator '99' in 'getpid@99' (use @64, @32 or "
	        "@x32)");
}

TEST(unknown_names_get_suggestions)
{
	SET_BAD("getppidx",
	        "invalid system call 'getppidx' (did you mean getppid, getpgid, getpid?)");
	SET_BAD("opne", "invalid system call 'opne' (did you mean open?)");
	SET_BAD("open,clsoe", "invalid system call 'clsoe' (did you mean close, clone?)");
	SET_BAD("xyzzyplugh", "invalid system call 'xyzzyplugh'");
	SET_BAD("9999", "invalid system call number '9999'");
	SET_BAD("", "empty syscall set (use none to trace nothing)");
	SET_BAD("!", "empty syscall set (use none to trace nothing)");
	SET_BAD("none,open", "'none' must stand alone (-e trace=none)");
	struct sc_set s;
	SET_OK("?getppidx,getpid", &s); /* '?': no error for what matches nothing */
	CHECK_EQ_INT(count(&s, ABI_64), 1);
	char buf[128];
	expr_suggest("open_by_hnadle", buf, sizeof buf);
	CHECK_EQ_STR(buf, "open_by_handle_at");
}

TEST(signal_sets)
{
	uint64_t s[2];
	CHECK_OK(expr_signal_set("SIGUSR1,int,9", s, err, sizeof err));
	CHECK_EQ_HEX(s[0], (1ull << 10) | (1ull << 2) | (1ull << 9));
	CHECK_EQ_HEX(s[1], 0);
	CHECK_OK(expr_signal_set("!SIGCHLD", s, err, sizeof err));
	CHECK(!(s[0] & (1ull << 17)) && (s[0] & (1ull << 10)));
	CHECK_OK(expr_signal_set("RTMIN+2,SIGRTMAX", s, err, sizeof err));
	CHECK_EQ_HEX(s[0], 1ull << 34);
	CHECK_EQ_HEX(s[1], 1);
	CHECK_OK(expr_signal_set("none", s, err, sizeof err));
	CHECK(!s[0] && !s[1]);
	CHECK(expr_signal_set("SIGFOO", s, err, sizeof err) < 0);
	CHECK_EQ_STR(err, "invalid signal 'SIGFOO'");
	CHECK(expr_signal_set("USR1,!INT", s, err, sizeof err) < 0);
	CHECK_EQ_STR(err, "invalid signal '!INT'");
	CHECK(expr_signal_set("", s, err, sizeof err) < 0);
	CHECK_EQ_STR(err, "invalid signal set ''");
}

TEST(status_and_quiet_sets)
{
	unsigned v;
	CHECK_OK(expr_status_set("successful,unfinished", &v, err, sizeof err));
	CHECK_EQ_INT(v, ST_SUCCESSFUL | ST_UNFINISHED);
	CHECK_OK(expr_status_set("!failed", &v, err, sizeof err));
	CHECK_EQ_INT(v, ST_ALL & ~ST_FAILED);
	CHECK_OK(expr_status_set("detached,unavailable", &v, err, sizeof err));
	CHECK_EQ_INT(v, ST_DETACHED | ST_UNAVAILABLE);
	CHECK(expr_status_set("good", &v, err, sizeof err) < 0);
	CHECK_EQ_STR(err, "invalid status 'good' (one of successful, failed, unfinished, "
	                  "unavailable, detached)");
	CHECK_OK(expr_quiet_set("thread-execve,path-resolution", &v, err, sizeof err));
	CHECK_EQ_INT(v, Q_SUPERSEDED | Q_PATH);
	CHECK_OK(expr_quiet_set("all", &v, err, sizeof err));
	CHECK_EQ_INT(v, Q_ALL);
}

static struct trace_opts o;

static int qual(const char *e)
{
	memset(&o, 0, sizeof o);
	return expr_parse(&o, e, err, sizeof err);
}

#define Q_OK(e)                                                                 \
	do {                                                                    \
		if (qual(e) != 0)                                               \
			th_fail(__FILE__, __LINE__, "'%s' failed: %s", e, err); \
	} while (0)
#define Q_BAD(e, msg)                                                        \
	do {                                                                 \
		if (qual(e) == 0)                                            \
			th_fail(__FILE__, __LINE__, "'%s' was accepted", e); \
		CHECK_EQ_STR(err, msg);                                      \
	} while (0)

static const struct inject_spec *spec_of(const char *name)
{
	long nr = nr64(name);
	int i = o.inj_of[ABI_64][nr];
	return i ? &o.inj[i - 1] : NULL;
}

TEST(inject)
{
	Q_OK("inject=getppid:error=ENOENT:when=2..3");
	const struct inject_spec *sp = spec_of("getppid");
	CHECK(sp);
	CHECK_EQ_INT(sp->what, INJ_ERROR);
	CHECK_EQ_INT(sp->error, 2);
	CHECK_EQ_INT(sp->first, 2);
	CHECK_EQ_INT(sp->last, 3);
	CHECK_EQ_INT(sp->step, 1);
	CHECK(sc_set_has(&o.inj_set, ABI_64, nr64("getppid")));
	CHECK(!spec_of("getpid"));
	Q_OK("inject=getppid,getpid:retval=42:when=2+2");
	sp = spec_of("getpid");
	CHECK_EQ_INT(sp->what, INJ_RETVAL);
	CHECK_EQ_INT(sp->retval, 42);
	CHECK_EQ_INT(sp->first, 2);
	CHECK_EQ_INT(sp->step, 2);
	CHECK_EQ_HEX(sp->last, UINT32_MAX);
	Q_OK("inject=%file:error=13:signal=SIGUSR1:delay_enter=1.5ms:delay_exit=2s:when=3");
	sp = spec_of("openat");
	CHECK_EQ_INT(sp->what, INJ_ERROR | INJ_SIGNAL | INJ_DELAY_ENTER | INJ_DELAY_EXIT);
	CHECK_EQ_INT(sp->error, 13);
	CHECK_EQ_INT(sp->signo, 10);
	CHECK_EQ_INT(sp->delay_enter_ns, 1500000);
	CHECK_EQ_INT(sp->delay_exit_ns, 2000000000);
	CHECK_EQ_INT(sp->first, 3);
	CHECK_EQ_INT(sp->last, 3);
	Q_OK("inject=getppid:syscall=getpid:retval=5:when=4..10+3");
	sp = spec_of("getppid");
	CHECK_EQ_INT(sp->what, INJ_SYSCALL | INJ_RETVAL);
	CHECK_EQ_INT(sp->syscall, nr64("getpid"));
	CHECK_EQ_INT(sp->first, 4);
	CHECK_EQ_INT(sp->last, 10);
	CHECK_EQ_INT(sp->step, 3);
	Q_OK("inject=getppid:signal=9:when=7+");
	sp = spec_of("getppid");
	CHECK_EQ_INT(sp->what, INJ_SIGNAL);
	CHECK_EQ_INT(sp->first, 7);
	CHECK_EQ_HEX(sp->last, UINT32_MAX);
	Q_OK("fault=getppid");
	sp = spec_of("getppid");
	CHECK_EQ_INT(sp->what, INJ_ERROR);
	CHECK_EQ_INT(sp->error, 38); /* ENOSYS */
}

TEST(inject_last_one_wins)
{
	memset(&o, 0, sizeof o);
	CHECK_OK(expr_parse(&o, "inject=getppid:error=EPERM:when=1", err, sizeof err));
	CHECK_OK(expr_parse(&o, "inject=getppid,getpid:retval=5:when=2", err, sizeof err));
	CHECK_EQ_INT(o.ninj, 2);
	CHECK_EQ_INT(spec_of("getppid")->what, INJ_RETVAL);
	CHECK_EQ_INT(spec_of("getppid")->first, 2);
}

TEST(inject_errors_name_the_fault)
{
	Q_BAD("inject=getppid", "-e inject=getppid: say what to do: error=, retval=, signal=, "
	                        "delay_enter= or delay_exit=");
	Q_BAD("inject=getppid:error=EFOO", "-e inject=getppid:error=EFOO: 'error=EFOO': unknown "
	                                   "errno (a name such as ENOENT, or "
	                                   "1..4095)");
	Q_BAD("inject=getppid:error=0", "-e inject=getppid:error=0: 'error=0': unknown errno (a "
	                                "name such as ENOENT, or 1..4095)");
	Q_BAD("inject=getppid:error=EPERM:retval=2",
	      "-e inject=getppid:error=EPERM:retval=2: 'retval=2': only one error= or retval= is "
	      "allowed");
	Q_BAD("inject=getppid:error=EPERM:when=0", "-e inject=getppid:error=EPERM:when=0: when=0: "
	                                           "the first invocation must be 1..65535");
	Q_BAD("inject=getppid:error=EPERM:when=3..2",
	      "-e inject=getppid:error=EPERM:when=3..2: when=3..2: the last invocation is before "
	      "the "
	      "first");
	Q_BAD("inject=getppid:error=EPERM:when=2+0",
	      "-e inject=getppid:error=EPERM:when=2+0: when=2+0: the step must be 1..65535");
	Q_BAD("inject=getppid:error=EPERM:when=65536",
	      "-e inject=getppid:error=EPERM:when=65536: when=65536: the first invocation must be "
	      "1..65535");
	Q_BAD("inject=getppid:error=EPERM:when=2x",
	      "-e inject=getppid:error=EPERM:when=2x: when=2x: unexpected 'x' "
	      "(FIRST[..LAST][+[STEP]])");
	Q_BAD("inject=getppid:error=EPERM:frob=1",
	      "-e inject=getppid:error=EPERM:frob=1: unknown tampering option 'frob' (error, "
	      "retval, signal, syscall, delay_enter, delay_exit, when)");
	Q_BAD("inject=getppid:delay_enter=1x",
	      "-e inject=getppid:delay_enter=1x: 'delay_enter=1x': a delay is a number of "
	      "microseconds or NUMBER{s,ms,us,ns}");
	Q_BAD("inject=getppid:syscall=open:error=EPERM",
	      "-e inject=getppid:syscall=open:error=EPERM: 'syscall=open': only a %pure syscall "
	      "can "
	      "be injected");
	Q_BAD("inject=getppid:signal=SIGNOPE",
	      "-e inject=getppid:signal=SIGNOPE: 'signal=SIGNOPE': unknown signal");
	Q_BAD("inject=getppid:poke_enter=@arg1=00",
	      "-e inject=getppid:poke_enter=@arg1=00: 'poke_enter' is not supported by ptk trace");
	Q_BAD("inject=:error=EPERM", "-e inject=:error=EPERM: empty syscall set (use none to trace "
	                             "nothing)");
	Q_BAD("inject=getpidd:error=EPERM", "-e inject=getpidd:error=EPERM: invalid system call "
	                                    "'getpidd' (did you mean getpid, getgid, getpgid?)");
	Q_BAD("fault=getppid:retval=1",
	      "-e fault=getppid:retval=1: 'retval=1': -e fault takes only "
	      "error= and when= (see -e inject)");
}

TEST(qualifiers)
{
	Q_OK("trace=open");
	CHECK(!o.trace_all);
	Q_OK("t=open");
	Q_OK("open"); /* no qualifier: trace */
	CHECK(sc_set_has(&o.trace, ABI_64, nr64("open")));
	Q_OK("signal=!SIGCHLD");
	Q_OK("signals=none");
	Q_OK("s=USR1");
	Q_OK("status=failed");
	CHECK_EQ_INT(o.status, ST_FAILED);
	Q_OK("abbrev=none");
	CHECK(o.verbose);
	Q_OK("verbose=all");
	Q_OK("raw=none");
	Q_OK("decode-fds=path");
	CHECK_EQ_INT(o.yflag, 1);
	Q_OK("decode-fds=socket,path");
	CHECK_EQ_INT(o.yflag, 2);
	Q_OK("decode-pids=none");
	Q_BAD("abbrev=open", "-e abbrev=open: ptk trace takes only abbrev=all or abbrev=none");
	Q_BAD("verbose=none", "-e verbose=none is not supported by ptk trace");
	Q_BAD("foo=bar",
	      "-e foo=bar: unknown qualifier 'foo' (trace, signal, status, quiet, inject, "
	      "fault, abbrev, verbose, raw, decode-fds)");
	Q_BAD("=open", "-e =open: expected QUALIFIER=VALUE");
	Q_BAD("trace=getppidx", "-e trace=getppidx: invalid system call 'getppidx' (did you mean "
	                        "getppid, getpgid, getpid?)");
	Q_BAD("signal=SIGFOO", "-e signal=SIGFOO: invalid signal 'SIGFOO'");
	Q_BAD("status=", "-e status=: invalid status ''");
}

TEST(times_and_precisions)
{
	CHECK_EQ_INT(expr_time_ns("100"), 100000);
	CHECK_EQ_INT(expr_time_ns("1.5ms"), 1500000);
	CHECK_EQ_INT(expr_time_ns("2s"), 2000000000);
	CHECK_EQ_INT(expr_time_ns("7ns"), 7);
	CHECK_EQ_INT(expr_time_ns("3us"), 3000);
	CHECK_EQ_INT(expr_time_ns("-1"), -1);
	CHECK_EQ_INT(expr_time_ns("1h"), -1);
	CHECK_EQ_INT(expr_time_ns(""), -1);
	CHECK_EQ_INT(expr_time_ns("nan"), -1);
	CHECK_EQ_INT(expr_time_ns("1e30s"), -1);
	CHECK_EQ_INT(expr_precision("s"), 0);
	CHECK_EQ_INT(expr_precision("ms"), 3);
	CHECK_EQ_INT(expr_precision("us"), 6);
	CHECK_EQ_INT(expr_precision("ns"), 9);
	CHECK_EQ_INT(expr_precision("min"), -1);
}
