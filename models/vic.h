/* SPDX-License-Identifier: MIT */
/*
 * models/vic: the arm64 virtual interrupt controller hypsim puts in front of
 * each vCPU's virtual IRQ input, until a GIC model replaces it.  Pure.
 *
 * It keeps which INTIDs (0..VIC_NR_INTIDS-1, below GICv3's special INTIDs
 * 1020-1023) are pending, drives one output level (any pending: the CPU
 * sees HCR_EL2.VI), and acknowledges the lowest pending INTID the way a GIC
 * IAR read does (returning it and making it not pending), or the spurious
 * INTID 1023 when none is (Arm GIC architecture, "Special INTIDs").  No
 * priorities, no active state, no groups: those belong to the GIC model.
 */
#ifndef HYPSIM_VIC_H
#define HYPSIM_VIC_H

#include <stdbool.h>
#include <stdint.h>

#define VIC_NR_INTIDS 1020
#define VIC_SPURIOUS 1023

struct vic {
	uint64_t pending[(VIC_NR_INTIDS + 63) / 64];
};

/** vic_set() - INTID @intid becomes pending (@level) or not; ids >= VIC_NR_INTIDS are ignored. Return: the output level. */
bool vic_set(struct vic *c, unsigned intid, bool level);
/** vic_output() - whether any INTID is pending. */
bool vic_output(const struct vic *c);
/** vic_ack() - the lowest pending INTID, now no longer pending, or VIC_SPURIOUS. */
unsigned vic_ack(struct vic *c);

#endif
