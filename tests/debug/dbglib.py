# SPDX-License-Identifier: MIT
"""Helpers for the `ptk debug` tests: run scripted sessions, find tagged lines of
the tracee's source, normalize what legitimately varies between runs (pids, stack
addresses, the build's path to the source), and run gdb on the same script."""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from harness import PTK, SRCDIR, fail, run, skip, text, tracee  # noqa: E402,F401

SOURCE = os.path.join(SRCDIR, 'tests', 'tracees', 'dbg_prog.c')


def source(name):
    """The path of a tracee's source file (tests/tracees/NAME)."""
    return os.path.join(SRCDIR, 'tests', 'tracees', name)


def line_of(tag, path=SOURCE):
    """The line number of the line tagged /* L:tag */."""
    with open(path, encoding='utf-8') as f:
        for n, l in enumerate(f, 1):
            if re.search(r'L:%s\b' % re.escape(tag), l):
                return n
    fail('no line tagged L:%s in %s' % (tag, path))


def prog(opt='0'):
    return tracee('dbg_prog_O' + opt)


def session(cmds, argv, batch=True, timeout=120, env=None, extra=None):
    """Run `ptk debug -batch -ex C1 -ex C2 ... ARGV`; returns the CompletedProcess."""
    a = [PTK, 'debug']
    if batch:
        a.append('-batch')
    for c in cmds:
        a += ['-ex', c]
    a += extra or []
    a += ['--args'] + list(argv)
    return run(a, timeout=timeout, env=env, stdin=subprocess.DEVNULL)


def out_lines(r):
    return text(r.stdout).splitlines()


def err_lines(r):
    return text(r.stderr).splitlines()


def norm(s, keep_stack=False):
    """Mask what differs between two runs of the same program."""
    s = re.sub(r'\S*/(dbg_\w+\.c)', r'\1', s)
    s = re.sub(r'process \d+', 'process PID', s)
    s = re.sub(r'LWP \d+', 'LWP N', s)
    s = re.sub(r'child process \d+', 'child process PID', s)
    if not keep_stack:
        # the stack's place depends on the environment the program gets
        s = re.sub(r'0x7ff[0-9a-f]{9}\b', 'STACK', s)
        s = re.sub(r'\b1407374[0-9]{8}\b', 'STACKDEC', s)
    return s


GDB_NOISE = ('[Thread debugging using libthread_db enabled]',
             'Using host libthread_db library ')


def gdb_session(cmds, argv, timeout=120):
    """gdb -batch on the same commands; stdout lines without libthread_db's."""
    if not shutil.which('gdb'):
        skip('gdb is not installed')
    a = ['gdb', '-nx', '-q', '-batch']
    for c in cmds:
        a += ['-ex', c]
    r = run(a + ['--args'] + list(argv), timeout=timeout, stdin=subprocess.DEVNULL,
            env=dict(os.environ, LC_ALL='C'))
    return [l for l in text(r.stdout).splitlines() if not l.startswith(GDB_NOISE)], r


def breakpoint_addr(lines):
    """The address in 'Breakpoint N at 0x...: ...'."""
    for l in lines:
        m = re.match(r'(?:Temporary )?[Bb]reakpoint \d+ at (0x[0-9a-f]+)', l)
        if m:
            return int(m.group(1), 16)
    fail('no "Breakpoint N at" line in %r' % lines)


def gdb_compare(cmds, argv):
    """Run the same -batch script under gdb and ptk: every stdout line equal once
    pids and stack addresses are masked (fails with the first differing lines)."""
    g, _ = gdb_session(cmds, argv)
    # The program gets the environment it gets under gdb (which adds LINES and
    # COLUMNS): its stack then lies at the same place, and values computed
    # from stack addresses (eflags after pointer arithmetic) agree.
    p = session(cmds, argv, env=dict(os.environ, LC_ALL='C', LINES='24', COLUMNS='80'))
    want = [norm(l) for l in g]
    got = [norm(l) for l in out_lines(p)]
    diff = ['line %d:\n  gdb: %r\n  ptk: %r' % (i + 1, a, b)
            for i, (a, b) in enumerate(zip(want + [''] * len(got), got + [''] * len(want)))
            if a != b and i < max(len(want), len(got))]
    if diff:
        fail('%d lines differ from gdb:\n%s' % (len(diff), '\n'.join(diff[:10])))
    return got
