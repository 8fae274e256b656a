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
	char bootargs[1024];
};

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

static int fdt_machine(void *fdt, const struct machine *m)
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
	return 0;
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
		r = m->cfg.arch == CPU_ARM64 ? linux_arm64_fdt(buf, m, lf) : fdt_machine(buf, m);
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
		} else if (scn_is(t, "bootargs")) {
			if (copy_arg(p, "boot arguments", l->bootargs, sizeof(l->bootargs)) < 0)
				return -1;
		} else {
			return scn_perr(p, t->col, "unexpected '%s' (initrd FILE, bootargs \"TEXT\")", t->text);
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
		else if (errno == ENOENT)
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
	if (load_image(x, c, lf, l->image) < 0 || (l->initrd[0] && load_initrd(x, c, lf, l->initrd) < 0)) {
		free(dtb);
		return -1;
	}
	if ((e = build_fdt(dtb, &x->m, l->bootargs, lf)) < 0 || machine_mem_write(&x->m, lf->dtb, dtb, fdt_totalsize(dtb)) < 0) {
		free(dtb);
		return scn_errorf(x, c, "cannot build the device tree: %s", e < 0 ? fdt_strerror(e) : "no room");
	}
	free(dtb);
	x->m.entry = lf->image_base;
	x->have_image = true;
	return x->m.cfg.arch == CPU_ARM64 ? linux_arm64_pkvm(x, c, lf) : 0;
}

/* The Image, then the initrd: a recording keeps their digests. */
static const char *linux_image(const struct scn_cmd *c, int i)
{
	const struct linux_step *l = c->ext;

	return i == 0 ? l->image : i == 1 && l->initrd[0] ? l->initrd : NULL;
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
