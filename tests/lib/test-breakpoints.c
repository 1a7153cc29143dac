/* SPDX-License-Identifier: MIT */
/*
 * ptk's breakpoints against the hard cases: hidden from memory reads,
 * reported with the pc rewound, every hit counted while several threads
 * run through the same one, removed from fork children (a child let go
 * must not die of SIGTRAP) and from a process at detach.
 */
#include "lt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* Spawn bp_target and run it to its marker; returns the address of target(). */
static uint64_t run_to_marker(struct ptk_session *s, char *const argv[], pid_t *ret_pid,
                              int *ret_out)
{
	CHECK_OK(lt_spawn(s, argv, 0, ret_pid, ret_out));
	CHECK_OK(ptk_resume(s, *ret_pid, PTK_RESUME_SYSCALL, 0));
	struct ptk_event ev;
	for (;;) {
		lt_next(s, &ev);
		CHECK_EQ_INT(ev.tid, *ret_pid);
		if (ev.kind == PTK_EV_SYSCALL_ENTER && ev.sc.nr == NR_getppid &&
		    ev.sc.args[0] == 0x7e10)
			return ev.sc.args[1];
		CHECK_OK(lt_resume(s, &ev, PTK_RESUME_SYSCALL));
	}
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

/*
 * Three hits in the parent; the fork child (let go at its first stop)
 * runs target() without the int3 and exits normally; the output is as
 * untraced.
 */
TEST(breakpoint_hits_and_fork_child_stripped)
{
	char *argv[] = {(char *)th_tracee("bp_target"), NULL};
	char want[256];
	int st = lt_untraced(argv, want, sizeof want);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK_EQ_STR(want, "sum=15\nchild exited 21\n");

	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, PTK_FOLLOW));
	pid_t pid;
	int out;
	uint64_t addr = run_to_marker(s, argv, &pid, &out);
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
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_CONT, 0));
	struct log l = {0};
	lt_run(s, PTK_RESUME_CONT, &l, bp_hook, &b, 0);
	log_dump(&l, 100);
	char *o = lt_slurp(out, 5000);
	ptk_session_end(s, false, 1000);
	CHECK_EQ_STR(o, want);
	free(o);
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
	CHECK_OK(ptk_session_new(&s, 0));
	pid_t pid;
	int out;
	uint64_t addr = run_to_marker(s, argv, &pid, &out);
	uint8_t orig = raw_byte(pid, addr);
	int id;
	CHECK_OK(ptk_bp_insert(s, pid, addr, &id));
	struct bpstate b = {.addr = addr, .id = id, .pid = pid, .remove_after = 1};
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_CONT, 0));
	struct log l = {0};
	lt_run(s, PTK_RESUME_CONT, &l, bp_hook, &b, 0);
	char *o = lt_slurp(out, 5000);
	ptk_session_end(s, false, 1000);
	CHECK_EQ_STR(o, "sum=15\nchild exited 21\n");
	free(o);
	CHECK_EQ_INT(b.hits, 1);
	(void)orig;
	log_free(&l);
}

/* Detaching removes the breakpoints: the process runs on without SIGTRAP. */
TEST(breakpoint_removed_at_detach)
{
	char *argv[] = {(char *)th_tracee("bp_target"), NULL};
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	pid_t pid;
	int out;
	uint64_t addr = run_to_marker(s, argv, &pid, &out);
	uint8_t orig = raw_byte(pid, addr);
	int id;
	CHECK_OK(ptk_bp_insert(s, pid, addr, &id));
	CHECK_OK(ptk_detach(s, pid, 1000));
	CHECK_EQ_INT(raw_byte(pid, addr), orig);
	int st;
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	char *o = lt_slurp(out, 5000);
	CHECK_EQ_STR(o, "sum=15\nchild exited 21\n");
	free(o);
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
	CHECK_OK(ptk_session_new(&s, PTK_FOLLOW));
	pid_t pid;
	int out;
	uint64_t addr = run_to_marker(s, argv, &pid, &out);
	int id;
	CHECK_OK(ptk_bp_insert(s, pid, addr, &id));
	struct bpstate b = {.addr = addr, .id = id, .pid = pid};
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_CONT, 0));
	lt_run(s, PTK_RESUME_CONT, NULL, bp_hook, &b, 0);
	char *o = lt_slurp(out, 20000);
	ptk_session_end(s, false, 1000);
	CHECK_EQ_STR(o, "calls=800\n");
	free(o);
	CHECK_EQ_INT(b.hits, 800);
	CHECK_EQ_INT(b.per_tid_n, 4);
	for (size_t i = 0; i < b.per_tid_n; i++)
		CHECK_MSG(b.tid_hits[i] == 200, "thread %d: %zu hits", b.tids[i], b.tid_hits[i]);
}
