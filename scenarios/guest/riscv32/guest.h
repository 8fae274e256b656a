/* riscv32 guests share the riscv64 definitions (semihosting, SBI, RESULTS). */
#include "../riscv64/guest.h"

#define SYS_EXIT_EXTENDED 0x20
