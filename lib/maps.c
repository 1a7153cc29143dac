/* SPDX-License-Identifier: MIT */
/*
 * /proc/PID/maps: "start-end perms offset major:minor inode   path".
 * The parser is pure (fuzzed in fuzz/); the path is everything after the
 * inode and its padding, spaces included.
 */
#include "internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool hexnum(const char **p, const char *end, uint64_t *ret)
{
	uint64_t v = 0;
	const char *s = *p;
	int n = 0;
	for (; s < end; s++, n++) {
		int d;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		if (n >= 16)
			return false;
		v = v << 4 | (uint64_t)d;
	}
	if (!n)
		return false;
	*p = s;
	*ret = v;
	return true;
}

static bool decnum(const char **p, const char *end, uint64_t *ret)
{
	uint64_t v = 0;
	const char *s = *p;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (s == *p)
		return false;
	*p = s;
	*ret = v;
	return true;
}

static bool lit(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return false;
	(*p)++;
	return true;
}

/* Parse one line [s, end); the path is returned as [*path, end). */
static bool parse_line(const char *s, const char *end, struct ptk_map *m, const char **path)
{
	uint64_t maj, min;
	if (!hexnum(&s, end, &m->start) || !lit(&s, end, '-') || !hexnum(&s, end, &m->end) ||
	    !lit(&s, end, ' ') || end - s < 5)
		return false;
	m->prot = 0;
	if (s[0] == 'r')
		m->prot |= PTK_PROT_R;
	else if (s[0] != '-')
		return false;
	if (s[1] == 'w')
		m->prot |= PTK_PROT_W;
	else if (s[1] != '-')
		return false;
	if (s[2] == 'x')
		m->prot |= PTK_PROT_X;
	else if (s[2] != '-')
		return false;
	if (s[3] == 's')
		m->prot |= PTK_MAP_SHARED;
	else if (s[3] != 'p')
		return false;
	s += 4;
	if (!lit(&s, end, ' ') || !hexnum(&s, end, &m->offset) || !lit(&s, end, ' ') ||
	    !hexnum(&s, end, &maj) || !lit(&s, end, ':') || !hexnum(&s, end, &min) ||
	    !lit(&s, end, ' ') || !decnum(&s, end, &m->inode))
		return false;
	if (m->end < m->start || maj > 0xffffffffu || min > 0xffffffffu)
		return false;
	m->dev_major = (unsigned)maj;
	m->dev_minor = (unsigned)min;
	while (s < end && *s == ' ')
		s++;
	*path = s;
	return true;
}

int ptk_maps_parse(const char *text, size_t len, struct ptk_maps *ret, size_t *ret_bad)
{
	size_t lines = 0, bad = 0;
	memset(ret, 0, sizeof *ret);
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	lines++;
	ret->v = calloc(lines, sizeof *ret->v);
	ret->strings = malloc(len + lines + 1);
	if (!ret->v || !ret->strings) {
		ptk_maps_free(ret);
		return -ENOMEM;
	}
	size_t sp = 0;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		if (le > p) {
			struct ptk_map m = {0};
			const char *path;
			if (parse_line(p, le, &m, &path)) {
				size_t pl = (size_t)(le - path);
				memcpy(ret->strings + sp, path, pl);
				ret->strings[sp + pl] = 0;
				m.path = (const char *)(uintptr_t)sp; /* fixed up below */
				sp += pl + 1;
				ret->v[ret->n++] = m;
			} else {
				bad++;
			}
		}
		p = le + 1;
	}
	for (size_t i = 0; i < ret->n; i++)
		ret->v[i].path = ret->strings + (uintptr_t)ret->v[i].path;
	if (ret_bad)
		*ret_bad = bad;
	return 0;
}

int ptk_maps_read(pid_t pid, struct ptk_maps *ret)
{
	char path[64];
	memset(ret, 0, sizeof *ret);
	snprintf(path, sizeof path, "/proc/%d/maps", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);
	int r = 0;
	for (;;) {
		if (!buf) {
			r = -ENOMEM;
			break;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == cap) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	close(fd);
	if (r == 0)
		r = ptk_maps_parse(buf, len, ret, NULL);
	free(buf);
	return r;
}

void ptk_maps_free(struct ptk_maps *m)
{
	free(m->v);
	free(m->strings);
	memset(m, 0, sizeof *m);
}

const struct ptk_map *ptk_maps_find(const struct ptk_maps *m, uint64_t addr)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (addr < m->v[mid].start)
			hi = mid;
		else if (addr >= m->v[mid].end)
			lo = mid + 1;
		else
			return &m->v[mid];
	}
	/* /proc output is sorted; a hand-made text may not be. */
	for (size_t i = 0; i < m->n; i++)
		if (addr >= m->v[i].start && addr < m->v[i].end)
			return &m->v[i];
	return NULL;
}
