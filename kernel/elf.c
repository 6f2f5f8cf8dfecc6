#include "elf.h"

#include <drake/errno.h>
#include <drake/string.h>

#define EI_NIDENT 16
#define ET_EXEC	  2
#define EM_386	  3
#define PT_LOAD	  1
#define PF_W	  2
#define ELF_PAGE  4096u

struct elf_ehdr {
	unsigned char ident[EI_NIDENT];
	uint16_t type, machine;
	uint32_t version, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf_phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

static bool elf_header_ok(const struct elf_ehdr *h, size_t size)
{
	static const unsigned char magic[7] = {0x7f, 'E', 'L', 'F', 1, 1, 1};
	return size >= sizeof(*h) && !memcmp(h->ident, magic, sizeof(magic)) &&
	       h->type == ET_EXEC && h->machine == EM_386 &&
	       h->phentsize == sizeof(struct elf_phdr) && h->phoff <= size &&
	       (size - h->phoff) / sizeof(struct elf_phdr) >= h->phnum;
}

static bool elf_segment_ok(const struct elf_phdr *p, size_t size, uint32_t lo,
			   uint32_t hi)
{
	return p->memsz > 0 && p->filesz <= p->memsz && p->offset <= size &&
	       p->filesz <= size - p->offset && p->vaddr >= lo &&
	       p->vaddr < hi && p->memsz <= hi - p->vaddr;
}

static uint32_t page_down(uint32_t a)
{
	return a & ~(ELF_PAGE - 1);
}

/* Page-granular overlap: each page of user memory has one owner. */
static bool elf_segments_overlap(const struct elf_segment *a,
				 const struct elf_segment *b)
{
	uint64_t a0 = page_down(a->vaddr), a1 = (uint64_t)a->vaddr + a->memsz;
	uint64_t b0 = page_down(b->vaddr), b1 = (uint64_t)b->vaddr + b->memsz;
	return a0 < b1 && b0 < a1;
}

static bool elf_entry_ok(const struct elf_image *img)
{
	for (unsigned i = 0; i < img->nsegments; i++) {
		const struct elf_segment *s = &img->segments[i];
		if (img->entry >= s->vaddr && img->entry - s->vaddr < s->memsz)
			return true;
	}
	return false;
}

static int elf_add_segment(struct elf_image *img, const struct elf_phdr *p)
{
	if (img->nsegments == ELF_MAX_SEGMENTS)
		return ENOEXEC;
	struct elf_segment seg = {p->vaddr, p->memsz, p->offset, p->filesz,
				  (p->flags & PF_W) != 0};
	for (unsigned i = 0; i < img->nsegments; i++)
		if (elf_segments_overlap(&img->segments[i], &seg))
			return ENOEXEC;
	img->segments[img->nsegments++] = seg;
	return 0;
}

int elf_parse(const void *data, size_t size, uint32_t lo, uint32_t hi,
	      struct elf_image *out)
{
	const struct elf_ehdr *h = data;
	if (!elf_header_ok(h, size))
		return ENOEXEC;
	out->entry = h->entry;
	out->nsegments = 0;
	for (unsigned i = 0; i < h->phnum; i++) {
		struct elf_phdr p;
		memcpy(&p, (const char *)data + h->phoff + i * sizeof(p),
		       sizeof(p));
		if (p.type != PT_LOAD)
			continue;
		if (!elf_segment_ok(&p, size, lo, hi) ||
		    elf_add_segment(out, &p))
			return ENOEXEC;
	}
	return out->nsegments && elf_entry_ok(out) ? 0 : ENOEXEC;
}
