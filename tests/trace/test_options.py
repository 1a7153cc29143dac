#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""ptk trace's options end to end: each option's exact lines or exact effect, checked
against strace 6.1 where the two must agree, and every kind of bad input: one line on
stderr and exit status 1."""
import os
import re
import signal
import subprocess
import tempfile
import time

from trace_util import (PTK, lines, mask, mix, popen, proc_state, ptrace, read_ready,
                        read_stderr_until, read_until_open_line, strace, trace_lines,
                        tracer_of, wait_gone, wait_session_quiet)
from harness import check, eq, main, run, skip, test, text, tracee


def pad(s, ret):
    """A syscall line as strace lays it out: the return value at column 40."""
    return '%-39s = %s' % (s, ret) if len(s) < 40 else '%s = %s' % (s, ret)


@test
def trace_set_exact_lines():
    r = ptrace(['-e', 'trace=getppid', mix(), 'calls', '2'])
    eq(r.returncode, 0)
    eq(r.stdout, b'ppid\nppid\n')
    eq(lines(r.stderr), [pad('getppid()', '%d' % r.pid)] * 2 + ['+++ exited with 0 +++'])


@test
def same_lines_as_strace():
    args = ['-e', 'trace=getppid,openat,close', mix(), 'open', '/etc/passwd', '/nonexistent']
    p = ptrace(args)
    s = strace(args)
    eq([mask(x) for x in trace_lines(p.stderr)][-6:], [mask(x) for x in trace_lines(s.stderr)][-6:])
    eq(p.returncode, s.returncode)


@test
def output_file():
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, 'out')
        r = ptrace(['-o', f, '-e', 'trace=getppid', mix(), 'calls', '1'])
        eq(r.stderr, b'')
        with open(f) as fh:
            eq(fh.read().splitlines(), [pad('getppid()', str(r.pid)), '+++ exited with 0 +++'])
        # -A appends.
        ptrace(['-A', '-o', f, '-e', 'trace=none', mix(), 'calls', '1'])
        with open(f) as fh:
            eq(fh.read().splitlines()[-1], '+++ exited with 0 +++')
            fh.seek(0)
            eq(len(fh.read().splitlines()), 3)


@test
def output_pipe():
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, 'out')
        r = ptrace(['-o', '|cat > ' + f, '-e', 'trace=getppid', mix(), 'calls', '1'])
        eq(r.returncode, 0)
        with open(f) as fh:
            eq(fh.read().splitlines()[0], pad('getppid()', str(r.pid)))


@test
def follow_forks_prefixes():
    r = ptrace(['-f', '-e', 'trace=getppid', mix(), 'fork', '2'])
    eq(r.returncode, 0)
    eq(r.stdout, b'child 0 exited 0\nchild 1 exited 1\n')
    out = lines(r.stderr)
    att = [x for x in out if x.startswith('ptk trace: Process ')]
    eq(len(att), 2, 'one attach message per child')
    kids = [int(x.split()[3]) for x in att]
    for i, k in enumerate(kids):
        check('[pid %5d] getppid()' % k in '\n'.join(out), 'child %d line in %r' % (k, out))
        check('[pid %5d] +++ exited with %d +++' % (k, i) in out, 'exit line of child %d' % i)
    eq(out[-1], '+++ exited with 0 +++')


@test
def follow_forks_files():
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, 'tr')
        r = ptrace(['-ff', '-o', f, '-e', 'trace=getppid', mix(), 'fork', '2'])
        eq(r.returncode, 0)
        eq(r.stderr, b'')
        files = sorted(os.listdir(d))
        eq(len(files), 3, 'one file per process: %r' % files)
        main_pid = min(int(x.split('.')[1]) for x in files)
        exits = {}
        for name in files:
            pid = int(name.split('.')[1])
            with open(os.path.join(d, name)) as fh:
                content = fh.read().splitlines()
            check(all(not ln.startswith('[pid') for ln in content), 'no prefixes in -ff files')
            exits[pid] = content[-1]
            if pid != main_pid:
                eq(content[0], pad('getppid()', str(main_pid)))
        eq(sorted(exits.values()), ['+++ exited with 0 +++', '+++ exited with 0 +++',
                                     '+++ exited with 1 +++'])


@test
def output_file_with_follow_has_pid_column():
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, 'out')
        ptrace(['-f', '-o', f, '-e', 'trace=getppid', mix(), 'fork', '1'])
        with open(f) as fh:
            out = fh.read().splitlines()
        check(all(re.match(r'\d+ +\S', ln) for ln in out), out)
        eq(re.sub(r'^\d+ +', '', out[-1]), '+++ exited with 0 +++')


@test
def attach_pid_and_interrupt():
    p = subprocess.Popen([mix(), 'ready', '60'], stdout=subprocess.PIPE)
    try:
        pid = read_ready(p)
        t = popen(['-p', str(pid)])
        first = t.stderr.readline().decode().rstrip('\n')
        # the sleep's line is open (ptk has written its start), then the signal
        head = read_until_open_line(t, ('clock_nanosleep(', 'restart_syscall('))
        t.send_signal(signal.SIGINT)
        out, err = t.communicate(timeout=20)
        eq(t.returncode, -signal.SIGINT, 'ptk dies of the signal, as strace')
        err = [first] + lines(head + err)
        eq(err[0], 'ptk trace: Process %d attached' % pid)
        check('ptk trace: Process %d detached' % pid in err, err)
        check(any(x.endswith('<detached ...>') and
                  x.startswith(('clock_nanosleep(', 'restart_syscall(<... resuming interrupted'))
                  for x in err), 'the open syscall line ends <detached ...>: %r' % err)
        check(proc_state(pid) in ('S', 'R'), 'the process runs on')
        eq(tracer_of(pid), 0)
    finally:
        p.kill()
        p.wait()


@test
def attach_several_pids():
    ps = [subprocess.Popen([mix(), 'ready', '60'], stdout=subprocess.PIPE) for _ in range(2)]
    try:
        pids = [read_ready(p) for p in ps]
        t = popen(['-e', 'trace=none', '-p', '%d,%d' % tuple(pids)])
        # both attached (ptk says so first), then the signal: no fixed sleep
        first = [t.stderr.readline().decode().rstrip('\n') for _ in pids]
        t.send_signal(signal.SIGTERM)
        out, err = t.communicate(timeout=20)
        eq(t.returncode, -signal.SIGTERM)
        err = first + lines(err)
        for pid in pids:
            check('ptk trace: Process %d attached' % pid in err, err)
            check('ptk trace: Process %d detached' % pid in err, err)
            # running on: asleep in its loop, or caught between two sleeps
            check(proc_state(pid) in ('S', 'R'), 'process %d state %s' % (pid, proc_state(pid)))
            eq(tracer_of(pid), 0)
    finally:
        for p in ps:
            p.kill()
            p.wait()


@test
def attach_without_f_prints_only_that_thread():
    # A process whose other threads make syscalls while it is traced.
    code = ('import os, threading, time\n'
            'def f():\n'
            '    while True: os.getppid(); time.sleep(0.01)\n'
            'for _ in range(2): threading.Thread(target=f, daemon=True).start()\n'
            'print("ready", os.getpid(), flush=True)\n'
            'while True: os.getppid(); time.sleep(0.01)\n')
    py = subprocess.Popen(['python3', '-c', code], stdout=subprocess.PIPE)
    try:
        pid = read_ready(py)
        for follow in (False, True):
            t = popen((['-f'] if follow else []) + ['-e', 'trace=getppid', '-p', str(pid)])
            # traced a while: what the checks below look for has started to come (the
            # lines of two threads with -f, a getppid line without), then the signal
            if follow:
                head = read_stderr_until(t, lambda b: len(set(re.findall(
                    rb'^\[pid +(\d+)\] ', b, re.M))) >= 2, 'lines of two threads')
            else:
                head = read_stderr_until(t, lambda b: re.search(rb'^getppid\(\) += \d+\n', b,
                                                                re.M), 'a whole getppid line')
            t.send_signal(signal.SIGINT)
            _, err = t.communicate(timeout=20)
            err = lines(head + err)
            prefixed = {int(m.group(1)) for m in
                        (re.match(r'\[pid +(\d+)\]', x) for x in err) if m}
            if follow:
                check(err[0].startswith('ptk trace: Process %d attached with 3 threads' % pid),
                      err[0])
                check(len(prefixed) >= 2, 'lines of several threads with -f: %r' % err[:8])
            else:
                eq(err[0], 'ptk trace: Process %d attached' % pid)
                eq(prefixed, set(), 'without -f only the thread given is printed')
                check(any(x.startswith('getppid()') for x in err), err[:5])
    finally:
        py.kill()
        py.wait()


@test
def string_limit_and_hex():
    for args in (['-s', '3'], ['-x'], ['-xx'], ['-s', '0']):
        full = args + ['-e', 'trace=write', mix(), 'calls', '1']
        p, s = ptrace(full), strace(full)
        eq(trace_lines(p.stderr), trace_lines(s.stderr), 'with %r' % args)
    r = ptrace(['-s', '3', '-e', 'trace=write', mix(), 'calls', '1'])
    eq(lines(r.stderr)[0], pad('write(1, "ppi"..., 5)', '5'))


@test
def decode_fds():
    for args in (['-y'], ['-yy']):
        full = args + ['-e', 'trace=close', mix(), 'open', '/etc/passwd']
        p, s = ptrace(full), strace(full)
        eq(trace_lines(p.stderr), trace_lines(s.stderr), 'with %r' % args)
    r = ptrace(['-y', '-e', 'trace=close', mix(), 'open', '/etc/passwd'])
    check(pad('close(3</etc/passwd>)', '0') in lines(r.stderr), lines(r.stderr))


@test
def timestamps():
    cases = [(['-t'], r'\d\d:\d\d:\d\d getppid\(\) +='),
             (['-tt'], r'\d\d:\d\d:\d\d\.\d{6} getppid\(\) +='),
             (['-ttt'], r'\d{9,}\.\d{6} getppid\(\) +='),
             (['--absolute-timestamps=format:unix,precision:ns'], r'\d{9,}\.\d{9} getppid\(\) +='),
             (['-r'], r' {5}0\.000000 getppid\(\) +='),
             (['-tt', '-r'], r'\d\d:\d\d:\d\d\.\d{6} \(\+ {5}0\.000000\) getppid\(\) ='),
             (['-T'], r'getppid\(\) += \d+ <\d\.\d{6}>$'),
             (['--syscall-times=ns'], r'getppid\(\) += \d+ <\d\.\d{9}>$')]
    for args, pat in cases:
        r = ptrace(args + ['-e', 'trace=getppid', mix(), 'calls', '1'])
        first = lines(r.stderr)[0]
        check(re.match(pat, first), '%r: %r does not match %r' % (args, first, pat))
    # With strace: the same shape after masking the digits.
    for args in (['-t'], ['-tt'], ['-ttt'], ['-r'], ['-tt', '-r']):
        full = args + ['-e', 'trace=getppid', mix(), 'calls', '1']
        digits = re.compile(r'\d')
        eq([digits.sub('9', x) for x in trace_lines(ptrace(full).stderr)],
           [digits.sub('9', x) for x in trace_lines(strace(full).stderr)], 'with %r' % args)


@test
def syscall_numbers_and_instruction_pointer():
    r = ptrace(['-n', '-e', 'trace=getppid', mix(), 'calls', '1'])
    eq(lines(r.stderr), [pad('[ 110] getppid()', str(r.pid)),
                         '[ 231] +++ exited with 0 +++'])
    r = ptrace(['-i', '-e', 'trace=getppid', mix(), 'calls', '1'])
    out = lines(r.stderr)
    check(re.match(r'\[[0-9a-f]{16}\] getppid\(\) +=', out[0]), out[0])
    eq(out[1], '[????????????????] +++ exited with 0 +++')
    full = ['-n', '-i', '-e', 'trace=getppid', mix(), 'calls', '1']
    eq([re.sub(r'\[[0-9a-f]{16}\]', '[IP]', mask(x)) for x in trace_lines(ptrace(full).stderr)],
       [re.sub(r'\[[0-9a-f]{16}\]', '[IP]', mask(x)) for x in trace_lines(strace(full).stderr)])


@test
def quiet_levels():
    base = ['-f', '-e', 'trace=none', mix(), 'fork', '1']
    r = ptrace(base)
    out = lines(r.stderr)
    check(any(x.startswith('ptk trace: Process ') and x.endswith(' attached') for x in out), out)
    check(any('+++ exited with 0 +++' in x for x in out), out)
    r = ptrace(['-q'] + base)
    out = lines(r.stderr)
    check(not any(x.startswith('ptk trace: ') for x in out), out)
    check('+++ exited with 0 +++' in out, out)
    r = ptrace(['-qq'] + base)
    eq([x for x in lines(r.stderr) if 'exited' in x], [], '-qq hides exits')
    r = ptrace(['-qq', '-e', 'trace=none', mix(), 'sig', '15'])
    out = lines(r.stderr)
    eq(len(out), 2, out)
    check(re.match(r'--- SIGTERM \{si_signo=SIGTERM, si_code=SI_TKILL, si_pid=\d+, si_uid=%d\} ---$'
                   % os.getuid(), out[0]), out[0])
    eq(out[1], '+++ killed by SIGTERM +++', '-qq keeps deaths by signal')
    eq(r.returncode, -signal.SIGTERM, 'ptk dies of the signal that killed its program')


@test
def exit_status_is_the_programs():
    eq(ptrace(['-e', 'trace=none', tracee('hello'), '7']).returncode, 7)
    eq(ptrace(['-e', 'trace=none', mix(), 'sig', '11']).returncode, -signal.SIGSEGV)
    eq(ptrace(['-qq', '-e', 'trace=none', 'sh', '-c', 'exit 42']).returncode, 42)


@test
def environment_and_user():
    env = dict(os.environ, KEEP='k', DROP='d')
    r = ptrace(['-qq', '-e', 'trace=none', '-E', 'FOO=bar', '-E', 'DROP', '-E', 'KEEP=again',
                'sh', '-c', 'echo "$FOO|$DROP|$KEEP"'], env=env)
    eq(r.stdout, b'bar||again\n')
    if os.getuid() != 0:
        skip('-u needs root')
    r = ptrace(['-qq', '-e', 'trace=none', '-u', 'nobody', 'id', '-u'])
    eq(r.stdout.strip(), b'65534')
    r = ptrace(['-u', 'no-such-user-here', 'true'])
    eq((r.returncode, lines(r.stderr)), (1, ["ptk trace: cannot find user 'no-such-user-here'"]))


@test
def detach_on_execve():
    r = ptrace(['-f', '-b', 'execve', '-e', 'trace=execve,getppid', 'sh', '-c',
                '%s calls 1; echo done' % mix()])
    eq(r.returncode, 0)
    eq(r.stdout, b'ppid\ndone\n')
    out = lines(r.stderr)
    eq(len([x for x in out if 'execve(' in x]), 2, 'the shell\'s execve and the child\'s: %r' % out)
    det = [int(m.group(1)) for m in (re.match(r'ptk trace: Process (\d+) detached$', x)
                                          for x in out) if m]
    eq(len(det), 1, out)
    after = out[out.index('ptk trace: Process %d detached' % det[0]):]
    check(not any('[pid %5d]' % det[0] in x for x in after), 'nothing of the child after its '
          'execve: %r' % out)
    check(any(x.startswith('[pid %5d] execve(' % det[0]) and x.endswith(' <detached ...>')
              for x in out), out)


@test
def daemonize():
    for d in ('-D', '-DD', '-DDD'):
        r = ptrace([d, '-qq', '-e', 'trace=none', 'sh', '-c', 'echo $PPID'])
        eq(r.returncode, 0)
        eq(int(r.stdout), os.getpid(), '%s: the program is our direct child' % d)
        check(wait_session_quiet(), 'the tracer ends after the program')
    with tempfile.TemporaryDirectory() as dd:
        f = os.path.join(dd, 'out')
        r = ptrace(['-D', '-o', f, '-e', 'trace=exit_group', 'sh', '-c', 'exit 5'])
        eq(r.returncode, 5, 'the shell sees the program\'s status itself')
        for _ in range(100):  # the tracer outlives the program by a moment
            with open(f) as fh:
                got = fh.read().splitlines()
            if got and got[-1].startswith('+++'):
                break
            time.sleep(0.05)
        # The program may get SIGCHLD from ptk's intermediate process (it is the
        # program's child and exits once the tracer grandchild runs): shown or
        # not depending on whether it exits before or after the attach.
        got = [x for x in got if not x.startswith('--- SIGCHLD ')]
        eq(got, [pad('exit_group(5)', '?'), '+++ exited with 5 +++'])
        check(wait_session_quiet(), 'the tracer ends after the program')


@test
def uninterruptible_with_output_file():
    """strace's -I default with -o FILE PROG: ptk is not stopped by SIGINT."""
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, 'out')
        t = subprocess.Popen([PTK, 'trace', '-o', f, '-e', 'trace=none', mix(), 'ready', '1'],
                             stdout=subprocess.PIPE)
        read_ready(t)
        t.send_signal(signal.SIGINT)
        t.communicate(timeout=20)
        eq(t.returncode, 0, 'the program ran to its end')
        t = subprocess.Popen([PTK, 'trace', '-I', '2', '-o', f, '-e', 'trace=none', mix(),
                              'ready', '30'], stdout=subprocess.PIPE)
        read_ready(t)
        t.send_signal(signal.SIGINT)
        t.communicate(timeout=20)
        eq(t.returncode, -signal.SIGINT, '-I 2: interrupted')


@test
def seccomp_bpf_is_accepted():
    a = ptrace(['-e', 'trace=getppid', mix(), 'calls', '2'])
    b = ptrace(['--seccomp-bpf', '-e', 'trace=getppid', mix(), 'calls', '2'])
    c = ptrace(['--no-seccomp-bpf', '-e', 'trace=getppid', mix(), 'calls', '2'])
    eq([mask(x) for x in lines(b.stderr)], [mask(x) for x in lines(a.stderr)])
    eq([mask(x) for x in lines(c.stderr)], [mask(x) for x in lines(a.stderr)])


@test
def help_and_version():
    r = ptrace(['-h'])
    eq(r.returncode, 0)
    check(r.stdout.startswith(b'usage: ptk trace'), r.stdout[:80])
    for opt in (b'-e inject=', b'--json', b'--timeline', b'--stops', b'-D, -DD, -DDD'):
        check(opt in r.stdout, opt)
    r = ptrace(['-V'])
    eq(r.returncode, 0)
    check(re.match(rb'ptk trace \d+\.\d+\.\d+\n$', r.stdout), r.stdout)


def bad(args, msg):
    r = ptrace(args)
    eq(r.returncode, 1, 'exit status of %r' % args)
    eq(lines(r.stderr), ['ptk trace: ' + msg], 'message of %r' % args)
    eq(r.stdout, b'')


@test
def bad_input():
    bad(['-e', 'trace=getppidx', 'true'],
        "-e trace=getppidx: invalid system call 'getppidx' (did you mean getppid, getpgid, "
        "getpid?)")
    bad(['-e', 'trace=/[', 'true'],
        "-e trace=/[: invalid regular expression '[': Invalid regular expression")
    bad(['-e', 'inject=getppid:error=ENOENT:when=0', 'true'],
        '-e inject=getppid:error=ENOENT:when=0: when=0: the first invocation must be 1..65535')
    bad([], 'must have PROG [ARGS] or -p PID (see `ptk trace --help`)')
    bad(['-p', 'abc'], "invalid process id 'abc'")
    bad(['--secontext', 'true'], '--secontext is not supported by ptk trace')
    bad(['--frobnicate', 'true'], "unrecognized option '--frobnicate' (see `ptk trace --help`)")
    bad(['-Q', 'true'], 'invalid option -Q (see `ptk trace --help`)')


@test
def bad_program_and_pid():
    r = ptrace(['no-such-program-anywhere'])
    eq(r.returncode, 1)
    out = lines(r.stderr)
    eq(len(out), 1, out)
    check(out[0].startswith('ptk trace: ') and 'no-such-program-anywhere' in out[0], out)
    # A pid that does not exist (any more).
    p = subprocess.Popen(['true'])
    p.wait()
    r = ptrace(['-p', str(p.pid)])
    eq(r.returncode, 1)
    out = lines(r.stderr)
    eq(len(out), 1, out)
    check(out[0].startswith('ptk trace: ') and str(p.pid) in out[0], out)


@test
def eperm_is_explained():
    """Attaching to a process already traced by another tracer fails with EPERM; the
    message names the cause."""
    t = subprocess.Popen([PTK, 'trace', '-o', '/dev/null', mix(), 'ready', '30'],
                         stdout=subprocess.PIPE)
    try:
        pid = read_ready(t)
        r = ptrace(['-p', str(pid)])
        eq(r.returncode, 1)
        out = lines(r.stderr)
        eq(len(out), 1, out)
        check('already traced' in out[0] and str(t.pid) in out[0], out[0])
    finally:
        t.kill()
        t.wait()
        wait_gone(pid)


@test
def warnings_like_strace():
    r = ptrace(['-S', 'calls', '-e', 'trace=none', 'true'])
    eq(r.returncode, 0)
    eq(lines(r.stderr)[0], 'ptk trace: -S has no effect without -c or -C')


if __name__ == '__main__':
    raise SystemExit(main())
