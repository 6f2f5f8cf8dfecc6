/*
 * Issue 10, long writes (spec item 5): WRITE lets interrupts in between
 * chunks of at most 128 bytes and can be preempted there, so a long
 * write stops neither the clock nor other tasks, and a task killed
 * during one stops writing and dies. Time is measured with the TSC,
 * which runs on whatever the kernel does with interrupts.
 */
#include <drake/fmt.h>

#include "../check.h"
#include "iso.h"

static char buf[65536];
static uint64_t tpm;	  /* TSC counts per ms */
static uint32_t long_len; /* bytes a WRITE takes ~300 ms for */
static uint32_t long_ms;  /* ... and how long it took */

static uint32_t tsc_ms(uint64_t c0, uint64_t c1)
{
	return (uint32_t)((c1 - c0) / tpm);
}

/* How fast the console is: size a write to last ~300 ms. */
static bool calibrate(void)
{
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (i % 64 == 63) ? '\n' : '.';
	tpm = iso_tsc_per_ms();
	CHECK(tpm > 0);
	uint64_t c0 = iso_rdtsc();
	CHECK_EQ(sys_write(buf, 16384), 16384);
	uint32_t ms = tsc_ms(c0, iso_rdtsc());
	if (ms == 0)
		ms = 1;
	uint64_t len = 16384ull * 300 / ms;
	long_len = len < 32768 ? 32768 : len > 262144 ? 262144 : (uint32_t)len;
	long_ms = (uint32_t)((uint64_t)long_len * ms / 16384);
	printf("\nwrite: 16 KiB in %u ms; a long write: %u bytes, ~%u ms\n", ms,
	       long_len, long_ms);
	return true;
}

/* The clock keeps running during a long write. */
static bool long_write_keeps_clock(void)
{
	CHECK(tpm || calibrate());
	uint32_t done = 0, ms_total = 0, up_total = 0;
	while (done < long_len) {
		uint32_t n = long_len - done > sizeof(buf) ? sizeof(buf)
							   : long_len - done;
		uint64_t u0 = sys_uptime(), c0 = iso_rdtsc();
		CHECK_EQ(sys_write(buf, n), n);
		uint64_t c1 = iso_rdtsc(), u1 = sys_uptime();
		ms_total += tsc_ms(c0, c1);
		up_total += (uint32_t)(u1 - u0);
		done += n;
	}
	printf("\nwrite: %u bytes took %u ms by the TSC, %u ms of uptime\n",
	       long_len, ms_total, up_total);
	CHECK(up_total + 20 >= ms_total * 8 / 10);
	return true;
}

/* Another task runs while one writes: the longest time this task went
 * without the CPU is far less than the write. */
static bool long_write_lets_others_run(void)
{
	char args[32];
	CHECK(tpm || calibrate());
	fmt_snprintf(args, sizeof(args), "write %u", long_len);
	int child = sys_spawn("isokid", args);
	CHECK(child > 0);
	struct drake_taskinfo ti;
	uint64_t start = iso_rdtsc(), prev = start, gap = 0, c;
	uint64_t end = start + tpm * (long_ms * 3 + 2000);
	uint32_t polls = 0;
	while ((c = iso_rdtsc()) < end) {
		if (c - prev > gap)
			gap = c - prev;
		prev = c;
		if (++polls % 1024 == 0 && iso_taskinfo((uint32_t)child, &ti) &&
		    ti.state == TASK_STATE_ZOMBIE)
			break;
	}
	int status = -1;
	CHECK_EQ(sys_wait(child, &status), 0);
	printf("\nwrite: longest gap %u ms while another task wrote for %u "
	       "ms\n",
	       (uint32_t)(gap / tpm), long_ms);
	CHECK_EQ(status, 0);
	CHECK(gap / tpm < 100);
	return true;
}

/* A task killed during a long write stops writing and dies at once. */
static bool killed_writer_dies(void)
{
	char args[32];
	CHECK(tpm || calibrate());
	uint32_t big = long_len * 3 > 524288 ? 524288 : long_len * 3;
	uint32_t big_ms = (uint32_t)((uint64_t)long_ms * big / long_len);
	fmt_snprintf(args, sizeof(args), "write %u", big);
	int child = sys_spawn("isokid", args);
	CHECK(child > 0);
	uint64_t c0 = iso_rdtsc();
	sys_sleep(50);
	uint64_t c1 = iso_rdtsc();
	int err = sys_kill(child, SIGKILL);
	int status = -1;
	CHECK_EQ(sys_wait(child, &status), 0);
	uint64_t c2 = iso_rdtsc();
	printf("\nwrite: killed after %u ms, dead %u ms later (%u ms "
	       "write)\n",
	       tsc_ms(c0, c1), tsc_ms(c1, c2), big_ms);
	CHECK_EQ(err, 0);
	CHECK_EQ(status, TASK_SIGNALED_STATUS(SIGKILL));
	CHECK(tsc_ms(c0, c1) < big_ms / 2); /* the sleep was not held up */
	CHECK(tsc_ms(c1, c2) < big_ms / 4); /* nor the death */
	return true;
}

int main(void)
{
	RUN(calibrate);
	RUN(long_write_keeps_clock);
	RUN(long_write_lets_others_run);
	RUN(killed_writer_dies);
	return check_summary();
}
