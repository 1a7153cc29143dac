/* SPDX-License-Identifier: MIT */
/*
 * Tracee memory: reads that run into an unmapped or PROT_NONE page return
 * the readable prefix with -EFAULT, strings at the edge, a 1 MiB read in
 * one call, writes to read-only data and text; and the syscalls given such
 * buffers return exactly what they return untraced.
 */
#include "lt.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

struct memcheck {
	unsigned method; /* 0, PTK_MEM_VIA_PROC or PTK_MEM_VIA_PEEK */
	int edges;       /* write(pipe, edge, 64) stops seen */
	bool big, ro;
	uint64_t vm_reads_for_big;
	char patched_from[32];
};

/* At the enter stop of write(fd, edge, 64): the string runs to the edge. */
static void check_edge(struct ptk_session *s, pid_t tid, uint64_t addr, const char *text)
{
	size_t len = strlen(text);
	char buf[128];
	size_t n = 12345;
	memset(buf, 0, sizeof buf);
	CHECK_EQ_INT(ptk_mem_read(s, tid, addr, buf, 64, &n), -EFAULT);
	CHECK_EQ_INT(n, len);
	CHECK(memcmp(buf, text, len) == 0);
	/* without ret_n */
	CHECK_EQ_INT(ptk_mem_read(s, tid, addr, buf, 64, NULL), -EFAULT);
	/* the readable part alone reads whole */
	n = 0;
	CHECK_EQ_INT(ptk_mem_read(s, tid, addr, buf, len, &n), 0);
	CHECK_EQ_INT(n, len);
	/* nothing at all past the edge */
	n = 99;
	CHECK_EQ_INT(ptk_mem_read(s, tid, addr + len, buf, 1, &n), -EFAULT);
	CHECK_EQ_INT(n, 0);
	/* a string with no NUL before the edge: what was readable, -EFAULT */
	char str[256];
	size_t sl = 99;
	memset(str, 'z', sizeof str);
	CHECK_EQ_INT(ptk_mem_read_str(s, tid, addr, str, 200, &sl), -EFAULT);
	CHECK_EQ_INT(sl, len);
	CHECK_EQ_STR(str, text);
	/* truncated before the edge: 1, max bytes, NUL-terminated */
	sl = 99;
	CHECK_EQ_INT(ptk_mem_read_str(s, tid, addr, str, 4, &sl), 1);
	CHECK_EQ_INT(sl, 4);
	CHECK(memcmp(str, text, 4) == 0 && str[4] == 0);
	/* a string that starts past the edge: empty, -EFAULT */
	sl = 99;
	CHECK_EQ_INT(ptk_mem_read_str(s, tid, addr + len, str, 10, &sl), -EFAULT);
	CHECK_EQ_INT(sl, 0);
	CHECK_EQ_STR(str, "");
	/* a string starting at the last readable byte: that byte, -EFAULT */
	sl = 99;
	CHECK_EQ_INT(ptk_mem_read_str(s, tid, addr + len - 1, str, 10, &sl), -EFAULT);
	CHECK_EQ_INT(sl, 1);
	CHECK_EQ_INT(str[0], text[len - 1]);
	/* with its NUL in the last readable byte, the string reads whole: 0 */
	CHECK_EQ_INT(ptk_mem_write(s, tid, addr + len - 1, "", 1, NULL), 0);
	sl = 99;
	CHECK_EQ_INT(ptk_mem_read_str(s, tid, addr, str, 200, &sl), 0);
	CHECK_EQ_INT(sl, len - 1);
	CHECK(memcmp(str, text, len - 1) == 0 && str[len - 1] == 0);
	CHECK_EQ_INT(ptk_mem_write(s, tid, addr + len - 1, text + len - 1, 1, NULL), 0);
	CHECK_EQ_INT(ptk_mem_read(s, tid, addr, buf, len, NULL), 0);
	CHECK(memcmp(buf, text, len) == 0);
}

static bool mem_hook(struct ptk_session *s, const struct ptk_event *ev, void *arg)
{
	struct memcheck *m = arg;
	if (ev->kind != PTK_EV_SYSCALL_ENTER || ev->sc.nr != NR_write)
		return false;
	pid_t tid = ev->tid;
	uint64_t addr = ev->sc.args[1], len = ev->sc.args[2];
	if (len == 64) {
		if (m->edges == 1 && m->method) {
			/* The forced methods read a PROT_NONE page as a debugger does. */
			char buf[64];
			size_t n = 0;
			CHECK_EQ_INT(ptk_mem_read(s, tid, addr, buf, 64, &n), 0);
			CHECK_EQ_INT(n, 64);
			CHECK(memcmp(buf, "PROT-NONE-EDGE", 14) == 0);
		} else {
			check_edge(s, tid, addr, m->edges == 0 ? "EDGE-STRING" : "PROT-NONE-EDGE");
		}
		m->edges++;
	} else if (len == 1u << 20) {
		struct ptk_stats a, b;
		unsigned char *buf = malloc(len);
		ptk_stats_get(s, &a);
		size_t n = 0;
		CHECK_EQ_INT(ptk_mem_read(s, tid, addr, buf, len, &n), 0);
		ptk_stats_get(s, &b);
		CHECK_EQ_INT(n, len);
		for (size_t i = 0; i < len; i++)
			if (buf[i] != (unsigned char)((i * 7 + 3) & 0xff))
				th_fail(__FILE__, __LINE__, "byte %zu of the 1 MiB read: %#x", i,
				        buf[i]);
		m->vm_reads_for_big = b.vm_reads - a.vm_reads;
		free(buf);
		m->big = true;
	} else if (ev->sc.args[0] == 1 && len == 18) {
		/* "read-only message\n" in .rodata: not writable by the tracee */
		struct ptk_maps maps;
		CHECK_OK(ptk_maps_read(ev->pid, &maps));
		const struct ptk_map *mp = ptk_maps_find(&maps, addr);
		CHECK(mp != NULL);
		CHECK_EQ_INT(mp->prot & PTK_PROT_W, 0);
		ptk_maps_free(&maps);
		char buf[32] = {0};
		CHECK_EQ_INT(ptk_mem_read(s, tid, addr, buf, len, NULL), 0);
		memcpy(m->patched_from, buf, len);
		size_t n = 0;
		CHECK_EQ_INT(ptk_mem_write(s, tid, addr, "rewritten", 9, &n), 0);
		CHECK_EQ_INT(n, 9);
		CHECK_EQ_INT(ptk_mem_read(s, tid, addr, buf, len, NULL), 0);
		CHECK(memcmp(buf, "rewritten message\n", 18) == 0);

		/* the text around the syscall instruction: write, read back, restore */
		uint64_t ip = ev->sc.ip;
		CHECK_OK(ptk_maps_read(ev->pid, &maps));
		mp = ptk_maps_find(&maps, ip);
		CHECK(mp != NULL);
		CHECK((mp->prot & PTK_PROT_X) && !(mp->prot & PTK_PROT_W));
		ptk_maps_free(&maps);
		uint8_t orig[16], inv[16], back[16];
		CHECK_EQ_INT(ptk_mem_read(s, tid, ip, orig, 16, NULL), 0);
		for (int i = 0; i < 16; i++)
			inv[i] = (uint8_t)~orig[i];
		CHECK_EQ_INT(ptk_mem_write(s, tid, ip, inv, 16, &n), 0);
		CHECK_EQ_INT(n, 16);
		CHECK_EQ_INT(ptk_mem_read(s, tid, ip, back, 16, NULL), 0);
		CHECK(memcmp(back, inv, 16) == 0);
		CHECK_EQ_INT(ptk_mem_write(s, tid, ip, orig, 16, NULL), 0);
		CHECK_EQ_INT(ptk_mem_read(s, tid, ip, back, 16, NULL), 0);
		CHECK(memcmp(back, orig, 16) == 0);
		m->ro = true;
	}
	return false;
}

static void mem_edges(unsigned method)
{
	char *argv[] = {(char *)th_tracee("mem_edge"), NULL};
	char want[1024];
	int st = lt_untraced(argv, want, sizeof want);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* the syscalls with edge buffers: whatever this kernel does, traced the same */
	char *ro = strstr(want, "read-only message\n");
	CHECK(ro != NULL);
	CHECK(strstr(want, "big: write=1048576\n") != NULL);

	struct memcheck m = {.method = method};
	struct log l = {0};
	char *o = lt_trace_all(argv, method, PTK_RESUME_SYSCALL, &l, mem_hook, &m, NULL);
	CHECK_EQ_INT(m.edges, 2);
	CHECK(m.big);
	CHECK_EQ_INT(m.vm_reads_for_big, method ? 0 : 1);
	CHECK(m.ro);
	CHECK_EQ_STR(m.patched_from, "read-only message\n");
	/* the same output, but for the string the tracer rewrote */
	memcpy(ro, "rewritten", 9);
	lt_output_is(o, want);
	log_free(&l);
}

TEST(mem_edges_big_reads_and_readonly_writes)
{
	mem_edges(0);
}

/* The same through /proc/PID/mem, as where process_vm_readv is refused. */
TEST(mem_via_proc_pid_mem)
{
	mem_edges(PTK_MEM_VIA_PROC);
}

/* The same through PTRACE_PEEKDATA/POKEDATA alone. */
TEST(mem_via_peek_poke)
{
	mem_edges(PTK_MEM_VIA_PEEK);
}

/* Reads of nothing, of address 0, and of a tid that is not a tracee. */
TEST(mem_read_errors)
{
	char *argv[] = {(char *)th_tracee("hello"), NULL};
	pid_t pid;
	int out;
	struct ptk_session *s = lt_start(0, argv, &pid, &out);
	char buf[16];
	size_t n = 7;
	CHECK_EQ_INT(ptk_mem_read(s, pid, 0x1000, buf, 0, &n), 0);
	CHECK_EQ_INT(n, 0);
	n = 7;
	CHECK_EQ_INT(ptk_mem_read(s, pid, 0, buf, 8, &n), -EFAULT);
	CHECK_EQ_INT(n, 0);
	n = 7;
	CHECK_EQ_INT(ptk_mem_write(s, pid, 0, "x", 1, &n), -EFAULT);
	CHECK_EQ_INT(n, 0);
	ptk_session_end(s, false, 1000);
	free(lt_slurp(out, 5000));
	/* the tracee is gone now */
	struct ptk_session *s2;
	CHECK_OK(ptk_session_new(&s2, 0));
	CHECK_EQ_INT(ptk_mem_read(s2, pid, 0x400000, buf, 8, NULL), -ESRCH);
	ptk_session_end(s2, false, 1000);
}
