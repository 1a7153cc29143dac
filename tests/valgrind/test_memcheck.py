#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""valgrind memcheck on the library's tests and the pure-code unit tests: every case of
every tests/unit/**/test-* binary and of the library tests that attach (tests/lib/test-attach,
the parser cases of tests/lib/test-maps) runs under memcheck, one case of this file per
binary.  Any memcheck error fails it: an invalid read or write, a use of uninitialised
memory, a bad free, or a definite or indirect leak (memory still reachable at exit is
allowed: libelf and libdw keep global caches).  Each binary runs once under memcheck (its
harness forks a child per case, each checked by memcheck at its exit), with its excluded
cases left out by `--skip NAME...`.

Not under memcheck: the library tests that spawn their tracee with ptk_spawn().  A
valgrind-run tracer forks a child that runs under valgrind until its execve, and valgrind
takes pending signals with sigtimedwait(), so the SIGCONT that ptk_spawn() waits for never
makes a signal-delivery-stop and the child runs on through execve (ptk_spawn() says ECHILD
or the case hangs).  The tracees themselves (after execve) run natively.

In the sanitizer suite (PTK_SANITIZE=1) this file lists no cases: valgrind cannot run
binaries built with ASan.
"""
import glob
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
from harness import BUILD, check, fail, main, run, test, text  # noqa: E402

VALGRIND = ['valgrind', '-q', '--tool=memcheck', '--error-exitcode=97',
            '--leak-check=full', '--show-leak-kinds=definite,indirect',
            '--errors-for-leak-kinds=definite,indirect', '--trace-children=no',
            '--num-callers=30']

# Cases that are not run under memcheck, and why.
EXCLUDE = {
    # valgrind computes long double (x87, 80 bits) in 64-bit precision: the printed
    # digits differ (memcheck documents this limitation)
    'print_floats': 'long double precision',
    # reads the maps of a tracee started with ptk_spawn() (see above)
    'maps_read_tracee': 'ptk_spawn under valgrind',
    # the syscall table against 18 runs of strace 6.1 (about 10 s of strace, which memcheck
    # does not follow); the table lookups they make run under memcheck in roundtrip_all_rows
    'strace_classes_x86_64': 'strace runs, no ptk code of their own',
    'strace_classes_i386': 'strace runs, no ptk code of their own',
}

LIB = ['test-attach', 'test-maps']


def binaries():
    out = [p for p in glob.glob(os.path.join(BUILD, 'tests', 'unit', '**', 'test-*'), recursive=True)]
    out += [os.path.join(BUILD, 'tests', 'lib', n) for n in LIB]
    return sorted(p for p in out if os.path.isfile(p) and os.access(p, os.X_OK)
                  and not p.endswith(('.p', '.c')))


def memcheck(exe):
    if not shutil.which('valgrind'):
        fail('valgrind is not installed (scripts/deps installs it)')
    r = run([exe, '--list'])
    check(r.returncode == 0, '%s --list failed' % exe)
    names = text(r.stdout).split()
    check(names, '%s has no cases' % exe)
    skip = [n for n in names if n in EXCLUDE]
    want = [n for n in names if n not in EXCLUDE]
    check(want, 'no case of %s to run' % exe)
    # one run: the harness forks a child per case and prints PASS/SKIP/FAIL NAME
    r = run(VALGRIND + [exe] + (['--skip'] + skip if skip else []), timeout=170)
    out = text(r.stdout + r.stderr)
    done = [ln.split()[1] for ln in text(r.stdout).splitlines()
            if ln.startswith(('PASS ', 'SKIP ', 'FAIL '))]
    fails = [ln for ln in text(r.stdout).splitlines() if ln.startswith('FAIL ')]
    check(r.returncode == 0 and not fails and sorted(done) == sorted(want),
          'under valgrind memcheck: %s exit %d%s\n%s'
          % (os.path.basename(exe), r.returncode,
             ' (memcheck errors)' if r.returncode == 97 else '', out[-4000:]))


def _add(exe):
    def case():
        memcheck(exe)
    case.__name__ = os.path.basename(exe).replace('-', '_')
    test(case)


if os.environ.get('PTK_SANITIZE') != '1':
    for _e in binaries():
        _add(_e)

if __name__ == '__main__':
    sys.exit(main())
