#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Filtering costs no stops: when ptk trace spawns the program and the trace set leaves
syscalls out, its seccomp filter stops the tracee only on the traced syscalls, by
default.  The stops are counted from --stops and from -c's cost footer; children are
followed without -f so none gets ENOSYS from the filter; a tracee's own filter keeps its
results; -p falls back to syscall stops."""
import re
import signal
import subprocess
import time

from trace_util import lines, mask, mix, popen, ptrace, read_ready, stops_of, trace_lines
from harness import check, eq, main, run, test, tracee


def waits(b):
    return [x for x in lines(b) if x.startswith('| wait4(')]


@test
def filter_is_on_by_default_and_saves_stops():
    on = ptrace(['-c', '-e', 'trace=openat', mix(), 'calls', '2000'])
    off = ptrace(['--no-seccomp-bpf', '-c', '-e', 'trace=openat', mix(), 'calls', '2000'])
    eq(on.stdout, off.stdout)
    s_on, _, n_on = stops_of(on.stderr)
    s_off, _, n_off = stops_of(off.stderr)
    eq(n_on, n_off, 'the same openat calls are traced')
    check(lines(on.stderr)[-1].endswith('(seccomp filter on)'), lines(on.stderr)[-1])
    check(not lines(off.stderr)[-1].endswith('(seccomp filter on)'), lines(off.stderr)[-1])
    # 2000 getppid calls: 2 stops each without the filter, none with it.
    check(s_off >= 4000, 'syscall stops without the filter: %d' % s_off)
    check(s_on <= 2 * n_on + 10, 'stops with the filter: %d for %d openat' % (s_on, n_on))


@test
def stops_shows_only_traced_syscalls():
    r = ptrace(['--stops', '-e', 'trace=getppid', mix(), 'calls', '3'])
    eq(r.stdout, b'ppid\nppid\nppid\n')
    out = lines(r.stderr)
    seccomp = [x for x in out if x.startswith('| ') and x.endswith("(getppid), ptk's filter")]
    exits = [x for x in out if re.match(r'\| \d+: syscall-exit-stop', x)]
    eq(len(seccomp), 3, out)
    eq(len(exits), 3, out)
    check(not any('syscall-enter-stop' in x for x in out), 'no syscall-enter-stops at all')
    # Every wait result after the exec is a stop that led to a printed line, or the end;
    # the ones before are ptk_spawn's (the child's SIGSTOP first).
    w = [re.sub(r'^\| wait4\(-1, \[\{(.*)\}\], __WALL, NULL\) = \d+$', r'\1', x)
         for x in waits(r.stderr)]
    eq(w[0], 'WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP', 'the spawned child stops itself')
    sc = 'WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP && s >> 16 == PTRACE_EVENT_SECCOMP'
    ex = 'WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP|0x80'
    eq(w[w.index('WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP && s >> 16 == PTRACE_EVENT_EXEC'):],
       ['WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP && s >> 16 == PTRACE_EVENT_EXEC'] +
       [sc, ex] * 3 + ['WIFEXITED(s) && WEXITSTATUS(s) == 0'])
    # One request per seccomp stop and per exit stop besides the resume.
    eq(len([x for x in out if x.startswith('| ptrace(PTRACE_GETEVENTMSG')]), 1, 'the exec only')
    eq([x for x in out if not x.startswith('|')],
       ['getppid()                               = %d' % r.pid] * 3 + ['+++ exited with 0 +++'])


@test
def full_trace_uses_no_filter():
    r = ptrace(['--stops', mix(), 'calls', '1'])
    check(any('syscall-enter-stop' in x for x in lines(r.stderr)), 'trace=all: syscall stops')
    check(not any('PTRACE_EVENT_SECCOMP' in x for x in lines(r.stderr)), 'and no filter')


@test
def children_without_f_get_no_enosys():
    r = ptrace(['-e', 'trace=getppid', mix(), 'fork', '3'])
    eq(r.stdout, b'child 0 exited 0\nchild 1 exited 1\nchild 2 exited 2\n')
    out = trace_lines(r.stderr)
    eq([x for x in out if not x.startswith('--- SIGCHLD {')], ['+++ exited with 0 +++'],
       'only the program itself is printed')
    eq(len(out), 4, 'its three SIGCHLDs: %r' % out)
    sh = ['sh', '-c', 'cat /etc/hostname; ls /etc/hostname; exit 4']
    u = run(sh)
    for trace in ('openat', 'write', 'execve', 'getppid'):
        t = ptrace(['-qq', '-e', 'trace=' + trace] + sh)
        eq(t.stdout, u.stdout, 'trace=%s' % trace)
        eq(t.returncode, 4)
    # The children's lines with -f, with the filter on.
    f = ptrace(['-f', '-qq', '-e', 'trace=execve'] + sh)
    eq(len([x for x in lines(f.stderr) if 'execve(' in x]), 3, lines(f.stderr))


@test
def threads_and_vfork_under_the_filter():
    for name, args, want in (('threads', ['8'], ''.join('thread %d ok\n' % i for i in range(8)) +
                              'threads=8\n'),
                             ('vfork', [], 'hello\nfrom vfork\nexec child exited 7\n'
                              'exit child exited 5\n'),
                             ('exec_thread', [], 'before exec\nafter exec\ntid==pid: yes\n'
                              'threads: 1\n')):
        for trace in ('getppid', 'write'):
            r = ptrace(['-qq', '-o', '/dev/null', '-e', 'trace=' + trace, tracee(name)] + args)
            eq(r.stdout.decode(), want, '%s under trace=%s' % (name, trace))
            eq(r.returncode, 0)


@test
def tracees_own_filter_keeps_its_results():
    want = ('getppid: -1 ENOSYS\ngetuid: -1 EPERM\ngetpid: ok\nuname: ok\n'
            'child getppid: -1 ENOSYS\nchild getuid: -1 EPERM\nchild exited 0\n')
    eq(run([tracee('seccomp_own')]).stdout.decode(), want, 'untraced')
    r = ptrace(['-e', 'trace=getppid,getuid', tracee('seccomp_own')])
    eq(r.stdout.decode(), want)
    out = [x for x in trace_lines(r.stderr) if not x.startswith(('---', '+++'))]
    # Its RET_TRACE (no interest from ptk: ENOSYS) and its RET_ERRNO (which beats
    # ptk's RET_TRACE: ptk switched the tracee to syscall stops when it installed it).
    eq(out, ['getppid()                               = -1 ENOSYS (Function not implemented)',
             'getuid()                                = -1 EPERM (Operation not permitted)'])
    for trace in ('write', 'getppid', 'all'):
        r = ptrace(['-f', '-qq', '-o', '/dev/null', '-e', 'trace=' + trace,
                    tracee('seccomp_own')])
        eq(r.stdout.decode(), want, 'trace=%s' % trace)


@test
def clone_untraced_child_is_followed():
    r = ptrace(['-qq', '-e', 'trace=write', tracee('clone_untraced')])
    out = r.stdout.decode().splitlines()
    eq(out[-1], 'child exited 0', 'the CLONE_UNTRACED child got no ENOSYS: %r' % out)


@test
def nested_tracer_gets_a_hint():
    r = ptrace(['-qq', '-o', '/dev/null', '-e', 'trace=write', tracee('nested')])
    check(any(x.startswith('ptk trace: process ') and '--no-seccomp-bpf' in x
              for x in lines(r.stderr)), lines(r.stderr))
    r = ptrace(['-qq', '-o', '/dev/null', '--no-seccomp-bpf', '-e', 'trace=write',
                tracee('nested')])
    eq(r.stdout, b'child stopped by 19\nsyscall stops=3\nchild exited 0\n')


@test
def attach_falls_back_to_syscall_stops():
    p = subprocess.Popen([mix(), 'ready', '60'], stdout=subprocess.PIPE)
    try:
        pid = read_ready(p)
        t = popen(['--stops', '-e', 'trace=openat', '-p', str(pid)])
        time.sleep(0.4)
        t.send_signal(signal.SIGINT)
        _, err = t.communicate(timeout=20)
        check(not any('PTRACE_EVENT_SECCOMP' in x for x in lines(err)), 'no filter with -p')
        check(lines(err)[-1].startswith('| ') and not lines(err)[-1].endswith('filter on)'),
              lines(err)[-1])
    finally:
        p.kill()
        p.wait()


@test
def same_output_with_and_without_filter():
    for trace in ('openat,close', '%file', '!mmap,mprotect', 'getppid,exit_group'):
        args = ['-f', '-e', 'trace=' + trace, mix(), 'open', '/etc/passwd', '/nonexistent']
        a = ptrace(args)
        b = ptrace(['--no-seccomp-bpf'] + args)
        eq([mask(x) for x in lines(a.stderr)], [mask(x) for x in lines(b.stderr)], trace)


if __name__ == '__main__':
    raise SystemExit(main())
