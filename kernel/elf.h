/*
 * ELF32 executables: parse and validate the headers of an untrusted image
 * into a list of loadable segments. Pure code, tested on the host.
 */
#ifndef DRAKE_ELF_H
#define DRAKE_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS 8

struct elf_segment {
	uint32_t vaddr, memsz;	 /* where it lives */
	uint32_t offset, filesz; /* what of the file fills it */
	bool writable;
};

struct elf_image {
	uint32_t entry;
	unsigned nsegments;
	struct elf_segment segments[ELF_MAX_SEGMENTS];
};

/*
 * Accept only a little-endian i386 ET_EXEC whose PT_LOAD segments lie
 * inside [lo, hi), lie inside the file, and share no page with each
 * other, and whose entry point is inside one of them. Returns 0 or
 * ENOEXEC.
 */
int elf_parse(const void *data, size_t size, uint32_t lo, uint32_t hi,
	      struct elf_image *out);

#endif
