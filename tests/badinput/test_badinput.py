#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Bad input (issue 6): one case per row of docs/bad-input.md, read from the document
itself so that the table and ptk's behaviour cannot drift apart.

A command row runs `ptk ...` (placeholders filled in) and checks the exit status and that
standard error is exactly the row's line (ptk debug's unknown option: that line first, and
two lines); nothing may be left running (the runner checks). A packet row sends one RSP
packet to a served program and checks the exact reply, then that the server still serves.
"""
import os
import pwd
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'gdbserver'))
from harness import PTK, SRCDIR, check, eq, fail, main, skip, test, text, tracee  # noqa: E402
from gslib import Raw, Server  # noqa: E402

DOC = os.path.join(SRCDIR, 'docs', 'bad-input.md')
CELL = re.compile(r'^``? ?(.*?) ?``?$')


def code(cell):
    """The text of a `code` or ``code`` cell ('' for an empty `` cell)."""
    cell = cell.strip()
    if cell == '``':
        return ''
    m = CELL.match(cell)
    if not m:
        fail('not a code cell in %s: %r' % (DOC, cell))
    return m.group(1)


def rows():
    out = []
    with open(DOC, encoding='utf-8') as f:
        for ln in f:
            if not ln.startswith('| ') or ln.startswith(('| id ', '| placeholder ')):
                continue
            cells = [c.strip() for c in ln.strip().strip('|').split(' | ')]
            if len(cells) != 6 or not re.fullmatch(r'[a-z0-9A-Z-]+', cells[0]):
                continue
            rid, what, user, runc, prints, exit_ = cells
            out.append(dict(id=rid, what=what, user=user, run=code(runc), prints=code(prints),
                            exit=None if exit_ == '—' else int(exit_)))
    return out


# ---- placeholders -------------------------------------------------------------------


class Fixtures:
    """What a row's placeholders need; everything started here is ended in close()."""

    def __init__(self):
        self.procs, self.values, self.tmp = [], {}, None
        self.thread_stop = None

    def need(self, names):
        for n in names:
            if n not in self.values:
                getattr(self, 'make_' + n.lower())()

    def make_nopid(self):
        pid = 4194000
        with open('/proc/sys/kernel/pid_max') as f:
            pid = int(f.read()) - 1
        while os.path.exists('/proc/%d' % pid):
            pid -= 1
        self.values['NOPID'] = str(pid)

    def make_comm1(self):
        with open('/proc/1/comm') as f:
            self.values['COMM1'] = f.read().strip()

    def make_kthread(self):
        with open('/proc/2/comm') as f:
            eq(f.read().strip(), 'kthreadd', 'pid 2')
        self.values['KTHREAD'] = '2'

    def make_zombie(self):
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        while not open('/proc/%d/stat' % pid).read().split(')')[1].split()[0] == 'Z':
            time.sleep(0.01)
        self.zombie = pid
        self.values['ZOMBIE'] = str(pid)

    def make_thread(self):
        self.thread_stop = threading.Event()
        th = threading.Thread(target=self.thread_stop.wait)
        th.start()
        self.thread = th
        tid = [int(t) for t in os.listdir('/proc/self/task') if int(t) != os.getpid()][0]
        self.values['THREAD'], self.values['TGID'] = str(tid), str(os.getpid())

    def sleeper(self):
        p = subprocess.Popen(['sleep', '60'])
        self.procs.append(p)
        return p

    def make_traced(self):
        target = self.sleeper()
        t = subprocess.Popen([PTK, 'trace', '-o', '/dev/null', '-p', str(target.pid)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.procs.insert(0, t)  # ended before its tracee
        ln = text(t.stderr.readline())
        eq(ln, 'ptk trace: Process %d attached\n' % target.pid, 'tracer attached')
        self.values['TRACED'], self.values['TRACER'] = str(target.pid), str(t.pid)

    def make_rootproc(self):
        self.values['ROOTPROC'] = str(self.sleeper().pid)

    def tmpdir(self):
        if not self.tmp:
            self.tmp = tempfile.mkdtemp(prefix='ptk-badinput-')
            os.chmod(self.tmp, 0o755)
        return self.tmp

    def make_nonexec(self):
        path = os.path.join(self.tmpdir(), 'not-executable')
        with open(path, 'w') as f:
            f.write('#!/bin/sh\nexit 0\n')
        os.chmod(path, 0o644)
        self.values['NONEXEC'] = path

    def make_dir(self):
        self.values['DIR'] = self.tmpdir()

    def make_hello(self):
        self.values['HELLO'] = tracee('hello')

    def make_self(self):
        self.values['SELF'] = '$$'  # the shell's pid, which exec makes ptk's

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGINT if p.args[0] == PTK else signal.SIGKILL)
            try:
                p.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.communicate()
        if hasattr(self, 'zombie'):
            os.waitpid(self.zombie, 0)
        if self.thread_stop:
            self.thread_stop.set()
            self.thread.join()
        if self.tmp:
            for n in os.listdir(self.tmp):
                os.unlink(os.path.join(self.tmp, n))
            os.rmdir(self.tmp)


def fill(s, values):
    return re.sub(r'\{([A-Z0-9]+)\}', lambda m: values[m.group(1)], s)


def as_nobody():
    pw = pwd.getpwnam('nobody')
    os.setgroups([])
    os.setgid(pw.pw_gid)
    os.setuid(pw.pw_uid)


def run_row(row):
    fx = Fixtures()
    try:
        fx.need(re.findall(r'\{([A-Z0-9]+)\}', row['run'] + row['prints']))
        if row['run'].startswith('packet '):
            return packet_row(row, fx)
        argv = [fill(a, fx.values) for a in shlex.split(row['run'])]
        eq(argv[0], 'ptk', 'a run cell starts with ptk')
        argv[0] = PTK
        kw = {}
        if row['user'] == 'nobody':
            if os.geteuid() != 0:
                skip('the test runs ptk as nobody, which needs root')
            kw['preexec_fn'] = as_nobody
        if 'SELF' in fx.values and '$$' in argv:
            argv = ['sh', '-c', 'exec ' + ' '.join(a if a == '$$' else shlex.quote(a)
                                                   for a in argv)]
            r = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, **kw)
            # the pid in the message is the shell's, which exec made ptk's
            fx.values['SELF'] = str(r.pid)
            argv_note = '$$ = %d' % r.pid
        else:
            r = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, **kw)
            argv_note = ''
        try:
            out, err = r.communicate(timeout=60)
        finally:
            if r.poll() is None:
                r.kill()
                r.communicate()
        want = fill(row['prints'], fx.values)
        err = text(err).splitlines()
        eq(r.returncode, row['exit'], 'exit status of %s %s (stderr %r)' % (row['run'],
                                                                           argv_note, err))
        if row['id'] == 'debug-option':
            eq(len(err), 2, 'two lines: %r' % err)
            err = err[:1]
        eq(err, [want], 'stderr of %s' % row['run'])
    finally:
        fx.close()


def packet_row(row, fx):
    srv = Server([fx.values.get('HELLO') or tracee('hello')])
    try:
        raw = Raw(srv.port)
        eq(raw.cmd(row['run'][len('packet '):]), row['prints'], 'reply to %s' % row['run'])
        # still serving: a good packet gets its answer, then the program is killed
        check(raw.cmd('qC').startswith('QC'), 'qC after the bad packet')
        eq(raw.cmd('vKill;%x' % srv.pid), 'OK', 'vKill')
        raw.close()
        out, err, rc = srv.finish(timeout=30)
    finally:
        srv.kill()
    eq(rc, 0, 'server status')


def make_case(row):
    def fn():
        run_row(row)
    fn.__name__ = 'badinput_' + row['id'].replace('-', '_')
    test(fn)


_rows = rows()
if len(_rows) < 40:
    raise SystemExit('%s: only %d rows parsed' % (DOC, len(_rows)))
for _r in _rows:
    make_case(_r)


@test
def badinput_yama_ptrace_scope():
    """EPERM under kernel.yama.ptrace_scope: only where Yama exists."""
    if not os.path.exists('/proc/sys/kernel/yama/ptrace_scope'):
        skip('no Yama LSM here (/proc/sys/kernel/yama is absent): ptrace_scope cannot refuse')
    with open('/proc/sys/kernel/yama/ptrace_scope') as f:
        scope = int(f.read())
    if scope == 0:
        skip('kernel.yama.ptrace_scope is 0: it refuses nothing')
    p = subprocess.Popen(['sleep', '60'], preexec_fn=as_nobody)
    try:
        r = subprocess.run([PTK, 'trace', '-p', str(p.pid)], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, preexec_fn=as_nobody, timeout=60)
        err = text(r.stderr).splitlines()
        eq(r.returncode, 1, 'status')
        eq(len(err), 1, 'one line: %r' % err)
        check('kernel.yama.ptrace_scope is %d' % scope in err[0], err[0])
    finally:
        p.kill()
        p.wait()


if __name__ == '__main__':
    sys.exit(main())
