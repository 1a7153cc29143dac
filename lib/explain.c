/* SPDX-License-Identifier: MIT */
/*
 * One line that says why an attach or spawn failed and what to do about
 * it.  EPERM from PTRACE_SEIZE has many causes; /proc, the Yama sysctl and
 * the caller's capabilities tell them apart.
 */
#include "internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Read a small /proc file into buf; returns its length or -1. */
static ssize_t slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return n;
}

/* Field of /proc/PID/status as text ("Name", "State", "Uid"). */
static bool status_field(pid_t pid, const char *key, char *out, size_t len)
{
	char path[64], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/status", pid);
	if (slurp(path, buf, sizeof buf) < 0)
		return false;
	size_t kl = strlen(key);
	for (char *l = buf; l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (strncmp(l, key, kl) == 0 && l[kl] == ':') {
			char *v = l + kl + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			size_t n = strcspn(v, "\n");
			if (n >= len)
				n = len - 1;
			memcpy(out, v, n);
			out[n] = 0;
			return true;
		}
	return false;
}

static bool is_kernel_thread(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if (slurp(path, buf, sizeof buf) < 0)
		return false;
	char *rp = strrchr(buf, ')');
	if (!rp)
		return false;
	/* Fields after the comm: state ppid pgrp session tty tpgid flags */
	unsigned long flags = 0;
	char st;
	int ppid;
	if (sscanf(rp + 2, "%c %d %*d %*d %*d %*d %lu", &st, &ppid, &flags) != 3)
		return false;
	return (flags & 0x00200000ul) /* PF_KTHREAD */ || pid == 2 || ppid == 2;
}

/* The Yama sysctl; tests point it at a file of their own (this kernel has no Yama). */
const char *explain_yama_path = "/proc/sys/kernel/yama/ptrace_scope";

static bool have_cap_sys_ptrace(void)
{
	char eff[64];
	if (!status_field(getpid(), "CapEff", eff, sizeof eff))
		return geteuid() == 0;
	unsigned long long caps = strtoull(eff, NULL, 16);
	return caps & (1ull << 19); /* CAP_SYS_PTRACE */
}

static int explain_eperm_attach(pid_t pid, const char *target, char *buf, size_t len)
{
	char name[64] = "?", state[32] = "", tracer[32] = "0", uid[64] = "";
	status_field(pid, "Name", name, sizeof name);
	status_field(pid, "State", state, sizeof state);
	status_field(pid, "TracerPid", tracer, sizeof tracer);
	status_field(pid, "Uid", uid, sizeof uid);
	if (pid == 1)
		return snprintf(
		        buf, len,
		        "cannot attach to 1 (%s): it is the system's init process and the "
		        "kernel refuses to let it be traced here; trace a program you start "
		        "instead",
		        name);
	if (is_kernel_thread(pid))
		return snprintf(buf, len,
		                "cannot attach to %s: %s is a kernel thread; only user processes "
		                "can be traced",
		                target, name);
	if (state[0] == 'Z' || state[0] == 'X')
		return snprintf(buf, len,
		                "cannot attach to %s (%s): it is a zombie, already exited and "
		                "waiting for its parent to reap it",
		                target, name);
	long tp = strtol(tracer, NULL, 10);
	if (tp == getpid())
		return snprintf(buf, len, "cannot attach to %s (%s): this ptk already traces it",
		                target, name);
	if (tp > 0) {
		char tname[64] = "?";
		status_field((pid_t)tp, "Name", tname, sizeof tname);
		return snprintf(buf, len,
		                "cannot attach to %s (%s): it is already traced by %ld (%s); "
		                "detach that tracer first",
		                target, name, tp, tname);
	}
	char scope[16];
	bool cap = have_cap_sys_ptrace();
	if (slurp(explain_yama_path, scope, sizeof scope) > 0) {
		int sc = atoi(scope);
		if (sc == 3)
			return snprintf(
			        buf, len,
			        "cannot attach to %s: kernel.yama.ptrace_scope is 3, which forbids "
			        "attaching until reboot; spawn the program under ptk instead",
			        target);
		if (sc == 2 && !cap)
			return snprintf(buf, len,
			                "cannot attach to %s: kernel.yama.ptrace_scope is 2 (admin "
			                "only); run ptk as root or give it CAP_SYS_PTRACE",
			                target);
		if (sc == 1 && !cap)
			return snprintf(
			        buf, len,
			        "cannot attach to %s: kernel.yama.ptrace_scope is 1, so only "
			        "descendants can be traced; run ptk as root, give it "
			        "CAP_SYS_PTRACE, or set `sysctl kernel.yama.ptrace_scope=0`",
			        target);
	}
	unsigned long ruid = strtoul(uid, NULL, 10);
	if (!cap && ruid != (unsigned long)getuid())
		return snprintf(buf, len,
		                "cannot attach to %s (%s): it belongs to uid %lu; run ptk as that "
		                "user, or as root / with CAP_SYS_PTRACE",
		                target, name, ruid);
	if (!cap)
		return snprintf(buf, len,
		                "cannot attach to %s (%s): permission denied; it may be setuid or "
		                "non-dumpable: run ptk as root or with CAP_SYS_PTRACE",
		                target, name);
	return snprintf(buf, len,
	                "cannot attach to %s (%s): permission denied even with CAP_SYS_PTRACE; a "
	                "security module (or a container's seccomp policy) forbids ptrace here",
	                target, name);
}

int ptk_explain(enum ptk_op op, int err, const char *target, char *buf, size_t len)
{
	if (err > 0)
		err = -err;
	if (op == PTK_OP_ATTACH) {
		char *end;
		long pid = strtol(target, &end, 10);
		bool numeric = *target && !*end && pid > 0 && pid <= 0x7fffffff;
		switch (err) {
		case -ESRCH: {
			char tgid[32];
			if (!numeric)
				return snprintf(
				        buf, len,
				        "cannot attach to '%s': not a process id; give a number",
				        target);
			if (status_field((pid_t)pid, "Tgid", tgid, sizeof tgid) &&
			    atol(tgid) != pid)
				return snprintf(buf, len,
				                "cannot attach to %s: it is a thread of process "
				                "%s; attach to %s",
				                target, tgid, tgid);
			char state[32];
			if (status_field((pid_t)pid, "State", state, sizeof state) &&
			    state[0] == 'Z')
				return snprintf(buf, len,
				                "cannot attach to %s: it is a zombie, already "
				                "exited and waiting for its parent to reap it",
				                target);
			return snprintf(
			        buf, len,
			        "cannot attach to %s: no such process (check the pid with `ps`)",
			        target);
		}
		case -EPERM:
			if (!numeric)
				break;
			return explain_eperm_attach((pid_t)pid, target, buf, len);
		case -EINVAL:
			if (numeric && pid == getpid())
				return snprintf(buf, len, "cannot attach to %s: that is ptk itself",
				                target);
			return snprintf(buf, len,
			                "cannot attach to %s: it is ptk's own tracer; tracing it "
			                "would deadlock both",
			                target);
		case -EALREADY:
			return snprintf(buf, len,
			                "cannot attach to %s: already attached (given twice?)",
			                target);
		default:
			break;
		}
		return snprintf(buf, len, "cannot attach to %s: %s", target, strerror(-err));
	}
	switch (err) {
	case -ENOENT:
		return snprintf(buf, len, "cannot run '%s': no such file%s", target,
		                strchr(target, '/') ? ""
		                                    : " in $PATH (check the name or give a path)");
	case -EACCES:
		return snprintf(buf, len,
		                "cannot run '%s': permission denied (not executable: `chmod +x`, "
		                "or on a noexec mount)",
		                target);
	case -ENOEXEC:
		return snprintf(
		        buf, len,
		        "cannot run '%s': not an executable format (a script needs a #! line)",
		        target);
	case -EISDIR:
		return snprintf(buf, len, "cannot run '%s': it is a directory", target);
	case -ENOTDIR:
		return snprintf(buf, len,
		                "cannot run '%s': a component of the path is not a directory",
		                target);
	case -ENAMETOOLONG:
		return snprintf(buf, len, "cannot run '%s': the path is too long", target);
	case -EPERM:
		return snprintf(
		        buf, len,
		        "cannot trace '%s': ptrace is not permitted here (a container's seccomp "
		        "policy, or a missing CAP_SYS_PTRACE); run on a host that allows ptrace",
		        target);
	case -EAGAIN:
		return snprintf(buf, len,
		                "cannot run '%s': out of processes (RLIMIT_NPROC or pid_max); end "
		                "some processes and retry",
		                target);
	default:
		return snprintf(buf, len, "cannot run '%s': %s", target, strerror(-err));
	}
}
