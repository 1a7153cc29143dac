/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the RSP packet layer (src/gdbserver/rsp.c).
 *
 * The input is a byte stream as a client would send it.  It goes through the decoder
 * twice, once whole and once in pseudo-random chunks (1 to 64 bytes, seeded from the
 * input), with a small simulated server answering every packet; the two runs must yield
 * the same events and the same output bytes.  Every payload then goes through every
 * parsing helper, each checked against an invariant (re-encoding round trips, a failed
 * parse leaves the cursor alone, a builder never writes past its end).  A broken invariant
 * aborts, which libFuzzer reports as a crash.
 */
#include "rsp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ASSERT(cond)                                                                             \
	do {                                                                                     \
		if (!(cond)) {                                                                   \
			fprintf(stderr, "fuzz_rsp: invariant broken at line %d: %s\n", __LINE__, \
			        #cond);                                                          \
			abort();                                                                 \
		}                                                                                \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rsp_conn conn_a, conn_b, scratch;

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static bool has_byte(const char *p, size_t n, char c)
{
	return n && memchr(p, c, n) != NULL;
}

/* ------------------------------------------------------------------------------------- */
/* Invariants of the helpers, run on each received payload                               */

/* Framing p (without and with RLE) and decoding the frame gives p back. */
static void check_reframe(const char *p, size_t n, char lead)
{
	static char frame[RSP_FRAME_MAX + 8], expanded[RSP_PAYLOAD_MAX + 8];
	bool forbidden = has_byte(p, n, '*') || has_byte(p, n, '$') || has_byte(p, n, '#') ||
	                 (lead == '%' && has_byte(p, n, '%'));

	for (int rle = 0; rle < 2; rle++) {
		struct rsp_buf b;
		struct rsp_event ev;
		size_t used, m;
		int r;

		rsp_buf_init(&b, frame, sizeof(frame));
		r = rsp_frame(&b, lead, p, n, rle);
		if (forbidden) {
			ASSERT(r == -EINVAL && b.len == 0);
			return;
		}
		ASSERT(r == 0 && b.len <= n + 4 && b.data[0] == lead);
		/* Count characters are never `#` or `$`; no raw `#`/`$` before the end. */
		for (size_t i = 1; i < b.len - 3; i++) {
			ASSERT(b.data[i] != '#' && b.data[i] != '$');
			if (rle && b.data[i] == '*') {
				unsigned char c = (unsigned char)b.data[++i];
				ASSERT(i < b.len - 3 && c >= ' ' && c <= '~');
				ASSERT(lead != '%' || c != '%');
			}
		}
		ASSERT(b.data[b.len - 3] == '#');

		rsp_conn_init(&scratch, 0);
		used = rsp_conn_feed(&scratch, b.data, b.len, &ev);
		ASSERT(used == b.len);
		ASSERT(ev.kind == (lead == '$' ? RSP_EV_PACKET : RSP_EV_NOTIFICATION));
		ASSERT(ev.checksum_ok);
		if (!rle) {
			ASSERT(ev.len == n && memcmp(ev.data, p, n) == 0);
		} else {
			ASSERT(rsp_rle_decode(ev.data, ev.len, expanded, sizeof(expanded), &m) ==
			       0);
			ASSERT(m == n && memcmp(expanded, p, n) == 0);
		}
		rsp_conn_output(&scratch, &m);
		ASSERT(m == (lead == '$' ? 1u : 0u));
	}
}

/* Unescaping, escaping again and unescaping gives the same bytes. */
static void check_binary(const char *p, size_t n)
{
	static unsigned char raw[RSP_PAYLOAD_MAX + 8], raw2[RSP_PAYLOAD_MAX + 8];
	static char esc[2 * RSP_PAYLOAD_MAX + 16];
	struct rsp_buf b;
	size_t m, m2;
	int r = rsp_unescape(p, n, raw, sizeof(raw), &m);

	if (r < 0) {
		ASSERT(r == -EINVAL && n > 0 && p[n - 1] == '}');
		return;
	}
	ASSERT(m <= n);
	rsp_buf_init(&b, esc, sizeof(esc));
	ASSERT(rsp_buf_put_binary(&b, raw, m) == 0);
	ASSERT(b.len == rsp_escaped_len(raw, m));
	ASSERT(!has_byte(b.data, b.len, '#') && !has_byte(b.data, b.len, '$') &&
	       !has_byte(b.data, b.len, '*'));
	ASSERT(rsp_unescape(b.data, b.len, raw2, sizeof(raw2), &m2) == 0);
	ASSERT(m2 == m && memcmp(raw, raw2, m) == 0);

	/* put_binary_some into a small builder: a clean prefix, never a split escape. */
	size_t cap = n % 23;
	char small[32];
	memset(small, 0x5a, sizeof(small));
	rsp_buf_init(&b, small, cap);
	size_t took = rsp_buf_put_binary_some(&b, raw, m);
	ASSERT(took <= m && b.len <= cap && !b.overflow);
	ASSERT(b.len == rsp_escaped_len(raw, took));
	for (size_t i = cap; i < sizeof(small); i++)
		ASSERT(small[i] == 0x5a);
	ASSERT(rsp_unescape(b.data, b.len, raw2, sizeof(raw2), &m2) == 0);
	ASSERT(m2 == took && memcmp(raw, raw2, took) == 0);
	/* A whole put either fits entirely or writes nothing. */
	size_t before = b.len;
	if (rsp_buf_put_binary(&b, raw + took, m - took) < 0)
		ASSERT(b.len == before && b.overflow);
}

/* Hex decoding then encoding gives the lowercase input. */
static void check_hex(const char *p, size_t n)
{
	static unsigned char raw[RSP_PAYLOAD_MAX / 2 + 8];
	static char hex[RSP_PAYLOAD_MAX + 8];
	struct rsp_buf b;
	size_t m;

	if (rsp_hex_decode(p, n, raw, sizeof(raw), &m) < 0)
		return;
	ASSERT(m * 2 == n);
	rsp_buf_init(&b, hex, sizeof(hex));
	ASSERT(rsp_buf_put_hex(&b, raw, m) == 0);
	for (size_t i = 0; i < n; i++) {
		char c = p[i] >= 'A' && p[i] <= 'F' ? (char)(p[i] - 'A' + 'a') : p[i];
		ASSERT(b.data[i] == c);
	}
}

/*
 * Every scanner at the positions where a field can start (the first 16 bytes and after
 * each separator; at most 64 of them), over a window of 48 bytes, which is longer than any
 * number or thread-id: success consumes and round-trips, failure leaves the cursor alone.
 */
static void check_scanners(const char *p, size_t n)
{
	static unsigned char raw[RSP_PAYLOAD_MAX];
	struct rsp_scan all;
	size_t m;

	for (size_t at = 0, tried = 0; at < n && tried < 64; at++) {
		if (at >= 16 && !memchr(":;,=.", p[at - 1], 5))
			continue;
		tried++;
		size_t w = n - at < 48 ? n - at : 48;
		struct rsp_scan s, t;
		char mem[64];
		struct rsp_buf b;
		uint64_t v, v2, a, l;
		struct rsp_tid id, id2;
		int r;

		rsp_scan_init(&s, p + at, w);
		t = s;
		r = rsp_scan_num(&t, &v);
		if (r == 0) {
			ASSERT(t.p > s.p && t.end == s.end);
			rsp_buf_init(&b, mem, sizeof(mem));
			ASSERT(rsp_buf_put_num(&b, v) == 0);
			ASSERT(rsp_str_num((struct rsp_str){b.data, b.len}, &v2) == 0 && v2 == v);
		} else {
			ASSERT((r == -EINVAL || r == -ERANGE) && t.p == s.p);
		}

		t = s;
		r = rsp_scan_addr_len(&t, &a, &l);
		ASSERT(r == 0 ? t.p >= s.p + 3 : t.p == s.p);

		t = s;
		r = rsp_scan_tid(&t, &id);
		if (r == 0) {
			ASSERT(t.p > s.p);
			ASSERT(id.tid >= RSP_ID_ALL && (!id.has_pid || id.pid >= RSP_ID_ALL));
			ASSERT(!(id.has_pid && id.pid == RSP_ID_ALL && id.tid > 0));
			rsp_buf_init(&b, mem, sizeof(mem));
			ASSERT(rsp_buf_put_tid(&b, &id) == 0);
			ASSERT(rsp_str_tid((struct rsp_str){b.data, b.len}, &id2) == 0);
			ASSERT(id2.has_pid == id.has_pid && id2.pid == id.pid && id2.tid == id.tid);
		} else {
			ASSERT((r == -EINVAL || r == -ERANGE) && t.p == s.p);
		}

		t = s;
		r = rsp_scan_hex_bytes(&t, raw, sizeof(raw), &m);
		ASSERT(r == 0 ? (size_t)(t.p - s.p) == 2 * m : t.p == s.p);
	}
	/* Hex bytes over the whole payload, as in G packets. */
	rsp_scan_init(&all, p, n);
	if (rsp_scan_hex_bytes(&all, raw, sizeof(raw), &m) == 0)
		ASSERT((size_t)(all.p - p) == 2 * m);
	else
		ASSERT(all.p == p);
}

/* Splitting into items and rejoining gives the payload; items parse consistently. */
static void check_items(const char *p, size_t n, char sep)
{
	struct rsp_scan s;
	struct rsp_str it;
	size_t total = 0, items = 0;

	rsp_scan_init(&s, p, n);
	while (rsp_scan_item(&s, sep, &it)) {
		struct rsp_str name, value;
		struct rsp_feature f;
		uint64_t v;
		struct rsp_tid id;

		ASSERT(it.p == p + total && !has_byte(it.p, it.len, sep));
		total += it.len + 1;
		items++;
		ASSERT(items <= n + 1);
		if (rsp_split(it, ':', &name, &value) == 0)
			ASSERT(name.len + 1 + value.len == it.len &&
			       value.p == name.p + name.len + 1 &&
			       !has_byte(name.p, name.len, ':'));
		if (rsp_parse_feature(it, &f) == 0) {
			ASSERT(f.name.len > 0 && f.name.p == it.p);
			if (f.state == '=')
				ASSERT(f.name.len + 1 + f.value.len == it.len);
			else
				ASSERT((f.state == '+' || f.state == '-' || f.state == '?') &&
				       f.name.len + 1 == it.len && f.value.len == 0);
		}
		if (rsp_str_num(it, &v) == 0)
			ASSERT(it.len > 0);
		if (rsp_str_tid(it, &id) == 0)
			ASSERT(it.len > 0);
	}
	/* Every byte was in an item or was a separator; a final separator ends the list. */
	if (n == 0)
		ASSERT(total == 0);
	else
		ASSERT(total == n + 1 || (total == n && p[n - 1] == sep));
	ASSERT(rsp_scan_eof(&s));
}

/* Packet-specific parses as the server will do them. */
static void check_packet_forms(const char *p, size_t n)
{
	static unsigned char out[RSP_PAYLOAD_MAX + 8];
	struct rsp_scan s;
	uint64_t a, l;
	size_t m;

	rsp_scan_init(&s, p, n);
	if (rsp_scan_lit(&s, "X") || rsp_scan_lit(&s, "M")) {
		bool binary = p[0] == 'X';
		if (rsp_scan_addr_len(&s, &a, &l) == 0 && rsp_scan_lit(&s, ":")) {
			int r = binary ? rsp_scan_binary(&s, out, sizeof(out), &m)
			               : rsp_scan_hex_bytes(&s, out, sizeof(out), &m);
			if (r == 0)
				ASSERT(m <= n);
		}
	} else if (rsp_scan_lit(&s, "vFile:pwrite:")) {
		if (rsp_scan_num(&s, &a) == 0 && rsp_scan_lit(&s, ",") &&
		    rsp_scan_num(&s, &l) == 0 && rsp_scan_lit(&s, ",") &&
		    rsp_scan_binary(&s, out, sizeof(out), &m) == 0)
			ASSERT(rsp_scan_eof(&s));
	} else if (rsp_scan_lit(&s, "vCont;")) {
		struct rsp_str it;
		while (rsp_scan_item(&s, ';', &it)) {
			struct rsp_str act, tid;
			struct rsp_tid id;
			if (rsp_split(it, ':', &act, &tid) == 0)
				(void)rsp_str_tid(tid, &id);
		}
	} else if (rsp_scan_lit(&s, "qSupported:")) {
		struct rsp_str rest = rsp_scan_rest(&s);
		check_items(rest.p, rest.len, ';');
	} else if (rsp_scan_lit(&s, "H") && !rsp_scan_eof(&s)) {
		struct rsp_tid id;
		s.p++;
		(void)rsp_scan_tid(&s, &id);
	}
}

static void check_payload(const char *p, size_t n, char lead)
{
	ASSERT(!has_byte(p, n, '#') && !has_byte(p, n, '$'));
	if (lead == '%')
		ASSERT(!has_byte(p, n, '%'));
	check_reframe(p, n, lead);
	check_binary(p, n);
	check_hex(p, n);
	check_scanners(p, n);
	check_items(p, n, ';');
	check_items(p, n, ',');
	check_packet_forms(p, n);
	static char expanded[1 << 20];
	size_t m;
	(void)rsp_rle_decode(p, n, expanded, sizeof(expanded), &m);
}

/* ------------------------------------------------------------------------------------- */
/* The two decoding runs                                                                 */

struct run {
	uint64_t events; /* hash of the event sequence */
	uint64_t output; /* hash of everything the connection asked to send */
	size_t count;
};

/* What a server would answer; every reply must be frameable. */
static void serve(struct rsp_conn *c, const struct rsp_event *ev)
{
	char mem[256];
	struct rsp_buf b;
	int r;

	rsp_buf_init(&b, mem, sizeof(mem));
	switch (ev->kind) {
	case RSP_EV_PACKET:
		if (ev->len == 15 && memcmp(ev->data, "QStartNoAckMode", 15) == 0) {
			ASSERT(rsp_conn_send_str(c, "OK") == 0);
			rsp_conn_set_ack_mode(c, false);
			return;
		}
		/* An echo as hex and as escaped binary, and a stop reply. */
		rsp_buf_put_hex(&b, ev->data, ev->len < 16 ? ev->len : 16);
		rsp_buf_putc(&b, ';');
		rsp_buf_put_binary_some(&b, ev->data, ev->len);
		r = rsp_conn_send(c, b.data, b.len);
		ASSERT(r == 0);
		rsp_buf_reset(&b);
		{
			struct rsp_tid t = {true, (int64_t)ev->len + 1, RSP_ID_ALL};
			rsp_buf_put_stop(&b, (int)ev->len);
			rsp_buf_put_field_tid(&b, "thread", &t);
			rsp_buf_put_field_reg(&b, 16, ev->data, ev->len < 8 ? ev->len : 8);
			ASSERT(!b.overflow);
			ASSERT(rsp_conn_notify(c, b.data, b.len) == 0);
		}
		break;
	case RSP_EV_TOO_LONG:
		rsp_buf_put_error(&b, EMSGSIZE);
		ASSERT(rsp_conn_send(c, b.data, b.len) == 0);
		break;
	default:
		break;
	}
}

static void record(struct run *run, struct rsp_conn *c, const struct rsp_event *ev)
{
	unsigned char k[2] = {(unsigned char)ev->kind, ev->checksum_ok};
	const char *out;
	size_t n;

	ASSERT(ev->kind != RSP_EV_NONE);
	ASSERT((ev->data != NULL) ==
	       (ev->kind == RSP_EV_PACKET || ev->kind == RSP_EV_NOTIFICATION ||
	        ev->kind == RSP_EV_BAD_CHECKSUM || ev->kind == RSP_EV_TOO_LONG ||
	        ev->kind == RSP_EV_TRUNCATED));
	if (ev->data) {
		ASSERT(ev->len <= rsp_conn_max_payload(c) && ev->data[ev->len] == '\0');
		run->events = fnv(run->events, ev->data, ev->len);
	}
	run->events = fnv(run->events, k, sizeof(k));
	run->events = fnv(run->events, &ev->len, sizeof(ev->len));
	run->count++;
	serve(c, ev);
	out = rsp_conn_output(c, &n);
	run->output = fnv(run->output, out, n);
	rsp_conn_consume(c, n);
}

static void decode(struct rsp_conn *c, const uint8_t *data, size_t size, uint64_t seed,
                   size_t limit, bool rle, struct run *run, bool check)
{
	size_t off = 0;

	rsp_conn_init(c, limit);
	rsp_conn_set_rle(c, rle);
	run->events = run->output = 0xcbf29ce484222325ull;
	run->count = 0;
	while (off < size) {
		size_t chunk = size - off;
		if (seed) {
			seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
			chunk = 1 + seed % 64;
			if (chunk > size - off)
				chunk = size - off;
		}
		const uint8_t *p = data + off;
		size_t left = chunk;
		while (left) {
			struct rsp_event ev;
			size_t used = rsp_conn_feed(c, p, left, &ev);
			/* Progress: never stuck, never past the end. */
			ASSERT(used >= 1 && used <= left);
			if (ev.kind == RSP_EV_NONE) {
				ASSERT(used == left);
			} else {
				if (check &&
				    (ev.kind == RSP_EV_PACKET || ev.kind == RSP_EV_NOTIFICATION))
					check_payload(ev.data, ev.len,
					              ev.kind == RSP_EV_PACKET ? '$' : '%');
				record(run, c, &ev);
			}
			p += used;
			left -= used;
		}
		off += chunk;
	}
	ASSERT(rsp_conn_dropped_acks(c) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t h = fnv(0xcbf29ce484222325ull, data, size);
	size_t limit = (h & 3) == 0 ? 1 + (h >> 8) % 64 : 0;
	bool rle = h & 4;
	struct run whole, split;

	decode(&conn_a, data, size, 0, limit, rle, &whole, true);
	decode(&conn_b, data, size, h | 1, limit, rle, &split, false);
	ASSERT(whole.count == split.count);
	ASSERT(whole.events == split.events);
	ASSERT(whole.output == split.output);
	ASSERT(rsp_conn_junk(&conn_a) == rsp_conn_junk(&conn_b));
	ASSERT(rsp_conn_ack_mode(&conn_a) == rsp_conn_ack_mode(&conn_b));
	return 0;
}
