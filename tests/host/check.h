/*
 * A minimal host test framework. Each test is a function returning
 * through CHECK on the first failed assertion; RUN prints one
 * "PASS: name" or "FAIL: name" line, and check_summary() ends main.
 */
#ifndef DRAKE_CHECK_H
#define DRAKE_CHECK_H

#include <stdbool.h>
#include <stdio.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("  %s:%d: %s\n", __FILE__, __LINE__, #cond);    \
			return false;                                          \
		}                                                              \
	} while (0)

#define RUN(fn)                                                                \
	do {                                                                   \
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
