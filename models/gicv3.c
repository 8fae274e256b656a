/* SPDX-License-Identifier: MIT */
/* A GICv3 with one Security state: distributor, redistributors, CPU interfaces (gicv3.h). */
#include <string.h>

#include "digest.h"
#include "gicv3.h"

#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_DS (1u << 6)
#define ICC_CTLR_CBPR (1u << 0)
#define ICC_CTLR_EOIMODE (1u << 1)
#define ICC_CTLR_PRIBITS (4u << 8) /* 5 bits */
#define BPR0_MIN 2u
#define BPR1_MIN 3u
#define IIDR_ARM 0x43bu

/* PIDR4-7, PIDR0-3, CIDR0-3 at 0xffd0..0xfffc: GICv3 (PIDR2.ArchRev 3), as QEMU's. */
static const uint8_t id_regs[12] = { 0x44, 0, 0, 0, 0x92, 0xb4, 0x3b, 0, 0x0d, 0xf0, 0x05, 0xb1 };

void gicv3_reset(struct gicv3 *g, int ncpus)
{
	int i;

	memset(g, 0, sizeof(*g));
	g->ncpus = ncpus < 1 ? 1 : ncpus > GIC_MAX_CPUS ? GIC_MAX_CPUS : ncpus;
	for (i = 0; i < GIC_MAX_CPUS; i++) {
		g->cpu[i].priv.edge = 0xffffu; /* SGIs are edge-triggered; PPIs reset level-sensitive */
		g->cpu[i].sleep = true;
		g->cpu[i].bpr0 = BPR0_MIN;
		g->cpu[i].bpr1 = BPR1_MIN;
	}
}

static struct gic_bank *bank(struct gicv3 *g, int cpu, unsigned intid)
{
	return intid < 32 ? &g->cpu[cpu].priv : &g->spi[intid / 32];
}

static const struct gic_bank *cbank(const struct gicv3 *g, int cpu, unsigned intid)
{
	return intid < 32 ? &g->cpu[cpu].priv : &g->spi[intid / 32];
}

static uint8_t *prio(struct gicv3 *g, int cpu, unsigned intid)
{
	return intid < 32 ? &g->cpu[cpu].prio[intid] : &g->prio[intid];
}

static uint32_t bank_pending(const struct gic_bank *b)
{
	return b->latch | (b->level & ~b->edge);
}

/* The CPU an SPI is routed to (GICD_IROUTER: Aff3.Aff2.Aff1.Aff0 = 0.0.0.n), or -1. */
static int spi_target(const struct gicv3 *g, unsigned intid)
{
	uint64_t r = g->irouter[intid];

	return (r & 0xff00ffff00ull) == 0 && (int)(r & 0xff) < g->ncpus ? (int)(r & 0xff) : -1;
}

static bool group_on(const struct gicv3 *g, int cpu, bool group1)
{
	return group1 ? (g->ctlr & 2) && g->cpu[cpu].grpen1 : (g->ctlr & 1) && g->cpu[cpu].grpen0;
}

static bool is_group1(const struct gicv3 *g, int cpu, unsigned intid)
{
	return (cbank(g, cpu, intid)->group >> (intid % 32)) & 1;
}

static uint8_t prio_of(const struct gicv3 *g, int cpu, unsigned intid)
{
	return intid < 32 ? g->cpu[cpu].prio[intid] : g->prio[intid];
}

/* The candidates of one word: pending, enabled, not active, of an enabled group, routed here. */
static uint32_t candidates(const struct gicv3 *g, int cpu, unsigned w)
{
	const struct gic_bank *b = w ? &g->spi[w] : &g->cpu[cpu].priv;
	uint32_t c = bank_pending(b) & b->enable & ~b->active, groups = 0;

	if (!c)
		return 0;
	if (group_on(g, cpu, true))
		groups |= b->group;
	if (group_on(g, cpu, false))
		groups |= ~b->group;
	c &= groups;
	if (w == 31)
		c &= 0x0fffffffu; /* 1020-1023 are not interrupts */
	return c;
}

unsigned gicv3_hppi(const struct gicv3 *g, int cpu)
{
	unsigned best = GIC_SPURIOUS, bestp = 0x100, w;

	for (w = 0; w < GIC_NR_INTIDS / 32; w++) {
		uint32_t c = candidates(g, cpu, w);

		while (c) {
			unsigned bit = (unsigned)__builtin_ctz(c), id = w * 32 + bit;

			c &= c - 1;
			if (w && spi_target(g, id) != cpu)
				continue;
			if (prio_of(g, cpu, id) < bestp) {
				bestp = prio_of(g, cpu, id);
				best = id;
			}
		}
	}
	return best;
}

/* The group priority mask (the ARM's GroupBits()): BPR0 for Group 0 and for Group 1 with CBPR. */
static uint8_t gprio_mask(const struct gic_cpu *c, bool group1)
{
	if (group1 && !(c->ctlr & ICC_CTLR_CBPR))
		return (uint8_t)(0xffu << c->bpr1);
	return (uint8_t)(0xffu << (c->bpr0 + 1));
}

/* The running priority: the highest active group priority, or idle. */
static uint8_t running(const struct gic_cpu *c)
{
	uint32_t a = c->apr[0] | c->apr[1];

	return a ? (uint8_t)(__builtin_ctz(a) << 3) : GIC_IDLE_PRIORITY;
}

static bool signalled(const struct gicv3 *g, int cpu, unsigned intid)
{
	const struct gic_cpu *c = &g->cpu[cpu];
	uint8_t p = prio_of(g, cpu, intid);

	return p < c->pmr && (p & gprio_mask(c, is_group1(g, cpu, intid))) < running(c);
}

unsigned gicv3_outputs(const struct gicv3 *g, int cpu)
{
	unsigned h;

	if (cpu < 0 || cpu >= g->ncpus || g->cpu[cpu].sleep)
		return 0;
	h = gicv3_hppi(g, cpu);
	if (h == GIC_SPURIOUS || !signalled(g, cpu, h))
		return 0;
	return is_group1(g, cpu, h) ? GIC_OUT_IRQ : GIC_OUT_FIQ;
}

void gicv3_set_level(struct gicv3 *g, int cpu, unsigned intid, bool level)
{
	struct gic_bank *b;
	uint32_t bit = 1u << (intid % 32);

	if (intid < 16 || intid >= 1020 || cpu < 0 || cpu >= g->ncpus)
		return;
	b = bank(g, cpu, intid);
	if (level && !(b->level & bit) && (b->edge & bit))
		b->latch |= bit; /* a rising edge */
	b->level = level ? b->level | bit : b->level & ~bit;
}

void gicv3_set_pending(struct gicv3 *g, int cpu, unsigned intid, bool pending)
{
	struct gic_bank *b;
	uint32_t bit = 1u << (intid % 32);

	if (intid >= 1020 || cpu < 0 || cpu >= g->ncpus)
		return;
	b = bank(g, cpu, intid);
	b->latch = pending ? b->latch | bit : b->latch & ~bit;
}

/* ---- the CPU interface ------------------------------------------------------------------------ */

static unsigned acknowledge(struct gicv3 *g, int cpu, bool group1)
{
	struct gic_cpu *c = &g->cpu[cpu];
	unsigned h = gicv3_hppi(g, cpu);
	struct gic_bank *b;
	uint8_t gp;

	if (h == GIC_SPURIOUS || is_group1(g, cpu, h) != group1 || c->sleep || !signalled(g, cpu, h))
		return GIC_SPURIOUS;
	b = bank(g, cpu, h);
	b->latch &= ~(1u << (h % 32));
	b->active |= 1u << (h % 32);
	gp = prio_of(g, cpu, h) & gprio_mask(c, group1);
	c->apr[group1] |= 1u << (gp >> 3);
	return h;
}

static void deactivate(struct gicv3 *g, int cpu, unsigned intid)
{
	if (intid < 1020)
		bank(g, cpu, intid)->active &= ~(1u << (intid % 32));
}

/* EOI: drop the highest active priority if it is this group's (else UNPREDICTABLE: ignored). */
static void end_of_interrupt(struct gicv3 *g, int cpu, bool group1, uint64_t value)
{
	struct gic_cpu *c = &g->cpu[cpu];
	unsigned intid = (unsigned)(value & 0xffffff);
	uint32_t a0 = c->apr[0], a1 = c->apr[1], low;

	if (intid >= 1020 || !(a0 | a1))
		return;
	low = (a0 | a1) & -(a0 | a1);
	if (group1 ? !(a1 & low) || (a0 & low) : !(a0 & low))
		return;
	c->apr[group1] &= ~low;
	if (!(c->ctlr & ICC_CTLR_EOIMODE))
		deactivate(g, cpu, intid);
}

/* ICC_SGI0R/SGI1R: make SGI INTID pending on each target whose SGI is of the register's group. */
static void generate_sgi(struct gicv3 *g, int self, uint64_t v, bool group1)
{
	unsigned intid = (unsigned)(v >> 24) & 0xf, rs = (unsigned)(v >> 44) & 0xf;
	bool all = (v >> 40) & 1;
	int t;

	if (!all && (v & 0xff00ff00ff0000ull))
		return; /* Aff3.Aff2.Aff1 names no CPU here */
	for (t = 0; t < g->ncpus; t++) {
		unsigned a0 = (unsigned)t;

		if (all ? t == self : a0 / 16 != rs || !((v >> (a0 % 16)) & 1))
			continue;
		if (is_group1(g, t, intid) == group1)
			g->cpu[t].priv.latch |= 1u << intid;
	}
}

uint64_t gicv3_icc_read(struct gicv3 *g, int cpu, enum gic_icc reg)
{
	struct gic_cpu *c = &g->cpu[cpu];

	switch (reg) {
	case ICC_PMR: return c->pmr;
	case ICC_IAR0: return acknowledge(g, cpu, false);
	case ICC_IAR1: return acknowledge(g, cpu, true);
	case ICC_HPPIR0:
	case ICC_HPPIR1: {
		unsigned h = gicv3_hppi(g, cpu);

		return h != GIC_SPURIOUS && is_group1(g, cpu, h) == (reg == ICC_HPPIR1) ? h : GIC_SPURIOUS;
	}
	case ICC_BPR0: return c->bpr0;
	case ICC_BPR1: return c->ctlr & ICC_CTLR_CBPR ? (c->bpr0 < 7 ? c->bpr0 + 1u : 7u) : c->bpr1;
	case ICC_AP0R0: return c->apr[0];
	case ICC_AP1R0: return c->apr[1];
	case ICC_RPR: return running(c);
	case ICC_CTLR: return (c->ctlr & (ICC_CTLR_CBPR | ICC_CTLR_EOIMODE)) | ICC_CTLR_PRIBITS;
	case ICC_SRE: return 7; /* SRE, DFB, DIB: RAO/WI */
	case ICC_IGRPEN0: return c->grpen0;
	case ICC_IGRPEN1: return c->grpen1;
	default: return 0;
	}
}

void gicv3_icc_write(struct gicv3 *g, int cpu, enum gic_icc reg, uint64_t v)
{
	struct gic_cpu *c = &g->cpu[cpu];

	switch (reg) {
	case ICC_PMR: c->pmr = (uint8_t)(v & GIC_PRI_MASK); break;
	case ICC_EOIR0: end_of_interrupt(g, cpu, false, v); break;
	case ICC_EOIR1: end_of_interrupt(g, cpu, true, v); break;
	case ICC_DIR:
		if (c->ctlr & ICC_CTLR_EOIMODE)
			deactivate(g, cpu, (unsigned)(v & 0xffffff));
		break;
	case ICC_BPR0: c->bpr0 = (uint8_t)((v & 7) < BPR0_MIN ? BPR0_MIN : (v & 7)); break;
	case ICC_BPR1:
		if (!(c->ctlr & ICC_CTLR_CBPR))
			c->bpr1 = (uint8_t)((v & 7) < BPR1_MIN ? BPR1_MIN : (v & 7));
		break;
	case ICC_AP0R0: c->apr[0] = (uint32_t)v; break;
	case ICC_AP1R0: c->apr[1] = (uint32_t)v; break;
	case ICC_SGI0R: generate_sgi(g, cpu, v, false); break;
	case ICC_SGI1R: generate_sgi(g, cpu, v, true); break;
	case ICC_CTLR: c->ctlr = (uint32_t)v & (ICC_CTLR_CBPR | ICC_CTLR_EOIMODE); break;
	case ICC_IGRPEN0: c->grpen0 = v & 1; break;
	case ICC_IGRPEN1: c->grpen1 = v & 1; break;
	default: break; /* ASGI1R (no other Security state), AP*R1-3 (32 priorities), read-only ones */
	}
}

bool gicv3_icc_readable(enum gic_icc reg)
{
	return reg != ICC_EOIR0 && reg != ICC_EOIR1 && reg != ICC_DIR && reg != ICC_SGI0R && reg != ICC_SGI1R &&
	       reg != ICC_ASGI1R && reg < ICC_NREGS;
}

bool gicv3_icc_writable(enum gic_icc reg)
{
	return reg != ICC_IAR0 && reg != ICC_IAR1 && reg != ICC_HPPIR0 && reg != ICC_HPPIR1 && reg != ICC_RPR &&
	       reg < ICC_NREGS;
}

static const struct {
	uint8_t crn, crm, op2;
	const char *name;
} icc_enc[ICC_NREGS] = {
	[ICC_PMR] = { 4, 6, 0, "ICC_PMR_EL1" },       [ICC_IAR0] = { 12, 8, 0, "ICC_IAR0_EL1" },
	[ICC_EOIR0] = { 12, 8, 1, "ICC_EOIR0_EL1" },  [ICC_HPPIR0] = { 12, 8, 2, "ICC_HPPIR0_EL1" },
	[ICC_BPR0] = { 12, 8, 3, "ICC_BPR0_EL1" },    [ICC_AP0R0] = { 12, 8, 4, "ICC_AP0R0_EL1" },
	[ICC_AP0R1] = { 12, 8, 5, "ICC_AP0R1_EL1" },  [ICC_AP0R2] = { 12, 8, 6, "ICC_AP0R2_EL1" },
	[ICC_AP0R3] = { 12, 8, 7, "ICC_AP0R3_EL1" },  [ICC_AP1R0] = { 12, 9, 0, "ICC_AP1R0_EL1" },
	[ICC_AP1R1] = { 12, 9, 1, "ICC_AP1R1_EL1" },  [ICC_AP1R2] = { 12, 9, 2, "ICC_AP1R2_EL1" },
	[ICC_AP1R3] = { 12, 9, 3, "ICC_AP1R3_EL1" },  [ICC_DIR] = { 12, 11, 1, "ICC_DIR_EL1" },
	[ICC_RPR] = { 12, 11, 3, "ICC_RPR_EL1" },     [ICC_SGI1R] = { 12, 11, 5, "ICC_SGI1R_EL1" },
	[ICC_ASGI1R] = { 12, 11, 6, "ICC_ASGI1R_EL1" }, [ICC_SGI0R] = { 12, 11, 7, "ICC_SGI0R_EL1" },
	[ICC_IAR1] = { 12, 12, 0, "ICC_IAR1_EL1" },   [ICC_EOIR1] = { 12, 12, 1, "ICC_EOIR1_EL1" },
	[ICC_HPPIR1] = { 12, 12, 2, "ICC_HPPIR1_EL1" }, [ICC_BPR1] = { 12, 12, 3, "ICC_BPR1_EL1" },
	[ICC_CTLR] = { 12, 12, 4, "ICC_CTLR_EL1" },   [ICC_SRE] = { 12, 12, 5, "ICC_SRE_EL1" },
	[ICC_IGRPEN0] = { 12, 12, 6, "ICC_IGRPEN0_EL1" }, [ICC_IGRPEN1] = { 12, 12, 7, "ICC_IGRPEN1_EL1" },
};

enum gic_icc gicv3_icc_from_enc(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2)
{
	int i;

	if (op0 != 3 || op1 != 0 || (crn != 12 && crn != 4))
		return ICC_NREGS;
	for (i = 0; i < ICC_NREGS; i++)
		if (icc_enc[i].crn == crn && icc_enc[i].crm == crm && icc_enc[i].op2 == op2)
			return (enum gic_icc)i;
	return ICC_NREGS;
}

const char *gicv3_icc_name(enum gic_icc reg)
{
	return reg < ICC_NREGS ? icc_enc[reg].name : "?";
}

/* ---- the distributor and redistributors --------------------------------------------------------- */

/* The per-INTID bit registers, at the same offsets in GICD and in GICR's SGI frame. */
static bool bits_access(struct gic_bank *b, uint64_t off, uint32_t *v, bool write)
{
	uint32_t x = *v;

	switch (off & ~0x7full) {
	case 0x080: if (write) b->group = x; else *v = b->group; return true;
	case 0x100: if (write) b->enable |= x; else *v = b->enable; return true;
	case 0x180: if (write) b->enable &= ~x; else *v = b->enable; return true;
	case 0x200: if (write) b->latch |= x; else *v = bank_pending(b); return true;
	/* ICPENDR clears the latch; a level-sensitive INTID whose level is high stays pending */
	case 0x280: if (write) b->latch &= ~x; else *v = bank_pending(b); return true;
	case 0x300: if (write) b->active |= x; else *v = b->active; return true;
	case 0x380: if (write) b->active &= ~x; else *v = b->active; return true;
	}
	return false;
}

/* GICx_ICFGR<n> for 16 INTIDs: bit 2k+1 is "edge-triggered". */
static uint32_t cfg_read(uint32_t edge, unsigned half)
{
	uint32_t v = 0;
	unsigned k;

	for (k = 0; k < 16; k++)
		v |= ((edge >> (half * 16 + k)) & 1) << (2 * k + 1);
	return v;
}

static uint32_t cfg_write(uint32_t edge, unsigned half, uint32_t v)
{
	unsigned k;

	for (k = 0; k < 16; k++) {
		uint32_t bit = 1u << (half * 16 + k);

		edge = (v >> (2 * k + 1)) & 1 ? edge | bit : edge & ~bit;
	}
	return edge;
}

static uint32_t id_read(uint64_t off)
{
	return off >= 0xffd0 && off <= 0xfffc ? id_regs[(off - 0xffd0) / 4] : 0;
}

/* Priority bytes of INTIDs @first.. (@size of them), for GICD/GICR_IPRIORITYR. */
static uint64_t prio_access(struct gicv3 *g, int cpu, unsigned first, unsigned size, uint64_t v, bool write)
{
	uint64_t r = 0;
	unsigned i;

	for (i = 0; i < size && first + i < 1020; i++) {
		uint8_t *p = prio(g, cpu, first + i);

		if (write)
			*p = (uint8_t)((v >> (8 * i)) & GIC_PRI_MASK);
		r |= (uint64_t)*p << (8 * i);
	}
	return r;
}

static uint32_t dist_word(struct gicv3 *g, uint64_t off, uint32_t v, bool write)
{
	unsigned n = (unsigned)(off & 0x7f) / 4;

	if (off == 0x0000) {
		if (write)
			g->ctlr = v & 3;
		return (g->ctlr & 3) | GICD_CTLR_ARE | GICD_CTLR_DS;
	}
	if (off == 0x0004) /* ITLinesNumber 31, CPUNumber, IDbits 9 (10 bits), No1N */
		return 31u | (uint32_t)((g->ncpus > 8 ? 7 : g->ncpus - 1) << 5) | (9u << 19) | (1u << 25);
	if (off == 0x0008)
		return IIDR_ARM;
	if (off >= 0x080 && off < 0x400) {
		if (n == 0) /* SGIs and PPIs live in the redistributors (ARE) */
			return 0;
		bits_access(&g->spi[n], off, &v, write);
		return write ? 0 : v;
	}
	if (off >= 0xc00 && off < 0xd00) {
		unsigned w = (unsigned)(off - 0xc00) / 4;

		if (w < 2)
			return 0;
		if (write)
			g->spi[w / 2].edge = cfg_write(g->spi[w / 2].edge, w % 2, v);
		return cfg_read(g->spi[w / 2].edge, w % 2);
	}
	return id_read(off);
}

uint64_t gicv3_dist_access(struct gicv3 *g, uint64_t off, unsigned size, uint64_t value, bool write)
{
	if (off >= 0x400 && off < 0x800) /* byte-accessible */
		return off < 0x420 ? 0 : prio_access(g, 0, (unsigned)(off - 0x400), size, value, write);
	if (off >= 0x6100 && off < 0x6000 + 8 * 1020) { /* GICD_IROUTER<n>, n >= 32 */
		uint64_t *r = &g->irouter[(off - 0x6000) / 8];
		unsigned sh = (off & 4) ? 32 : 0;
		uint64_t mask = 0xff00ffffffull; /* Aff3, Aff2, Aff1, Aff0; IRM RAZ/WI (No1N) */

		if (write && size == 8)
			*r = value & mask;
		else if (write && size == 4 && !(off & 3))
			*r = (*r & ~(0xffffffffull << sh)) | (((value & 0xffffffffull) << sh) & mask);
		return size == 8 ? *r : (uint32_t)(*r >> sh);
	}
	if (size != 4 || (off & 3))
		return 0;
	return dist_word(g, off, (uint32_t)value, write);
}

static uint64_t rd_access(struct gicv3 *g, int cpu, uint64_t off, unsigned size, uint64_t v, bool write)
{
	/* GICR_TYPER: Affinity 0.0.0.cpu, Processor_Number cpu, Last */
	uint64_t typer = ((uint64_t)cpu << 32) | ((uint64_t)cpu << 8) | (cpu == g->ncpus - 1 ? 1u << 4 : 0);

	if (off == 0x0008 && size == 8)
		return typer;
	if ((off == 0x0008 || off == 0x000c) && size == 4)
		return (uint32_t)(typer >> (off == 0x000c ? 32 : 0));
	if (size != 4)
		return 0;
	switch (off) {
	case 0x0004: return IIDR_ARM;
	case 0x0014: /* GICR_WAKER: ChildrenAsleep follows ProcessorSleep at once */
		if (write)
			g->cpu[cpu].sleep = (v >> 1) & 1;
		return g->cpu[cpu].sleep ? 6u : 0u;
	}
	return id_read(off);
}

static uint64_t sgi_access(struct gicv3 *g, int cpu, uint64_t off, unsigned size, uint64_t v, bool write)
{
	struct gic_cpu *c = &g->cpu[cpu];
	uint32_t x = (uint32_t)v;

	if (off >= 0x400 && off < 0x420)
		return prio_access(g, cpu, (unsigned)(off - 0x400), size, v, write);
	if (size != 4 || (off & 3))
		return 0;
	if (off >= 0x080 && off < 0x400 && (off & 0x7f) == 0) {
		bits_access(&c->priv, off, &x, write);
		return write ? 0 : x;
	}
	if (off == 0xc00) /* ICFGR0: SGIs are edge-triggered, read-only */
		return 0xaaaaaaaau;
	if (off == 0xc04) {
		if (write)
			c->priv.edge = cfg_write(c->priv.edge, 1, x);
		return cfg_read(c->priv.edge, 1);
	}
	return 0;
}

uint64_t gicv3_redist_access(struct gicv3 *g, int cpu, uint64_t off, unsigned size, uint64_t value, bool write)
{
	if (cpu < 0 || cpu >= g->ncpus)
		return 0;
	if (off < 0x10000)
		return rd_access(g, cpu, off, size, value, write);
	return sgi_access(g, cpu, off - 0x10000, size, value, write);
}

static uint64_t bank_digest(uint64_t h, const struct gic_bank *b)
{
	h = dg_u64(h, b->group);
	h = dg_u64(h, b->enable);
	h = dg_u64(h, b->latch);
	h = dg_u64(h, b->level);
	h = dg_u64(h, b->active);
	return dg_u64(h, b->edge);
}

uint64_t gicv3_digest(const struct gicv3 *g)
{
	uint64_t h = dg_u64(DG_INIT, (uint64_t)g->ncpus);
	int i, j;

	h = dg_u64(h, g->ctlr);
	for (i = 1; i < GIC_NR_INTIDS / 32; i++)
		h = bank_digest(h, &g->spi[i]);
	for (i = 32; i < GIC_NR_INTIDS; i++)
		h = dg_u64(h, ((uint64_t)g->prio[i] << 56) ^ g->irouter[i]);
	for (i = 0; i < g->ncpus; i++) {
		const struct gic_cpu *c = &g->cpu[i];

		h = bank_digest(h, &c->priv);
		for (j = 0; j < 32; j++)
			h = dg_u64(h, c->prio[j]);
		h = dg_u64(h, (uint64_t)c->sleep | (uint64_t)c->pmr << 8 | (uint64_t)c->bpr0 << 16 |
				      (uint64_t)c->bpr1 << 24 | (uint64_t)c->ctlr << 32);
		h = dg_u64(h, (uint64_t)c->grpen0 | (uint64_t)c->grpen1 << 1);
		h = dg_u64(h, ((uint64_t)c->apr[0] << 32) | c->apr[1]);
	}
	return h;
}
