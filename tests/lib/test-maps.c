/* SPDX-License-Identifier: MIT */
/*
 * /proc/PID/maps: the pure parser on hand-made text (spaces in paths,
 * "(deleted)", anonymous maps, bad lines counted) and ptk_maps_read() of a
 * live tracee (its [stack] and its executable).
 */
#include "lt.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

static const char maps_text[] =
        "00400000-00452000 r-xp 00000000 08:02 173521      /usr/bin/dbus-daemon\n"
        "7f0000000000-7f0000001000 rw-s 00001000 fd:01 42   /tmp/a file with spaces\n"
        "garbage line\n"
        "7f0000002000-7f0000003000 r--p 00000000 08:02 99  /usr/lib/libgone.so (deleted)\n"
        "00400000-00452000 rwzp 00000000 08:02 1 /bad/perms\n"
        "\n"
        "7f0000004000-7f0000005000 ---p 00000000 00:00 0 \n"
        "7f0000005000-7f0000006000 rw-p 00000000 00:00 0\n"
        "00400000 r-xp 00000000 08:02 1 /no/dash\n"
        "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]\n"
        "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]";

TEST(maps_parse_cases)
{
	struct ptk_maps m;
	size_t bad = 99;
	CHECK_OK(ptk_maps_parse(maps_text, strlen(maps_text), &m, &bad));
	CHECK_EQ_INT(bad, 3);
	CHECK_EQ_INT(m.n, 7);
	CHECK_EQ_HEX(m.v[0].start, 0x400000);
	CHECK_EQ_HEX(m.v[0].end, 0x452000);
	CHECK_EQ_INT(m.v[0].prot, PTK_PROT_R | PTK_PROT_X);
	CHECK_EQ_HEX(m.v[0].offset, 0);
	CHECK_EQ_INT(m.v[0].dev_major, 8);
	CHECK_EQ_INT(m.v[0].dev_minor, 2);
	CHECK_EQ_INT(m.v[0].inode, 173521);
	CHECK_EQ_STR(m.v[0].path, "/usr/bin/dbus-daemon");

	CHECK_EQ_HEX(m.v[1].start, 0x7f0000000000ull);
	CHECK_EQ_INT(m.v[1].prot, PTK_PROT_R | PTK_PROT_W | PTK_MAP_SHARED);
	CHECK_EQ_HEX(m.v[1].offset, 0x1000);
	CHECK_EQ_INT(m.v[1].dev_major, 0xfd);
	CHECK_EQ_INT(m.v[1].dev_minor, 1);
	CHECK_EQ_INT(m.v[1].inode, 42);
	CHECK_EQ_STR(m.v[1].path, "/tmp/a file with spaces");

	CHECK_EQ_INT(m.v[2].prot, PTK_PROT_R);
	CHECK_EQ_STR(m.v[2].path, "/usr/lib/libgone.so (deleted)");

	CHECK_EQ_INT(m.v[3].prot, 0);
	CHECK_EQ_STR(m.v[3].path, "");
	CHECK_EQ_INT(m.v[4].prot, PTK_PROT_R | PTK_PROT_W);
	CHECK_EQ_STR(m.v[4].path, "");

	CHECK_EQ_STR(m.v[5].path, "[stack]");
	CHECK_EQ_HEX(m.v[5].end, 0x7ffd00021000ull);
	CHECK_EQ_STR(m.v[6].path, "[vsyscall]");
	CHECK_EQ_HEX(m.v[6].start, 0xffffffffff600000ull);
	CHECK_EQ_INT(m.v[6].prot, PTK_PROT_X);

	/* lookups: inside, at the end (exclusive), between maps */
	CHECK(ptk_maps_find(&m, 0x7ffd00020fffull) == &m.v[5]);
	CHECK(ptk_maps_find(&m, 0x7ffd00021000ull) == NULL);
	CHECK(ptk_maps_find(&m, 0x7f0000002800ull) == &m.v[2]);
	CHECK(ptk_maps_find(&m, 0x500000) == NULL);
	CHECK(ptk_maps_find(&m, 0x400000) == &m.v[0]);
	ptk_maps_free(&m);
	CHECK(m.v == NULL && m.n == 0);
}

TEST(maps_parse_rejects)
{
	static const char *const badl[] = {
	        "",
	        "0-1",
	        "00400000-00300000 r-xp 00000000 08:02 1 /end/before/start",
	        "00400000-00452000 r-x 00000000 08:02 1 /short/perms",
	        "00400000-00452000 r-xq 00000000 08:02 1 /bad/share",
	        "00400000-00452000 r-xp 00000000 0802 1 /no/colon",
	        "00400000-00452000 r-xp 00000000 08:02 x /bad/inode",
	        "11111111111111111-00452000 r-xp 00000000 08:02 1 /seventeen/digits",
	        "00400000-00452000 r-xp zz 08:02 1 /bad/offset",
	};
	for (size_t i = 1; i < sizeof badl / sizeof *badl; i++) {
		struct ptk_maps m;
		size_t bad = 0;
		CHECK_OK(ptk_maps_parse(badl[i], strlen(badl[i]), &m, &bad));
		CHECK_MSG(m.n == 0 && bad == 1, "\"%s\": %zu maps, %zu bad", badl[i], m.n, bad);
		ptk_maps_free(&m);
	}
	struct ptk_maps m;
	CHECK_OK(ptk_maps_parse("", 0, &m, NULL));
	CHECK_EQ_INT(m.n, 0);
	ptk_maps_free(&m);
	/* the length given bounds the parse (no NUL needed) */
	const char *two = "00400000-00452000 r-xp 00000000 08:02 1 /a\n"
	                  "00500000-00552000 r-xp 00000000 08:02 1 /b\n";
	CHECK_OK(ptk_maps_parse(two, 44, &m, NULL));
	CHECK_EQ_INT(m.n, 1);
	CHECK_EQ_STR(m.v[0].path, "/a");
	ptk_maps_free(&m);
}

/* Unsorted text: ptk_maps_find still finds. */
TEST(maps_find_unsorted)
{
	const char *t = "7f0000000000-7f0000001000 r--p 00000000 00:00 0 /hi\n"
	                "00400000-00452000 r-xp 00000000 08:02 1 /lo\n";
	struct ptk_maps m;
	CHECK_OK(ptk_maps_parse(t, strlen(t), &m, NULL));
	const struct ptk_map *f = ptk_maps_find(&m, 0x400010);
	CHECK(f != NULL);
	CHECK_EQ_STR(f->path, "/lo");
	f = ptk_maps_find(&m, 0x7f0000000010ull);
	CHECK(f != NULL);
	CHECK_EQ_STR(f->path, "/hi");
	ptk_maps_free(&m);
}

/* A live tracee's maps: [stack] holds its sp, its executable is mapped X. */
TEST(maps_read_tracee)
{
	char *argv[] = {(char *)th_tracee("block_read"), NULL};
	pid_t pid;
	int out;
	struct ptk_session *s = lt_start(0, argv, &pid, &out);
	struct ptk_event ev;
	lt_resume_expect(s, pid, PTK_RESUME_CONT, PTK_EV_EXEC, &ev);
	struct ptk_regs r;
	CHECK_OK(ptk_regs_get(s, pid, &r));
	struct ptk_maps m;
	CHECK_OK(ptk_maps_read(pid, &m));
	const struct ptk_map *st = ptk_maps_find(&m, r.rsp);
	CHECK(st != NULL);
	CHECK_EQ_STR(st->path, "[stack]");
	CHECK(st->prot & PTK_PROT_W);
	const struct ptk_map *ip = ptk_maps_find(&m, r.rip);
	CHECK(ip != NULL);
	CHECK(ip->prot & PTK_PROT_X);
	char real[PATH_MAX];
	CHECK(realpath(argv[0], real) != NULL);
	bool exe = false;
	for (size_t i = 0; i < m.n; i++)
		if (strcmp(m.v[i].path, real) == 0 && (m.v[i].prot & PTK_PROT_X))
			exe = true;
	CHECK_MSG(exe, "no executable mapping of %s", real);
	ptk_maps_free(&m);
	ptk_session_end(s, false, 1000);
	free(lt_slurp(out, 5000));
	CHECK_EQ_INT(ptk_maps_read(pid, &m), -ESRCH);
}
