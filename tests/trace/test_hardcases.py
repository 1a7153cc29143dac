#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every hard-case tracee (tests/tracees/) run untraced and under
`ptk trace -f -o /dev/null PROG ARGS...` prints the same stdout and ends
with the same status (a tracee killed by a signal: ptk trace either dies
of the same signal or exits 128 + signal).

Cases that need a hand from outside (input on stdin, a SIGKILL, a SIGCONT)
get it the same way in both runs.
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from harness import PTK, check, eq, fail, main, run, test, tracee  # noqa: E402


def traced(argv):
    return [PTK, 'trace', '-f', '-o', '/dev/null'] + argv


def same_status(untraced_rc, traced_rc, what):
    """Popen/run return codes: -N for a signal; ptk trace may re-raise it or exit 128+N."""
    if untraced_rc < 0 and traced_rc == 128 - untraced_rc:
        return
    eq(traced_rc, untraced_rc, what + ': exit status under ptk trace')


def compare(argv, stdin=None, want=None, want_rc=None, timeout=120):
    u = run(argv, input=stdin, timeout=timeout)
    if want is not None:
        eq(u.stdout.decode(errors='replace'), want, 'untraced output of %s' % argv[0])
    if want_rc is not None:
        eq(u.returncode, want_rc, 'untraced status of %s' % argv[0])
    t = run(traced(argv), input=stdin, timeout=timeout)
    eq(t.stdout.decode(errors='replace'), u.stdout.decode(errors='replace'),
       'output under ptk trace -f (stderr: %r)' % t.stderr[-500:])
    same_status(u.returncode, t.returncode, os.path.basename(argv[0]))


# (case name, tracee, args, stdin, expected untraced stdout or None, expected status)
SIMPLE = [
    ('hello', 'hello', ['3', 'a b'], None, 'hello\na b\n', 3),
    ('threads', 'threads', ['8'], None,
     ''.join('thread %d ok\n' % i for i in range(8)) + 'threads=8\n', 0),
    ('exec_thread', 'exec_thread', [], None,
     'before exec\nafter exec\ntid==pid: yes\nthreads: 1\n', 0),
    ('zombie_leader', 'zombie_leader', [], None, 'leader exits\nt1 done\nt2 done\n', 5),
    ('zombie_leader_hold', 'zombie_leader', ['hold'], b'x\ny\n',
     'leader exits\nready\ngot x\ngot y\n', 5),
    ('vfork', 'vfork', [], None,
     'hello\nfrom vfork\nexec child exited 7\nexit child exited 5\n', 0),
    ('forks', 'forks', ['1000'], None, 'forked=1000 reaped=1000 sum=3500\n', 0),
    ('group_stop', 'group_stop', [], None,
     'child stopped by 19\nchild continued\nchild exited 0\n'
     'child stopped by 20\nchild continued\nchild exited 0\n', 0),
    ('sigtrap', 'sigtrap', [], None,
     'trap 1 code=kernel\ntrap 2 code=tkill\ntrap 3 code=user\nhits=3\n', 0),
    ('answer_block', 'answer', ['block'], b'a\nfork\nb\n', 'ready\ngot a\nforked 3\ngot b\n', 0),
    ('answer_spin', 'answer', ['spin'], b'a\nfork\nb\n', 'ready\ngot a\nforked 3\ngot b\n', 0),
    ('exit_group_threads', 'exit_group_threads', ['5'], None,
     'threads blocked: 5\nexiting\n', 4),
    ('clone_untraced', 'clone_untraced', [], None, 'child TracerPid: 0\nchild exited 0\n', 0),
    ('clone_ptrace', 'clone_ptrace', [], None, 'child ran\nchild exited 0\n', 0),
    ('seccomp_own', 'seccomp_own', [], None,
     'getppid: -1 ENOSYS\ngetuid: -1 EPERM\ngetpid: ok\nuname: ok\n'
     'child getppid: -1 ENOSYS\nchild getuid: -1 EPERM\nchild exited 0\n', 0),
    ('restart_sleep', 'restart_sleep', [], None, 'sleeping\nslept 0\nchild exited 0\n', 0),
    ('restart_sleep_plain', 'restart_sleep', ['plain', '100'], None, 'sleeping\nslept 0\n', 0),
    ('mem_edge', 'mem_edge', [], None, None, 0),
    ('regs', 'regs', [], None, None, 0),
    ('sigtstp', 'sigtstp', [], None, 'tstp handled=2\n', 0),
    ('sigblock', 'sigblock', [], None, 'pending=1 handled=0\nhandled=1\n', 0),
    ('signals', 'signals', [], None, 'got USR1\ngot USR1\ndone\n', 0),
    ('getppid_threads', 'getppid_threads', ['1000', '20'], None,
     'threads=1000 calls=20000 bad=0\n', 0),
    ('int80', 'int80', [], None, None, 0),
    ('bp_target', 'bp_target', [], None, 'sum=15\nchild exited 21\n', 0),
    ('bp_target_threads', 'bp_target', ['threads', '4', '200'], None, 'calls=800\n', 0),
    ('exit_group_threads_hold', 'exit_group_threads', ['3', 'hold'], b'x\n',
     'threads blocked: 3\nexiting\n', 4),
]


def simple_case(label, name, args, stdin, want, want_rc):
    def fn():
        compare([tracee(name)] + args, stdin=stdin, want=want, want_rc=want_rc)
    fn.__name__ = 'hardcase_' + label
    test(fn)


for c in SIMPLE:
    simple_case(*c)


@test
def hardcase_sysmod():
    with tempfile.TemporaryDirectory() as d:
        compare([tracee('sysmod'), os.path.join(d, 'made')],
                want='write1=5\nwrite2=5\nmkdir=0 0 exists=1\n', want_rc=0)


@test
def hardcase_nested():
    """Without -f the nested tracer works as untraced; with -f ptk already
    traces the child, whose PTRACE_TRACEME fails with EPERM (inherent), and
    nothing hangs."""
    argv = [tracee('nested')]
    u = run(argv)
    eq(u.stdout, b'child stopped by 19\nsyscall stops=3\nchild exited 0\n', 'untraced')
    t = run([PTK, 'trace', '-o', '/dev/null'] + argv)
    eq(t.stdout, u.stdout, 'under ptk trace (no -f)')
    eq(t.returncode, u.returncode, 'status under ptk trace (no -f)')
    f = run(traced(argv))
    eq(f.stdout, b'child: PTRACE_TRACEME: EPERM\nchild exited 3 without stopping\n',
       'under ptk trace -f')
    eq(f.returncode, 0, 'status under ptk trace -f')


def read_pid(p, deadline):
    """The 'pid N' line the tracee writes to stderr (other stderr lines are ptk's)."""
    while time.monotonic() < deadline:
        line = p.stderr.readline()
        if not line:
            break
        if line.startswith(b'pid '):
            return int(line.split()[1])
    fail('no pid line on stderr')


def state(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            s = f.read()
    except OSError:
        return ''
    return s[s.rfind(')') + 2]


def wait_state(pid, states, deadline):
    while time.monotonic() < deadline:
        if state(pid) in states:
            return True
        time.sleep(0.005)
    return False


def run_killed(argv):
    """block_read: wait for 'blocking', SIGKILL the tracee, collect the rest."""
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        first = p.stdout.readline()
        pid = read_pid(p, deadline)
        check(wait_state(pid, 'S', deadline), 'tracee %d never blocked' % pid)
        os.kill(pid, signal.SIGKILL)
        rest, _ = p.communicate(timeout=30)
        return first + rest, p.returncode
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


@test
def hardcase_block_read_sigkill():
    argv = [tracee('block_read'), 'pid']
    uo, urc = run_killed(argv)
    eq(uo, b'blocking\n', 'untraced output')
    eq(urc, -signal.SIGKILL, 'untraced status')
    to, trc = run_killed(traced(argv))
    eq(to, uo, 'output under ptk trace -f')
    same_status(urc, trc, 'block_read')


def run_stopped(argv):
    """group_stop self: wait until it is stopped, check it stays so, SIGCONT it."""
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        first = p.stdout.readline()
        pid = read_pid(p, deadline)
        check(wait_state(pid, 'Tt', deadline), 'tracee %d never stopped' % pid)
        time.sleep(0.05)
        check(state(pid) in 'Tt' and p.poll() is None,
              'tracee %d did not stay stopped (state %r)' % (pid, state(pid)))
        os.kill(pid, signal.SIGCONT)
        rest, _ = p.communicate(timeout=30)
        return first + rest, p.returncode
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


@test
def hardcase_group_stop_self():
    argv = [tracee('group_stop'), 'self']
    uo, urc = run_stopped(argv)
    eq(uo, b'stopping\ncontinued\n', 'untraced output')
    eq(urc, 0, 'untraced status')
    to, trc = run_stopped(traced(argv))
    eq(to, uo, 'output under ptk trace -f')
    eq(trc, urc, 'status under ptk trace -f')


if __name__ == '__main__':
    sys.exit(main())
