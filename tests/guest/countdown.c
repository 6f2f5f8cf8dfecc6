/* countdown: print N..1, one a second, then a farewell. */
#include <drake/string.h>
#include <drake/sys.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 3;
	for (int i = n; i > 0; i--) {
		printf("%d...\n", i);
		sys_sleep(1000);
	}
	printf("liftoff from task %d\n", sys_gettid());
	return 0;
}
