/* The smallest Drake program: one WRITE message, sent by printf. */
#include <drake/sys.h>

int main(int argc, char **argv)
{
	printf("Hello from Drake! I am task %d", sys_gettid());
	for (int i = 1; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");
	return 0;
}
