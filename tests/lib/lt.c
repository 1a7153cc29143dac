/* SPDX-License-Identifier: MIT */
#include "lt.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void log_push(struct log *l, const struct ptk_event *ev)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		if (!l->v)
			th_fail(__FILE__, __LINE__, "out of memory");
	}
	struct rec *r = &l->v[l->n++];
	memset(r, 0, sizeof *r);
	r->kind = ev->kind;
	r->tid = ev->tid;
	r->pid = ev->pid;
	r->sig = ev->sig;
	r->msg = ev->msg;
	r->new_tid = ev->new_tid;
	r->former_tid = ev->former_tid;
	r->ppid = ev->ppid;
	r->exit_code = ev->exit_code;
	r->process_gone = ev->process_gone;
	r->new_tracee = ev->new_tracee;
	r->new_thread = ev->new_thread;
	r->attach_stop = ev->attach_stop;
	r->own_seccomp = ev->own_seccomp;
	r->core_dumped = ev->core_dumped;
	r->arch = ev->sc.arch;
	r->nr = ev->sc.nr;
	memcpy(r->args, ev->sc.args, sizeof r->args);
	r->rval = ev->sc.rval;
	r->is_error = ev->sc.is_error;
	if (ev->kind == PTK_EV_SIGNAL) {
		r->si_code = ev->si.si_code;
		r->sender = ev->si.si_pid;
	}
}

void log_free(struct log *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

const char *kname(enum ptk_event_kind k)
{
	return ptk_event_name(k);
}

void log_dump(const struct log *l, size_t max)
{
	for (size_t i = 0; i < l->n && i < max; i++) {
		const struct rec *r = &l->v[i];
		switch (r->kind) {
		case PTK_EV_SYSCALL_ENTER:
			th_note("%3zu %d/%d %s nr=%ld arch=%d", i, r->pid, r->tid, kname(r->kind),
			        r->nr, r->arch);
			break;
		case PTK_EV_SYSCALL_EXIT:
			th_note("%3zu %d/%d %s rval=%" PRId64, i, r->pid, r->tid, kname(r->kind),
			        r->rval);
			break;
		case PTK_EV_EXITED:
			th_note("%3zu %d/%d %s code=%d%s", i, r->pid, r->tid, kname(r->kind),
			        r->exit_code, r->process_gone ? " (process gone)" : "");
			break;
		default:
			th_note("%3zu %d/%d %s sig=%d msg=%lu new=%d former=%d%s%s%s", i, r->pid,
			        r->tid, kname(r->kind), r->sig, r->msg, r->new_tid, r->former_tid,
			        r->new_tracee ? " new_tracee" : "",
			        r->new_thread ? " new_thread" : "",
			        r->process_gone ? " (process gone)" : "");
		}
	}
	if (l->n > max)
		th_note("... %zu more events", l->n - max);
}

long log_find(const struct log *l, size_t from, pid_t tid, enum ptk_event_kind kind, long nr)
{
	for (size_t i = from; i < l->n; i++) {
		const struct rec *r = &l->v[i];
		if (tid > 0 && r->tid != tid)
			continue;
		if (r->kind != kind)
			continue;
		if (nr >= 0 && kind == PTK_EV_SYSCALL_ENTER && r->nr != nr)
			continue;
		return (long)i;
	}
	return -1;
}

size_t log_count(const struct log *l, pid_t tid, enum ptk_event_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += l->v[i].kind == kind && (tid <= 0 || l->v[i].tid == tid);
	return n;
}

void log_all_of(const struct log *l, pid_t tid)
{
	for (size_t i = 0; i < l->n; i++)
		CHECK_MSG(l->v[i].tid == tid, "event %zu of %d", i, l->v[i].tid);
}

long log_first(const struct log *l, pid_t tid)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].tid == tid)
			return (long)i;
	return -1;
}

long log_last_before(const struct log *l, pid_t tid, long before)
{
	for (long i = before - 1; i >= 0; i--)
		if (l->v[i].tid == tid)
			return i;
	return -1;
}

const struct rec *log_ends_with_exit(const struct log *l, pid_t tid, int code)
{
	CHECK_MSG(l->n > 0, "no event recorded");
	const struct rec *r = &l->v[l->n - 1];
	CHECK_EQ_STR(kname(r->kind), kname(PTK_EV_EXITED));
	if (tid > 0)
		CHECK_EQ_INT(r->tid, tid);
	if (code >= 0)
		CHECK_EQ_INT(r->exit_code, code);
	return r;
}

static void on_alarm(int sig)
{
	(void)sig;
}

int lt_wait(struct ptk_session *s, struct ptk_event *ev, int timeout_s)
{
	static bool installed;
	if (!installed) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_alarm; /* no SA_RESTART: wait4 returns EINTR */
		sigaction(SIGALRM, &sa, NULL);
		installed = true;
	}
	alarm((unsigned)(timeout_s > 0 ? timeout_s : 30));
	int r = ptk_wait(s, ev, 0);
	alarm(0);
	if (r == -EINTR)
		th_fail(__FILE__, __LINE__, "ptk_wait: no event within %d s (hang)",
		        timeout_s > 0 ? timeout_s : 30);
	if (r != 0 && r != -ECHILD)
		th_fail(__FILE__, __LINE__, "ptk_wait: %d (%s)", r, strerror(-r));
	return r;
}

void lt_next(struct ptk_session *s, struct ptk_event *ev)
{
	if (lt_wait(s, ev, 0) != 0)
		th_fail(__FILE__, __LINE__, "ptk_wait: -ECHILD, an event was expected");
}

int lt_resume(struct ptk_session *s, const struct ptk_event *ev, enum ptk_resume_mode mode)
{
	int sig = ev->kind == PTK_EV_SIGNAL ? ev->sig : 0;
	return ptk_resume(s, ev->tid, mode, sig);
}

void lt_resume_expect(struct ptk_session *s, pid_t tid, enum ptk_resume_mode mode,
                      enum ptk_event_kind kind, struct ptk_event *ev)
{
	int r = ptk_resume(s, tid, mode, 0);
	if (r < 0)
		th_fail(__FILE__, __LINE__, "ptk_resume(%d) before the %s: %d (%s)", tid,
		        kname(kind), r, strerror(-r));
	lt_next(s, ev);
	if (ev->kind != kind)
		th_fail(__FILE__, __LINE__, "resumed %d: %s (of %d, sig %d) where %s was expected",
		        tid, kname(ev->kind), ev->tid, ev->sig, kname(kind));
}

void lt_run_to_syscall(struct ptk_session *s, pid_t pid, long nr, long arg0, struct ptk_event *ev,
                       struct log *l)
{
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_SYSCALL, 0));
	for (;;) {
		lt_next(s, ev);
		if (ev->kind == PTK_EV_EXITED || ev->kind == PTK_EV_KILLED)
			th_fail(__FILE__, __LINE__, "%d ended (%s) before syscall %ld", ev->tid,
			        kname(ev->kind), nr);
		if (ev->kind == PTK_EV_SYSCALL_ENTER && ev->sc.nr == nr &&
		    (arg0 < 0 || ev->sc.args[0] == (uint64_t)arg0))
			return;
		if (l)
			log_push(l, ev);
		CHECK_OK(lt_resume(s, ev, PTK_RESUME_SYSCALL));
	}
}

size_t lt_run(struct ptk_session *s, enum ptk_resume_mode mode, struct log *l, lt_hook hook,
              void *arg, size_t stop_after)
{
	size_t n = 0;
	struct ptk_event ev;
	while (lt_wait(s, &ev, 0) == 0) {
		n++;
		if (l)
			log_push(l, &ev);
		if (hook && hook(s, &ev, arg))
			goto next;
		if (ev.kind == PTK_EV_EXITED || ev.kind == PTK_EV_KILLED)
			goto next;
		int r = lt_resume(s, &ev, mode);
		if (r < 0 && r != -ESRCH)
			th_fail(__FILE__, __LINE__, "ptk_resume(%d) after %s: %d (%s)", ev.tid,
			        kname(ev.kind), r, strerror(-r));
	next:
		if (stop_after && n >= stop_after)
			break;
	}
	return n;
}

int lt_spawn(struct ptk_session *s, char *const argv[], unsigned spawn_flags, pid_t *ret_pid,
             int *ret_out)
{
	struct ptk_spawn_opts o = {.path = argv[0], .argv = argv, .flags = spawn_flags};
	return lt_spawn_opts(s, &o, ret_pid, ret_out);
}

int lt_spawn_opts(struct ptk_session *s, const struct ptk_spawn_opts *o, pid_t *ret_pid,
                  int *ret_out)
{
	int p[2] = {-1, -1}, saved = -1;
	if (ret_out) {
		fflush(stdout);
		if (pipe2(p, O_CLOEXEC) < 0 || (saved = fcntl(1, F_DUPFD_CLOEXEC, 3)) < 0 ||
		    dup2(p[1], 1) < 0)
			th_fail(__FILE__, __LINE__, "pipe/dup: %s", strerror(errno));
	}
	int r = ptk_spawn(s, o, ret_pid);
	if (ret_out) {
		dup2(saved, 1);
		close(saved);
		close(p[1]);
		if (r < 0)
			close(p[0]);
		else
			*ret_out = p[0];
	}
	return r;
}

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

char *lt_slurp(int fd, int timeout_ms)
{
	size_t cap = 4096, n = 0;
	char *b = malloc(cap);
	long end = now_ms() + timeout_ms;
	for (;;) {
		struct pollfd pf = {fd, POLLIN, 0};
		long left = end - now_ms();
		if (left <= 0)
			th_fail(__FILE__, __LINE__, "tracee output did not end within %d ms",
			        timeout_ms);
		int pr = poll(&pf, 1, (int)left);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			continue;
		if (n + 1024 > cap)
			b = realloc(b, cap *= 2);
		ssize_t r = read(fd, b + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	b[n] = 0;
	close(fd);
	return b;
}

bool lt_read_line(int fd, char *buf, size_t cap, int timeout_ms)
{
	size_t n = 0;
	long end = now_ms() + timeout_ms;
	while (n + 1 < cap) {
		struct pollfd pf = {fd, POLLIN, 0};
		long left = end - now_ms();
		if (left <= 0)
			return false;
		int pr = poll(&pf, 1, (int)left);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			continue;
		char c;
		ssize_t r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		if (c == '\n')
			break;
		buf[n++] = c;
	}
	buf[n] = 0;
	return true;
}

bool lt_readable(int fd)
{
	struct pollfd pf = {fd, POLLIN, 0};
	return poll(&pf, 1, 0) > 0;
}

int lt_untraced(char *const argv[], char *out, size_t cap)
{
	return th_run_untraced(argv, out, cap);
}

/*
 * Processes a case started outside ptk: killed when the case exits, so a
 * failing case leaves none behind (a stopped one would keep the runner's
 * output pipe open through its stderr).
 */
static pid_t tracked[64];
static int ntracked;
static pid_t tracked_by;

static void kill_tracked(void)
{
	if (getpid() != tracked_by)
		return; /* a forked child of the case exiting */
	for (int i = 0; i < ntracked; i++)
		if (tracked[i] > 0)
			kill(tracked[i], SIGKILL);
}

void lt_track(pid_t pid)
{
	if (!tracked_by) {
		tracked_by = getpid();
		atexit(kill_tracked);
	}
	if (ntracked < (int)(sizeof tracked / sizeof *tracked))
		tracked[ntracked++] = pid;
}

pid_t lt_popen(char *const argv[], int *ret_in, int *ret_out)
{
	int in[2], out[2];
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0)
		th_fail(__FILE__, __LINE__, "pipe: %s", strerror(errno));
	pid_t pid = fork();
	if (pid < 0)
		th_fail(__FILE__, __LINE__, "fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		execv(argv[0], argv);
		_exit(127);
	}
	lt_track(pid);
	close(in[0]);
	close(out[1]);
	*ret_in = in[1];
	*ret_out = out[0];
	return pid;
}

pid_t lt_popen_ready(char *const argv[], int *ret_in, int *ret_out, const char *first)
{
	pid_t pid = lt_popen(argv, ret_in, ret_out);
	char line[256];
	if (!lt_read_line(*ret_out, line, sizeof line, 10000))
		th_fail(__FILE__, __LINE__, "%s printed no line (state %c)", argv[0],
		        lt_state(pid));
	if (first)
		CHECK_EQ_STR(line, first);
	return pid;
}

void lt_close_and_reap(pid_t pid, int in, int out, int code)
{
	close(in);
	int st;
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == code, "%d: status %#x, not an exit with %d",
	          pid, st, code);
	close(out);
}

void lt_kill_reap(pid_t pid)
{
	kill(pid, SIGKILL);
	int st;
	while (waitpid(pid, &st, __WALL) < 0 && errno == EINTR)
		;
}

static ssize_t slurp_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return n;
}

char lt_state(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if (slurp_file(path, buf, sizeof buf) < 0)
		return 0;
	char *rp = strrchr(buf, ')');
	return rp && rp[1] == ' ' ? rp[2] : 0;
}

bool lt_wait_state(pid_t pid, const char *states, int timeout_ms)
{
	long end = now_ms() + timeout_ms;
	for (;;) {
		char c = lt_state(pid);
		if (c && strchr(states, c))
			return true;
		if (now_ms() >= end)
			return false;
		lt_msleep(1);
	}
}

bool lt_wait_syscall(pid_t pid, long nr, int timeout_ms)
{
	char path[64], buf[256], want[32];
	snprintf(path, sizeof path, "/proc/%d/syscall", pid);
	int wl = snprintf(want, sizeof want, "%ld ", nr);
	long end = now_ms() + timeout_ms;
	for (;;) {
		if (slurp_file(path, buf, sizeof buf) > 0 && strncmp(buf, want, (size_t)wl) == 0)
			return true;
		if (now_ms() >= end)
			return false;
		lt_msleep(1);
	}
}

bool lt_status_text(pid_t pid, const char *key, char *out, size_t cap)
{
	char path[64], buf[8192];
	snprintf(path, sizeof path, "/proc/%d/status", pid);
	if (slurp_file(path, buf, sizeof buf) < 0)
		return false;
	size_t kl = strlen(key);
	for (char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (strncmp(l, key, kl) == 0 && l[kl] == ':') {
			char *v = l + kl + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			size_t n = strcspn(v, "\n");
			if (n >= cap)
				n = cap - 1;
			memcpy(out, v, n);
			out[n] = 0;
			return true;
		}
	return false;
}

long lt_status_field(pid_t pid, const char *key)
{
	char v[64];
	if (!lt_status_text(pid, key, v, sizeof v))
		return -1;
	return strtol(v, NULL, 10);
}

bool lt_exists(pid_t pid)
{
	return kill(pid, 0) == 0 || errno == EPERM;
}

const char *lt_tool(const char *name)
{
	static char buf[4][256];
	static int k;
	const char *dirs[] = {"/usr/bin", "/usr/local/bin", "/bin"};
	for (size_t i = 0; i < 3; i++) {
		char *b = buf[k % 4];
		snprintf(b, sizeof buf[0], "%s/%s", dirs[i], name);
		if (access(b, X_OK) == 0) {
			k++;
			return b;
		}
	}
	return NULL;
}

char *lt_gdb_batch(const char *gdb, const char *script, char *const prog[], size_t cap)
{
	char path[] = "/tmp/ptk-gdb-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	CHECK(write(fd, script, strlen(script)) == (ssize_t)strlen(script));
	close(fd);
	char *argv[64] = {(char *)gdb, "-batch", "-nx", "-x", path, "--args"};
	int k = 6;
	for (int i = 0; prog[i] && k < 62; i++)
		argv[k++] = prog[i];
	argv[k] = NULL;
	char *out = malloc(cap);
	CHECK(out);
	th_run_untraced(argv, out, cap);
	unlink(path);
	return out;
}

void lt_msleep(int ms)
{
	struct timespec d = {ms / 1000, (long)(ms % 1000) * 1000000};
	while (nanosleep(&d, &d) < 0 && errno == EINTR)
		;
}

struct ptk_session *lt_start(unsigned session_flags, char *const argv[], pid_t *ret_pid,
                             int *ret_out)
{
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, session_flags));
	CHECK_OK(lt_spawn(s, argv, 0, ret_pid, ret_out));
	return s;
}

pid_t lt_spawn_blocked_in_read(struct ptk_session *s, int *ret_out)
{
	char *argv[] = {(char *)th_tracee("block_read"), NULL};
	pid_t pid;
	CHECK_OK(lt_spawn(s, argv, 0, &pid, ret_out));
	struct ptk_event ev;
	lt_resume_expect(s, pid, PTK_RESUME_CONT, PTK_EV_EXEC, &ev);
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_CONT, 0));
	CHECK(lt_wait_syscall(pid, NR_read, 10000));
	return pid;
}

char *lt_finish(struct ptk_session *s, int out)
{
	char *o = lt_slurp(out, 20000);
	ptk_session_end(s, false, 1000);
	return o;
}

void lt_output_is(char *o, const char *want)
{
	CHECK_EQ_STR(o, want);
	free(o);
}

char *lt_run_to_end(struct ptk_session *s, pid_t pid, int out, enum ptk_resume_mode mode,
                    struct log *l, lt_hook hook, void *arg)
{
	CHECK_OK(ptk_resume(s, pid, mode, 0));
	lt_run(s, mode, l, hook, arg, 0);
	if (l)
		log_dump(l, 600);
	return lt_finish(s, out);
}

char *lt_trace_all(char *const argv[], unsigned session_flags, enum ptk_resume_mode mode,
                   struct log *l, lt_hook hook, void *arg, pid_t *ret_pid)
{
	pid_t pid;
	int out;
	struct ptk_session *s = lt_start(session_flags, argv, &pid, &out);
	if (ret_pid)
		*ret_pid = pid;
	return lt_run_to_end(s, pid, out, mode, l, hook, arg);
}

pid_t lt_trace_expect(char *const argv[], unsigned session_flags, enum ptk_resume_mode mode,
                      struct log *l, const char *want)
{
	pid_t pid;
	lt_output_is(lt_trace_all(argv, session_flags, mode, l, NULL, NULL, &pid), want);
	return pid;
}

void lt_untraced_is(char *const argv[], const char *want, int code)
{
	char got[4096];
	int st = lt_untraced(argv, got, sizeof got);
	CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == code, "untraced status %#x", st);
	CHECK_EQ_STR(got, want);
}
