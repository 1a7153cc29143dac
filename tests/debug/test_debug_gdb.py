#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`ptk debug -batch` against gdb 13 itself: the same script on the same program,
every output line equal once what legitimately differs is masked (pids, and stack
addresses, which depend on the environment each debugger gives the program).
Code and data addresses are compared as they are: both run the program without
address-space randomization.  Skipped when gdb is not installed."""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dbglib import gdb_compare, line_of, prog  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from harness import main, test  # noqa: E402


def compare(cmds, argv):
    gdb_compare(cmds, argv)


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
        'info signals SIGSEGV', 'info breakpoints', 'p nosuch', 'p 1 +', 'x/2x 0',
        'disassemble add,add+6', 'disassemble /r add,+4', 'info sharedlibrary']


@test
def file_and_source_commands():
    """file switches the program (quietly under -batch, as gdb), source runs a command
    file, a missing one is a warning there; a missing program leaves none."""
    fd, path = tempfile.mkstemp(suffix='.gdb')
    with os.fdopen(fd, 'w') as f:
        f.write('print 6*7\nbreak mode_watch\n')
    try:
        compare(['file ' + prog('2'), 'source ' + path, 'info breakpoints', 'run',
                 'source /nonexistent/cmds', 'kill', 'file /nonexistent/prog', 'run'],
                [prog('0'), 'watch'])
    finally:
        os.unlink(path)


@test
def versioned_data_symbols():
    """An object copied into the executable from libc is stdout@GLIBC_2.2.5 in .symtab:
    gdb names it so (a default version, malloc@@GLIBC_2.2.5, it shows bare); the extern
    declaration in the program's DWARF has no location, gdb takes the ELF symbol's
    address.  x without a format letter: hex at first, natural after x/SIZE."""
    compare(['break main', 'run', 'print &stdout', 'x/g &stdout', 'info symbol &stdout',
             'print stdout', 'output &stdout', 'print &stderr', 'x/2g &stdout',
             'info symbol &gint', 'info symbol main', 'info symbol gstr', 'x &gint', 'x',
             'x/2b &gint', 'x', 'x/x &gint', 'x/g &gint', 'p $_'], [prog('0')])


@test
def versioned_data_symbols_stripped():
    """Without .symtab the names come from .dynsym, where gdb 13 shows no version."""
    d = tempfile.mkdtemp()
    try:
        stripped = os.path.join(d, 'dbg_prog_stripped')
        subprocess.run(['strip', '--strip-all', '-o', stripped, prog('0')], check=True)
        compare(['starti', 'p &stdout', 'x/g &stdout', 'info symbol &stdout', 'p stderr'],
                [stripped])
    finally:
        shutil.rmtree(d)


@test
def library_function_before_run():
    """Before `run` gdb knows the executable only: `break _exit` is on _exit@plt (not on
    the dynamic loader's copy, mapped already in ptk's loaded process), functions only
    the loader has are not defined; once the libraries load, the breakpoint moves to
    libc's _exit and the loader's.  bt from there goes through libc's frames with their
    arguments (it used to crash, reading a function's DIE freed by a later lookup)."""
    compare(['break strlen', 'break _exit', 'info breakpoints', 'run', 'info breakpoints',
             'bt'], [prog('0')])


@test
def info_frame_in_optimized_libc_frames():
    """Saved registers as the CFI says (rbx, rbp, r12-r15 in __run_exit_handlers), gdb's
    Arglist/Locals address (its x86-64 prologue analysis: the frame's rsp - 8 without
    `push %rbp; mov %rsp,%rbp`), and _start as the outermost frame."""
    compare(['break _exit', 'run'] + ['info frame', 'up'] * 5 + ['info frame'], [prog('0')])
    # tail call frames in pthread_kill, an inlined call at -O2, the signal trampoline
    for o in ('0', '2'):
        compare(['break on_signal', 'run'] + ['info frame', 'up'] * 4 + ['continue'] +
                ['info frame', 'up'] * 3 + ['info frame'], [prog(o), 'signal'])


@test
def info_frame_through_a_prologue():
    """At the entry of add, after its push %rbp, after mov %rsp,%rbp, and at -O2."""
    compare(['break *add', 'run', 'info frame', 'stepi', 'info frame', 'stepi', 'info frame',
             'stepi', 'info frame', 'up', 'info frame'], [prog('0')])
    compare(['break add', 'run', 'info frame', 'up', 'info frame'], [prog('2')])


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
             'continue', 'p i', 'info breakpoints', 'continue 2', 'p i', 'info breakpoints',
             'delete', 'continue'], [prog('0'), 'loop', '80'])


@test
def optimized_breakpoints_finish_and_entry_values():
    """-O2: inlined frames, <optimized out>, entry values of a caller that was inlined
    (into libc's puts), finish through an inlined caller."""
    compare(['break add', 'break fact', 'break poke', 'break puts', 'run', 'info args',
             'info locals', 'bt', 'finish', 'continue', 'bt', 'info args', 'finish', 'delete 2',
             'continue', 'info locals', 'p local', 'finish', 'next', 'continue', 'bt',
             'info breakpoints', 'continue'], [prog('2')])


@test
def optimized_stepping_through_inlined_calls():
    """-O2 (the mode_* functions are inlined into main): next stops at an inlined
    call's line and then steps over the whole call, step enters it without running,
    finish leaves it by stepping; a breakpoint on a line or on the inlined function
    shows the inlined frame; step into a libc string function and out of it."""
    compare(['break main', 'run'] + ['next'] * 8, [prog('2')])
    compare(['break %d' % line_of('main_add'), 'break mode_default', 'run', 'bt', 'next',
             'step', 'bt', 'finish', 'finish', 'next'], [prog('2')])
    compare(['break main', 'run', 'next', 'next', 'step', 'step', 'bt', 'next', 'next', 'step',
             'step', 'next', 'next', 'next'], [prog('2'), 'loop', '3'])


@test
def step_into_libc_through_lazy_plt():
    """The first strcmp call goes through the lazily bound PLT entry to an IFUNC: the
    loader picks the implementation, and step enters it (libc has line information
    where its debug info is installed; else both step over it)."""
    compare(['break main', 'run', 'step', 'step', 'step', 'bt', 'finish', 'next', 'step',
             'finish'], [prog('0')])


@test
def optimized_breakpoints_table():
    compare(['break add if a == 1', 'tbreak fact', 'break dbg_prog.c:%d' % line_of('work_body'),
             'break *add', 'ignore 1 2', 'disable 4', 'info breakpoints', 'run',
             'info breakpoints', 'continue', 'p n', 'delete 1', 'enable 4', 'info breakpoints',
             'continue', 'continue', 'continue'], [prog('2')])


@test
def backtrace_through_a_signal_handler():
    """<signal handler called>, the interrupted frame's exact pc, libc's frames (with
    their entry values and tail calls) down to main, at -O0 and -O2."""
    for o in ('0', '2'):
        compare(['break on_signal', 'run', 'bt', 'continue', 'bt', 'up', 'up', 'up', 'down',
                 'frame 1', 'continue', 'bt 2'], [prog(o), 'signal'])


@test
def library_breakpoints_set_before_run():
    """`break puts` before run is on the PLT entry; once libc is loaded it is in libc
    (gdb re-sets breakpoints when libraries load), several locations when two objects
    define the function."""
    compare(['break puts', 'break printf', 'info breakpoints', 'run', 'info breakpoints', 'bt',
             'continue', 'finish', 'delete', 'break _exit', 'info breakpoints', 'continue'],
            [prog('0')])


@test
def vfork_child_and_breakpoints_in_shared_memory():
    """A breakpoint the vfork child runs into is out of the shared memory while the
    child runs ("vfork child 5", not killed by SIGTRAP), back in for the parent and
    the program it execs."""
    compare(['break %d' % line_of('fork_print'), 'break %d' % line_of('vfork_print'), 'run',
             'break _exit', 'info breakpoints', 'continue', 'continue', 'continue'],
            [prog('0'), 'fork'])


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
def catch_signal_proc_mappings_and_avx_registers():
    compare(['catch signal SIGUSR1', 'catch signal', 'info breakpoints', 'run', 'continue',
             'continue', 'continue'], [prog('0'), 'signal'])
    compare(['break add', 'run', 'info proc mappings', 'info registers ymm0',
             'p $ymm0.v8_int32', 'p $xmm1.uint128'], [prog('0')])


@test
def list_and_info_line():
    compare(['list add', 'list', 'list -', 'list 10,12', 'list dbg_prog.c:%d' %
             line_of('fact_body'), 'list fact', 'info line fact', 'break add', 'run', 'list',
             'list'], [prog('0')])


if __name__ == '__main__':
    sys.exit(main())
