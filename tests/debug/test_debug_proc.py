#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`ptk debug` and processes: threads (4 threads x 200 hits = 800 reports), fork,
vfork and exec catching, signals passed and not passed, the program's own int3
and SIGTRAPs reaching it, attaching and detaching, Ctrl-C at a terminal and
SIGINT from outside, and every way out leaving nothing stopped or traced."""
import array
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import termios
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dbglib import err_lines, line_of, norm, out_lines, prog, session  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from harness import (PTK, check, dispositions_alone, eq, fail, ignoring, main,  # noqa: E402
                     status_lines, test, text, tracee)


def proc_status(pid):
    """(State letter, TracerPid) of a process, or None when it is gone."""
    try:
        with open('/proc/%d/status' % pid) as f:
            st = f.read()
    except OSError:
        return None
    state = re.search(r'^State:\s+(\S)', st, re.M).group(1)
    tracer = int(re.search(r'^TracerPid:\s+(\d+)', st, re.M).group(1))
    return state, tracer


@test
def threads_800_hits_each_reported_once():
    n = 4 * 200
    r = session(['break target', 'run'] + ['continue'] * (n + 2),
                [tracee('bp_target'), 'threads', '4', '200'], timeout=300)
    o = out_lines(r)
    hits = [l for l in o if re.match(r'Thread \d+ "bp_target" hit Breakpoint 1, ', l)]
    eq(len(hits), n, 'breakpoint reports')
    check('calls=%d' % n in o, 'the program counted every call: %r' % o[-5:])
    check(any(re.match(r'\[Inferior 1 \(process \d+\) exited normally\]', l) for l in o), o[-3:])
    # every thread hit it: four distinct thread numbers, 200 each
    nums = {}
    for l in hits:
        k = int(l.split()[1])
        nums[k] = nums.get(k, 0) + 1
    eq(sorted(nums.values()), [200, 200, 200, 200])


@test
def threads_hit_count_with_ignore():
    r = session(['break target', 'ignore 1 100000', 'run', 'info breakpoints'],
                [tracee('bp_target'), 'threads', '4', '200'], timeout=300)
    o = out_lines(r)
    eq([l for l in o if 'already hit' in l], ['\tbreakpoint already hit 800 times'])
    check('calls=800' in o, o)


@test
def new_threads_and_info_threads():
    r = session(['break target', 'run', 'info threads', 'thread 1', 'kill'],
                [tracee('bp_target'), 'threads', '2', '3'])
    o = [norm(l, keep_stack=True) for l in out_lines(r)]
    new = [l for l in o if l.startswith('[New Thread 0x')]
    eq(len(new), 2)
    i = o.index([l for l in o if l.startswith('  Id   Target Id')][0])
    rows = o[i + 1:i + 4]
    eq(len([l for l in rows if l.startswith('*')]), 1)
    check(all(re.match(r'[* ] [123]    Thread 0x[0-9a-f]+ \(LWP N\) "bp_target" ', l)
              for l in rows), rows)
    check(any(re.match(r'\[Switching to thread 1 \(Thread 0x[0-9a-f]+ \(LWP N\)\)\]', l)
              for l in o), o)


@test
def fork_vfork_exec_caught():
    r = session(['catch fork', 'catch vfork', 'catch exec', 'run', 'continue', 'continue',
                 'info breakpoints', 'continue'], [prog('0'), 'fork'])
    o = [norm(l) for l in out_lines(r)]
    eq(o[:3], ['Catchpoint 1 (fork)', 'Catchpoint 2 (vfork)', 'Catchpoint 3 (exec)'])
    check(any(re.match(r'Catchpoint 1 \(forked process PID\), ', l) for l in o), o)
    check(any(re.match(r'Catchpoint 2 \(vforked process PID\), ', l) for l in o), o)
    check(any(re.match(r"Catchpoint 3 \(exec'd \S+dbg_prog_O0\), 0x[0-9a-f]+ in _start \(\)",
                       l) for l in o), o)
    check('[Detaching after fork from child process PID]' in o, o)
    check('[Detaching after vfork from child process PID]' in o, o)
    check(any(l.startswith('process PID is executing new program: ') for l in o), o)
    check('fork child 4' in o and 'vfork child 5' in o and "exec'd" in o, o)
    eq(o[-1], '[Inferior 1 (process PID) exited with code 07]')


@test
def fork_children_run_free_without_catch():
    """Breakpoints are not inherited by the detached fork child: it exits normally."""
    r = session(['break add', 'run'], [tracee('bp_target')])
    check('sum=15' in out_lines(r) and 'child exited 21' in out_lines(r),
          text(r.stdout) + text(r.stderr))
    r = session(['break target', 'run', 'delete', 'continue'], [tracee('bp_target')])
    o = out_lines(r)
    check('child exited 21' in o, o)


@test
def signal_stops_and_is_passed():
    lh = line_of('handler')
    r = session(['break on_signal', 'run', 'continue', 'p sig', 'continue', 'continue'],
                [prog('0'), 'signal'])
    o = [norm(l) for l in out_lines(r)]
    eq(o[1:3], ['', 'Program received signal SIGUSR1, User defined signal 1.'])
    # SIGUSR1 is passed (default): its handler runs and hits the breakpoint
    check('Breakpoint 1, on_signal (sig=10) at dbg_prog.c:%d' % lh in o, o)
    # SIGALRM is nostop noprint pass by default: straight to the handler
    check('Breakpoint 1, on_signal (sig=14) at dbg_prog.c:%d' % lh in o, o)
    check('handled=24' in o, o)


@test
def signal_nopass_and_nostop():
    r = session(['handle SIGUSR1 nostop noprint nopass', 'run'], [prog('0'), 'signal'])
    o = out_lines(r)
    check('handled=14' in o, 'SIGUSR1 was not delivered, SIGALRM was: %r' % o)
    r = session(['handle SIGUSR1 nostop print', 'run'], [prog('0'), 'signal'])
    o = out_lines(r)
    eq(o[:2], ['', 'Program received signal SIGUSR1, User defined signal 1.'])
    check('handled=24' in o, o)


@test
def signal_command_delivers():
    lr = line_of('raise_usr1')
    r = session(['handle SIGUSR1 nopass', 'break %d' % lr, 'run', 'signal SIGALRM',
                 'continue'], [prog('0'), 'signal'])
    o = out_lines(r)
    # SIGALRM delivered by `signal`, SIGUSR1 not passed, SIGALRM raised later: 14 + 14
    check('handled=28' in o, o)


@test
def segv_reported_then_killed():
    ls = line_of('segv')
    r = session(['run', 'continue'], [prog('0'), 'segv'])
    o = [norm(l) for l in out_lines(r)]
    eq(o[:4], ['', 'Program received signal SIGSEGV, Segmentation fault.',
               'main (argc=2, argv=STACK) at dbg_prog.c:%d' % ls, o[3]])
    check(o[3].startswith('%d\t' % ls), o[3])
    eq(o[-3:], ['', 'Program terminated with signal SIGSEGV, Segmentation fault.',
                'The program no longer exists.'])


@test
def programs_own_int3_and_sigtraps_reach_it():
    """PITFALLS #12: gdb 13 swallows them (hits=0); ptk passes them on."""
    r = session(['run'], [tracee('sigtrap')])
    o = out_lines(r)
    eq(o[:4], ['trap 1 code=kernel', 'trap 2 code=tkill', 'trap 3 code=user', 'hits=3'])
    check(any(re.match(r'\[Inferior 1 \(process \d+\) exited normally\]', l) for l in o), o)
    # with a breakpoint of ours in the same program, both work
    r = session(['break main', 'run', 'continue'], [tracee('sigtrap')])
    check('hits=3' in out_lines(r), out_lines(r))


@test
def attach_and_detach_leave_it_running():
    p = subprocess.Popen([prog('0'), 'spin'], stdout=subprocess.PIPE,
                         stdin=subprocess.DEVNULL)
    try:
        eq(p.stdout.readline(), b'spinning\n')
        r = session(['info threads', 'p spinning', 'bt 1', 'detach'], [], extra=[
            '-p', str(p.pid)])
        o = [norm(l) for l in out_lines(r)]
        check(any(l.startswith('* 1    ') for l in o), o)
        check('$1 = 1' in o, o)
        check('[Inferior 1 (process PID) detached]' in o, o)
        st = proc_status(p.pid)
        check(st is not None and st[1] == 0 and st[0] in 'RS', 'running, untraced: %r' % (st,))
        # batch end detaches too (no `detach`), and `set var` reaches the program
        r = session(['set var spinning = 0'], [], extra=['-p', str(p.pid)])
        eq(err_lines(r), [])
        eq(p.stdout.readline(), b'stopped spinning\n')
        eq(p.wait(timeout=60), 0)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def read_until(fd, want, buf, limit=60):
    """Read from fd until `want` appears in the accumulated output (safety timeout)."""
    end = time.monotonic() + limit
    while want not in buf[0]:
        left = end - time.monotonic()
        if left <= 0:
            fail('timed out waiting for %r; got %r' % (want, buf[0][-800:]))
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            chunk = b''
        if not chunk:
            fail('end of output waiting for %r; got %r' % (want, buf[0][-800:]))
        buf[0] += chunk.decode('utf-8', 'replace')
    i = buf[0].index(want) + len(want)
    seen, buf[0] = buf[0][:i], buf[0][i:]
    return seen


def wait_pipe_read(wfd, limit=60):
    """Wait until the reader has taken every byte written to the pipe wfd."""
    end = time.monotonic() + limit
    n = array.array('i', [1])
    while True:
        fcntl.ioctl(wfd, termios.FIONREAD, n)
        if n[0] == 0:
            return
        if time.monotonic() > end:
            fail('the pipe still holds %d bytes' % n[0])
        select.select([], [], [], 0.01)


def wait_tty(fd, canonical, limit=60):
    """Wait until the terminal of the pty master fd is in canonical mode or not."""
    end = time.monotonic() + limit
    while bool(termios.tcgetattr(fd)[3] & termios.ICANON) != canonical:
        if time.monotonic() > end:
            fail('the terminal did not go %scanonical' % ('' if canonical else 'non-'))
        select.select([], [], [], 0.01)


class PtySession:
    """argv (ptk debug) on a new pty, as a context: .fd is the master, .buf what
    read_until has read.  quit() ends the session by `quit` (answering y when
    it asks) and wants exit status 0; a session not quit is killed at the end."""

    def __init__(self, argv):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execv(argv[0], argv)
        self.buf = ['']

    def __enter__(self):
        return self

    def quit(self, confirm=False):
        os.write(self.fd, b'quit\n')
        if confirm:
            read_until(self.fd, 'Quit anyway? (y or n) ', self.buf)
            os.write(self.fd, b'y\n')
        _, st = os.waitpid(self.pid, 0)
        self.pid = 0
        eq(os.waitstatus_to_exitcode(st), 0)

    def __exit__(self, *exc):
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


@test
def ctrl_c_at_the_terminal_stops_and_prompt_returns():
    """Ctrl-C typed at the terminal: the program stops with SIGINT, the prompt is back."""
    with PtySession([PTK, 'debug', '-q', prog('0'), 'spin']) as t:
        fd, buf = t.fd, t.buf
        read_until(fd, '(ptk) ', buf)
        os.write(fd, b'run\n')
        read_until(fd, 'spinning', buf)
        os.write(fd, b'\x03')
        seen = read_until(fd, '(ptk) ', buf)
        check('Program received signal SIGINT, Interrupt.' in seen, seen)
        os.write(fd, b'set var spinning = 0\n')
        read_until(fd, '(ptk) ', buf)
        os.write(fd, b'continue\n')
        seen = read_until(fd, '(ptk) ', buf)
        check('stopped spinning' in seen, seen)
        check(re.search(r'\[Inferior 1 \(process \d+\) exited normally\]', seen), seen)
        t.quit()


@test
def ctrl_c_interrupts_long_steps_and_watchpoints():
    """Ctrl-C during stepi/nexti/step/next N and a software watchpoint's continue:
    the command ends at once with gdb's report and the prompt is back.  ptk
    emulates most steps, so the program never takes the terminal's SIGINT
    itself: the command must notice the Ctrl-C, and that SIGINT must not reach
    the program later (gdb's SIGINT is nopass)."""
    with PtySession([PTK, 'debug', '-q', prog('0'), 'spin']) as t:
        fd, buf = t.fd, t.buf
        where = re.compile(r'(0x[0-9a-f]+ in )?mode_spin \(\) at \S*dbg_prog\.c:(%d|%d)\r?\n'
                           % (line_of('spin'), line_of('spin') + 1))
        read_until(fd, '(ptk) ', buf)
        os.write(fd, b'break %d\n' % line_of('spin'))
        read_until(fd, '(ptk) ', buf)
        os.write(fd, b'run\n')
        read_until(fd, '(ptk) ', buf)
        for cmd in ('stepi', 'nexti', 'next', 'step', 'watch'):
            if cmd == 'watch':
                os.write(fd, b'watch spinning\n')
                read_until(fd, '(ptk) ', buf)
                line = 'continue'
            else:
                line = '%s 100000000' % cmd  # hours of work: only Ctrl-C ends it
            # The line editor reads in raw mode and gives the terminal back
            # in canonical mode with the line: the command then runs.
            wait_tty(fd, canonical=False)
            os.write(fd, line.encode() + b'\n')
            wait_tty(fd, canonical=True)
            os.write(fd, b'\x03')
            seen = read_until(fd, '(ptk) ', buf)
            check('\nProgram received signal SIGINT, Interrupt.\r\n' in seen.replace('\r\r', '\r'),
                  '%s: %r' % (cmd, seen))
            check(where.search(seen), '%s: %r' % (cmd, seen))
        os.write(fd, b'delete\n')
        read_until(fd, '(y or n) ', buf)
        os.write(fd, b'y\n')
        read_until(fd, '(ptk) ', buf)
        os.write(fd, b'set var spinning = 0\n')
        read_until(fd, '(ptk) ', buf)
        os.write(fd, b'continue\n')
        seen = read_until(fd, '(ptk) ', buf)
        # the terminal's SIGINTs were dropped, not left pending for the program
        check('SIGINT' not in seen and 'stopped spinning' in seen, seen)
        check(re.search(r'\[Inferior 1 \(process \d+\) exited normally\]', seen), seen)
        t.quit()


@test
def sigint_from_outside_ends_long_steps():
    """kill -INT to ptk alone during stepi N, next N and a software watchpoint's
    continue: the same report as from the terminal."""
    p = subprocess.Popen([PTK, 'debug', '-q', prog('0'), 'spin'], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    fd = p.stdout.fileno()
    buf = ['']
    try:
        p.stdin.write(b'break %d\nrun\n' % line_of('spin'))
        p.stdin.flush()
        read_until(fd, 'Breakpoint 1, ', buf)
        read_until(fd, '(ptk) ', buf)
        for line in ('stepi 100000000', 'next 100000000', 'watch spinning\ncontinue'):
            p.stdin.write(line.encode() + b'\n')
            p.stdin.flush()
            if line.startswith('watch'):
                read_until(fd, 'Continuing.', buf)
            else:
                # Nothing is printed while stepping: once ptk has read the line
                # out of the pipe, a SIGINT is for the command.
                wait_pipe_read(p.stdin.fileno())
            p.send_signal(signal.SIGINT)
            seen = read_until(fd, '(ptk) ', buf)
            check(re.match(r'\n+Program received signal SIGINT, Interrupt\.\n(0x[0-9a-f]+ in )?'
                           r'mode_spin \(\) at \S*dbg_prog\.c:(%d|%d)\n'
                           % (line_of('spin'), line_of('spin') + 1), seen),
                  '%s: %r' % (line, seen))
        p.stdin.write(b'delete\nset var spinning = 0\ncontinue\n')
        p.stdin.close()
        seen = read_until(fd, 'exited normally]', buf)
        check('stopped spinning' in seen and 'SIGINT' not in seen, seen)
        eq(p.wait(timeout=60), 0)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


@test
def sigint_from_outside_interrupts():
    """SIGINT sent to ptk alone (kill -INT): ptk interrupts the program itself."""
    p = subprocess.Popen([PTK, 'debug', '-q', prog('0'), 'spin'], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    fd = p.stdout.fileno()
    buf = ['']
    try:
        p.stdin.write(b'run\n')
        p.stdin.flush()
        read_until(fd, 'spinning\n', buf)
        p.send_signal(signal.SIGINT)
        seen = read_until(fd, '(ptk) ', buf)
        check('Program received signal SIGINT, Interrupt.' in seen, seen)
        p.stdin.write(b'p spinning = 0\ncontinue\n')
        p.stdin.flush()
        seen = read_until(fd, 'exited normally]', buf)
        check('stopped spinning' in seen, seen)
        p.stdin.close()
        eq(p.wait(timeout=60), 0)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def end_session_at_prompt(how, running=False):
    """ptk debug with stdin a pipe, stopped at a breakpoint (or running the program
    on with `continue`): SIGTERM, SIGHUP or the end of stdin must end it and kill
    the program.  The signal goes the moment the prompt is seen, when ptk is about
    to read its next line: a handler that only sets a flag, checked before a
    blocking read, loses it there and ptk never leaves."""
    p = subprocess.Popen([PTK, 'debug', '-q', prog('0'), 'spin'], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    fd = p.stdout.fileno()
    buf = ['']
    try:
        p.stdin.write(b'break %d\nrun\n' % line_of('spin'))
        p.stdin.flush()
        read_until(fd, 'Breakpoint 1, ', buf)
        read_until(fd, '(ptk) ', buf)
        p.stdin.write(b'info proc\n')
        p.stdin.flush()
        pid = int(re.search(r'process (\d+)\n', read_until(fd, '(ptk) ', buf)).group(1))
        eq(proc_status(pid)[1], p.pid, 'traced by ptk')
        if running:
            p.stdin.write(b'continue\n')
            p.stdin.flush()
            read_until(fd, 'Continuing.', buf)
        if how == 'term':
            p.send_signal(signal.SIGTERM)
        elif how == 'hup':
            p.send_signal(signal.SIGHUP)
        else:
            p.stdin.close()
        code = p.wait(timeout=60)
        want = {'term': -signal.SIGTERM, 'hup': -signal.SIGHUP, 'eof': 0}[how]
        eq(code, want, '%s: ptk\'s exit status' % how)
        st = proc_status(pid)
        check(st is None or st[0] == 'Z', '%s: the tracee is gone: %r' % (how, st))
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


@test
def sigterm_and_eof_kill_what_was_spawned():
    # the race is a few instructions wide: each way out several times
    for _ in range(5):
        for how in ('term', 'hup'):
            end_session_at_prompt(how)
    for how in ('eof', 'eof', 'term', 'hup'):
        end_session_at_prompt(how, running=how != 'eof')


@test
def sigint_at_a_plain_prompt_says_quit():
    """SIGINT while ptk waits for a command on a pipe: "Quit", and the session goes
    on (gdb does the same); it used to end the session."""
    p = subprocess.Popen([PTK, 'debug', '-q'], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    fd = p.stdout.fileno()
    buf = ['']
    try:
        read_until(fd, '(ptk) ', buf)
        p.send_signal(signal.SIGINT)
        eq(read_until(fd, '(ptk) ', buf), 'Quit\n(ptk) ')
        p.stdin.write(b'print 6*7\n')
        p.stdin.close()
        out = read_until(fd, '(ptk) ', buf)
        eq(out, '$1 = 42\n(ptk) ')
        eq(p.wait(timeout=60), 0)
        eq(p.stdout.read(), b'')
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


@test
def program_inherits_no_fd_mask_or_ignored_signal_of_ptk():
    """The program runs as it would without ptk: no descriptor of ptk's (its
    wake-up pipe), SIGCHLD not blocked (ptk blocks it), SIGPIPE and SIGTTOU not
    ignored (gdb 13 leaves them alone too)."""
    # each reads its own /proc entry (the shell's mask changes while it spawns ls)
    argv = ['/bin/sh', '-c', 'ls /proc/self/fd; exec grep -E "^Sig(Blk|Ign)" /proc/self/status']
    alone = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60)
    want = text(alone.stdout).splitlines()
    check('SigBlk:\t0000000000000000' in want, want)
    o = [l for l in out_lines(session(['run'], argv))
         if not l.startswith(('[', 'process '))]
    eq(o, want)


OWN_SIGNALS = (signal.SIGHUP, signal.SIGINT, signal.SIGPIPE, signal.SIGALRM, signal.SIGTERM,
               signal.SIGTTOU, signal.SIGUSR2)


@test
def program_keeps_the_signals_ptk_was_started_with_ignored():
    """Started with signals ignored (under nohup, as a background job), ptk
    catches SIGINT, SIGTERM, SIGHUP, SIGALRM, SIGPIPE and SIGTTOU for itself,
    yet the program starts with exactly the dispositions it would have alone:
    every one of them still ignored, nothing caught."""
    argv = ['/bin/sh', '-c', 'exec cat /proc/self/status']
    want = dispositions_alone(argv, OWN_SIGNALS)
    r = subprocess.run([PTK, 'debug', '-batch', '-ex', 'run', '--args'] + argv,
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, preexec_fn=ignoring(*OWN_SIGNALS), timeout=120)
    eq(status_lines(r.stdout), want)
    eq(r.returncode, 0)


@test
def kill_and_rerun():
    r = session(['break add', 'run', 'kill', 'run', 'info breakpoints'], [prog('0')])
    o = [norm(l) for l in out_lines(r)]
    eq(o.count('[Inferior 1 (process PID) killed]'), 1)
    eq(len([l for l in o if l.startswith('Breakpoint 1, add (a=1, b=2)')]), 2)
    eq([l for l in o if 'already hit' in l], ['\tbreakpoint already hit 2 times'])


@test
def prompt_completion_and_repeat():
    """Tab completes command names and the program's symbols; an empty line repeats."""
    with PtySession([PTK, 'debug', '-q', prog('0')]) as t:
        fd, buf = t.fd, t.buf
        read_until(fd, '(ptk) ', buf)
        # the line editor redraws as it likes: judge by what the command did
        os.write(fd, b'brea\t')
        read_until(fd, 'k ', buf)
        os.write(fd, b'ad\t')
        read_until(fd, 'd ', buf)
        os.write(fd, b'\n')
        seen = read_until(fd, '(ptk) ', buf)
        check(re.search(r'Breakpoint 1 at 0x[0-9a-f]+: file \S*dbg_prog\.c, line %d\.'
                        % line_of('add_body'), seen), seen)
        os.write(fd, b'run\n')
        read_until(fd, '(ptk) ', buf)
        os.write(fd, b'next\n')
        seen = read_until(fd, '(ptk) ', buf)
        check('%d\t' % (line_of('add_body') + 1) in seen, seen)
        os.write(fd, b'\n')  # repeats `next`
        seen = read_until(fd, '(ptk) ', buf)
        check('%d\t' % line_of('add_ret') in seen, seen)
        t.quit(confirm=True)


@test
def prompt_history_and_file_name_completion():
    """The line editor as gdb's: up-arrow and ^P recall earlier commands; Tab completes
    paths for file, source and run, source files (with gdb's ':') and functions for
    break/list locations, and FILE:FUNCTION with the functions of that file."""
    tmp = tempfile.mkdtemp()
    with open(os.path.join(tmp, 'cmds.gdb'), 'w') as f:
        f.write('print 6*7\n')
    tracees = os.path.dirname(prog('0'))
    try:
        with PtySession([PTK, 'debug', '-q', prog('0')]) as t:
            fd, buf = t.fd, t.buf

            def typed(keys):
                # keys go to the line editor only once it reads (raw mode): typeahead
                # in canonical mode may be flushed when it switches
                wait_tty(fd, canonical=False)
                os.write(fd, keys)
                return read_until(fd, '(ptk) ', buf)

            read_until(fd, '(ptk) ', buf)
            check('$1 = 2\r\n' in typed(b'print 1+1\n'), buf)
            check('$2 = 4\r\n' in typed(b'print 2+2\n'), buf)
            seen = typed(b'\x1b[A\x1b[A\n')  # up, up: print 1+1
            check('$3 = 2\r\n' in seen, seen)
            seen = typed(b'\x10\x10\n')  # ^P ^P: print 2+2 (the one before the last)
            check('$4 = 4\r\n' in seen, seen)
            seen = typed(b'source ' + tmp.encode() + b'/cm\t\n')
            check('$5 = 42\r\n' in seen, seen)
            # break dbg_pr<Tab> -> dbg_prog.c: ; mode_w<Tab> -> dbg_prog.c:mode_watch
            wait_tty(fd, canonical=False)
            os.write(fd, b'break dbg_pr\t')
            read_until(fd, 'og.c:', buf)
            seen = typed(b'mode_w\t\n')
            want = [l for l in out_lines(session(['break mode_watch', 'tbreak mode_spin'],
                                                 [prog('0')])) if ' at 0x' in l]
            eq(len(want), 2)
            check(want[0] + '\r\n' in seen, '%r in %r' % (want[0], seen))
            seen = typed(b'list mode_sp\t\n')
            listing = out_lines(session(['list mode_spin'], [prog('0')]))
            eq(len(listing), 10)
            check('\r\n'.join(listing) + '\r\n(ptk) ' in seen, '%r in %r' % (listing, seen))
            seen = typed(b'tbreak dbg_prog.c:mode_sp\t\n')
            check(want[1] + '\r\n' in seen, '%r in %r' % (want[1], seen))
            # two programs begin so: the common part, then the rest typed
            seen = typed(b'file ' + tracees.encode() + b'/dbg_sol\t2\n')
            check('Reading symbols from %s/dbg_solib_O2...\r\n' % tracees in seen, seen)
            t.quit()
    finally:
        shutil.rmtree(tmp)


@test
def command_file_stops_at_its_first_error():
    with tempfile.NamedTemporaryFile('w', suffix='.gdb', delete=False) as f:
        f.write('break add\n# a comment\nrun\np nosuch\np 1\n')
    try:
        r = session([], [prog('0')], extra=['-x', f.name])
    finally:
        os.unlink(f.name)
    o = out_lines(r)
    check(any(l.startswith('Breakpoint 1, add (a=1, b=2)') for l in o), o)
    check('$1 = 1' not in o, 'the file stops at the error: %r' % o)
    eq(err_lines(r), ['%s:4: Error in sourced command file:' % f.name,
                      'No symbol "nosuch" in current context.'])
    eq(r.returncode, 1)


@test
def watchpoint_reports_every_change():
    lw = line_of('watch_set')
    r = session(['break mode_watch', 'run', 'watch gcounter', 'continue', 'continue',
                 'info watchpoints', 'continue', 'continue'], [prog('0'), 'watch'])
    o = [norm(l) for l in out_lines(r)]
    kind = [l for l in o if re.match(r'(Hardware w|W)atchpoint 2: gcounter$', l)]
    check(kind, o)
    changes = [(o[i + 2], o[i + 3]) for i, l in enumerate(o) if l == kind[0] and
               i + 3 < len(o) and o[i + 2].startswith('Old value')]
    eq(changes, [('Old value = 0', 'New value = 10'), ('Old value = 10', 'New value = 20'),
                 ('Old value = 20', 'New value = 30')])
    check(any(re.match(r'2       (hw )?watchpoint +keep y +gcounter$', l) for l in o), o)
    # info watchpoints says which kind: the software one on a line of its own
    if kind[0].startswith('Hardware'):
        check(any(l.startswith('2       hw watchpoint') for l in o), o)
    else:
        i = o.index([l for l in o if re.match(r'2       watchpoint +keep y +gcounter$', l)][0])
        eq(o[i + 1:i + 3], ['\tbreakpoint already hit 2 times',
                            "\tsoftware watchpoint (single-stepping): this machine's debug "
                            'registers do not fire'])
    check('gcounter=30' in o, o)
    check(any(l.startswith('mode_watch () at dbg_prog.c:') for l in o) or lw, o)


@test
def read_and_access_watchpoints():
    """rwatch and awatch: every write reported with old and new values (awatch), the
    read after the loop with its value (rwatch), through the software path on these
    machines (the kind is said either way)."""
    r = session(['break mode_watch', 'run', 'rwatch gcounter', 'awatch gcounter', 'continue',
                 'continue', 'continue', 'continue', 'continue'], [prog('0'), 'watch'])
    o = [norm(l) for l in out_lines(r)]
    hw = any(l.startswith('Hardware read watchpoint 2') for l in o)
    acc = 'Hardware access (read/write)' if hw else 'Access (read/write)'
    rd = 'Hardware read' if hw else 'Read'
    eq(o[4:6], ['%s watchpoint 2: gcounter' % rd, '%s watchpoint 3: gcounter' % acc])
    reports = [(o[i], o[i + 2], o[i + 3] if o[i + 2].startswith('Old') else '')
               for i, l in enumerate(o) if i > 5 and re.match(r'(%s|%s) watchpoint \d: gcounter$'
                                                              % (re.escape(acc), rd), l)]
    eq(reports[:3], [('%s watchpoint 3: gcounter' % acc, 'Old value = 0', 'New value = 10'),
                     ('%s watchpoint 3: gcounter' % acc, 'Old value = 10', 'New value = 20'),
                     ('%s watchpoint 3: gcounter' % acc, 'Old value = 20', 'New value = 30')])
    if not hw:
        # one report per stop in software (debug registers would report both at once)
        eq(reports[3], ('%s watchpoint 2: gcounter' % rd, 'Value = 30', ''))
    check(any(l.startswith('%d\t' % line_of('watch_set')) or
              l.startswith('%d\t' % (line_of('watch_set') - 1)) for l in o), o)


if __name__ == '__main__':
    sys.exit(main())
