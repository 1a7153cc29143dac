/* SPDX-License-Identifier: MIT */
/*
 * A fake target for the debugger's pure parts: memory, registers, symbols
 * and types laid out like tests/unit/debug/gdb-program.c compiled with
 * `gcc -g -O0 -no-pie` and stopped at `break main`, so that expected
 * strings recorded from gdb 13 on that program apply unchanged.
 */
#ifndef PTK_TEST_DEBUG_FAKE_TARGET_H
#define PTK_TEST_DEBUG_FAKE_TARGET_H

#include "value.h"

struct fake;

/* A new fake target (memory initialised like the program's data at main). */
struct fake *fake_new(void);
void fake_free(struct fake *f);
/* Memory and registers back to their initial state. */
void fake_reset(struct fake *f);
/* The callbacks, data pointing at f. */
struct dbg_target fake_target(struct fake *f);
/* A context on a fresh fake target; fake_ctx_free frees both. */
struct dbg_ctx *fake_ctx(struct fake **ret_fake);
void fake_ctx_free(struct dbg_ctx *ctx, struct fake *f);

/* Direct access for tests. */
int fake_poke(struct fake *f, uint64_t addr, const void *buf, size_t len);
int fake_peek(struct fake *f, uint64_t addr, void *buf, size_t len);
uint64_t fake_reg(struct fake *f, const char *name);

/*
 * Evaluate and print like gdb's print command on a fresh history; return the
 * text after "$N = " or "ERR: message" (static buffer, overwritten by the next call).
 */
const char *fake_print(struct dbg_ctx *ctx, const char *cmd_fmt, const char *expr);

#endif
