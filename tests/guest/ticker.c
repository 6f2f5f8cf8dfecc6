/* Test helper: print "ticker: i" N times (first argument), 10 ms apart. */
#include <drake/string.h>
#include <drake/sys.h>

int main(int argc, char **argv)
{
	int n = atoi(argc > 1 ? argv[1] : "10");
	for (int i = 0; i < n; i++) {
		printf("ticker: %d\n", i);
		sys_sleep(10);
	}
	return 0;
}
