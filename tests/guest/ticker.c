/* Test helper: print "ticker: i" N times (first argument), 10 ms apart. */
#include <drake/sys.h>

int main(int argc, char **argv)
{
	int n = 0;
	for (const char *p = argc > 1 ? argv[1] : "10"; *p; p++)
		n = n * 10 + (*p - '0');
	for (int i = 0; i < n; i++) {
		printf("ticker: %d\n", i);
		sys_sleep(10);
	}
	return 0;
}
