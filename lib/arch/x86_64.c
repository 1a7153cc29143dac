/* SPDX-License-Identifier: MIT */
/*
 * x86_64 facts: the AUDIT_ARCH values PTRACE_GET_SYSCALL_INFO reports
 * (linux/audit.h: EM_X86_64 or EM_386 with the 64-bit and little-endian
 * flags).
 */
#include "../internal.h"

#define AUDIT_ARCH_X86_64_ 0xc000003eu
#define AUDIT_ARCH_I386_   0x40000003u

enum ptk_arch arch_from_audit(uint32_t audit_arch)
{
	switch (audit_arch) {
	case AUDIT_ARCH_X86_64_:
		return PTK_ARCH_X86_64;
	case AUDIT_ARCH_I386_:
		return PTK_ARCH_I386;
	default:
		return PTK_ARCH_UNKNOWN;
	}
}
