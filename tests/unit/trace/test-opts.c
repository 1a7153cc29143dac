/* SPDX-License-Identifier: MIT */
/*
 * ptk trace's command line (src/trace/opts.c): every option's effect on
 * struct trace_opts, clusters, long forms and their unique prefixes, and
 * the one-line message of every kind of bad input.
 */
#include "harness.h"

#include "trace.h"

#include <stdlib.h>
#include <string.h>

static struct trace_opts o;
static char err[1024];

/* Parse a command line split at spaces ("\x01" stands for a space inside one word). */
static int parse(const char *line)
{
	static char buf[2048];
	static char *argv[128];
	snprintf(buf, sizeof buf, "trace %s", line);
	int argc = 0;
	for (char *p = strtok(buf, " "); p && argc < 127; p = strtok(NULL, " ")) {
		for (char *q = p; *q; q++)
			if (*q == '\x01')
				*q = ' ';
		argv[argc++] = p;
	}
	argv[argc] = NULL;
	return trace_opts_parse(argc, argv, &o, err, sizeof err);
}

#define OK(line)                                                                   \
	do {                                                                       \
		if (parse(line) != 0)                                              \
			th_fail(__FILE__, __LINE__, "'%s' failed: %s", line, err); \
	} while (0)

#define BAD(line, msg)                                                                      \
	do {                                                                                \
		if (parse(line) == 0)                                                       \
			th_fail(__FILE__, __LINE__, "'%s' was accepted", line);             \
		CHECK_EQ_STR(err, msg);                                                     \
		CHECK_MSG(!strchr(err, '\n'), "the message of '%s' is not one line", line); \
	} while (0)

static bool traced(const char *name)
{
	long nr = ptk_syscall_lookup(PTK_ARCH_X86_64, name);
	return nr >= 0 && sc_set_has(&o.trace, ABI_64, nr);
}

TEST(defaults)
{
	OK("/bin/true");
	CHECK_EQ_STR(o.argv[0], "/bin/true");
	CHECK_EQ_INT(o.strsize, 32);
	CHECK(o.trace_all && traced("read") && traced("getppid"));
	CHECK_EQ_INT(o.status, ST_ALL);
	CHECK(o.signals[0] == ~0ull);
	CHECK(!o.follow && !o.follow_files && !o.summary && !o.json);
	CHECK_EQ_INT(o.quiet_set, 0);
	CHECK_EQ_STR(err, "");
}

TEST(program_and_its_options)
{
	OK("-f ls -l -a");
	CHECK(o.follow);
	CHECK_EQ_STR(o.argv[0], "ls");
	CHECK_EQ_STR(o.argv[1], "-l");
	CHECK_EQ_STR(o.argv[2], "-a");
	OK("-- -weird -f");
	CHECK_EQ_STR(o.argv[0], "-weird");
	CHECK(!o.follow);
}

TEST(follow)
{
	OK("-ff -o out prog");
	CHECK(o.follow && o.follow_files);
	CHECK_EQ_STR(o.outfile, "out");
	OK("-ff prog"); /* without -o: -f */
	CHECK(o.follow && !o.follow_files);
	OK("-f --output-separately -o x prog");
	CHECK(o.follow_files);
	OK("--follow-forks prog");
	CHECK(o.follow);
	OK("--foll prog"); /* a unique prefix */
	CHECK(o.follow);
	OK("-F prog");
	CHECK(o.follow);
	CHECK_EQ_STR(err, "option -F is deprecated, please use -f/--follow-forks instead");
}

TEST(pids)
{
	OK("-p 12 -p 34");
	CHECK_EQ_INT(o.npids, 2);
	CHECK_EQ_INT(o.pids[0], 12);
	CHECK_EQ_INT(o.pids[1], 34);
	CHECK(!o.argv);
	OK("-p12,13\x01"
	   "14");
	CHECK_EQ_INT(o.npids, 3);
	CHECK_EQ_INT(o.pids[2], 14);
	OK("--attach=7 -p 7");
	CHECK_EQ_INT(o.npids, 1);
	BAD("-p abc", "invalid process id 'abc'");
	BAD("-p 0", "invalid process id '0'");
	BAD("-p 12x", "invalid process id '12x'");
	BAD("-p -5", "invalid process id '-5'");
	BAD("-p", "option -p needs an argument");
	BAD("-p 99999999999", "invalid process id '99999999999'");
}

TEST(missing_program)
{
	BAD("", "must have PROG [ARGS] or -p PID (see `ptk trace --help`)");
	BAD("-f -o x", "must have PROG [ARGS] or -p PID (see `ptk trace --help`)");
	OK("-h");
	CHECK(o.help);
	OK("--help");
	CHECK(o.help);
	OK("-V");
	CHECK(o.version);
	OK("--version");
	CHECK(o.version);
}

TEST(output_options)
{
	OK("-o f -A -s 100 -v -x -yy -n -i prog");
	CHECK(o.append);
	CHECK_EQ_INT(o.strsize, 100);
	CHECK(o.verbose && o.nflag && o.iflag);
	CHECK(!o.print_nr); /* decode.c's: ptk prints -n itself */
	CHECK_EQ_INT(o.xflag, 1);
	CHECK_EQ_INT(o.yflag, 2);
	OK("-xx -y prog");
	CHECK_EQ_INT(o.xflag, 2);
	CHECK_EQ_INT(o.yflag, 1);
	OK("--strings-in-hex=all --decode-fds=path --string-limit=7 --no-abbrev prog");
	CHECK_EQ_INT(o.xflag, 2);
	CHECK_EQ_INT(o.yflag, 1);
	CHECK_EQ_INT(o.strsize, 7);
	CHECK(o.verbose);
	OK("-s0 prog");
	CHECK_EQ_INT(o.strsize, 0);
	BAD("-s x prog", "invalid -s argument: 'x'");
	BAD("-s -1 prog", "invalid -s argument: '-1'");
	OK("-a 40 prog");
	BAD("-a 30 prog", "-a 30: ptk trace aligns return values at column 40 only");
	OK("-X abbrev prog");
	BAD("-X raw prog", "-X raw is not supported by ptk trace (only -X abbrev, the default)");
	BAD("--strings-in-hex=bogus prog", "invalid --strings-in-hex argument: 'bogus'");
}

TEST(timestamps)
{
	OK("-t prog");
	CHECK_EQ_INT(o.tflag, 1);
	CHECK_EQ_INT(o.tprec, 0);
	OK("-tt prog");
	CHECK_EQ_INT(o.tflag, 1);
	CHECK_EQ_INT(o.tprec, 6);
	OK("-ttt prog");
	CHECK_EQ_INT(o.tflag, 2);
	CHECK_EQ_INT(o.tprec, 6);
	OK("--absolute-timestamps=format:unix,precision:ns prog");
	CHECK_EQ_INT(o.tflag, 2);
	CHECK_EQ_INT(o.tprec, 9);
	OK("--timestamps=ms prog");
	CHECK_EQ_INT(o.tflag, 1);
	CHECK_EQ_INT(o.tprec, 3);
	BAD("--absolute-timestamps=fortnight prog",
	    "invalid --absolute-timestamps argument 'fortnight'");
	OK("-r -T prog");
	CHECK(o.relative && o.stimes);
	CHECK(!o.syscall_time); /* decode.c's: ptk prints -T itself */
	CHECK_EQ_INT(o.rprec, 6);
	CHECK_EQ_INT(o.Tprec, 6);
	OK("--relative-timestamps=ms --syscall-times=ns prog");
	CHECK_EQ_INT(o.rprec, 3);
	CHECK_EQ_INT(o.Tprec, 9);
	BAD("--syscall-times=hours prog", "invalid --syscall-times argument 'hours'");
}

TEST(quiet)
{
	OK("-q prog");
	CHECK_EQ_INT(o.quiet_set, Q_ATTACH | Q_PERSONALITY);
	OK("-qq prog");
	CHECK_EQ_INT(o.quiet_set, Q_ATTACH | Q_PERSONALITY | Q_EXIT);
	OK("-qqq prog");
	CHECK_EQ_INT(o.quiet_set, Q_ALL);
	OK("-e quiet=exit,superseded prog");
	CHECK_EQ_INT(o.quiet_set, Q_EXIT | Q_SUPERSEDED);
	OK("--quiet=attach prog");
	CHECK_EQ_INT(o.quiet_set, Q_ATTACH);
	/* -o FILE with a program implies -q, as strace. */
	OK("-o f prog");
	CHECK_EQ_INT(o.quiet_set, Q_ATTACH | Q_PERSONALITY);
	OK("-o f -p 1");
	CHECK_EQ_INT(o.quiet_set, 0);
	OK("-o f -e quiet=none prog");
	CHECK_EQ_INT(o.quiet_set, 0);
	BAD("-e quiet=loud prog",
	    "-e quiet=loud: invalid quiet 'loud' (one of attach, exit, path-resolution, "
	    "personality, thread-execve, superseded)");
}

TEST(filters)
{
	OK("-z prog");
	CHECK_EQ_INT(o.status, ST_SUCCESSFUL);
	OK("-Z prog");
	CHECK_EQ_INT(o.status, ST_FAILED);
	OK("-z -Z prog");
	CHECK_EQ_INT(o.status, ST_FAILED);
	CHECK_EQ_STR(err, "only the last of -z/--successful-only/-Z/--failed-only options takes "
	                  "effect; see -e status= for more complex filters");
	OK("--successful-only prog");
	CHECK_EQ_INT(o.status, ST_SUCCESSFUL);
	OK("-P /etc/passwd -P /tmp prog");
	CHECK_EQ_INT(o.npaths, 2);
	CHECK_EQ_STR(o.paths[1], "/tmp");
	OK("--trace-path=/x prog");
	CHECK_EQ_STR(o.paths[0], "/x");
	OK("-e open,close prog");
	CHECK(!o.trace_all && traced("open") && traced("close") && !traced("read"));
	OK("--trace=read prog");
	CHECK(traced("read") && !traced("write"));
	OK("-etrace=write prog");
	CHECK(traced("write") && !traced("read"));
}

TEST(summary_options)
{
	OK("-c prog");
	CHECK_EQ_INT(o.summary, 1);
	OK("-C prog");
	CHECK_EQ_INT(o.summary, 2);
	BAD("-c -C prog", "-c and -C are mutually exclusive");
	BAD("-C -c prog", "-c and -C are mutually exclusive");
	OK("-c -S calls -w -O 5us prog");
	CHECK_EQ_INT(o.sortby, SORT_CALLS);
	CHECK(o.wall);
	CHECK_EQ_INT(o.overhead_ns, 5000);
	OK("-c -S name prog");
	CHECK_EQ_INT(o.sortby, SORT_NAME);
	OK("-c --summary-sort-by=nothing prog");
	CHECK_EQ_INT(o.sortby, SORT_NONE);
	BAD("-c -S size prog", "invalid sortby: 'size' (time, min-time, max-time, avg-time, calls, "
	                       "errors, name, nothing)");
	OK("-c -U calls,errors prog");
	CHECK_EQ_INT(o.ncolumns, 3);
	CHECK_EQ_INT(o.columns[0], COL_CALLS);
	CHECK_EQ_INT(o.columns[2], COL_NAME);
	OK("-c -U name,shortest prog");
	CHECK_EQ_INT(o.ncolumns, 2);
	CHECK_EQ_INT(o.columns[1], COL_MIN);
	BAD("-c -U calls,foo prog", "unknown column name 'foo' in -U calls,foo");
	BAD("-w prog", "-w must be given with -c or -C");
	BAD("-U calls prog", "-U must be given with -c or -C");
	OK("-S calls prog");
	CHECK_EQ_STR(err, "-S has no effect without -c or -C");
	OK("-c -T prog");
	CHECK_EQ_STR(err, "-T has no effect with -c");
	BAD("-c -ff -o x prog", "-c/-C and -ff are mutually exclusive");
	BAD("-O 1x -c prog", "invalid -O argument: '1x'");
}

TEST(startup_options)
{
	OK("-E A=1 -E B -u nobody prog");
	CHECK_EQ_INT(o.nenv, 2);
	CHECK_EQ_STR(o.env[0], "A=1");
	CHECK_EQ_STR(o.env[1], "B");
	CHECK_EQ_STR(o.user, "nobody");
	OK("--env=X=y --user=root prog");
	CHECK_EQ_STR(o.env[0], "X=y");
	CHECK_EQ_STR(o.user, "root");
	BAD("-E =x prog", "invalid -E argument: '=x'");
	BAD("-u nobody -p 1", "-u needs PROG to run (it does not apply to -p)");
	BAD("-E A=1 -p 1", "-E needs PROG to run (it does not apply to -p)");
	OK("-D prog");
	CHECK_EQ_INT(o.daemonize, 1);
	OK("-DD prog");
	CHECK_EQ_INT(o.daemonize, 2);
	OK("-DDD prog");
	CHECK_EQ_INT(o.daemonize, 3);
	OK("--daemonize=session prog");
	CHECK_EQ_INT(o.daemonize, 3);
	OK("--daemonize prog");
	CHECK_EQ_INT(o.daemonize, 1);
	BAD("--daemonize=forever prog", "invalid --daemonize argument: 'forever'");
	BAD("-D -p 1", "-D needs PROG to run");
	OK("-b execve prog");
	CHECK(o.detach_on_execve);
	OK("--detach-on=execve prog");
	CHECK(o.detach_on_execve);
	BAD("-b fork prog", "syscall 'fork' for -b is not supported (only execve)");
	OK("-I 3 prog");
	CHECK_EQ_INT(o.interruptible, 3);
	OK("--interruptible=never_tstp prog");
	CHECK_EQ_INT(o.interruptible, 4);
	BAD("-I 5 prog", "invalid -I argument: '5' (1..4)");
	OK("-d prog");
	CHECK(o.debug);
}

TEST(ptk_options)
{
	OK("--seccomp-bpf prog");
	CHECK(o.seccomp_bpf);
	OK("--no-seccomp-bpf prog");
	CHECK(o.no_seccomp);
	OK("--json prog");
	CHECK(o.json);
	OK("--timeline t.json prog");
	CHECK_EQ_STR(o.timeline, "t.json");
	OK("--timeline=u.json --stops prog");
	CHECK_EQ_STR(o.timeline, "u.json");
	CHECK(o.stops);
	CHECK(!o.stack_traces);
	OK("-k prog");
	CHECK(o.stack_traces);
	OK("--stack-traces prog");
	CHECK(o.stack_traces);
	OK("-c -k prog");
	CHECK_EQ_STR(err, "-k has no effect with -c");
	BAD("--json -c prog", "--json and -c/-C cannot be combined");
	BAD("--timeline", "option '--timeline' needs an argument");
}

TEST(unsupported_options_are_refused)
{
	BAD("-Y prog", "-Y (command names of pids) is not supported by ptk trace");
	BAD("--tips prog", "--tips is not supported by ptk trace");
	OK("--tips=none prog");
	BAD("--pidns-translation prog", "--pidns-translation is not supported by ptk trace");
	BAD("--kill-on-exit prog", "--kill-on-exit is not supported by ptk trace");
	BAD("-e read=3 prog", "-e read=3 (hex dumps of the data) is not supported by ptk trace");
	BAD("--write=1 prog", "-e write=1 (hex dumps of the data) is not supported by ptk trace");
	BAD("-e raw=all prog", "-e raw=all (undecoded arguments) is not supported by ptk trace");
	BAD("-e kvm=vcpu prog", "-e kvm=vcpu is not supported by ptk trace");
	BAD("-Q prog", "invalid option -Q (see `ptk trace --help`)");
	BAD("--frobnicate prog", "unrecognized option '--frobnicate' (see `ptk trace --help`)");
	BAD("--s prog", "option '--s' is ambiguous (see `ptk trace --help`)");
	BAD("--json=yes prog", "option '--json' takes no argument");
}

TEST(long_forms_with_separate_values)
{
	OK("--output out --string-limit 9 --attach 5");
	CHECK_EQ_STR(o.outfile, "out");
	CHECK_EQ_INT(o.strsize, 9);
	CHECK_EQ_INT(o.pids[0], 5);
	OK("--signal=!SIGCHLD --status=failed prog");
	CHECK(!(o.signals[0] & (1ull << 17)));
	CHECK_EQ_INT(o.status, ST_FAILED);
	OK("--fault=getppid --inject=getpid:retval=3 prog");
	CHECK_EQ_INT(o.ninj, 2);
}
