/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the GDB Remote Serial Protocol packet layer (src/gdbserver/rsp.c): exact
 * bytes on the wire, real packets recorded from gdb 13, lldb 14 and gdbserver on this
 * machine (fuzz/rsp/corpus), and the malformed cases.
 */
#include "harness.h"
#include "rsp.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>

/* Each case runs in its own process, so one static connection is enough (~64 KiB). */
static struct rsp_conn conn;

/* ------------------------------------------------------------------------------------- */
/* Helpers                                                                               */

/* Append bytes to a description, printable ASCII as is and the rest as \xNN. */
static void desc_bytes(struct rsp_buf *d, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			rsp_buf_putc(d, (char)c);
		else
			rsp_buf_printf(d, "\\x%02x", c);
	}
}

/* One event as text: P(payload) P!(payload) N(..) B(..) L(..) T(..) A K I. */
static void desc_event(struct rsp_buf *d, const struct rsp_event *ev)
{
	static const char *const names[] = {
	        [RSP_EV_PACKET] = "P",   [RSP_EV_NOTIFICATION] = "N", [RSP_EV_ACK] = "A",
	        [RSP_EV_NAK] = "K",      [RSP_EV_INTERRUPT] = "I",    [RSP_EV_BAD_CHECKSUM] = "B",
	        [RSP_EV_TOO_LONG] = "L", [RSP_EV_TRUNCATED] = "T",
	};
	if (d->len)
		rsp_buf_putc(d, ' ');
	rsp_buf_puts(d, names[ev->kind]);
	if (ev->kind == RSP_EV_PACKET && !ev->checksum_ok)
		rsp_buf_putc(d, '!');
	if (ev->data) {
		CHECK_EQ_INT(ev->data[ev->len], 0);
		rsp_buf_putc(d, '(');
		desc_bytes(d, ev->data, ev->len);
		rsp_buf_putc(d, ')');
	} else {
		CHECK_EQ_INT(ev->len, 0);
	}
}

/*
 * Feed n bytes in chunks of at most `chunk` bytes (0: all at once) and return the events
 * as text.  Checks the progress guarantee: every call consumes 1..len bytes, and RSP_EV_NONE
 * comes only with the whole chunk consumed.
 */
static const char *feed(struct rsp_conn *c, const void *data, size_t n, size_t chunk)
{
	static char mem[1 << 16];
	struct rsp_buf d;
	const char *p = data;

	rsp_buf_init(&d, mem, sizeof(mem));
	if (chunk == 0)
		chunk = n ? n : 1;
	for (size_t off = 0; off < n; off += chunk) {
		size_t len = n - off < chunk ? n - off : chunk;
		const char *q = p + off;
		while (len > 0) {
			struct rsp_event ev;
			size_t used = rsp_conn_feed(c, q, len, &ev);
			CHECK(used >= 1 && used <= len);
			if (ev.kind == RSP_EV_NONE)
				CHECK_EQ_INT(used, len);
			else
				desc_event(&d, &ev);
			q += used;
			len -= used;
		}
	}
	CHECK(!d.overflow);
	return mem;
}

static const char *feed_str(struct rsp_conn *c, const char *s)
{
	return feed(c, s, strlen(s), 0);
}

/* The connection's pending output as a NUL-terminated string, then consumed. */
static const char *take_output(struct rsp_conn *c)
{
	static char mem[RSP_OUT_MAX + 1];
	size_t n;
	const char *o = rsp_conn_output(c, &n);

	memcpy(mem, o, n);
	mem[n] = '\0';
	rsp_conn_consume(c, n);
	return mem;
}

static struct rsp_str str(const char *s)
{
	return (struct rsp_str){s, strlen(s)};
}

/* A small deterministic generator (xorshift64). */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* ------------------------------------------------------------------------------------- */
/* Checksums and framing                                                                 */

TEST(checksum_known_packets)
{
	/* Values checked against what gdb 13 and gdbserver put on the wire here. */
	CHECK_EQ_HEX(rsp_checksum("qSupported:multiprocess+;swbreak+", 33), 0x1b);
	CHECK_EQ_HEX(rsp_checksum("QStartNoAckMode", 15), 0xb0);
	CHECK_EQ_HEX(rsp_checksum("OK", 2), 0x9a);
	CHECK_EQ_HEX(rsp_checksum("vMustReplyEmpty", 15), 0x3a);
	CHECK_EQ_HEX(rsp_checksum("", 0), 0x00);
	CHECK_EQ_HEX(rsp_checksum("X7fffffffe370,1:}\x03", 19), 0x6f);
	/* The sum wraps modulo 256. */
	CHECK_EQ_HEX(rsp_checksum("\xff\xff", 2), 0xfe);
}

TEST(frame_exact_bytes)
{
	char mem[64];
	struct rsp_buf b;

	rsp_buf_init(&b, mem, sizeof(mem));
	CHECK_OK(rsp_frame(&b, '$', "qSupported:multiprocess+;swbreak+", 33, false));
	CHECK_EQ_STR(b.data, "$qSupported:multiprocess+;swbreak+#1b");
	rsp_buf_reset(&b);
	CHECK_OK(rsp_frame(&b, '$', "", 0, false));
	CHECK_EQ_STR(b.data, "$#00");
	rsp_buf_reset(&b);
	CHECK_OK(rsp_frame(&b, '%', "Stop:T05thread:p1.2;", 20, false));
	CHECK_EQ_STR(b.data, "%Stop:T05thread:p1.2;#87");
	/* Frames append. */
	CHECK_OK(rsp_frame(&b, '$', "OK", 2, true));
	CHECK_EQ_STR(b.data, "%Stop:T05thread:p1.2;#87$OK#9a");
}

TEST(frame_rejects_forbidden_bytes)
{
	char mem[64];
	struct rsp_buf b;

	rsp_buf_init(&b, mem, sizeof(mem));
	rsp_buf_puts(&b, "x");
	CHECK_EQ_INT(rsp_frame(&b, '$', "a#b", 3, false), -EINVAL);
	CHECK_EQ_INT(rsp_frame(&b, '$', "a$b", 3, false), -EINVAL);
	CHECK_EQ_INT(rsp_frame(&b, '$', "a*b", 3, true), -EINVAL);
	CHECK_EQ_INT(rsp_frame(&b, '%', "Stop:%", 6, false), -EINVAL);
	CHECK_EQ_INT(rsp_frame(&b, '+', "OK", 2, false), -EINVAL);
	/* `%` is fine inside a `$` packet, `}` everywhere. */
	CHECK_OK(rsp_frame(&b, '$', "%}]", 3, false));
	CHECK_EQ_STR(b.data, "x$%}]#ff");
	CHECK(!b.overflow);
}

TEST(frame_too_big_for_buffer)
{
	char mem[8];
	struct rsp_buf b;

	memset(mem, 'Z', sizeof(mem));
	rsp_buf_init(&b, mem, 7);
	rsp_buf_puts(&b, "ab");
	/* "$OK#9a" needs 6 bytes, 5 are left. */
	CHECK_EQ_INT(rsp_frame(&b, '$', "OK", 2, false), -ENOBUFS);
	CHECK_EQ_INT(b.len, 2);
	CHECK_EQ_STR(b.data, "ab");
	CHECK(b.overflow);
	CHECK_EQ_INT(mem[7], 'Z');
}

/* ------------------------------------------------------------------------------------- */
/* Decoder                                                                               */

TEST(decode_one_packet_acked)
{
	rsp_conn_init(&conn, 0);
	CHECK_EQ_STR(feed_str(&conn, "$qSupported:multiprocess+;swbreak+#1b"),
	             "P(qSupported:multiprocess+;swbreak+)");
	CHECK_EQ_STR(take_output(&conn), "+");
	CHECK_EQ_INT(rsp_conn_junk(&conn), 0);
}

TEST(decode_uppercase_checksum_digits)
{
	rsp_conn_init(&conn, 0);
	CHECK_EQ_STR(feed_str(&conn, "$OK#9A"), "P(OK)");
	CHECK_EQ_STR(take_output(&conn), "+");
}

TEST(decode_returns_after_each_event)
{
	struct rsp_event ev;
	const char *s = "$m0,4#fd$?#3f+";
	size_t used;

	rsp_conn_init(&conn, 0);
	used = rsp_conn_feed(&conn, s, strlen(s), &ev);
	CHECK_EQ_INT(used, 8);
	CHECK_EQ_INT(ev.kind, RSP_EV_PACKET);
	CHECK_EQ_INT(ev.len, 4);
	CHECK(memcmp(ev.data, "m0,4", 4) == 0);
	used = rsp_conn_feed(&conn, s + 8, strlen(s) - 8, &ev);
	CHECK_EQ_INT(used, 5);
	CHECK_EQ_INT(ev.kind, RSP_EV_PACKET);
	CHECK_EQ_STR(ev.data, "?");
	used = rsp_conn_feed(&conn, s + 13, 1, &ev);
	CHECK_EQ_INT(used, 1);
	CHECK_EQ_INT(ev.kind, RSP_EV_ACK);
	CHECK(ev.data == NULL);
	CHECK_EQ_STR(take_output(&conn), "++");
	/* Nothing given, nothing consumed. */
	CHECK_EQ_INT(rsp_conn_feed(&conn, s, 0, &ev), 0);
	CHECK_EQ_INT(ev.kind, RSP_EV_NONE);
}

TEST(decode_two_packets_in_one_feed)
{
	rsp_conn_init(&conn, 0);
	CHECK_EQ_STR(feed_str(&conn, "$vMustReplyEmpty#3a$QStartNoAckMode#b0"),
	             "P(vMustReplyEmpty) P(QStartNoAckMode)");
	CHECK_EQ_STR(take_output(&conn), "++");
}

/* A stream with every kind of event, split at every byte boundary gives the same events. */
TEST(decode_split_at_every_boundary)
{
	static const char stream[] = "+$qSupported:multiprocess+;swbreak+#1bjunk\x03"
	                             "$X7fffffffe370,1:}\x03#6f-%Stop:T05thread:p1.2;#87"
	                             "$m0,4#00$half$?#3f\r\n+";
	const size_t n = sizeof(stream) - 1;
	const char *want = "A P(qSupported:multiprocess+;swbreak+) I P(X7fffffffe370,1:}\\x03) K "
	                   "N(Stop:T05thread:p1.2;) B(m0,4) T(half) P(?) A";
	char whole[1024];

	rsp_conn_init(&conn, 0);
	snprintf(whole, sizeof(whole), "%s", feed(&conn, stream, n, 0));
	CHECK_EQ_STR(whole, want);
	CHECK_EQ_STR(take_output(&conn), "++-+");
	CHECK_EQ_INT(rsp_conn_junk(&conn), 6); /* "junk" and "\r\n" */

	for (size_t cut = 0; cut <= n; cut++) {
		char got[1024];
		rsp_conn_init(&conn, 0);
		snprintf(got, sizeof(got), "%s", feed(&conn, stream, cut, 0));
		size_t l = strlen(got);
		snprintf(got + l, sizeof(got) - l, "%s%s", l ? " " : "",
		         feed(&conn, stream + cut, n - cut, 0));
		/* When the second part completes no event, drop the separator added for it. */
		l = strlen(got);
		if (l && got[l - 1] == ' ')
			got[l - 1] = '\0';
		CHECK_MSG(strcmp(got, want) == 0, "cut at %zu: %s", cut, got);
		CHECK_EQ_STR(take_output(&conn), "++-+");
	}
	for (size_t chunk = 1; chunk <= 7; chunk++) {
		rsp_conn_init(&conn, 0);
		CHECK_EQ_STR(feed(&conn, stream, n, chunk), want);
		CHECK_EQ_STR(take_output(&conn), "++-+");
	}
}

TEST(decode_bad_checksum_then_retransmit)
{
	rsp_conn_init(&conn, 0);
	CHECK_EQ_STR(feed_str(&conn, "$vCont?#48"), "B(vCont?)");
	CHECK_EQ_STR(take_output(&conn), "-");
	CHECK_EQ_STR(feed_str(&conn, "$vCont?#49"), "P(vCont?)");
	CHECK_EQ_STR(take_output(&conn), "+");
	/* Checksum digits that are not hex are a damaged frame too. */
	CHECK_EQ_STR(feed_str(&conn, "$vCont?#4g"), "B(vCont?)");
	CHECK_EQ_STR(take_output(&conn), "-");
}

TEST(decode_truncated_frame)
{
	rsp_conn_init(&conn, 0);
	/* A `$` in the body or in place of a checksum digit starts over. */
	CHECK_EQ_STR(feed_str(&conn, "$abc$?#3f"), "T(abc) P(?)");
	CHECK_EQ_STR(feed_str(&conn, "$OK#9$OK#9a"), "T(OK) P(OK)");
	CHECK_EQ_STR(feed_str(&conn, "$OK#$OK#9a"), "T(OK) P(OK)");
	CHECK_EQ_STR(take_output(&conn), "+++");
	/* In a notification `%` starts over too; in a packet it is data. */
	CHECK_EQ_STR(feed_str(&conn, "%Stop:%Stop:T05;#d4"), "T(Stop:) N(Stop:T05;)");
	CHECK_EQ_STR(feed_str(&conn, "$a%b#e8"), "P(a%b)");
	CHECK_EQ_STR(take_output(&conn), "+");
}

TEST(decode_interrupt)
{
	rsp_conn_init(&conn, 0);
	CHECK_EQ_STR(feed_str(&conn, "\x03"), "I");
	CHECK_EQ_STR(take_output(&conn), "");
	/* Inside a packet 0x03 is data: here the escaped `#` of a real gdb X packet. */
	CHECK_EQ_STR(feed_str(&conn, "$X7fffffffe370,1:}\x03#6f\x03"),
	             "P(X7fffffffe370,1:}\\x03) I");
	CHECK_EQ_STR(take_output(&conn), "+");
}

TEST(decode_junk_between_packets)
{
	rsp_conn_init(&conn, 0);
	CHECK_EQ_STR(feed_str(&conn, "hello#00 $?#3f\xff\x80"), "P(?)");
	CHECK_EQ_INT(rsp_conn_junk(&conn), 11);
}

TEST(decode_oversize_packet)
{
	char pkt[64], big[RSP_PAYLOAD_MAX + 8];

	rsp_conn_init(&conn, 16);
	CHECK_EQ_INT(rsp_conn_max_payload(&conn), 16);
	/* 16 bytes fit, 17 do not: the first 16 are reported, the frame is acked. */
	snprintf(pkt, sizeof(pkt), "$%s#%02x", "0123456789abcdef",
	         rsp_checksum("0123456789abcdef", 16));
	CHECK_EQ_STR(feed_str(&conn, pkt), "P(0123456789abcdef)");
	snprintf(pkt, sizeof(pkt), "$%s#%02x", "0123456789abcdefg",
	         rsp_checksum("0123456789abcdefg", 17));
	CHECK_EQ_STR(feed_str(&conn, pkt), "L(0123456789abcdef)");
	CHECK_EQ_STR(take_output(&conn), "++");
	/* An oversize frame with a bad checksum is a damaged frame. */
	CHECK_EQ_STR(feed_str(&conn, "$0123456789abcdefg#00"), "B(0123456789abcdef)");
	CHECK_EQ_STR(take_output(&conn), "-");
	/* The connection goes on normally. */
	CHECK_EQ_STR(feed_str(&conn, "$?#3f"), "P(?)");

	/* The default limit is RSP_PAYLOAD_MAX. */
	rsp_conn_init(&conn, 0);
	CHECK_EQ_INT(rsp_conn_max_payload(&conn), RSP_PAYLOAD_MAX);
	rsp_conn_init(&conn, RSP_PAYLOAD_MAX + 1);
	CHECK_EQ_INT(rsp_conn_max_payload(&conn), RSP_PAYLOAD_MAX);
	for (size_t n = RSP_PAYLOAD_MAX; n <= RSP_PAYLOAD_MAX + 1; n++) {
		struct rsp_event ev;
		big[0] = '$';
		memset(big + 1, 'a', n);
		snprintf(big + 1 + n, 4, "#%02x", (unsigned)((n * 'a') & 0xff));
		CHECK_EQ_INT(rsp_conn_feed(&conn, big, n + 4, &ev), n + 4);
		CHECK_EQ_INT(ev.kind, n == RSP_PAYLOAD_MAX ? RSP_EV_PACKET : RSP_EV_TOO_LONG);
		CHECK_EQ_INT(ev.len, RSP_PAYLOAD_MAX);
	}
	CHECK_EQ_STR(take_output(&conn), "++");
}

TEST(decode_notifications)
{
	rsp_conn_init(&conn, 0);
	/* Never acknowledged, good or bad. */
	CHECK_EQ_STR(feed_str(&conn, "%Stop:T05thread:p1.2;#87"), "N(Stop:T05thread:p1.2;)");
	CHECK_EQ_STR(feed_str(&conn, "%Stop:T05thread:p1.2;#88"), "B(Stop:T05thread:p1.2;)");
	CHECK_EQ_STR(take_output(&conn), "");
	/* A bad notification is dropped even with acks off. */
	rsp_conn_set_ack_mode(&conn, false);
	CHECK_EQ_STR(feed_str(&conn, "%Stop:T05thread:p1.2;#88"), "B(Stop:T05thread:p1.2;)");
}

TEST(decode_real_gdbserver_notification)
{
	/* Recorded from gdbserver 13 in non-stop mode; run-length encoded. */
	static const char wire[] = "%Stop:T05swbreak:;06:d0e3f*\"7f0* ;07:18e1f*\"7f0* ;"
	                           "10:60c0fcf7ff7f0* ;thread:p1f43.1f43;core:1;#5f";
	struct rsp_event ev;
	char out[256];
	size_t n;

	rsp_conn_init(&conn, 0);
	CHECK_EQ_INT(rsp_conn_feed(&conn, wire, sizeof(wire) - 1, &ev), sizeof(wire) - 1);
	CHECK_EQ_INT(ev.kind, RSP_EV_NOTIFICATION);
	CHECK_OK(rsp_rle_decode(ev.data, ev.len, out, sizeof(out) - 1, &n));
	out[n] = '\0';
	CHECK_EQ_STR(out, "Stop:T05swbreak:;06:d0e3ffffff7f0000;07:18e1ffffff7f0000;"
	                  "10:60c0fcf7ff7f0000;thread:p1f43.1f43;core:1;");
}

/* ------------------------------------------------------------------------------------- */
/* Acks, no-ack mode, retransmission, output                                             */

TEST(noack_mode_handshake)
{
	/* The opening of a real lldb 14 session (it starts with QStartNoAckMode). */
	static const char lldb[] =
	        "+$QStartNoAckMode#b0+$qSupported:xmlRegisters=i386,arm,mips,arc;"
	        "multiprocess+;fork-events+;vfork-events+#2e"
	        "$QThreadSuffixSupported#e4";
	struct rsp_event ev;
	const char *p = lldb;
	size_t left = sizeof(lldb) - 1, used;

	rsp_conn_init(&conn, 0);
	CHECK(rsp_conn_ack_mode(&conn));
	used = rsp_conn_feed(&conn, p, left, &ev);
	CHECK_EQ_INT(ev.kind, RSP_EV_ACK);
	p += used, left -= used;
	used = rsp_conn_feed(&conn, p, left, &ev);
	CHECK_EQ_INT(ev.kind, RSP_EV_PACKET);
	CHECK_EQ_STR(ev.data, "QStartNoAckMode");
	p += used, left -= used;
	/* The server answers OK, then turns acks off; the `+` for the request comes first. */
	CHECK_OK(rsp_conn_send_str(&conn, "OK"));
	rsp_conn_set_ack_mode(&conn, false);
	CHECK(!rsp_conn_ack_mode(&conn));
	CHECK_EQ_STR(take_output(&conn), "+$OK#9a");
	/* lldb's `+` for the OK, then packets without acks either way. */
	CHECK_EQ_STR(feed(&conn, p, left, 0), "A P(qSupported:xmlRegisters=i386,arm,mips,arc;"
	                                      "multiprocess+;fork-events+;vfork-events+) "
	                                      "P(QThreadSuffixSupported)");
	CHECK_EQ_STR(take_output(&conn), "");
	CHECK_OK(rsp_conn_send_str(&conn, "S05"));
	CHECK_EQ_STR(take_output(&conn), "$S05#b8");
	/* A `-` asks for nothing now. */
	CHECK_EQ_STR(feed_str(&conn, "-"), "K");
	CHECK_EQ_STR(take_output(&conn), "");
}

TEST(noack_mode_checksum_may_be_ignored)
{
	rsp_conn_init(&conn, 0);
	rsp_conn_set_ack_mode(&conn, false);
	/* A wrong sum is accepted and flagged; digits that are not hex still drop it. */
	CHECK_EQ_STR(feed_str(&conn, "$?#00"), "P!(?)");
	CHECK_EQ_STR(feed_str(&conn, "$?#3f"), "P(?)");
	CHECK_EQ_STR(feed_str(&conn, "$?#zz"), "B(?)");
	CHECK_EQ_STR(take_output(&conn), "");
}

TEST(nak_resends_last_packet)
{
	rsp_conn_init(&conn, 0);
	CHECK_EQ_STR(feed_str(&conn, "-"), "K");
	CHECK_EQ_STR(take_output(&conn), ""); /* nothing sent yet */
	CHECK_OK(rsp_conn_send_str(&conn, "T05thread:p1f43.1f43;core:0;"));
	CHECK_EQ_STR(take_output(&conn), "$T05thread:p1f43.1f43;core:0;#8e");
	CHECK_EQ_STR(feed_str(&conn, "-"), "K");
	CHECK_EQ_STR(take_output(&conn), "$T05thread:p1f43.1f43;core:0;#8e");
	/* Notifications are never resent: the last packet still is the T05. */
	CHECK_OK(rsp_conn_notify(&conn, "Stop:T05thread:p1.2;", 20));
	CHECK_EQ_STR(take_output(&conn), "%Stop:T05thread:p1.2;#87");
	CHECK_EQ_STR(feed_str(&conn, "-+"), "K A");
	CHECK_EQ_STR(take_output(&conn), "$T05thread:p1f43.1f43;core:0;#8e");
}

TEST(send_errors)
{
	static char big[RSP_PAYLOAD_MAX + 1];
	size_t n;

	rsp_conn_init(&conn, 0);
	CHECK_EQ_INT(rsp_conn_send_str(&conn, "a#b"), -EINVAL);
	CHECK_EQ_INT(rsp_conn_send_str(&conn, "a*b"), -EINVAL);
	CHECK_EQ_INT(rsp_conn_notify(&conn, "Stop:%", 6), -EINVAL);
	CHECK_EQ_INT(rsp_conn_send(&conn, big, sizeof(big)), -EMSGSIZE);
	rsp_conn_output(&conn, &n);
	CHECK_EQ_INT(n, 0);
	/* Two full frames fit; the third waits until the output is drained. */
	memset(big, '0', sizeof(big));
	CHECK_OK(rsp_conn_send(&conn, big, RSP_PAYLOAD_MAX));
	CHECK_OK(rsp_conn_send(&conn, big, RSP_PAYLOAD_MAX));
	CHECK_EQ_INT(rsp_conn_send_str(&conn, "OK"), -ENOBUFS);
	rsp_conn_output(&conn, &n);
	CHECK_EQ_INT(n, 2 * RSP_FRAME_MAX);
	/* Acks still fit in the reserve. */
	CHECK_EQ_STR(feed_str(&conn, "$?#3f"), "P(?)");
	rsp_conn_output(&conn, &n);
	CHECK_EQ_INT(n, 2 * RSP_FRAME_MAX + 1);
	CHECK_EQ_INT(rsp_conn_dropped_acks(&conn), 0);
	/* Partial consumption keeps the rest in order. */
	rsp_conn_consume(&conn, 2 * RSP_FRAME_MAX - 3);
	CHECK_EQ_STR(take_output(&conn), "#00+"); /* 0x4000 * '0' sums to 0 */
	CHECK_OK(rsp_conn_send_str(&conn, "OK"));
	rsp_conn_consume(&conn, 1000); /* more than waiting: capped */
	rsp_conn_output(&conn, &n);
	CHECK_EQ_INT(n, 0);
}

TEST(send_rle_when_enabled)
{
	rsp_conn_init(&conn, 0);
	rsp_conn_set_rle(&conn, true);
	CHECK_OK(rsp_conn_send_str(&conn, "00000000"));
	CHECK_EQ_STR(take_output(&conn), "$0*\"00#dc");
	rsp_conn_set_rle(&conn, false);
	CHECK_OK(rsp_conn_send_str(&conn, "0000"));
	CHECK_EQ_STR(take_output(&conn), "$0000#c0");
}

/* ------------------------------------------------------------------------------------- */
/* Escaping                                                                              */

TEST(escape_every_byte_value)
{
	for (int v = 0; v < 256; v++) {
		unsigned char byte = (unsigned char)v, back[4];
		char mem[4], want[3];
		struct rsp_buf b;
		size_t n;

		rsp_buf_init(&b, mem, sizeof(mem));
		CHECK_OK(rsp_buf_put_binary(&b, &byte, 1));
		if (v == '#' || v == '$' || v == '}' || v == '*') {
			want[0] = '}', want[1] = (char)(v ^ 0x20), want[2] = 0;
			CHECK_EQ_INT(b.len, 2);
			CHECK(memcmp(b.data, want, 2) == 0);
			CHECK_EQ_INT(rsp_escaped_len(&byte, 1), 2);
		} else {
			CHECK_EQ_INT(b.len, 1);
			CHECK_EQ_INT((unsigned char)b.data[0], v);
			CHECK_EQ_INT(rsp_escaped_len(&byte, 1), 1);
		}
		CHECK_OK(rsp_unescape(b.data, b.len, back, sizeof(back), &n));
		CHECK_EQ_INT(n, 1);
		CHECK_EQ_INT(back[0], v);
	}
	/* The four escapes, exactly. */
	char mem[16];
	struct rsp_buf b;
	rsp_buf_init(&b, mem, sizeof(mem));
	CHECK_OK(rsp_buf_put_binary(&b, "#$}*", 4));
	CHECK_EQ_STR(b.data, "}\x03}\x04}]}\n");
}

TEST(escape_round_trip_all_bytes_in_one_block)
{
	unsigned char all[256], back[256];
	char mem[300];
	struct rsp_buf b;
	size_t n;

	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	rsp_buf_init(&b, mem, sizeof(mem));
	CHECK_OK(rsp_buf_put_binary(&b, all, sizeof(all)));
	CHECK_EQ_INT(b.len, 260);
	for (size_t i = 0; i < b.len; i++)
		CHECK(b.data[i] != '#' && b.data[i] != '$' && b.data[i] != '*');
	CHECK_OK(rsp_unescape(b.data, b.len, back, sizeof(back), &n));
	CHECK_EQ_INT(n, 256);
	CHECK(memcmp(back, all, 256) == 0);
	/* In place. */
	CHECK_OK(rsp_unescape(b.data, b.len, b.data, b.len, &n));
	CHECK_EQ_INT(n, 256);
	CHECK(memcmp(b.data, all, 256) == 0);
	/* Escaped data frames and decodes back intact. */
	rsp_buf_reset(&b);
	CHECK_OK(rsp_buf_put_binary(&b, all, sizeof(all)));
	char frame[300];
	struct rsp_buf f;
	rsp_buf_init(&f, frame, sizeof(frame));
	CHECK_OK(rsp_frame(&f, '$', b.data, b.len, false));
	struct rsp_event ev;
	rsp_conn_init(&conn, 0);
	CHECK_EQ_INT(rsp_conn_feed(&conn, f.data, f.len, &ev), f.len);
	CHECK_EQ_INT(ev.kind, RSP_EV_PACKET);
	CHECK_OK(rsp_unescape(ev.data, ev.len, back, sizeof(back), &n));
	CHECK_EQ_INT(n, 256);
	CHECK(memcmp(back, all, 256) == 0);
}

TEST(unescape_errors)
{
	char out[8];
	size_t n = 99;

	CHECK_EQ_INT(rsp_unescape("ab}", 3, out, sizeof(out), &n), -EINVAL);
	CHECK_EQ_INT(rsp_unescape("abc", 3, out, 2, &n), -ENOBUFS);
	CHECK_EQ_INT(n, 99);
	CHECK_OK(rsp_unescape("}]}}", 4, out, sizeof(out), &n));
	CHECK_EQ_INT(n, 2);
	CHECK(memcmp(out, "}]", 2) == 0); /* `}` then `}` xor 0x20 = 0x5d */
	CHECK_OK(rsp_unescape("", 0, out, 0, &n));
	CHECK_EQ_INT(n, 0);
}

TEST(put_binary_some_never_splits_an_escape)
{
	char mem[8];
	struct rsp_buf b;

	rsp_buf_init(&b, mem, 5);
	CHECK_EQ_INT(rsp_buf_put_binary_some(&b, "ab#cd", 5), 4);
	CHECK_EQ_INT(b.len, 5);
	CHECK(memcmp(b.data,
	             "ab}\x03"
	             "c",
	             5) == 0);
	CHECK(!b.overflow);
	rsp_buf_init(&b, mem, 3);
	CHECK_EQ_INT(rsp_buf_put_binary_some(&b, "ab#cd", 5), 2);
	CHECK_EQ_INT(b.len, 2);
	CHECK_EQ_STR(b.data, "ab");
	/* A whole put that does not fit writes nothing. */
	rsp_buf_reset(&b);
	CHECK_EQ_INT(rsp_buf_put_binary(&b, "a#b", 3), -ENOBUFS);
	CHECK_EQ_INT(b.len, 0);
	CHECK(b.overflow);
	CHECK_EQ_INT(rsp_buf_put_binary_some(&b, "a", 1), 0);
}

/* ------------------------------------------------------------------------------------- */
/* Run-length encoding                                                                   */

/* Frame s with RLE on and return the payload part (between `$` and `#`). */
static const char *rle_of(const char *s)
{
	static char mem[4096];
	struct rsp_buf b;

	rsp_buf_init(&b, mem, sizeof(mem));
	CHECK_OK(rsp_frame(&b, '$', s, strlen(s), true));
	CHECK(b.len >= 4 && b.data[b.len - 3] == '#');
	b.data[b.len - 3] = '\0';
	return mem + 1;
}

TEST(rle_known_encodings)
{
	CHECK_EQ_STR(rle_of(""), "");
	CHECK_EQ_STR(rle_of("0"), "0");
	CHECK_EQ_STR(rle_of("000"), "000");
	CHECK_EQ_STR(rle_of("0000"), "0* ");
	CHECK_EQ_STR(rle_of("00000"), "0*!");
	CHECK_EQ_STR(rle_of("000000"), "0*\"");
	/* 7 and 8 would need counts 6 and 7, sent as `#` and `$`: use 5 and literals. */
	CHECK_EQ_STR(rle_of("0000000"), "0*\"0");
	CHECK_EQ_STR(rle_of("00000000"), "0*\"00");
	CHECK_EQ_STR(rle_of("000000000"), "0*%");
	CHECK_EQ_STR(rle_of("ab0000cd"), "ab0* cd");
	CHECK_EQ_STR(rle_of("0000111100"), "0* 1* 00");

	/* The longest run is 98 (`~`), longer ones are split. */
	char s[300];
	memset(s, 'f', 98);
	s[98] = '\0';
	CHECK_EQ_STR(rle_of(s), "f*~");
	memset(s, 'f', 101);
	s[101] = '\0';
	CHECK_EQ_STR(rle_of(s), "f*~fff");
	memset(s, 'f', 102);
	s[102] = '\0';
	CHECK_EQ_STR(rle_of(s), "f*~f* ");
	memset(s, 'f', 103);
	s[103] = '\0';
	CHECK_EQ_STR(rle_of(s), "f*~f*!");
	/* A run of 14 uses count 13, which is `*`: legal, and decodes. */
	memset(s, 'f', 14);
	s[14] = '\0';
	CHECK_EQ_STR(rle_of(s), "f**");

	/* Exact frames, checksum over the encoded bytes. */
	char mem[32];
	struct rsp_buf b;
	rsp_buf_init(&b, mem, sizeof(mem));
	CHECK_OK(rsp_frame(&b, '$', "0000", 4, true));
	CHECK_EQ_STR(b.data, "$0* #7a");
	/* Nine: count 8 is `%`, fine in a packet, but it would start a new notification. */
	rsp_buf_reset(&b);
	CHECK_OK(rsp_frame(&b, '$', "000000000", 9, true));
	CHECK_EQ_STR(b.data, "$0*%#7f");
	rsp_buf_reset(&b);
	CHECK_OK(rsp_frame(&b, '%', "000000000", 9, true));
	CHECK_EQ_STR(b.data, "%0*\"000#0c");
	struct rsp_event ev;
	rsp_conn_init(&conn, 0);
	CHECK_EQ_INT(rsp_conn_feed(&conn, b.data, b.len, &ev), b.len);
	CHECK_EQ_INT(ev.kind, RSP_EV_NOTIFICATION);
	CHECK_EQ_STR(ev.data, "0*\"000");
}

TEST(rle_decode_known)
{
	char out[128];
	size_t n;

	CHECK_OK(rsp_rle_decode("0* ", 3, out, sizeof(out), &n));
	CHECK_EQ_INT(n, 4);
	CHECK(memcmp(out, "0000", 4) == 0);
	CHECK_OK(rsp_rle_decode("0*\"00", 5, out, sizeof(out), &n));
	CHECK_EQ_INT(n, 8);
	CHECK(memcmp(out, "00000000", 8) == 0);
	CHECK_EQ_INT(rsp_rle_decode("*!", 2, out, sizeof(out), &n), -EINVAL); /* no byte */
	CHECK_EQ_INT(rsp_rle_decode("0*", 2, out, sizeof(out), &n), -EINVAL); /* no count */
	CHECK_EQ_INT(rsp_rle_decode("0*\x1f", 3, out, sizeof(out), &n), -EINVAL);
	CHECK_EQ_INT(rsp_rle_decode("0*#", 3, out, sizeof(out), &n), -EINVAL);
	CHECK_EQ_INT(rsp_rle_decode("0*$", 3, out, sizeof(out), &n), -EINVAL);
	CHECK_EQ_INT(rsp_rle_decode("0*\x7f", 3, out, sizeof(out), &n), -EINVAL);
	CHECK_EQ_INT(rsp_rle_decode("0*~", 3, out, 97, &n), -ENOBUFS);
	CHECK_OK(rsp_rle_decode("0*~", 3, out, 98, &n));
	CHECK_EQ_INT(n, 98);
}

/* Random strings with long runs: encoding never grows, uses only legal counts, and the
 * frame decodes back (through the connection, then rsp_rle_decode) to the original. */
TEST(rle_round_trip_many_strings)
{
	static const char alphabet[] = "0f7aZ }:;,-+%";
	static char s[1200], enc[1300], back[1300];

	for (int iter = 0; iter < 3000; iter++) {
		size_t n = 0, want = rng() % 1100;
		while (n < want) {
			char c = alphabet[rng() % (sizeof(alphabet) - 1)];
			size_t run = rng() % 4 ? rng() % 12 + 1 : rng() % 250 + 1;
			for (size_t k = 0; k < run && n < want; k++)
				s[n++] = c;
		}
		struct rsp_buf b;
		rsp_buf_init(&b, enc, sizeof(enc));
		CHECK_OK(rsp_frame(&b, '$', s, n, true));
		size_t plen = b.len - 4;
		CHECK(plen <= n);
		for (size_t i = 1; i <= plen; i++) {
			if (b.data[i] == '*') {
				unsigned char cnt = (unsigned char)b.data[i + 1];
				CHECK_MSG(cnt >= ' ' && cnt <= '~' && cnt != '#' && cnt != '$',
				          "bad count byte %#x", cnt);
				i++;
			} else {
				CHECK(b.data[i] != '#' && b.data[i] != '$');
			}
		}
		struct rsp_event ev;
		size_t m;
		rsp_conn_init(&conn, 0);
		CHECK_EQ_INT(rsp_conn_feed(&conn, b.data, b.len, &ev), b.len);
		CHECK_EQ_INT(ev.kind, RSP_EV_PACKET);
		CHECK_EQ_INT(ev.len, plen);
		CHECK_OK(rsp_rle_decode(ev.data, ev.len, back, sizeof(back), &m));
		CHECK_EQ_INT(m, n);
		CHECK(memcmp(back, s, n) == 0);
	}
}

/* ------------------------------------------------------------------------------------- */
/* Builder                                                                               */

TEST(builder_hex_numbers_errors)
{
	char mem[64];
	struct rsp_buf b;

	rsp_buf_init(&b, mem, sizeof(mem));
	CHECK_OK(rsp_buf_put_hex(&b, "\x00\x7f\x80\xff", 4));
	CHECK_OK(rsp_buf_putc(&b, ' '));
	CHECK_OK(rsp_buf_put_num(&b, 0));
	CHECK_OK(rsp_buf_putc(&b, ' '));
	CHECK_OK(rsp_buf_put_num(&b, 0x1f43));
	CHECK_OK(rsp_buf_putc(&b, ' '));
	CHECK_OK(rsp_buf_put_num(&b, UINT64_MAX));
	CHECK_OK(rsp_buf_putc(&b, ' '));
	CHECK_OK(rsp_buf_put_error(&b, 1));
	CHECK_OK(rsp_buf_put_error(&b, 0x16));
	CHECK_OK(rsp_buf_printf(&b, " F%x;", 36));
	CHECK_EQ_STR(b.data, "007f80ff 0 1f43 ffffffffffffffff E01E16 F24;");
}

TEST(builder_overflow_is_sticky_and_bounded)
{
	char mem[12];
	struct rsp_buf b;

	memset(mem, 'Z', sizeof(mem));
	rsp_buf_init(&b, mem, 8);
	CHECK_OK(rsp_buf_puts(&b, "12345"));
	CHECK_EQ_INT(rsp_buf_puts(&b, "6789"), -ENOBUFS);
	CHECK(b.overflow);
	CHECK_EQ_INT(b.len, 5);
	CHECK_EQ_STR(b.data, "12345");
	/* Sticky: even a piece that would fit is refused now. */
	CHECK_EQ_INT(rsp_buf_putc(&b, '6'), -ENOBUFS);
	CHECK_EQ_INT(rsp_buf_put_hex(&b, "\x01", 1), -ENOBUFS);
	CHECK_EQ_INT(rsp_buf_printf(&b, "%d", 6), -ENOBUFS);
	CHECK_EQ_INT(b.len, 5);
	/* Nothing written past cap. */
	CHECK(memcmp(mem + 8, "ZZZZ", 4) == 0);
	rsp_buf_reset(&b);
	CHECK(!b.overflow);
	CHECK_OK(rsp_buf_puts(&b, "12345678"));
	CHECK_EQ_INT(b.len, 8);
	CHECK(memcmp(mem + 8, "ZZZZ", 4) == 0);
	/* A long printf that does not fit. */
	char big[600];
	rsp_buf_init(&b, big, 300);
	CHECK_EQ_INT(rsp_buf_printf(&b, "%400s", "x"), -ENOBUFS);
	CHECK_EQ_INT(b.len, 0);
	rsp_buf_init(&b, big, sizeof(big));
	CHECK_OK(rsp_buf_printf(&b, "%400s", "x"));
	CHECK_EQ_INT(b.len, 400);
	/* A zero-sized builder. */
	rsp_buf_init(&b, NULL, 0);
	CHECK_EQ_INT(rsp_buf_putc(&b, 'x'), -ENOBUFS);
	CHECK_EQ_INT(rsp_buf_put(&b, "", 0), -ENOBUFS);
}

TEST(builder_stop_reply)
{
	/* rbp, rsp and rip as x86_64 stores them (little endian). */
	uint64_t rbp = 0x7fffffffe3d0, rsp = 0x7fffffffe118, rip = 0x7ffff7fcc060;
	struct rsp_tid t = {.has_pid = true, .pid = 0x1f43, .tid = 0x1f43};
	char mem[256];
	struct rsp_buf b;

	rsp_buf_init(&b, mem, sizeof(mem));
	CHECK_OK(rsp_buf_put_stop(&b, 5));
	CHECK_OK(rsp_buf_put_field(&b, "swbreak", ""));
	CHECK_OK(rsp_buf_put_field_reg(&b, 6, &rbp, 8));
	CHECK_OK(rsp_buf_put_field_reg(&b, 7, &rsp, 8));
	CHECK_OK(rsp_buf_put_field_reg(&b, 16, &rip, 8));
	CHECK_OK(rsp_buf_put_field_tid(&b, "thread", &t));
	CHECK_OK(rsp_buf_put_field_num(&b, "core", 1));
	/* The same text gdbserver sent in the recorded %Stop notification, unencoded. */
	CHECK_EQ_STR(b.data, "T05swbreak:;06:d0e3ffffff7f0000;07:18e1ffffff7f0000;"
	                     "10:60c0fcf7ff7f0000;thread:p1f43.1f43;core:1;");
	CHECK(!b.overflow);

	/* And it parses back into its fields. */
	struct rsp_scan s;
	struct rsp_str item, name, value;
	rsp_scan_init(&s, b.data, b.len);
	CHECK(rsp_scan_lit(&s, "T05"));
	const char *want[][2] = {{"swbreak", ""},
	                         {"06", "d0e3ffffff7f0000"},
	                         {"07", "18e1ffffff7f0000"},
	                         {"10", "60c0fcf7ff7f0000"},
	                         {"thread", "p1f43.1f43"},
	                         {"core", "1"}};
	for (size_t i = 0; i < 6; i++) {
		CHECK(rsp_scan_item(&s, ';', &item));
		CHECK_OK(rsp_split(item, ':', &name, &value));
		CHECK(rsp_str_eq(name, want[i][0]));
		CHECK(rsp_str_eq(value, want[i][1]));
	}
	CHECK(!rsp_scan_item(&s, ';', &item));

	/* Register numbers of three digits, signals above 0xff truncated to a byte. */
	rsp_buf_reset(&b);
	CHECK_OK(rsp_buf_put_stop(&b, 0x13));
	CHECK_OK(rsp_buf_put_field_reg(&b, 0x100, "\xab", 1));
	CHECK_EQ_STR(b.data, "T13100:ab;");
	/* A field that does not fit is not written at all. */
	rsp_buf_init(&b, mem, 12);
	CHECK_OK(rsp_buf_put_stop(&b, 5));
	CHECK_EQ_INT(rsp_buf_put_field_reg(&b, 6, &rbp, 8), -ENOBUFS);
	CHECK_EQ_STR(b.data, "T05");
}

/* ------------------------------------------------------------------------------------- */
/* Parsing                                                                               */

TEST(hex_decode)
{
	unsigned char out[8];
	size_t n = 99;

	CHECK_OK(rsp_hex_decode("0aFf7e", 6, out, sizeof(out), &n));
	CHECK_EQ_INT(n, 3);
	CHECK(memcmp(out, "\x0a\xff\x7e", 3) == 0);
	n = 99;
	CHECK_EQ_INT(rsp_hex_decode("0a0", 3, out, sizeof(out), &n), -EINVAL);
	CHECK_EQ_INT(rsp_hex_decode("0g", 2, out, sizeof(out), &n), -EINVAL);
	CHECK_EQ_INT(rsp_hex_decode("0a0b", 4, out, 1, &n), -ENOBUFS);
	CHECK_EQ_INT(n, 99);
	CHECK_EQ_INT(rsp_hex_value('/'), -1);
	CHECK_EQ_INT(rsp_hex_value('G'), -1);
	CHECK_EQ_INT(rsp_hex_value('F'), 15);
}

TEST(scan_numbers)
{
	struct rsp_scan s;
	uint64_t v = 7;

	rsp_scan_init_str(&s, str("ffffffffffffffff,"));
	CHECK_OK(rsp_scan_num(&s, &v));
	CHECK_EQ_HEX(v, UINT64_MAX);
	CHECK(rsp_scan_lit(&s, ","));
	CHECK(rsp_scan_eof(&s));

	/* 65 bits: -ERANGE, and the cursor stays. */
	rsp_scan_init_str(&s, str("10000000000000000"));
	CHECK_EQ_INT(rsp_scan_num(&s, &v), -ERANGE);
	CHECK_EQ_INT(rsp_scan_left(&s), 17);
	CHECK_EQ_HEX(v, UINT64_MAX);
	/* Leading zeros do not count against the width. */
	rsp_scan_init_str(&s, str("00000000000000000000001fG"));
	CHECK_OK(rsp_scan_num(&s, &v));
	CHECK_EQ_HEX(v, 0x1f);
	CHECK_EQ_INT(rsp_scan_left(&s), 1);
	/* No digit. */
	rsp_scan_init_str(&s, str(""));
	CHECK_EQ_INT(rsp_scan_num(&s, &v), -EINVAL);
	rsp_scan_init_str(&s, str("-1"));
	CHECK_EQ_INT(rsp_scan_num(&s, &v), -EINVAL);

	uint64_t a = 1, l = 2;
	rsp_scan_init_str(&s, str("7fffffffe370,40:"));
	CHECK_OK(rsp_scan_addr_len(&s, &a, &l));
	CHECK_EQ_HEX(a, 0x7fffffffe370);
	CHECK_EQ_HEX(l, 0x40);
	CHECK(rsp_scan_lit(&s, ":"));
	a = 1, l = 2;
	rsp_scan_init_str(&s, str("12,"));
	CHECK_EQ_INT(rsp_scan_addr_len(&s, &a, &l), -EINVAL);
	CHECK_EQ_INT(rsp_scan_left(&s), 3);
	rsp_scan_init_str(&s, str(",4"));
	CHECK_EQ_INT(rsp_scan_addr_len(&s, &a, &l), -EINVAL);
	rsp_scan_init_str(&s, str("12;4"));
	CHECK_EQ_INT(rsp_scan_addr_len(&s, &a, &l), -EINVAL);
	rsp_scan_init_str(&s, str("1,10000000000000000"));
	CHECK_EQ_INT(rsp_scan_addr_len(&s, &a, &l), -ERANGE);
	CHECK_EQ_INT(rsp_scan_left(&s), 19);
	CHECK_EQ_HEX(a, 1);
	CHECK_EQ_HEX(l, 2);

	CHECK_OK(rsp_str_num(str("1f43"), &v));
	CHECK_EQ_HEX(v, 0x1f43);
	CHECK_EQ_INT(rsp_str_num(str("1f43 "), &v), -EINVAL);
	CHECK_EQ_INT(rsp_str_num(str(""), &v), -EINVAL);
}

/* Parse s as a whole thread-id and print it back as "has_pid:pid:tid". */
static const char *tid_case(const char *s)
{
	static char out[80];
	struct rsp_tid t = {.has_pid = true, .pid = 42, .tid = 42};
	int r = rsp_str_tid(str(s), &t);

	if (r < 0) {
		/* Failure leaves the output untouched. */
		CHECK(t.has_pid && t.pid == 42 && t.tid == 42);
		snprintf(out, sizeof(out), "%s", r == -ERANGE ? "ERANGE" : "EINVAL");
	} else {
		snprintf(out, sizeof(out), "%d:%" PRId64 ":%" PRId64, t.has_pid, t.pid, t.tid);
	}
	return out;
}

TEST(thread_ids)
{
	CHECK_EQ_STR(tid_case("p1f43.1f43"), "1:8003:8003");
	CHECK_EQ_STR(tid_case("p1f43.1f44"), "1:8003:8004");
	CHECK_EQ_STR(tid_case("p1f43"), "1:8003:-1");
	CHECK_EQ_STR(tid_case("p1f43.-1"), "1:8003:-1");
	CHECK_EQ_STR(tid_case("p1f43.0"), "1:8003:0");
	CHECK_EQ_STR(tid_case("p-1"), "1:-1:-1");
	CHECK_EQ_STR(tid_case("p-1.-1"), "1:-1:-1");
	CHECK_EQ_STR(tid_case("p-1.0"), "1:-1:0");
	CHECK_EQ_STR(tid_case("p0.0"), "1:0:0");
	CHECK_EQ_STR(tid_case("-1"), "0:0:-1");
	CHECK_EQ_STR(tid_case("0"), "0:0:0");
	CHECK_EQ_STR(tid_case("1e18"), "0:0:7704");
	CHECK_EQ_STR(tid_case("7fffffffffffffff"), "0:0:9223372036854775807");
	CHECK_EQ_STR(tid_case("8000000000000000"), "ERANGE");
	CHECK_EQ_STR(tid_case("p8000000000000000.1"), "ERANGE");
	CHECK_EQ_STR(tid_case("p-1.5"), "EINVAL");
	CHECK_EQ_STR(tid_case("-2"), "EINVAL");
	CHECK_EQ_STR(tid_case("-12"), "EINVAL");
	CHECK_EQ_STR(tid_case("-"), "EINVAL");
	CHECK_EQ_STR(tid_case("p"), "EINVAL");
	CHECK_EQ_STR(tid_case("p1."), "EINVAL");
	CHECK_EQ_STR(tid_case("p1.x"), "EINVAL");
	CHECK_EQ_STR(tid_case("p.1"), "EINVAL");
	CHECK_EQ_STR(tid_case("pp1"), "EINVAL");
	CHECK_EQ_STR(tid_case(""), "EINVAL");
	CHECK_EQ_STR(tid_case("1.2"), "EINVAL"); /* no `p`: the dot is left over */

	/* Inside packets: Hg, vCont actions. */
	struct rsp_scan s;
	struct rsp_tid t;
	rsp_scan_init_str(&s, str("Hgp0.0"));
	CHECK(rsp_scan_lit(&s, "Hg"));
	CHECK_OK(rsp_scan_tid(&s, &t));
	CHECK(t.has_pid && t.pid == 0 && t.tid == 0 && rsp_scan_eof(&s));
	rsp_scan_init_str(&s, str("vCont;s:p1f43.1f43;c:p1f43.-1"));
	CHECK(rsp_scan_lit(&s, "vCont;"));
	CHECK(rsp_scan_lit(&s, "s:"));
	CHECK_OK(rsp_scan_tid(&s, &t));
	CHECK(t.has_pid && t.pid == 0x1f43 && t.tid == 0x1f43);
	CHECK(rsp_scan_lit(&s, ";c:"));
	CHECK_OK(rsp_scan_tid(&s, &t));
	CHECK(t.has_pid && t.pid == 0x1f43 && t.tid == RSP_ID_ALL && rsp_scan_eof(&s));
	/* Failure keeps the cursor. */
	rsp_scan_init_str(&s, str("p-1.5;"));
	CHECK_EQ_INT(rsp_scan_tid(&s, &t), -EINVAL);
	CHECK_EQ_INT(rsp_scan_left(&s), 6);
}

TEST(thread_ids_print)
{
	struct {
		struct rsp_tid t;
		const char *want;
	} cases[] = {
	        {{true, 0x1f43, 0x1f43}, "p1f43.1f43"},
	        {{true, 0x1f43, RSP_ID_ALL}, "p1f43.-1"},
	        {{true, RSP_ID_ALL, RSP_ID_ALL}, "p-1.-1"},
	        {{true, RSP_ID_ANY, RSP_ID_ANY}, "p0.0"},
	        {{false, RSP_ID_ANY, RSP_ID_ALL}, "-1"},
	        {{false, RSP_ID_ANY, 0x1e18}, "1e18"},
	        {{false, RSP_ID_ANY, INT64_MAX}, "7fffffffffffffff"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char mem[64];
		struct rsp_buf b;
		struct rsp_tid back;
		rsp_buf_init(&b, mem, sizeof(mem));
		CHECK_OK(rsp_buf_put_tid(&b, &cases[i].t));
		CHECK_EQ_STR(b.data, cases[i].want);
		CHECK_OK(rsp_str_tid(str(b.data), &back));
		CHECK_EQ_INT(back.has_pid, cases[i].t.has_pid);
		CHECK_EQ_INT(back.tid, cases[i].t.tid);
		if (back.has_pid)
			CHECK_EQ_INT(back.pid, cases[i].t.pid);
	}
	char mem[8];
	struct rsp_buf b;
	struct rsp_tid bad = {false, 0, -2};
	rsp_buf_init(&b, mem, sizeof(mem));
	CHECK_EQ_INT(rsp_buf_put_tid(&b, &bad), -EINVAL);
	/* p7fffffffffffffff.1 does not fit in 8 bytes: nothing is written. */
	struct rsp_tid big = {true, INT64_MAX, 1};
	CHECK_EQ_INT(rsp_buf_put_tid(&b, &big), -ENOBUFS);
	CHECK_EQ_INT(b.len, 0);
}

TEST(qsupported_features)
{
	/* gdb 13's qSupported, as recorded. */
	static const char pkt[] =
	        "qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;"
	        "vfork-events+;exec-events+;vContSupported+;QThreadEvents+;no-resumed+;"
	        "memory-tagging+;xmlRegisters=i386";
	static const char *const names[] = {
	        "multiprocess",  "swbreak",      "hwbreak",        "qRelocInsn",
	        "fork-events",   "vfork-events", "exec-events",    "vContSupported",
	        "QThreadEvents", "no-resumed",   "memory-tagging", "xmlRegisters",
	};
	struct rsp_scan s;
	struct rsp_str item;
	struct rsp_feature f;
	size_t i = 0;

	CHECK_EQ_HEX(rsp_checksum(pkt, sizeof(pkt) - 1), 0x77);
	rsp_scan_init(&s, pkt, sizeof(pkt) - 1);
	CHECK(rsp_scan_lit(&s, "qSupported:"));
	while (rsp_scan_item(&s, ';', &item)) {
		CHECK(i < 12);
		CHECK_OK(rsp_parse_feature(item, &f));
		CHECK(rsp_str_eq(f.name, names[i]));
		CHECK_EQ_INT(f.state, i == 11 ? '=' : '+');
		CHECK(rsp_str_eq(f.value, i == 11 ? "i386" : ""));
		i++;
	}
	CHECK_EQ_INT(i, 12);

	/* lldb's list value, and the other states. */
	CHECK_OK(rsp_parse_feature(str("xmlRegisters=i386,arm,mips,arc"), &f));
	CHECK(rsp_str_eq(f.name, "xmlRegisters") && f.state == '=');
	CHECK(rsp_str_eq(f.value, "i386,arm,mips,arc"));
	CHECK_OK(rsp_parse_feature(str("PacketSize=4000"), &f));
	CHECK(rsp_str_eq(f.value, "4000"));
	CHECK_OK(rsp_parse_feature(str("qRelocInsn-"), &f));
	CHECK(rsp_str_eq(f.name, "qRelocInsn") && f.state == '-');
	CHECK_OK(rsp_parse_feature(str("foo?"), &f));
	CHECK(f.state == '?');
	CHECK_OK(rsp_parse_feature(str("empty="), &f));
	CHECK(f.state == '=' && f.value.len == 0);
	CHECK_EQ_INT(rsp_parse_feature(str(""), &f), -EINVAL);
	CHECK_EQ_INT(rsp_parse_feature(str("+"), &f), -EINVAL);
	CHECK_EQ_INT(rsp_parse_feature(str("=x"), &f), -EINVAL);
	CHECK_EQ_INT(rsp_parse_feature(str("abc"), &f), -EINVAL);
}

TEST(scan_items)
{
	struct rsp_scan s;
	struct rsp_str it;
	struct rsp_str a, b;

	/* Empty items are items; a trailing separator ends the list. */
	rsp_scan_init_str(&s, str("a;;b;"));
	CHECK(rsp_scan_item(&s, ';', &it) && rsp_str_eq(it, "a"));
	CHECK(rsp_scan_item(&s, ';', &it) && rsp_str_eq(it, ""));
	CHECK(rsp_scan_item(&s, ';', &it) && rsp_str_eq(it, "b"));
	CHECK(!rsp_scan_item(&s, ';', &it));
	/* QPassSignals:e;f;... */
	rsp_scan_init_str(&s, str("QPassSignals:e;14"));
	CHECK(rsp_scan_lit(&s, "QPassSignals:"));
	uint64_t v;
	CHECK(rsp_scan_item(&s, ';', &it));
	CHECK_OK(rsp_str_num(it, &v));
	CHECK_EQ_INT(v, 0xe);
	CHECK(rsp_scan_item(&s, ';', &it));
	CHECK_OK(rsp_str_num(it, &v));
	CHECK_EQ_INT(v, 0x14);
	CHECK(!rsp_scan_item(&s, ';', &it));

	CHECK_EQ_INT(rsp_split(str("noseparator"), ':', &a, &b), -EINVAL);
	CHECK_EQ_INT(rsp_split(str(""), ':', &a, &b), -EINVAL);
	CHECK_OK(rsp_split(str("qXfer:features:read"), ':', &a, &b));
	CHECK(rsp_str_eq(a, "qXfer") && rsp_str_eq(b, "features:read"));
	CHECK(rsp_str_prefix(str("qXfer:auxv"), "qXfer:"));
	CHECK(!rsp_str_prefix(str("qXf"), "qXfer:"));

	struct rsp_scan t;
	rsp_scan_init_str(&t, str("vKill;1f43"));
	CHECK(!rsp_scan_lit(&t, "vKill;1f430"));
	CHECK(rsp_scan_lit(&t, "vKill;"));
	struct rsp_str rest = rsp_scan_rest(&t);
	CHECK(rsp_str_eq(rest, "1f43") && rsp_scan_eof(&t));
}

TEST(binary_write_packets)
{
	/* A real gdb 13 X packet writing 0x23 (`#`), taken from the decoder. */
	static const char wire[] = "$X7fffffffe370,1:}\x03#6f";
	struct rsp_event ev;
	struct rsp_scan s;
	unsigned char data[16];
	uint64_t addr, len, fd, off;
	size_t n;

	rsp_conn_init(&conn, 0);
	CHECK_EQ_INT(rsp_conn_feed(&conn, wire, sizeof(wire) - 1, &ev), sizeof(wire) - 1);
	CHECK_EQ_INT(ev.kind, RSP_EV_PACKET);
	rsp_scan_init(&s, ev.data, ev.len);
	CHECK(rsp_scan_lit(&s, "X"));
	CHECK_OK(rsp_scan_addr_len(&s, &addr, &len));
	CHECK(rsp_scan_lit(&s, ":"));
	CHECK_OK(rsp_scan_binary(&s, data, sizeof(data), &n));
	CHECK_EQ_HEX(addr, 0x7fffffffe370);
	CHECK_EQ_INT(len, 1);
	CHECK_EQ_INT(n, 1);
	CHECK_EQ_HEX(data[0], 0x23);
	CHECK(rsp_scan_eof(&s));

	/* vFile:pwrite:fd,offset,data with every escape and a NUL. */
	static const char pw[] = "vFile:pwrite:5,1a,ab}]c}\x04\x00}\x03}\n";
	rsp_scan_init(&s, pw, sizeof(pw) - 1);
	CHECK(rsp_scan_lit(&s, "vFile:pwrite:"));
	CHECK_OK(rsp_scan_num(&s, &fd));
	CHECK(rsp_scan_lit(&s, ","));
	CHECK_OK(rsp_scan_num(&s, &off));
	CHECK(rsp_scan_lit(&s, ","));
	CHECK_OK(rsp_scan_binary(&s, data, sizeof(data), &n));
	CHECK_EQ_INT(fd, 5);
	CHECK_EQ_HEX(off, 0x1a);
	CHECK_EQ_INT(n, 8);
	CHECK(memcmp(data, "ab}c$\0#*", 8) == 0);

	/* A lone `}` at the end is malformed; the cursor stays. */
	rsp_scan_init_str(&s, str("ab}"));
	CHECK_EQ_INT(rsp_scan_binary(&s, data, sizeof(data), &n), -EINVAL);
	CHECK_EQ_INT(rsp_scan_left(&s), 3);
	/* X with zero length: gdb's probe for binary support. */
	rsp_scan_init_str(&s, str("X0,0:"));
	CHECK(rsp_scan_lit(&s, "X"));
	CHECK_OK(rsp_scan_addr_len(&s, &addr, &len));
	CHECK(rsp_scan_lit(&s, ":"));
	CHECK_OK(rsp_scan_binary(&s, data, 0, &n));
	CHECK_EQ_INT(n, 0);

	/* M and P packets carry hex. */
	rsp_scan_init_str(&s, str("M7fffffffe370,4:23247d2a"));
	CHECK(rsp_scan_lit(&s, "M"));
	CHECK_OK(rsp_scan_addr_len(&s, &addr, &len));
	CHECK(rsp_scan_lit(&s, ":"));
	CHECK_OK(rsp_scan_hex_bytes(&s, data, sizeof(data), &n));
	CHECK_EQ_INT(n, 4);
	CHECK(memcmp(data, "#$}*", 4) == 0);
	rsp_scan_init_str(&s, str("P10=6051555555550000"));
	uint64_t reg;
	CHECK(rsp_scan_lit(&s, "P"));
	CHECK_OK(rsp_scan_num(&s, &reg));
	CHECK(rsp_scan_lit(&s, "="));
	CHECK_OK(rsp_scan_hex_bytes(&s, data, 8, &n));
	CHECK_EQ_INT(reg, 0x10);
	CHECK_EQ_INT(n, 8);
	uint64_t rip;
	memcpy(&rip, data, 8);
	CHECK_EQ_HEX(rip, 0x555555555160);
	rsp_scan_init_str(&s, str("abc;"));
	CHECK_EQ_INT(rsp_scan_hex_bytes(&s, data, sizeof(data), &n), -EINVAL);
	CHECK_EQ_INT(rsp_scan_left(&s), 4);
	rsp_scan_init_str(&s, str("abcd"));
	CHECK_EQ_INT(rsp_scan_hex_bytes(&s, data, 1, &n), -ENOBUFS);
}

/* ------------------------------------------------------------------------------------- */
/* Real recorded sessions                                                                */

/*
 * Feed every recorded session stream (fuzz/rsp/corpus/ *.c2s and *.s2c) through the
 * decoder: gdb, lldb, gdbserver and lldb-server all frame correctly, so every frame must
 * come out as a good packet or notification, with no junk, and every server packet must
 * expand (run-length) cleanly.
 */
TEST(recorded_sessions_decode_cleanly)
{
	DIR *d = opendir(RSP_CORPUS_DIR);
	struct dirent *e;
	int files = 0;
	static char data[1 << 20];
	static char expanded[1 << 17];

	if (!d)
		th_fail(__FILE__, __LINE__, "cannot open %s", RSP_CORPUS_DIR);
	while ((e = readdir(d))) {
		size_t nl = strlen(e->d_name);
		bool s2c = nl > 4 && strcmp(e->d_name + nl - 4, ".s2c") == 0;
		bool c2s = nl > 4 && strcmp(e->d_name + nl - 4, ".c2s") == 0;
		char path[4096];
		if (!s2c && !c2s)
			continue;
		snprintf(path, sizeof(path), "%s/%s", RSP_CORPUS_DIR, e->d_name);
		FILE *f = fopen(path, "rb");
		CHECK(f);
		size_t n = fread(data, 1, sizeof(data), f);
		fclose(f);
		CHECK(n > 0 && n < sizeof(data));

		size_t packets = 0, notes = 0, acks = 0, long_ones = 0;
		const char *p = data;
		size_t left = n;
		rsp_conn_init(&conn, 0);
		while (left) {
			struct rsp_event ev;
			size_t used = rsp_conn_feed(&conn, p, left, &ev);
			size_t m;
			p += used, left -= used;
			rsp_conn_consume(&conn, RSP_OUT_MAX);
			switch (ev.kind) {
			case RSP_EV_NONE:
				break;
			case RSP_EV_PACKET:
				CHECK_MSG(ev.checksum_ok, "%s: bad checksum", e->d_name);
				packets++;
				if (s2c)
					CHECK_OK(rsp_rle_decode(ev.data, ev.len, expanded,
					                        sizeof(expanded), &m));
				break;
			case RSP_EV_NOTIFICATION:
				notes++;
				break;
			case RSP_EV_TOO_LONG:
				/* lldb-server sends replies up to its own PacketSize (128 KiB). */
				CHECK_MSG(s2c, "%s: packet too long", e->d_name);
				long_ones++;
				break;
			case RSP_EV_ACK:
				acks++;
				break;
			default:
				th_fail(__FILE__, __LINE__, "%s: event %d at offset %zu", e->d_name,
				        ev.kind, n - left);
			}
		}
		CHECK_MSG(rsp_conn_junk(&conn) == 0, "%s: %lu junk bytes", e->d_name,
		          rsp_conn_junk(&conn));
		CHECK(packets > 10);
		CHECK(acks > 0);
		th_note("%s: %zu packets, %zu notifications, %zu acks, %zu too long", e->d_name,
		        packets, notes, acks, long_ones);
		if (strcmp(e->d_name, "gdb-nonstop.s2c") == 0)
			CHECK(notes > 0);
		files++;
	}
	closedir(d);
	CHECK(files >= 10);
}
