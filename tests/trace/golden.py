# SPDX-License-Identifier: MIT
"""Golden sections of the decoder tests (test_decode_desc/file/mem/misc.py).

A golden tracee makes its calls between write(-1, "BEGIN", 5) and
write(-1, "END", 3).  section(argv, want) runs it under `ptk trace` and,
where strace is installed, under strace, and checks that the lines between
the two markers are exactly want: one entry per line, a string (equal) or
a compiled regex (full match).

Before comparing, addresses of the tracee (hex numbers of 9 to 14 digits)
become 0xADDR, and in a line where that happened the padding before the
return value is one space (its width depended on the address); each
(regex, replacement) of masks is applied too.  argv is a list, or a
function of a fresh temporary directory (the tracee's working directory
argument) that returns the list.

(Reconstructed from its callers after the original was lost; see the
decoder report.)
"""
import os
import re
import shutil
import subprocess
import tempfile

from harness import PTK, fail

STRACE = shutil.which('strace')
ADDR = re.compile(r'\b0x[0-9a-f]{9,14}\b')
BEGIN = 'write(-1, "BEGIN", 5)'
END = 'write(-1, "END", 3)'


def _normalize(line, masks):
    masked = ADDR.sub('0xADDR', line)
    if masked != line:
        masked = re.sub(r'\)  +=', ') =', masked)
    for rx, rep in masks:
        masked = rx.sub(rep, masked)
    return masked


def _run(tracer, argv, timeout=120):
    with tempfile.TemporaryDirectory() as d:
        args = argv(d) if callable(argv) else list(argv)
        out = os.path.join(d, '.trace')
        cmd = ([PTK, 'trace'] if tracer == 'ptk' else [STRACE]) + ['-o', out, '--'] + args
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, timeout=timeout, cwd=d)
        try:
            with open(out, encoding='utf-8', errors='replace') as f:
                lines = f.read().splitlines()
        except OSError:
            fail('%s wrote no trace (status %d, stderr %r)' % (tracer, r.returncode, r.stderr))
    starts = [i for i, l in enumerate(lines) if l.startswith(BEGIN)]
    ends = [i for i, l in enumerate(lines) if l.startswith(END)]
    if not starts or not ends or ends[-1] < starts[0]:
        fail('%s: no BEGIN/END markers in the trace of %s:\n  %s'
             % (tracer, ' '.join(args), '\n  '.join(lines[-20:])))
    return lines[starts[0] + 1:ends[-1]]


def _check(tracer, got, want):
    for i in range(max(len(got), len(want))):
        g = got[i] if i < len(got) else None
        w = want[i] if i < len(want) else None
        ok = g is not None and w is not None and (
            w.fullmatch(g) if isinstance(w, re.Pattern) else g == w)
        if not ok:
            wtxt = w.pattern if isinstance(w, re.Pattern) else w
            fail('%s, line %d of the section:\n  got:  %s\n  want: %s'
                 % (tracer, i + 1, g, wtxt))


def section(argv, want, masks=()):
    got = [_normalize(l, masks) for l in _run('ptk', argv)]
    _check('ptk trace', got, want)
    if STRACE:
        got = [_normalize(l, masks) for l in _run('strace', argv)]
        _check('strace', got, want)
