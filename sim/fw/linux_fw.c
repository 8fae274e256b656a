/* SPDX-License-Identifier: MIT */
/*
 * Booting a Linux kernel Image (riscv64), as the firmware before it would:
 *
 *   linux IMAGE [initrd FILE] [bootargs "TEXT"]
 *
 * loads the flat Image at RAM base + its header's text_offset
 * (Documentation/riscv/boot-image-header.rst), an initrd below the device
 * tree, and a device tree generated with libfdt from the machine (memory,
 * harts with `riscv,isa` including `_sstc` when the firmware enables Sstc,
 * `timebase-frequency`, each hart's `riscv,cpu-intc`, `chosen` with the
 * boot arguments and the initrd) at the end of the first RAM region.  Each
 * hart enters it in S-mode with a0 = hartid and a1 = the device tree
 * (Documentation/riscv/boot.rst); harts started later through SBI HSM get
 * the a1 their hart_start call passed.
 *
 * Then the machine behaves as a firmware like OpenSBI leaves it: the
 * exceptions OpenSBI delegates (medeleg) or redirects to S-mode
 * (sbi_trap_redirect() in lib/sbi/sbi_trap.c) go to the kernel's stvec, and
 * guest virtual addresses are backed as Unicorn needs them
 * (cpu_va_windows()).  The console is the SBI one (earlycon=sbi
 * console=hvc0).
 */
#include <errno.h>
#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binding.h"
#include "firmware.h"
#include "infile.h"
#include "linux_internal.h"

extern const struct model_binding linux_binding;

#define IMAGE_MAGIC2 0x05435352u      /* riscv: "RSC\x05" at offset 56 */
#define IMAGE_MAGIC_ARM64 0x644d5241u /* arm64: "ARM\x64" at offset 56 */
#define IMAGE_HEADER 64
#define DTB_SPACE LINUX_DTB_SPACE
#define FILE_MAX (1ull << 30)
#define SZ_2M 0x200000ull

/*
 * The causes the kernel's stvec takes: misaligned fetch/load/store, access
 * faults, illegal instruction, breakpoint, page faults (ECALL from U is a
 * system call and always goes there).
 */
#define LINUX_DELEG ((1ull << 0) | (1ull << 1) | (1ull << 2) | (1ull << 3) | (1ull << 4) | (1ull << 5) | \
		     (1ull << 6) | (1ull << 7) | (1ull << 12) | (1ull << 13) | (1ull << 15))

struct linux_step {
	char image[512];
	char initrd[512]; /* "" for none */
	char firmware[512]; /* "" for none: hypsim is the M-mode firmware */
	char bootargs[1024];
};

/* `firmware opensbi`: Debian's OpenSBI, generic platform, fw_dynamic (package opensbi). */
#define OPENSBI_FW_DYNAMIC "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"

/* OpenSBI's struct fw_dynamic_info (include/sbi/fw_dynamic.h), version 2. */
#define FW_DYNAMIC_INFO_MAGIC 0x4942534full /* "OSBI" */
#define FW_DYNAMIC_INFO_VERSION 2
#define FW_DYNAMIC_INFO_NEXT_MODE_S 1

/* ---- the machine side --------------------------------------------------------------- */

static void linux_vcpu_boot(struct machine *m, struct vcpu *v)
{
	const struct linux_fw *lf = machine_model(m, &linux_binding);

	if (m->cfg.arch == CPU_ARM64) {
		/* the first entry: x0 = the device tree; CPU_ON passes its context_id */
		if (!m->booted)
			cpu_reg_write(&v->cpu, cpu_arg_reg(m->cfg.arch, 0), lf->dtb);
		if (cpu_va_windows(&v->cpu) < 0)
			snprintf(m->err, sizeof(m->err), "vcpu %d: %s", v->cpu.index, v->cpu.err);
		return;
	}
	if (lf->fw_base) { /* the firmware's entry (fw_dynamic): a0 hartid, a1 the device tree, a2 fw_dynamic_info */
		const uint64_t a[3] = { (uint64_t)v->cpu.index, lf->dtb, lf->fw_info };

		if (cpu_riscv_enter_mmode(&v->cpu, lf->fw_base, a) < 0 || cpu_va_windows(&v->cpu) < 0)
			snprintf(m->err, sizeof(m->err), "vcpu %d: %s", v->cpu.index, v->cpu.err);
		return;
	}
	if (!m->booted) /* the first entry: a1 = the device tree; HSM starts pass their own */
		cpu_reg_write(&v->cpu, cpu_arg_reg(m->cfg.arch, 1), lf->dtb);
	if (cpu_delegate_exceptions(&v->cpu, LINUX_DELEG) < 0 || cpu_va_windows(&v->cpu) < 0)
		snprintf(m->err, sizeof(m->err), "vcpu %d: %s", v->cpu.index, v->cpu.err);
}

static void linux_detach(struct machine *m)
{
	free(machine_model(m, &linux_binding));
}

/* ---- the device tree ------------------------------------------------------------------ */

static int fdt_cpu(void *fdt, const struct machine *m, int cpus, int i)
{
	char name[32];
	int cpu, intc;

	snprintf(name, sizeof(name), "cpu@%d", i);
	if ((cpu = fdt_add_subnode(fdt, cpus, name)) < 0)
		return cpu;
	if (fdt_setprop_string(fdt, cpu, "device_type", "cpu") || fdt_setprop_u32(fdt, cpu, "reg", (uint32_t)i) ||
	    fdt_setprop_string(fdt, cpu, "status", "okay") || fdt_setprop_string(fdt, cpu, "compatible", "riscv") ||
	    fdt_setprop_string(fdt, cpu, "riscv,isa", m->cfg.stce_off ? "rv64imafdc" : "rv64imafdc_sstc") ||
	    fdt_setprop_string(fdt, cpu, "mmu-type", "riscv,sv57"))
		return -FDT_ERR_NOSPACE;
	if ((intc = fdt_add_subnode(fdt, cpu, "interrupt-controller")) < 0)
		return intc;
	if (fdt_setprop_u32(fdt, intc, "#interrupt-cells", 1) || fdt_setprop(fdt, intc, "interrupt-controller", NULL, 0) ||
	    fdt_setprop_string(fdt, intc, "compatible", "riscv,cpu-intc") ||
	    fdt_setprop_u32(fdt, intc, "phandle", (uint32_t)i + 1))
		return -FDT_ERR_NOSPACE;
	return 0;
}

/*
 * With guest firmware, the devices OpenSBI's generic platform looks for, as
 * QEMU's virt machine describes them: the CLINT ("riscv,clint0": each
 * hart's MSIP and MTIP in interrupts-extended), the NS16550A (chosen's
 * stdout-path) and the SiFive test device (its reset driver).
 */
static int fdt_soc(void *fdt, const struct machine *m)
{
	static const char clint_compat[] = "sifive,clint0\0riscv,clint0";
	static const char test_compat[] = "sifive,test1\0sifive,test0\0syscon";
	int soc = fdt_add_subnode(fdt, 0, "soc"), clint, uart, test, i;

	if (soc < 0)
		return soc;
	if (fdt_setprop_u32(fdt, soc, "#address-cells", 2) || fdt_setprop_u32(fdt, soc, "#size-cells", 2) ||
	    fdt_setprop_string(fdt, soc, "compatible", "simple-bus") || fdt_setprop(fdt, soc, "ranges", NULL, 0))
		return -FDT_ERR_NOSPACE;
	if ((clint = fdt_add_subnode(fdt, soc, "clint@2000000")) < 0)
		return clint;
	if (fdt_setprop(fdt, clint, "compatible", clint_compat, sizeof(clint_compat)) ||
	    fdt_setprop_u64(fdt, clint, "reg", HYPSIM_CLINT_BASE) || fdt_appendprop_u64(fdt, clint, "reg", 0x10000))
		return -FDT_ERR_NOSPACE;
	for (i = 0; i < m->cfg.nvcpus; i++) /* <&cpuN_intc 3> (MSIP), <&cpuN_intc 7> (MTIP) */
		if (fdt_appendprop_u32(fdt, clint, "interrupts-extended", (uint32_t)i + 1) ||
		    fdt_appendprop_u32(fdt, clint, "interrupts-extended", 3) ||
		    fdt_appendprop_u32(fdt, clint, "interrupts-extended", (uint32_t)i + 1) ||
		    fdt_appendprop_u32(fdt, clint, "interrupts-extended", 7))
			return -FDT_ERR_NOSPACE;
	if ((uart = fdt_add_subnode(fdt, soc, "serial@10000000")) < 0)
		return uart;
	if (fdt_setprop_string(fdt, uart, "compatible", "ns16550a") ||
	    fdt_setprop_u64(fdt, uart, "reg", HYPSIM_NS16550_BASE) || fdt_appendprop_u64(fdt, uart, "reg", 0x100) ||
	    fdt_setprop_u32(fdt, uart, "clock-frequency", HYPSIM_NS16550_CLOCK))
		return -FDT_ERR_NOSPACE;
	if ((test = fdt_add_subnode(fdt, soc, "test@100000")) < 0)
		return test;
	if (fdt_setprop(fdt, test, "compatible", test_compat, sizeof(test_compat)) ||
	    fdt_setprop_u64(fdt, test, "reg", HYPSIM_SIFIVE_TEST_BASE) || fdt_appendprop_u64(fdt, test, "reg", 0x1000))
		return -FDT_ERR_NOSPACE;
	return 0;
}

static int fdt_machine(void *fdt, const struct machine *m, const struct linux_fw *lf)
{
	int root = 0, cpus, mem, i, r;
	char name[48];

	if (fdt_setprop_u32(fdt, root, "#address-cells", 2) || fdt_setprop_u32(fdt, root, "#size-cells", 2) ||
	    fdt_setprop_string(fdt, root, "compatible", "hypsim,riscv-virt") ||
	    fdt_setprop_string(fdt, root, "model", "hypsim riscv64"))
		return -FDT_ERR_NOSPACE;
	for (i = 0; i < m->cfg.nmem; i++) {
		snprintf(name, sizeof(name), "memory@%" PRIx64, m->cfg.mem[i].base);
		if ((mem = fdt_add_subnode(fdt, root, name)) < 0)
			return mem;
		if (fdt_setprop_string(fdt, mem, "device_type", "memory") ||
		    fdt_setprop_u64(fdt, mem, "reg", m->cfg.mem[i].base) ||
		    fdt_appendprop_u64(fdt, mem, "reg", m->cfg.mem[i].size))
			return -FDT_ERR_NOSPACE;
	}
	if ((cpus = fdt_add_subnode(fdt, root, "cpus")) < 0)
		return cpus;
	if (fdt_setprop_u32(fdt, cpus, "#address-cells", 1) || fdt_setprop_u32(fdt, cpus, "#size-cells", 0) ||
	    fdt_setprop_u32(fdt, cpus, "timebase-frequency", (uint32_t)m->cfg.timebase_hz))
		return -FDT_ERR_NOSPACE;
	for (i = 0; i < m->cfg.nvcpus; i++)
		if ((r = fdt_cpu(fdt, m, cpus, i)) < 0)
			return r;
	return lf->fw_base ? fdt_soc(fdt, m) : 0;
}

static int fdt_chosen(void *fdt, const char *bootargs, const struct machine *m, const struct linux_fw *lf)
{
	int chosen = fdt_add_subnode(fdt, 0, "chosen");

	if (chosen < 0)
		return chosen;
	if (fdt_setprop_string(fdt, chosen, "bootargs", bootargs))
		return -FDT_ERR_NOSPACE;
	if (m->cfg.arch == CPU_ARM64 && fdt_setprop_string(fdt, chosen, "stdout-path", "/pl011@9000000"))
		return -FDT_ERR_NOSPACE;
	if (lf->fw_base && fdt_setprop_string(fdt, chosen, "stdout-path", "/soc/serial@10000000"))
		return -FDT_ERR_NOSPACE;
	if (lf->initrd_end && (fdt_setprop_u64(fdt, chosen, "linux,initrd-start", lf->initrd_start) ||
			       fdt_setprop_u64(fdt, chosen, "linux,initrd-end", lf->initrd_end)))
		return -FDT_ERR_NOSPACE;
	return 0;
}

/* Build the tree into @buf (DTB_SPACE bytes). Return: 0, or a libfdt error. */
static int build_fdt(void *buf, const struct machine *m, const char *bootargs, const struct linux_fw *lf)
{
	int r = fdt_create_empty_tree(buf, (int)DTB_SPACE);

	if (r == 0)
		r = m->cfg.arch == CPU_ARM64 ? linux_arm64_fdt(buf, m, lf) : fdt_machine(buf, m, lf);
	if (r == 0)
		r = fdt_chosen(buf, bootargs, m, lf);
	return r < 0 ? r : fdt_pack(buf);
}

/* ---- the scenario side ------------------------------------------------------------------ */

static int copy_arg(struct pctx *p, const char *what, char *out, size_t n)
{
	struct tok *t = scn_next(p, what);

	if (!t)
		return -1;
	if (t->len >= n)
		return scn_perr(p, t->col, "%s longer than %zu characters", what, n - 1);
	memcpy(out, t->text, t->len + 1);
	return 0;
}

static int parse_linux(struct pctx *p, struct scn_cmd *c)
{
	struct linux_step *l;

	if (p->s->cfg.arch != CPU_RISCV64 && p->s->cfg.arch != CPU_ARM64)
		return scn_perr(p, c->col, "'linux' boots riscv64 and arm64 kernels: put 'arch riscv64' or 'arch arm64' above it");
	if (!(l = scn_typed(p, c, sizeof(*l))) || copy_arg(p, "kernel Image", l->image, sizeof(l->image)) < 0)
		return -1;
	if (p->s->cfg.arch == CPU_ARM64) {
		/* the secondaries wait for the kernel's PSCI CPU_ON (booting.rst, "enable-method") */
		p->s->cfg.secondaries_off = true;
		snprintf(l->bootargs, sizeof(l->bootargs), "earlycon=pl011,0x9000000 console=ttyAMA0");
	} else {
		snprintf(l->bootargs, sizeof(l->bootargs), "earlycon=sbi console=hvc0");
	}
	while (p->i < p->n) {
		struct tok *t = &p->t[p->i++];

		if (scn_is(t, "initrd") && !l->initrd[0]) {
			if (copy_arg(p, "initrd", l->initrd, sizeof(l->initrd)) < 0)
				return -1;
		} else if (scn_is(t, "firmware") && !l->firmware[0] && p->s->cfg.arch == CPU_RISCV64) {
			if (copy_arg(p, "firmware (a flat binary, or 'opensbi')", l->firmware, sizeof(l->firmware)) < 0)
				return -1;
			p->s->cfg.mmode_fw = true;
		} else if (scn_is(t, "bootargs")) {
			if (copy_arg(p, "boot arguments", l->bootargs, sizeof(l->bootargs)) < 0)
				return -1;
		} else {
			return scn_perr(p, t->col, "unexpected '%s' (initrd FILE, %sbootargs \"TEXT\")", t->text,
					p->s->cfg.arch == CPU_RISCV64 ? "firmware FILE|opensbi, " : "");
		}
	}
	return 0;
}

/* The whole of @name (found as `load` finds images) into a malloc'd buffer. Return: it, or NULL (reported). */
static uint8_t *read_input(struct exec *x, const struct scn_cmd *c, const char *name, size_t *len)
{
	char path[1024];
	enum infile_err err;
	uint64_t size;
	uint8_t *buf;
	FILE *f;

	scenario_image_path(x->s, x->opt->guest_dir, name, path, sizeof(path));
	if (!(f = infile_open(path, &size, &err))) {
		if (err != INFILE_ERRNO)
			scn_errorf(x, c, "cannot load %s: not a regular file", name);
		else if (errno == ENOENT && strcmp(name, ((const struct linux_step *)c->ext)->image) == 0)
			scn_errorf(x, c, "cannot load %s: %s (scripts/build-linux.sh %s builds the kernel and links it into "
				   "the guest directory)", name, strerror(errno), cpu_arch_name(x->m.cfg.arch));
		else
			scn_errorf(x, c, "cannot load %s: %s", name, strerror(errno));
		return NULL;
	}
	if (size > FILE_MAX) {
		fclose(f);
		scn_errorf(x, c, "cannot load %s: larger than 1 GiB", name);
		return NULL;
	}
	buf = malloc((size_t)size + 1);
	*len = buf ? fread(buf, 1, (size_t)size, f) : 0;
	fclose(f);
	if (!buf || *len != (size_t)size) {
		free(buf);
		scn_errorf(x, c, "cannot read %s", name);
		return NULL;
	}
	return buf;
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/*
 * The Image at RAM base + text_offset (arm64: the first 2 MiB aligned base),
 * after its header's magic; its image_size (with BSS) must fit below what
 * the device tree and pKVM's memory take.
 */
static int load_image(struct exec *x, const struct scn_cmd *c, struct linux_fw *lf, const char *name)
{
	const struct mem_region *r = &x->m.cfg.mem[0];
	bool arm64 = x->m.cfg.arch == CPU_ARM64;
	uint64_t base = arm64 ? (r->base + SZ_2M - 1) & ~(SZ_2M - 1) : r->base, size, off, room;
	size_t len = 0;
	uint8_t *img = read_input(x, c, name, &len);
	int ret = -1;

	if (!img)
		return -1;
	if (len < IMAGE_HEADER || (uint32_t)le64(img + 56) != (arm64 ? IMAGE_MAGIC_ARM64 : IMAGE_MAGIC2)) {
		scn_errorf(x, c, arm64 ? "%s is not an arm64 Linux Image (no \"ARM\\x64\" magic at offset 56)"
				       : "%s is not a RISC-V Linux Image (no \"RSC\\x05\" magic at offset 56)", name);
		goto out;
	}
	off = le64(img + 8);
	size = le64(img + 16) > len ? le64(img + 16) : len;
	room = lf->low_top > base ? lf->low_top - base : 0;
	if (off >= room || size > room - off) {
		scn_errorf(x, c, "%s needs 0x%" PRIx64 " bytes at 0x%" PRIx64 ": more than the first memory region holds",
			   name, size, base + off);
		goto out;
	}
	lf->image_base = base + off;
	lf->image_end = lf->image_base + size;
	ret = machine_mem_write(&x->m, lf->image_base, img, len) < 0 ? scn_errorf(x, c, "cannot write %s", name) : 0;
out:
	free(img);
	return ret;
}

/* The initrd just below the device tree, page aligned. */
static int load_initrd(struct exec *x, const struct scn_cmd *c, struct linux_fw *lf, const char *name)
{
	size_t len = 0;
	uint8_t *rd = read_input(x, c, name, &len);
	uint64_t top = lf->low_top;
	int ret;

	if (!rd)
		return -1;
	if (len > top - lf->image_end || ((top - len) & ~0xfffull) < lf->image_end) {
		free(rd);
		return scn_errorf(x, c, "initrd %s (%zu bytes) does not fit between the kernel and the device tree", name, len);
	}
	lf->initrd_start = (top - len) & ~0xfffull;
	lf->initrd_end = lf->initrd_start + len;
	ret = machine_mem_write(&x->m, lf->initrd_start, rd, len);
	free(rd);
	return ret < 0 ? scn_errorf(x, c, "cannot write initrd %s", name) : 0;
}

/*
 * Guest M-mode firmware (riscv64): a flat binary at the start of RAM, where
 * OpenSBI's generic fw_dynamic is linked (FW_TEXT_START), below the
 * Image's 2 MiB; its fw_dynamic_info goes in the page below the device tree.
 */
static int load_firmware(struct exec *x, const struct scn_cmd *c, struct linux_fw *lf, const char *name)
{
	const struct mem_region *r = &x->m.cfg.mem[0];
	bool opensbi = strcmp(name, "opensbi") == 0;
	size_t len = 0;
	uint8_t *fw;
	int ret = -1;

	if (opensbi && access(OPENSBI_FW_DYNAMIC, R_OK) != 0)
		return scn_errorf(x, c, "cannot load %s: %s (Debian's opensbi package; scripts/deps.sh installs it)",
				  OPENSBI_FW_DYNAMIC, strerror(errno));
	if (!(fw = read_input(x, c, opensbi ? OPENSBI_FW_DYNAMIC : name, &len)))
		return -1;
	if (len >= 4 && memcmp(fw, "\177ELF", 4) == 0)
		scn_errorf(x, c, "%s is an ELF file: give the flat binary (fw_dynamic.bin)", name);
	else if (len == 0 || len > SZ_2M)
		scn_errorf(x, c, "%s: %zu bytes; a firmware must fit in the 2 MiB below the kernel", name, len);
	else if (machine_mem_write(&x->m, r->base, fw, len) < 0)
		scn_errorf(x, c, "cannot write %s", name);
	else
		ret = 0;
	free(fw);
	lf->fw_base = r->base;
	lf->fw_info = lf->low_top - 0x1000;
	lf->low_top = lf->fw_info;
	return ret;
}

/* OpenSBI's fw_dynamic_info: the next stage is the Image, in S-mode; hart 0 boots. */
static int write_fw_info(struct exec *x, const struct linux_fw *lf)
{
	const uint64_t info[6] = { FW_DYNAMIC_INFO_MAGIC, FW_DYNAMIC_INFO_VERSION, lf->image_base,
				   FW_DYNAMIC_INFO_NEXT_MODE_S, 0 /* options */, 0 /* boot_hart */ };
	uint8_t b[sizeof(info)];
	size_t i;

	for (i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)(info[i / 8] >> (8 * (i % 8)));
	return machine_mem_write(&x->m, lf->fw_info, b, sizeof(b));
}

static int exec_linux(struct exec *x, const struct scn_cmd *c)
{
	const struct linux_step *l = c->ext;
	const struct mem_region *r = &x->m.cfg.mem[0];
	struct linux_fw *lf;
	char err[160] = "";
	uint8_t *dtb;
	int e;

	if (x->have_image)
		return scn_errorf(x, c, "the scenario loads an image already: 'linux' is the only one");
	if (!(lf = calloc(1, sizeof(*lf))) || !(dtb = calloc(1, DTB_SPACE))) {
		free(lf);
		return scn_errorf(x, c, "out of memory");
	}
	machine_set_model(&x->m, &linux_binding, lf);
	lf->dtb = r->base + r->size - DTB_SPACE;
	lf->low_top = lf->dtb;
	if (x->m.cfg.arch == CPU_ARM64 && (linux_arm64_reserve(&x->m, lf, err, sizeof(err)) < 0 || pl011_fw_attach(&x->m) < 0)) {
		free(dtb);
		return scn_errorf(x, c, "%s", err[0] ? err : x->m.err);
	}
	if (l->firmware[0] && load_firmware(x, c, lf, l->firmware) < 0) {
		free(dtb);
		return -1;
	}
	if (l->firmware[0] && (clint_fw_attach(&x->m) < 0 || ns16550_fw_attach(&x->m) < 0)) {
		free(dtb);
		return scn_errorf(x, c, "%s", x->m.err);
	}
	if (load_image(x, c, lf, l->image) < 0 || (l->initrd[0] && load_initrd(x, c, lf, l->initrd) < 0) ||
	    (lf->fw_base && write_fw_info(x, lf) < 0)) {
		free(dtb);
		return -1;
	}
	if ((e = build_fdt(dtb, &x->m, l->bootargs, lf)) < 0 || machine_mem_write(&x->m, lf->dtb, dtb, fdt_totalsize(dtb)) < 0) {
		free(dtb);
		return scn_errorf(x, c, "cannot build the device tree: %s", e < 0 ? fdt_strerror(e) : "no room");
	}
	free(dtb);
	x->m.entry = lf->fw_base ? lf->fw_base : lf->image_base;
	x->have_image = true;
	return x->m.cfg.arch == CPU_ARM64 ? linux_arm64_pkvm(x, c, lf) : 0;
}

/* The Image, then the initrd, then the firmware: a recording keeps their digests. */
static const char *linux_image(const struct scn_cmd *c, int i)
{
	const struct linux_step *l = c->ext;

	if (i == 0)
		return l->image;
	if (i == 1 && l->initrd[0])
		return l->initrd;
	if (i == 1 + !!l->initrd[0] && l->firmware[0])
		return strcmp(l->firmware, "opensbi") == 0 ? OPENSBI_FW_DYNAMIC : l->firmware;
	return NULL;
}

static const struct scn_verb linux_verbs[] = {
	/* session: model-only replay loads the Image, device tree and pKVM's per-CPU array again */
	{ .word = "linux", .parse = parse_linux, .exec = exec_linux, .image = linux_image, .session = true },
	{ 0 },
};

static const struct scn_family linux_family = {
	.verbs = linux_verbs,
};

/* Attached by the `linux` step (it sets the state), not at machine creation. */
const struct model_binding linux_binding = {
	.name = "linux",
	.detach = linux_detach,
	.vcpu_boot = linux_vcpu_boot,
	.family = &linux_family,
};
