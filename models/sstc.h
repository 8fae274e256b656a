/* SPDX-License-Identifier: MIT */
/*
 * RISC-V Sstc: the supervisor timer comparator (docs/models/sstc.md §1), as a pure
 * model in the tick domain.  Nothing here converts to nanoseconds: levels are
 * unsigned 64-bit compares of ticks, and the next level change is a distance
 * in ticks that always fits in 64 bits.
 *
 *   S timer signal   time >= stimecmp                          (unsigned)
 *   VS timer signal  (time + htimedelta) mod 2^64 >= vstimecmp (unsigned)
 *   STIP             the S signal while menvcfg.STCE = 1, else the value
 *                    M-mode software wrote into mip.STIP
 *   VSTIP (hip)      hvip.VSTIP | (the VS signal while menvcfg.STCE and
 *                    henvcfg.STCE are both 1)
 *
 * Access rules (§1.4) are a pure function of privilege, V, CSR, read/write
 * and the enables; it answers OK, illegal-instruction or virtual-instruction.
 * A caller that gets OK then reads or writes through this model.
 *
 * Choices where the specification leaves one (each has a unit test):
 *  - Reset: stimecmp = vstimecmp = htimedelta = 0, STCE = 0 in both envcfg
 *    registers, all counteren bits 0 (QEMU and Spike reset the comparators to
 *    0; so setting STCE with stimecmp still 0 raises STIP at once, §10.12).
 *  - menvcfg.STCE 1 -> 0 clears the software STIP (QEMU 10.1's
 *    riscv_timer_disable_timecmp), so a pending S timer does not linger as a
 *    stale software bit.  Spike and Sail keep the last value instead.
 *  - henvcfg.STCE is forced to 0 while menvcfg.STCE is 0, and stays 0 when
 *    menvcfg.STCE is set again (it is read-only zero at write time).
 *  - Of menvcfg/henvcfg only STCE is implemented; every other field reads 0
 *    (legal: they are WARL or belong to extensions this machine lacks).
 *  - Evaluation is immediate on every write (the specification allows delay;
 *    immediate is deterministic).  So RV32 half writes are each evaluated, and
 *    a low-then-high update can raise a spurious STIP in between (§10.18).
 *  - stimecmp = 2^64 - 1 is a compare value like any other (the ISA gives
 *    it no meaning): STIP rises when time reaches 2^64 - 1 and falls one
 *    tick later at the wrap, and sstc_next_change() reports that edge.
 *    Linux's "all ones means off" is then a deadline too far to matter; the
 *    run loop, not the model, decides how far ahead an idle machine may jump
 *    (its horizon).  allones_off selects QEMU's reading instead (its
 *    riscv_timer_write_timecmp() arms no timer for UINT64_MAX): the signal
 *    of a comparator holding 2^64 - 1 is 0 at every time, and nothing is
 *    scheduled.  (QEMU also raises it when the write lands exactly at time
 *    2^64 - 1, and then holds it until the next write: not modelled.)
 */
#ifndef HYPSIM_SSTC_H
#define HYPSIM_SSTC_H

#include <stdbool.h>
#include <stdint.h>

/* CSR numbers (docs/models/sstc.md §1.1). */
#define CSR_SCOUNTEREN 0x106
#define CSR_STIMECMP 0x14d
#define CSR_STIMECMPH 0x15d
#define CSR_VSTIMECMP 0x24d
#define CSR_VSTIMECMPH 0x25d
#define CSR_MCOUNTEREN 0x306
#define CSR_MENVCFG 0x30a
#define CSR_MENVCFGH 0x31a
#define CSR_HTIMEDELTA 0x605
#define CSR_HCOUNTEREN 0x606
#define CSR_HENVCFG 0x60a
#define CSR_HTIMEDELTAH 0x615
#define CSR_VSIE 0x204
#define CSR_VSIP 0x244
#define CSR_HIDELEG 0x603
#define CSR_HIE 0x604
#define CSR_HIP 0x644
#define CSR_HVIP 0x645
#define CSR_SIE 0x104 /* not the model's: at V = 1 it is vsie */
#define CSR_SIP 0x144 /* not the model's: at V = 1 it is vsip */
#define CSR_HENVCFGH 0x61a
#define CSR_TIME 0xc01
#define CSR_TIMEH 0xc81

#define ENVCFG_STCE (1ull << 63)
#define COUNTEREN_TM (1u << 1)
#define MIP_STIP (1ull << 5)
#define MIP_VSTIP (1ull << 6)
#define IRQ_S_TIMER 5  /* STI: scause code, and VS's view of a delegated VSTI */
#define IRQ_VS_TIMER 6 /* VSTI: scause code when HS takes it */

#define CAUSE_ILLEGAL_INSTRUCTION 2
#define CAUSE_VIRTUAL_INSTRUCTION 22

enum sstc_priv { SSTC_PRIV_U = 0, SSTC_PRIV_S = 1, SSTC_PRIV_M = 3 };

enum sstc_access {
	SSTC_OK = 0,
	SSTC_ILLEGAL = CAUSE_ILLEGAL_INSTRUCTION,
	SSTC_VIRTUAL = CAUSE_VIRTUAL_INSTRUCTION,
	SSTC_NOT_MINE = -1, /* a CSR this model does not own */
};

struct sstc {
	bool rv32;  /* XLEN 32: the high-half CSRs exist */
	bool has_h; /* the H extension: vstimecmp, htimedelta, henvcfg, V=1 */
	uint64_t stimecmp, vstimecmp, htimedelta;
	uint64_t menvcfg, henvcfg; /* only STCE is implemented */
	uint32_t mcounteren, hcounteren, scounteren;
	bool hvictl_vti; /* AIA hvictl.VTI: VS writes to stimecmp trap (VI) */
	bool stip_sw;    /* mip.STIP as M-mode wrote it (meaningful while STCE = 0) */
	bool hvip_vstip; /* hvip.VSTIP, the software VS timer source */
	bool allones_off;  /* QEMU's reading of 2^64 - 1 (see above); the spec's when false */
	bool hideleg_vsti; /* hideleg bit 6: VSTI delegated to VS */
	bool hie_vstie;    /* hie bit 6 (vsie.STIE when delegated) */
	bool absent;       /* a hart without Sstc: stimecmp[h] and vstimecmp[h] are illegal
			    * at every level, menvcfg.STCE is read-only zero (set after
			    * sstc_reset(); the envcfg and counteren registers remain) */
};

void sstc_reset(struct sstc *s, bool rv32, bool has_h);
/** sstc_digest() - a digest of every field (recordings). */
uint64_t sstc_digest(const struct sstc *s);

/* Does this model own the CSR (on this XLEN/H configuration or not)? */
bool sstc_owns(uint16_t csr);

/* The CSR's name ("stimecmp", ...), or NULL when the model does not own it. */
const char *sstc_csr_name(uint16_t csr);
/* The number of a CSR the model owns, by name. Return: 0 or -1. */
int sstc_csr_lookup(const char *name, uint16_t *csr);

/*
 * May an access from (priv, virt) to csr go ahead?  write is true for any
 * instruction form that writes (csrrw always; csrrs/csrrc only with rs1 != x0).
 * virt with priv M is treated as V = 0.
 */
enum sstc_access sstc_check(const struct sstc *s, enum sstc_priv priv, bool virt, uint16_t csr, bool write);

/*
 * Read or write a CSR the check allowed.  time is the current tick count
 * (the value `time` reads as at V = 0).  On RV32 a low-half CSR reads and
 * writes bits 31:0 and the high half bits 63:32; with virt, stimecmp[h] is
 * vstimecmp[h] and time[h] is time + htimedelta.
 */
uint64_t sstc_read(const struct sstc *s, bool virt, uint16_t csr, uint64_t time);
void sstc_write(struct sstc *s, bool virt, uint16_t csr, uint64_t value);

/* The CSR instruction forms (funct3 & 3). */
enum sstc_op { SSTC_OP_RW = 1, SSTC_OP_RS = 2, SSTC_OP_RC = 3 };

/*
 * sstc_csr_insn() - one CSR instruction: check the access; when it may go
 * ahead, read the old value into *old and, if @write, write @op applied to
 * @src (csrrw: src, csrrs: old | src, csrrc: old & ~src), also into *new_val.
 * write follows the x0 rule: csrrs/csrrc with rs1 = x0 (or uimm 0) do not
 * write.  Return: the check's answer; nothing changes unless it is SSTC_OK.
 */
enum sstc_access sstc_csr_insn(struct sstc *s, enum sstc_priv priv, bool virt, uint16_t csr, enum sstc_op op,
			       bool write, uint64_t src, uint64_t time, uint64_t *old, uint64_t *new_val);

/* M-mode writes to mip (wmask: the bits written): STIP only while STCE = 0. */
void sstc_mip_write(struct sstc *s, uint64_t wmask, uint64_t value);
bool sstc_stip_writable(const struct sstc *s);

/* Levels at a given tick count. */
bool sstc_s_signal(const struct sstc *s, uint64_t time);
bool sstc_vs_signal(const struct sstc *s, uint64_t time);
bool sstc_stip(const struct sstc *s, uint64_t time);
bool sstc_vstip(const struct sstc *s, uint64_t time);
uint64_t sstc_mip(const struct sstc *s, uint64_t time); /* MIP_STIP | MIP_VSTIP as pending */

/*
 * The hypervisor extension's interrupt registers, timer bits only (privileged
 * spec, "Hypervisor Interrupt Registers (hvip, hip, and hie)" and "Virtual
 * Supervisor Interrupt Registers (vsip and vsie)"); every other bit of them is
 * read-only zero here:
 *   hideleg.VSTI (bit 6)  writable            hvip.VSTIP (bit 6)  writable
 *   hie.VSTIE    (bit 6)  writable            hip.VSTIP  (bit 6)  read-only:
 *                                              hvip.VSTIP | the vstimecmp signal
 *   vsip.STIP, vsie.STIE (bit 5): read-only zero while hideleg.VSTI = 0, else
 *   aliases of hip.VSTIP (read-only) and hie.VSTIE.  At V = 1, sip and sie
 *   are vsip and vsie (sstc_check/read/write map them).
 *
 * Where a pending VS timer interrupt goes ("Trap Cause Codes", and the
 * interrupt-trap conditions of "Hypervisor and Virtual Supervisor CSRs"):
 *  - hip.VSTIP clear or hie.VSTIE clear: nowhere;
 *  - hideleg.VSTI clear: HS takes it, scause = 6 (VSTI); enabled when V = 1
 *    (VS and VU run below HS), in HS with sstatus.SIE, or in U; never in M
 *    (mideleg bit 6 is read-only one: M never takes it and is not
 *    interrupted by it);
 *  - hideleg.VSTI set: VS takes it as its own supervisor timer interrupt,
 *    vscause = 5 (STI), only while V = 1: in VU always, in VS with
 *    vsstatus.SIE; with V = 0 it waits.
 * The cause carries the interrupt bit (bit XLEN-1).
 */
struct sstc_vs_ctx {
	bool sstatus_sie;  /* HS's sstatus.SIE */
	bool vsstatus_sie; /* vsstatus.SIE */
	bool virt;         /* V */
	enum sstc_priv priv;
};
enum sstc_vs_take { SSTC_TAKE_NONE, SSTC_TAKE_HS, SSTC_TAKE_VS };
enum sstc_vs_take sstc_vs_delivery(const struct sstc *s, uint64_t time, const struct sstc_vs_ctx *c, uint64_t *cause);

/*
 * Ticks from time until STIP or VSTIP next changes by the passing of time
 * (a rising edge at the comparand, or the falling edge when the effective
 * time wraps past 2^64).  False when neither will ever change by itself.
 * The distance is 1 .. 2^64 - 1.
 */
bool sstc_next_change(const struct sstc *s, uint64_t time, uint64_t *ticks);

#endif
