/*
 * Test helper: malloc 64 KiB blocks until malloc says NULL (the heap cap,
 * or the machine's memory, whichever runs out first), touch every page,
 * then exit with how many blocks it got.
 */
#include <drake/string.h>
#include <drake/sys.h>

int main(void)
{
	int n = 0;
	char *p;
	while ((p = malloc(64 * 1024))) {
		memset(p, n & 0xff, 64 * 1024);
		n++;
	}
	return heap_check() ? -1 : n;
}
