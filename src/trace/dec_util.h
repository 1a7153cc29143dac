/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the net, process, signal and time decoders
 * (dec_net.c, dec_sock.c, dec_netlink.c, dec_proc.c, dec_signal.c,
 * dec_time.c): what those families print in more than one place, and the
 * small per-thread memory a decoder needs between a syscall's entry and
 * exit.  Everything prints strace 6.1's text, observed on this machine.
 */
#ifndef PTK_TRACE_DEC_UTIL_H
#define PTK_TRACE_DEC_UTIL_H

#include "trace.h"

/*
 * Return DEC_MORE from an entry stop.  dec_more(): the exit stop prints
 * the next argument (strace ends the entry's text with its ", ": an
 * interrupted line reads "wait4(-1,  <unfinished ...>" and the exit part
 * "<... wait4 resumed>[{WIFEXITED...", and the exit's arg_next() prints no
 * second one).  dec_more_none(): the exit stop continues without a new
 * argument (clone's ", child_tidptr=...", clone3's " => {...}", or only
 * text after the return value).
 */
int dec_more(struct dctx *d);
int dec_more_none(struct dctx *d);

/*
 * Values a decoder keeps from the entry of a syscall to its exit (the
 * socklen a getsockname was given, the options a wait4 passed, ...), per
 * thread.  stash_put() at entry; stash_get() at exit returns false when
 * nothing was kept for this thread and syscall.
 */
void stash_put(struct dctx *d, const uint64_t *v, int n);
bool stash_get(struct dctx *d, uint64_t *v, int n);

/* Read one value of the tracee, false when unreadable. */
#define GET(d, addr, var) mem_get((d), (addr), &(var), sizeof(var))

/*
 * Flags the way strace prints them when no name matches: "0x4 / * TFD_??? * /"
 * (without the spaces); otherwise as p_flags().
 */
void p_flags_or(struct dctx *d, const struct ptk_xlat *x, uint64_t v, const char *unknown);
/* An enum value of a 32-bit int argument (unknown ones in 32-bit hex). */
void p_xlat32(struct dctx *d, const struct ptk_xlat *x, uint64_t v, const char *unknown);
/* Bytes in quotes, every one as \xNN (strace's forced-hex strings). */
void p_hexbytes(struct dctx *d, const uint8_t *s, size_t n);
/* A 64-bit value's array of bits as "[0 1 5]" (cpu sets). */
void p_bitlist(struct dctx *d, const uint8_t *bits, size_t nbytes);

/* dec_time.c */
void p_timespec(struct dctx *d, uint64_t addr, uint64_t size);
void p_timeval(struct dctx *d, uint64_t addr, uint64_t size);
void p_timespec_val(struct dctx *d, int64_t sec, int64_t nsec);
void p_timeval_val(struct dctx *d, int64_t sec, int64_t usec);
/* A clock id argument: CLOCK_MONOTONIC, or 0x63 / * CLOCK_??? * /. */
void p_clockid(struct dctx *d, uint64_t v);

/* dec_signal.c */
/* A clock_t in ticks, with its seconds when not 0: 4 / * 0.04 s * /. */
void p_clock_ticks(struct dctx *d, uint64_t v);
void p_siginfo_at(struct dctx *d, uint64_t addr, uint64_t size);
void p_sigevent(struct dctx *d, uint64_t addr, uint64_t size);

/* dec_proc.c */
void p_rusage(struct dctx *d, uint64_t addr, uint64_t size);

/* dec_sock.c: a socket address of len bytes at addr. */
void p_sockaddr(struct dctx *d, uint64_t addr, int64_t len);
/* The same, already read into our memory (len bytes of sa). */
void p_sockaddr_buf(struct dctx *d, const uint8_t *sa, size_t len);
/* inet_ntop of a 4- or 16-byte address into buf. */
const char *ip_text(int family, const void *a, char *buf, size_t len);
/* An interface index: if_nametoindex("lo"), or the number. */
void p_ifindex(struct dctx *d, uint32_t idx);

/* dec_netlink.c: netlink messages of len bytes at addr (proto: the
 * socket's protocol, -1 if unknown); false when it is not netlink data. */
bool p_netlink(struct dctx *d, uint64_t addr, uint64_t len, int proto);
/* The protocol of socket fd of the current tracee if it is AF_NETLINK, else -1. */
int netlink_proto_of_fd(struct dctx *d, int64_t fd);

#endif
