#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`ptk debug -batch` and a shared library with debug info (dbg_solib, -O0 and -O2,
linked with libdbg_lib.so): stepping into a library call through its lazily bound
PLT entry and finishing out of it with the return value, a callback from the
library into the program and the backtrace through the library, a breakpoint on a
library function set before the library is loaded.  Exact lines, and the same
scripts compared with gdb where it is installed."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dbglib import gdb_compare, line_of, norm, out_lines, session, source  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from harness import check, eq, main, test, tracee  # noqa: E402

PROG = source('dbg_solib.c')
LIB = source('dbg_lib.c')
STEPS = ['break main', 'run', 'step', 'bt', 'finish', 'next', 'step', 'finish', 'next', 'step',
         'step', 'bt', 'finish', 'finish', 'next', 'info sharedlibrary']


def src(path, n):
    with open(path, encoding='utf-8') as f:
        return '%d\t%s' % (n, f.read().splitlines()[n - 1])


def solib(opt):
    return tracee('dbg_solib_O' + opt)


@test
def step_into_library_and_finish_out():
    p = lambda tag: line_of(tag, PROG)  # noqa: E731
    lq, la = line_of('lib_square', LIB), line_of('lib_apply', LIB)
    r = session(STEPS, [solib('0')])
    o = [norm(l) for l in out_lines(r)]
    addr, fn = 'ADDR', 'FN'
    want = [
        'Breakpoint 1 at FN: file dbg_solib.c, line %d.' % p('call_square'), '',
        'Breakpoint 1, main () at dbg_solib.c:%d' % p('call_square'), src(PROG, p('call_square')),
        # step: through the PLT entry and the loader's lazy binding into the library
        'dbglib_square (x=7) at dbg_lib.c:%d' % lq, src(LIB, lq),
        '#0  dbglib_square (x=7) at dbg_lib.c:%d' % lq,
        '#1  %s in main () at dbg_solib.c:%d' % (addr, p('call_square')),
        # finish: back in the middle of the caller's line, with the value
        '%s in main () at dbg_solib.c:%d' % (addr, p('call_square')),
        src(PROG, p('call_square')), 'Value returned is $1 = 49',
        src(PROG, p('call_square2')),
        # the second call goes through the bound PLT entry
        'dbglib_square (x=49) at dbg_lib.c:%d' % lq, src(LIB, lq),
        'Run till exit', '%s in main () at dbg_solib.c:%d' % (addr, p('call_square2')),
        src(PROG, p('call_square2')), 'Value returned is $2 = 2401',
        src(PROG, p('call_apply')),
        'dbglib_apply (fn=%s <twice>, v=5) at dbg_lib.c:%d' % (fn, la), src(LIB, la),
        # step from the library back into the program (the callback)
        'twice (v=5) at dbg_solib.c:%d' % p('twice'), src(PROG, p('twice')),
        '#0  twice (v=5) at dbg_solib.c:%d' % p('twice'),
        '#1  %s in dbglib_apply (fn=%s <twice>, v=5) at dbg_lib.c:%d' % (addr, fn, la),
        '#2  %s in main () at dbg_solib.c:%d' % (addr, p('call_apply')),
        'Run till exit', '%s in dbglib_apply (fn=%s <twice>, v=5) at dbg_lib.c:%d' % (
            addr, fn, la), src(LIB, la), 'Value returned is $3 = 10',
        'Run till exit', '%s in main () at dbg_solib.c:%d' % (addr, p('call_apply')),
        src(PROG, p('call_apply')), 'Value returned is $4 = 11',
        src(PROG, p('print'))]
    # "Run till exit ..." is said to a terminal only: not in -batch output
    want = [w for w in want if w != 'Run till exit']
    for i, w in enumerate(want):
        check(i < len(o), 'output ends at line %d: %r' % (i, o))
        pat = re.escape(w).replace('ADDR', '0x[0-9a-f]{16}').replace('FN', '0x[0-9a-f]+')
        check(re.fullmatch(pat, o[i]) is not None,
              'line %d:\n  got:  %r\n  want: %r' % (i + 1, o[i], w))
    libs = o[len(want):]
    eq(libs[0], 'From                To                  Syms Read   Shared Object Library')
    check(any(re.match(r'0x[0-9a-f]{16}  0x[0-9a-f]{16}  Yes         \S+/libdbg_lib\.so$', l)
              for l in libs), libs)
    check('a=49 b=2401 c=11 calls=3' not in o, 'the program has not printed yet: %r' % o)
    eq(r.returncode, 0)


@test
def step_into_library_like_gdb():
    gdb_compare(STEPS, [solib('0')])
    gdb_compare(STEPS[:-1] + ['next', 'next'], [solib('2')])


@test
def library_breakpoint_set_before_run():
    """Before run the library is not loaded: gdb's answer for a function defined only
    there is an error, and after the load the breakpoint is found in it."""
    lq = line_of('lib_square', LIB)
    r = session(['break dbglib_square', 'run', 'bt 1', 'continue', 'info breakpoints',
                 'continue'], [solib('0')])
    o = [norm(l) for l in out_lines(r)]
    # the program's PLT entry names it before the library is loaded
    check(re.match(r'Breakpoint 1 at 0x[0-9a-f]+$', o[0]), o)
    eq(o[1:5], ['', 'Breakpoint 1, dbglib_square (x=7) at dbg_lib.c:%d' % lq, src(LIB, lq),
                '#0  dbglib_square (x=7) at dbg_lib.c:%d' % lq])
    eq(o[5:8], ['', 'Breakpoint 1, dbglib_square (x=49) at dbg_lib.c:%d' % lq, src(LIB, lq)])
    check(re.match(r'1       breakpoint     keep y   0x00007f[0-9a-f]{10} in dbglib_square at '
                   r'dbg_lib\.c:%d$' % lq, o[9]), o[9])
    eq(o[10:], ['\tbreakpoint already hit 2 times', 'a=49 b=2401 c=11 calls=3',
                '[Inferior 1 (process PID) exited normally]'])
    gdb_compare(['break dbglib_square', 'info breakpoints', 'run', 'info breakpoints',
                 'continue', 'continue'], [solib('2')])


@test
def sharedlibrary_after_exit_and_kill():
    """gdb 13 lists no library before the first run; after the program exited or was
    killed, the dynamic loader of the last run only (the libraries it loaded are
    forgotten); while it runs, all of them."""
    gdb_compare(['info sharedlibrary', 'run', 'info sharedlibrary', 'start',
                 'info sharedlibrary', 'kill', 'info sharedlibrary', 'break main',
                 'info sharedlibrary'], [solib('0')])


if __name__ == '__main__':
    sys.exit(main())
