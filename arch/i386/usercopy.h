/*
 * Copying to and from user memory. The range check rejects anything
 * outside [USER_BASE, USER_END) and any wrap-around; a page fault on a
 * user address inside the copy (unmapped, or read-only under CR0.WP) is
 * recovered through the exception table (trap.c) and becomes EFAULT.
 * Inline because the message trap path is made of little else.
 */
#ifndef DRAKE_USERCOPY_H
#define DRAKE_USERCOPY_H

#include <drake/errno.h>
#include <stddef.h>
#include <stdint.h>

#include "machine.h"

/* [uaddr, uaddr + n) lies inside [USER_BASE, USER_END): the start is
 * checked on both sides first, so USER_END - uaddr cannot wrap. */
static inline int user_range_ok(uint32_t uaddr, size_t n)
{
	return uaddr - USER_BASE < USER_END - USER_BASE &&
	       n <= USER_END - uaddr;
}

/* The copy itself; each faulting instruction has a fixup entry. */
static inline int usercopy_raw(void *dst, const void *src, size_t n)
{
	int err = 0;
	uint32_t c, d, s;
	__asm__ volatile("1: rep movsl\n\t"
			 "mov %[rem], %%ecx\n\t"
			 "2: rep movsb\n\t"
			 "3:\n\t"
			 ".pushsection .fixup, \"ax\"\n\t"
			 "4: movl %[efault], %[err]\n\t"
			 "jmp 3b\n\t"
			 ".popsection\n\t"
			 ".pushsection .extable, \"a\"\n\t"
			 ".long 1b, 4b, 2b, 4b\n\t"
			 ".popsection"
			 : [err] "+r"(err), "=&c"(c), "=&D"(d), "=&S"(s)
			 : "1"(n >> 2), "2"(dst),
			   "3"(src), [rem] "r"(n & 3), [efault] "i"(EFAULT)
			 : "memory");
	return err;
}

static inline int copyin(void *dst, uint32_t usrc, size_t n)
{
	if (!user_range_ok(usrc, n))
		return EFAULT;
	return usercopy_raw(dst, (const void *)usrc, n);
}

static inline int copyout(uint32_t udst, const void *src, size_t n)
{
	if (!user_range_ok(udst, n))
		return EFAULT;
	return usercopy_raw((void *)udst, src, n);
}

/* Copies within a range the caller has already checked with
 * user_range_ok (or a copyin accepted): only faults remain. */
static inline int copyin_checked(void *dst, uint32_t usrc, size_t n)
{
	return usercopy_raw(dst, (const void *)usrc, n);
}

static inline int copyout_checked(uint32_t udst, const void *src, size_t n)
{
	return usercopy_raw((void *)udst, src, n);
}

/* One 32-bit load or store within a range the caller has already
 * checked with user_range_ok: only a fault remains, and becomes EFAULT. */
static inline int load_user32_checked(uint32_t uaddr, uint32_t *out)
{
	int err = 0;
	__asm__ volatile("1: movl (%[p]), %[v]\n\t"
			 "2:\n\t"
			 ".pushsection .fixup, \"ax\"\n\t"
			 "3: movl %[efault], %[err]\n\t"
			 "jmp 2b\n\t"
			 ".popsection\n\t"
			 ".pushsection .extable, \"a\"\n\t"
			 ".long 1b, 3b\n\t"
			 ".popsection"
			 : [err] "+r"(err), [v] "=r"(*out)
			 : [p] "r"(uaddr), [efault] "i"(EFAULT));
	return err;
}

/* Four loads, from checked ranges, with one fault exit: the message
 * fast path's port version and header words (the last one read only to
 * prove the message's last page there), tested once. */
static inline int load_user32x4_checked(uint32_t a, uint32_t b, uint32_t c,
					uint32_t d, uint32_t *va, uint32_t *vb,
					uint32_t *vc)
{
	int err = 0;
	__asm__ volatile("1: movl (%[a]), %[a]\n\t"
			 "2: movl (%[b]), %[b]\n\t"
			 "3: movl (%[c]), %[c]\n\t"
			 "4: movl (%[d]), %[d]\n\t"
			 "5:\n\t"
			 ".pushsection .fixup, \"ax\"\n\t"
			 "6: movl %[efault], %[err]\n\t"
			 "jmp 5b\n\t"
			 ".popsection\n\t"
			 ".pushsection .extable, \"a\"\n\t"
			 ".long 1b, 6b, 2b, 6b, 3b, 6b, 4b, 6b\n\t"
			 ".popsection"
			 : [err] "+r"(err), [a] "+r"(a), [b] "+r"(b),
			   [c] "+r"(c), [d] "+r"(d)
			 : [efault] "i"(EFAULT));
	*va = a;
	*vb = b;
	*vc = c;
	return err;
}

/* Four stores, to p .. p + 15 in a checked range, with one fault exit. */
static inline int store_user32x4_checked(uint32_t p, uint32_t w0, uint32_t w1,
					 uint32_t w2, uint32_t w3)
{
	int err = 0;
	__asm__ volatile("1: movl %[w0], (%[p])\n\t"
			 "2: movl %[w1], 4(%[p])\n\t"
			 "3: movl %[w2], 8(%[p])\n\t"
			 "4: movl %[w3], 12(%[p])\n\t"
			 "5:\n\t"
			 ".pushsection .fixup, \"ax\"\n\t"
			 "6: movl %[efault], %[err]\n\t"
			 "jmp 5b\n\t"
			 ".popsection\n\t"
			 ".pushsection .extable, \"a\"\n\t"
			 ".long 1b, 6b, 2b, 6b, 3b, 6b, 4b, 6b\n\t"
			 ".popsection"
			 : [err] "+r"(err)
			 : [p] "r"(p), [w0] "r"(w0), [w1] "ri"(w1),
			   [w2] "r"(w2), [w3] "r"(w3), [efault] "i"(EFAULT)
			 : "memory");
	return err;
}

/* Read one aligned 32-bit word from user memory. */
static inline int fetch_user32(uint32_t uaddr, uint32_t *out)
{
	if (!user_range_ok(uaddr, 4))
		return EFAULT;
	return load_user32_checked(uaddr, out);
}

#endif
