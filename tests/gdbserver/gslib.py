# SPDX-License-Identifier: MIT
"""Helpers of the gdbserver tests: start `ptk gdbserver` (or the installed gdbserver, for
comparisons) on a loopback port the kernel picks, drive gdb and lldb in batch mode, talk
raw RSP, mask what differs from run to run (pids, addresses, ports)."""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from harness import PTK, check, eq, fail, skip, text, tracee  # noqa: E402,F401

# Safety limits only: every wait below ends as soon as what it waits for happens.
START_TIMEOUT = 30
RUN_TIMEOUT = 180

CLIENT_ENV = dict(os.environ, DEBUGINFOD_URLS='', LC_ALL='C', TERM='dumb')


def need(tool):
    if not shutil.which(tool):
        skip('%s is not installed' % tool)


class Server:
    """A gdbserver (kind 'ptk' or 'gdbserver') serving argv, listening on a free port."""

    def __init__(self, args, kind='ptk', comm='127.0.0.1:0', opts=(), stdin=subprocess.DEVNULL,
                 preexec_fn=None):
        if kind == 'ptk':
            argv = [PTK, 'gdbserver'] + list(opts) + [comm] + list(args)
        else:
            need('gdbserver')
            argv = ['gdbserver', '--once'] + list(opts) + [comm] + list(args)
        self.kind = kind
        self.p = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, preexec_fn=preexec_fn)
        self.err = b''
        self.port = None
        self.pid = None
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            line = self.p.stderr.readline()
            if not line:
                break
            self.err += line
            m = re.search(rb'created; pid = (\d+)', line)
            if m:
                self.pid = int(m.group(1))
            m = re.search(rb'listening on .*:(\d+)$|Listening on port (\d+)', line.strip())
            if m:
                self.port = int(m.group(1) or m.group(2))
                return
            if b'listening on unix:' in line or b'listening on stdin' in line:
                return
        self.kill()
        fail('%s did not start listening: %r' % (kind, self.err))

    @property
    def addr(self):
        return '127.0.0.1:%d' % self.port

    def finish(self, timeout=60):
        """Wait for the server to end: (program stdout, server stderr, exit status).
        The program it spawned must be gone too (reaped, not a zombie)."""
        try:
            out, err = self.p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            fail('%s did not end after its client: %r' % (self.kind, self.err))
        self.err += err
        if self.pid and not wait_gone(self.pid):
            fail('%s left its program %d behind' % (self.kind, self.pid))
        return text(out), text(self.err), self.p.returncode

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
        self.p.communicate()


def gdb(server_addr, cmds, prog, extended=False, pre=(), timeout=RUN_TIMEOUT, target=None):
    """Run gdb in batch mode against a server; its combined output as text."""
    need('gdb')
    # A sanitizer build under load may take more than gdb's default 2 s to answer.
    argv = ['gdb', '-batch', '-nx', '-ex', 'set confirm off', '-ex', 'set width 0',
            '-ex', 'set height 0', '-ex', 'set remotetimeout 30']
    for c in pre:
        argv += ['-ex', c]
    argv += ['-ex', target or ('target %s %s' % ('extended-remote' if extended else 'remote',
                                                 server_addr))]
    for c in cmds:
        argv += ['-ex', c]
    if prog:
        argv.append(prog)
    r = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=timeout, env=CLIENT_ENV)
    return text(r.stdout)


def gdb_script(path, lines):
    with open(path, 'w') as f:
        f.write(''.join(l + '\n' for l in lines))
    return path


def lldb(server_addr, cmds, prog, timeout=RUN_TIMEOUT):
    need('lldb')
    argv = ['lldb', '-b', '--no-lldbinit', '-o', 'settings set use-color false',
            '-o', 'settings set plugin.process.gdb-remote.packet-timeout 30',
            '-o', 'gdb-remote %s' % server_addr]
    for c in cmds:
        argv += ['-o', c]
    argv.append(prog)
    r = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=timeout, env=CLIENT_ENV)
    return text(r.stdout)


def mask(t):
    """What changes from run to run: addresses, pids, ports, thread ids, cores."""
    t = re.sub(r'0x[0-9a-f]+', '0xADDR', t)
    t = re.sub(r'process \d+', 'process PID', t)
    t = re.sub(r'Thread \d+\.\d+', 'Thread P.T', t)
    t = re.sub(r'LWP \d+', 'LWP N', t)
    t = re.sub(r'127\.0\.0\.1:\d+', '127.0.0.1:PORT', t)
    t = re.sub(r'expected=\d+', 'expected=N', t)
    return t


def lines(t, drop=()):
    """The lines of t, without those matching any regex of drop."""
    return [l for l in t.splitlines() if not any(re.search(d, l) for d in drop)]


def pid_alive(pid):
    """Whether pid exists at all (a zombie still counts: someone must reap it)."""
    return os.path.exists('/proc/%d' % pid)


def proc_state(pid):
    """(state letter, TracerPid) of a process, or (None, None) if it is gone."""
    try:
        with open('/proc/%d/status' % pid) as f:
            s = f.read()
    except OSError:
        return None, None
    state = re.search(r'^State:\s+(\S)', s, re.M).group(1)
    tracer = int(re.search(r'^TracerPid:\s+(\d+)', s, re.M).group(1))
    return state, tracer


def wait_gone(pid, timeout=START_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.01)
    return False


class Spinner:
    """gs_basic spin, started untraced: its pid, killed at the end whatever happens."""

    def __init__(self, name='gs_basic', args=('spin',)):
        self.p = subprocess.Popen([tracee(name)] + list(args), stdout=subprocess.PIPE,
                                  stdin=subprocess.DEVNULL)
        line = self.p.stdout.readline()
        m = re.match(rb'spinning (\d+)', line)
        if not m:
            self.close()
            fail('spinner did not start: %r' % line)
        self.pid = int(m.group(1))

    def rest(self, timeout=60):
        out, _ = self.p.communicate(timeout=timeout)
        return text(out), self.p.returncode

    def close(self):
        if self.p.poll() is None:
            self.p.kill()
        self.p.communicate()


# ---- raw RSP ------------------------------------------------------------------------


def checksum(payload):
    return '%02x' % (sum(payload) & 0xff)


def frame(payload):
    if isinstance(payload, str):
        payload = payload.encode('latin1')
    return b'$' + payload + b'#' + checksum(payload).encode()


class Raw:
    """A raw RSP client: sends packets, reads replies (acks handled, RLE expanded)."""

    def __init__(self, port, noack=True):
        self.s = socket.create_connection(('127.0.0.1', port), timeout=START_TIMEOUT)
        self.buf = b''
        self.ack = True
        if noack:
            eq(self.cmd('QStartNoAckMode'), 'OK', 'QStartNoAckMode')
            self.ack = False

    def send_raw(self, data):
        self.s.sendall(data)

    def send(self, payload):
        self.s.sendall(frame(payload))

    def _fill(self):
        x = self.s.recv(65536)
        if not x:
            raise EOFError('server closed the connection')
        self.buf += x

    def read_frame(self):
        """The next $ or % frame: (lead, payload as latin1 text), acks skipped."""
        while True:
            while self.buf[:1] in (b'+', b'-'):
                self.buf = self.buf[1:]
            m = re.match(rb'([$%])([^#]*)#([0-9a-f]{2})', self.buf, re.S)
            if m:
                self.buf = self.buf[m.end():]
                lead, data = m.group(1).decode(), m.group(2)
                eq(checksum(data), m.group(3).decode(), 'checksum of %r' % data[:60])
                if lead == '$' and self.ack:
                    self.s.sendall(b'+')
                return lead, rle_decode(data).decode('latin1')
            self._fill()

    def reply(self):
        lead, data = self.read_frame()
        eq(lead, '$', 'a reply, not a notification: %r' % data)
        return data

    def cmd(self, payload):
        self.send(payload)
        return self.reply()

    def close(self):
        self.s.close()


def rle_decode(data):
    out = bytearray()
    i = 0
    while i < len(data):
        if data[i:i + 1] == b'*':
            out += out[-1:] * (data[i + 1] - 29)
            i += 2
        else:
            out.append(data[i])
            i += 1
    return bytes(out)


def unescape(data):
    out = bytearray()
    b = data.encode('latin1')
    i = 0
    while i < len(b):
        if b[i] == 0x7d:
            out.append(b[i + 1] ^ 0x20)
            i += 2
        else:
            out.append(b[i])
            i += 1
    return bytes(out)


def read_xfer(raw, obj, annex='', chunk=0x1000):
    doc = b''
    off = 0
    while True:
        r = raw.cmd('qXfer:%s:read:%s:%x,%x' % (obj, annex, off, chunk))
        check(r[:1] in ('m', 'l'), 'qXfer reply %r' % r[:40])
        part = unescape(r[1:])
        doc += part
        off += len(part)
        if r[0] == 'l':
            return doc
