#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""lldb 14 drives `ptk gdbserver` (gdb-remote, over loopback, in batch mode): it reads
gdb's form of target.xml, a breakpoint hit is "stop reason = breakpoint" at the
breakpoint's address (not SIGTRAP one byte further, as lldb sees it with gdbserver),
bt, registers, memory, locals, stepping, and `kill` gets its reply."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gslib import Server, check, eq, lldb, tracee, wait_gone  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from harness import main, test  # noqa: E402


def has_re(out, pat):
    check(any(re.fullmatch(pat, l) for l in out.splitlines()),
          'lldb output lacks a line matching %r:\n%s' % (pat, out))


@test
def lldb_breakpoint_bt_registers_memory_kill():
    prog = tracee('gs_basic')
    srv = Server([prog])
    try:
        out = lldb(srv.addr, ['breakpoint set -n square', 'continue', 'bt', 'register read rip',
                              'frame variable', 'memory read -f s &greeting',
                              'thread step-over', 'frame variable r', 'kill'], prog)
        pout, perr, rc = srv.finish()
    finally:
        srv.kill()
    has_re(out, r"Breakpoint 1: where = gs_basic`square \+ \d+ at gs_basic\.c:28:\d+, "
           r"address = (0x[0-9a-f]+)")
    bp = re.search(r'address = (0x[0-9a-f]+)', out).group(1)
    # The stop is a breakpoint stop at the breakpoint's own address.
    has_re(out, r"\* thread #1, name = 'gs_basic', stop reason = breakpoint 1\.1")
    check('stop reason = signal SIGTRAP' not in out.split('(lldb) continue')[1],
          'a breakpoint hit shown as SIGTRAP:\n' + out)
    has_re(out, r'    frame #0: %s gs_basic`square\(v=1\) at gs_basic\.c:28:\d+' % bp)
    has_re(out, r'  \* frame #0: %s gs_basic`square\(v=1\) at gs_basic\.c:28:\d+' % bp)
    has_re(out, r'    frame #1: 0x[0-9a-f]+ gs_basic`sum_squares\(n=4\) at gs_basic\.c:36:\d+')
    has_re(out, r'    frame #2: 0x[0-9a-f]+ gs_basic`main\(argc=1, argv=0x[0-9a-f]+\) at '
           r'gs_basic\.c:66:\d+')
    has_re(out, r'     rip = %s  gs_basic`square \+ \d+ at gs_basic\.c:28:\d+' % bp)
    has_re(out, r'\(int\) v = 1')
    has_re(out, r'0x[0-9a-f]+: "hello, gdb"')
    has_re(out, r"\* thread #1, name = 'gs_basic', stop reason = step over")
    has_re(out, r'\(int\) r = 1')
    has_re(out, r'Process \d+ exited with status = 9 \(0x00000009\) ?')
    eq(pout, '', 'program output (killed before it printed)')
    eq(rc, 0, 'server status')
    check(wait_gone(srv.pid), 'program still alive after kill')


@test
def lldb_watchpoint():
    """`watchpoint set variable` (Z2): lldb stops with "stop reason = watchpoint 1" and
    shows the old and new values at each change."""
    prog = tracee('gs_basic')
    srv = Server([prog])
    try:
        out = lldb(srv.addr, ['breakpoint set -n sum_squares', 'continue', 'thread step-over',
                              'watchpoint set variable total', 'continue', 'continue', 'kill'],
                   prog)
        pout, perr, rc = srv.finish()
    finally:
        srv.kill()
    has_re(out, r'Watchpoint created: Watchpoint 1: addr = 0x[0-9a-f]+ size = 4 state = '
           r'enabled type = w')
    eq(re.findall(r'^(old|new) value: (\d+)$', out, re.M),
       [('old', '0'), ('new', '1'), ('old', '1'), ('new', '5')], 'values:\n' + out)
    eq(len(re.findall(r"\* thread #1, name = 'gs_basic', stop reason = watchpoint 1$", out,
                      re.M)), 2, 'watchpoint stops:\n' + out)
    has_re(out, r'Process \d+ exited with status = 9 \(0x00000009\) ?')
    eq(pout, '', 'program output (killed before it printed)')
    check(wait_gone(srv.pid), 'program still alive after kill')


@test
def lldb_continue_to_exit():
    prog = tracee('gs_basic')
    srv = Server([prog])
    try:
        out = lldb(srv.addr, ['continue'], prog)
        pout, perr, rc = srv.finish()
    finally:
        srv.kill()
    has_re(out, r'Process \d+ exited with status = 3 \(0x00000003\) ?')
    eq(pout, 'hello, gdb: sum=30 p=3,4\n', 'program output')


@test
def lldb_threads_breakpoint():
    prog = tracee('gs_threads')
    srv = Server([prog, '2', '3'])
    try:
        out = lldb(srv.addr, ['breakpoint set -n worker_hit', 'continue', 'thread list',
                              'breakpoint delete 1', 'continue'], prog)
        pout, perr, rc = srv.finish()
    finally:
        srv.kill()
    has_re(out, r"\* thread #\d+, name = 'gs_threads', stop reason = breakpoint 1\.1")
    check(len(re.findall(r"  thread #\d+: tid = \d+", out)) >= 2,
          'thread list shows the threads:\n' + out)
    has_re(out, r'Process \d+ exited with status = 0 \(0x00000000\) ?')
    eq(pout, 'calls=6\n', 'program output')


if __name__ == '__main__':
    sys.exit(main())
