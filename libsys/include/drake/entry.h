/*
 * The entry page (docs/abi.md, "The entry page"): one read-only page the
 * kernel maps at the same address in every task, holding the stubs that
 * make a system call. Each is called (cdecl `call`, not jumped to) with
 * eax, ecx and edx set exactly as for `int 0x81`, and returns with the
 * error code in eax and every other register preserved. Only #defines:
 * assembly includes this too.
 */
#ifndef DRAKE_ENTRY_H
#define DRAKE_ENTRY_H

/* Just below the stack's guard page (the address-space table). */
#define DRAKE_ENTRY_PAGE 0xbffee000

/* The kernel's choice at boot: sysenter when the CPU has it, else int
 * 0x81 (the kernel command line can force either). libsys calls this. */
#define DRAKE_ENTRY_CALL (DRAKE_ENTRY_PAGE + 0x00)
/* Always `int $0x81; ret`. */
#define DRAKE_ENTRY_INT (DRAKE_ENTRY_PAGE + 0x10)
/* The sysenter stub; call it only when DRAKE_ENTRY_KIND says sysenter
 * (otherwise sysenter faults: #UD without the instruction, #GP when the
 * kernel left it off). */
#define DRAKE_ENTRY_SYSENTER (DRAKE_ENTRY_PAGE + 0x20)
/* Where sysexit returns, inside that stub (its landing pad). */
#define DRAKE_ENTRY_SYSENTER_RET (DRAKE_ENTRY_SYSENTER + 7)
/* A 32-bit word: which entry DRAKE_ENTRY_CALL makes. */
#define DRAKE_ENTRY_KIND (DRAKE_ENTRY_PAGE + 0x40)

#define DRAKE_ENTRY_KIND_INT	  0
#define DRAKE_ENTRY_KIND_SYSENTER 1

#endif
