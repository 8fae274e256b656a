/*
 * s390x guest ABI for hypsim (docs/guest-abi.md).  Semihosting is hypsim's
 * own convention: DIAGNOSE with base 0 and displacement 0xF00, the Arm
 * semihosting operation number in the first register, its parameter in the
 * second, the result back in the first.  SIC is written with .insn because
 * LLVM's assembler does not know the mnemonic.
 */
#ifndef HYPSIM_GUEST_S390X_H
#define HYPSIM_GUEST_S390X_H

#define SYS_WRITE0 0x04
#define SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

#define RESULTS 0x20000 /* results area the scenarios read */

/* SIC R1,R3,D2(B2): operation control in R1, ISC << 27 in R3, IIB at D2(B2). */
#define SIC(r1, r3, d2b2) .insn rsy, 0xeb00000000d1, r1, r3, d2b2

/* hypsim semihosting: op in %r2, parameter in %r3, result in %r2. */
#define SEMIHOST diag %r2, %r3, 0xf00

#endif
