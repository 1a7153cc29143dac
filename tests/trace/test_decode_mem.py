#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Golden lines of the memory family: tests/tracees/dec_mem maps, protects,
remaps and advises with fixed arguments (mmap's huge page field, unknown
bits, mremap's new address, mincore's vector, ...) and `ptk trace` must
print exactly these lines; where strace is installed, strace must print the
same ones (decode_golden.py).  Expected texts were observed with strace 6.1."""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import main, skip, test, tracee  # noqa: E402
import decode_golden as golden  # noqa: E402


def case(section, want, masks=()):
    golden.section([tracee('dec_mem'), section], want, masks=masks)

@test
def mem_map():
    case('map', [
        'mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0xADDR',
        'mprotect(0xADDR, 4096, PROT_NONE) = 0',
        'mprotect(0xADDR, 4096, PROT_READ|PROT_EXEC|0x100000) = -1 EINVAL (Invalid argument)',
        'mprotect(NULL, 4096, 0x100000 /* PROT_??? */) = -1 EINVAL (Invalid argument)',
        'mremap(0xADDR, 8192, 16384, MREMAP_MAYMOVE) = -1 EFAULT (Bad address)',
        'munmap(0xffffffffffffffff, 16384)       = -1 EINVAL (Invalid argument)',
        'mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0x1000) = 0xADDR',
        'mmap(NULL, 4096, PROT_READ, MAP_SHARED|MAP_FIXED_NOREPLACE|2<<MAP_HUGE_SHIFT, -1, 0) = -1 EBADF (Bad file descriptor)',
        re.compile('mmap\\(NULL, 2097152, PROT_READ, MAP_PRIVATE\\|MAP_ANONYMOUS\\|MAP_HUGETLB\\|21<<MAP_HUGE_SHIFT, 12345, 0\\) = (0xADDR|-1 E[A-Z]+ .*)'),
        'mmap(NULL, 0, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_GROWSDOWN|MAP_STACK, -1, 0) = -1 EINVAL (Invalid argument)',
        'munmap(NULL, 0)                         = -1 EINVAL (Invalid argument)',
    ])

@test
def mem_advise():
    case('advise', [
        'madvise(0xADDR, 8192, MADV_DONTNEED) = 0',
        re.compile('madvise\\(0xADDR, 8192, MADV_HUGEPAGE\\) = (0|-1 EINVAL .*)'),
        'madvise(0xADDR, 8192, 0x4d2 /* MADV_??? */) = -1 EINVAL (Invalid argument)',
        'msync(0xADDR, 4096, MS_ASYNC|MS_INVALIDATE) = 0',
        'msync(0xADDR, 4096, 0x100 /* MS_??? */) = -1 EINVAL (Invalid argument)',
        re.compile('mlock\\(0xADDR, 4096\\) = (0|-1 E[A-Z]+ .*)'),
        'munlock(0xADDR, 4096) = 0',
        re.compile('mincore\\(0xADDR, 16384, \\[[01], [01], [01], [01]\\]\\) = 0'),
        'mlockall(0x80 /* MCL_??? */)            = -1 EINVAL (Invalid argument)',
        'mremap(0xADDR, 4096, 4096, MREMAP_MAYMOVE|MREMAP_FIXED, 0xADDR) = 0xADDR',
    ])


@test
def mem_numa():
    # Node masks: (maxnode + 62) / 64 longs, 16 digits wide, "[]" for none,
    # the address when maxnode rounds to no long or the call failed.
    if not os.path.isdir('/sys/devices/system/node/node0'):
        skip('the kernel has no NUMA support (no /sys/devices/system/node/node0)')
    case('numa', [
        'set_mempolicy(MPOL_INTERLEAVE, [0x00000000000001], 65) = 0',
        'get_mempolicy([MPOL_INTERLEAVE], [0x00000000000001, 0000000000000000], 129, NULL, 0) = 0',
        'get_mempolicy([MPOL_INTERLEAVE], 0xADDR, 1, NULL, 0) = 0',
        'get_mempolicy(0xADDR, [], 0, NULL, 0) = -1 EINVAL (Invalid argument)',
        'set_mempolicy(MPOL_DEFAULT, NULL, 0)    = 0',
        re.compile('mbind\\(0xADDR, 4096, MPOL_BIND\\|MPOL_F_STATIC_NODES, \\[0x00000000000001\\], 65, '
                   'MPOL_MF_STRICT\\) = (0|-1 E[A-Z]+ .*)'),
        re.compile('migrate_pages\\(0, 65, \\[0x00000000000001\\], \\[0x00000000000001\\]\\) = '
                   '(\\d+|-1 E[A-Z]+ .*)'),
    ])


if __name__ == '__main__':
    sys.exit(main())
