/* SPDX-License-Identifier: MIT */
/* The command tables behind cmd.c (internal to the command parser). */
#ifndef PTK_DEBUG_CMD_TABLE_H
#define PTK_DEBUG_CMD_TABLE_H

#include "cmd.h"

struct cmd_parser;
struct cmd_table;

struct cmd_entry {
	const char *name;
	const char *aliases; /* space-separated names that win over prefix matching */
	enum dbg_cmd_kind kind;
	/* Parse the argument text (trimmed) into cmd; 0 or -EINVAL with the error set. */
	int (*parse)(struct cmd_parser *p, const char *args);
	const struct cmd_table *sub; /* prefix commands (info, catch): their subcommands */
	const char *help;
	bool takes_fmt; /* accepts /FMT right after the name */
};

struct cmd_table {
	const char *prefix; /* "" for the top level, "info ", "catch " */
	const struct cmd_entry *entries;
	size_t n;
};

struct cmd_parser {
	struct dbg_cmd *cmd;
	char *err;
	size_t errlen;
	const struct cmd_entry *entry;
};

extern const struct cmd_table dbg_cmd_top, dbg_cmd_info, dbg_cmd_catch;

/* Helpers for the argument parsers (cmd.c). */
__attribute__((format(printf, 2, 3))) int cmdp_error(struct cmd_parser *p, const char *fmt, ...);
const char *cmdp_strndup(struct cmd_parser *p, const char *s, size_t n);
/* Split args into whitespace-separated words into cmd->args. */
int cmdp_words(struct cmd_parser *p, const char *args);
/* Parse a whole word as a number (decimal, 0x hex, 0 octal); false if it is not one. */
bool cmdp_number(const char *s, size_t n, long *ret);
/* "1 3-5 7" into cmd->ranges. */
int cmdp_ranges(struct cmd_parser *p, const char *args);
#endif
