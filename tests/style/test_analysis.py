#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Static analysis in CI: cppcheck and clang-tidy report nothing on lib/ and src/.

cppcheck runs with --enable=warning,portability on every C file of lib/ and src/; its
known false positives are listed, with the reason for each, in cppcheck-suppressions.txt
next to this file.  clang-tidy runs the checks of the committed .clang-tidy on every C file
of lib/ and src/ that the build compiles, with the build's compile_commands.json.

Only the plain suite runs them (in the sanitizer suite this file lists no cases: the code
is the same).
"""
import concurrent.futures
import json
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
from harness import BUILD, SRCDIR, check, fail, main, run, test, text  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def sources():
    """The C files of lib/ and src/ the build compiles (normalised absolute paths)."""
    cc = os.path.join(BUILD, 'compile_commands.json')
    if not os.path.exists(cc):
        fail('%s is missing: build first' % cc)
    with open(cc, encoding='utf-8') as f:
        db = json.load(f)
    out = set()
    for e in db:
        p = os.path.normpath(os.path.join(e['directory'], e['file']))
        rel = os.path.relpath(p, SRCDIR)
        if rel.startswith(('lib/', 'src/')) and p.endswith('.c'):
            out.add(p)
    check(out, 'no lib/ or src/ file in ' + cc)
    return sorted(out)


@test
def cppcheck_clean():
    if not shutil.which('cppcheck'):
        fail('cppcheck is not installed (scripts/deps installs it)')
    # relative paths (run in the source tree): the suppressions name files so
    incs = ['-I', 'include', '-I', 'lib']
    for d in ('trace', 'debug', 'gdbserver'):
        incs += ['-I', 'src/' + d]
    r = run(['cppcheck', '-q', '--enable=warning,portability', '--inline-suppr', '--std=c11',
             '--suppressions-list=' + os.path.join(HERE, 'cppcheck-suppressions.txt'),
             '-D__x86_64__', '-D__linux__', '-j2', '--error-exitcode=1',
             '--template={file}:{line}: {severity}: {message} [{id}]']
            + incs + ['lib', 'src'], timeout=600, cwd=SRCDIR)
    out = text(r.stdout + r.stderr)
    found = [ln for ln in out.splitlines() if re.search(r':\d+: \w+: ', ln)]
    check(r.returncode == 0 and not found,
          'cppcheck (exit %d):\n%s' % (r.returncode, '\n'.join(found) or out[-3000:]))


def tidy(files):
    r = run(['clang-tidy', '-p', BUILD, '--quiet'] + files, timeout=600)
    out = text(r.stdout + r.stderr)
    return r.returncode, [ln for ln in out.splitlines() if re.search(r': (warning|error): ', ln)]


@test
def clang_tidy_clean():
    if not shutil.which('clang-tidy'):
        fail('clang-tidy is not installed (scripts/deps installs it)')
    files = sources()
    chunks = [files[i::2] for i in range(2)]
    found, codes = [], []
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
        for code, lines in ex.map(tidy, [c for c in chunks if c]):
            codes.append(code)
            found += lines
    check(not found and all(c == 0 for c in codes),
          'clang-tidy (.clang-tidy):\n' + '\n'.join(sorted(set(found))))


if __name__ == '__main__':
    if os.environ.get('PTK_SANITIZE') == '1' and sys.argv[1:] == ['--list']:
        sys.exit(0)
    sys.exit(main())
