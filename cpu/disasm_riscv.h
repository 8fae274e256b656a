/* SPDX-License-Identifier: MIT */
#ifndef HYPSIM_DISASM_RISCV_H
#define HYPSIM_DISASM_RISCV_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * disasm_riscv() - decode one instruction at @pc (RV32 with @rv32, else RV64:
 * I, M, A, Zicsr, Zifencei, F/D loads and stores, the privileged SYSTEM forms
 * and all of C) into @out, as llvm-objdump -M no-aliases prints it (branch
 * targets absolute).  Anything else is printed as ".insn 0x...".  Pure
 * function, no state.
 * Return: the instruction length (2 or 4) when named, 0 otherwise.
 */
size_t disasm_riscv(const uint8_t *code, size_t len, uint64_t pc, bool rv32, char *out, size_t outlen);

#endif
