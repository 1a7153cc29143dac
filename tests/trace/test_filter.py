#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""What ptk trace prints and what it changes: trace, signal and status sets, -P, -z/-Z,
and tampering with -e inject= / -e fault= (when= ranges, error, retval, signal, syscall,
delays): the printed lines, compared with strace 6.1 where it is right, and the effects
the tracee itself observes."""
import os
import re

from trace_util import lines, mask, mix, ptrace, strace, trace_lines
from harness import check, eq, main, test, tracee


def names(b):
    """The syscall names of the printed lines."""
    out = []
    for ln in trace_lines(b):
        m = re.match(r'(?:\[pid +\d+\] )?([a-z_0-9]+)\(', ln)
        if m:
            out.append(m.group(1))
    return out


def same_as_strace(args, n=None):
    p, s = ptrace(args), strace(args)
    a = [mask(x) for x in trace_lines(p.stderr)]
    b = [mask(x) for x in trace_lines(s.stderr)]
    if n:
        a, b = a[-n:], b[-n:]
    eq(a, b, 'ptk trace %s vs strace' % ' '.join(args))
    eq(p.stdout, s.stdout, 'the program\'s output')
    eq(p.returncode, s.returncode)
    return p


@test
def trace_set_by_name_class_regex_negation():
    prog = [mix(), 'open', '/etc/passwd', '/nonexistent']
    eq(names(ptrace(['-e', 'trace=openat,close'] + prog).stderr)[-3:], ['openat', 'close', 'openat'])
    r = ptrace(['-e', 'trace=%file'] + prog)
    check(set(names(r.stderr)) >= {'execve', 'openat'} and 'close' not in names(r.stderr),
          names(r.stderr))
    r = ptrace(['-e', 'trace=/^(open|close)'] + prog)
    check(set(names(r.stderr)) == {'openat', 'close'}, names(r.stderr))
    r = ptrace(['-e', 'trace=!openat,close,read,mmap'] + prog)
    check(not {'openat', 'close', 'read', 'mmap'} & set(names(r.stderr)), names(r.stderr))
    check('write' in names(r.stderr), names(r.stderr))
    r = ptrace(['-e', 'trace=?no_such_call,openat'] + prog)
    check(set(names(r.stderr)) == {'openat'}, names(r.stderr))
    eq(names(ptrace(['-e', 'trace=none'] + prog).stderr), [])
    # The same lines as strace for sets that leave most syscalls out.
    same_as_strace(['-e', 'trace=openat,close'] + prog, n=4)
    same_as_strace(['-e', 'trace=%desc', mix(), 'open', '/nonexistent'], n=3)


@test
def signal_set():
    args = ['-e', 'trace=none', '-e', 'inject=getppid:signal=SIGUSR1:when=2+2', mix(), 'usr1', '5']
    r = ptrace(args)
    eq(r.stdout, b'usr1 2\n')
    sigs = [x for x in lines(r.stderr) if x.startswith('--- SIGUSR1 ')]
    eq(len(sigs), 2, lines(r.stderr))
    r = ptrace(['-e', 'signal=!SIGUSR1'] + args)
    eq(r.stdout, b'usr1 2\n', 'an unprinted signal is still delivered')
    eq([x for x in lines(r.stderr) if x.startswith('---')], [])
    r = ptrace(['-e', 'signal=none', '-e', 'trace=none', mix(), 'sig', '15'])
    eq(lines(r.stderr), ['+++ killed by SIGTERM +++'])


@test
def status_sets():
    prog = [mix(), 'open', '/etc/passwd', '/nonexistent']
    ok = ['openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3']
    bad = ['openat(AT_FDCWD, "/nonexistent", O_RDONLY) = -1 ENOENT (No such file or directory)']
    for args, want in ((['-z'], ok), (['-Z'], bad), (['-e', 'status=successful'], ok),
                       (['-e', 'status=!successful'], bad), (['-e', 'status=failed'], bad)):
        r = ptrace(args + ['-e', 'trace=openat', '-e', 'signal=none'] + prog)
        got = [re.sub(' +', ' ', x) for x in trace_lines(r.stderr) if x.startswith('openat(')]
        eq(got[-1:], want, 'with %r' % args)
        check(all(x in (ok + bad) or 'ld.so' in x or 'lib' in x or 'locale' in x for x in got),
              got)
        eq(r.stdout, b'3\n-1 ENOENT\n')
    # exit_group never returns: "unfinished".
    r = ptrace(['-e', 'status=unfinished', mix(), 'calls', '1'])
    eq(trace_lines(r.stderr), ['exit_group(0)                           = ?', '+++ exited with 0 +++'])
    r = ptrace(['-e', 'status=failed', mix(), 'calls', '1'])
    check('exit_group' not in names(r.stderr), names(r.stderr))
    same_as_strace(['-Z', '-e', 'trace=openat,close', mix(), 'open', '/etc/passwd', '/nonexistent'],
                   n=2)


@test
def trace_path():
    prog = [mix(), 'open', '/etc/passwd', '/nonexistent', '/etc/hostname']
    r = ptrace(['-P', '/etc/passwd'] + prog)
    eq(names(r.stderr), ['openat', 'close'])
    check(trace_lines(r.stderr)[0].startswith('openat(AT_FDCWD, "/etc/passwd", O_RDONLY)'),
          lines(r.stderr))
    r = ptrace(['-P', '/nonexistent', '-P', '/etc/hostname'] + prog)
    eq(names(r.stderr), ['openat', 'openat', 'close'])
    same_as_strace(['-P', '/etc/passwd'] + prog)
    # A syscall on an fd that resolves to the path counts too (close(3)).
    r = ptrace(['-P', '/etc/passwd', '-e', 'trace=close'] + prog)
    eq(trace_lines(r.stderr)[0], 'close(3)                                = 0')


@test
def inject_error_with_when_ranges():
    cases = [('when=2..3', ['ppid', '-1 ENOENT', '-1 ENOENT', 'ppid', 'ppid']),
             ('when=2+2', ['ppid', '-1 ENOENT', 'ppid', '-1 ENOENT', 'ppid']),
             ('when=4', ['ppid', 'ppid', 'ppid', '-1 ENOENT', 'ppid']),
             ('when=3+', ['ppid', 'ppid', '-1 ENOENT', '-1 ENOENT', '-1 ENOENT']),
             ('when=1..5+3', ['-1 ENOENT', 'ppid', 'ppid', '-1 ENOENT', 'ppid'])]
    for when, want in cases:
        args = ['-e', 'trace=getppid', '-e', 'inject=getppid:error=ENOENT:' + when,
                mix(), 'calls', '5']
        r = ptrace(args)
        eq(r.stdout.decode().split('\n')[:-1], want, when)
        printed = [x.split('= ', 1)[1] for x in trace_lines(r.stderr) if x.startswith('getppid()')]
        eq(printed, ['%d' % r.pid if w == 'ppid' else
                     '-1 ENOENT (No such file or directory) (INJECTED)' for w in want], when)
        same_as_strace(args)


@test
def inject_retval_and_fault():
    r = ptrace(['-e', 'trace=getppid', '-e', 'inject=getppid:retval=42:when=2', mix(), 'calls', '3'])
    eq(r.stdout, b'ppid\n42\nppid\n')
    eq(trace_lines(r.stderr)[1], 'getppid()                               = 42 (INJECTED)')
    r = ptrace(['-e', 'trace=getppid', '-e', 'fault=getppid:when=1', mix(), 'calls', '2'])
    eq(trace_lines(r.stderr)[0],
       'getppid()                               = -1 ENOSYS (Function not implemented) (INJECTED)')
    eq(r.stdout, b'-1 ENOSYS\nppid\n')
    same_as_strace(['-e', 'trace=getppid', '-e', 'fault=getppid:error=EPERM:when=2', mix(),
                    'calls', '3'])
    # open() fails as the tracee sees it.
    r = ptrace(['-e', 'trace=openat', '-e', 'fault=openat:error=EACCES:when=3+', mix(), 'open',
                '/etc/passwd'])
    check(r.stdout.startswith(b'-1 '), r.stdout)
    eq([x for x in trace_lines(r.stderr) if x.startswith('openat(')][-1],
       'openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = -1 EACCES (Permission denied) (INJECTED)')


@test
def inject_applies_to_untraced_syscalls_too():
    """ptk tampers with the syscalls of the inject set whether they are printed or not
    (strace 6.1 tampers only with traced ones, so `-e trace=none -e inject=...` does
    nothing there)."""
    r = ptrace(['-e', 'trace=none', '-e', 'inject=getppid:retval=7', mix(), 'calls', '2'])
    eq(r.stdout, b'7\n7\n')
    eq(trace_lines(r.stderr), ['+++ exited with 0 +++'])


@test
def inject_counts_per_tracee():
    r = ptrace(['-f', '-qq', '-e', 'trace=getppid', '-e', 'inject=getppid:error=EPERM:when=1',
                mix(), 'fork', '2'])
    eq(r.stdout, b'child 0 exited 0\nchild 1 exited 1\n')
    inj = [x for x in lines(r.stderr) if x.endswith('(INJECTED)')]
    eq(len(inj), 2, 'each child\'s first getppid: %r' % lines(r.stderr))


@test
def inject_signal():
    r = ptrace(['-e', 'trace=getppid', '-e', 'inject=getppid:signal=SIGUSR1:when=2..3', mix(),
                'usr1', '4'])
    eq(r.stdout, b'usr1 2\n')
    out = trace_lines(r.stderr)
    eq([x.split('(')[0] if not x.startswith('---') else x.split(' {')[0] for x in out[:6]],
       ['getppid', 'getppid', '--- SIGUSR1', 'getppid', '--- SIGUSR1', 'getppid'])
    # With an error: both.
    r = ptrace(['-e', 'trace=getppid', '-e', 'inject=getppid:error=EPERM:signal=USR1:when=1',
                mix(), 'usr1', '1'])
    eq(r.stdout, b'usr1 1\n')
    eq(trace_lines(r.stderr)[0],
       'getppid()                               = -1 EPERM (Operation not permitted) (INJECTED)')


@test
def inject_syscall_instead():
    r = ptrace(['-e', 'trace=getppid', '-e', 'inject=getppid:syscall=getpid:retval=5:when=1',
                mix(), 'calls', '2'])
    eq(r.stdout, b'5\nppid\n')
    eq(trace_lines(r.stderr)[0], 'getppid()                               = 5 (INJECTED)')


@test
def inject_delays():
    r = ptrace(['-e', 'trace=getppid', '-T', '-e',
                'inject=getppid:delay_enter=200ms:delay_exit=100ms:when=2', mix(), 'calls', '3'])
    eq(r.stdout, b'ppid\nppid\nppid\n')
    out = trace_lines(r.stderr)
    check(re.match(r'getppid\(\) += \d+ \(DELAYED\) <\d\.\d{6}>$', out[1]), out[1])
    check(not out[0].endswith('(DELAYED)') and '(DELAYED)' not in out[2], out)
    r = ptrace(['-e', 'trace=getppid', '-e', 'inject=getppid:retval=3:delay_exit=1ms:when=1',
                mix(), 'calls', '1'])
    eq(trace_lines(r.stderr)[0], 'getppid()                               = 3 (INJECTED) (DELAYED)')


@test
def inject_with_trace_path():
    """The strace manual's example: -P narrows what is tampered with."""
    r = ptrace(['-P', '/etc/hostname', '-e', 'inject=openat:error=ENOENT', mix(), 'open',
                '/etc/passwd', '/etc/hostname'])
    eq(r.stdout, b'3\n-1 ENOENT\n')
    eq(trace_lines(r.stderr), ['openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = -1 ENOENT (No such '
                               'file or directory) (INJECTED)', '+++ exited with 0 +++'])


if __name__ == '__main__':
    raise SystemExit(main())
