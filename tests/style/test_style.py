#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The project's own rules, checked on every committed C file:
clang-format clean (.clang-format), an SPDX MIT line, and only lib/ talks to the kernel
about tracees (DESIGN.md: the one rule of the architecture)."""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
from harness import SRCDIR, check, main, run, skip, test, text  # noqa: E402


def c_files():
    r = run(['git', '-C', SRCDIR, 'ls-files', '*.c', '*.h'])
    if r.returncode != 0:
        skip('not a git checkout: %s' % text(r.stderr).strip())
    return [f for f in text(r.stdout).split() if not f.startswith(('fuzz/corpus', 'tests/data/'))]


@test
def clang_format_clean():
    if not shutil.which('clang-format'):
        skip('clang-format is not installed')
    files = c_files()
    # one clang-format for all files (one per file took half a minute)
    r = run(['clang-format', '--dry-run', '--Werror'] + [os.path.join(SRCDIR, f) for f in files])
    bad = sorted({os.path.relpath(m, SRCDIR) for m in
                  re.findall(r'^(/\S+?):\d+:\d+: (?:error|warning)', text(r.stderr), re.M)})
    check(r.returncode == 0 and not bad,
          'not clang-formatted (run clang-format -i): ' + (' '.join(bad) or text(r.stderr)[:2000]))


@test
def spdx_headers():
    bad = []
    for f in c_files():
        with open(os.path.join(SRCDIR, f), encoding='utf-8', errors='replace') as fh:
            head = fh.read(300)
        if 'SPDX-License-Identifier: MIT' not in head:
            bad.append(f)
    check(not bad, 'missing SPDX MIT header: ' + ' '.join(bad))


@test
def only_lib_calls_ptrace():
    pat = re.compile(r'\b(ptrace|waitpid|wait4|waitid|process_vm_readv|process_vm_writev|kill|tgkill)\s*\(')
    # comments (also multi-line ones) and strings are blanked, keeping line numbers
    strip = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)
    bad = []
    for f in c_files():
        if not f.startswith('src/'):
            continue
        with open(os.path.join(SRCDIR, f), encoding='utf-8', errors='replace') as fh:
            text = fh.read()
        code = strip.sub(lambda m: '\n' * m.group(0).count('\n'), text)
        lines = text.split('\n')
        for n, line in enumerate(code.split('\n'), 1):
            if pat.search(line):
                bad.append('%s:%d: %s' % (f, n, lines[n - 1].strip()))
    check(not bad, 'front ends must go through <ptk/ptk.h>:\n' + '\n'.join(bad))


if __name__ == '__main__':
    sys.exit(main())
