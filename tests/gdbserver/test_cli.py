#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`ptk gdbserver` on the command line: each error is one line that names the cause and
the fix, with a non-zero status and nothing left running (bad COMM, port in use, missing
program, attach to a process that cannot be traced); a non-loopback address is served
with a warning; the address and the pid are printed; SIGTERM ends what was spawned."""
import os
import re
import signal
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gslib import PTK, Server, Spinner, check, eq, text, tracee, wait_gone  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from harness import dispositions_alone, ignoring, main, run, status_lines, test  # noqa: E402


def one_error_line(r, status, pattern):
    err = text(r.stderr)
    eq(r.returncode, status, 'exit status (stderr %r)' % err)
    first = err.splitlines()[0] if err else ''
    check(re.fullmatch(pattern, first), 'error line %r does not match %r' % (first, pattern))
    eq(text(r.stdout), '', 'stdout')


@test
def cli_bad_comm():
    for comm, why in [('nocolon', 'no port'), ('127.0.0.1:99999', r"'99999' is not a port.*"),
                      ('127.0.0.1:x', r"'x' is not a port.*")]:
        r = run([PTK, 'gdbserver', comm, tracee('gs_basic')], timeout=30)
        one_error_line(r, 2, r"ptk gdbserver: bad COMM '%s': %s; use HOST:PORT, :PORT, "
                       r"unix:PATH or -" % (re.escape(comm), why))


@test
def cli_usage_errors():
    r = run([PTK, 'gdbserver', ':0'], timeout=30)
    one_error_line(r, 2, r'ptk gdbserver: no program: give PROG \[ARGS\.\.\.\], --attach PID '
                   r'or --multi')
    r = run([PTK, 'gdbserver', ':0', '--attach', 'abc'], timeout=30)
    one_error_line(r, 2, r"ptk gdbserver: 'abc' is not a process id")
    r = run([PTK, 'gdbserver', '--bogus', ':0', 'x'], timeout=30)
    one_error_line(r, 2, r"ptk gdbserver: unknown option '--bogus'")
    r = run([PTK, 'gdbserver', '--help'], timeout=30)
    eq(r.returncode, 0, 'status of --help')
    check(text(r.stdout).startswith('usage: ptk gdbserver'), 'help text')


@test
def cli_port_in_use():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    s.listen(1)
    port = s.getsockname()[1]
    try:
        r = run([PTK, 'gdbserver', '127.0.0.1:%d' % port, tracee('gs_basic')], timeout=30)
    finally:
        s.close()
    one_error_line(r, 1, r'ptk gdbserver: cannot listen on 127\.0\.0\.1:%d: Address already in '
                   r'use; choose another port \(or :0 for any free one\) or stop the program '
                   r'that uses it' % port)


@test
def cli_missing_program():
    r = run([PTK, 'gdbserver', ':0', '/nonexistent/prog'], timeout=30)
    one_error_line(r, 1, r"ptk gdbserver: cannot run '/nonexistent/prog': .*")


@test
def cli_attach_errors():
    r = run([PTK, 'gdbserver', ':0', '--attach', '999999999'], timeout=30)
    one_error_line(r, 1, r'ptk gdbserver: cannot attach to 999999999.*')
    # A process already traced by someone else: the explanation names the tracer.
    sp = Spinner()
    try:
        srv = Server(['--attach', str(sp.pid)])
        try:
            r = run([PTK, 'gdbserver', ':0', '--attach', str(sp.pid)], timeout=30)
            one_error_line(r, 1, r'ptk gdbserver: cannot attach to %d( \(gs_basic\))?: .*traced '
                           r'by %d.*' % (sp.pid, srv.p.pid))
        finally:
            srv.p.send_signal(signal.SIGTERM)
            srv.finish()
    finally:
        sp.close()


@test
def cli_non_loopback_warning_and_sigterm():
    srv = Server([tracee('gs_basic'), 'spin'], comm='0.0.0.0:0', opts=['--allow-remote'])
    try:
        err = text(srv.err)
        check(re.search(r'ptk gdbserver: warning: listening on 0\.0\.0\.0:\d+, which is not a '
                        r'loopback address: the protocol has no authentication', err),
              'no warning: %r' % err)
        check(re.search(r'ptk gdbserver: process .*/gs_basic created; pid = %d' % srv.pid, err),
              'no pid line: %r' % err)
        srv.p.send_signal(signal.SIGTERM)
        out, err, rc = srv.finish()
    finally:
        srv.kill()
    eq(rc, 128 + signal.SIGTERM, 'status after SIGTERM')
    check(wait_gone(srv.pid), 'spawned program left behind')


@test
def cli_loopback_default():
    srv = Server([tracee('gs_basic')], comm=':0')
    try:
        check(re.search(rb'listening on 127\.0\.0\.1:\d+', srv.err), 'address: %r' % srv.err)
        check(b'warning' not in srv.err, 'warning for loopback: %r' % srv.err)
        srv.p.send_signal(signal.SIGTERM)
        srv.finish()
    finally:
        srv.kill()


SOME_SIGNALS = (signal.SIGHUP, signal.SIGINT, signal.SIGPIPE, signal.SIGUSR2, signal.SIGCHLD)


@test
def cli_program_keeps_the_signals_the_server_was_started_with_ignored():
    """The server sets SIGCHLD to its default (to reap what it let go) and blocks the
    signals it reads through descriptors; the program still starts with exactly the
    dispositions the server was started with (as under nohup): here SIGHUP, SIGINT,
    SIGPIPE, SIGUSR2 and SIGCHLD ignored, nothing caught."""
    names = ('SigBlk', 'SigIgn', 'SigCgt')
    want = dispositions_alone(['cat', '/proc/self/status'], SOME_SIGNALS, names)
    srv = Server([tracee('gs_basic')], preexec_fn=ignoring(*SOME_SIGNALS))
    try:
        with open('/proc/%d/status' % srv.pid) as f:
            eq(status_lines(f.read(), names), want)
        srv.p.terminate()
        pout, perr, rc = srv.finish()
        eq(rc, 128 + signal.SIGTERM, "server status (stderr %r)" % perr)
        check(wait_gone(srv.pid), 'program still there')
    finally:
        srv.kill()


if __name__ == '__main__':
    sys.exit(main())
