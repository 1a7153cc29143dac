/* SPDX-License-Identifier: MIT */
/*
 * rsp: the GDB Remote Serial Protocol packet layer of `ptk gdbserver`.
 *
 * Pure code: no ptrace, no sockets, no allocation, no I/O.  Four parts:
 *
 *   struct rsp_conn   one connection's framing state.  The server feeds it the bytes it
 *                     read from the socket, in chunks of any size, and gets back events
 *                     (a packet, an ack, an interrupt, a damaged frame).  Everything the
 *                     server must send (acks, framed replies, notifications,
 *                     retransmissions) collects in the connection's output buffer, which
 *                     the server drains to the socket.
 *   struct rsp_buf    a bounded builder for reply payloads: hex, escaped binary, numbers,
 *                     thread ids, stop-reply fields.  It reports overflow and never
 *                     writes past its end.
 *   struct rsp_scan   a cursor over a received payload with parsers for hex numbers,
 *                     `addr,len`, thread ids, separated lists, hex and binary data.
 *   free functions    checksum, hex, escaping, run-length decoding, framing.
 *
 * Wire facts (GDB manual, "Remote Protocol" appendix): a packet is `$payload#xx`, where xx
 * is the modulo-256 sum of the payload bytes in two hex digits; `%payload#xx` is a
 * notification, never acknowledged.  While acks are on, the receiver of a packet answers
 * `+` (good) or `-` (resend); QStartNoAckMode turns them off.  A 0x03 byte outside a
 * packet is an interrupt request.  Binary data escapes `#`, `$`, `}` and `*` as `}` and
 * the byte xor 0x20.  Replies may be run-length encoded: `c*N` stands for c followed by
 * N-29 more copies of c.
 *
 * Errors follow ptk's convention: functions that can fail return 0 (or a count) on
 * success and -errno on failure, results go through ret_ parameters; a failed call leaves
 * its outputs and its cursor or buffer unchanged.
 */
#ifndef PTK_GDBSERVER_RSP_H
#define PTK_GDBSERVER_RSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The largest payload a connection accepts and sends, in bytes between `$` and `#`.  The
 * server advertises it as `PacketSize=4000` (hex) in its qSupported reply; gdb and lldb
 * never send a packet longer than that.
 */
#define RSP_PAYLOAD_MAX 0x4000
/* A framed packet: `$`, payload, `#`, two checksum digits. */
#define RSP_FRAME_MAX (RSP_PAYLOAD_MAX + 4)
/* Output bytes kept back from rsp_conn_send/rsp_conn_notify so that acks always fit. */
#define RSP_OUT_ACK_RESERVE 64
/* The connection's output buffer: room for two full frames and the ack reserve. */
#define RSP_OUT_MAX (2 * RSP_FRAME_MAX + RSP_OUT_ACK_RESERVE)

/* The largest repeat a run-length count character can say: '~' (126) - 29. */
#define RSP_RLE_MAX_REPEAT 97

/* ------------------------------------------------------------------------------------- */
/* Checksums, hex, escaping, run-length encoding                                        */

/* The modulo-256 sum of n bytes: the checksum of a payload. */
uint8_t rsp_checksum(const void *p, size_t n);

/* The value of one hex digit (0-9, a-f, A-F), or -1 for any other byte. */
int rsp_hex_value(int c);

/*
 * Decode n hex digits (two per byte, either case) into out, which holds cap bytes; out may
 * be the same memory as hex.  Returns 0 and the byte count in *ret_len, -EINVAL if n is odd
 * or a byte is not a hex digit, -ENOBUFS if the result needs more than cap bytes.
 */
int rsp_hex_decode(const char *hex, size_t n, void *out, size_t cap, size_t *ret_len);

/*
 * Undo binary escaping (`}` then byte xor 0x20) of n bytes into out (cap bytes); out may
 * be the same memory as in, the result is never longer.  Any byte may follow `}`.  Returns
 * 0 and the byte count in *ret_len, -EINVAL if in ends with a lone `}`, -ENOBUFS if out is
 * too small.
 */
int rsp_unescape(const char *in, size_t n, void *out, size_t cap, size_t *ret_len);

/* The length of n bytes once escaped by rsp_buf_put_binary. */
size_t rsp_escaped_len(const void *p, size_t n);

/*
 * Expand run-length encoding (`c*N`: N-29 more copies of the byte before the `*`) of n
 * bytes into out (cap bytes, not overlapping in).  Count characters must be printable
 * (32..126) and neither `#` nor `$`.  Returns 0 and the expanded length in *ret_len,
 * -EINVAL for a `*` with no byte before it, no count after it or a bad count, -ENOBUFS if
 * out is too small.
 */
int rsp_rle_decode(const char *in, size_t n, char *out, size_t cap, size_t *ret_len);

/* ------------------------------------------------------------------------------------- */
/* Reply builder                                                                         */

/*
 * A bounded byte builder over caller memory: data[0..len) is the content, data[len] is
 * kept a NUL when there is room, for printing.  Every append is all or nothing: when a
 * piece does not fit, nothing of it is written, -ENOBUFS is returned and `overflow` is
 * set; once set, every later append fails too, so the content stays a clean prefix and
 * the caller can check once, after building the whole reply.
 */
struct rsp_buf {
	char *data;
	size_t len;
	size_t cap;
	bool overflow;
};

/* Start an empty builder over mem (cap bytes, cap may be 0). */
void rsp_buf_init(struct rsp_buf *b, char *mem, size_t cap);
/* Empty the builder and clear its overflow flag. */
void rsp_buf_reset(struct rsp_buf *b);
/* Append n raw bytes. */
int rsp_buf_put(struct rsp_buf *b, const void *p, size_t n);
/* Append one raw byte. */
int rsp_buf_putc(struct rsp_buf *b, char c);
/* Append a NUL-terminated string, raw. */
int rsp_buf_puts(struct rsp_buf *b, const char *s);
/*
 * Append printf-formatted text, all or nothing like every append (text of 256 bytes or
 * more needs one spare byte of room beyond its length).
 */
__attribute__((format(printf, 2, 3))) int rsp_buf_printf(struct rsp_buf *b, const char *fmt, ...);
/* Append n bytes as lowercase hex, two digits per byte, in memory order. */
int rsp_buf_put_hex(struct rsp_buf *b, const void *p, size_t n);
/* Append a number as lowercase big-endian hex without leading zeros ("0" for 0). */
int rsp_buf_put_num(struct rsp_buf *b, uint64_t v);
/* Append n bytes as escaped binary: `#`, `$`, `}` and `*` become `}` and byte xor 0x20. */
int rsp_buf_put_binary(struct rsp_buf *b, const void *p, size_t n);
/*
 * Append as many of n bytes as fit, escaped, never splitting an escape pair; for
 * qXfer/vFile:pread style replies that send what fits.  Does not set `overflow`.
 * Returns how many source bytes were written (0 when the builder has overflowed).
 */
size_t rsp_buf_put_binary_some(struct rsp_buf *b, const void *p, size_t n);
/* Append an error reply `Enn`: two lowercase hex digits of err & 0xff (an errno value). */
int rsp_buf_put_error(struct rsp_buf *b, int err);

/* ------------------------------------------------------------------------------------- */
/* Thread ids                                                                            */

/* A process or thread id that means "all" (-1 on the wire). */
#define RSP_ID_ALL (-1)
/* A process or thread id that means "any" (0 on the wire). */
#define RSP_ID_ANY 0

/*
 * A thread-id: `TID`, or in the multiprocess form `pPID.TID` or `pPID` (which means
 * `pPID.-1`).  Each id is RSP_ID_ALL, RSP_ID_ANY or a positive number; when has_pid is
 * false, pid is RSP_ID_ANY and the server picks the process.
 */
struct rsp_tid {
	bool has_pid;
	int64_t pid;
	int64_t tid;
};

/*
 * Append a thread-id: `pPID.TID` when has_pid, else `TID`; -1 is written as "-1", other
 * ids as hex.  Returns -EINVAL (nothing written) for an id below -1.
 */
int rsp_buf_put_tid(struct rsp_buf *b, const struct rsp_tid *t);

/* ------------------------------------------------------------------------------------- */
/* Stop replies                                                                          */

/*
 * Append `Tnn`: the start of a stop reply for signal signo, in the protocol's (gdb's)
 * numbering, e.g. 5 for SIGTRAP: two hex digits of signo & 0xff.
 */
int rsp_buf_put_stop(struct rsp_buf *b, int signo);
/* Append `name:value;` with value raw, e.g. ("swbreak", "") or ("exec", hexpath). */
int rsp_buf_put_field(struct rsp_buf *b, const char *name, const char *value);
/* Append `name:hex;`, e.g. ("core", 0) gives "core:0;". */
int rsp_buf_put_field_num(struct rsp_buf *b, const char *name, uint64_t v);
/* Append `name:thread-id;`, e.g. ("thread", p1.2) gives "thread:p1.2;". */
int rsp_buf_put_field_tid(struct rsp_buf *b, const char *name, const struct rsp_tid *t);
/*
 * Append an expedited register `nn:bytes;`: regno in hex, at least two digits, and the
 * size bytes of val as hex in memory (target) order, e.g. 6 and rbp gives "06:....;".
 */
int rsp_buf_put_field_reg(struct rsp_buf *b, unsigned regno, const void *val, size_t size);

/* ------------------------------------------------------------------------------------- */
/* Framing                                                                               */

/*
 * Append a whole frame to out: lead (`$` for a packet, `%` for a notification), the
 * payload (run-length encoded when rle is true), `#` and the two-digit checksum of the
 * bytes as sent.  The payload is text already encoded for the wire: binary parts must have
 * gone through rsp_buf_put_binary.  It must not contain `$`, `#` or `*` (they would break
 * the frame or read as run-length encoding), nor `%` in a notification.  Runs are encoded
 * only when that saves bytes, a count character is never `#` or `$` (runs of 7 or 8 are
 * sent as a run of 6 and literal bytes), nor `%` in a notification (a run of 9 there is
 * sent the same way), and longer runs are split.  Returns 0, -EINVAL for
 * a bad lead or a forbidden byte, -ENOBUFS (nothing appended) if the frame does not fit.
 */
int rsp_frame(struct rsp_buf *out, char lead, const void *payload, size_t n, bool rle);

/* ------------------------------------------------------------------------------------- */
/* Connection: incremental decoder, acks, output buffer                                  */

enum rsp_event_kind {
	/* All bytes given were consumed and no event completed: read more. */
	RSP_EV_NONE = 0,
	/* A `$` packet: data/len is its payload, raw (escapes and `*` untouched). */
	RSP_EV_PACKET,
	/* A `%` notification with a good checksum: data/len is its payload. */
	RSP_EV_NOTIFICATION,
	/* A `+` outside a packet. */
	RSP_EV_ACK,
	/* A `-` outside a packet; with acks on, the last packet sent is already queued again. */
	RSP_EV_NAK,
	/* A 0x03 byte outside a packet: the client asks to stop the target. */
	RSP_EV_INTERRUPT,
	/*
	 * A frame whose checksum is wrong or not two hex digits: dropped.  For a `$` packet
	 * with acks on, a `-` is queued so that the client resends it; a notification is
	 * dropped silently, as the protocol says.  data/len is what was received.
	 */
	RSP_EV_BAD_CHECKSUM,
	/*
	 * A well-formed frame whose payload is longer than the connection's limit: dropped.
	 * For a `$` packet with acks on, `+` is queued (a resend would be just as long); the
	 * server should answer an `E` error.  data/len holds the first limit bytes.
	 */
	RSP_EV_TOO_LONG,
	/*
	 * A frame cut short: a `$` (or, in a notification, `$` or `%`) arrived before its
	 * checksum, and starts a new frame.  The partial frame is dropped without reply;
	 * data/len is what was received of it.
	 */
	RSP_EV_TRUNCATED,
};

/*
 * One decoded event.  data points into the connection and stays valid until the next
 * rsp_conn_feed call; it is NUL-terminated, but a payload may contain NUL bytes, so len is
 * the length.  data is NULL for events without a payload.
 */
struct rsp_event {
	enum rsp_event_kind kind;
	const char *data;
	size_t len;
	/*
	 * For RSP_EV_PACKET: false when the checksum did not match but the packet was
	 * accepted anyway because acks are off (the manual allows the receiver to ignore
	 * checksums then, as gdbserver and lldb-server do).  Always true otherwise.
	 */
	bool checksum_ok;
};

/*
 * One connection.  Treat the fields as private; the struct is public so that it can live
 * on the stack or in a server's state without allocation (it is about 64 KiB).
 */
struct rsp_conn {
	int state;
	char lead;
	uint8_t sum;
	char digit1;
	size_t len;
	size_t seen;
	size_t max_payload;
	bool ack_mode;
	bool rle;
	unsigned long junk;
	unsigned long dropped_acks;
	size_t out_len;
	size_t last_len;
	char pkt[RSP_PAYLOAD_MAX + 1];
	char out[RSP_OUT_MAX];
	char last[RSP_FRAME_MAX];
};

/*
 * Start a connection: acks on (the protocol's initial mode), run-length encoding off,
 * incoming payloads limited to max_payload bytes (0 or more than RSP_PAYLOAD_MAX means
 * RSP_PAYLOAD_MAX), empty output.
 */
void rsp_conn_init(struct rsp_conn *c, size_t max_payload);

/*
 * Decode bytes received from the client.  Consumes bytes from buf until one event is
 * complete or all len bytes are used, fills *ev and returns the number of bytes consumed;
 * with len > 0 it always consumes at least one byte.  Call it again with the rest:
 *
 *	while (len > 0) {
 *		size_t used = rsp_conn_feed(c, buf, len, &ev);
 *		buf += used, len -= used;
 *		if (ev.kind != RSP_EV_NONE)
 *			handle(&ev);       (may call rsp_conn_send)
 *	}
 *	then write out rsp_conn_output() and rsp_conn_consume() what was written.
 *
 * A packet may be split anywhere across calls.  Bytes outside frames other than `$`, `%`,
 * `+`, `-` and 0x03 are junk: skipped and counted (rsp_conn_junk).  With acks on, `+` or
 * `-` is queued on the output as each `$` packet completes (see the event kinds); with
 * acks off, nothing is queued.  Drain the output between calls: an ack that finds the
 * output full is dropped and counted (rsp_conn_dropped_acks).
 */
size_t rsp_conn_feed(struct rsp_conn *c, const void *buf, size_t len, struct rsp_event *ev);

/*
 * Queue a reply packet: frame payload (see rsp_frame; run-length encoded if enabled) on
 * the output.  While acks are on, the frame is remembered and queued again when a `-`
 * arrives.  Returns 0, -EINVAL (forbidden byte, see rsp_frame), -EMSGSIZE (payload longer
 * than RSP_PAYLOAD_MAX) or -ENOBUFS (output too full: drain it and retry).
 */
int rsp_conn_send(struct rsp_conn *c, const void *payload, size_t n);
/* rsp_conn_send of a NUL-terminated string. */
int rsp_conn_send_str(struct rsp_conn *c, const char *payload);
/*
 * Queue a notification `%payload#xx`, e.g. "Stop:T05...": never acknowledged, never
 * resent.  Returns as rsp_conn_send; `%` in the payload is forbidden too.
 */
int rsp_conn_notify(struct rsp_conn *c, const void *payload, size_t n);

/*
 * Turn acks on or off.  For QStartNoAckMode the server queues its `OK` (the `+` for the
 * request was already queued by rsp_conn_feed) and then turns acks off; the client's `+`
 * for that `OK` still arrives and is reported as an RSP_EV_ACK, to be ignored.
 */
void rsp_conn_set_ack_mode(struct rsp_conn *c, bool on);
/* Whether acks are on. */
bool rsp_conn_ack_mode(const struct rsp_conn *c);
/* Turn run-length encoding of replies sent by rsp_conn_send/rsp_conn_notify on or off. */
void rsp_conn_set_rle(struct rsp_conn *c, bool on);
/* The connection's payload limit, the number to advertise as PacketSize. */
size_t rsp_conn_max_payload(const struct rsp_conn *c);

/* The bytes waiting to be sent: returns the start, their count in *ret_len. */
const char *rsp_conn_output(const struct rsp_conn *c, size_t *ret_len);
/* Forget the first n output bytes (they were written); n is capped at the count waiting. */
void rsp_conn_consume(struct rsp_conn *c, size_t n);

/* How many junk bytes (outside any frame, not an ack or interrupt) have been skipped. */
unsigned long rsp_conn_junk(const struct rsp_conn *c);
/* How many acks were dropped because the output was full. */
unsigned long rsp_conn_dropped_acks(const struct rsp_conn *c);

/* ------------------------------------------------------------------------------------- */
/* Parsing payloads                                                                      */

/* A byte range inside a payload (not NUL-terminated). */
struct rsp_str {
	const char *p;
	size_t len;
};

/* Whether s is exactly the string lit. */
bool rsp_str_eq(struct rsp_str s, const char *lit);
/* Whether s starts with the string lit. */
bool rsp_str_prefix(struct rsp_str s, const char *lit);

/*
 * A cursor over a payload.  Every rsp_scan_ parser either consumes what it parsed and
 * returns 0 (or true), or fails and leaves the cursor where it was.
 */
struct rsp_scan {
	const char *p;
	const char *end;
};

/* Start a cursor over n bytes at p. */
void rsp_scan_init(struct rsp_scan *s, const void *p, size_t n);
/* Start a cursor over a rsp_str. */
void rsp_scan_init_str(struct rsp_scan *s, struct rsp_str str);
/* How many bytes are left. */
size_t rsp_scan_left(const struct rsp_scan *s);
/* Whether no byte is left. */
bool rsp_scan_eof(const struct rsp_scan *s);
/* If the next bytes are lit, consume them and return true; else return false. */
bool rsp_scan_lit(struct rsp_scan *s, const char *lit);
/* Consume everything left and return it. */
struct rsp_str rsp_scan_rest(struct rsp_scan *s);

/*
 * Parse a hex number (one or more digits, either case, leading zeros allowed) into *ret.
 * Returns 0, -EINVAL if no hex digit is next, -ERANGE if the value exceeds 64 bits.
 */
int rsp_scan_num(struct rsp_scan *s, uint64_t *ret);

/* Parse `addr,len` (two hex numbers), as in m, M, X, Z and qXfer offsets. */
int rsp_scan_addr_len(struct rsp_scan *s, uint64_t *ret_addr, uint64_t *ret_len);

/*
 * Parse a thread-id: `-1`, `0`, hex `TID`, `pPID`, `pPID.TID` where PID and TID are `-1`,
 * `0` or hex.  Returns 0, -EINVAL for malformed input (including `-1` followed by more hex
 * digits and `p-1.TID` with a specific TID, which the manual forbids), -ERANGE for an id
 * above INT64_MAX.
 */
int rsp_scan_tid(struct rsp_scan *s, struct rsp_tid *ret);

/*
 * Take the next item of a sep-separated list (e.g. `;` in qSupported, vCont and stop
 * replies): the bytes up to sep or the end; the sep is consumed.  Items may be empty.
 * Returns false only when nothing is left.
 */
bool rsp_scan_item(struct rsp_scan *s, char sep, struct rsp_str *ret);

/*
 * Decode hex byte pairs up to the end or the first non-hex byte into out (cap bytes), as
 * in M, G and P packets.  Returns 0 and the byte count in *ret_len, -EINVAL for an odd
 * number of digits, -ENOBUFS if out is too small.
 */
int rsp_scan_hex_bytes(struct rsp_scan *s, void *out, size_t cap, size_t *ret_len);

/*
 * Unescape all remaining bytes as binary data into out (cap bytes), as in
 * `X addr,len:binary` and `vFile:pwrite:fd,offset,binary`.  Returns as rsp_unescape.
 */
int rsp_scan_binary(struct rsp_scan *s, void *out, size_t cap, size_t *ret_len);

/* Parse a whole rsp_str as a hex number; returns as rsp_scan_num, -EINVAL on leftovers. */
int rsp_str_num(struct rsp_str s, uint64_t *ret);
/* Parse a whole rsp_str as a thread-id; returns as rsp_scan_tid, -EINVAL on leftovers. */
int rsp_str_tid(struct rsp_str s, struct rsp_tid *ret);

/*
 * Split `name SEP value` at the first sep, e.g. a stop-reply field `thread:p1.2` with ':'.
 * Returns 0, or -EINVAL if sep does not occur (outputs untouched).
 */
int rsp_split(struct rsp_str item, char sep, struct rsp_str *ret_name, struct rsp_str *ret_value);

/*
 * One qSupported feature: `name+`, `name-`, `name?` (state is that byte, value empty) or
 * `name=value` (state '=').
 */
struct rsp_feature {
	struct rsp_str name;
	char state;
	struct rsp_str value;
};

/* Parse one qSupported item; -EINVAL for an empty name or no +, -, ? or =value. */
int rsp_parse_feature(struct rsp_str item, struct rsp_feature *ret);

#endif
