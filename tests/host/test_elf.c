/* ELF validation (kernel/elf.c): hostile images must be refused. */
#include <string.h>

#include "../../kernel/elf.c"
#include "../check.h"

#define LO 0x40000000u
#define HI 0xbfff0000u

static unsigned char img[4096];

static struct elf_ehdr *hdr(void)
{
	return (struct elf_ehdr *)img;
}

static struct elf_phdr *ph(int i)
{
	return (struct elf_phdr *)(img + sizeof(struct elf_ehdr)) + i;
}

/* A valid two-segment executable: text at LO, data on the next page. */
static void make_valid(void)
{
	memset(img, 0, sizeof(img));
	memcpy(img,
	       "\x7f"
	       "ELF\x01\x01\x01",
	       7);
	*hdr() = (struct elf_ehdr){.type = ET_EXEC,
				   .machine = EM_386,
				   .version = 1,
				   .entry = LO + 0x10,
				   .phoff = sizeof(struct elf_ehdr),
				   .phentsize = sizeof(struct elf_phdr),
				   .phnum = 2};
	memcpy(hdr()->ident,
	       "\x7f"
	       "ELF\x01\x01\x01",
	       7);
	*ph(0) = (struct elf_phdr){.type = PT_LOAD,
				   .offset = 0x100,
				   .vaddr = LO,
				   .filesz = 0x200,
				   .memsz = 0x200,
				   .flags = 5};
	*ph(1) = (struct elf_phdr){.type = PT_LOAD,
				   .offset = 0x300,
				   .vaddr = LO + 0x1000,
				   .filesz = 0x10,
				   .memsz = 0x3000,
				   .flags = 6};
}

static int parse(void)
{
	struct elf_image out;
	return elf_parse(img, sizeof(img), LO, HI, &out);
}

static bool elf_accepts_valid_image(void)
{
	struct elf_image out;
	make_valid();
	CHECK(elf_parse(img, sizeof(img), LO, HI, &out) == 0);
	CHECK(out.entry == LO + 0x10 && out.nsegments == 2);
	CHECK(!out.segments[0].writable && out.segments[1].writable);
	CHECK(out.segments[1].memsz == 0x3000 &&
	      out.segments[1].filesz == 0x10);
	return true;
}

static bool elf_rejects_bad_headers(void)
{
	make_valid();
	img[0] = 0;
	CHECK(parse() == ENOEXEC);
	make_valid();
	hdr()->machine = 62; /* x86-64 */
	CHECK(parse() == ENOEXEC);
	make_valid();
	hdr()->ident[4] = 2; /* 64-bit class */
	CHECK(parse() == ENOEXEC);
	make_valid();
	hdr()->phnum = 0xffff; /* headers beyond the file */
	CHECK(parse() == ENOEXEC);
	make_valid();
	CHECK(elf_parse(img, 20, LO, HI, &(struct elf_image){0}) == ENOEXEC);
	return true;
}

static bool elf_rejects_segments_outside_user_space(void)
{
	make_valid();
	ph(0)->vaddr = 0x100000; /* kernel memory */
	CHECK(parse() == ENOEXEC);
	make_valid();
	ph(1)->memsz = 0xfffff000u; /* wraps around */
	CHECK(parse() == ENOEXEC);
	make_valid();
	ph(1)->vaddr = HI - 0x1000;
	ph(1)->memsz = 0x2000; /* runs past the limit */
	CHECK(parse() == ENOEXEC);
	return true;
}

static bool elf_rejects_file_overruns_and_overlaps(void)
{
	make_valid();
	ph(0)->offset = 0xfff0;
	CHECK(parse() == ENOEXEC);
	make_valid();
	ph(0)->filesz = 0x300; /* more file than memory */
	CHECK(parse() == ENOEXEC);
	make_valid();
	ph(1)->vaddr = LO + 0x800; /* shares the text's page */
	CHECK(parse() == ENOEXEC);
	make_valid();
	hdr()->entry = LO + 0x5000; /* entry in no segment */
	CHECK(parse() == ENOEXEC);
	return true;
}

int main(void)
{
	RUN(elf_accepts_valid_image);
	RUN(elf_rejects_bad_headers);
	RUN(elf_rejects_segments_outside_user_space);
	RUN(elf_rejects_file_overruns_and_overlaps);
	return check_summary();
}
