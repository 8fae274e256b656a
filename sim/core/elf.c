/* SPDX-License-Identifier: MIT */
/*
 * ELF64 loader for guest images.  Every header field is checked against the
 * file size before use: a truncated or corrupt image is an error message,
 * never a crash.  PT_LOAD segments are copied to their physical addresses
 * (p_paddr) and must lie wholly inside guest RAM; the BSS part is zeroed.
 */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "infile.h"
#include "machine.h"

#define ELF_MAX_SIZE (256u << 20)

static int fail(struct machine *m, const char *path, const char *msg)
{
	snprintf(m->err, sizeof(m->err), "%s: %s", path, msg);
	return -1;
}

static uint8_t *slurp(const char *path, size_t *len, char *why, size_t whylen)
{
	uint8_t *buf = NULL;
	enum infile_err err;
	uint64_t size;
	FILE *f = infile_open(path, &size, &err);

	if (!f) {
		snprintf(why, whylen, "%s",
			 err == INFILE_ERRNO ? strerror(errno) : "not a regular file (a directory, device or FIFO?)");
		return NULL;
	}
	if (size > ELF_MAX_SIZE) {
		snprintf(why, whylen, "larger than %u MiB", ELF_MAX_SIZE >> 20);
		goto out;
	}
	buf = malloc(size ? (size_t)size : 1);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		snprintf(why, whylen, "cannot read the file");
		free(buf);
		buf = NULL;
		goto out;
	}
	*len = (size_t)size;
out:
	fclose(f);
	return buf;
}

/*
 * ELF64 for arm64 and riscv64, ELF32 for riscv32, big-endian ELF64 for s390x.
 * An ELF32 file's header and program headers are widened into the Elf64
 * structures, and a big-endian file's fields are swapped, so the loader below
 * handles one layout.
 */
static const char *check_ident(const uint8_t *buf, size_t len, const struct cpu_arch_info *a, char *why, size_t n)
{
	if (len < SELFMAG || memcmp(buf, ELFMAG, SELFMAG) != 0)
		return "not an ELF file";
	if (len <= EI_DATA || buf[EI_CLASS] != (a->elf32 ? ELFCLASS32 : ELFCLASS64) ||
	    buf[EI_DATA] != (a->big_endian ? ELFDATA2MSB : ELFDATA2LSB)) {
		snprintf(why, n, "not a %s-endian ELF%d file (the scenario says arch %s)", a->big_endian ? "big" : "little",
			 a->elf32 ? 32 : 64, a->name);
		return why;
	}
	return NULL;
}

/* s390x: the fields the loader reads, from big-endian to host order. */
static void swap_ehdr(Elf64_Ehdr *eh)
{
	eh->e_type = __builtin_bswap16(eh->e_type);
	eh->e_machine = __builtin_bswap16(eh->e_machine);
	eh->e_entry = __builtin_bswap64(eh->e_entry);
	eh->e_phoff = __builtin_bswap64(eh->e_phoff);
	eh->e_phentsize = __builtin_bswap16(eh->e_phentsize);
	eh->e_phnum = __builtin_bswap16(eh->e_phnum);
}

static void swap_phdr(Elf64_Phdr *ph)
{
	ph->p_type = __builtin_bswap32(ph->p_type);
	ph->p_offset = __builtin_bswap64(ph->p_offset);
	ph->p_paddr = __builtin_bswap64(ph->p_paddr);
	ph->p_filesz = __builtin_bswap64(ph->p_filesz);
	ph->p_memsz = __builtin_bswap64(ph->p_memsz);
}

static void widen_ehdr(const uint8_t *buf, Elf64_Ehdr *eh)
{
	Elf32_Ehdr e;

	memcpy(&e, buf, sizeof(e));
	memcpy(eh->e_ident, e.e_ident, EI_NIDENT);
	eh->e_type = e.e_type;
	eh->e_machine = e.e_machine;
	eh->e_entry = e.e_entry;
	eh->e_phoff = e.e_phoff;
	eh->e_phentsize = e.e_phentsize == sizeof(Elf32_Phdr) ? sizeof(Elf64_Phdr) : 0;
	eh->e_phnum = e.e_phnum;
}

static void read_phdr(const uint8_t *buf, bool elf32, uint64_t off, Elf64_Phdr *ph)
{
	Elf32_Phdr p;

	if (!elf32) {
		memcpy(ph, buf + off, sizeof(*ph));
		return;
	}
	memcpy(&p, buf + off, sizeof(p));
	ph->p_type = p.p_type;
	ph->p_offset = p.p_offset;
	ph->p_paddr = p.p_paddr;
	ph->p_filesz = p.p_filesz;
	ph->p_memsz = p.p_memsz;
}

static const char *check_header(const Elf64_Ehdr *eh, size_t len, size_t ehsize, size_t phsize,
				const struct cpu_arch_info *a, char *why, size_t n)
{
	if (len < ehsize)
		return "truncated ELF header";
	if (eh->e_type != ET_EXEC)
		return "not an executable (ET_EXEC) ELF file";
	if (eh->e_machine != a->elf_machine) {
		snprintf(why, n, "ELF machine is not %s (the scenario says arch %s)", a->elf_machine_name, a->name);
		return why;
	}
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0)
		return "no program headers";
	if (eh->e_phoff > len || (uint64_t)eh->e_phnum * phsize > len - eh->e_phoff)
		return "program headers lie outside the file (truncated?)";
	return NULL;
}

static int load_segment(struct machine *m, const char *path, const uint8_t *buf, size_t len,
			const Elf64_Phdr *ph)
{
	uint8_t *dst;

	if (ph->p_filesz > ph->p_memsz)
		return fail(m, path, "segment file size exceeds its memory size");
	if (ph->p_offset > len || ph->p_filesz > len - ph->p_offset)
		return fail(m, path, "segment data lies outside the file (truncated?)");
	dst = machine_mem_ptr(m, ph->p_paddr, ph->p_memsz);
	if (!dst) {
		snprintf(m->err, sizeof(m->err),
			 "%s: segment at 0x%" PRIx64 "+0x%" PRIx64 " is not inside guest memory", path,
			 (uint64_t)ph->p_paddr, (uint64_t)ph->p_memsz);
		return -1;
	}
	memcpy(dst, buf + ph->p_offset, ph->p_filesz);
	memset(dst + ph->p_filesz, 0, ph->p_memsz - ph->p_filesz);
	return 0;
}

int machine_load_elf(struct machine *m, const char *path)
{
	char why[128];
	size_t len = 0;
	uint8_t *buf = slurp(path, &len, why, sizeof(why));
	const struct cpu_arch_info *a = cpu_arch_info(m->cfg.arch);
	bool elf32 = a->elf32;
	size_t ehsize = elf32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
	size_t phsize = elf32 ? sizeof(Elf32_Phdr) : sizeof(Elf64_Phdr);
	Elf64_Ehdr hdr, *eh = &hdr;
	const char *bad;
	int i, loaded = 0, ret = -1;

	if (!buf)
		return fail(m, path, why);
	bad = check_ident(buf, len, a, why, sizeof(why));
	if (!bad && len >= ehsize) {
		if (elf32)
			widen_ehdr(buf, eh);
		else
			memcpy(eh, buf, sizeof(*eh));
		if (a->big_endian)
			swap_ehdr(eh);
	}
	if (!bad)
		bad = check_header(eh, len, ehsize, phsize, a, why, sizeof(why));
	if (bad) {
		fail(m, path, bad);
		goto out;
	}
	for (i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;

		read_phdr(buf, elf32, eh->e_phoff + (uint64_t)i * phsize, &ph);
		if (a->big_endian)
			swap_phdr(&ph);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (load_segment(m, path, buf, len, &ph) < 0)
			goto out;
		loaded++;
	}
	if (!loaded) {
		fail(m, path, "no loadable segments");
		goto out;
	}
	if (!machine_mem_ptr(m, eh->e_entry, 4)) {
		fail(m, path, "entry point is not inside guest memory");
		goto out;
	}
	m->entry = eh->e_entry;
	ret = 0;
out:
	free(buf);
	return ret;
}
