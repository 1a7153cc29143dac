# SPDX-License-Identifier: MIT
"""The Python side of ptk's test harness (same protocol as tests/harness.h).

A test file defines cases with @test and ends with main():

    @test
    def trace_true():
        r = run([PTK, 'trace', '/bin/true'])
        eq(r.returncode, 0)

`file.py --list` prints the case names, `file.py NAME` runs one case and
exits 0 (pass), 1 (fail) or 77 (skip, reason on the last line).
"""
import os
import signal
import subprocess
import sys
import traceback

_cases = {}

BUILD = os.environ.get('PTK_BUILD', os.path.join(os.path.dirname(__file__), '..', 'build'))
PTK = os.environ.get('PTK_BIN', os.path.join(BUILD, 'src', 'ptk'))
TRACEES = os.environ.get('PTK_TRACEES', os.path.join(BUILD, 'tests', 'tracees'))
SRCDIR = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))


class Skip(Exception):
    pass


class Fail(AssertionError):
    pass


def test(fn):
    _cases[fn.__name__] = fn
    return fn


def skip(reason):
    raise Skip(reason)


def fail(msg):
    raise Fail(msg)


def eq(got, want, what=''):
    if got != want:
        raise Fail('%s\n  got:  %r\n  want: %r' % (what or 'values differ', got, want))


def check(cond, what='condition failed'):
    if not cond:
        raise Fail(what)


def tracee(name):
    p = os.path.join(TRACEES, name)
    if not os.access(p, os.X_OK):
        fail('tracee %s not built' % p)
    return p


def run(argv, timeout=60, input=None, env=None, **kw):
    """Run a command, capturing bytes of stdout and stderr."""
    return subprocess.run(argv, input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=timeout, env=env, **kw)


def text(b):
    return b.decode('utf-8', 'replace')


def ignoring(*sigs):
    """A preexec_fn: the child starts with sigs ignored (as under nohup)."""
    def fn():
        for sig in sigs:
            signal.signal(sig, signal.SIG_IGN)
    return fn


def status_lines(out, names=('SigIgn', 'SigCgt')):
    """The lines named in names of /proc/PID/status text (bytes or str), in file order."""
    if isinstance(out, bytes):
        out = text(out)
    return [l for l in out.splitlines() if l.split(':')[0] in names]


def dispositions_alone(argv, sigs, names=('SigIgn', 'SigCgt')):
    """argv (which prints /proc/self/status) run with sigs ignored, as the reference for
    a program started under ptk: its status lines named in names.  Checks that sigs are
    ignored (besides what the test inherited ignored) and nothing is caught."""
    r = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       preexec_fn=ignoring(*sigs), timeout=60)
    want = status_lines(r.stdout, names)
    fields = dict(l.split(':\t') for l in want)
    ours = sum(1 << (sig - 1) for sig in sigs)
    eq((int(fields['SigIgn'], 16) & ours, fields['SigCgt']), (ours, '0000000000000000'),
       'dispositions alone')
    return want


def main():
    args = sys.argv[1:]
    if args and args[0] == '--list':
        for n in _cases:
            print(n)
        return 0
    names = args or list(_cases)
    failed = 0
    for n in names:
        fn = _cases.get(n)
        if fn is None:
            print('no such case: %s' % n, file=sys.stderr)
            return 2
        try:
            fn()
            if len(names) > 1:
                print('PASS', n)
        except Skip as e:
            print('SKIP: %s' % e)
            if len(names) == 1:
                return 77
        except subprocess.TimeoutExpired as e:
            print('FAIL %s: timed out: %s' % (n, e), file=sys.stderr)
            failed += 1
        except Exception as e:  # noqa: BLE001 - any exception fails the case
            tb = traceback.extract_tb(e.__traceback__)
            where = next((f for f in reversed(tb) if f.filename.endswith('.py') and 'harness' not in f.filename), tb[-1])
            print('FAIL %s:%d: %s' % (os.path.basename(where.filename), where.lineno, e), file=sys.stderr)
            failed += 1
    return 1 if failed else 0
