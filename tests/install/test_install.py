#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`ninja install` with DESTDIR puts ptk, libptk, the header, ptk.pc and the man pages in
place, and a program that includes only <ptk/ptk.h> builds against them with
`pkg-config --cflags --libs ptk` and traces a program (examples/sysnums.c)."""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
from harness import BUILD, SRCDIR, check, eq, main, run, test, text  # noqa: E402


def install(dest):
    r = run(['meson', 'install', '-C', BUILD, '--destdir', dest, '--no-rebuild', '--quiet'],
            timeout=300)
    eq(r.returncode, 0, 'meson install failed: ' + text(r.stderr))
    prefix = text(run(['meson', 'introspect', BUILD, '--buildoptions']).stdout)
    import json
    opts = {o['name']: o['value'] for o in json.loads(prefix)}
    return dest + opts['prefix'], opts['libdir'], opts['mandir'], opts['includedir']


@test
def install_layout_and_pkgconfig_example():
    with tempfile.TemporaryDirectory() as dest:
        root, libdir, mandir, incdir = install(dest)
        lib = os.path.join(root, libdir)
        for f in ['bin/ptk', os.path.join(incdir, 'ptk/ptk.h'), os.path.join(incdir, 'ptk/tables.h'),
                  os.path.join(libdir, 'libptk.a'), os.path.join(libdir, 'pkgconfig/ptk.pc'),
                  os.path.join(mandir, 'man1/ptk.1'), os.path.join(mandir, 'man1/ptk-trace.1'),
                  os.path.join(mandir, 'man3/libptk.3')]:
            check(os.path.exists(os.path.join(root, f)), 'not installed: ' + f)
        check(any(n.startswith('libptk.so') for n in os.listdir(lib)), 'libptk.so not installed')

        env = dict(os.environ)
        env['PKG_CONFIG_PATH'] = os.path.join(lib, 'pkgconfig')
        env['PKG_CONFIG_SYSROOT_DIR'] = dest
        flags = run(['pkg-config', '--cflags', '--libs', 'ptk'], env=env)
        eq(flags.returncode, 0, 'pkg-config failed: ' + text(flags.stderr))
        exe = os.path.join(dest, 'sysnums')
        # A sanitizer build's libptk.so needs the runtime linked into the program too.
        san = ['-fsanitize=address,undefined'] if os.environ.get('PTK_SANITIZE') else []
        cc = run(['cc', os.path.join(SRCDIR, 'examples', 'sysnums.c'), '-o', exe] + san +
                 text(flags.stdout).split(), env=env)
        eq(cc.returncode, 0, 'example does not build: ' + text(cc.stderr))

        env2 = dict(os.environ)
        env2['LD_LIBRARY_PATH'] = lib
        r = run([exe, '/bin/sh', '-c', 'echo hi; exit 5'], env=env2)
        eq(r.returncode, 5, 'exit status')
        eq(text(r.stdout), 'hi\n', 'stdout of the traced program')
        lines = text(r.stderr).splitlines()
        # the first syscall is execve (59) returning 0, the last is write(1, "hi\n") = 3
        eq(lines[0], 'syscall 59 = 0', 'first line')
        check('syscall 1 = 3' in lines, 'write(1, "hi\\n", 3) = 3 missing: %r' % lines[-5:])
        # every line has the form "syscall N = R"
        for l in lines:
            parts = l.split()
            check(len(parts) == 4 and parts[0] == 'syscall' and parts[2] == '=', 'bad line ' + l)


@test
def example_reports_missing_program():
    exe = os.path.join(BUILD, 'examples', 'sysnums')
    r = run([exe, '/nonexistent/prog'])
    eq(r.returncode, 1)
    eq(text(r.stderr), "sysnums: cannot run '/nonexistent/prog': no such file\n")


if __name__ == '__main__':
    sys.exit(main())
