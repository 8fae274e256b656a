/* SPDX-License-Identifier: MIT */
#ifndef HYPSIM_DISASM_RISCV_H
#define HYPSIM_DISASM_RISCV_H
#include <stddef.h>
#include <stdint.h>

/**
 * disasm_riscv() - decode one RV64 instruction (RV64I, Zicsr, M, the
 * privileged SYSTEM forms) into @out.  Compressed and other instructions are
 * printed as ".insn 0x...".  Pure function, no state.
 * Return: the instruction length (2 or 4) when named, 0 otherwise.
 */
size_t disasm_riscv(const uint8_t *code, size_t len, char *out, size_t outlen);

#endif
