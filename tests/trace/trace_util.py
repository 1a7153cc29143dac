# SPDX-License-Identifier: MIT
"""Helpers shared by ptk trace's end-to-end tests (tests/trace/test_*.py)."""
import os
import re
import select
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from harness import PTK, fail, run, skip, text, tracee  # noqa: E402,F401

STRACE = shutil.which('strace')


def mix():
    return tracee('trace_mix')


class Result:
    def __init__(self, pid, returncode, stdout, stderr):
        self.pid, self.returncode, self.stdout, self.stderr = pid, returncode, stdout, stderr


def ptrace(args, timeout=60, input=None, env=None):
    """Run `ptk trace ARGS`; returns pid (ptk's, the parent of what it spawns),
    returncode, stdout and stderr (bytes)."""
    p = subprocess.Popen([PTK, 'trace'] + args, stdin=subprocess.PIPE if input else
                         subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=env)
    try:
        out, err = p.communicate(input=input, timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        raise
    return Result(p.pid, p.returncode, out, err)


def strace(args, **kw):
    if not STRACE:
        skip('strace is not installed')
    return run([STRACE] + args, **kw)


def lines(b):
    return text(b).splitlines()


def trace_lines(b):
    """The trace's lines without ptk's and strace's status messages."""
    return [ln for ln in lines(b) if not ln.startswith(('ptk trace: ', 'strace: '))]


_PID = re.compile(r'\b\d{3,7}\b')
_ADDR = re.compile(r'0x[0-9a-f]{6,}')


def mask(line):
    """Hide pids and addresses, which differ from run to run."""
    return _ADDR.sub('0xADDR', _PID.sub('PID', line))


def stops_of(stderr_or_out):
    """The (stops, requests, syscalls) of the cost footer that -c and --stops print."""
    m = re.search(r'(\d+) stops and (\d+) ptrace requests \((\d+) resumes\) for (\d+) traced '
                  r'syscalls', text(stderr_or_out))
    if not m:
        fail('no cost footer in:\n' + text(stderr_or_out)[-2000:])
    return int(m.group(1)), int(m.group(2)), int(m.group(4))


def proc_state(pid):
    """The state letter of /proc/PID/stat, or None when the process is gone (or a zombie
    that was reaped)."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            st = f.read()
    except OSError:
        return None
    return st[st.rfind(')') + 2]


def tracer_of(pid):
    try:
        with open('/proc/%d/status' % pid) as f:
            for ln in f:
                if ln.startswith('TracerPid:'):
                    return int(ln.split()[1])
    except OSError:
        return None
    return None


def popen(args, **kw):
    """`ptk trace ARGS` with its stdout and stderr on pipes.  Unbuffered: a test reads a
    line (readline() then takes a byte at a time) and later communicate() reads the file
    descriptors themselves, past any buffer; a buffered readline() would keep what ptk
    wrote after that line where communicate() never looks."""
    return subprocess.Popen([PTK, 'trace'] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            bufsize=0, **kw)


def read_stderr_until(p, done, what, secs=30):
    """Read p's stderr (unbuffered, see popen) until done(what was read) is true; returns
    what was read, for the caller to put before what communicate() gets."""
    got = b''
    end = time.monotonic() + secs
    while not done(got):
        left = end - time.monotonic()
        if left <= 0:
            fail('not within %d s: %s; stderr so far %r' % (secs, what, got[-500:]))
        if not select.select([p.stderr], [], [], left)[0]:
            continue
        chunk = os.read(p.stderr.fileno(), 4096)
        if not chunk:
            fail('end of stderr before %s: %r' % (what, got[-500:]))
        got += chunk
    return got


def read_until_open_line(p, starts, secs=30):
    """Read p's stderr until a line that starts with one of starts has begun (see
    read_stderr_until).  ptk trace writes the open part of a syscall's line before it
    waits for the next stop, so this is the moment the call is known open."""
    return read_stderr_until(
        p, lambda got: any((b'\n' + got).find(b'\n' + s.encode()) >= 0 for s in starts),
        'a line starting with one of %r' % (starts,), secs)


def read_ready(p):
    """The pid a trace_mix scenario announces with "ready PID" on its stdout."""
    ln = p.stdout.readline().decode()
    if not ln.startswith('ready '):
        out, err = p.communicate(timeout=10)
        fail('no "ready" line: %r %r %r' % (ln, out, err))
    return int(ln.split()[1])


def wait_gone(pid, secs=10):
    """Wait until process pid has been reaped (by whoever is its parent now)."""
    import time
    end = time.monotonic() + secs
    while proc_state(pid) is not None and time.monotonic() < end:
        time.sleep(0.02)
    return proc_state(pid) is None


def wait_session_quiet(name='ptk', secs=10):
    """Wait until no process called name is left in our session (a -D tracer finishing)."""
    import time
    sid = os.getsid(0)
    end = time.monotonic() + secs
    while time.monotonic() < end:
        left = []
        for d in os.listdir('/proc'):
            if not d.isdigit():
                continue
            try:
                with open('/proc/%s/stat' % d) as f:
                    st = f.read()
            except OSError:
                continue
            comm = st[st.find('(') + 1:st.rfind(')')]
            rest = st[st.rfind(')') + 2:].split()
            if comm == name and int(rest[3]) == sid and int(d) != os.getpid():
                left.append(d)
        if not left:
            return True
        time.sleep(0.02)
    return False
