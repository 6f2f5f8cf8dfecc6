/*
 * Test helper: N one-tick TICKS messages; each must complete exactly one
 * tick after the tick it was accepted in, whatever else the kernel is
 * doing (its timers fire in the same tick handler). Exit 0 if all did.
 *
 * The accepting tick is pinned between a TICKS 0 just before the send
 * and one just after. On one CPU they nearly always agree; with more, a
 * send may wait for the kernel lock across a tick. A sample where they
 * disagree proves nothing either way and is left out, but at most half
 * may be (status 100 then).
 */
#include <drake/string.h>
#include <drake/sys.h>

static uint64_t tick_now(void)
{
	struct msg_ticks now = {.ticks = 0};
	sys_send(&now, CMD_TICKS, sizeof(now));
	return now.hdr.result;
}

int main(int argc, char **argv)
{
	int n = atoi(argc > 1 ? argv[1] : "20"), late = 0, unclear = 0;
	for (int i = 0; i < n; i++) {
		struct msg_ticks one = {.ticks = 1};
		uint64_t before = tick_now();
		if (sys_send_async(&one, CMD_TICKS, sizeof(one), NULL) !=
		    EASYNC)
			return 101;
		uint64_t after = tick_now();
		while (!(one.hdr.flags & MSGF_DONE))
			waitsys(NULL, &one);
		if (before != after)
			unclear++;
		else
			late += one.hdr.result != before + 1;
	}
	return unclear > n / 2 ? 100 : late;
}
