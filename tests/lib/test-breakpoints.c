/* SPDX-License-Identifier: MIT */
/*
 * ptk's breakpoints against the hard cases: hidden from memory reads,
 * reported with the pc rewound, every hit counted while several threads
 * run through the same one, removed from fork children (a child let go
 * must not die of SIGTRAP) and from a process at detach.
 */
#include "lt.h"

#include <dirent.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * A new session (flags) with bp_target (argv) spawned and run to its
 * marker, every event on the way its own thread's; returns the address of
 * target().
 */
static uint64_t run_to_marker(char *const argv[], unsigned flags, struct ptk_session **ret_s,
                              pid_t *ret_pid, int *ret_out)
{
	*ret_s = lt_start(flags, argv, ret_pid, ret_out);
	struct log l = {0};
	struct ptk_event ev;
	lt_run_to_syscall(*ret_s, *ret_pid, NR_getppid, 0x7e10, &ev, &l);
	log_all_of(&l, *ret_pid);
	CHECK_EQ_INT(ev.tid, *ret_pid);
	log_free(&l);
	return ev.sc.args[1];
}

/* The byte at addr as the kernel has it (int3 included). */
static uint8_t raw_byte(pid_t pid, uint64_t addr)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/mem", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0);
	uint8_t b = 0;
	CHECK(pread(fd, &b, 1, (off_t)addr) == 1);
	close(fd);
	return b;
}

struct bpstate {
	uint64_t addr;
	int id;
	size_t hits;
	size_t child_hits;
	pid_t pid;
	int remove_after; /* remove the breakpoint after this many hits (0: never) */
	bool detach_children;
	size_t per_tid_n;
	pid_t tids[16];
	size_t tid_hits[16];
};

static bool bp_hook(struct ptk_session *s, const struct ptk_event *ev, void *arg)
{
	struct bpstate *b = arg;
	if (ev->kind == PTK_EV_STOP && ev->new_tracee && !ev->new_thread && b->detach_children) {
		CHECK_OK(ptk_detach(s, ev->tid, 1000));
		return true;
	}
	if (ev->kind != PTK_EV_BREAKPOINT)
		return false;
	CHECK_EQ_HEX(ev->addr, b->addr);
	CHECK_EQ_INT(ev->bp_id, b->id);
	struct ptk_regs r;
	CHECK_OK(ptk_regs_get(s, ev->tid, &r));
	CHECK_EQ_HEX(r.rip, b->addr);
	if (ev->pid != b->pid)
		b->child_hits++;
	b->hits++;
	size_t k = 0;
	while (k < b->per_tid_n && b->tids[k] != ev->tid)
		k++;
	if (k == b->per_tid_n && k < 16) {
		b->tids[k] = ev->tid;
		b->per_tid_n++;
	}
	if (k < 16)
		b->tid_hits[k]++;
	if (b->remove_after && b->hits == (size_t)b->remove_after) {
		CHECK_OK(ptk_bp_remove(s, b->pid, b->id));
		CHECK_EQ_INT(ptk_bp_remove(s, b->pid, b->id), -ENOENT);
	}
	return false;
}

/* 800 hits, 200 by each of four threads. */
static void four_threads_200_hits_each(const struct bpstate *b)
{
	CHECK_EQ_INT(b->hits, 800);
	CHECK_EQ_INT(b->per_tid_n, 4);
	for (size_t i = 0; i < b->per_tid_n; i++)
		CHECK_MSG(b->tid_hits[i] == 200, "thread %d: %zu hits", b->tids[i], b->tid_hits[i]);
}

/*
 * Three hits in the parent; the fork child (let go at its first stop)
 * runs target() without the int3 and exits normally; the output is as
 * untraced.
 */
TEST(breakpoint_hits_and_fork_child_stripped)
{
	char *argv[] = {(char *)th_tracee("bp_target"), NULL};
	const char *want = "sum=15\nchild exited 21\n";
	lt_untraced_is(argv, want, 0);

	struct ptk_session *s;
	pid_t pid;
	int out;
	uint64_t addr = run_to_marker(argv, PTK_FOLLOW, &s, &pid, &out);
	uint8_t orig = raw_byte(pid, addr);
	CHECK(orig != 0xcc);
	int id = -1, id2 = -2;
	CHECK_OK(ptk_bp_insert(s, pid, addr, &id));
	CHECK_OK(ptk_bp_insert(s, pid, addr, &id2));
	CHECK_EQ_INT(id2, id);
	CHECK_EQ_INT(raw_byte(pid, addr), 0xcc);
	uint8_t seen = 0, shadow = 0;
	CHECK_EQ_INT(ptk_mem_read(s, pid, addr, &seen, 1, NULL), 0);
	CHECK_EQ_INT(seen, orig);
	CHECK_EQ_INT(ptk_bp_shadow(s, pid, addr, &shadow), 1);
	CHECK_EQ_INT(shadow, orig);
	CHECK_EQ_INT(ptk_bp_shadow(s, pid, addr + 1, &shadow), 0);
	int bad;
	CHECK_EQ_INT(ptk_bp_insert(s, pid, 8, &bad), -EFAULT);

	struct bpstate b = {.addr = addr, .id = id, .pid = pid, .detach_children = true};
	struct log l = {0};
	lt_output_is(lt_run_to_end(s, pid, out, PTK_RESUME_CONT, &l, bp_hook, &b), want);
	CHECK_EQ_INT(b.hits, 3);
	CHECK_EQ_INT(b.child_hits, 0);
	CHECK_EQ_INT(log_count(&l, 0, PTK_EV_FORK), 1);
	log_free(&l);
}

/* Removed after the first hit: the other calls run through. */
TEST(breakpoint_removed)
{
	char *argv[] = {(char *)th_tracee("bp_target"), NULL};
	struct ptk_session *s;
	pid_t pid;
	int out;
	uint64_t addr = run_to_marker(argv, 0, &s, &pid, &out);
	uint8_t orig = raw_byte(pid, addr);
	int id;
	CHECK_OK(ptk_bp_insert(s, pid, addr, &id));
	struct bpstate b = {.addr = addr, .id = id, .pid = pid, .remove_after = 1};
	struct log l = {0};
	lt_output_is(lt_run_to_end(s, pid, out, PTK_RESUME_CONT, &l, bp_hook, &b),
	             "sum=15\nchild exited 21\n");
	CHECK_EQ_INT(b.hits, 1);
	(void)orig;
	log_free(&l);
}

/* Detaching removes the breakpoints: the process runs on without SIGTRAP. */
TEST(breakpoint_removed_at_detach)
{
	char *argv[] = {(char *)th_tracee("bp_target"), NULL};
	struct ptk_session *s;
	pid_t pid;
	int out;
	uint64_t addr = run_to_marker(argv, 0, &s, &pid, &out);
	uint8_t orig = raw_byte(pid, addr);
	int id;
	CHECK_OK(ptk_bp_insert(s, pid, addr, &id));
	CHECK_OK(ptk_detach(s, pid, 1000));
	CHECK_EQ_INT(raw_byte(pid, addr), orig);
	int st;
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	lt_output_is(lt_slurp(out, 5000), "sum=15\nchild exited 21\n");
	ptk_session_end(s, false, 1000);
}

/*
 * Four threads call target() 200 times each through one breakpoint: every
 * call is one hit (a step-over that let another thread run through the
 * restored byte would lose hits), spread over the four threads.
 */
TEST(breakpoint_every_hit_with_threads)
{
	char *argv[] = {(char *)th_tracee("bp_target"), "threads", "4", "200", NULL};
	struct ptk_session *s;
	pid_t pid;
	int out;
	uint64_t addr = run_to_marker(argv, PTK_FOLLOW, &s, &pid, &out);
	int id;
	CHECK_OK(ptk_bp_insert(s, pid, addr, &id));
	struct bpstate b = {.addr = addr, .id = id, .pid = pid};
	lt_output_is(lt_run_to_end(s, pid, out, PTK_RESUME_CONT, NULL, bp_hook, &b), "calls=800\n");
	four_threads_200_hits_each(&b);
}

/*
 * Removed while other threads have already run into it: their traps are
 * collected after the removal.  They are not hits and not SIGTRAPs (that
 * would kill the program): each thread runs the original instruction as if
 * it had never stopped.  At the first hit the test waits until another
 * thread sits in a tracing stop (it executed the int3) before removing.
 */
struct moribund {
	struct bpstate b;
	int sigtraps;
	int others_trapped;
};

static int threads_in_trace_stop(pid_t pid, pid_t except)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", pid);
	DIR *d = opendir(path);
	int n = 0;
	for (struct dirent *e; d && (e = readdir(d));) {
		pid_t tid = atoi(e->d_name);
		if (tid > 0 && tid != except && lt_state(tid) == 't')
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

static bool moribund_hook(struct ptk_session *s, const struct ptk_event *ev, void *arg)
{
	struct moribund *m = arg;
	if (ev->kind == PTK_EV_SIGNAL && ev->sig == SIGTRAP)
		m->sigtraps++;
	if (ev->kind == PTK_EV_BREAKPOINT && m->b.hits == 0)
		for (int i = 0; i < 2000 && !m->others_trapped; i++) {
			m->others_trapped = threads_in_trace_stop(m->b.pid, ev->tid);
			if (!m->others_trapped)
				lt_msleep(1);
		}
	return bp_hook(s, ev, &m->b);
}

TEST(breakpoint_removed_while_other_threads_trapped)
{
	char *argv[] = {(char *)th_tracee("bp_target"), "threads", "4", "200", NULL};
	struct ptk_session *s;
	pid_t pid;
	int out;
	uint64_t addr = run_to_marker(argv, PTK_FOLLOW, &s, &pid, &out);
	int id;
	CHECK_OK(ptk_bp_insert(s, pid, addr, &id));
	struct moribund m = {.b = {.addr = addr, .id = id, .pid = pid, .remove_after = 1}};
	char *o = lt_run_to_end(s, pid, out, PTK_RESUME_CONT, NULL, moribund_hook, &m);
	CHECK_MSG(m.others_trapped > 0, "no other thread ran into the int3 before the removal");
	lt_output_is(o, "calls=800\n");
	CHECK_EQ_INT(m.b.hits, 1);
	CHECK_EQ_INT(m.sigtraps, 0);
}

/* ---- the instruction under the breakpoint: emulated, out of line, stepped ---- */

/*
 * A new session (flags) with argv spawned and run to its marker
 * getppid(marker, ...); the marker's arguments go to args[6].  The tracee
 * is left at the syscall-enter stop.
 */
static struct ptk_session *at_marker(char *const argv[], unsigned flags, long marker,
                                     pid_t *ret_pid, int *ret_out, uint64_t args[6])
{
	struct ptk_session *s = lt_start(flags, argv, ret_pid, ret_out);
	struct ptk_event ev;
	lt_run_to_syscall(s, *ret_pid, NR_getppid, marker, &ev, NULL);
	memcpy(args, ev.sc.args, sizeof ev.sc.args);
	return s;
}

static const char *method_name(enum ptk_bp_method m)
{
	return m == PTK_BP_EMULATE ? "emulate" : m == PTK_BP_DISPLACED ? "displaced" : "step";
}

/* A breakpoint at addr in pid, which ptk must run by method want; its info. */
static struct ptk_bp_info bp_by(struct ptk_session *s, pid_t pid, uint64_t addr,
                                enum ptk_bp_method want)
{
	int id;
	CHECK_OK(ptk_bp_insert(s, pid, addr, &id));
	struct ptk_bp_info bi;
	CHECK_OK(ptk_bp_info(s, pid, id, &bi));
	CHECK_MSG(bi.method == want, "method %s", method_name(bi.method));
	return bi;
}

/*
 * emu_target's block under a breakpoint on every instruction, with the
 * methods in mask: the registers, flags and memory it prints are the
 * untraced ones; each hit of an emulated instruction costs exactly one
 * stop (the next stop is the next hit), each other hit at least two.
 */
static void emu_block_case(unsigned mask)
{
	char *argv[] = {(char *)th_tracee("emu_target"), NULL};
	char want[8192];
	int st = lt_untraced(argv, want, sizeof want);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(strlen(want) > 100);

	pid_t pid;
	int out;
	uint64_t a[6];
	struct ptk_session *s = at_marker(argv, 0, 0x7e13, &pid, &out, a);
	ptk_bp_set_methods(s, mask);
	size_t n = (a[2] - a[1]) / 16;
	CHECK(n > 100 && n < 1000);
	uint64_t *tab = calloc(n * 2, sizeof *tab);
	CHECK_OK(ptk_mem_read(s, pid, a[1], tab, n * 16, NULL));
	int *ids = calloc(n, sizeof *ids);
	size_t n_emu = 0;
	for (size_t i = 0; i < n; i++) {
		CHECK_OK(ptk_bp_insert(s, pid, tab[2 * i], &ids[i]));
		struct ptk_bp_info bi;
		CHECK_OK(ptk_bp_info(s, pid, ids[i], &bi));
		CHECK_EQ_HEX(bi.addr, tab[2 * i]);
		CHECK(bi.len > 0);
		bool want_emu = tab[2 * i + 1] == 1 && (mask & (1u << PTK_BP_EMULATE));
		CHECK_MSG((bi.method == PTK_BP_EMULATE) == want_emu,
		          "instruction %zu at %#llx: method %s, kind %llu", i,
		          (unsigned long long)tab[2 * i], method_name(bi.method),
		          (unsigned long long)tab[2 * i + 1]);
		n_emu += bi.method == PTK_BP_EMULATE;
	}
	size_t *nhits = calloc(n, sizeof *nhits);
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_CONT, 0));
	struct ptk_event ev;
	size_t hits = 0, hits_emu = 0;
	uint64_t last_stops = 0;
	bool last_emu = false, have_last = false;
	while (lt_wait(s, &ev, 60) == 0) {
		if (ev.kind == PTK_EV_EXITED || ev.kind == PTK_EV_KILLED)
			continue;
		CHECK_MSG(ev.kind == PTK_EV_BREAKPOINT, "unexpected %s sig %d", kname(ev.kind),
		          ev.sig);
		struct ptk_stats stn;
		ptk_stats_get(s, &stn);
		if (have_last && last_emu)
			CHECK_MSG(stn.stops - last_stops == 1, "%llu stops after an emulated hit",
			          (unsigned long long)(stn.stops - last_stops));
		if (have_last && !last_emu)
			CHECK(stn.stops - last_stops >= 2);
		struct ptk_bp_info bi;
		CHECK_OK(ptk_bp_info(s, pid, ev.bp_id, &bi));
		last_emu = bi.method == PTK_BP_EMULATE;
		last_stops = stn.stops;
		have_last = true;
		hits++;
		hits_emu += last_emu;
		for (size_t i = 0; i < n; i++)
			nhits[i] += tab[2 * i] == ev.addr;
		CHECK_OK(ptk_resume(s, ev.tid, PTK_RESUME_CONT, 0));
	}
	lt_output_is(lt_finish(s, out), want);
	th_note("%zu breakpoints (%zu emulated), %zu hits (%zu emulated)", n, n_emu, hits,
	        hits_emu);
	CHECK(hits > 12 * n / 2);
	/*
	 * The kind-2 and kind-3 instructions are straight-line code: once
	 * per seed, one hit each (a rep instruction stepped one iteration at
	 * a time is still one execution).
	 */
	for (size_t i = 0; i < n; i++)
		if (tab[2 * i + 1] >= 2)
			CHECK_MSG(nhits[i] == 12, "instruction %zu at %#llx: %zu hits", i,
			          (unsigned long long)tab[2 * i], nhits[i]);
	free(nhits);
	CHECK(mask & (1u << PTK_BP_EMULATE) ? hits_emu > hits / 2 : hits_emu == 0);
	free(tab);
	free(ids);
}

TEST(emulation_matches_the_cpu)
{
	emu_block_case((1u << PTK_BP_EMULATE) | (1u << PTK_BP_DISPLACED));
}

TEST(displaced_steps_match_the_cpu)
{
	emu_block_case(1u << PTK_BP_DISPLACED);
}

TEST(held_steps_match_the_cpu)
{
	emu_block_case(1u << PTK_BP_STEP);
}

/*
 * Four threads call one function 200 times each through a breakpoint on
 * its first instruction: every call is exactly one hit, whatever the
 * method (an instruction run out of line by one thread while another
 * runs into the int3 must not lose or double a hit).
 */
static void threads_case(const char *which, int marker_arg, unsigned mask,
                         enum ptk_bp_method want_method, const char *want_out)
{
	char *argv[] = {(char *)th_tracee("bp_kinds"), "threads", "4", "200", (char *)which, NULL};
	pid_t pid;
	int out;
	uint64_t a[6];
	struct ptk_session *s = at_marker(argv, PTK_FOLLOW, 0x7e12, &pid, &out, a);
	ptk_bp_set_methods(s, mask);
	uint64_t addr = a[marker_arg];
	struct bpstate b = {.addr = addr, .id = bp_by(s, pid, addr, want_method).id, .pid = pid};
	struct log l = {0};
	char *o = lt_run_to_end(s, pid, out, PTK_RESUME_CONT, &l, bp_hook, &b);
	CHECK_EQ_INT(log_count(&l, 0, PTK_EV_SIGNAL), 0);
	lt_output_is(o, want_out);
	four_threads_200_hits_each(&b);
	log_free(&l);
}

#define ALL ((1u << PTK_BP_EMULATE) | (1u << PTK_BP_DISPLACED) | (1u << PTK_BP_STEP))

TEST(every_hit_with_threads_emulated)
{
	threads_case("emu", 1, ALL, PTK_BP_EMULATE, "calls=800 counter=0\n");
}

TEST(every_hit_with_threads_displaced)
{
	threads_case("copy", 2, ALL, PTK_BP_DISPLACED, "calls=800 counter=800\n");
}

TEST(every_hit_with_threads_displaced_call)
{
	threads_case("call", 4, ALL, PTK_BP_DISPLACED, "calls=800 counter=0\n");
}

TEST(every_hit_with_threads_syscall)
{
	threads_case("sys", 3, ALL, PTK_BP_DISPLACED, "calls=800 counter=0\n");
}

TEST(every_hit_with_threads_held)
{
	threads_case("copy", 2, 1u << PTK_BP_STEP, PTK_BP_STEP, "calls=800 counter=800\n");
}

/*
 * What one hit costs: stops and ptrace requests from one hit to the next,
 * for a thread calling a function in a loop.  Emulated: the hit's stop
 * and nothing else (GETREGS, one SETREGS past the instruction (the rewound
 * pc is never written on its own) and CONT; GETSIGINFO too when the
 * instruction is 1 byte long: see int3_hit_by_pc).  Out of line: a second
 * stop for the step's trap, still no other thread disturbed.  The
 * breakpoint goes at the marker's address a[marker_arg] + adj.
 */
static void cost_case_at(char *const argv[], int marker_arg, int64_t adj, uint64_t want_stops,
                         uint64_t want_calls, enum ptk_bp_method want_method)
{
	pid_t pid;
	int out;
	uint64_t a[6];
	struct ptk_session *s = at_marker(argv, PTK_FOLLOW, 0x7e12, &pid, &out, a);
	bp_by(s, pid, a[marker_arg] + (uint64_t)adj, want_method);
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_CONT, 0));
	struct ptk_event ev;
	struct ptk_stats prev = {0};
	int hits = 0;
	while (lt_wait(s, &ev, 0) == 0) {
		if (ev.kind == PTK_EV_BREAKPOINT) {
			struct ptk_stats now;
			ptk_stats_get(s, &now);
			/* from the second hit on (the first set up the copy) */
			if (hits >= 2) {
				CHECK_MSG(now.stops - prev.stops == want_stops,
				          "hit %d: %llu stops", hits,
				          (unsigned long long)(now.stops - prev.stops));
				CHECK_MSG(
				        now.ptrace_calls - prev.ptrace_calls == want_calls,
				        "hit %d: %llu ptrace requests", hits,
				        (unsigned long long)(now.ptrace_calls - prev.ptrace_calls));
			}
			prev = now;
			hits++;
		}
		if (ev.kind != PTK_EV_EXITED && ev.kind != PTK_EV_KILLED)
			CHECK_OK(lt_resume(s, &ev, PTK_RESUME_CONT));
	}
	char *o = lt_finish(s, out);
	CHECK_EQ_INT(hits, 50);
	CHECK(strstr(o, "calls=50 ") != NULL);
	free(o);
}

static void cost_case(char *const argv[], int marker_arg, uint64_t want_stops, uint64_t want_calls,
                      enum ptk_bp_method want_method)
{
	cost_case_at(argv, marker_arg, 0, want_stops, want_calls, want_method);
}

TEST(stops_per_hit_emulated)
{
	char *argv[] = {(char *)th_tracee("bp_kinds"), "loop", "50", "emu", NULL};
	cost_case(argv, 1, 1, 4, PTK_BP_EMULATE); /* push %rbp: 1 byte, GETSIGINFO asked */
}

TEST(stops_per_hit_emulated_multibyte)
{
	/* mov $39,%eax (5 bytes, before f_sys's syscall): the pc alone says it was the int3 */
	char *argv[] = {(char *)th_tracee("bp_kinds"), "loop", "50", "sys", NULL};
	cost_case_at(argv, 3, -5, 1, 3, PTK_BP_EMULATE);
}

TEST(stops_per_hit_displaced)
{
	/* one worker thread (the main one waits in pthread_join): not alone, so a copy runs */
	char *argv[] = {(char *)th_tracee("bp_kinds"), "threads", "1", "50", "copy", NULL};
	cost_case(argv, 2, 2, 7, PTK_BP_DISPLACED);
}

TEST(stops_per_hit_in_place)
{
	/* alone in its address space: the byte is lifted for one step, nobody held */
	char *argv[] = {(char *)th_tracee("bp_kinds"), "loop", "50", "copy", NULL};
	cost_case(argv, 2, 2, 5, PTK_BP_DISPLACED);
}

/* ---- stepping onto, off and over breakpoints ---- */

/*
 * A step from a breakpoint runs the original instruction once and reports
 * PTK_EV_STEP (not a hit) at the next instruction; the calls after it hit
 * as usual and the program's output is unchanged.
 */
static void step_off_case(char *const argv[], int marker_arg, uint64_t back, unsigned mask,
                          enum ptk_bp_method want_method, uint8_t len, const char *want_out)
{
	pid_t pid;
	int out;
	uint64_t a[6];
	struct ptk_session *s = at_marker(argv, PTK_FOLLOW, 0x7e12, &pid, &out, a);
	ptk_bp_set_methods(s, mask);
	uint64_t addr = a[marker_arg] - back;
	CHECK_EQ_INT(bp_by(s, pid, addr, want_method).len, len);
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_CONT, 0));
	struct ptk_event ev;
	int hits = 0, steps = 0;
	while (lt_wait(s, &ev, 0) == 0) {
		if (ev.kind == PTK_EV_EXITED || ev.kind == PTK_EV_KILLED)
			continue;
		CHECK_MSG(ev.kind != PTK_EV_SIGNAL, "signal %d", ev.sig);
		if (ev.kind == PTK_EV_BREAKPOINT && hits++ == 0) {
			struct ptk_regs r0, r1;
			CHECK_OK(ptk_regs_get(s, ev.tid, &r0));
			CHECK_OK(ptk_resume(s, ev.tid, PTK_RESUME_STEP, 0));
			pid_t tid = ev.tid;
			lt_next(s, &ev);
			CHECK_EQ_INT(ev.tid, tid);
			CHECK_MSG(ev.kind == PTK_EV_STEP, "%s after a step from a breakpoint",
			          kname(ev.kind));
			steps++;
			CHECK_OK(ptk_regs_get(s, ev.tid, &r1));
			CHECK_EQ_HEX(r1.rip, addr + len);
			if (len == 1) { /* push %rbp */
				uint64_t top = 0;
				CHECK_EQ_HEX(r1.rsp, r0.rsp - 8);
				CHECK_OK(ptk_mem_read(s, ev.tid, r1.rsp, &top, 8, NULL));
				CHECK_EQ_HEX(top, r0.rbp);
			}
		}
		CHECK_OK(ptk_resume(s, ev.tid, PTK_RESUME_CONT, 0));
	}
	lt_output_is(lt_finish(s, out), want_out);
	CHECK_EQ_INT(hits, 3);
	CHECK_EQ_INT(steps, 1);
}

TEST(step_from_breakpoint_emulated)
{
	char *argv[] = {(char *)th_tracee("bp_kinds"), "loop", "3", "emu", NULL};
	step_off_case(argv, 1, 0, ALL, PTK_BP_EMULATE, 1, "calls=3 counter=0\n");
}

TEST(step_from_breakpoint_in_place)
{
	char *argv[] = {(char *)th_tracee("bp_kinds"), "loop", "3", "copy", NULL};
	step_off_case(argv, 2, 0, ALL, PTK_BP_DISPLACED, 8, "calls=3 counter=3\n");
}

TEST(step_from_breakpoint_displaced)
{
	char *argv[] = {(char *)th_tracee("bp_kinds"), "threads", "1", "3", "copy", NULL};
	step_off_case(argv, 2, 0, ALL, PTK_BP_DISPLACED, 8, "calls=3 counter=3\n");
}

TEST(step_from_breakpoint_held)
{
	char *argv[] = {(char *)th_tracee("bp_kinds"), "threads", "1", "3", "copy", NULL};
	step_off_case(argv, 2, 0, 1u << PTK_BP_STEP, PTK_BP_STEP, 8, "calls=3 counter=3\n");
}

TEST(step_from_breakpoint_on_syscall_displaced)
{
	char *argv[] = {(char *)th_tracee("bp_kinds"), "threads", "1", "3", "sys", NULL};
	step_off_case(argv, 3, 0, ALL, PTK_BP_DISPLACED, 2, "calls=3 counter=0\n");
}

/*
 * Stepping over a `syscall` instruction reports PTK_EV_STEP after the
 * syscall returned (the kernel's trap has si_code TRAP_BRKPT, not
 * TRAP_TRACE), with the syscall's result in rax and, when the instruction
 * ran from a copy, the original return address in rcx.
 */
static void step_over_syscall_case(char *const argv[], uint64_t back)
{
	pid_t pid;
	int out;
	uint64_t a[6];
	struct ptk_session *s = at_marker(argv, PTK_FOLLOW, 0x7e12, &pid, &out, a);
	uint64_t sc = a[3]; /* the `syscall` instruction in f_sys */
	int id;
	CHECK_OK(ptk_bp_insert(s, pid, sc - back, &id));
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_CONT, 0));
	struct ptk_event ev;
	int hits = 0;
	while (lt_wait(s, &ev, 0) == 0) {
		if (ev.kind == PTK_EV_EXITED || ev.kind == PTK_EV_KILLED)
			continue;
		CHECK_MSG(ev.kind != PTK_EV_SIGNAL, "signal %d", ev.sig);
		if (ev.kind == PTK_EV_BREAKPOINT && hits++ == 0) {
			pid_t tid = ev.tid;
			struct ptk_regs r;
			for (uint64_t at = sc - back; at < sc + 2;) {
				CHECK_OK(ptk_resume(s, tid, PTK_RESUME_STEP, 0));
				lt_next(s, &ev);
				CHECK_EQ_INT(ev.tid, tid);
				CHECK_MSG(ev.kind == PTK_EV_STEP, "%s, not a step", kname(ev.kind));
				CHECK_OK(ptk_regs_get(s, tid, &r));
				at = r.rip;
				CHECK(at == sc || at == sc + 2);
			}
			CHECK_EQ_INT(r.rax, pid); /* getpid() */
			CHECK_EQ_INT(r.orig_rax, NR_getpid);
			CHECK_EQ_HEX(r.rcx, sc + 2);
		}
		CHECK_OK(ptk_resume(s, ev.tid, PTK_RESUME_CONT, 0));
	}
	lt_output_is(lt_finish(s, out), "calls=3 counter=0\n");
	CHECK_EQ_INT(hits, 3);
}

TEST(step_over_syscall_instruction)
{
	/* breakpoint on the `mov $39,%eax` before it: the syscall is stepped plainly */
	char *argv[] = {(char *)th_tracee("bp_kinds"), "loop", "3", "sys", NULL};
	step_over_syscall_case(argv, 5);
}

TEST(step_over_syscall_instruction_under_breakpoint)
{
	char *argv[] = {(char *)th_tracee("bp_kinds"), "loop", "3", "sys", NULL};
	step_over_syscall_case(argv, 0);
}

TEST(step_over_syscall_instruction_run_elsewhere)
{
	/* two threads: the syscall runs from another `syscall` instruction (the vDSO's) */
	char *argv[] = {(char *)th_tracee("bp_kinds"), "threads", "1", "3", "sys", NULL};
	step_over_syscall_case(argv, 0);
}

/* A step into a signal handler reports PTK_EV_STEP at its first instruction. */
TEST(step_into_signal_handler)
{
	char *argv[] = {(char *)th_tracee("bp_kinds"), "signal", NULL};
	pid_t pid;
	int out;
	uint64_t a[6];
	struct ptk_session *s = at_marker(argv, 0, 0x7e12, &pid, &out, a);
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_CONT, 0));
	struct ptk_event ev;
	int steps = 0;
	while (lt_wait(s, &ev, 0) == 0) {
		if (ev.kind == PTK_EV_EXITED)
			continue;
		if (ev.kind == PTK_EV_SIGNAL && ev.sig == SIGUSR1) {
			CHECK_OK(ptk_resume(s, pid, PTK_RESUME_STEP, SIGUSR1));
			lt_next(s, &ev);
			CHECK_MSG(ev.kind == PTK_EV_STEP, "%s sig %d", kname(ev.kind), ev.sig);
			struct ptk_regs r;
			CHECK_OK(ptk_regs_get(s, pid, &r));
			CHECK_EQ_HEX(r.rip, a[5]);
			steps++;
		}
		CHECK_OK(lt_resume(s, &ev, PTK_RESUME_CONT));
	}
	lt_output_is(lt_finish(s, out), "handled=1\n");
	CHECK_EQ_INT(steps, 1);
}

/*
 * The tracee's own int3s and SIGTRAPs reach its handler while ptk's
 * breakpoints are in the same code (PITFALLS #12): three traps handled,
 * two breakpoint hits reported, output as untraced.
 */
TEST(own_int3_passes_through_with_breakpoints)
{
	char *argv[] = {(char *)th_tracee("bp_kinds"), "int3", NULL};
	const char *want = "traps=3 calls=2\n";
	lt_untraced_is(argv, want, 0);
	pid_t pid;
	int out;
	uint64_t a[6];
	struct ptk_session *s = at_marker(argv, 0, 0x7e12, &pid, &out, a);
	int id1, id2;
	CHECK_OK(ptk_bp_insert(s, pid, a[1], &id1));
	CHECK_OK(ptk_bp_insert(s, pid, a[2], &id2));
	struct log l = {0};
	lt_output_is(lt_run_to_end(s, pid, out, PTK_RESUME_CONT, &l, NULL, NULL), want);
	CHECK_EQ_INT(log_count(&l, 0, PTK_EV_BREAKPOINT), 2);
	size_t traps = 0, kernel = 0;
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].kind == PTK_EV_SIGNAL && l.v[i].sig == SIGTRAP) {
			traps++;
			kernel += l.v[i].si_code == SI_KERNEL;
		}
	CHECK_EQ_INT(traps, 3);
	CHECK_EQ_INT(kernel, 2);
	log_free(&l);
}

/*
 * vfork: the child shares its parent's memory and breakpoints.  Its hits
 * are reported as the child's; the parent's breakpoints are still there
 * when it runs again; removing one through the child removes it for the
 * parent too (PITFALLS #19).
 */
static void vfork_case(bool remove_in_child)
{
	char *argv[] = {(char *)th_tracee("bp_kinds"), "vfork", NULL};
	pid_t pid;
	int out;
	uint64_t a[6];
	struct ptk_session *s = at_marker(argv, PTK_FOLLOW, 0x7e12, &pid, &out, a);
	int ide, idc;
	CHECK_OK(ptk_bp_insert(s, pid, a[1], &ide));
	CHECK_OK(ptk_bp_insert(s, pid, a[2], &idc));
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_CONT, 0));
	struct ptk_event ev;
	int child_hits = 0, parent_emu = 0, parent_copy = 0;
	pid_t child = 0;
	while (lt_wait(s, &ev, 0) == 0) {
		if (ev.kind == PTK_EV_EXITED || ev.kind == PTK_EV_KILLED)
			continue;
		if (ev.kind == PTK_EV_VFORK)
			child = ev.new_tid;
		if (ev.kind == PTK_EV_BREAKPOINT) {
			if (ev.pid != pid) {
				CHECK_EQ_INT(ev.pid, child);
				child_hits++;
				if (remove_in_child && ev.bp_id == ide)
					CHECK_OK(ptk_bp_remove(s, child, ide));
			} else if (ev.bp_id == ide) {
				parent_emu++;
			} else {
				parent_copy++;
			}
		}
		CHECK_OK(lt_resume(s, &ev, PTK_RESUME_CONT));
	}
	lt_output_is(lt_finish(s, out), "child=0 counter=2\n");
	CHECK(child > 0);
	CHECK_EQ_INT(child_hits, 2);
	CHECK_EQ_INT(parent_emu, remove_in_child ? 0 : 1);
	CHECK_EQ_INT(parent_copy, 1);
}

TEST(vfork_child_shares_breakpoints)
{
	vfork_case(false);
}

TEST(vfork_child_removes_for_the_parent)
{
	vfork_case(true);
}

/*
 * A caller resuming with PTK_RESUME_SYSCALL from a breakpoint on a
 * `syscall` instruction still sees that syscall's stops, with the pc of
 * the original instruction, whatever the method.
 */
static void syscall_stops_case(char *const argv[], unsigned mask, enum ptk_bp_method want)
{
	pid_t pid;
	int out;
	uint64_t a[6];
	struct ptk_session *s = at_marker(argv, PTK_FOLLOW, 0x7e12, &pid, &out, a);
	ptk_bp_set_methods(s, mask);
	bp_by(s, pid, a[3], want);
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_SYSCALL, 0));
	struct ptk_event ev;
	int hits = 0, enters = 0, exits = 0;
	pid_t in_getpid = 0;
	while (lt_wait(s, &ev, 0) == 0) {
		if (ev.kind == PTK_EV_EXITED || ev.kind == PTK_EV_KILLED)
			continue;
		hits += ev.kind == PTK_EV_BREAKPOINT;
		if (ev.kind == PTK_EV_SYSCALL_ENTER && ev.sc.nr == NR_getpid) {
			CHECK_EQ_HEX(ev.sc.ip, a[3] + 2);
			in_getpid = ev.tid;
			enters++;
		}
		if (ev.kind == PTK_EV_SYSCALL_EXIT && ev.tid == in_getpid) {
			CHECK_EQ_INT(ev.sc.rval, pid);
			CHECK_EQ_HEX(ev.sc.ip, a[3] + 2);
			in_getpid = 0;
			exits++;
		}
		CHECK_OK(lt_resume(s, &ev, PTK_RESUME_SYSCALL));
	}
	lt_output_is(lt_finish(s, out), "calls=3 counter=0\n");
	CHECK_EQ_INT(hits, 3);
	CHECK_EQ_INT(enters, 3);
	CHECK_EQ_INT(exits, 3);
}

TEST(syscall_stops_under_breakpoint_in_place)
{
	char *argv[] = {(char *)th_tracee("bp_kinds"), "loop", "3", "sys", NULL};
	syscall_stops_case(argv, ALL, PTK_BP_DISPLACED);
}

TEST(syscall_stops_under_breakpoint_displaced)
{
	char *argv[] = {(char *)th_tracee("bp_kinds"), "threads", "1", "3", "sys", NULL};
	syscall_stops_case(argv, ALL, PTK_BP_DISPLACED);
}

TEST(syscall_stops_under_breakpoint_held)
{
	char *argv[] = {(char *)th_tracee("bp_kinds"), "threads", "1", "3", "sys", NULL};
	syscall_stops_case(argv, 1u << PTK_BP_STEP, PTK_BP_STEP);
}
