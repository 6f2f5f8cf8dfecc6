/*
 * Faulting tasks die alone: each crasher is killed with the status that
 * names its exception, the one-line report goes to the console (the
 * runner checks it), a ticker keeps printing throughout, and the
 * crashers' memory all comes back. The entry page is read-only, and
 * when the kernel uses int 0x81 its sysenter stub is a #GP.
 */
#include <drake/entry.h>
#include <drake/string.h>

#include "../check.h"

static const struct {
	const char *kind;
	unsigned vector;
} faults[] = {
    {"kread", 14},     {"kwrite", 14},	 {"null", 14},	{"stack", 14},
    {"rodata", 14},    {"div0", 0},	 {"ud2", 6},	{"cli", 13},
    {"hlt", 13},       {"io", 13},	 {"int80", 13}, {"int3", 13},
    {"entrypage", 14}, {"sysenter", 13},
};

static bool crashers_killed_ticker_survives(void)
{
	uint32_t before, after;
	CHECK_EQ(sys_wait(sys_spawn("crasher", "kread"), NULL), 0);
	CHECK_EQ(sys_meminfo(&before, NULL), 0);
	int ticker = sys_spawn("ticker", "30");
	CHECK(ticker > 0);
	bool sysenter_on =
	    *(volatile uint32_t *)DRAKE_ENTRY_KIND == DRAKE_ENTRY_KIND_SYSENTER;
	for (unsigned i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		if (sysenter_on && !strcmp(faults[i].kind, "sysenter"))
			continue; /* it works: nothing to fault */
		int status = 0;
		int tid = sys_spawn("crasher", faults[i].kind);
		CHECK(tid > 0);
		CHECK_EQ(sys_wait(tid, &status), 0);
		if (status != TASK_KILLED_STATUS(faults[i].vector))
			printf("  %s: status %d\n", faults[i].kind, status);
		CHECK_EQ(status, TASK_KILLED_STATUS(faults[i].vector));
	}
	int status = -1;
	CHECK_EQ(sys_wait(ticker, &status), 0);
	CHECK_EQ(status, 0);
	CHECK_EQ(sys_meminfo(&after, NULL), 0);
	CHECK_EQ(after, before);
	return true;
}

int main(void)
{
	RUN(crashers_killed_ticker_survives);
	return check_summary();
}
