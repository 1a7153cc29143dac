/* SPDX-License-Identifier: MIT */
/*
 * ptk's watchpoints against the hard cases: a plain store, a store by
 * another thread (reported for that thread even while others step), a
 * read(2) into the watched buffer, reads, a fork child writing its own
 * copy, a watchpoint removed, syscall stops kept; the hardware probe
 * checked against what the debug registers really do, and the debug
 * registers set in every thread, cleared in fork children and at detach.
 */
#include "lt.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* Marker of watch_target: getppid(0x7e14, &var, buf, set_var_end, get_var_end). */
struct marker {
	uint64_t var, buf, set_end, get_end;
};

/* A new session (flags) with watch_target MODE spawned and run to its marker. */
static struct ptk_session *at_marker(const char *mode, unsigned flags, pid_t *ret_pid, int *ret_out,
                                     struct marker *m)
{
	char *argv[] = {(char *)th_tracee("watch_target"), (char *)mode, NULL};
	struct ptk_session *s = lt_start(flags, argv, ret_pid, ret_out);
	struct ptk_event ev;
	lt_run_to_syscall(s, *ret_pid, NR_getppid, 0x7e14, &ev, NULL);
	m->var = ev.sc.args[1];
	m->buf = ev.sc.args[2];
	m->set_end = ev.sc.args[3];
	m->get_end = ev.sc.args[4];
	return s;
}

/* One reported watchpoint event. */
struct hit {
	pid_t tid, pid;
	struct ptk_watch_hit w;
};

struct run {
	struct hit hits[64];
	int n;
	size_t events;
	size_t syscall_writes; /* write(2) enter stops seen */
	int remove_after;      /* remove watch `id` of `pid` after this many hits */
	int id;
	pid_t pid;
	struct ptk_stats at_remove;
	struct ptk_stats end; /* the session's cost at the end */
};

/* Resume everything with mode until the session is empty, recording watch events. */
static void run_all(struct ptk_session *s, enum ptk_resume_mode mode, struct run *r)
{
	struct ptk_event ev;
	while (lt_wait(s, &ev, 60) == 0) {
		r->events++;
		if (ev.kind == PTK_EV_EXITED || ev.kind == PTK_EV_KILLED)
			continue;
		CHECK_MSG(ev.kind != PTK_EV_SIGNAL || ev.sig != SIGTRAP, "a SIGTRAP leaked (%d)",
		          ev.si.si_code);
		if (ev.kind == PTK_EV_SYSCALL_ENTER && ev.sc.nr == NR_write)
			r->syscall_writes++;
		if (ev.kind == PTK_EV_WATCHPOINT) {
			CHECK(r->n < 64);
			r->hits[r->n].tid = ev.tid;
			r->hits[r->n].pid = ev.pid;
			r->hits[r->n].w = ev.watch;
			r->n++;
			CHECK_EQ_HEX(ev.addr, ev.watch.addr);
			struct ptk_regs regs;
			CHECK_OK(ptk_regs_get(s, ev.tid, &regs));
			CHECK_EQ_HEX(regs.rip, ev.watch.pc);
			if (r->remove_after && r->n == r->remove_after) {
				CHECK_OK(ptk_watch_remove(s, r->pid, r->id));
				CHECK_EQ_INT(ptk_watch_remove(s, r->pid, r->id), -ENOENT);
				ptk_stats_get(s, &r->at_remove);
			}
		}
		int rr = lt_resume(s, &ev, mode);
		CHECK_MSG(rr == 0 || rr == -ESRCH, "ptk_resume after %s: %d", kname(ev.kind), rr);
	}
}

static void check_write(const struct hit *h, uint64_t old, uint64_t neu, uint64_t pc)
{
	CHECK_EQ_INT(h->w.access, PTK_WATCH_WRITE);
	CHECK_EQ_INT(h->w.old_value, old);
	CHECK_EQ_INT(h->w.new_value, neu);
	CHECK_EQ_HEX(h->w.pc, pc);
	uint64_t ob, nb;
	memcpy(&ob, h->w.old_bytes, 8);
	memcpy(&nb, h->w.new_bytes, 8);
	CHECK_EQ_INT(ob, old);
	CHECK_EQ_INT(nb, neu);
}

/* n hits, the counting stores: hit i wrote i + 1 over i, at the pc after the store. */
static void check_counting(const struct run *r, const struct marker *m, int n)
{
	CHECK_EQ_INT(r->n, n);
	for (int i = 0; i < n; i++)
		check_write(&r->hits[i], (uint64_t)i, (uint64_t)i + 1, m->set_end);
}

/* Spawn watch_target MODE, watch var (kind), run to the end: its output must be want. */
static void watch_var(const char *mode, unsigned kind, unsigned flags, enum ptk_resume_mode rm,
                      const char *want, struct run *r, struct marker *m, pid_t *ret_pid)
{
	int out;
	struct ptk_session *s = at_marker(mode, flags, ret_pid, &out, m);
	int id;
	CHECK_OK(ptk_watch_insert(s, *ret_pid, m->var, 8, kind, &id));
	struct ptk_watch_info wi;
	CHECK_OK(ptk_watch_info(s, *ret_pid, id, &wi));
	CHECK_EQ_INT(wi.id, id);
	CHECK_EQ_HEX(wi.addr, m->var);
	CHECK_EQ_INT(wi.len, 8);
	CHECK_EQ_INT(wi.kind, kind & 3);
	CHECK_EQ_INT(wi.hardware, (kind & PTK_WATCH_HW)   ? true
	                          : (kind & PTK_WATCH_SW) ? false
	                                                  : ptk_hw_watch_works(s));
	r->id = id;
	r->pid = *ret_pid;
	CHECK_OK(ptk_resume(s, *ret_pid, rm, 0));
	run_all(s, rm, r);
	char *o = lt_slurp(out, 10000);
	ptk_stats_get(s, &r->end);
	ptk_session_end(s, false, 1000);
	lt_output_is(o, want);
}

/* ---- the probe ---- */

/*
 * The probe's answer is what the debug registers really do: a hardware
 * watchpoint forced on a variable written three times reports the writes
 * exactly when the probe says traps fire.
 */
TEST(hw_probe_tells_the_truth)
{
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	bool works = ptk_hw_watch_works(s);
	CHECK_EQ_INT(ptk_hw_watch_works(s), works); /* probed once, same answer */
	ptk_session_end(s, false, 1000);
	th_note("debug-register traps %s on this machine", works ? "fire" : "do not fire");

	struct run r = {0};
	struct marker m;
	pid_t pid;
	watch_var("store", PTK_WATCH_WRITE | PTK_WATCH_HW, 0, PTK_RESUME_CONT, "var=3\n", &r, &m,
	          &pid);
	check_counting(&r, &m, works ? 3 : 0);
	for (int i = 0; i < r.n; i++)
		CHECK(r.hits[i].w.hardware);
}

/* Where traps fire, a default watchpoint uses them and reports each change once. */
TEST(hw_watch_reports_each_change)
{
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	bool works = ptk_hw_watch_works(s);
	ptk_session_end(s, false, 1000);
	if (!works)
		th_skip("debug-register traps do not fire on this machine (ptk_hw_watch_works "
		        "probed it)");
	struct run r = {0};
	struct marker m;
	pid_t pid;
	watch_var("store", PTK_WATCH_WRITE, 0, PTK_RESUME_CONT, "var=3\n", &r, &m, &pid);
	check_counting(&r, &m, 3);
	for (int i = 0; i < 3; i++) {
		CHECK(r.hits[i].w.hardware);
		CHECK_EQ_INT(r.hits[i].tid, pid);
	}
}

/* ---- debug registers (whether or not their traps fire) ---- */

static uint64_t dr(struct ptk_session *s, pid_t tid, int i)
{
	uint64_t v = 0;
	CHECK_OK(ptk_debugreg_get(s, tid, i, &v));
	return v;
}

/* DR0 = addr, DR7: L0 enabled, R/W0 = 01 (writes), LEN0 = 10 (8 bytes). */
static void check_dr_set(struct ptk_session *s, pid_t tid, uint64_t addr)
{
	uint64_t d7 = dr(s, tid, 7);
	CHECK_MSG((d7 & 1) && ((d7 >> 16) & 3) == 1 && ((d7 >> 18) & 3) == 2,
	          "thread %d: DR7 %#llx", tid, (unsigned long long)d7);
	CHECK_EQ_HEX(dr(s, tid, 0), addr);
}

/*
 * Stop every thread of pid: the others are interrupted (each reports a
 * STOP, or a syscall stop that came first).
 */
static int stop_threads(struct ptk_session *s, pid_t pid, pid_t *tids, int max)
{
	int n = ptk_process_threads(s, pid, tids, max);
	CHECK(n > 0 && n <= max);
	for (int i = 0; i < n; i++)
		if (tids[i] != pid) {
			CHECK_OK(ptk_interrupt(s, tids[i]));
			struct ptk_event ev;
			lt_next(s, &ev);
			CHECK_EQ_INT(ev.tid, tids[i]);
		}
	return n;
}

/*
 * A hardware watchpoint set while a second thread runs is in both
 * threads' debug registers; a thread created later has them at its first
 * stop, before it runs; a fork child has none; removing clears them.
 */
TEST(hw_registers_in_every_thread_none_in_fork_children)
{
	pid_t pid;
	int out;
	struct marker m;
	struct ptk_session *s = at_marker("hwregs", PTK_FOLLOW, &pid, &out, &m);
	int id;
	CHECK_OK(ptk_watch_insert(s, pid, m.var, 8, PTK_WATCH_WRITE | PTK_WATCH_HW, &id));
	struct ptk_watch_info wi;
	CHECK_OK(ptk_watch_info(s, pid, id, &wi));
	CHECK(wi.hardware);
	CHECK_EQ_INT(wi.slot, 0);
	pid_t tids[8];
	int n = stop_threads(s, pid, tids, 8);
	CHECK_EQ_INT(n, 2);
	for (int i = 0; i < n; i++)
		check_dr_set(s, tids[i], m.var);
	for (int i = 0; i < n; i++)
		CHECK_OK(ptk_resume(s, tids[i], PTK_RESUME_CONT, 0));
	int new_threads = 0, new_procs = 0;
	struct ptk_event ev;
	while (lt_wait(s, &ev, 0) == 0) {
		if (ev.kind == PTK_EV_EXITED || ev.kind == PTK_EV_KILLED)
			continue;
		if (ev.kind == PTK_EV_STOP && ev.new_tracee && ev.new_thread) {
			check_dr_set(s, ev.tid, m.var);
			new_threads++;
		} else if (ev.kind == PTK_EV_STOP && ev.new_tracee) {
			CHECK_EQ_HEX(dr(s, ev.tid, 7), 0);
			new_procs++;
		}
		CHECK_OK(lt_resume(s, &ev, PTK_RESUME_CONT));
	}
	CHECK_EQ_INT(new_threads, 1);
	CHECK_EQ_INT(new_procs, 1);
	lt_output_is(lt_finish(s, out), "var=9\n");
}

/* Removing the watchpoint clears DR7 in every thread. */
TEST(hw_registers_cleared_by_remove)
{
	pid_t pid;
	int out;
	struct marker m;
	struct ptk_session *s = at_marker("hwregs", PTK_FOLLOW, &pid, &out, &m);
	int id;
	CHECK_OK(ptk_watch_insert(s, pid, m.var, 8, PTK_WATCH_WRITE | PTK_WATCH_HW, &id));
	pid_t tids[8];
	int n = stop_threads(s, pid, tids, 8);
	for (int i = 0; i < n; i++)
		check_dr_set(s, tids[i], m.var);
	CHECK_OK(ptk_watch_remove(s, pid, id));
	for (int i = 0; i < n; i++)
		CHECK_EQ_HEX(dr(s, tids[i], 7), 0);
	ptk_session_end(s, false, 1000);
	close(out);
}

/*
 * Detaching clears the debug registers (PTRACE_DETACH leaves them): a
 * second session attaching to the process finds DR7 zero in every thread.
 */
TEST(hw_registers_cleared_at_detach)
{
	pid_t pid;
	int out;
	struct marker m;
	struct ptk_session *s = at_marker("pause", PTK_FOLLOW | PTK_NO_EXITKILL, &pid, &out, &m);
	lt_track(pid);
	int id;
	CHECK_OK(ptk_watch_insert(s, pid, m.var, 8, PTK_WATCH_WRITE | PTK_WATCH_HW, &id));
	pid_t tids[8];
	int n = stop_threads(s, pid, tids, 8);
	CHECK_EQ_INT(n, 2);
	for (int i = 0; i < n; i++)
		check_dr_set(s, tids[i], m.var);
	CHECK_OK(ptk_detach(s, pid, 1000));
	ptk_session_end(s, true, 1000);

	CHECK_OK(ptk_session_new(&s, 0));
	int nt = 0;
	CHECK_OK(ptk_attach(s, pid, 0, &nt));
	CHECK_EQ_INT(nt, 2);
	for (int i = 0; i < nt; i++) {
		struct ptk_event ev;
		lt_next(s, &ev);
		CHECK_EQ_INT(ev.kind, PTK_EV_STOP);
		CHECK_EQ_HEX(dr(s, ev.tid, 7), 0);
	}
	ptk_session_end(s, false, 1000);
	lt_kill_reap(pid);
	close(out);
}

/* ---- software watchpoints ---- */

/*
 * Plain stores: three changes, each reported once with the old and new
 * value and the pc after the store; the fourth store writes the value
 * already there and is not a change.
 */
TEST(sw_watch_plain_store)
{
	struct run r = {0};
	struct marker m;
	pid_t pid;
	watch_var("store", PTK_WATCH_WRITE | PTK_WATCH_SW, 0, PTK_RESUME_CONT, "var=3\n", &r, &m,
	          &pid);
	check_counting(&r, &m, 3);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ_INT(r.hits[i].tid, pid);
		CHECK(!r.hits[i].w.hardware);
		CHECK_EQ_INT(r.hits[i].w.kind, PTK_WATCH_WRITE);
		CHECK_EQ_HEX(r.hits[i].w.addr, m.var);
		CHECK_EQ_INT(r.hits[i].w.len, 8);
	}
}

/* The default choice: software here, where debug-register traps do not fire. */
TEST(sw_watch_is_the_default_without_hardware)
{
	struct run r = {0};
	struct marker m;
	pid_t pid;
	watch_var("store", PTK_WATCH_WRITE, 0, PTK_RESUME_CONT, "var=3\n", &r, &m, &pid);
	check_counting(&r, &m, 3);
}

/*
 * A store by a thread created after the watchpoint (watch_target thread,
 * session flags flags): reported for that thread.
 */
static void thread_store_case(unsigned flags)
{
	struct run r = {0};
	struct marker m;
	pid_t pid;
	watch_var("thread", PTK_WATCH_WRITE | PTK_WATCH_SW, flags, PTK_RESUME_CONT, "var=20\n", &r,
	          &m, &pid);
	CHECK_EQ_INT(r.n, 2);
	CHECK(r.hits[0].tid != pid);
	CHECK_EQ_INT(r.hits[1].tid, r.hits[0].tid);
	check_write(&r.hits[0], 0, 10, m.set_end);
	check_write(&r.hits[1], 10, 20, m.set_end);
}

/*
 * A reader spinning on the variable while a writer sets it (watch_target
 * spin, session flags flags): every change is the writer's.
 */
static void spin_writer_case(unsigned flags)
{
	struct run r = {0};
	struct marker m;
	pid_t pid;
	watch_var("spin", PTK_WATCH_WRITE | PTK_WATCH_SW, flags, PTK_RESUME_CONT, "var=3\n", &r, &m,
	          &pid);
	check_counting(&r, &m, 3);
	for (int i = 0; i < 3; i++) {
		CHECK(r.hits[i].tid != pid);
		CHECK_EQ_INT(r.hits[i].tid, r.hits[0].tid);
	}
}

TEST(sw_watch_store_by_another_thread)
{
	thread_store_case(PTK_FOLLOW);
}

/*
 * One thread reads the variable in a loop while another sets it: both
 * step at once, and every change is reported for the setter, at the pc
 * after its store, never for the reader.
 */
TEST(sw_watch_attributes_changes_to_the_writer)
{
	spin_writer_case(PTK_FOLLOW);
}

/* read(2) into the watched buffer: the kernel's write is caught after the syscall. */
TEST(sw_watch_read_syscall_into_buffer)
{
	pid_t pid;
	int out;
	struct marker m;
	struct ptk_session *s = at_marker("read", 0, &pid, &out, &m);
	int id;
	CHECK_OK(ptk_watch_insert(s, pid, m.buf, 16, PTK_WATCH_WRITE, &id));
	struct ptk_watch_info wi;
	CHECK_OK(ptk_watch_info(s, pid, id, &wi));
	CHECK(!wi.hardware); /* 16 bytes: more than a debug register covers */
	struct run r = {0};
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_CONT, 0));
	struct ptk_event ev;
	while (lt_wait(s, &ev, 60) == 0) {
		if (ev.kind == PTK_EV_EXITED)
			continue;
		if (ev.kind == PTK_EV_WATCHPOINT) {
			r.hits[r.n].tid = ev.tid;
			r.hits[r.n++].w = ev.watch;
			/* the pc is just past the `syscall` instruction */
			uint8_t sc[2];
			CHECK_OK(ptk_mem_read(s, ev.tid, ev.watch.pc - 2, sc, 2, NULL));
			CHECK(sc[0] == 0x0f && sc[1] == 0x05);
			struct ptk_regs regs;
			CHECK_OK(ptk_regs_get(s, ev.tid, &regs));
			CHECK_EQ_INT(regs.orig_rax, NR_read);
			CHECK_EQ_INT(regs.rax, 12);
		}
		CHECK_OK(lt_resume(s, &ev, PTK_RESUME_CONT));
	}
	lt_output_is(lt_finish(s, out), "buf=hello, watch\n");
	CHECK_EQ_INT(r.n, 1);
	CHECK_EQ_INT(r.hits[0].tid, pid);
	CHECK_EQ_INT(r.hits[0].w.len, 16);
	static const uint8_t zero[16], want[16] = "hello, watch";
	CHECK(memcmp(r.hits[0].w.old_bytes, zero, 16) == 0);
	CHECK(memcmp(r.hits[0].w.new_bytes, want, 16) == 0);
}

/* Read watchpoints see loads (not stores); access watchpoints see both. */
TEST(sw_watch_reads_and_accesses)
{
	struct run r = {0};
	struct marker m;
	pid_t pid;
	watch_var("rw", PTK_WATCH_READ | PTK_WATCH_SW, 0, PTK_RESUME_CONT, "var=5\n", &r, &m, &pid);
	CHECK_EQ_INT(r.n, 2);
	for (int i = 0; i < 2; i++) {
		CHECK_EQ_INT(r.hits[i].w.access, PTK_WATCH_READ);
		CHECK_EQ_HEX(r.hits[i].w.pc, m.get_end);
		CHECK_EQ_INT(r.hits[i].w.new_value, i == 0 ? 0 : 5);
	}

	struct run a = {0};
	watch_var("rw", PTK_WATCH_ACCESS | PTK_WATCH_SW, 0, PTK_RESUME_CONT, "var=5\n", &a, &m,
	          &pid);
	CHECK_EQ_INT(a.n, 3);
	CHECK_EQ_INT(a.hits[0].w.access, PTK_WATCH_READ);
	CHECK_EQ_HEX(a.hits[0].w.pc, m.get_end);
	check_write(&a.hits[1], 0, 5, m.set_end);
	CHECK_EQ_INT(a.hits[2].w.access, PTK_WATCH_READ);
	CHECK_EQ_HEX(a.hits[2].w.pc, m.get_end);
}

/* A fork child writing its own copy reports nothing; the parent's write does. */
TEST(sw_watch_fork_child_gets_none)
{
	struct run r = {0};
	struct marker m;
	pid_t pid;
	watch_var("fork", PTK_WATCH_WRITE | PTK_WATCH_SW, PTK_FOLLOW, PTK_RESUME_CONT, "var=8\n",
	          &r, &m, &pid);
	CHECK_EQ_INT(r.n, 1);
	CHECK_EQ_INT(r.hits[0].tid, pid);
	check_write(&r.hits[0], 0, 8, m.set_end);
}

/*
 * Removing the watchpoint restores normal running: after the first report
 * it is removed, and the process runs to its end without another stop.
 */
TEST(sw_watch_removed_restores_running)
{
	pid_t pid;
	int out;
	struct marker m;
	struct ptk_session *s = at_marker("store", 0, &pid, &out, &m);
	struct run r = {.remove_after = 1, .pid = pid};
	CHECK_OK(ptk_watch_insert(s, pid, m.var, 8, PTK_WATCH_WRITE | PTK_WATCH_SW, &r.id));
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_CONT, 0));
	run_all(s, PTK_RESUME_CONT, &r);
	struct ptk_stats end;
	ptk_stats_get(s, &end);
	lt_output_is(lt_finish(s, out), "var=3\n");
	CHECK_EQ_INT(r.n, 1);
	check_write(&r.hits[0], 0, 1, m.set_end);
	CHECK_MSG(end.stops == r.at_remove.stops, "%llu stops after the removal",
	          (unsigned long long)(end.stops - r.at_remove.stops));
}

/* A caller that asks for syscall stops still gets them while watching. */
TEST(sw_watch_keeps_syscall_stops)
{
	struct run r = {0};
	struct marker m;
	pid_t pid;
	watch_var("store", PTK_WATCH_WRITE | PTK_WATCH_SW, 0, PTK_RESUME_SYSCALL, "var=3\n", &r, &m,
	          &pid);
	check_counting(&r, &m, 3);
	CHECK_EQ_INT(r.syscall_writes, 1); /* the write(2) of "var=3" */
}

/* A breakpoint on the writing instruction and a watchpoint on what it writes. */
TEST(sw_watch_with_breakpoint_on_the_store)
{
	pid_t pid;
	int out;
	struct marker m;
	struct ptk_session *s = at_marker("store", 0, &pid, &out, &m);
	int id, bid;
	CHECK_OK(ptk_watch_insert(s, pid, m.var, 8, PTK_WATCH_WRITE | PTK_WATCH_SW, &id));
	uint64_t set_var = m.set_end - 7; /* mov %rdi, var(%rip) is 7 bytes */
	CHECK_OK(ptk_bp_insert(s, pid, set_var, &bid));
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_CONT, 0));
	struct log l = {0};
	lt_run(s, PTK_RESUME_CONT, &l, NULL, NULL, 0);
	lt_output_is(lt_finish(s, out), "var=3\n");
	CHECK_EQ_INT(log_count(&l, 0, PTK_EV_BREAKPOINT), 4);
	CHECK_EQ_INT(log_count(&l, 0, PTK_EV_WATCHPOINT), 3);
	/* each change comes right after the hit of the store that made it */
	long at = 0;
	for (int i = 0; i < 3; i++) {
		at = log_find(&l, (size_t)at, pid, PTK_EV_BREAKPOINT, -1);
		CHECK(at >= 0);
		CHECK_EQ_INT(l.v[at + 1].kind, PTK_EV_WATCHPOINT);
		at++;
	}
	log_free(&l);
}

TEST(watch_bad_arguments)
{
	pid_t pid;
	int out;
	struct marker m;
	struct ptk_session *s = at_marker("store", 0, &pid, &out, &m);
	int id;
	CHECK_EQ_INT(ptk_watch_insert(s, pid, m.var, 0, PTK_WATCH_WRITE, &id), -EINVAL);
	CHECK_EQ_INT(ptk_watch_insert(s, pid, m.var, PTK_WATCH_MAX_LEN + 1, PTK_WATCH_WRITE, &id),
	             -EINVAL);
	CHECK_EQ_INT(ptk_watch_insert(s, pid, m.var, 8, 0, &id), -EINVAL);
	CHECK_EQ_INT(ptk_watch_insert(s, pid, m.var, 8,
	                              PTK_WATCH_WRITE | PTK_WATCH_HW | PTK_WATCH_SW, &id),
	             -EINVAL);
	CHECK_EQ_INT(ptk_watch_insert(s, pid, m.var, 3, PTK_WATCH_WRITE | PTK_WATCH_HW, &id),
	             -EOPNOTSUPP);
	CHECK_EQ_INT(ptk_watch_insert(s, pid, m.var + 1, 8, PTK_WATCH_WRITE | PTK_WATCH_HW, &id),
	             -EOPNOTSUPP);
	CHECK_EQ_INT(ptk_watch_insert(s, pid, 8, 8, PTK_WATCH_WRITE, &id), -EFAULT);
	CHECK_EQ_INT(ptk_watch_insert(s, 1, m.var, 8, PTK_WATCH_WRITE, &id), -ESRCH);
	CHECK_EQ_INT(ptk_watch_remove(s, pid, 12345), -ENOENT);
	struct ptk_watch_info wi;
	CHECK_EQ_INT(ptk_watch_info(s, pid, 12345, &wi), -ENOENT);
	/* four debug registers, then no more */
	for (int i = 0; i < 4; i++)
		CHECK_OK(ptk_watch_insert(s, pid, m.var, 8, PTK_WATCH_WRITE | PTK_WATCH_HW, &id));
	CHECK_EQ_INT(ptk_watch_insert(s, pid, m.var, 8, PTK_WATCH_WRITE | PTK_WATCH_HW, &id),
	             -EOPNOTSUPP);
	ptk_session_end(s, false, 1000);
	close(out);
}

/*
 * Detaching while threads step for a software watchpoint: a step's trap
 * may be pending behind ptk's interrupt; it must not reach the detached
 * process (SIGTRAP would kill it).  The process finishes as untraced.
 */
TEST(sw_watch_detach_while_stepping)
{
	for (int round = 0; round < 5; round++) {
		pid_t pid;
		int out;
		struct marker m;
		struct ptk_session *s =
		        at_marker("spin", PTK_FOLLOW | PTK_NO_EXITKILL, &pid, &out, &m);
		int id;
		CHECK_OK(ptk_watch_insert(s, pid, m.var, 8, PTK_WATCH_WRITE | PTK_WATCH_SW, &id));
		CHECK_OK(ptk_resume(s, pid, PTK_RESUME_CONT, 0));
		struct ptk_event ev;
		int seen = 0;
		while (seen < 1 + round % 3) {
			lt_next(s, &ev);
			seen += ev.kind == PTK_EV_WATCHPOINT;
			CHECK_OK(lt_resume(s, &ev, PTK_RESUME_CONT));
		}
		CHECK_OK(ptk_detach(s, pid, 2000));
		ptk_session_end(s, true, 1000);
		int st;
		CHECK(waitpid(pid, &st, 0) == pid);
		CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "round %d: status %#x", round, st);
		lt_output_is(lt_slurp(out, 5000), "var=3\n");
	}
}

/*
 * PTK_STEP_EMULATE: the instructions a software watchpoint steps are
 * emulated where ptk can: the same reports (values, pcs, threads) as
 * stepping each for real, for far fewer stops.
 */
static void same_hits(const struct run *a, const struct run *b, pid_t pid_a, pid_t pid_b)
{
	CHECK_EQ_INT(a->n, b->n);
	for (int i = 0; i < a->n; i++) {
		const struct ptk_watch_hit *x = &a->hits[i].w, *y = &b->hits[i].w;
		CHECK_EQ_INT(x->access, y->access);
		CHECK_EQ_INT(x->old_value, y->old_value);
		CHECK_EQ_INT(x->new_value, y->new_value);
		CHECK_EQ_INT(x->pc - (x->pc & ~0xfffull), y->pc - (y->pc & ~0xfffull));
		CHECK_EQ_INT(a->hits[i].tid == pid_a, b->hits[i].tid == pid_b);
	}
}

static void sw_emulated_case(const char *mode, unsigned kind, unsigned flags, const char *want)
{
	struct run real = {0}, emu = {0};
	struct marker mr, me;
	pid_t pr, pe;
	watch_var(mode, kind | PTK_WATCH_SW, flags, PTK_RESUME_CONT, want, &real, &mr, &pr);
	watch_var(mode, kind | PTK_WATCH_SW, flags | PTK_STEP_EMULATE, PTK_RESUME_CONT, want, &emu,
	          &me, &pe);
	same_hits(&real, &emu, pr, pe);
	for (int i = 0; i < emu.n; i++)
		CHECK_EQ_HEX(emu.hits[i].w.pc,
		             emu.hits[i].w.access == PTK_WATCH_READ ? me.get_end : me.set_end);
	th_note("%s: %llu stops stepped, %llu emulated", mode, (unsigned long long)real.end.stops,
	        (unsigned long long)emu.end.stops);
	CHECK_MSG(emu.end.stops * 2 < real.end.stops, "%llu stops emulated, %llu stepped",
	          (unsigned long long)emu.end.stops, (unsigned long long)real.end.stops);
}

TEST(sw_watch_emulated_plain_store)
{
	sw_emulated_case("store", PTK_WATCH_WRITE, 0, "var=3\n");
}

TEST(sw_watch_emulated_reads_and_accesses)
{
	sw_emulated_case("rw", PTK_WATCH_ACCESS, 0, "var=5\n");
}

/* Threads: a store to a global while another thread runs is stepped for real. */
TEST(sw_watch_emulated_threads)
{
	thread_store_case(PTK_FOLLOW | PTK_STEP_EMULATE);
	spin_writer_case(PTK_FOLLOW | PTK_STEP_EMULATE);
}
