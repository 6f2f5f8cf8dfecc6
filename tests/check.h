/*
 * The test framework shared by host unit tests (tests/host/, hosted C)
 * and guest test programs (tests/guest/, freestanding, libsys). A test
 * is a function returning through CHECK on its first failed assertion;
 * RUN prints "TEST: name" before it and "PASS: name" or "FAIL: name"
 * after, so a hang or a crash names the test that was running; and
 * check_summary() prints the SUMMARY line and becomes main's return
 * value (on the guest: init's exit status, and so the boot's verdict).
 */
#ifndef DRAKE_CHECK_H
#define DRAKE_CHECK_H

#if __STDC_HOSTED__
#include <stdio.h>
#else
#include <drake/sys.h>
#endif
#include <stdbool.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("  %s:%d: %s\n", __FILE__, __LINE__, #cond);    \
			return false;                                          \
		}                                                              \
	} while (0)

/* CHECK that an expression equals an expected value, showing both. */
#define CHECK_EQ(expr, want)                                                   \
	do {                                                                   \
		long long got_ = (long long)(expr);                            \
		long long want_ = (long long)(want);                           \
		if (got_ != want_) {                                           \
			printf("  %s:%d: %s == %lld, expected %lld\n",         \
			       __FILE__, __LINE__, #expr, got_, want_);        \
			return false;                                          \
		}                                                              \
	} while (0)

#define RUN(fn)                                                                \
	do {                                                                   \
		printf("TEST: %s\n", #fn);                                     \
		bool ok_ = fn();                                               \
		printf("%s: %s\n", ok_ ? "PASS" : "FAIL", #fn);                \
		ok_ ? check_passed++ : check_failed++;                         \
	} while (0)

static inline int check_summary(void)
{
	printf("SUMMARY: %d passed, %d failed\n", check_passed, check_failed);
	return check_failed != 0;
}

#endif
