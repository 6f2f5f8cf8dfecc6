/*
 * Finding the CPUs and their local APICs, in the firmware's tables: the
 * ACPI MADT first, the Intel MP table second. The MADT comes first
 * because QEMU >= 6.2 makes -smp N CPUs cores of one package, and
 * SeaBIOS's MP table then lists only the first of them. Both tables are
 * found by a signature and a checksum in the BIOS's memory: the first
 * KiB of the EBDA, the last KiB of base memory (MP only), and the BIOS
 * ROM at 0xE0000-0xFFFFF (ACPI spec 5.2.5.1; MP spec 4). Nothing here
 * writes anything: it only reads memory the kernel maps 1:1.
 */
#include <drake/string.h>

#include "i386.h"
#include "machine.h"

#define BDA_EBDA_SEG 0x40e /* the EBDA's segment, in the BIOS data area */
#define BDA_BASE_KB  0x413 /* base memory size in KiB */
#define BIOS_ROM     0xe0000u
#define BIOS_END     0x100000u

#define MADT_LAPIC	   0 /* a processor's local APIC entry */
#define MADT_LAPIC_ENABLED 0x1
#define MP_PROC		   0 /* a processor entry, 20 bytes */
#define MP_PROC_ENABLED	   0x1
#define MP_OTHER_LEN	   8 /* every other base-table entry */

struct acpi_rsdp {
	char sig[8];
	uint8_t checksum;
	char oem[6];
	uint8_t rev;
	uint32_t rsdt;
} __attribute__((packed));

struct acpi_header {
	char sig[4];
	uint32_t len;
	uint8_t rev, checksum;
	char oem[6], oem_table[8];
	uint32_t oem_rev, creator, creator_rev;
} __attribute__((packed));

struct acpi_madt {
	struct acpi_header h;
	uint32_t lapic, flags;
	uint8_t entries[];
} __attribute__((packed));

struct mp_float {
	char sig[4];
	uint32_t config;
	uint8_t len, rev, checksum, features[5];
} __attribute__((packed));

struct mp_config {
	char sig[4];
	uint16_t len;
	uint8_t rev, checksum;
	char oem[8], product[12];
	uint32_t oem_table;
	uint16_t oem_len, count;
	uint32_t lapic;
	uint16_t ext_len;
	uint8_t ext_checksum, reserved;
	uint8_t entries[];
} __attribute__((packed));

static bool sum_ok(uint32_t addr, uint32_t len)
{
	const uint8_t *p = (const uint8_t *)addr;
	uint8_t sum = 0;
	for (uint32_t i = 0; i < len; i++)
		sum += p[i];
	return sum == 0;
}

/* Firmware puts its tables in RAM: outside the kernel's window, we
 * cannot read them, and a bad pointer must not fault the boot. */
static bool in_ram(uint32_t addr, uint32_t len)
{
	return addr && addr < KERNEL_PHYS_LIMIT &&
	       len <= KERNEL_PHYS_LIMIT - addr;
}

/* A checksummed structure starting with sig on a 16-byte boundary in
 * [start, start + len), or 0. */
static uint32_t scan(uint32_t start, uint32_t len, const char *sig,
		     uint32_t size)
{
	for (uint32_t a = start; a + size <= start + len; a += 16)
		if (!memcmp((const void *)a, sig, strlen(sig)) &&
		    sum_ok(a, size))
			return a;
	return 0;
}

/* A word of the BIOS data area. The asm hides the small constant
 * address from GCC, which takes it for an offset from a null pointer. */
static uint32_t bda_word(uint32_t addr)
{
	const uint16_t *p;
	__asm__("" : "=r"(p) : "0"(addr));
	return *p;
}

static uint32_t ebda(void)
{
	return bda_word(BDA_EBDA_SEG) << 4;
}

static void cpu_add(struct cpu_map *m, uint8_t apic_id)
{
	if (m->n < CPU_MAX)
		m->apic_id[m->n++] = apic_id;
	m->listed++;
}

static bool madt_find(struct cpu_map *m)
{
	uint32_t rsdp = 0;
	if (ebda())
		rsdp = scan(ebda(), 1024, "RSD PTR ", 20);
	if (!rsdp)
		rsdp = scan(BIOS_ROM, BIOS_END - BIOS_ROM, "RSD PTR ", 20);
	if (!rsdp)
		return false;
	uint32_t rsdt = ((const struct acpi_rsdp *)rsdp)->rsdt;
	if (!in_ram(rsdt, sizeof(struct acpi_header)))
		return false;
	const struct acpi_header *h = (const struct acpi_header *)rsdt;
	if (memcmp(h->sig, "RSDT", 4) || !in_ram(rsdt, h->len) ||
	    !sum_ok(rsdt, h->len))
		return false;
	const uint32_t *tables = (const uint32_t *)(h + 1);
	uint32_t ntables = (h->len - sizeof(*h)) / 4;
	for (uint32_t i = 0; i < ntables; i++) {
		const struct acpi_madt *madt =
		    (const struct acpi_madt *)tables[i];
		if (!in_ram(tables[i], sizeof(*madt)) ||
		    memcmp(madt->h.sig, "APIC", 4) ||
		    !in_ram(tables[i], madt->h.len) ||
		    !sum_ok(tables[i], madt->h.len))
			continue;
		m->lapic = madt->lapic;
		uint32_t off = sizeof(*madt);
		while (off + 2 <= madt->h.len) {
			const uint8_t *e = (const uint8_t *)madt + off;
			if (e[1] < 2 || off + e[1] > madt->h.len)
				break;
			/* type, length, ACPI id, APIC id, flags (32 bits) */
			if (e[0] == MADT_LAPIC && e[1] >= 8 &&
			    (e[4] & MADT_LAPIC_ENABLED))
				cpu_add(m, e[3]);
			off += e[1];
		}
		m->source = "the ACPI MADT";
		return m->n > 0;
	}
	return false;
}

static bool mp_find(struct cpu_map *m)
{
	uint32_t base_end = bda_word(BDA_BASE_KB) * 1024;
	uint32_t fp = 0;
	if (ebda())
		fp = scan(ebda(), 1024, "_MP_", sizeof(struct mp_float));
	if (!fp && base_end >= 1024)
		fp = scan(base_end - 1024, 1024, "_MP_",
			  sizeof(struct mp_float));
	if (!fp)
		fp = scan(BIOS_ROM, BIOS_END - BIOS_ROM, "_MP_",
			  sizeof(struct mp_float));
	if (!fp)
		return false;
	uint32_t cfg = ((const struct mp_float *)fp)->config;
	if (!in_ram(cfg, sizeof(struct mp_config)))
		return false;
	const struct mp_config *c = (const struct mp_config *)cfg;
	if (memcmp(c->sig, "PCMP", 4) || !in_ram(cfg, c->len) ||
	    !sum_ok(cfg, c->len))
		return false;
	m->lapic = c->lapic;
	uint32_t off = sizeof(*c);
	for (uint16_t i = 0; i < c->count && off < c->len; i++) {
		const uint8_t *e = (const uint8_t *)c + off;
		if (e[0] != MP_PROC) {
			off += MP_OTHER_LEN;
			continue;
		}
		/* type, APIC id, APIC version, flags, ... (20 bytes) */
		if (e[3] & MP_PROC_ENABLED)
			cpu_add(m, e[1]);
		off += 20;
	}
	m->source = "the MP table";
	return m->n > 0;
}

bool cpus_find(struct cpu_map *m)
{
	*m = (struct cpu_map){0};
	if (madt_find(m))
		return true;
	*m = (struct cpu_map){0};
	return mp_find(m);
}
