/* SPDX-License-Identifier: MIT */
/* Shared by the RISC-V disassembler's two halves (disasm_riscv.c, disasm_rvc.c). */
#ifndef HYPSIM_DISASM_RISCV_INTERNAL_H
#define HYPSIM_DISASM_RISCV_INTERNAL_H
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

extern const char *const rv_xreg[32]; /* ABI names: zero, ra, sp, ... */
extern const char *const rv_freg[32]; /* ft0, ..., fs0, ..., fa0, ... */

/* Sign-extend the low @bits bits of @v. */
int32_t rv_sext(uint32_t v, int bits);
/* A branch or jump target: pc + off, in XLEN bits. */
uint64_t rv_target(uint64_t pc, int32_t off, bool rv32);
/* One compressed instruction. Return: 2, or 0 when it is reserved. */
size_t rv_decode16(unsigned w, uint64_t pc, bool rv32, char *out, size_t n);

#endif
