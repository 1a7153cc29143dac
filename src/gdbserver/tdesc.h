/* SPDX-License-Identifier: MIT */
/*
 * target.xml: the target description of a register layout, in gdb's own form
 * (architecture i386:x86-64, osabi GNU/Linux, features org.gnu.gdb.i386.*), which lldb
 * also reads.  Pure code.
 */
#ifndef PTK_GDBSERVER_TDESC_H
#define PTK_GDBSERVER_TDESC_H

#include "regs.h"

#include <stddef.h>

/* The document for layout l, malloc'd and NUL-terminated (length in *ret_len), or NULL. */
char *gs_tdesc_xml(const struct gs_layout *l, size_t *ret_len);

#endif
