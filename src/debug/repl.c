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

extern int dbg_wake_fd[2];

static struct dbg *the_dbg;
static bool quit_line;

static char *prompt(EditLine *el)
{
	(void)el;
	return (char *)"(ptk) ";
}

static int read_char(EditLine *el, wchar_t *c)
{
	struct dbg *d = the_dbg;
	unsigned char buf[8];
	mbstate_t st;
	size_t n = 0;

	(void)el;
	memset(&st, 0, sizeof(st));
	for (;;) {
		struct pollfd p[2] = {{STDIN_FILENO, POLLIN, 0}, {dbg_wake_fd[0], POLLIN, 0}};
		int r = poll(p, dbg_wake_fd[0] >= 0 ? 2 : 1, -1);

		if (*d->terminate)
			return -1;
		if (r < 0 && errno == EINTR) {
			if (*d->interrupted) {
				*d->interrupted = 0;
				quit_line = true;
				return -1;
			}
			continue;
		}
		if (r > 0 && (p[1].revents & POLLIN)) {
			char tmp[16];

			if (read(dbg_wake_fd[0], tmp, sizeof(tmp)) < 0) {
				/* drained or nothing: the flags tell */
			}
			if (*d->terminate)
				return -1;
			if (*d->interrupted) {
				*d->interrupted = 0;
				quit_line = true;
				return -1;
			}
			continue;
		}
		if (r > 0 && (p[0].revents & (POLLIN | POLLHUP))) {
			ssize_t k = read(STDIN_FILENO, buf + n, 1);

			if (k == 0)
				return 0;
			if (k < 0) {
				if (errno == EINTR)
					continue;
				return -1;
			}
			n++;
			{
				wchar_t w;
				size_t m = mbrtowc(&w, (const char *)buf, n, &st);

				if (m == (size_t)-2 && n < sizeof(buf))
					continue;
				if (m == (size_t)-1 || m == (size_t)-2)
					w = buf[0];
				*c = w;
				return 1;
			}
		}
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

/* Function and global variable names and source files of the executable's DWARF. */
static void complete_program(struct dbg *d, const char *word, struct cands *c, bool files)
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

		if (!dwarf_offdie(dw, off + hs, &cu))
			break;
		off = next;
		if (files) {
			const char *name = dwarf_diename(&cu);
			const char *base = name ? strrchr(name, '/') : NULL;

			base = base ? base + 1 : name;
			if (base && strncmp(base, word, n) == 0)
				cand_add(c, base, strlen(base));
		}
		if (dwarf_child(&cu, &child) != 0)
			continue;
		do {
			int tag = dwarf_tag(&child);
			const char *name;

			if (tag != DW_TAG_subprogram && tag != DW_TAG_variable)
				continue;
			name = dwarf_diename(&child);
			if (name && strncmp(name, word, n) == 0)
				cand_add(c, name, strlen(name));
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
	if (nwords == 0) {
		complete_table(&dbg_cmd_top, word, &c);
	} else if (nwords == 1 && (strcmp(first, "info") == 0 || strcmp(first, "i") == 0)) {
		complete_table(&dbg_cmd_info, word, &c);
	} else if (nwords == 1 && strcmp(first, "catch") == 0) {
		complete_table(&dbg_cmd_catch, word, &c);
	} else if (strchr(word, '/') || strcmp(first, "run") == 0 || strcmp(first, "r") == 0) {
		complete_path(word, &c);
	} else {
		complete_program(d, word, &c, true);
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
		         c.n == 1 && c.v[0][strlen(c.v[0]) - 1] != '/' ? " " : "");
		el_insertstr(el, ins);
		cands_free(&c);
		return CC_REFRESH;
	}
	if (c.n > 1) {
		fputc('\n', stdout);
		for (size_t i = 0; i < c.n && i < 200; i++)
			printf("%s%s", c.v[i], i + 1 < c.n ? "  " : "\n");
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
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	for (;;) {
		dout(d, "(ptk) ");
		dout_flush(d);
		n = getline(&line, &cap, stdin);
		if (n < 0 || *d->terminate)
			break;
		if (n > 0 && line[n - 1] == '\n')
			line[n - 1] = '\0';
		exec_line(d, line, true);
		if (d->quit || *d->terminate)
			break;
	}
	free(line);
	if (n < 0 && !d->quit)
		dout(d, "quit\n");
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
		char junk[64];

		quit_line = false;
		/* Wake-ups of a Ctrl-C that already stopped the program are old news. */
		if (dbg_wake_fd[0] >= 0 && !*d->interrupted && !*d->terminate) {
			struct pollfd p = {dbg_wake_fd[0], POLLIN, 0};

			while (poll(&p, 1, 0) > 0 && read(dbg_wake_fd[0], junk, sizeof(junk)) > 0)
				;
		}
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
