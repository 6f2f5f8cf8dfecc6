/*
 * Test helper: spin without ever yielding for MS milliseconds of uptime
 * (first argument, default 30), then exit with the uptime (ms) at which
 * it started, or, given a second argument "end", at which it finished.
 * A second argument "loud" announces the spinning first.
 */
#include <drake/string.h>
#include <drake/sys.h>

int main(int argc, char **argv)
{
	uint32_t ms = (uint32_t)atoi(argc > 1 ? argv[1] : "30");
	if (argc > 2 && !strcmp(argv[2], "loud"))
		printf("busy: spinning\n");
	uint64_t start = sys_uptime(), now;
	while ((now = sys_uptime()) < start + ms)
		;
	return (int)(argc > 2 && !strcmp(argv[2], "end") ? now : start);
}
