/* SPDX-License-Identifier: MIT */
/*
 * The program whose state the fake target mimics.  It is not built by the
 * test suite: it documents where the expected strings in test-debug-*.c come
 * from.  Compile it with `gcc -g -O0 -no-pie`, run `gdb -batch -ex 'break
 * main' -ex run -ex 'p gi' ...` on it, and compare with the tests.
 */
#include <stdbool.h>
#include <stddef.h>
enum color { RED, GREEN = 2, BLUE = 4 };
enum flags { FA = 1, FB = 2, FC = 4 };
typedef unsigned int uint;
struct inner {
	int x;
	char c;
};
struct s {
	int a;
	int *p;
	struct inner in;
	unsigned bf1 : 3;
	int bf2 : 5;
	double d;
	char name[8];
};
union u {
	int i;
	float f;
	unsigned char b[4];
};
int gi = 42;
int neg = -5;
unsigned int gu = 4000000000u;
char gc = 'A';
signed char gsc = -3;
unsigned char guc = 200;
short gs = -300;
unsigned short gus = 65000;
long gl = -1234567890123L;
unsigned long gul = 18446744073709551615UL;
long long gll = 1LL << 40;
bool gb = true;
bool gbf = false;
float gf = 1.5f;
float gf2 = 0.1f;
double gd = 0.1;
double gd2 = 3.0;
double gd3 = 1e100;
long double gld = 0.1L;
int arr[5] = {1, 2, 3, 4, 5};
int zeros[10];
int rep[12] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3};
int big[300];
char str[16] = "hello";
char full[5] = {'a', 'b', 'c', 'd', 'e'};
const char *msg = "hello, world";
char *nullp = NULL;
int *ip = &gi;
void *vp = &gi;
struct s gs_ = {1, &gi, {7, 'z'}, 5, -3, 2.5, "nm"};
struct s *sp = &gs_;
union u gun = {.i = 0x3f800000};
enum color col = GREEN;
enum color colbad = (enum color)7;
enum flags fl = FA | FC;
enum flags flbad = (enum flags)9;
uint tu = 7;
int m2[2][3] = {{1, 2, 3}, {4, 5, 6}};
char esc[8] = "a\tb\n\"\\\001";
unsigned char ubytes[4] = {0, 255, 65, 10};
int (*fp)(int);
struct inner inarr[2] = {{1, 'a'}, {2, 'b'}};
int func(int x)
{
	return x + 1;
}
int main(void)
{
	fp = func;
	int local = 3;
	return func(local) + gi;
}
