/* SPDX-License-Identifier: MIT */
/*
 * --json: one JSON object per line for every syscall, signal and exit
 * event.  A syscall's object is written when it returns (or when its
 * thread ends without returning), with the decoded text of each argument
 * (where the decoders' arg_next() recorded it starts), the raw registers,
 * the return value and the time it took.  Every string is escaped so the
 * output is valid JSON (and valid UTF-8) whatever bytes the tracee passes.
 */
#include "trace.h"

#include <stdarg.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t min;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	uint32_t cp = c & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

void json_escape(struct dbuf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	db_putc(b, '"');
	for (size_t i = 0; i < n;) {
		unsigned char c = u[i];
		if (c == '"' || c == '\\') {
			db_putc(b, '\\');
			db_putc(b, (char)c);
			i++;
		} else if (c == '\n') {
			db_puts(b, "\\n");
			i++;
		} else if (c == '\t') {
			db_puts(b, "\\t");
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			db_printf(b, "\\u%04x", c);
			i++;
		} else if (c < 0x80) {
			db_putc(b, (char)c);
			i++;
		} else {
			size_t l = utf8_len(u + i, n - i);
			if (l) {
				db_putn(b, s + i, l);
				i += l;
			} else {
				/* Not UTF-8: the byte as the code point of the same value. */
				db_printf(b, "\\u%04x", c);
				i++;
			}
		}
	}
	db_putc(b, '"');
}

static void jstr(struct dbuf *b, const char *s)
{
	json_escape(b, s, strlen(s));
}

static const char *arch_name(int arch)
{
	switch (arch) {
	case PTK_ARCH_I386:
		return "i386";
	case PTK_ARCH_X32:
		return "x32";
	case PTK_ARCH_X86_64:
		return "x86_64";
	default:
		return "unknown";
	}
}

static void head(struct dbuf *b, const char *type, int64_t wall_ns, const struct tcb *c)
{
	db_printf(b, "{\"type\":\"%s\",\"time\":%lld.%06lld,\"pid\":%d,\"tid\":%d", type,
	          (long long)(wall_ns / 1000000000), (long long)(wall_ns % 1000000000 / 1000),
	          c->pid, c->tid);
}

static void emit(struct trace *t, struct tcb *c, struct dbuf *b)
{
	db_putc(b, '\n');
	FILE *f = c->out ? c->out : t->out;
	out_raw_line(t, f, b->s, b->len);
	db_free(b);
}

/* The text of decoded argument i of c's line, and how many there are. */
static int arg_count(const struct tcb *c)
{
	if (!c->line.len)
		return 0;
	int n = 1;
	for (int i = 1; i < 7; i++)
		if (c->argoff[i] > c->argoff[n - 1] && c->argoff[i] <= c->line.len)
			n = i + 1;
	return n;
}

void json_syscall(struct trace *t, struct tcb *c, const struct ptk_syscall *sc)
{
	struct dbuf b = {0};
	char nb[32];
	head(&b, "syscall", c->wall_enter, c);
	db_puts(&b, ",\"syscall\":");
	jstr(&b, syscall_name(c->arch, c->nr, nb, sizeof nb));
	db_printf(&b, ",\"nr\":%ld,\"arch\":\"%s\",\"args\":[", c->nr, arch_name(c->arch));
	int n = arg_count(c);
	for (int i = 0; i < n; i++) {
		size_t s = c->argoff[i], e = i + 1 < n ? c->argoff[i + 1] : c->line.len;
		/* Drop the ", " arg_next() put before the next argument. */
		if (i + 1 < n && e >= s + 2 && c->line.s[e - 2] == ',' && c->line.s[e - 1] == ' ')
			e -= 2;
		if (i)
			db_putc(&b, ',');
		json_escape(&b, c->line.s + s, e > s ? e - s : 0);
	}
	db_puts(&b, "],\"raw_args\":[");
	const struct ptk_sysent *ent = ptk_sysent_get(c->arch, c->nr);
	int nraw = ent ? ent->nargs : 6;
	for (int i = 0; i < nraw && i < 6; i++)
		db_printf(&b, "%s\"%#llx\"", i ? "," : "", (unsigned long long)c->args[i]);
	db_putc(&b, ']');
	if (sc && sc->op == PTK_SC_EXIT) {
		db_printf(&b, ",\"return\":%lld", (long long)sc->rval);
		if (sc->is_error) {
			const char *en = ptk_errno_name((int)-sc->rval);
			const char *em = ptk_errno_message((int)-sc->rval);
			db_puts(&b, ",\"errno\":");
			if (en)
				jstr(&b, en);
			else
				db_printf(&b, "%lld", (long long)-sc->rval);
			if (em) {
				db_puts(&b, ",\"error\":");
				jstr(&b, em);
			}
		}
		if (t->aux.len) {
			db_puts(&b, ",\"detail\":");
			json_escape(&b, t->aux.s, t->aux.len);
		}
		int64_t d = now_ns(CLOCK_MONOTONIC) - c->mono_enter;
		db_printf(&b, ",\"duration\":%lld.%09lld", (long long)(d / 1000000000),
		          (long long)(d % 1000000000));
	} else {
		db_puts(&b, ",\"return\":null,\"unfinished\":true");
	}
	if (c->tamper & TAMPER_INJECTED)
		db_puts(&b, ",\"injected\":true");
	if (c->tamper & TAMPER_DELAYED)
		db_puts(&b, ",\"delayed\":true");
	if (c->stack.len) {
		/* -k: the frames' lines without their " > " and newline. */
		db_puts(&b, ",\"stack\":[");
		for (size_t i = 0; i < c->stack.len;) {
			const char *ln = c->stack.s + i;
			const char *nl = memchr(ln, '\n', c->stack.len - i);
			size_t len = nl ? (size_t)(nl - ln) : c->stack.len - i;
			size_t skip = len >= 3 && memcmp(ln, " > ", 3) == 0 ? 3 : 0;
			if (i)
				db_putc(&b, ',');
			json_escape(&b, ln + skip, len - skip);
			i += len + 1;
		}
		db_putc(&b, ']');
		db_reset(&c->stack);
	}
	db_putc(&b, '}');
	emit(t, c, &b);
}

void json_signal(struct trace *t, struct tcb *c, const struct ptk_event *ev)
{
	struct dbuf b = {0};
	char sb[32];
	head(&b, "signal", now_ns(CLOCK_REALTIME), c);
	db_puts(&b, ",\"signal\":");
	jstr(&b, sig_name(ev->sig, sb, sizeof sb));
	db_printf(&b, ",\"signo\":%d", ev->sig);
	if (ev->kind == PTK_EV_GROUP_STOP) {
		db_puts(&b, ",\"stopped\":true");
	} else {
		/* The siginfo as the decoders print it: "--- SIGCHLD {...} ---". */
		const char *txt = c->obuf.s ? c->obuf.s : "";
		size_t len = c->obuf.len;
		const char *br = memchr(txt, '{', len);
		if (br && len >= 4 && memcmp(txt + len - 4, " ---", 4) == 0) {
			db_puts(&b, ",\"siginfo\":");
			json_escape(&b, br, (size_t)(txt + len - 4 - br));
		}
	}
	db_putc(&b, '}');
	emit(t, c, &b);
}

void json_exit(struct trace *t, struct tcb *c, const struct ptk_event *ev)
{
	struct dbuf b = {0};
	char sb[32];
	head(&b, ev->kind == PTK_EV_EXITED ? "exit" : "killed", now_ns(CLOCK_REALTIME), c);
	if (ev->kind == PTK_EV_EXITED) {
		db_printf(&b, ",\"exit_code\":%d", ev->exit_code);
	} else {
		db_puts(&b, ",\"signal\":");
		jstr(&b, sig_name(ev->sig, sb, sizeof sb));
		db_printf(&b, ",\"signo\":%d,\"core_dumped\":%s", ev->sig,
		          ev->core_dumped ? "true" : "false");
	}
	db_printf(&b, ",\"process_gone\":%s}", ev->process_gone ? "true" : "false");
	emit(t, c, &b);
}
