#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""SIGINT, SIGTERM and SIGHUP to ptk trace: attached processes are detached and run on
(never left in 't'), spawned ones get the signal as from strace, ptk dies of the signal,
and a vfork parent in D state does not keep ptk from exiting."""
import os
import signal
import subprocess
import time

from trace_util import (lines, mix, popen, proc_state, read_ready, tracer_of, wait_gone)
from harness import PTK, check, dispositions_alone, eq, ignoring, main, status_lines, test

SIGS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def attached(t):
    """Block until ptk announces the attach (its first stderr line), not a fixed sleep."""
    return t.stderr.readline().decode().rstrip('\n')


def finish(t, sig, first=None):
    t.send_signal(sig)
    out, err = t.communicate(timeout=30)  # a hang fails the case
    return t.returncode, ([first] if first is not None else []) + lines(err)


def children_of(pid):
    try:
        with open('/proc/%d/task/%d/children' % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def in_vfork(pid, secs=15):
    """Wait until trace_mix vfork_sleep (pid) sleeps in D state with its vfork child
    started (the child sleeps 20 s: a deadline, not a number of tries)."""
    end = time.monotonic() + secs
    while not (proc_state(pid) == 'D' and children_of(pid)):
        if time.monotonic() > end:
            return False
        time.sleep(0.02)
    return True


@test
def attached_processes_run_on():
    for sig in SIGS:
        p = subprocess.Popen([mix(), 'ready', '60'], stdout=subprocess.PIPE)
        try:
            pid = read_ready(p)
            t = popen(['-p', str(pid)])
            rc, err = finish(t, sig, attached(t))
            eq(rc, -sig, 'ptk dies of %s' % signal.Signals(sig).name)
            check('ptk trace: Process %d detached' % pid in err, err)
            check(proc_state(pid) in ('S', 'R'), 'still running, not stopped')
            eq(tracer_of(pid), 0)
        finally:
            p.kill()
            p.wait()


@test
def spawned_program_gets_the_signal():
    for extra in ([], ['-e', 'trace=getppid']):  # syscall stops, and under the filter
        for sig in SIGS:
            t = popen(extra + [mix(), 'ready', '60'])
            pid = read_ready(t)
            rc, err = finish(t, sig)
            eq(rc, -sig, '%r %s: ptk dies of the signal' % (extra, signal.Signals(sig).name))
            check(wait_gone(pid), 'the program ended')


def int_under_filter(*linger, again=False):
    """trace_mix int_handler [LINGER] under ptk's filter (-e trace=write), sent SIGINT once
    it is ready, and again once it printed "got INT" if again: (ptk's exit code, the
    program's output, ptk's stderr lines)."""
    t = popen(['-e', 'trace=write', mix(), 'int_handler'] + list(linger))
    read_ready(t)
    t.send_signal(signal.SIGINT)
    head = b''
    if again:
        head = t.stdout.readline()
        t.send_signal(signal.SIGINT)
    out, err = t.communicate(timeout=30)
    return t.returncode, head + out, lines(err)


@test
def spawned_program_with_a_handler():
    # Without a filter it is detached, as strace does, and handles the signal untraced.
    t = popen([mix(), 'int_handler'])
    pid = read_ready(t)
    rc, err = finish(t, signal.SIGINT)
    eq(rc, -signal.SIGINT)
    check('ptk trace: Process %d detached' % pid in err, err)
    check(wait_gone(pid), 'it handled SIGINT and exited')
    # Under ptk's filter it cannot run on untraced: ptk sees it handle the signal and end.
    rc, out, err = int_under_filter()
    eq(rc, -signal.SIGINT)
    eq(out, b'got INT\n')
    check('write(1, "got INT\\n", 8)                = 8' in err, err)
    eq(err[-1], '+++ exited with 3 +++')


@test
def spawned_program_under_the_filter_has_time_to_finish():
    # Under ptk's filter the program cannot be detached: ptk traces it while it acts on
    # the signal, here 0.5 s of cleanup and one more write, before its grace (2 s) ends.
    rc, out, err = int_under_filter('500')
    eq(rc, -signal.SIGINT)
    eq(out, b'got INT\ndone\n')
    eq(err[-3:], ['write(1, "got INT\\n", 8)                = 8',
                  'write(1, "done\\n", 5)                   = 5', '+++ exited with 3 +++'])
    # A second signal ends the grace: what is left is killed, and ptk dies of the signal.
    rc, out, err = int_under_filter('60000', again=True)
    eq(rc, -signal.SIGINT)
    eq(out, b'got INT\n')
    eq(err[-1], '+++ killed by SIGKILL +++')


@test
def vfork_parent_in_d_state_does_not_block_exit():
    for extra in ([], ['-e', 'trace=getppid']):
        t = popen(['-f'] + extra + [mix(), 'vfork_sleep'])
        pid = read_ready(t)
        in_vfork(pid)
        eq(proc_state(pid), 'D', 'the vfork parent sleeps in D state')
        kids = children_of(pid)
        t0 = time.monotonic()
        t.send_signal(signal.SIGINT)
        # The tracees hold ptk's stdout and stderr: wait for ptk itself, not for EOF.
        rc = t.wait(timeout=30)
        took = time.monotonic() - t0
        eq(rc, -signal.SIGINT)
        print('ptk exited %.2f s after SIGINT (%r)' % (took, extra))
        for p in [pid] + kids:
            check(proc_state(p) != 't', 'process %d is not left stopped' % p)
            check(tracer_of(p) in (0, None), 'process %d is not traced any more' % p)
        for k in kids:
            try:
                os.kill(k, signal.SIGKILL)
            except ProcessLookupError:
                pass
        check(wait_gone(pid, 30), 'the parent ends once its child is gone')
        for k in kids:
            wait_gone(k)
        t.communicate(timeout=30)


@test
def attached_vfork_parent_in_d_state():
    p = subprocess.Popen([mix(), 'vfork_sleep'], stdout=subprocess.PIPE)
    try:
        pid = read_ready(p)
        check(in_vfork(pid), 'the vfork parent sleeps in D state')
        t = popen(['-p', str(pid)])
        rc, err = finish(t, signal.SIGTERM, attached(t))
        eq(rc, -signal.SIGTERM)
        eq(err[0], 'ptk trace: Process %d attached' % pid)
        eq(proc_state(pid), 'D', 'still waiting for its vfork child, not stopped')
        eq(tracer_of(pid), 0)
    finally:
        kids = children_of(p.pid)
        for k in kids:
            os.kill(k, signal.SIGKILL)
        p.kill()
        p.wait()
        for k in kids:
            wait_gone(k)



FATAL_AND_ALRM = (signal.SIGHUP, signal.SIGINT, signal.SIGPIPE, signal.SIGTERM, signal.SIGQUIT,
                  signal.SIGALRM, signal.SIGUSR2)


@test
def program_keeps_the_signals_ptk_was_started_with_ignored():
    """ptk catches (or, with -o, blocks) the fatal signals and SIGALRM for itself; a
    program it starts still gets exactly the dispositions ptk was started with
    (`nohup ptk trace ...` leaves SIGHUP ignored in the program, as strace does)."""
    argv = ['/bin/sh', '-c', 'exec cat /proc/self/status']
    want = dispositions_alone(argv, FATAL_AND_ALRM)
    for opts in (['-e', 'trace=none'], ['-o', '/dev/null'], ['-f', '-e', 'trace=none']):
        r = subprocess.run([PTK, 'trace'] + opts + ['--'] + argv, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           preexec_fn=ignoring(*FATAL_AND_ALRM), timeout=60)
        eq((opts, status_lines(r.stdout), r.returncode), (opts, want, 0))


if __name__ == '__main__':
    raise SystemExit(main())
