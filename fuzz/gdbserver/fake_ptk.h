/* SPDX-License-Identifier: MIT */
/* A fake libptk (simulated tracees) for the gdbserver fuzz target: see fake_ptk.c. */
#ifndef PTK_FUZZ_FAKE_PTK_H
#define PTK_FUZZ_FAKE_PTK_H

#include <ptk/ptk.h>

#include <stdint.h>

/* Forget every simulated process; seed the event generator. */
void fake_ptk_reset(uint32_t seed);
/* Let ptk_wait() invent at most n more events (then it says -EAGAIN). */
void fake_ptk_budget(int n);
/* The session handle to give the server (never dereferenced by it). */
struct ptk_session *fake_ptk_session(void);

#endif
