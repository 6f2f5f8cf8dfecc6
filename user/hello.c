/* The smallest Drake program: one WRITE message, sent by printf. */
#include <drake/sys.h>

int main(int argc, char **argv)
{
	int tid = sys_gettid(); /* the first message (docs/debugging.md) */
	printf("hello: every printf is one WRITE message; GETTID gave the "
	       "task id\n");
	printf("Hello from Drake! I am task %d", tid);
	for (int i = 1; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");
	return 0;
}
