/* SPDX-License-Identifier: MIT */
/*
 * Small helpers shared by the pure parts of `ptk debug`: a growable string
 * buffer and a bump arena.  Neither touches a process.
 */
#ifndef PTK_DEBUG_UTIL_H
#define PTK_DEBUG_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A growable NUL-terminated string.  A zeroed struct is an empty buffer.
 * On allocation failure the buffer keeps what it had and sets `oom`.
 */
struct dbg_buf {
	char *s;
	size_t len, cap;
	bool oom;
};

void dbg_buf_free(struct dbg_buf *b);
void dbg_buf_reset(struct dbg_buf *b);
void dbg_buf_putc(struct dbg_buf *b, char c);
void dbg_buf_puts(struct dbg_buf *b, const char *s);
void dbg_buf_putn(struct dbg_buf *b, const char *s, size_t n);
__attribute__((format(printf, 2, 3))) void dbg_buf_printf(struct dbg_buf *b, const char *fmt, ...);
__attribute__((format(printf, 2, 0))) void dbg_buf_vprintf(struct dbg_buf *b, const char *fmt,
                                                           va_list ap);
/* The text so far; never NULL ("" when empty). */
const char *dbg_buf_str(const struct dbg_buf *b);
/* Drop everything from offset `len` on. */
void dbg_buf_truncate(struct dbg_buf *b, size_t len);

/*
 * A bump allocator: many small allocations freed at once.  A zeroed struct
 * is an empty arena.  Allocations are zero-filled; NULL means out of memory.
 */
struct dbg_arena {
	struct dbg_arena_chunk *head;
};

void *dbg_arena_alloc(struct dbg_arena *a, size_t n);
char *dbg_arena_strdup(struct dbg_arena *a, const char *s);
char *dbg_arena_strndup(struct dbg_arena *a, const char *s, size_t n);
void *dbg_arena_memdup(struct dbg_arena *a, const void *p, size_t n);
void dbg_arena_free(struct dbg_arena *a);

/* Edit distance (with adjacent transpositions) between two short strings. */
int dbg_edit_distance(const char *a, const char *b);

#endif
