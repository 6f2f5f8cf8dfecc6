/*
 * The guest twin of tests/host/check.h: each test is a function that
 * returns through CHECK on its first failed assertion; RUN prints
 * "PASS: name" or "FAIL: name", and check_summary() prints the SUMMARY
 * line and becomes main's return value, init's exit status, and so the
 * boot's verdict.
 */
#ifndef DRAKE_GUEST_CHECK_H
#define DRAKE_GUEST_CHECK_H

#include <drake/sys.h>
#include <stdbool.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("  line %d: %s\n", __LINE__, #cond);            \
			return false;                                          \
		}                                                              \
	} while (0)

/* CHECK that an expression equals an expected value, showing both. */
#define CHECK_EQ(expr, want)                                                   \
	do {                                                                   \
		long long got_ = (long long)(expr);                            \
		long long want_ = (long long)(want);                           \
		if (got_ != want_) {                                           \
			printf("  line %d: %s == %lld, expected %lld\n",       \
			       __LINE__, #expr, got_, want_);                  \
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
