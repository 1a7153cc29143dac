#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Golden lines of the signal family and of the lines -f prints around
signals and threads: the signal syscalls with fixed arguments
(tests/tracees/timecalls signals), the siginfo of each kind of signal the
kernel and programs send (tests/tracees/sigcases), killed-by and core-dump
lines, and the interleaving of threads under -f (<unfinished ...> /
<... name resumed>, exit_group while threads are blocked, execve from a
thread).  Where strace is installed, strace 6.1 must print the same lines
(golden_ff.py).  Expected texts were observed with strace 6.1 on this
machine."""
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, eq, fail, main, test, tracee  # noqa: E402
import golden_ff as g  # noqa: E402

SIG = r'(rt_sig\w+|sigaltstack|signalfd4?|kill|tkill|tgkill|alarm|pause|--- |\+\+\+ )'


@test
def signal_calls():
    argv = [tracee('timecalls'), 'signals']
    g.expect(g.trace(argv)[0], [
        'rt_sigaction(SIGUSR1, {sa_handler=<X>, sa_mask=[INT RT_2], sa_flags=SA_RESTORER|SA_RESTART, '
        'sa_restorer=<X>}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0',
        # glibc sign-extends SA_RESETHAND into the kernel's unsigned long.
        'rt_sigaction(SIGUSR2, {sa_handler=<X>, sa_mask=[INT RT_2], sa_flags=SA_RESTORER|SA_ONSTACK|'
        'SA_NODEFER|SA_RESETHAND|SA_SIGINFO|0xffffffff00000000, sa_restorer=<X>}, NULL, 8) = 0',
        'rt_sigaction(SIGPIPE, {sa_handler=SIG_IGN, sa_mask=~[RTMIN RT_1], sa_flags=SA_RESTORER, '
        'sa_restorer=<X>}, NULL, 8) = 0',
        'rt_sigaction(SIGTERM, NULL, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0',
        # No restorer shown without SA_RESTORER; 0x400 and 0x800 unnamed.
        'rt_sigaction(SIGHUP, {sa_handler=<X>, sa_mask=[], sa_flags=SA_NOCLDSTOP|SA_NOCLDWAIT}, '
        'NULL, 8) = 0',
        'rt_sigaction(SIGHUP, {sa_handler=<X>, sa_mask=[], sa_flags=SA_RESTORER|0xc00, '
        'sa_restorer=0x1}, NULL, 8) = 0',
        'rt_sigaction(SIGHUP, 0x8, NULL, 8) = -1 EFAULT (Bad address)',
        'rt_sigprocmask(SIG_BLOCK, [ALRM CHLD], [], 8) = 0',
        'rt_sigprocmask(SIG_SETMASK, ~[RTMIN RT_1 RT_2], NULL, 8) = 0',
        'rt_sigprocmask(SIG_SETMASK, [], ~[KILL STOP RTMIN RT_1 RT_2], 8) = 0',
        'rt_sigprocmask(0x5 /* SIG_??? */, [], NULL, 8) = -1 EINVAL (Invalid argument)',
        'rt_sigprocmask(SIG_BLOCK, <X>, NULL, 16) = -1 EINVAL (Invalid argument)',
        'sigaltstack({ss_sp=0x10000, ss_flags=0, ss_size=65536}, {ss_sp=NULL, ss_flags=SS_DISABLE, '
        'ss_size=0}) = 0',
        'sigaltstack(NULL, {ss_sp=0x10000, ss_flags=0, ss_size=65536}) = 0',
        'sigaltstack({ss_sp=0x10000, ss_flags=SS_DISABLE, ss_size=65536}, NULL) = 0',
        'rt_sigpending([], 8) = 0',
        'kill(PID1, SIGUSR2) = 0',
        'rt_sigtimedwait([USR2], {si_signo=SIGUSR2, si_code=SI_USER, si_pid=PID1, si_uid=<N>}, '
        '{tv_sec=1, tv_nsec=0}, 8) = 12 (SIGUSR2)',
        'rt_sigtimedwait([USR2], <X>, {tv_sec=0, tv_nsec=0}, 8) = -1 EAGAIN (Resource temporarily '
        'unavailable)',
        'rt_sigtimedwait([USR2], NULL, {tv_sec=0, tv_nsec=0}, 8) = -1 EAGAIN (Resource temporarily '
        'unavailable)',
        'rt_sigqueueinfo(PID1, SIGUSR2, {si_signo=SIGUSR2, si_code=SI_QUEUE, si_pid=PID1, '
        'si_uid=<N>, si_int=42, si_ptr=0x2a}) = 0',
        'rt_sigtimedwait([USR2], {si_signo=SIGUSR2, si_code=SI_QUEUE, si_pid=PID1, si_uid=<N>, '
        'si_int=42, si_ptr=0x2a}, NULL, 8) = 12 (SIGUSR2)',
        'signalfd4(-1, [USR2], 8, SFD_CLOEXEC|SFD_NONBLOCK) = 3',
        'rt_sigsuspend(0x8, 8) = -1 EFAULT (Bad address)',
        'kill(PID1, 0) = 0',
        'kill(999999, 77) = -1 ESRCH (No such process)',
        'alarm(5) = 0',
        'alarm(0) = 5',
    ], 'timecalls signals')
    g.compare_strace(argv, SIG)


# Each case's child (process 2 onwards, in order): its lines.
SIGCASES = [
    ('segv', ['--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10} ---',
              '+++ killed by SIGSEGV +++']),
    ('segv_acc', ['--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_ACCERR, si_addr=<X>} ---',
                  '+++ killed by SIGSEGV +++']),
    ('int3', ['--- SIGTRAP {si_signo=SIGTRAP, si_code=SI_KERNEL, si_addr=NULL} ---',
              'rt_sigreturn({mask=[]}) = <N>', '+++ exited with 0 +++']),
    ('fpe', ['--- SIGFPE {si_signo=SIGFPE, si_code=FPE_INTDIV, si_addr=<X>} ---',
             '+++ killed by SIGFPE +++']),
    ('ill', ['--- SIGILL {si_signo=SIGILL, si_code=ILL_ILLOPN, si_addr=<X>} ---',
             '+++ killed by SIGILL +++']),
    ('bus', ['--- SIGBUS {si_signo=SIGBUS, si_code=BUS_ADRERR, si_addr=<X>} ---',
             '+++ killed by SIGBUS +++']),
    ('abort', ['--- SIGABRT {si_signo=SIGABRT, si_code=SI_TKILL, si_pid=PID<N>, si_uid=<N>} ---',
               '+++ killed by SIGABRT +++']),
    ('sys', ['--- SIGSYS {si_signo=SIGSYS, si_code=SYS_SECCOMP, si_errno=E2BIG, si_call_addr=<X>, '
             'si_syscall=__NR_getppid, si_arch=AUDIT_ARCH_X86_64} ---',
             'rt_sigreturn({mask=[]}) = <N>']),
    ('poll', ['--- SIGIO {si_signo=SIGIO, si_code=POLL_IN, si_band=65, si_fd=3} ---']),
    ('queue', ['rt_sigqueueinfo(PID<N>, SIGUSR1, {si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=PID<N>, '
               'si_uid=<N>, si_int=42, si_ptr=0x2a}) = 0',
               '--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=PID<N>, si_uid=<N>, '
               'si_int=42, si_ptr=0x2a} ---']),
    ('queue_ptr', ['--- SIGUSR2 {si_signo=SIGUSR2, si_code=SI_QUEUE, si_pid=PID<N>, si_uid=<N>, '
                   'si_int=4660, si_ptr=0x1234} ---']),
    ('timer', ['--- SIGRT_2 {si_signo=SIGRT_2, si_code=SI_TIMER, si_timerid=0, si_overrun=<N>, '
               'si_int=7, si_ptr=0x7} ---']),
    ('alarm', ['alarm(1) = 0', 'pause() = ? ERESTARTNOHAND (To be restarted if no handler)',
               '--- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---',
               '+++ killed by SIGALRM +++']),
    ('user', ['--- SIGHUP {si_signo=SIGHUP, si_code=SI_USER, si_pid=PID<N>, si_uid=<N>} ---']),
    ('tkill', ['--- SIGWINCH {si_signo=SIGWINCH, si_code=SI_TKILL, si_pid=PID<N>, si_uid=<N>} ---']),
    ('chld', ['--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=PID<N>, si_uid=<N>, '
              'si_status=3, si_utime=<N><*>, si_stime=<N><*>} ---',
              '--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=PID<N>, si_uid=<N>, '
              'si_status=SIGTERM, si_utime=<N><*>, si_stime=<N><*>} ---',
              'wait4(PID<N>, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}], WSTOPPED, NULL) = PID<N>',
              'wait4(PID<N>, [{WIFCONTINUED(s)}], WCONTINUED, NULL) = PID<N>',
              'wait4(PID<N>, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = PID<N>']),
]


@test
def signal_siginfo():
    """The siginfo of each kind of signal, the killed-by lines, and the
    parent's view: SIGCHLD with CLD_KILLED and wait4's WTERMSIG."""
    argv = [tracee('sigcases')]
    procs = g.trace(argv)
    k = 1
    for name, want in SIGCASES:
        check(k < len(procs), 'sigcases: no process for case %s' % name)
        g.expect(procs[k], ['write(1, "%s\\n", <N>) = <N>' % name] + want, 'sigcases ' + name)
        k += 1
        if name == 'chld':
            k += 3  # its children
    # SIGCHLD comes before or after wait4 returns: each is checked alone,
    # and left out of the comparison with strace.
    g.expect(procs[0], ['--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=PID2, '
                        'si_uid=<N>, si_status=SIGSEGV, si_utime=<N><*>, si_stime=<N><*>} ---'],
             'sigcases parent')
    g.expect(procs[0], ['wait4(PID2, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV}], 0, NULL) = PID2'],
             'sigcases parent')
    g.compare_strace(argv, SIG + r'|wait4\(', skip_lines=[r'^--- SIGCHLD', r'^wait4\(.* = \? ERESTART'])


@test
def signal_core_dumped():
    """A tracee killed with a core dump: "+++ killed by SIGSEGV (core
    dumped) +++", CLD_DUMPED and WCOREDUMP(s) for its parent.  Whether the
    kernel dumps is this machine's setting (core_pattern): the three lines
    must agree with each other, and with strace."""
    with tempfile.TemporaryDirectory() as d:
        argv = [tracee('sigcases'), 'core']
        procs = g.trace(argv, cwd=d)
        eq(len(procs), 2, 'processes')
        child = '\n'.join(procs[1])
        parent = '\n'.join(procs[0])
        check('--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x20} ---' in child,
              'the SIGSEGV line:\n' + child[-400:])
        dumped = '+++ killed by SIGSEGV (core dumped) +++' in child
        check(dumped or '+++ killed by SIGSEGV +++' in child, 'the killed-by line')
        eq('WCOREDUMP(s)' in parent, dumped, 'wait4 says WCOREDUMP as the killed-by line says')
        eq('CLD_DUMPED' in parent, dumped, 'SIGCHLD says CLD_DUMPED as the killed-by line says')
        for f in os.listdir(d):
            os.unlink(os.path.join(d, f))
        g.compare_strace(argv, SIG + r'|wait4\(', cwd=d, skip_lines=[r'^--- SIGCHLD'])


def same_threads(argv, select):
    """Under -f, ptk's lines of each thread, unfinished and resumed parts
    joined, are strace's (those matching select, volatile values masked)."""
    raw, merged = g.trace_f(argv)
    if not g.STRACE:
        return raw, merged
    _, theirs = g.trace_f(argv, 'strace')
    sel = re.compile(select)

    def pick(m):
        # getppid's value is the tracer's pid.
        return {t: [re.sub(r'^getppid\(\) = \d+', 'getppid() = P', g.volatile(l))
                    for l in ls if sel.match(l)] for t, ls in m.items()}
    a, b = pick(theirs), pick(merged)
    eq(sorted(b), sorted(a), 'threads')
    for t in sorted(a):
        for i in range(max(len(a[t]), len(b[t]))):
            x = a[t][i] if i < len(a[t]) else None
            y = b[t][i] if i < len(b[t]) else None
            if x != y:
                fail('%s, line %d differs from strace 6.1:\n  strace: %s\n  ptk:    %s'
                     % (t, i + 1, x, y))
    return raw, merged


@test
def signal_threads_interleaved():
    """Threads under -f: a thread's call that another thread's line
    interrupts prints "name(args <unfinished ...>" and later "<... name
    resumed>rest" (trace_f checks that each resumed line continues the
    call its thread left); every thread ends with its own "+++ exited with
    0 +++"; main's clone3 returns each thread's id."""
    raw, merged = same_threads([tracee('threads'), '4'],
                               r'(clone3|getppid|gettid|exit|\+\+\+)')
    eq(len(merged), 5, 'threads traced (main and 4)')
    for t in ['PID%d' % k for k in range(2, 6)]:
        eq(merged[t][-1], '+++ exited with 0 +++', t + "'s last line")
        eq(sum(1 for l in merged[t] if l.startswith('getppid() = ')), 3, t + "'s getppid calls")
        check(any(l.startswith('exit(0) = ?') for l in merged[t]), t + ' exits with exit(0)')
        check(any(re.match(r'clone3\(\{.*\} => \{parent_tid=\[%s\]\}, 88\) = %s$' % (t, t), l)
                  for l in merged['PID1']), "main's clone3 returning " + t)


@test
def signal_exit_group_blocked_threads():
    """exit_group while the other threads are blocked in read (PITFALLS
    #17): each blocked thread's read ends with "= ?" (its line
    "read(...,  <unfinished ...>) = ?" or, interrupted by another line,
    "<... read resumed> <unfinished ...>) = ?") and each thread, the
    leader last, prints "+++ exited with 4 +++"."""
    raw, merged = same_threads([tracee('exit_group_threads'), '3'],
                               r'(read\(3|exit_group|\+\+\+)')
    eq(len(merged), 4, 'threads traced (main and 3)')
    for t in ['PID%d' % k for k in range(2, 5)]:
        eq(merged[t][-2:], ['read(3,  <unfinished ...>) = ?', '+++ exited with 4 +++'],
           t + "'s last lines")
    eq(merged['PID1'][-2:], ['exit_group(4) = ?', '+++ exited with 4 +++'], "the leader's end")
    eq(raw[-1].split(None, 1)[1], '+++ exited with 4 +++', 'the last line (the leader)')


def blocked_end(lines, what):
    """The end of exec_thread's thread B: killed by the execve in its read
    ("read(5,  <unfinished ...>) = ?"; it may also be killed just before it
    reaches the read, a race), then "+++ exited with 0 +++"."""
    eq(lines[-1], '+++ exited with 0 +++', what + ': last line')
    if lines[-2].startswith('read(5,'):
        eq(lines[-2], 'read(5,  <unfinished ...>) = ?', what + ': its read')


@test
def signal_exec_from_thread_f():
    """execve from a non-leader thread (PID3; PID2 blocks in read) under -f:
    the execing thread's line is left "<unfinished ...>", the blocked
    sibling's read ends "= ?" and it exits, the leader prints "+++
    superseded by execve in pid PID3 +++", and the execve completes under
    the leader's pid: "<... execve resumed>) = 0".  (Whether the leader is
    already waiting in futex when the execve kills it is a race.)"""
    raw, merged = same_threads([tracee('exec_thread')], r'(execve\(|read\(5|\+\+\+)')
    mask = g._pid_masker(sorted({int(l.split()[0]) for l in raw}))
    lines = [re.sub(r'^(PID\d+) +', r'\1 ', g._squeeze(mask(l))) for l in raw]
    g.expect(lines, [
        'PID3 execve("/proc/self/exe", ["exec_thread", "after"], <X> /* <N> vars */ <unfinished ...>',
        'PID1 +++ superseded by execve in pid PID3 +++',
        'PID1 <... execve resumed>) = 0',
    ], 'exec_thread -f')
    g.expect(merged['PID1'], [
        '+++ superseded by execve in pid PID3 +++',
        'execve("/proc/self/exe", ["exec_thread", "after"], <X> /* <N> vars */) = 0',
        'exit_group(0) = ?',
        '+++ exited with 0 +++',
    ], 'exec_thread -f, the leader')
    blocked_end(merged['PID2'], 'exec_thread -f, the blocked thread')


@test
def signal_exec_from_thread_ff():
    """execve from a non-leader thread under -ff: strace 6.1 ends the execing
    thread's file with "execve(...) <pid changed to P ...>" and goes on in
    the leader's file with "<... execve resumed>) = 0", where the new
    program's lines follow."""
    procs = g.trace([tracee('exec_thread')])
    eq(len(procs), 3, 'files (the leader, the blocked thread, the execing thread)')
    g.expect(procs[2], ['execve("/proc/self/exe", ["exec_thread", "after"], <X> /* <N> vars */ '
                        '<pid changed to PID1 ...>'], 'the execing thread')
    eq(procs[2][-1].endswith('<pid changed to PID1 ...>'), True, "the execing thread's last line")
    g.expect(procs[0], ['+++ superseded by execve in pid PID3 +++', '<... execve resumed>) = 0',
                        'write(1, "after exec\\n", 11) = 11', '+++ exited with 0 +++'],
             'the leader')
    blocked_end(procs[1], 'exec_thread -ff, the blocked thread')


if __name__ == '__main__':
    sys.exit(main())
