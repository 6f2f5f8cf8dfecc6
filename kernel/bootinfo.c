/*
 * The multiboot (v1) information block, copied into kernel memory before
 * anything could overwrite it: the command line, the memory map and the
 * modules (user programs), each module named by its string's first word
 * with any directory removed.
 */
#include <drake/string.h>

#include "kernel.h"

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2badb002u
#define MBI_FLAG_CMDLINE	   (1u << 2)
#define MBI_FLAG_MODS		   (1u << 3)
#define MBI_FLAG_MMAP		   (1u << 6)
#define MMAP_AVAILABLE		   1

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr, syms[4], mmap_length, mmap_addr;
};

struct mb_module {
	uint32_t start, end, string, reserved;
};

struct mb_mmap {
	uint32_t size;
	uint64_t base, len;
	uint32_t type;
} __attribute__((packed));

struct boot_info boot_info;

static void copy_str(char *dst, size_t size, const char *src, size_t n)
{
	size_t len = 0;
	while (len < n && len + 1 < size && src[len])
		len++;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static void bootinfo_module_add(const struct mb_module *m)
{
	struct boot_module *b = &boot_info.modules[boot_info.nmodules++];
	const char *s = (const char *)m->string;
	size_t word = 0;
	while (s[word] && s[word] != ' ')
		word++;
	const char *base = s;
	for (size_t i = 0; i < word; i++)
		if (s[i] == '/')
			base = s + i + 1;
	copy_str(b->name, sizeof(b->name), base, (size_t)(s + word - base));
	while (s[word] == ' ')
		word++;
	copy_str(b->args, sizeof(b->args), s + word, BOOT_ARGS_MAX);
	b->start = m->start;
	b->end = m->end;
}

static void bootinfo_mmap(const struct mb_info *mbi)
{
	uint32_t p = mbi->mmap_addr, end = mbi->mmap_addr + mbi->mmap_length;
	while (p < end && boot_info.nregions < BOOT_REGIONS_MAX) {
		const struct mb_mmap *e = (const struct mb_mmap *)p;
		if (e->type == MMAP_AVAILABLE)
			boot_info.regions[boot_info.nregions++] =
			    (struct boot_region){e->base, e->len};
		p += e->size + sizeof(e->size);
	}
}

void bootinfo_parse(uint32_t magic, uint32_t mbi_addr)
{
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		panic("not booted by a multiboot loader (magic %08x)", magic);
	const struct mb_info *mbi = (const struct mb_info *)mbi_addr;
	if (mbi->flags & MBI_FLAG_CMDLINE)
		copy_str(boot_info.cmdline, sizeof(boot_info.cmdline),
			 (const char *)mbi->cmdline, BOOT_ARGS_MAX);
	if (mbi->flags & MBI_FLAG_MMAP)
		bootinfo_mmap(mbi);
	if (!(mbi->flags & MBI_FLAG_MODS))
		return;
	const struct mb_module *mods = (const struct mb_module *)mbi->mods_addr;
	for (uint32_t i = 0; i < mbi->mods_count && i < BOOT_MODULES_MAX; i++)
		bootinfo_module_add(&mods[i]);
}

/*
 * The value of "key=value" on the kernel command line ("" for a bare
 * "key"), or NULL. Values end at the next space.
 */
const char *bootinfo_option(const char *key)
{
	static char value[BOOT_ARGS_MAX];
	size_t klen = strlen(key);
	const char *p = boot_info.cmdline;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *w = p;
		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - w) >= klen && !strncmp(w, key, klen) &&
		    (w[klen] == '=' || w + klen == p)) {
			const char *v = w[klen] == '=' ? w + klen + 1 : p;
			copy_str(value, sizeof(value), v, (size_t)(p - v));
			return value;
		}
	}
	return NULL;
}

const struct boot_module *bootinfo_module(const char *name)
{
	for (uint32_t i = 0; i < boot_info.nmodules; i++)
		if (!strcmp(boot_info.modules[i].name, name))
			return &boot_info.modules[i];
	return NULL;
}
