/* SPDX-License-Identifier: MIT */
/*
 * A GICv3 (Arm IHI 0069, "GIC architecture specification v3 and v4") with a
 * single Security state: a distributor, one redistributor per CPU and each
 * CPU's system-register interface (ICC_*_EL1).  Pure: the caller maps the
 * frames, forwards the register accesses, and drives each CPU's IRQ and FIQ
 * inputs from gicv3_outputs().  docs/models/gicv3.md says what is modelled
 * and which architectural choices were taken.
 *
 * Shape (fixed; each a register value a guest can read):
 *  - INTIDs 0..1019: SGIs 0-15 and PPIs 16-31 banked per CPU in the
 *    redistributor's SGI frame, SPIs 32-1019 in the distributor
 *    (GICD_TYPER.ITLinesNumber 31); no LPIs, no extended ranges.
 *  - One Security state (GICD_TYPER.SecurityExtn 0, GICD_CTLR.DS reads 1):
 *    Group 0 is signalled as FIQ, Group 1 as IRQ.  Affinity routing always
 *    on (GICD_CTLR.ARE RAO/WI).
 *  - 5 priority bits (ICC_CTLR_EL1.PRIbits 4): priority fields, PMR and RPR
 *    keep bits [7:3]; 32 group priorities, one active-priority bit each in
 *    ICC_AP0R0/ICC_AP1R0.
 *  - CPU n has affinity 0.0.0.n (MPIDR_EL1.Aff0 = n); SPIs are routed by
 *    GICD_IROUTER<n> to one CPU (GICD_TYPER.No1N 1: no 1-of-N routing).
 */
#ifndef HYPSIM_GICV3_H
#define HYPSIM_GICV3_H

#include <stdbool.h>
#include <stdint.h>

#define GIC_MAX_CPUS 64
#define GIC_NR_INTIDS 1024 /* 1020-1023 are the special INTIDs */
#define GIC_SPURIOUS 1023
#define GIC_PRI_MASK 0xf8u /* 5 implemented priority bits */
#define GIC_IDLE_PRIORITY 0xffu

#define GICD_SIZE 0x10000ull    /* the distributor's frame */
#define GICR_STRIDE 0x20000ull  /* each redistributor: RD_base and SGI_base frames */

/* gicv3_outputs() bits. */
#define GIC_OUT_IRQ 1u
#define GIC_OUT_FIQ 2u

/* The CPU interface registers, by their names. */
enum gic_icc {
	ICC_PMR, ICC_IAR0, ICC_EOIR0, ICC_HPPIR0, ICC_BPR0, ICC_AP0R0, ICC_AP0R1, ICC_AP0R2, ICC_AP0R3,
	ICC_AP1R0, ICC_AP1R1, ICC_AP1R2, ICC_AP1R3, ICC_DIR, ICC_RPR, ICC_SGI1R, ICC_ASGI1R, ICC_SGI0R,
	ICC_IAR1, ICC_EOIR1, ICC_HPPIR1, ICC_BPR1, ICC_CTLR, ICC_SRE, ICC_IGRPEN0, ICC_IGRPEN1,
	ICC_NREGS
};

/* Per-INTID state in 32-bit words; words 0 (SGIs, PPIs) are banked per CPU. */
struct gic_bank {
	uint32_t group, enable, latch, level, active, edge;
};

struct gic_cpu {
	struct gic_bank priv;       /* INTIDs 0-31 */
	uint8_t prio[32];
	bool sleep;                 /* GICR_WAKER.ProcessorSleep */
	uint8_t pmr, bpr0, bpr1;
	uint32_t ctlr;              /* ICC_CTLR_EL1: CBPR, EOImode */
	bool grpen0, grpen1;
	uint32_t apr[2];            /* ICC_AP0R0, ICC_AP1R0: active group priorities */
};

struct gicv3 {
	int ncpus;
	uint32_t ctlr;              /* GICD_CTLR: EnableGrp0, EnableGrp1 */
	struct gic_bank spi[GIC_NR_INTIDS / 32]; /* word 0 unused */
	uint8_t prio[GIC_NR_INTIDS];
	uint64_t irouter[GIC_NR_INTIDS];
	struct gic_cpu cpu[GIC_MAX_CPUS];
};

/** gicv3_reset() - the reset state for @ncpus CPUs (1..GIC_MAX_CPUS). */
void gicv3_reset(struct gicv3 *g, int ncpus);

/**
 * gicv3_dist_access() / gicv3_redist_access() - a guest load (@write false,
 * return the value) or store of @size bytes at offset @off in the
 * distributor's frame or CPU @cpu's redistributor (RD_base then SGI_base,
 * GICR_STRIDE bytes).  Reserved offsets read as zero and ignore writes.
 */
uint64_t gicv3_dist_access(struct gicv3 *g, uint64_t off, unsigned size, uint64_t value, bool write);
uint64_t gicv3_redist_access(struct gicv3 *g, int cpu, uint64_t off, unsigned size, uint64_t value, bool write);

/**
 * gicv3_icc_read() / gicv3_icc_write() - an MRS / MSR of @reg by CPU @cpu.
 * Write-only registers read as 0 and read-only ones ignore writes (the
 * architecture makes those accesses UNDEFINED: gicv3_icc_writable() and
 * gicv3_icc_readable() say which, for the caller to refuse).
 */
uint64_t gicv3_icc_read(struct gicv3 *g, int cpu, enum gic_icc reg);
void gicv3_icc_write(struct gicv3 *g, int cpu, enum gic_icc reg, uint64_t value);
bool gicv3_icc_readable(enum gic_icc reg);
bool gicv3_icc_writable(enum gic_icc reg);
/** gicv3_icc_from_enc() - the register an MRS/MSR encoding (op0,op1,CRn,CRm,op2) names, or ICC_NREGS. */
enum gic_icc gicv3_icc_from_enc(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2);
const char *gicv3_icc_name(enum gic_icc reg);

/**
 * gicv3_set_level() - a wired interrupt's input level: a PPI of CPU @cpu
 * (16-31) or an SPI (@cpu ignored).  A level-sensitive INTID is pending
 * while its level is high; an edge-triggered one latches pending on a
 * rising edge.
 */
void gicv3_set_level(struct gicv3 *g, int cpu, unsigned intid, bool level);
/** gicv3_set_pending() - make INTID pending (or clear its latch), as GICD_ISPENDR/ICPENDR writes do. */
void gicv3_set_pending(struct gicv3 *g, int cpu, unsigned intid, bool pending);

/** gicv3_outputs() - CPU @cpu's IRQ and FIQ inputs (GIC_OUT_*). */
unsigned gicv3_outputs(const struct gicv3 *g, int cpu);
/** gicv3_hppi() - CPU @cpu's highest-priority pending INTID of an enabled group, or GIC_SPURIOUS. */
unsigned gicv3_hppi(const struct gicv3 *g, int cpu);

uint64_t gicv3_digest(const struct gicv3 *g);

#endif
