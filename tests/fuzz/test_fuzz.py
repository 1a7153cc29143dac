#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""CI smoke runs of every libFuzzer target (fuzz/*/meson.build): each runs its whole seed
corpus and then fuzzes for a few seconds, under ASan+UBSan (the targets' own flags).

The fuzz targets need clang and their own build directory: PTK_FUZZ_BUILD, else the
suite's build directory with "-fuzz" appended (build/ -> build-fuzz/).  Listing the cases
(the runner does it once, before running any, with no time limit) configures that directory
with `-Dfuzz=true` if needed and builds only the fuzz targets, so the suite builds them
itself; each case then makes sure they are up to date (a no-op) under the same lock.

In the sanitizer suite (PTK_SANITIZE=1) this file lists no cases: the targets carry
ASan+UBSan already and the plain suite runs them.

A case fails when the target finds anything (a crash, a sanitizer report, a broken
invariant: exit status not 0), when it did not run every seed, or when the build fails.
"""
import fcntl
import glob
import hashlib
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
from harness import BUILD, SRCDIR, check, eq, fail, main, run, test, text  # noqa: E402

FUZZ_BUILD = os.path.abspath(os.environ.get('PTK_FUZZ_BUILD') or (BUILD.rstrip('/') + '-fuzz'))
SMOKE_SECONDS = int(os.environ.get('PTK_FUZZ_SMOKE_SECONDS', '3'))

# Seed directories that are not <subdir>/corpus, and input size limits per target.
CORPUS = {'fuzz_trace_fmt': 'corpus-fmt'}
MAX_LEN = {'fuzz_symbols': 16384, 'fuzz_gdbserver': 4096, 'fuzz_maps': 4096}


def targets():
    """(target name, source subdir) of every executable in fuzz/*/meson.build."""
    out = []
    for mb in sorted(glob.glob(os.path.join(SRCDIR, 'fuzz', '*', 'meson.build'))):
        sub = os.path.basename(os.path.dirname(mb))
        with open(mb, encoding='utf-8') as f:
            src = f.read()
        names = re.findall(r"executable\(\s*'(fuzz_\w+)'", src)
        # foreach t : ['fuzz_a', 'fuzz_b'] ... executable(t, ...)
        for m in re.finditer(r"foreach\s+\w+\s*:\s*\[([^\]]*)\]", src):
            names += re.findall(r"'(fuzz_\w+)'", m.group(1))
        out += [(n, sub) for n in dict.fromkeys(names)]
    return out


def ensure_built(only=None):
    """Configure (once) and build the fuzz targets (or only the one called only); the
    error text, or None."""
    if not shutil.which('clang'):
        return 'clang is not installed (scripts/deps installs it)'
    os.makedirs(os.path.dirname(FUZZ_BUILD) or '.', exist_ok=True)
    lock = os.path.join(tempfile.gettempdir(),
                        'ptk-fuzz-%s.lock' % hashlib.sha1(FUZZ_BUILD.encode()).hexdigest()[:12])
    with open(lock, 'w') as lk:
        fcntl.flock(lk, fcntl.LOCK_EX)
        env = dict(os.environ, CC='clang')
        if not os.path.exists(os.path.join(FUZZ_BUILD, 'build.ninja')):
            r = run(['meson', 'setup', FUZZ_BUILD, SRCDIR, '-Dfuzz=true'], timeout=600, env=env)
            if r.returncode != 0:
                return 'meson setup -Dfuzz=true failed:\n' + text(r.stdout + r.stderr)[-3000:]
        outs = ['fuzz/%s/%s' % (sub, name) for name, sub in targets() if only in (None, name)]
        r = run(['ninja', '-C', FUZZ_BUILD] + outs, timeout=1800, env=env)
        if r.returncode != 0:
            return 'building the fuzz targets failed:\n' + text(r.stdout + r.stderr)[-3000:]
    return None


def smoke(name, sub):
    err = ensure_built(name)
    if err:
        fail(err)
    exe = os.path.join(FUZZ_BUILD, 'fuzz', sub, name)
    corpus = os.path.join(SRCDIR, 'fuzz', sub, CORPUS.get(name, 'corpus'))
    seeds = [f for f in os.listdir(corpus) if os.path.isfile(os.path.join(corpus, f))]
    check(seeds, 'no seed in %s' % corpus)
    with tempfile.TemporaryDirectory(prefix='ptk-fuzz-') as tmp:
        scratch = os.path.join(tmp, 'new')
        os.mkdir(scratch)
        # -print_funcs=0: no llvm-symbolizer child (libFuzzer leaves it a zombie)
        r = run([exe, '-seed=1', '-max_total_time=%d' % SMOKE_SECONDS, '-runs=2000000',
                 '-print_funcs=0', '-max_len=%d' % MAX_LEN.get(name, 512),
                 '-print_final_stats=1',
                 '-artifact_prefix=' + tmp + '/', scratch, corpus],
                timeout=120 + SMOKE_SECONDS, cwd=tmp)
        out = text(r.stdout + r.stderr)
        found = [f for f in os.listdir(tmp) if f.startswith(('crash-', 'leak-', 'timeout-', 'oom-'))]
        if r.returncode != 0 or found:
            fail('%s found something (exit %d, %s); replay with %s FILE\n%s'
                 % (name, r.returncode, ' '.join(found) or 'no artifact', exe, out[-4000:]))
        m = re.search(r'stat::number_of_executed_units:\s*(\d+)', out)
        check(m, 'no final stats from %s:\n%s' % (name, out[-2000:]))
        check('INITED' in out, 'the seed corpus was not loaded:\n' + out[-2000:])
        # every seed ran (libFuzzer runs each one once before fuzzing)
        check(int(m.group(1)) >= len(seeds),
              '%s ran %s inputs, fewer than its %d seeds' % (name, m.group(1), len(seeds)))
        eq(r.returncode, 0, name + ' exit status')


def _add(name, sub):
    def case():
        smoke(name, sub)
    case.__name__ = name
    test(case)


@test
def every_target_has_a_corpus():
    missing = [n for n, sub in targets()
               if not os.path.isdir(os.path.join(SRCDIR, 'fuzz', sub, CORPUS.get(n, 'corpus')))]
    check(not missing, 'fuzz targets without a seed corpus: ' + ' '.join(missing))
    check(len(targets()) >= 9, 'expected at least 9 fuzz targets, found %d' % len(targets()))


if os.environ.get('PTK_SANITIZE') == '1':
    pass  # the fuzz targets carry ASan+UBSan: the plain suite runs them
else:
    for _n, _s in targets():
        _add(_n, _s)

if __name__ == '__main__':
    if os.environ.get('PTK_SANITIZE') == '1' and sys.argv[1:] == ['--list']:
        sys.exit(0)
    if sys.argv[1:] == ['--list']:
        e = ensure_built()
        if e:  # the cases will fail with the reason; listing them still works
            print(e, file=sys.stderr)
    sys.exit(main())
