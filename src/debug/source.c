/* SPDX-License-Identifier: MIT */
/*
 * Source files: read once and kept as lines; gdb's display names (the path
 * as the line table wrote it, not joined with the compilation directory);
 * the source line after a stop ("5\t  int x = 1;", or gdb's "No such file"
 * wording); and `list` with gdb 13's centring rules.
 */
#include "dbg.h"

#include <ptk/dwarf.h>

#include <dwarf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct srcfile {
	char *path; /* the full path libptk gives */
	char *disp; /* gdb's name for it */
	char *text;
	char **lines;
	int nlines;
	bool missing;
	struct srcfile *next;
};

struct srcstate {
	struct srcfile *files;
	/* list's position */
	struct srcfile *cur;
	int first, last; /* the lines printed last time (last == 0: none) */
	int center;      /* a line to center the next list on (0: none) */
	struct srcfile *center_file;
	/* gdb says "No such file" for a missing file, then "in FILE" while
	   the source it shows stays in that file */
	struct srcfile *last_visited;
};

static struct srcstate *state(struct dbg *d)
{
	if (!d->src)
		d->src = calloc(1, sizeof(struct srcstate));
	return d->src;
}

/* Resolve "." and ".." in an absolute or relative path (in place). */
static void normalize(const char *in, char *outp, size_t len)
{
	size_t o = 0;
	bool abs = in[0] == '/';
	const char *s = in;

	if (len == 0)
		return;
	if (abs && o + 1 < len)
		outp[o++] = '/';
	while (*s) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (n == 0 || (n == 1 && s[0] == '.')) {
			/* skip */
		} else if (n == 2 && s[0] == '.' && s[1] == '.' && o > (abs ? 1u : 0u)) {
			size_t k = o;

			while (k > (abs ? 1u : 0u) && outp[k - 1] != '/')
				k--;
			o = k > (abs ? 1u : 0u) ? k - 1 : k;
		} else {
			if (o > (abs ? 1u : 0u) && o + 1 < len)
				outp[o++] = '/';
			if (o + n >= len)
				n = len - o - 1;
			memcpy(outp + o, s, n);
			o += n;
		}
		s += e ? (size_t)(e - s) + 1 : strlen(s);
	}
	outp[o] = '\0';
}

/*
 * gdb names a file as libdw spells it without the compilation directory:
 * "t.c", "../src/t.c", "./nptl/futex-internal.c".  Find the CU's file
 * entry that names `full` (libptk's normalized path).
 */
static char *display_name(struct dbg *d, uint64_t pc, const char *full)
{
	struct ptk_symtab *st = inf_symtab(d);
	struct ptk_dwarf_scopes sc;
	Dwarf_Files *files;
	Dwarf_Attribute at;
	const char *comp = NULL;
	char norm[4096], joined[4096];
	size_t n;
	char *res = NULL;

	if (!st || ptk_dwarf_scopes_at(st, pc, &sc) < 0)
		return NULL;
	if (dwarf_attr(&sc.cu, DW_AT_comp_dir, &at))
		comp = dwarf_formstring(&at);
	if (dwarf_getsrcfiles(&sc.cu, &files, &n) == 0) {
		for (size_t i = 0; i < n && !res; i++) {
			const char *raw = dwarf_filesrc(files, i, NULL, NULL);

			if (!raw)
				continue;
			if (raw[0] != '/' && comp)
				snprintf(joined, sizeof(joined), "%s/%s", comp, raw);
			else
				snprintf(joined, sizeof(joined), "%s", raw);
			normalize(joined, norm, sizeof(norm));
			if (strcmp(norm, full) != 0)
				continue;
			/* An absolute compilation directory is left out; a relative one stays. */
			if (comp && comp[0] == '/' && strncmp(raw, comp, strlen(comp)) == 0 &&
			    raw[strlen(comp)] == '/')
				res = strdup(raw + strlen(comp) + 1);
			else
				res = strdup(raw);
		}
	}
	ptk_dwarf_scopes_free(&sc);
	return res;
}

static struct srcfile *file_get(struct dbg *d, const char *full)
{
	struct srcstate *s = state(d);
	struct srcfile *f;

	if (!s)
		return NULL;
	for (f = s->files; f; f = f->next)
		if (strcmp(f->path, full) == 0)
			return f;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->path = strdup(full);
	f->next = s->files;
	s->files = f;
	return f;
}

static void file_load(struct srcfile *f)
{
	FILE *fp;
	long size;
	int cap = 0;

	if (f->text || f->missing)
		return;
	fp = fopen(f->path, "re");
	if (!fp || fseek(fp, 0, SEEK_END) < 0 || (size = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) < 0) {
		if (fp)
			fclose(fp);
		f->missing = true;
		return;
	}
	f->text = malloc((size_t)size + 1);
	if (!f->text || fread(f->text, 1, (size_t)size, fp) != (size_t)size) {
		free(f->text);
		f->text = NULL;
		f->missing = true;
		fclose(fp);
		return;
	}
	fclose(fp);
	f->text[size] = '\0';
	for (char *p = f->text; *p;) {
		char *nl = strchr(p, '\n');

		if (f->nlines == cap) {
			cap = cap ? cap * 2 : 256;
			char **nlines = realloc(f->lines, (size_t)cap * sizeof(*nlines));

			if (!nlines)
				break;
			f->lines = nlines;
		}
		f->lines[f->nlines++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
}

void file_display(struct dbg *d, uint64_t pc, const char *full, char *buf, size_t len)
{
	struct srcfile *f = file_get(d, full);

	if (f && !f->disp)
		f->disp = display_name(d, pc, full);
	snprintf(buf, len, "%s", f && f->disp ? f->disp : full);
}

static void print_range(struct dbg *d, struct srcfile *f, int first, int last)
{
	struct srcstate *s = state(d);

	for (int i = first; i <= last && i <= f->nlines && f->lines; i++)
		dout(d, "%d\t%s\n", i, f->lines[i - 1]);
	s->last_visited = f;
	s->cur = f;
	s->first = first;
	s->last = last < f->nlines ? last : f->nlines;
	s->center = 0;
}

int src_print_line(struct dbg *d, const char *full, int line, uint64_t pc, bool with_addr,
                   uint64_t addr)
{
	struct srcstate *s = state(d);
	struct srcfile *f = file_get(d, full);
	char pre[32] = "";

	if (!f || !s)
		return -1;
	if (!f->disp)
		f->disp = display_name(d, pc, full);
	if (with_addr)
		snprintf(pre, sizeof(pre), "0x%016llx\t", (unsigned long long)addr);
	file_load(f);
	if (f->missing) {
		if (s->last_visited != f) {
			/* gdb says this one on stderr (the later "in FILE" lines on stdout) */
			dout_flush(d);
			fprintf(stderr, "%s%d\t%s: No such file or directory.\n", pre, line,
			        f->disp ? f->disp : full);
			fflush(stderr);
		} else {
			dout(d, "%s%d\tin %s\n", pre, line, f->disp ? f->disp : full);
		}
	} else if (line >= 1 && line <= f->nlines) {
		dout(d, "%s%d\t%s\n", pre, line, f->lines[line - 1]);
	} else {
		dout(d, "Line number %d out of range; \"%s\" has %d lines.\n", line,
		     f->disp ? f->disp : full, f->nlines);
	}
	s->last_visited = f;
	/* The next `list` centers on this line. */
	s->cur = f;
	s->center = line;
	s->center_file = f;
	s->last = 0;
	return 0;
}

void src_set_default(struct dbg *d, const char *full, int line)
{
	struct srcstate *s = state(d);
	struct srcfile *f = file_get(d, full);

	if (!s || !f)
		return;
	s->cur = f;
	s->center = line;
	s->center_file = f;
	s->last = 0;
}

/* The file and line a location names for list: 0, or -1 with the error given. */
static int list_loc(struct dbg *d, const struct dbg_location *loc, struct srcfile **ret_f,
                    int *ret_line, bool *ret_func)
{
	struct srcstate *s = state(d);
	struct resolved r[4];
	struct ptk_symtab *st;
	struct ptk_line l;
	int n;

	*ret_func = false;
	if (loc->kind == DBG_LOC_LINE && s->cur) {
		*ret_f = s->cur;
		*ret_line = (int)loc->line;
		return 0;
	}
	n = loc_resolve(d, loc, r, 4);
	if (n < 0)
		return -1;
	if (n == 0 || !r[0].file)
		return derr(d, "No line number known for %s.",
		            loc->function ? loc->function : "it");
	st = inf_symtab(d);
	if (loc->kind == DBG_LOC_FUNCTION || loc->kind == DBG_LOC_FILE_FUNCTION) {
		struct ptk_func fn;

		*ret_func = true;
		/* Centre on the line of the function's entry, not past its prologue. */
		if (st && ptk_func_at(st, r[0].addr, &fn) == 0 &&
		    ptk_line_at(st, fn.entry, &l) == 0) {
			*ret_f = file_get(d, l.file);
			*ret_line = l.line;
			if (*ret_f && !(*ret_f)->disp)
				(*ret_f)->disp = display_name(d, fn.entry, l.file);
			return *ret_f ? 0 : -1;
		}
	}
	*ret_f = file_get(d, r[0].file);
	if (*ret_f && !(*ret_f)->disp)
		(*ret_f)->disp = display_name(d, r[0].addr, r[0].file);
	*ret_line = loc->kind == DBG_LOC_LINE || loc->kind == DBG_LOC_FILE_LINE ? (int)loc->line
	                                                                        : r[0].line;
	return *ret_f ? 0 : -1;
}

static int list_centered(struct dbg *d, struct srcfile *f, int line)
{
	int first = line - 5;

	file_load(f);
	if (f->missing)
		return derr(d, "%d\tin %s", line, f->disp ? f->disp : f->path);
	if (first > f->nlines)
		return derr(d, "Line number %d out of range; \"%s\" has %d lines.", first,
		            f->disp ? f->disp : f->path, f->nlines);
	if (first < 1)
		first = 1;
	print_range(d, f, first, first + 9);
	return 0;
}

/* No default yet: around main, as gdb starts. */
static int list_default(struct dbg *d)
{
	struct dbg_location loc = {.kind = DBG_LOC_FUNCTION, .function = "main"};
	struct srcfile *f;
	int line;
	bool fn;

	if (list_loc(d, &loc, &f, &line, &fn) < 0)
		return -1;
	file_load(f);
	line = line - 9 < 1 ? 1 : line - 9;
	print_range(d, f, line, line + 9);
	return 0;
}

int cmd_list(struct dbg *d, const struct dbg_cmd *c)
{
	struct srcstate *s = state(d);
	struct srcfile *f;
	int line, line2;
	bool fn;

	if (!s)
		return derr(d, "out of memory");
	if (c->loc.kind == DBG_LOC_OFFSET) {
		if (!s->cur)
			return list_default(d);
		if (c->loc.offset < 0) {
			int last = (s->last ? s->first : (s->center ? s->center - 5 : 1)) - 1;
			int first = last - 9 < 1 ? 1 : last - 9;

			if (last < 1)
				return derr(d, "Already at the start of %s.",
				            s->cur->disp ? s->cur->disp : s->cur->path);
			print_range(d, s->cur, first, last);
			return 0;
		}
	}
	if (c->loc.kind == DBG_LOC_NONE && !c->has_comma) {
		if (!s->cur)
			return list_default(d);
		file_load(s->cur);
		if (s->center && !s->last)
			return list_centered(d, s->cur, s->center);
		if (s->last >= s->cur->nlines)
			return derr(d, "Line number %d out of range; \"%s\" has %d lines.",
			            s->last + 1, s->cur->disp ? s->cur->disp : s->cur->path,
			            s->cur->nlines);
		print_range(d, s->cur, s->last + 1, s->last + 10);
		return 0;
	}
	if (c->loc.kind == DBG_LOC_OFFSET) {
		if (s->last >= s->cur->nlines)
			return derr(d, "Line number %d out of range; \"%s\" has %d lines.",
			            s->last + 1, s->cur->disp ? s->cur->disp : s->cur->path,
			            s->cur->nlines);
		print_range(d, s->cur, s->last + 1, s->last + 10);
		return 0;
	}
	if (c->has_comma) {
		if (c->loc.kind == DBG_LOC_NONE) {
			/* ",LAST": ten lines ending at LAST */
			if (list_loc(d, &c->loc2, &f, &line2, &fn) < 0)
				return -1;
			file_load(f);
			print_range(d, f, line2 - 9 < 1 ? 1 : line2 - 9, line2);
			return 0;
		}
		if (list_loc(d, &c->loc, &f, &line, &fn) < 0)
			return -1;
		file_load(f);
		if (c->loc2.kind == DBG_LOC_NONE) {
			print_range(d, f, line, line + 9);
			return 0;
		}
		if (list_loc(d, &c->loc2, &f, &line2, &fn) < 0)
			return -1;
		print_range(d, f, line, line2);
		return 0;
	}
	if (list_loc(d, &c->loc, &f, &line, &fn) < 0)
		return -1;
	return list_centered(d, f, line);
}

void src_free(struct dbg *d)
{
	struct srcstate *s = d->src;

	if (!s)
		return;
	while (s->files) {
		struct srcfile *f = s->files;

		s->files = f->next;
		free(f->path);
		free(f->disp);
		free(f->text);
		free(f->lines);
		free(f);
	}
	free(s);
	d->src = NULL;
}

bool src_default(struct dbg *d, const char **ret_file, int *ret_line)
{
	struct srcstate *s = state(d);

	if (!s || !s->cur)
		return false;
	*ret_file = s->cur->path;
	*ret_line = s->center ? s->center : (s->last ? s->last : 1);
	return true;
}
