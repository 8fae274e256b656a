/* SPDX-License-Identifier: MIT */
/*
 * The arm64 half of the `linux` step (linux_fw.c): the device tree an arm64
 * kernel needs, and, with pKVM in the setup, what the host kernel's own KVM
 * code would have done before it runs as pKVM's host.
 *
 * Device tree (QEMU virt's layout, so the same Image boots on both): memory,
 * the CPUs with enable-method "psci" (reg = MPIDR Aff0), the `psci` node
 * with the HVC conduit hypsim's EL2 serves, the GICv3 (distributor and one
 * redistributor region), the generic timer's four PPIs (secure and
 * non-secure physical, virtual, hypervisor: 13, 14, 11, 10 as
 * Documentation/devicetree/bindings/timer/arm,arch_timer.yaml orders them),
 * the PL011 on SPI 1 with its 24 MHz clock, and `chosen`.
 *
 * pKVM: a Linux booted at EL1 cannot initialise pKVM itself (it needs EL2
 * for that), so the step stands in for it.  kvm_hyp_reserve()
 * (arch/arm64/kvm/pkvm.c) sizes the hyp region, hypsim places it 2 MiB
 * aligned at the top of memory below the device tree, with the per-CPU
 * hyp areas under it, and the device tree keeps the kernel off both
 * (/reserved-memory, no-map).  Then, as kvm_hyp_init_protection() and
 * finalize_pkvm() in arch/arm64/kvm/arm.c do: __pkvm_init on CPU 0, the
 * kvm_protected_mode_initialized key, and __pkvm_prot_finalize on every
 * CPU, so that the kernel's first instruction already runs under the host
 * stage-2.  Each is a real hypercall into the model, traced as one.
 */
#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>

#include "binding.h"
#include "firmware.h"
#include "linux_internal.h"
#include "pkvm.h"

#define SZ_2M 0x200000ull
#define PAGE 0x1000ull
#define PHANDLE_GIC 1u
#define PHANDLE_CLK 2u
#define PL011_CLOCK_HZ 24000000u

/* ---- pKVM's memory ---------------------------------------------------------------------- */

/* hyp_mem_pages in kvm_hyp_reserve(): hyp stage 1, host stage 2, VM table, vmemmap, FF-A. */
static uint64_t hyp_mem_pages(const struct pkvm *pk)
{
	const struct hyp_memblock *mb = &pk->cfg.memblock;

	return pkvm_hyp_s1_pgtable_pages(mb, 1) + pkvm_host_s2_pgtable_pages(mb, 1) + 1 + pkvm_vmemmap_pages(mb, 1) +
	       pk->cfg.ffa_pages;
}

int linux_arm64_reserve(struct machine *m, struct linux_fw *lf, char *err, size_t n)
{
	const struct pkvm *pk = machine_pkvm(m);
	uint64_t size, cpus = (uint64_t)m->cfg.nvcpus;

	if (!pk)
		return 0;
	size = (hyp_mem_pages(pk) * PAGE + SZ_2M - 1) & ~(SZ_2M - 1);
	if (lf->dtb - m->cfg.mem[0].base < size + SZ_2M) {
		snprintf(err, n, "pKVM's memory (0x%" PRIx64 " bytes) does not fit in the first memory region", size);
		return -1;
	}
	lf->hyp_size = size;
	lf->hyp_base = (lf->dtb - size) & ~(SZ_2M - 1);
	lf->percpu_array = lf->hyp_base - (cpus + 1) * PAGE;
	lf->low_top = lf->percpu_array;
	return 0;
}

/* ---- the device tree ------------------------------------------------------------------------- */

static int reg2(void *fdt, int node, uint64_t base, uint64_t size)
{
	return fdt_setprop_u64(fdt, node, "reg", base) || fdt_appendprop_u64(fdt, node, "reg", size);
}

static int node(void *fdt, int parent, const char *name, uint64_t addr)
{
	char full[64];

	snprintf(full, sizeof(full), "%s@%" PRIx64, name, addr);
	return fdt_add_subnode(fdt, parent, full);
}

static int fdt_memory(void *fdt, const struct machine *m, const struct linux_fw *lf)
{
	int i, mem, rsv, hyp;

	for (i = 0; i < m->cfg.nmem; i++) {
		if ((mem = node(fdt, 0, "memory", m->cfg.mem[i].base)) < 0)
			return mem;
		if (fdt_setprop_string(fdt, mem, "device_type", "memory") ||
		    reg2(fdt, mem, m->cfg.mem[i].base, m->cfg.mem[i].size))
			return -FDT_ERR_NOSPACE;
	}
	if (!lf->hyp_size)
		return 0;
	if ((rsv = fdt_add_subnode(fdt, 0, "reserved-memory")) < 0)
		return rsv;
	if (fdt_setprop_u32(fdt, rsv, "#address-cells", 2) || fdt_setprop_u32(fdt, rsv, "#size-cells", 2) ||
	    fdt_setprop(fdt, rsv, "ranges", NULL, 0))
		return -FDT_ERR_NOSPACE;
	if ((hyp = node(fdt, rsv, "pkvm", lf->percpu_array)) < 0)
		return hyp;
	if (reg2(fdt, hyp, lf->percpu_array, lf->hyp_base + lf->hyp_size - lf->percpu_array) ||
	    fdt_setprop(fdt, hyp, "no-map", NULL, 0))
		return -FDT_ERR_NOSPACE;
	return 0;
}

static int fdt_cpus(void *fdt, const struct machine *m)
{
	int cpus = fdt_add_subnode(fdt, 0, "cpus"), cpu, i;

	if (cpus < 0)
		return cpus;
	if (fdt_setprop_u32(fdt, cpus, "#address-cells", 1) || fdt_setprop_u32(fdt, cpus, "#size-cells", 0))
		return -FDT_ERR_NOSPACE;
	for (i = m->cfg.nvcpus - 1; i >= 0; i--) { /* fdt_add_subnode() puts each before the last: cpu@0 first */
		if ((cpu = node(fdt, cpus, "cpu", (uint64_t)i)) < 0)
			return cpu;
		if (fdt_setprop_string(fdt, cpu, "device_type", "cpu") ||
		    fdt_setprop_string(fdt, cpu, "compatible", "arm,cortex-a72") ||
		    fdt_setprop_u32(fdt, cpu, "reg", (uint32_t)i) || fdt_setprop_string(fdt, cpu, "enable-method", "psci"))
			return -FDT_ERR_NOSPACE;
	}
	return 0;
}

static int fdt_psci_timer(void *fdt)
{
	static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";
	/* PPI, number, IRQ_TYPE_LEVEL_HIGH: secure phys, non-secure phys, virtual, hypervisor */
	static const uint32_t ppis[] = { 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4 };
	int psci = fdt_add_subnode(fdt, 0, "psci"), timer, i;

	if (psci < 0)
		return psci;
	if (fdt_setprop(fdt, psci, "compatible", psci_compat, sizeof(psci_compat)) ||
	    fdt_setprop_string(fdt, psci, "method", "hvc"))
		return -FDT_ERR_NOSPACE;
	if ((timer = fdt_add_subnode(fdt, 0, "timer")) < 0)
		return timer;
	if (fdt_setprop_string(fdt, timer, "compatible", "arm,armv8-timer"))
		return -FDT_ERR_NOSPACE;
	for (i = 0; i < 12; i++)
		if (fdt_appendprop_u32(fdt, timer, "interrupts", ppis[i]))
			return -FDT_ERR_NOSPACE;
	return 0;
}

static int fdt_gic(void *fdt, const struct machine *m)
{
	int gic = node(fdt, 0, "intc", HYPSIM_GICD_BASE);

	if (gic < 0)
		return gic;
	if (fdt_setprop_string(fdt, gic, "compatible", "arm,gic-v3") || fdt_setprop_u32(fdt, gic, "#interrupt-cells", 3) ||
	    fdt_setprop(fdt, gic, "interrupt-controller", NULL, 0) || reg2(fdt, gic, HYPSIM_GICD_BASE, 0x10000) ||
	    fdt_appendprop_u64(fdt, gic, "reg", HYPSIM_GICR_BASE) ||
	    fdt_appendprop_u64(fdt, gic, "reg", (uint64_t)m->cfg.nvcpus * 0x20000) ||
	    fdt_setprop_u32(fdt, gic, "#redistributor-regions", 1) || fdt_setprop_u32(fdt, gic, "phandle", PHANDLE_GIC))
		return -FDT_ERR_NOSPACE;
	return 0;
}

static int fdt_uart(void *fdt)
{
	static const char uart_compat[] = "arm,pl011\0arm,primecell";
	static const char clock_names[] = "uartclk\0apb_pclk";
	int clk = fdt_add_subnode(fdt, 0, "apb-pclk"), uart;

	if (clk < 0)
		return clk;
	if (fdt_setprop_string(fdt, clk, "compatible", "fixed-clock") || fdt_setprop_u32(fdt, clk, "#clock-cells", 0) ||
	    fdt_setprop_u32(fdt, clk, "clock-frequency", PL011_CLOCK_HZ) ||
	    fdt_setprop_string(fdt, clk, "clock-output-names", "clk24mhz") ||
	    fdt_setprop_u32(fdt, clk, "phandle", PHANDLE_CLK))
		return -FDT_ERR_NOSPACE;
	if ((uart = node(fdt, 0, "pl011", HYPSIM_PL011_BASE)) < 0)
		return uart;
	if (fdt_setprop(fdt, uart, "compatible", uart_compat, sizeof(uart_compat)) ||
	    reg2(fdt, uart, HYPSIM_PL011_BASE, 0x1000) || fdt_setprop_u32(fdt, uart, "interrupts", 0) ||
	    fdt_appendprop_u32(fdt, uart, "interrupts", HYPSIM_PL011_SPI - 32) ||
	    fdt_appendprop_u32(fdt, uart, "interrupts", 4) || fdt_setprop_u32(fdt, uart, "clocks", PHANDLE_CLK) ||
	    fdt_appendprop_u32(fdt, uart, "clocks", PHANDLE_CLK) ||
	    fdt_setprop(fdt, uart, "clock-names", clock_names, sizeof(clock_names)))
		return -FDT_ERR_NOSPACE;
	return 0;
}

int linux_arm64_fdt(void *fdt, const struct machine *m, const struct linux_fw *lf)
{
	int r;

	if (fdt_setprop_u32(fdt, 0, "#address-cells", 2) || fdt_setprop_u32(fdt, 0, "#size-cells", 2) ||
	    fdt_setprop_string(fdt, 0, "compatible", "hypsim,arm64-virt") ||
	    fdt_setprop_string(fdt, 0, "model", "hypsim arm64") ||
	    fdt_setprop_u32(fdt, 0, "interrupt-parent", PHANDLE_GIC))
		return -FDT_ERR_NOSPACE;
	if ((r = fdt_memory(fdt, m, lf)) < 0 || (r = fdt_cpus(fdt, m)) < 0 || (r = fdt_psci_timer(fdt)) < 0 ||
	    (r = fdt_gic(fdt, m)) < 0 || (r = fdt_uart(fdt)) < 0)
		return r;
	return 0;
}

/* ---- pKVM on the host's behalf -------------------------------------------------------------- */

/* A hypercall from @vcpu, as the kernel would make it. Return: its x0 (x1 in *@x1). */
static uint64_t hyp_call(struct machine *m, int vcpu, const uint64_t a[6], uint64_t *x1)
{
	uint64_t ret[4];

	smccc_host_call(m, &m->vcpus[vcpu], a, ret);
	*x1 = ret[1];
	return ret[0];
}

int linux_arm64_pkvm(struct exec *x, const struct scn_cmd *c, struct linux_fw *lf)
{
	struct machine *m = &x->m;
	struct run_goal g = { .until_cycle = 0 };
	uint64_t a[6], x0, x1;
	int i;

	if (!lf->hyp_size)
		return 0;
	for (i = 0; i < m->cfg.nvcpus; i++) {
		uint64_t area = lf->percpu_array + (uint64_t)(i + 1) * PAGE;

		if (machine_mem_write(m, lf->percpu_array + 8 * (uint64_t)i, &area, 8) < 0)
			return scn_errorf(x, c, "cannot write pKVM's per-CPU array");
	}
	if (m->model_only) /* the calls below are in the log being replayed */
		return 0;
	if (machine_run(m, &g) == RUN_ERROR) /* boots vCPU 0; the others wait for PSCI CPU_ON */
		return scn_errorf(x, c, "simulator error: %s", m->err);
	a[0] = KVM_HOST_SMCCC_ID(PKVM_HC_PKVM_INIT);
	a[1] = lf->hyp_base;
	a[2] = lf->hyp_size;
	a[3] = (uint64_t)m->cfg.nvcpus;
	a[4] = lf->percpu_array;
	a[5] = 48; /* hyp_va_bits */
	if ((x0 = hyp_call(m, 0, a, &x1)) != 0 || x1 != 0)
		return scn_errorf(x, c, "pKVM refused __pkvm_init(0x%" PRIx64 ", 0x%" PRIx64 ", %d, 0x%" PRIx64 "): x0 %" PRId64
				  ", x1 %" PRId64, lf->hyp_base, lf->hyp_size, m->cfg.nvcpus, lf->percpu_array,
				  (int64_t)x0, (int64_t)x1);
	a[0] = HYPSIM_SIP_PKVM_KEY;
	hyp_call(m, 0, a, &x1);
	for (i = 0; i < m->cfg.nvcpus; i++) {
		a[0] = KVM_HOST_SMCCC_ID(PKVM_HC_PROT_FINALIZE);
		if ((x0 = hyp_call(m, i, a, &x1)) != 0 || x1 != 0)
			return scn_errorf(x, c, "pKVM refused __pkvm_prot_finalize on vCPU %d: x0 %" PRId64 ", x1 %" PRId64, i,
					  (int64_t)x0, (int64_t)x1);
	}
	return 0;
}
