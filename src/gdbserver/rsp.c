/* SPDX-License-Identifier: MIT */
/*
 * rsp: GDB Remote Serial Protocol framing, escaping, run-length encoding and payload
 * parsing.  See rsp.h for the API and the wire facts it relies on.
 */
#include "rsp.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char hexdigits[] = "0123456789abcdef";

/* Bytes that binary data escapes, and that may never appear raw in a payload we frame. */
#define ESC      '}'
#define ESC_XOR  0x20
#define RLE_BIAS 29

/* ------------------------------------------------------------------------------------- */
/* Checksums, hex, escaping, run-length encoding                                        */

uint8_t rsp_checksum(const void *p, size_t n)
{
	const unsigned char *b = p;
	unsigned sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += b[i];
	return (uint8_t)sum;
}

int rsp_hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int rsp_hex_decode(const char *hex, size_t n, void *out, size_t cap, size_t *ret_len)
{
	unsigned char *o = out;

	if (n % 2)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (rsp_hex_value((unsigned char)hex[i]) < 0)
			return -EINVAL;
	if (n / 2 > cap)
		return -ENOBUFS;
	/* In place works: byte i is written after digits 2i and 2i+1 were read. */
	for (size_t i = 0; i < n / 2; i++) {
		int hi = rsp_hex_value((unsigned char)hex[2 * i]);
		int lo = rsp_hex_value((unsigned char)hex[2 * i + 1]);
		o[i] = (unsigned char)((unsigned)hi << 4 | (unsigned)lo);
	}
	*ret_len = n / 2;
	return 0;
}

static bool needs_escape(unsigned char c)
{
	return c == '#' || c == '$' || c == ESC || c == '*';
}

int rsp_unescape(const char *in, size_t n, void *out, size_t cap, size_t *ret_len)
{
	unsigned char *o = out;
	size_t need = 0;

	/* A first pass validates and measures, so that a failure writes nothing. */
	for (size_t i = 0; i < n; i++, need++) {
		if (in[i] == ESC && ++i == n)
			return -EINVAL;
	}
	if (need > cap)
		return -ENOBUFS;
	for (size_t i = 0, j = 0; i < n; i++, j++) {
		unsigned char c = (unsigned char)in[i];
		if (c == ESC)
			c = (unsigned char)in[++i] ^ ESC_XOR;
		o[j] = c;
	}
	*ret_len = need;
	return 0;
}

size_t rsp_escaped_len(const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t len = n;

	for (size_t i = 0; i < n; i++)
		len += needs_escape(b[i]);
	return len;
}

/* Whether c can be a run-length count character. */
static bool rle_count_ok(unsigned char c)
{
	return c >= ' ' && c <= '~' && c != '#' && c != '$';
}

int rsp_rle_decode(const char *in, size_t n, char *out, size_t cap, size_t *ret_len)
{
	size_t need = 0;

	for (size_t i = 0; i < n; i++) {
		if (in[i] != '*') {
			need++;
			continue;
		}
		if (need == 0 || i + 1 == n || !rle_count_ok((unsigned char)in[i + 1]))
			return -EINVAL;
		need += (unsigned char)in[++i] - RLE_BIAS;
	}
	if (need > cap)
		return -ENOBUFS;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (in[i] != '*') {
			out[o++] = in[i];
			continue;
		}
		size_t k = (unsigned char)in[++i] - RLE_BIAS;
		memset(out + o, out[o - 1], k);
		o += k;
	}
	*ret_len = o;
	return 0;
}

/* ------------------------------------------------------------------------------------- */
/* Reply builder                                                                         */

static void terminate(struct rsp_buf *b)
{
	if (b->len < b->cap)
		b->data[b->len] = '\0';
}

void rsp_buf_init(struct rsp_buf *b, char *mem, size_t cap)
{
	b->data = mem;
	b->cap = mem ? cap : 0;
	rsp_buf_reset(b);
}

void rsp_buf_reset(struct rsp_buf *b)
{
	b->len = 0;
	b->overflow = false;
	terminate(b);
}

/* Reserve n bytes at the end: a pointer to write them, or NULL (and overflow) if full. */
static char *reserve(struct rsp_buf *b, size_t n)
{
	if (b->overflow || n > b->cap - b->len) {
		b->overflow = true;
		return NULL;
	}
	char *at = b->data + b->len;
	b->len += n;
	return at;
}

int rsp_buf_put(struct rsp_buf *b, const void *p, size_t n)
{
	char *at = reserve(b, n);

	if (!at)
		return -ENOBUFS;
	if (n)
		memcpy(at, p, n);
	terminate(b);
	return 0;
}

int rsp_buf_putc(struct rsp_buf *b, char c)
{
	return rsp_buf_put(b, &c, 1);
}

int rsp_buf_puts(struct rsp_buf *b, const char *s)
{
	return rsp_buf_put(b, s, strlen(s));
}

int rsp_buf_printf(struct rsp_buf *b, const char *fmt, ...)
{
	char tmp[256];
	size_t room;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->overflow = true;
		return -ENOBUFS;
	}
	if ((size_t)n < sizeof(tmp))
		return rsp_buf_put(b, tmp, (size_t)n);
	/*
	 * Longer than tmp: format in place.  vsnprintf writes at most room bytes, its NUL
	 * included, so this needs one byte more than the text and never passes cap.
	 */
	room = b->overflow ? 0 : b->cap - b->len;
	if ((size_t)n >= room) {
		b->overflow = true;
		return -ENOBUFS;
	}
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, room, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

int rsp_buf_put_hex(struct rsp_buf *b, const void *p, size_t n)
{
	const unsigned char *s = p;
	char *at;

	if (n > SIZE_MAX / 2) {
		b->overflow = true;
		return -ENOBUFS;
	}
	at = reserve(b, 2 * n);
	if (!at)
		return -ENOBUFS;
	for (size_t i = 0; i < n; i++) {
		at[2 * i] = hexdigits[s[i] >> 4];
		at[2 * i + 1] = hexdigits[s[i] & 15];
	}
	terminate(b);
	return 0;
}

int rsp_buf_put_num(struct rsp_buf *b, uint64_t v)
{
	char tmp[16];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = hexdigits[v & 15];
		v >>= 4;
	} while (v);
	return rsp_buf_put(b, tmp + i, sizeof(tmp) - i);
}

int rsp_buf_put_binary(struct rsp_buf *b, const void *p, size_t n)
{
	const unsigned char *s = p;
	char *at = reserve(b, rsp_escaped_len(p, n));

	if (!at)
		return -ENOBUFS;
	for (size_t i = 0; i < n; i++) {
		if (needs_escape(s[i])) {
			*at++ = ESC;
			*at++ = (char)(s[i] ^ ESC_XOR);
		} else {
			*at++ = (char)s[i];
		}
	}
	terminate(b);
	return 0;
}

size_t rsp_buf_put_binary_some(struct rsp_buf *b, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i;

	if (b->overflow)
		return 0;
	for (i = 0; i < n; i++) {
		size_t w = needs_escape(s[i]) ? 2 : 1;
		if (w > b->cap - b->len)
			break;
		if (w == 2) {
			b->data[b->len++] = ESC;
			b->data[b->len++] = (char)(s[i] ^ ESC_XOR);
		} else {
			b->data[b->len++] = (char)s[i];
		}
	}
	terminate(b);
	return i;
}

int rsp_buf_put_error(struct rsp_buf *b, int err)
{
	char e[3] = {'E', hexdigits[(err >> 4) & 15], hexdigits[err & 15]};

	return rsp_buf_put(b, e, sizeof(e));
}

/* ------------------------------------------------------------------------------------- */
/* Thread ids and stop replies                                                           */

/* Append one id of a thread-id: "-1" or hex. */
static int put_id(struct rsp_buf *b, int64_t id)
{
	if (id == RSP_ID_ALL)
		return rsp_buf_put(b, "-1", 2);
	return rsp_buf_put_num(b, (uint64_t)id);
}

int rsp_buf_put_tid(struct rsp_buf *b, const struct rsp_tid *t)
{
	char mem[40];
	struct rsp_buf tmp;

	if (t->tid < RSP_ID_ALL || (t->has_pid && t->pid < RSP_ID_ALL))
		return -EINVAL;
	/* Build it aside so that the append stays all or nothing. */
	rsp_buf_init(&tmp, mem, sizeof(mem));
	if (t->has_pid) {
		rsp_buf_putc(&tmp, 'p');
		put_id(&tmp, t->pid);
		rsp_buf_putc(&tmp, '.');
	}
	put_id(&tmp, t->tid);
	return rsp_buf_put(b, tmp.data, tmp.len);
}

int rsp_buf_put_stop(struct rsp_buf *b, int signo)
{
	char t[3] = {'T', hexdigits[(signo >> 4) & 15], hexdigits[signo & 15]};

	return rsp_buf_put(b, t, sizeof(t));
}

/* Append `name:` + the content of tmp + `;` as one piece. */
static int put_field_built(struct rsp_buf *b, const char *name, const struct rsp_buf *val)
{
	size_t nl = strlen(name);
	char *at;

	if (val->overflow || nl > SIZE_MAX - 2 - val->len) {
		b->overflow = true;
		return -ENOBUFS;
	}
	at = reserve(b, nl + 1 + val->len + 1);
	if (!at)
		return -ENOBUFS;
	memcpy(at, name, nl);
	at[nl] = ':';
	if (val->len)
		memcpy(at + nl + 1, val->data, val->len);
	at[nl + 1 + val->len] = ';';
	terminate(b);
	return 0;
}

int rsp_buf_put_field(struct rsp_buf *b, const char *name, const char *value)
{
	struct rsp_buf v = {.data = (char *)value, .len = strlen(value)};

	v.cap = v.len;
	return put_field_built(b, name, &v);
}

int rsp_buf_put_field_num(struct rsp_buf *b, const char *name, uint64_t v)
{
	char mem[17];
	struct rsp_buf tmp;

	rsp_buf_init(&tmp, mem, sizeof(mem));
	rsp_buf_put_num(&tmp, v);
	return put_field_built(b, name, &tmp);
}

int rsp_buf_put_field_tid(struct rsp_buf *b, const char *name, const struct rsp_tid *t)
{
	char mem[40];
	struct rsp_buf tmp;
	int r;

	rsp_buf_init(&tmp, mem, sizeof(mem));
	r = rsp_buf_put_tid(&tmp, t);
	if (r < 0)
		return r;
	return put_field_built(b, name, &tmp);
}

int rsp_buf_put_field_reg(struct rsp_buf *b, unsigned regno, const void *val, size_t size)
{
	char name[12];
	const unsigned char *v = val;
	char *at;
	int nl = snprintf(name, sizeof(name), "%02x", regno);

	if (size > (SIZE_MAX - 16) / 2) {
		b->overflow = true;
		return -ENOBUFS;
	}
	at = reserve(b, (size_t)nl + 1 + 2 * size + 1);
	if (!at)
		return -ENOBUFS;
	memcpy(at, name, (size_t)nl);
	at += nl;
	*at++ = ':';
	for (size_t i = 0; i < size; i++) {
		*at++ = hexdigits[v[i] >> 4];
		*at++ = hexdigits[v[i] & 15];
	}
	*at = ';';
	terminate(b);
	return 0;
}

/* ------------------------------------------------------------------------------------- */
/* Framing                                                                               */

/*
 * The repeat count to encode for `left` more copies of a byte, or 0 to send the next
 * copy literally.  A count costs two bytes (`*` and the count character), so it only wins
 * from 3 on.  Counts of 6 and 7 would be sent as `#` and `$`, which end or restart a
 * frame, and in a notification 8 would be `%`, which starts a new one: send 5 instead and
 * let the rest go literally or as a new run.
 */
static size_t rle_repeat(size_t left, char lead)
{
	size_t k = left < RSP_RLE_MAX_REPEAT ? left : RSP_RLE_MAX_REPEAT;

	if (k < 3)
		return 0;
	if (k == 6 || k == 7 || (k == 8 && lead == '%'))
		k = 5;
	return k;
}

/* Append payload run-length encoded; the caller checked the payload and reserved room. */
static void put_rle(struct rsp_buf *out, char lead, const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t run = 1;

		while (i + run < n && s[i + run] == c)
			run++;
		i += run;
		while (run > 0) {
			size_t k;

			out->data[out->len++] = (char)c;
			run--;
			k = rle_repeat(run, lead);
			if (k) {
				out->data[out->len++] = '*';
				out->data[out->len++] = (char)(k + RLE_BIAS);
				run -= k;
			}
		}
	}
}

int rsp_frame(struct rsp_buf *out, char lead, const void *payload, size_t n, bool rle)
{
	const unsigned char *s = payload;
	size_t start = out->len;
	uint8_t sum;

	if (lead != '$' && lead != '%')
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '$' || s[i] == '#' || s[i] == '*' || (lead == '%' && s[i] == '%'))
			return -EINVAL;
	}
	/* Encoding never makes the payload longer, so n + 4 bytes always suffice. */
	if (n > SIZE_MAX - 4 || !reserve(out, n + 4))
		return -ENOBUFS;
	out->len = start;
	out->data[out->len++] = lead;
	if (rle) {
		put_rle(out, lead, s, n);
	} else {
		memcpy(out->data + out->len, s, n);
		out->len += n;
	}
	sum = rsp_checksum(out->data + start + 1, out->len - start - 1);
	out->data[out->len++] = '#';
	out->data[out->len++] = hexdigits[sum >> 4];
	out->data[out->len++] = hexdigits[sum & 15];
	terminate(out);
	return 0;
}

/* ------------------------------------------------------------------------------------- */
/* Connection                                                                            */

enum { ST_IDLE, ST_BODY, ST_CSUM1, ST_CSUM2 };

void rsp_conn_init(struct rsp_conn *c, size_t max_payload)
{
	c->state = ST_IDLE;
	c->lead = 0;
	c->sum = 0;
	c->digit1 = 0;
	c->len = 0;
	c->seen = 0;
	c->max_payload =
	        (max_payload == 0 || max_payload > RSP_PAYLOAD_MAX) ? RSP_PAYLOAD_MAX : max_payload;
	c->ack_mode = true;
	c->rle = false;
	c->junk = 0;
	c->dropped_acks = 0;
	c->out_len = 0;
	c->last_len = 0;
	c->pkt[0] = '\0';
}

static void queue_ack(struct rsp_conn *c, char a)
{
	if (c->out_len < sizeof(c->out))
		c->out[c->out_len++] = a;
	else
		c->dropped_acks++;
}

static void start_frame(struct rsp_conn *c, char lead)
{
	c->state = ST_BODY;
	c->lead = lead;
	c->sum = 0;
	c->len = 0;
	c->seen = 0;
}

/* Fill ev with the frame stored so far (for packet-carrying events). */
static void frame_event(struct rsp_conn *c, struct rsp_event *ev, enum rsp_event_kind kind)
{
	c->pkt[c->len] = '\0';
	ev->kind = kind;
	ev->data = c->pkt;
	ev->len = c->len;
}

/* Both checksum digits are in: classify the frame, queue the ack, fill ev. */
static void finish_frame(struct rsp_conn *c, char digit2, struct rsp_event *ev)
{
	int hi = rsp_hex_value((unsigned char)c->digit1);
	int lo = rsp_hex_value((unsigned char)digit2);
	bool wellformed = hi >= 0 && lo >= 0;
	bool sum_ok = wellformed && (uint8_t)(hi << 4 | lo) == c->sum;
	bool packet = c->lead == '$';

	c->state = ST_IDLE;
	/*
	 * Notifications are never acknowledged; corrupted ones are dropped silently
	 * ("Notification Packets").  With acks off a packet's checksum may be ignored
	 * ("Packet Acknowledgment"), but the frame must still end in two hex digits.
	 */
	if (!wellformed || (!sum_ok && (!packet || c->ack_mode))) {
		if (packet && c->ack_mode)
			queue_ack(c, '-');
		frame_event(c, ev, RSP_EV_BAD_CHECKSUM);
		return;
	}
	if (packet && c->ack_mode)
		queue_ack(c, '+');
	if (c->seen > c->max_payload) {
		frame_event(c, ev, RSP_EV_TOO_LONG);
		return;
	}
	frame_event(c, ev, packet ? RSP_EV_PACKET : RSP_EV_NOTIFICATION);
	ev->checksum_ok = sum_ok;
}

size_t rsp_conn_feed(struct rsp_conn *c, const void *buf, size_t len, struct rsp_event *ev)
{
	const unsigned char *b = buf;

	ev->kind = RSP_EV_NONE;
	ev->data = NULL;
	ev->len = 0;
	ev->checksum_ok = true;

	for (size_t i = 0; i < len; i++) {
		unsigned char x = b[i];

		switch (c->state) {
		case ST_IDLE:
			switch (x) {
			case '$':
			case '%':
				start_frame(c, (char)x);
				break;
			case '+':
				ev->kind = RSP_EV_ACK;
				return i + 1;
			case '-':
				/* The client wants our last packet again. */
				if (c->ack_mode && c->last_len &&
				    c->last_len <= sizeof(c->out) - c->out_len) {
					memcpy(c->out + c->out_len, c->last, c->last_len);
					c->out_len += c->last_len;
				}
				ev->kind = RSP_EV_NAK;
				return i + 1;
			case 0x03:
				ev->kind = RSP_EV_INTERRUPT;
				return i + 1;
			default:
				c->junk++;
				break;
			}
			break;
		case ST_BODY:
			if (x == '#') {
				c->state = ST_CSUM1;
				break;
			}
			/*
			 * A `$` never occurs raw inside a packet (binary data escapes it), nor
			 * `$`/`%` inside a notification: the frame in progress lost its end.
			 */
			if (x == '$' || (x == '%' && c->lead == '%')) {
				frame_event(c, ev, RSP_EV_TRUNCATED);
				start_frame(c, (char)x);
				return i + 1;
			}
			c->sum = (uint8_t)(c->sum + x);
			if (c->len < c->max_payload)
				c->pkt[c->len++] = (char)x;
			if (c->seen <= c->max_payload)
				c->seen++;
			break;
		case ST_CSUM1:
		case ST_CSUM2:
			if (x == '$' || x == '%') {
				frame_event(c, ev, RSP_EV_TRUNCATED);
				start_frame(c, (char)x);
				return i + 1;
			}
			if (c->state == ST_CSUM1) {
				c->digit1 = (char)x;
				c->state = ST_CSUM2;
				break;
			}
			finish_frame(c, (char)x, ev);
			return i + 1;
		}
	}
	return len;
}

/* Frame payload into the output, keeping the ack reserve free; remember it if asked. */
static int queue_frame(struct rsp_conn *c, char lead, const void *payload, size_t n, bool remember)
{
	struct rsp_buf out;
	size_t room = sizeof(c->out) - RSP_OUT_ACK_RESERVE;
	int r;

	if (n > RSP_PAYLOAD_MAX)
		return -EMSGSIZE;
	if (c->out_len >= room)
		return -ENOBUFS;
	out.data = c->out;
	out.cap = room;
	out.len = c->out_len;
	out.overflow = false;
	r = rsp_frame(&out, lead, payload, n, c->rle);
	if (r < 0)
		return r;
	if (remember) {
		c->last_len = out.len - c->out_len;
		memcpy(c->last, c->out + c->out_len, c->last_len);
	}
	c->out_len = out.len;
	return 0;
}

int rsp_conn_send(struct rsp_conn *c, const void *payload, size_t n)
{
	return queue_frame(c, '$', payload, n, c->ack_mode);
}

int rsp_conn_send_str(struct rsp_conn *c, const char *payload)
{
	return rsp_conn_send(c, payload, strlen(payload));
}

int rsp_conn_notify(struct rsp_conn *c, const void *payload, size_t n)
{
	return queue_frame(c, '%', payload, n, false);
}

void rsp_conn_set_ack_mode(struct rsp_conn *c, bool on)
{
	c->ack_mode = on;
	if (!on)
		c->last_len = 0;
}

bool rsp_conn_ack_mode(const struct rsp_conn *c)
{
	return c->ack_mode;
}

void rsp_conn_set_rle(struct rsp_conn *c, bool on)
{
	c->rle = on;
}

size_t rsp_conn_max_payload(const struct rsp_conn *c)
{
	return c->max_payload;
}

const char *rsp_conn_output(const struct rsp_conn *c, size_t *ret_len)
{
	*ret_len = c->out_len;
	return c->out;
}

void rsp_conn_consume(struct rsp_conn *c, size_t n)
{
	if (n > c->out_len)
		n = c->out_len;
	memmove(c->out, c->out + n, c->out_len - n);
	c->out_len -= n;
}

unsigned long rsp_conn_junk(const struct rsp_conn *c)
{
	return c->junk;
}

unsigned long rsp_conn_dropped_acks(const struct rsp_conn *c)
{
	return c->dropped_acks;
}

/* ------------------------------------------------------------------------------------- */
/* Parsing payloads                                                                      */

bool rsp_str_eq(struct rsp_str s, const char *lit)
{
	size_t n = strlen(lit);

	return s.len == n && (n == 0 || memcmp(s.p, lit, n) == 0);
}

bool rsp_str_prefix(struct rsp_str s, const char *lit)
{
	size_t n = strlen(lit);

	return s.len >= n && (n == 0 || memcmp(s.p, lit, n) == 0);
}

void rsp_scan_init(struct rsp_scan *s, const void *p, size_t n)
{
	s->p = p;
	s->end = s->p + n;
}

void rsp_scan_init_str(struct rsp_scan *s, struct rsp_str str)
{
	rsp_scan_init(s, str.p, str.len);
}

size_t rsp_scan_left(const struct rsp_scan *s)
{
	return (size_t)(s->end - s->p);
}

bool rsp_scan_eof(const struct rsp_scan *s)
{
	return s->p == s->end;
}

bool rsp_scan_lit(struct rsp_scan *s, const char *lit)
{
	struct rsp_str rest = {s->p, rsp_scan_left(s)};

	if (!rsp_str_prefix(rest, lit))
		return false;
	s->p += strlen(lit);
	return true;
}

struct rsp_str rsp_scan_rest(struct rsp_scan *s)
{
	struct rsp_str r = {s->p, rsp_scan_left(s)};

	s->p = s->end;
	return r;
}

int rsp_scan_num(struct rsp_scan *s, uint64_t *ret)
{
	const char *p = s->p;
	uint64_t v = 0;
	bool big = false;
	int d;

	if (p == s->end || rsp_hex_value((unsigned char)*p) < 0)
		return -EINVAL;
	for (; p < s->end && (d = rsp_hex_value((unsigned char)*p)) >= 0; p++) {
		if (v >> 60)
			big = true;
		v = v << 4 | (uint64_t)d;
	}
	if (big)
		return -ERANGE;
	s->p = p;
	*ret = v;
	return 0;
}

int rsp_scan_addr_len(struct rsp_scan *s, uint64_t *ret_addr, uint64_t *ret_len)
{
	struct rsp_scan t = *s;
	uint64_t addr, len;
	int r;

	r = rsp_scan_num(&t, &addr);
	if (r < 0)
		return r;
	if (!rsp_scan_lit(&t, ","))
		return -EINVAL;
	r = rsp_scan_num(&t, &len);
	if (r < 0)
		return r;
	*s = t;
	*ret_addr = addr;
	*ret_len = len;
	return 0;
}

/* One id of a thread-id: "-1" or a hex number up to INT64_MAX. */
static int scan_id(struct rsp_scan *s, int64_t *ret)
{
	struct rsp_scan t = *s;
	uint64_t v;
	int r;

	if (rsp_scan_lit(&t, "-")) {
		/* Only -1 exists; "-12" is not "-1" followed by "2". */
		if (!rsp_scan_lit(&t, "1") || (!rsp_scan_eof(&t) && rsp_hex_value(*t.p) >= 0))
			return -EINVAL;
		*s = t;
		*ret = RSP_ID_ALL;
		return 0;
	}
	r = rsp_scan_num(&t, &v);
	if (r < 0)
		return r;
	if (v > INT64_MAX)
		return -ERANGE;
	*s = t;
	*ret = (int64_t)v;
	return 0;
}

int rsp_scan_tid(struct rsp_scan *s, struct rsp_tid *ret)
{
	struct rsp_scan t = *s;
	struct rsp_tid id = {.has_pid = false, .pid = RSP_ID_ANY};
	int r;

	if (rsp_scan_lit(&t, "p")) {
		id.has_pid = true;
		r = scan_id(&t, &id.pid);
		if (r < 0)
			return r;
		if (rsp_scan_lit(&t, ".")) {
			r = scan_id(&t, &id.tid);
			if (r < 0)
				return r;
		} else {
			/* "pPID" alone means every thread of PID. */
			id.tid = RSP_ID_ALL;
		}
		/* "It is an error to specify all processes but a specific thread." */
		if (id.pid == RSP_ID_ALL && id.tid > 0)
			return -EINVAL;
	} else {
		r = scan_id(&t, &id.tid);
		if (r < 0)
			return r;
	}
	*s = t;
	*ret = id;
	return 0;
}

bool rsp_scan_item(struct rsp_scan *s, char sep, struct rsp_str *ret)
{
	const char *q;

	if (rsp_scan_eof(s))
		return false;
	q = memchr(s->p, sep, rsp_scan_left(s));
	ret->p = s->p;
	if (q) {
		ret->len = (size_t)(q - s->p);
		s->p = q + 1;
	} else {
		ret->len = rsp_scan_left(s);
		s->p = s->end;
	}
	return true;
}

int rsp_scan_hex_bytes(struct rsp_scan *s, void *out, size_t cap, size_t *ret_len)
{
	const char *q = s->p;
	int r;

	while (q < s->end && rsp_hex_value((unsigned char)*q) >= 0)
		q++;
	r = rsp_hex_decode(s->p, (size_t)(q - s->p), out, cap, ret_len);
	if (r < 0)
		return r;
	s->p = q;
	return 0;
}

int rsp_scan_binary(struct rsp_scan *s, void *out, size_t cap, size_t *ret_len)
{
	int r = rsp_unescape(s->p, rsp_scan_left(s), out, cap, ret_len);

	if (r < 0)
		return r;
	s->p = s->end;
	return 0;
}

int rsp_str_num(struct rsp_str str, uint64_t *ret)
{
	struct rsp_scan s;
	uint64_t v;
	int r;

	rsp_scan_init_str(&s, str);
	r = rsp_scan_num(&s, &v);
	if (r < 0)
		return r;
	if (!rsp_scan_eof(&s))
		return -EINVAL;
	*ret = v;
	return 0;
}

int rsp_str_tid(struct rsp_str str, struct rsp_tid *ret)
{
	struct rsp_scan s;
	struct rsp_tid t;
	int r;

	rsp_scan_init_str(&s, str);
	r = rsp_scan_tid(&s, &t);
	if (r < 0)
		return r;
	if (!rsp_scan_eof(&s))
		return -EINVAL;
	*ret = t;
	return 0;
}

int rsp_split(struct rsp_str item, char sep, struct rsp_str *ret_name, struct rsp_str *ret_value)
{
	const char *q = item.len ? memchr(item.p, sep, item.len) : NULL;

	if (!q)
		return -EINVAL;
	ret_name->p = item.p;
	ret_name->len = (size_t)(q - item.p);
	ret_value->p = q + 1;
	ret_value->len = item.len - ret_name->len - 1;
	return 0;
}

int rsp_parse_feature(struct rsp_str item, struct rsp_feature *ret)
{
	struct rsp_str name, value;
	char last;

	if (rsp_split(item, '=', &name, &value) == 0) {
		if (name.len == 0)
			return -EINVAL;
		ret->name = name;
		ret->state = '=';
		ret->value = value;
		return 0;
	}
	if (item.len < 2)
		return -EINVAL;
	last = item.p[item.len - 1];
	if (last != '+' && last != '-' && last != '?')
		return -EINVAL;
	ret->name.p = item.p;
	ret->name.len = item.len - 1;
	ret->state = last;
	ret->value.p = item.p + item.len;
	ret->value.len = 0;
	return 0;
}
