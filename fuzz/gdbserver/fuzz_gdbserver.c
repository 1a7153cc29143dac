/* SPDX-License-Identifier: MIT */
/*
 * fuzz_gdbserver: the packet handlers of `ptk gdbserver` (everything in src/gdbserver/
 * but the socket loop and the host file layer) against a fake libptk whose simulated
 * process stops, forks, clones, exits and takes signals at random (fake_ptk.c, seeded by
 * the input, so a crash replays).  The input is the byte stream a client sends; it is fed
 * in chunks whose sizes also come from the seed, with the simulated events taken between
 * chunks, as the real event loop does.
 *
 * Invariants: whatever the input, everything the server sends is a sequence of whole,
 * well-formed frames (`$...#xx` replies with good checksums, `%Stop:...` notifications,
 * acks) with no junk between them and no payload beyond the packet limit; the server's
 * tables stay consistent enough to end every process; nothing leaks (the sanitizers).
 */
#include "fake_ptk.h"
#include "gs.h"

#include <stdlib.h>
#include <string.h>

static struct rsp_conn client;

static void check_output(const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		struct rsp_event ev;
		size_t used = rsp_conn_feed(&client, c, n, &ev);
		c += used;
		n -= used;
		switch (ev.kind) {
		case RSP_EV_NONE:
		case RSP_EV_ACK:
		case RSP_EV_NAK:
		case RSP_EV_NOTIFICATION:
			break;
		case RSP_EV_PACKET:
			if (!ev.checksum_ok)
				abort();
			break;
		default:
			abort(); /* a damaged, cut or oversized frame */
		}
	}
	if (rsp_conn_junk(&client) != 0)
		abort();
}

static int sink(void *arg, const void *p, size_t n)
{
	(void)arg;
	check_output(p, n);
	return 0;
}

static uint32_t hash(const uint8_t *d, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ d[i]) * 16777619u;
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gs g;
	uint32_t seed = hash(data, size);
	char *argv[] = {"/fake/prog", "arg", NULL};
	struct gs_stop ex;

	fake_ptk_reset(seed);
	rsp_conn_init(&client, RSP_PAYLOAD_MAX);
	rsp_conn_set_ack_mode(&client, false);
	if (gs_init(&g, fake_ptk_session()) < 0)
		return 0;
	g.out_fn = sink;
	g.multi = seed & 1; /* the session outlives its processes */
	fake_ptk_budget(8);
	gs_spawn(&g, argv, &ex);
	for (size_t off = 0; off < size && !gs_session_over(&g);) {
		size_t chunk = 1 + (seed >> (off % 16)) % 64;
		if (chunk > size - off)
			chunk = size - off;
		fake_ptk_budget(16);
		gs_feed(&g, data + off, chunk);
		gs_poll(&g);
		off += chunk;
	}
	fake_ptk_budget(1000);
	gs_kill(&g, 0);
	gs_fini(&g);
	return 0;
}
