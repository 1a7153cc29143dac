/* SPDX-License-Identifier: MIT */
/*
 * Values of ptk trace's options that are words: -S's sort keys, -U's
 * columns, --absolute-timestamps' format and precision.  Pure code.
 */
#include "trace.h"

#include <string.h>

int opts_sort_key(const char *v)
{
	static const struct {
		const char *name;
		int key;
	} keys[] = {
	        {"time", SORT_TIME},         {"time-percent", SORT_TIME}, {"time-total", SORT_TIME},
	        {"total-time", SORT_TIME},   {"min-time", SORT_MIN},      {"shortest", SORT_MIN},
	        {"time-min", SORT_MIN},      {"max-time", SORT_MAX},      {"longest", SORT_MAX},
	        {"time-max", SORT_MAX},      {"avg-time", SORT_AVG},      {"time-avg", SORT_AVG},
	        {"calls", SORT_CALLS},       {"count", SORT_CALLS},       {"errors", SORT_ERRORS},
	        {"error", SORT_ERRORS},      {"name", SORT_NAME},         {"syscall", SORT_NAME},
	        {"syscall-name", SORT_NAME}, {"nothing", SORT_NONE},      {"none", SORT_NONE},
	};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (strcmp(keys[i].name, v) == 0)
			return keys[i].key;
	return -1;
}

static int opts_column_key(const char *v)
{
	static const struct {
		const char *name;
		int key;
	} keys[] = {
	        {"time-percent", COL_PERCENT}, {"time", COL_PERCENT}, {"total-time", COL_TOTAL},
	        {"time-total", COL_TOTAL},     {"min-time", COL_MIN}, {"shortest", COL_MIN},
	        {"time-min", COL_MIN},         {"max-time", COL_MAX}, {"longest", COL_MAX},
	        {"time-max", COL_MAX},         {"avg-time", COL_AVG}, {"time-avg", COL_AVG},
	        {"calls", COL_CALLS},          {"count", COL_CALLS},  {"errors", COL_ERRORS},
	        {"error", COL_ERRORS},         {"name", COL_NAME},    {"syscall", COL_NAME},
	        {"syscall-name", COL_NAME},
	};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (strcmp(keys[i].name, v) == 0)
			return keys[i].key;
	return -1;
}

int opts_parse_columns(struct trace_opts *o, const char *val, char *err, size_t errlen)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", val);
	o->ncolumns = 0;
	bool name = false;
	char *save = NULL;
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int k = opts_column_key(tok);
		if (k < 0) {
			snprintf(err, errlen, "unknown column name '%s' in -U %s", tok, val);
			return -1;
		}
		if (o->ncolumns == MAX_COLUMNS) {
			snprintf(err, errlen, "too many columns in -U %s", val);
			return -1;
		}
		o->columns[o->ncolumns++] = k;
		name |= k == COL_NAME;
	}
	if (!o->ncolumns) {
		snprintf(err, errlen, "-U needs a list of columns");
		return -1;
	}
	if (!name && o->ncolumns < MAX_COLUMNS)
		o->columns[o->ncolumns++] = COL_NAME;
	return 0;
}

/* --absolute-timestamps=[[format:]FORMAT][,[precision:]PRECISION] */
int opts_parse_tstamp(struct trace_opts *o, const char *val, char *err, size_t errlen)
{
	char buf[128];
	snprintf(buf, sizeof buf, "%s", val);
	int fmt = 1, prec = 0;
	char *save = NULL;
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const char *v = tok;
		bool want_fmt = true, want_prec = true;
		if (strncmp(v, "format:", 7) == 0)
			v += 7, want_prec = false;
		else if (strncmp(v, "precision:", 10) == 0)
			v += 10, want_fmt = false;
		int p = expr_precision(v);
		if (want_fmt && strcmp(v, "none") == 0)
			fmt = 0;
		else if (want_fmt && strcmp(v, "time") == 0)
			fmt = 1;
		else if (want_fmt && strcmp(v, "unix") == 0)
			fmt = 2;
		else if (want_prec && p >= 0)
			prec = p;
		else {
			snprintf(err, errlen, "invalid --absolute-timestamps argument '%s'", tok);
			return -1;
		}
	}
	o->tflag = fmt;
	o->tprec = prec;
	return 0;
}
