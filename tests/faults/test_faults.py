#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Faults (issue 6): ptk losing its tracees, or its tracees being lost, at awkward moments.

Already covered elsewhere and not repeated here: SIGINT/SIGTERM/SIGHUP to ptk trace, with
a vfork parent in D state (tests/trace/test_signals.py); SIGTERM/SIGHUP/EOF to ptk debug
with a spawned program and SIGINT interrupting it (tests/debug/test_debug_proc.py); the
gdbserver's client going away mid-packet (tests/gdbserver/test_raw.py); SIGKILLed
tracers at the library level (tests/lib/test-attach.c, test-spawn.c).

Here: SIGKILL to each front end (spawned tracees die by PTRACE_O_EXITKILL, attached ones
run on untraced); SIGTERM/SIGHUP/SIGINT to ptk debug and ptk gdbserver attached to a
process (detached, runs on) and to a vfork parent in D state (ptk ends, the parent is
neither stopped nor traced); a tracee killed while stopped, a process that exits while
ptk steps over a breakpoint, and execs while ptk reads its memory; the gdbserver's client
sending garbage and reconnecting; a --multi gdbserver that outlives the detach of a vfork
parent in D state lets it go once it stops.
"""
import os
import re
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'gdbserver'))
from harness import PTK, check, eq, fail, main, run, test, text, tracee  # noqa: E402
from gslib import Raw, Server, frame  # noqa: E402

# A bounded wait is a hang guard, never a measurement: it ends as soon as the outcome is seen.
GUARD = 10


def status(pid):
    """(state letter, TracerPid) from /proc/PID/status, or (None, None) once it is gone."""
    try:
        with open('/proc/%d/status' % pid) as f:
            s = f.read()
    except OSError:
        return None, None
    return (re.search(r'^State:\s+(\S)', s, re.M).group(1),
            int(re.search(r'^TracerPid:\s+(\d+)', s, re.M).group(1)))


def threads_of(pid):
    try:
        return [int(t) for t in os.listdir('/proc/%d/task' % pid)]
    except OSError:
        return []


def wait_for(cond, what, secs=GUARD):
    end = time.monotonic() + secs
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.01)
    fail('never happened within %d s: %s' % (secs, what))


def gone_or_zombie(pid):
    return status(pid)[0] in (None, 'Z')


def running_untraced(pid):
    """Every thread of pid exists, is not stopped and has no tracer."""
    tids = threads_of(pid)
    if not tids:
        return False
    for t in tids:
        st, tr = status(t)
        if st not in ('R', 'S') or tr != 0:
            return False
    return True


def describe(pid):
    return ', '.join('%d: %r' % (t, status(t)) for t in threads_of(pid)) or '%d gone' % pid


def kill_all(pids):
    for p in pids:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass


def readline_of(p, prefix):
    """The words after prefix on the next line of p's stdout that starts with it (ptk
    debug's own lines, such as "[New Thread ...]", come in between)."""
    seen = []
    while True:
        ln = text(p.stdout.readline())
        if not ln:
            fail('no %r line; got %r' % (prefix, seen))
        if ln.startswith(prefix):
            return ln.split()[1:]
        seen.append(ln)


def children(pid):
    try:
        with open('/proc/%d/task/%d/children' % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


# ---- SIGKILL to the front end ------------------------------------------------------


@test
def sigkill_trace_spawned_tree_dies():
    """ptk trace -f killed: the spawned process and its (followed) children all die."""
    t = subprocess.Popen([PTK, 'trace', '-f', '-o', '/dev/null', tracee('faults'), 'tree', '2'],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    pids = []
    try:
        pid = int(readline_of(t, 'ready ')[0])
        pids.append(pid)
        t.stdin.write(b'\n')
        t.stdin.flush()
        kids = [int(k) for k in readline_of(t, 'kids ')]
        pids += kids
        for k in kids:
            wait_for(lambda: len(threads_of(k)) == 2 and
                     all(status(x)[1] == t.pid for x in threads_of(k)), 'child %d traced' % k)
        t.kill()
        t.communicate(timeout=GUARD)
        for p in pids:
            wait_for(lambda: gone_or_zombie(p), 'tracee %d killed (%s)' % (p, describe(p)))
    finally:
        kill_all(pids)
        if t.poll() is None:
            t.kill()
            t.communicate()


@test
def sigkill_trace_attached_tree_runs_on():
    """ptk trace -f -p killed: the attached process and the children it forked under
    trace run on, untraced, none in 't'."""
    p = subprocess.Popen([tracee('faults'), 'tree', '2'], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE)
    kids = []
    try:
        pid = int(readline_of(p, 'ready ')[0])
        t = subprocess.Popen([PTK, 'trace', '-f', '-o', '/dev/null', '-p', str(pid)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            check(text(t.stderr.readline()).startswith('ptk trace: Process %d attached' % pid))
            p.stdin.write(b'\n')
            p.stdin.flush()
            kids = [int(k) for k in readline_of(p, 'kids ')]
            for k in kids:
                wait_for(lambda: len(threads_of(k)) == 2 and
                         all(status(x)[1] == t.pid for x in threads_of(k)),
                         'child %d traced' % k)
            t.kill()
            t.communicate(timeout=GUARD)
        finally:
            if t.poll() is None:
                t.kill()
                t.communicate()
        for q in [pid] + kids:
            wait_for(lambda: running_untraced(q), 'process %d runs on (%s)' % (q, describe(q)))
    finally:
        kill_all(kids + [p.pid])
        p.communicate()


@test
def sigkill_debug_spawned_dies_attached_runs_on():
    # Spawned: `run` with the program's stdin at EOF, so tree 0 goes straight to sleep.
    t = subprocess.Popen([PTK, 'debug', '-batch', '-ex', 'run', '--args', tracee('faults'),
                          'tree', '0'], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    pid = None
    try:
        pid = int(readline_of(t, 'ready ')[0])
        readline_of(t, 'kids')
        wait_for(lambda: status(pid)[1] == t.pid, 'program traced by ptk debug')
        t.kill()
        t.communicate(timeout=GUARD)
        wait_for(lambda: gone_or_zombie(pid), 'spawned program killed (%s)' % describe(pid))
    finally:
        if pid:
            kill_all([pid])
        if t.poll() is None:
            t.kill()
            t.communicate()
    # Attached: it is stopped at the prompt when ptk debug is killed, and runs on after.
    p = subprocess.Popen([tracee('faults'), 'tree', '0'], stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE)
    try:
        readline_of(p, 'ready ')
        readline_of(p, 'kids')
        t = subprocess.Popen([PTK, 'debug', '-q', '-p', str(p.pid)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            wait_for(lambda: all(status(x) == ('t', t.pid) for x in threads_of(p.pid)),
                     'both threads stopped under ptk debug')
            t.kill()
            t.communicate(timeout=GUARD)
        finally:
            if t.poll() is None:
                t.kill()
                t.communicate()
        wait_for(lambda: running_untraced(p.pid), 'runs on (%s)' % describe(p.pid))
    finally:
        p.kill()
        p.communicate()


@test
def sigkill_gdbserver_spawned_dies_attached_runs_on():
    srv = Server([tracee('faults'), 'tree', '0'])
    try:
        raw = Raw(srv.port)
        raw.send('vCont;c')
        eq(text(srv.p.stdout.readline()), 'ready %d\n' % srv.pid, 'program running')
        srv.p.kill()
        srv.p.communicate(timeout=GUARD)
        raw.close()
        wait_for(lambda: gone_or_zombie(srv.pid), 'spawned program killed (%s)' %
                 describe(srv.pid))
    finally:
        kill_all([srv.pid])
        srv.kill()
    p = subprocess.Popen([tracee('faults'), 'tree', '0'], stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE)
    try:
        readline_of(p, 'ready ')
        srv = Server(['--attach', str(p.pid)])
        try:
            raw = Raw(srv.port)
            check(raw.cmd('?').startswith('T'), 'stopped at the attach')
            eq([status(x) for x in threads_of(p.pid)], [('t', srv.p.pid)] * 2, 'stopped')
            srv.p.kill()
            srv.p.communicate(timeout=GUARD)
            raw.close()
        finally:
            srv.kill()
        wait_for(lambda: running_untraced(p.pid), 'runs on (%s)' % describe(p.pid))
    finally:
        p.kill()
        p.communicate()


# ---- SIGINT/SIGTERM/SIGHUP with an attached process -------------------------------


@test
def signals_debug_attached_detach_and_run_on():
    """SIGTERM and SIGHUP to ptk debug: it detaches and dies of the signal (SIGINT
    interrupts the program instead: tests/debug)."""
    for sig, running in ((signal.SIGTERM, True), (signal.SIGHUP, False)):
        p = subprocess.Popen([tracee('faults'), 'tree', '0'], stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE)
        try:
            readline_of(p, 'ready ')
            t = subprocess.Popen([PTK, 'debug', '-q', '-p', str(p.pid)], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            try:
                wait_for(lambda: all(status(x) == ('t', t.pid) for x in threads_of(p.pid)),
                         'stopped under ptk debug')
                if running:  # let it run first: the signal comes while ptk waits for it
                    t.stdin.write(b'continue\n')
                    t.stdin.flush()
                    wait_for(lambda: all(status(x)[0] in 'RS' for x in threads_of(p.pid)),
                             'continued')
                t.send_signal(sig)
                t.communicate(timeout=GUARD)
            finally:
                if t.poll() is None:
                    t.kill()
                    t.communicate()
            eq(t.returncode, -sig, 'ptk debug dies of %s' % signal.Signals(sig).name)
            check(running_untraced(p.pid), '%s: runs on (%s)' % (signal.Signals(sig).name,
                                                                 describe(p.pid)))
        finally:
            p.kill()
            p.communicate()


@test
def signals_gdbserver_attached_detach_and_run_on():
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        p = subprocess.Popen([tracee('faults'), 'tree', '0'], stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE)
        try:
            readline_of(p, 'ready ')
            srv = Server(['--attach', str(p.pid)])
            try:
                raw = Raw(srv.port)
                check(raw.cmd('?').startswith('T'), 'stopped at the attach')
                srv.p.send_signal(sig)
                out, err, rc = srv.finish(timeout=GUARD)
                raw.close()
            finally:
                srv.kill()
            eq(rc, 128 + sig, 'gdbserver status after %s' % signal.Signals(sig).name)
            check(running_untraced(p.pid), '%s: runs on (%s)' % (signal.Signals(sig).name,
                                                                 describe(p.pid)))
        finally:
            p.kill()
            p.communicate()


@test
def signals_gdbserver_spawned_killed():
    for sig in (signal.SIGINT, signal.SIGHUP):  # SIGTERM: tests/gdbserver/test_cli.py
        srv = Server([tracee('faults'), 'tree', '0'])
        try:
            raw = Raw(srv.port)
            raw.send('vCont;c')
            eq(text(srv.p.stdout.readline()), 'ready %d\n' % srv.pid, 'program running')
            srv.p.send_signal(sig)
            out, err, rc = srv.finish(timeout=GUARD)  # fails if the program is left
            raw.close()
        finally:
            kill_all([srv.pid])
            srv.kill()
        eq(rc, 128 + sig, 'gdbserver status after %s' % signal.Signals(sig).name)


def vfork_parent_in_d():
    p = subprocess.Popen([tracee('trace_mix'), 'vfork_sleep'], stdout=subprocess.PIPE)
    pid = int(readline_of(p, 'ready ')[0])
    wait_for(lambda: status(pid)[0] == 'D' and children(pid), 'vfork parent in D state')
    return p, children(pid)


@test
def signals_debug_and_gdbserver_with_vfork_parent_in_d_state():
    """Attached to a vfork parent in D state (it cannot stop until its child is done),
    SIGTERM/SIGHUP/SIGINT end ptk debug and ptk gdbserver; the parent is not left
    stopped or traced."""
    cases = [(['debug', '-q', '-p'], signal.SIGTERM, -signal.SIGTERM),
             (['debug', '-q', '-p'], signal.SIGHUP, -signal.SIGHUP),
             (['gdbserver', '127.0.0.1:0', '--attach'], signal.SIGTERM, 128 + signal.SIGTERM),
             (['gdbserver', '127.0.0.1:0', '--attach'], signal.SIGINT, 128 + signal.SIGINT)]
    for argv, sig, want in cases:
        p, kids = vfork_parent_in_d()
        try:
            t = subprocess.Popen([PTK] + argv + [str(p.pid)], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            try:
                wait_for(lambda: status(p.pid)[1] == t.pid, 'attached')
                t.send_signal(sig)
                t.communicate(timeout=GUARD)  # the child sleeps 20 s: no waiting it out
            finally:
                if t.poll() is None:
                    t.kill()
                    t.communicate()
            what = '%s %s' % (argv[0], signal.Signals(sig).name)
            eq(t.returncode, want, what + ': status')
            eq(status(p.pid), ('D', 0), what + ': still in its vfork, untraced')
        finally:
            kill_all(kids)
            p.kill()
            p.communicate()


@test
def gdbserver_multi_detach_releases_vfork_parent_in_d_state():
    """A --multi server outlives its client: the client attaches to a vfork parent in D
    state (it cannot stop), detaches it (D answers OK though it could not stop it) and
    goes away.  Once the vfork child is gone the parent stops at last, and the server,
    waiting for its next client, lets it go: untraced, it runs to its end.  The server
    still serves."""
    srv = Server([], opts=['--multi'])
    p, kids = vfork_parent_in_d()
    try:
        raw = Raw(srv.port)
        eq(raw.cmd('!'), 'OK', 'extended mode')
        check(raw.cmd('vAttach;%x' % p.pid).startswith('T'), 'vAttach stop reply')
        eq(status(p.pid), ('D', srv.p.pid), 'attached, still in its vfork')
        eq(raw.cmd('D;%x' % p.pid), 'OK', 'detach')
        eq(status(p.pid), ('D', srv.p.pid), 'cannot stop, so still traced')
        raw.close()
        kill_all(kids)
        wait_for(lambda: status(p.pid)[1] == 0, 'parent untraced (%s)' % describe(p.pid))
        check(srv.p.poll() is None, 'the server is still running')
        eq(text(p.stdout.readline()), 'child done\n', 'the parent runs on')
        eq(p.wait(timeout=GUARD), 0, 'the parent\'s exit status')
        raw = Raw(srv.port)
        eq(raw.cmd('?'), 'W00', 'the next client finds no process')
        srv.p.send_signal(signal.SIGTERM)
        out, err, rc = srv.finish(timeout=GUARD)
        raw.close()
        eq(rc, 128 + signal.SIGTERM, 'server status after SIGTERM')
    finally:
        kill_all(kids)
        srv.kill()  # first: a traced parent is reaped by its tracer before us
        p.kill()
        p.communicate()


@test
def debug_attach_gives_up_on_vfork_parent_in_d_state():
    """`ptk debug -p` of a vfork parent in D state (it cannot stop until its child is
    done): after a second ptk says which thread holds it up and that Ctrl-C gives up
    (gdb waits without a word).  Ctrl-C leaves the attach: an error line, the prompt,
    the parent still traced.  Once the vfork child is gone the parent stops at last,
    and ptk, waiting at its prompt, lets it go at once (not at its next command or
    at exit): untraced, it runs to its end."""
    p, kids = vfork_parent_in_d()
    t = subprocess.Popen([PTK, 'debug', '-q', '-p', str(p.pid)], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        eq(text(t.stderr.readline()),
           'warning: thread %d of process %d has not stopped in 1 s (state D: '
           'uninterruptible sleep, such as a vfork parent waiting for its child); still '
           'waiting: Ctrl-C gives up\n' % (p.pid, p.pid), 'the notice')
        eq(status(p.pid), ('D', t.pid), 'being attached')
        t.send_signal(signal.SIGINT)
        eq(text(t.stderr.readline()),
           'Quit: not attached to process %d (its thread %d did not stop, state D)\n'
           % (p.pid, p.pid), 'the error line')
        eq(status(p.pid), ('D', t.pid), 'cannot stop, so still traced')
        kill_all(kids)
        wait_for(lambda: status(p.pid)[1] == 0, 'parent untraced (%s)' % describe(p.pid))
        check(t.poll() is None, 'ptk debug still at its prompt')
        eq(text(p.stdout.readline()), 'child done\n', 'the parent runs on')
        eq(p.wait(timeout=GUARD), 0, 'the parent\'s exit status')
        out, err = t.communicate(b'print 6*7\n', timeout=GUARD)
        eq(text(out), 'Attaching to process %d\n(ptk) $1 = 42\n(ptk) ' % p.pid, 'stdout')
        eq(t.returncode, 0, 'ptk debug status')
    finally:
        kill_all(kids)
        if t.poll() is None:
            t.kill()
            t.communicate()
        p.kill()
        p.communicate()


# ---- tracees lost at awkward moments ----------------------------------------------


@test
def debug_tracee_killed_while_stopped():
    """The program is stopped (SIGINT from outside makes ptk debug interrupt it) when
    something else SIGKILLs it: `continue` reports its death, ptk goes on."""
    t = subprocess.Popen([PTK, 'debug', '-q', '--args', tracee('faults'), 'tree', '0'],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        t.stdin.write(b'run\n')
        t.stdin.flush()
        pid = int(readline_of(t, 'ready ')[0])  # then it reads stdin (ours): it blocks
        t.send_signal(signal.SIGINT)
        wait_for(lambda: all(status(x) == ('t', t.pid) for x in threads_of(pid)),
                 'all threads stopped')
        os.kill(pid, signal.SIGKILL)
        out, err = t.communicate(b'continue\ninfo threads\n', timeout=60)
    finally:
        if t.poll() is None:
            t.kill()
            t.communicate()
    o = text(out).splitlines()
    check(any(re.fullmatch(r'(Program|Thread 1 "faults") received signal SIGINT, '
                           r'Interrupt\.', ln) for ln in o), o)
    check('Program terminated with signal SIGKILL, Killed.' in o, o)
    check('The program no longer exists.' in o, o)
    check(o[-2].endswith('(ptk) No threads.'), 'info threads after: %r' % o[-2:])
    eq(t.returncode, 0, 'ptk debug status (stderr %r)' % err)


@test
def gdbserver_tracee_killed_while_stopped():
    srv = Server([tracee('faults'), 'tree', '0'])
    try:
        raw = Raw(srv.port)
        check(raw.cmd('?').startswith('T'), 'stopped at its first instruction')
        os.kill(srv.pid, signal.SIGKILL)
        eq(raw.cmd('c'), 'X09', 'reply to c: killed by SIGKILL')
        raw.close()
        out, err, rc = srv.finish(timeout=GUARD)
    finally:
        srv.kill()
    eq(rc, 0, 'server status')


@test
def debug_exit_while_stepping_over_breakpoint():
    # The breakpoint is on exit_group's syscall instruction: stepping over it ends the
    # process; with threads hitting another breakpoint meanwhile, each step-over may
    # meet the end.
    r = run([PTK, 'debug', '-batch', '-ex', 'break *exit_insn', '-ex', 'run', '-ex', 'continue',
             '--args', tracee('faults'), 'exit_insn'], timeout=60, stdin=subprocess.DEVNULL)
    o = text(r.stdout).splitlines()
    check(re.fullmatch(r'\[Inferior 1 \(process \d+\) exited with code 07\]', o[-1]), o)
    eq(r.returncode, 0, 'status (stderr %r)' % r.stderr)
    r = run([PTK, 'debug', '-batch', '-ex', 'break hot', '-ex', 'run', '-ex', 'ignore 1 1000000',
             '-ex', 'continue', '--args', tracee('faults'), 'exit_threads', '3'], timeout=120,
            stdin=subprocess.DEVNULL)
    o = text(r.stdout).splitlines()
    check(re.fullmatch(r'\[Inferior 1 \(process \d+\) exited with code 07\]', o[-1]), o[-5:])
    eq(r.returncode, 0, 'status (stderr %r)' % r.stderr[-500:])


@test
def gdbserver_exit_while_stepping_over_breakpoint():
    srv = Server([tracee('faults'), 'exit_insn'])
    try:
        raw = Raw(srv.port)
        addr = None
        for ln in text(run(['nm', tracee('faults')]).stdout).splitlines():
            f = ln.split()
            if len(f) == 3 and f[2] == 'exit_insn':
                addr = int(f[0], 16)
        check(addr is not None, 'exit_insn in nm output')
        # A PIE without ASLR under the server: its base from the exec file's mapping.
        base = None
        with open('/proc/%d/maps' % srv.pid) as m:
            for ln in m:
                if ln.rstrip().endswith('/faults'):
                    base = int(ln.split('-')[0], 16)
                    break
        eq(raw.cmd('Z0,%x,1' % (base + addr)), 'OK', 'breakpoint set')
        stop = raw.cmd('c')
        check(stop.startswith('T05'), 'a SIGTRAP stop: %r' % stop)
        rip = re.search(r'(?:^T05|;)10:([0-9a-f]{16});', stop)
        check(rip, 'no rip in %r' % stop)
        eq(int.from_bytes(bytes.fromhex(rip.group(1)), 'little'), base + addr, 'rip')
        eq(raw.cmd('c'), 'W07', 'exit reply after stepping over the breakpoint')
        raw.close()
        out, err, rc = srv.finish(timeout=GUARD)
    finally:
        srv.kill()
    eq(rc, 0, 'server status')


@test
def trace_exec_while_reading_memory():
    """Threads write 64 KiB buffers (ptk reads them for -s 65536) while main execs, six
    times in a chain: output and status as untraced, one successful execve per link."""
    argv = [tracee('faults'), 'exec_read', '5']
    u = run(argv, timeout=60)
    eq(text(u.stdout), 'exec chain done\n', 'untraced output')
    eq(u.returncode, 5, 'untraced status')
    out = '/tmp/ptk-faults-exec-%d' % os.getpid()
    try:
        r = run([PTK, 'trace', '-f', '-s', '65536', '-o', out] + argv, timeout=120)
        eq(text(r.stdout), 'exec chain done\n', 'traced output')
        eq(r.returncode, 5, 'status under ptk trace (stderr %r)' % r.stderr[-300:])
        eq(text(r.stderr), '', 'ptk stderr')
        with open(out, errors='replace') as f:
            tr = f.read()
    finally:
        if os.path.exists(out):
            os.unlink(out)
    execs = re.findall(r'execve\("[^"]*faults", \["[^"]*", "exec_read", "(\d)"\]', tr)
    eq(execs, ['5', '4', '3', '2', '1', '0'], 'execve calls in order')
    eq(len(re.findall(r'execve(?:\(.*\)| resumed>.*\)) += 0$', tr, re.M)), 6,
       'successful execve lines')
    check(re.search(r'^\d+ +\+\+\+ exited with 5 \+\+\+$', tr, re.M), 'exit line')


# ---- the gdbserver's client misbehaving -------------------------------------------

GARBAGE = [
    b'hello\r\n',                      # text outside any packet: ignored
    b'\x00\xff\x7f#zz',                # bytes and a stray '#': ignored
    b'$qC#zz',                         # a checksum that is not hex
    b'$m0,8$?#3f',                     # a '$' inside a packet restarts it
    b'$' + b'A' * 70000 + b'#00',      # far past PacketSize
    b'$}#7d',                          # an escape with nothing to escape
    b'$m*#00',                         # a run-length marker in a packet
    frame('m'), frame('Z0,zz,1'), frame('p' + 'f' * 40), frame('vCont;q'), frame('H'),
]


@test
def gdbserver_survives_garbage():
    srv = Server([tracee('faults'), 'exit_insn'])
    try:
        raw = Raw(srv.port)
        for g in GARBAGE:
            raw.send_raw(g)
            # Whatever it answered (nothing, an E reply, an empty reply), it still serves:
            # a well-formed packet after the garbage gets its right answer.
            raw.send('qC')
            while True:
                rep = raw.reply()
                if rep.startswith('QC'):
                    break
                check(rep == '' or rep.startswith(('E', 'T', 'S')), 'reply %r to %r' %
                      (rep[:40], g[:40]))
        eq(raw.cmd('c'), 'W07', 'the program still runs to its end')
        raw.close()
        out, err, rc = srv.finish(timeout=GUARD)
    finally:
        srv.kill()
    eq(rc, 0, 'server status')


@test
def gdbserver_reconnect():
    # --multi: the server outlives its client; the next client is served.
    srv = Server([], opts=['--multi'])
    try:
        for _ in range(3):
            raw = Raw(srv.port)
            check(raw.cmd('qSupported:multiprocess+').startswith('PacketSize='), 'qSupported')
            raw.send_raw(b'$qSupp')  # and go away mid-packet
            raw.close()
        raw = Raw(srv.port)
        eq(raw.cmd('!'), 'OK', 'extended mode')
        raw.close()
        srv.p.send_signal(signal.SIGTERM)
        out, err, rc = srv.finish(timeout=GUARD)
    finally:
        srv.kill()
    eq(rc, 128 + signal.SIGTERM, 'status')
    eq(err.count('remote debugging from'), 4, 'clients served: %r' % err)
    # (the SIGTERM may come before the server has seen the last client go)
    check(err.count('client gone; listening on') >= 3, 'listening again after each: %r' % err)
    # Without --multi the server ends with its first client: a second one is refused.
    srv = Server([tracee('faults'), 'exit_insn'])
    try:
        raw = Raw(srv.port)
        raw.close()
        out, err, rc = srv.finish(timeout=GUARD)
    finally:
        srv.kill()
    eq(rc, 0, 'status after the client left')
    try:
        socket.create_connection(('127.0.0.1', srv.port), timeout=5).close()
        fail('a second client was accepted')
    except OSError:
        pass


if __name__ == '__main__':
    sys.exit(main())
