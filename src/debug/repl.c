/* SPDX-License-Identifier: MIT */
/*
 * The interactive prompt "(ptk) " on libedit: emacs keys, history, and
 * Tab completion of command names (and `info`/`catch` subcommands),
 * function and variable names of the program, source file names, and
 * paths.  Input is read through a function that also watches a pipe the
 * signal handlers write to, so SIGTERM and SIGHUP end the session at the
 * prompt and Ctrl-C abandons the line being typed ("Quit", as gdb).
 * Without a terminal, lines are read plainly from stdin.
 */
#include "cmd_table.h"
#include "dbg.h"

#include <ptk/dwarf.h>

#include <dirent.h>
#include <dwarf.h>
#include <errno.h>
#include <histedit.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

static struct dbg *the_dbg;
static bool quit_line;

/* Bytes of stdin read but not used yet (input_line reads blocks from a pipe). */
static char *pend;
static size_t npend, cappend;

static char *prompt(EditLine *el)
{
	(void)el;
	return (char *)"(ptk) ";
}

/*
 * Wait until stdin has input (or its end).  -EINTR when SIGINT, SIGTERM or
 * SIGHUP came first, whether before the call or during it: the flags are
 * checked before sleeping and the handlers' wake-up pipe is polled with
 * stdin.
 */
static int wait_input(struct dbg *d)
{
	for (;;) {
		struct pollfd p[2] = {{STDIN_FILENO, POLLIN, 0}, {dsig_wake_fd(), POLLIN, 0}};
		/*
		 * A detached thread that could not stop (a vfork parent in D
		 * state) is let go at its next stop, which ptk_wait() collects:
		 * wake up for SIGCHLD and collect it now, not at the next run.
		 */
		bool chld = d->s && ptk_detach_pending(d->s);
		int r;

		if (chld) {
			struct ptk_event ev;

			while (ptk_wait(d->s, &ev, PTK_WAIT_NOHANG) == 0)
				run_absorb(d, &ev);
		}
		if (*d->terminate || *d->interrupted)
			return -EINTR;
		r = ppoll(p, p[1].fd >= 0 ? 2 : 1, NULL, chld ? dsig_chld_mask() : NULL);
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r > 0 && (p[1].revents & POLLIN))
			dsig_drain(); /* the flags say what it was */
		else if (r > 0 && p[0].revents)
			return 1;
	}
}

/* libedit reads one character at a time through this. */
static int read_char(EditLine *el, wchar_t *c)
{
	struct dbg *d = the_dbg;
	unsigned char buf[8];
	mbstate_t st;
	size_t n = 0;

	(void)el;
	memset(&st, 0, sizeof(st));
	for (;;) {
		ssize_t k;
		wchar_t w;
		size_t m;

		if (npend) {
			buf[n] = (unsigned char)pend[0];
			memmove(pend, pend + 1, --npend);
			k = 1;
		} else {
			int r = wait_input(d);

			if (r < 0) {
				if (!*d->terminate && *d->interrupted) {
					/* Ctrl-C at the prompt: the line is abandoned ("Quit") */
					*d->interrupted = 0;
					quit_line = true;
				}
				return -1;
			}
			k = read(STDIN_FILENO, buf + n, 1);
			if (k == 0)
				return 0;
			if (k < 0) {
				if (errno == EINTR || errno == EAGAIN)
					continue;
				return -1;
			}
		}
		n++;
		m = mbrtowc(&w, (const char *)buf, n, &st);
		if (m == (size_t)-2 && n < sizeof(buf))
			continue;
		if (m == (size_t)-1 || m == (size_t)-2)
			w = buf[0];
		*c = w;
		return 1;
	}
}

int input_line(struct dbg *d, char **ret)
{
	static char *line;
	static size_t capline;
	static bool at_eof;

	for (;;) {
		char *nl = npend ? memchr(pend, '\n', npend) : NULL;
		size_t len;
		ssize_t k;
		int r;

		if (nl || (at_eof && npend)) {
			len = nl ? (size_t)(nl - pend) : npend;
			if (len + 1 > capline) {
				char *nb = realloc(line, len + 1);

				if (!nb)
					return 0;
				line = nb;
				capline = len + 1;
			}
			memcpy(line, pend, len);
			line[len] = '\0';
			len += nl ? 1 : 0;
			memmove(pend, pend + len, npend - len);
			npend -= len;
			*ret = line;
			return 1;
		}
		if (at_eof)
			return 0;
		r = wait_input(d);
		if (r == -EINTR)
			return r;
		if (r < 0)
			return 0;
		if (cappend - npend < 4096) {
			char *nb = realloc(pend, cappend + 4096);

			if (!nb)
				return 0;
			pend = nb;
			cappend += 4096;
		}
		k = read(STDIN_FILENO, pend + npend, cappend - npend);
		if (k < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (k <= 0)
			at_eof = true;
		else
			npend += (size_t)k;
	}
}

/* ---- completion ---- */

struct cands {
	char **v;
	size_t n, cap;
};

static void cand_add(struct cands *c, const char *s, size_t len)
{
	for (size_t i = 0; i < c->n; i++)
		if (strlen(c->v[i]) == len && strncmp(c->v[i], s, len) == 0)
			return;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		char **nv = realloc(c->v, cap * sizeof(*nv));

		if (!nv)
			return;
		c->v = nv;
		c->cap = cap;
	}
	c->v[c->n] = strndup(s, len);
	if (c->v[c->n])
		c->n++;
}

static void cands_free(struct cands *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i]);
	free(c->v);
}

static void complete_table(const struct cmd_table *t, const char *word, struct cands *c)
{
	size_t n = strlen(word);

	for (size_t i = 0; i < t->n; i++) {
		const char *name = t->entries[i].name;

		if (strncmp(name, word, n) == 0)
			cand_add(c, name, strlen(name));
	}
}

enum { CP_FILES = 1, CP_FUNCS = 2, CP_VARS = 4 };

/* Is a compilation unit named name the file FILE of a linespec (its base name or a path tail)? */
static bool cu_is(const char *name, const char *file, size_t flen)
{
	size_t n = strlen(name);

	if (n < flen || strncmp(name + n - flen, file, flen) != 0)
		return false;
	return n == flen || name[n - flen - 1] == '/';
}

/*
 * Names in the executable's DWARF that begin with word: source files (as
 * "FILE:", gdb's linespec completion goes on with a function), functions,
 * global variables.  With file, the functions defined in that source file,
 * as "FILE:function".
 */
static void complete_program(struct dbg *d, const char *word, struct cands *c, unsigned what,
                             const char *file, size_t flen)
{
	struct ptk_symtab *st;
	Dwarf *dw;
	Dwarf_Addr bias;
	Dwarf_Off off = 0, next;
	size_t hs, n = strlen(word);

	if (inf_ensure_loaded(d) < 0 || !(st = inf_symtab(d)) ||
	    ptk_dwarf_module(st, 0, &dw, &bias) < 0)
		return;
	while (dwarf_nextcu(dw, off, &next, &hs, NULL, NULL, NULL) == 0 && c->n < 4096) {
		Dwarf_Die cu, child;
		const char *cuname;

		if (!dwarf_offdie(dw, off + hs, &cu))
			break;
		off = next;
		cuname = dwarf_diename(&cu);
		if (file && (!cuname || !cu_is(cuname, file, flen)))
			continue;
		if (what & CP_FILES) {
			const char *base = cuname ? strrchr(cuname, '/') : NULL;
			char fc[512];

			base = base ? base + 1 : cuname;
			if (base && strncmp(base, word, n) == 0) {
				snprintf(fc, sizeof(fc), "%s:", base);
				cand_add(c, fc, strlen(fc));
			}
		}
		if (dwarf_child(&cu, &child) != 0)
			continue;
		do {
			int tag = dwarf_tag(&child);
			const char *name;
			bool decl;

			if (!(tag == DW_TAG_subprogram && (what & CP_FUNCS)) &&
			    !(tag == DW_TAG_variable && (what & CP_VARS)))
				continue;
			name = dwarf_diename(&child);
			if (!name || strncmp(name, word, n) != 0)
				continue;
			decl = dwarf_hasattr(&child, DW_AT_declaration);
			if (file && !decl) {
				char fc[768];

				snprintf(fc, sizeof(fc), "%.*s:%s", (int)flen, file, name);
				cand_add(c, fc, strlen(fc));
			} else if (!file) {
				cand_add(c, name, strlen(name));
			}
		} while (dwarf_siblingof(&child, &child) == 0);
	}
}

static void complete_path(const char *word, struct cands *c)
{
	const char *slash = strrchr(word, '/');
	char dir[4096];
	const char *base = slash ? slash + 1 : word;
	size_t bl = strlen(base);
	DIR *dp;
	struct dirent *de;

	if (slash)
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - word + 1), word);
	else
		snprintf(dir, sizeof(dir), "./");
	dp = opendir(dir);
	if (!dp)
		return;
	while ((de = readdir(dp)) != NULL) {
		char full[8192];

		if (de->d_name[0] == '.' && base[0] != '.')
			continue;
		if (strncmp(de->d_name, base, bl) != 0)
			continue;
		snprintf(full, sizeof(full), "%s%s%s", slash ? dir : "", de->d_name,
		         de->d_type == DT_DIR ? "/" : "");
		cand_add(c, full, strlen(full));
	}
	closedir(dp);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static unsigned char complete(EditLine *el, int ch)
{
	struct dbg *d = the_dbg;
	const LineInfo *li = el_line(el);
	char line[1024], *word;
	struct cands c = {0};
	size_t len = (size_t)(li->cursor - li->buffer), common;
	int nwords = 0;
	char first[64] = "";
	enum dbg_cmd_kind kind;
	bool linespec;
	const char *colon;

	(void)ch;
	if (len >= sizeof(line))
		return CC_ERROR;
	memcpy(line, li->buffer, len);
	line[len] = '\0';
	word = line + len;
	while (word > line && word[-1] != ' ' && word[-1] != '\t' && word[-1] != '*')
		word--;
	for (char *p = line; p < word;) {
		while (p < word && (*p == ' ' || *p == '\t'))
			p++;
		if (p >= word)
			break;
		if (nwords == 0)
			snprintf(first, sizeof(first), "%.*s", (int)strcspn(p, " \t"), p);
		nwords++;
		p += strcspn(p, " \t");
	}
	kind = nwords ? dbg_cmd_lookup(first) : DBG_CMD_NONE;
	linespec = kind == DBG_CMD_BREAK || kind == DBG_CMD_TBREAK || kind == DBG_CMD_LIST ||
	           kind == DBG_CMD_UNTIL || kind == DBG_CMD_ADVANCE;
	colon = linespec ? strchr(word, ':') : NULL;
	if (nwords == 0) {
		complete_table(&dbg_cmd_top, word, &c);
	} else if (nwords == 1 && (strcmp(first, "info") == 0 || strcmp(first, "i") == 0)) {
		complete_table(&dbg_cmd_info, word, &c);
	} else if (nwords == 1 && strcmp(first, "catch") == 0) {
		complete_table(&dbg_cmd_catch, word, &c);
	} else if (colon) {
		/* break FILE:FUNCTION */
		complete_program(d, colon + 1, &c, CP_FUNCS, word, (size_t)(colon - word));
	} else if (strchr(word, '/') || kind == DBG_CMD_FILE || kind == DBG_CMD_SOURCE ||
	           kind == DBG_CMD_RUN || kind == DBG_CMD_START || kind == DBG_CMD_STARTI) {
		complete_path(word, &c);
	} else if (linespec) {
		complete_program(d, word, &c, CP_FILES | CP_FUNCS, NULL, 0);
	} else {
		complete_program(d, word, &c, CP_FUNCS | CP_VARS, NULL, 0);
	}
	if (c.n == 0) {
		cands_free(&c);
		return CC_ERROR;
	}
	qsort(c.v, c.n, sizeof(*c.v), cmp_str);
	common = strlen(c.v[0]);
	for (size_t i = 1; i < c.n; i++) {
		size_t k = 0;

		while (k < common && c.v[i][k] == c.v[0][k])
			k++;
		common = k;
	}
	if (common > strlen(word)) {
		char ins[1024];

		snprintf(ins, sizeof(ins), "%.*s%s", (int)(common - strlen(word)),
		         c.v[0] + strlen(word),
		         c.n == 1 && !strchr("/:", c.v[0][strlen(c.v[0]) - 1]) ? " " : "");
		el_insertstr(el, ins);
		cands_free(&c);
		return CC_REFRESH;
	}
	if (c.n > 1) {
		fputc('\n', stdout);
		for (size_t i = 0; i < c.n && i < 200; i++) {
			/* as gdb lists them: functions without "FILE:", files without ':' */
			const char *v = c.v[i] + (colon ? colon - word + 1 : 0);
			size_t vl = strlen(v);

			if (vl && v[vl - 1] == ':')
				vl--;
			printf("%.*s%s", (int)vl, v, i + 1 < c.n ? "  " : "\n");
		}
		if (c.n > 200)
			printf("... (%zu more)\n", c.n - 200);
		fflush(stdout);
		cands_free(&c);
		return CC_REDISPLAY;
	}
	cands_free(&c);
	return CC_ERROR;
}

/* ---- the loop ---- */

static int plain_loop(struct dbg *d)
{
	char *line;
	int n;

	for (;;) {
		dout(d, "(ptk) ");
		dout_flush(d);
		n = input_line(d, &line);
		if (*d->terminate || n == 0)
			break;
		if (n < 0) {
			/* SIGINT at the prompt: gdb says "Quit" and prompts again */
			*d->interrupted = 0;
			dout(d, "Quit\n");
			continue;
		}
		exec_line(d, line, true);
		if (d->quit || *d->terminate)
			break;
	}
	return 0;
}

int repl_run(struct dbg *d)
{
	EditLine *el;
	History *h;
	HistEvent ev;
	const char *line;
	int count;

	the_dbg = d;
	if (!isatty(STDIN_FILENO))
		return plain_loop(d);
	el = el_init("ptk", stdin, stdout, stderr);
	h = history_init();
	if (!el || !h) {
		if (el)
			el_end(el);
		if (h)
			history_end(h);
		return plain_loop(d);
	}
	history(h, &ev, H_SETSIZE, 1000);
	history(h, &ev, H_SETUNIQUE, 1);
	el_set(el, EL_EDITOR, "emacs");
	el_set(el, EL_PROMPT, prompt);
	el_set(el, EL_HIST, history, h);
	el_set(el, EL_GETCFN, read_char);
	el_set(el, EL_ADDFN, "ptk-complete", "Complete a command, symbol or file name", complete);
	el_set(el, EL_BIND, "^I", "ptk-complete", NULL);
	el_source(el, NULL);
	for (;;) {
		quit_line = false;
		line = el_gets(el, &count);
		if (*d->terminate)
			break;
		if (!line) {
			if (quit_line) {
				dout(d, "Quit\n");
				el_reset(el);
				continue;
			}
			dout(d, "quit\n");
			break;
		}
		if (count > 0 && line[strspn(line, " \t\n")])
			history(h, &ev, H_ENTER, line);
		{
			char *copy = strdup(line);

			if (!copy)
				break;
			copy[strcspn(copy, "\n")] = '\0';
			exec_line(d, copy, true);
			free(copy);
		}
		if (d->quit || *d->terminate)
			break;
	}
	history_end(h);
	el_end(el);
	return 0;
}
