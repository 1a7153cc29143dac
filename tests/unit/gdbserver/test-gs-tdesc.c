/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of target.xml generation (src/gdbserver/tdesc.c): gdb's form, one <reg> per
 * register of the layout in order with its number and size, features in gdb's order,
 * only the features the CPU has, the types each feature uses defined inside it.
 */
#include "harness.h"
#include "tdesc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct gs_layout L;

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static char *xml_for(uint64_t xcr0, size_t *len)
{
	struct gs_xsave_info x;

	memset(&x, 0, sizeof x);
	x.xcr0 = xcr0;
	x.off[2] = 576;
	x.size[2] = 256;
	x.off[5] = 1088;
	x.size[5] = 64;
	x.off[6] = 1152;
	x.size[6] = 512;
	x.off[7] = 1664;
	x.size[7] = 1024;
	x.off[9] = 2688;
	x.size[9] = 8;
	gs_layout_init(&L, &x);
	char *doc = gs_tdesc_xml(&L, len);
	CHECK(doc != NULL);
	CHECK_EQ_INT(strlen(doc), *len);
	return doc;
}

TEST(gdb_form)
{
	size_t len;
	char *doc = xml_for(7, &len);

	static const char head[] = "<?xml version=\"1.0\"?>\n"
	                           "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target>\n";
	CHECK(strncmp(doc, head, sizeof head - 1) == 0);
	CHECK(strstr(doc, "<architecture>i386:x86-64</architecture>"));
	CHECK(strstr(doc, "<osabi>GNU/Linux</osabi>"));
	CHECK(strstr(doc, "</target>\n") == doc + len - 10);
	/* features in gdb's order */
	const char *f[] = {"org.gnu.gdb.i386.core", "org.gnu.gdb.i386.sse",
	                   "org.gnu.gdb.i386.linux", "org.gnu.gdb.i386.segments",
	                   "org.gnu.gdb.i386.avx"};
	const char *at = doc;
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		char want[80];
		snprintf(want, sizeof want, "<feature name=\"%s\">", f[i]);
		const char *p = strstr(doc, want);
		CHECK_MSG(p && p > at, "feature %s missing or out of order", f[i]);
		at = p;
	}
	CHECK_EQ_INT(count(doc, "<feature "), 5);
	CHECK_EQ_INT(count(doc, "</feature>"), 5);
	CHECK_EQ_INT(count(doc, "<reg "), L.n);
	CHECK(strstr(doc, "<reg name=\"rip\" bitsize=\"64\" type=\"code_ptr\" regnum=\"16\"/>"));
	CHECK(strstr(doc,
	             "<reg name=\"eflags\" bitsize=\"32\" type=\"i386_eflags\" regnum=\"17\"/>"));
	CHECK(strstr(doc, "<reg name=\"st0\" bitsize=\"80\" type=\"i387_ext\" regnum=\"24\"/>"));
	CHECK(strstr(doc, "<reg name=\"fop\" bitsize=\"32\" type=\"int\" regnum=\"39\" "
	                  "group=\"float\"/>"));
	CHECK(strstr(doc, "<reg name=\"mxcsr\" bitsize=\"32\" type=\"i386_mxcsr\" regnum=\"56\" "
	                  "group=\"vector\"/>"));
	CHECK(strstr(doc, "<reg name=\"orig_rax\" bitsize=\"64\" type=\"int\" regnum=\"57\"/>"));
	CHECK(strstr(doc, "<reg name=\"ymm15h\" bitsize=\"128\" type=\"uint128\" regnum=\"75\"/>"));
	/* every regnum, in order */
	for (int i = 0; i < L.n; i++) {
		char want[96];
		snprintf(want, sizeof want,
		         "<reg name=\"%s\" bitsize=\"%u\" type=\"%s\" regnum=\"%d\"", L.r[i].name,
		         L.r[i].bits, L.r[i].type, i);
		CHECK_MSG(strstr(doc, want), "no %s", want);
	}
	free(doc);
}

TEST(types_defined_where_used)
{
	size_t len;
	char *doc = xml_for(7, &len);
	const char *core = strstr(doc, "org.gnu.gdb.i386.core");
	const char *sse = strstr(doc, "org.gnu.gdb.i386.sse");

	CHECK(strstr(core, "<flags id=\"i386_eflags\" size=\"4\">") < sse);
	CHECK(strstr(doc, "<field name=\"ZF\" start=\"6\" end=\"6\" type=\"bool\"/>") < sse);
	CHECK(strstr(doc, "<union id=\"vec128\">") > sse);
	CHECK(strstr(doc, "<flags id=\"i386_mxcsr\" size=\"4\">") > sse);
	CHECK(strstr(doc, "<field name=\"FZ\" start=\"15\" end=\"15\" type=\"bool\"/>"));
	CHECK_EQ_INT(count(doc, "<flags "), count(doc, "</flags>"));
	CHECK_EQ_INT(count(doc, "<union "), count(doc, "</union>"));
	free(doc);
}

TEST(features_follow_the_cpu)
{
	size_t len;
	char *doc = xml_for(3, &len);

	CHECK_EQ_INT(count(doc, "<feature "), 4);
	CHECK(!strstr(doc, "avx"));
	CHECK(!strstr(doc, "ymm"));
	free(doc);
	doc = xml_for(0x2e7, &len);
	CHECK(strstr(doc, "<feature name=\"org.gnu.gdb.i386.avx512\">"));
	CHECK(strstr(doc, "<vector id=\"v2ui128\" type=\"uint128\" count=\"2\"/>"));
	CHECK(strstr(doc, "<reg name=\"k7\" bitsize=\"64\" type=\"uint64\""));
	CHECK(strstr(doc, "<reg name=\"zmm31h\" bitsize=\"256\" type=\"v2ui128\""));
	CHECK(strstr(doc, "<feature name=\"org.gnu.gdb.i386.pkeys\">\n    <reg name=\"pkru\" "
	                  "bitsize=\"32\" type=\"uint32\""));
	CHECK_EQ_INT(count(doc, "<reg "), L.n);
	CHECK_EQ_INT(L.n, 149);
	free(doc);
}
