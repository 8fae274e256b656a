/*
 * pKVM benchmark workloads, chosen by x1 at entry (the bench sets it):
 *   0  memory loop, no pKVM          1  memory loop under the host stage-2
 *   2  touch one byte every 2 MiB from FAULT_BASE: one stage-2 fault each
 *   3  share_hyp + unshare_hyp pairs through HVC
 *   4  pKVM boot only (the baseline subtracted from 1-3 and 5)
 *   5  CYCLES times: store to a page, donate it to hyp and take it back
 *      (HYPSIM_PKVM_TEST, needs `test-calls`): each donation removes a
 *      valid translation, so every vCPU's TLB is flushed, and the next
 *      store faults the page back in
 * Modes 1-5 first boot pKVM: __pkvm_init, the key, __pkvm_prot_finalize.
 */
#include "guest.h"

#define HYP_BASE 0x42000000
#define HYP_SIZE 0x00800000
#define BUF 0x48000000
#define BUF_SIZE 0x00100000
#define MEM_ITERS 64
#define FAULT_BASE 0x50000000
#define FAULTS 128
#define PAIRS 100000
#define CYCLES 20000
#define CYCLE_PAGE 0x40900000

	.text
	.globl main
main:
	stp	x29, x30, [sp, #-16]!
	mov	x19, x1
	cbz	x19, 1f
	pkvm_init_hvc HYP_BASE, HYP_SIZE, 1
	li32	x0, 0xc2000003
	hvc	#0
	li32	x0, 0xc6000007
	hvc	#0
1:	cmp	x19, #2
	b.eq	faults
	cmp	x19, #3
	b.eq	pairs
	cmp	x19, #4
	b.eq	done
	cmp	x19, #5
	b.eq	cycles

	mov	x9, #MEM_ITERS		/* modes 0 and 1: 1 MiB, 64 times */
2:	li32	x3, BUF
	li32	x4, BUF + BUF_SIZE
3:	ldp	x5, x6, [x3]
	add	x5, x5, x6
	stp	x5, x6, [x3], #16
	cmp	x3, x4
	b.lo	3b
	subs	x9, x9, #1
	b.ne	2b
	b	done

faults:	li32	x3, FAULT_BASE
	mov	x9, #FAULTS
4:	strb	w9, [x3]
	add	x3, x3, #0x200000
	subs	x9, x9, #1
	b.ne	4b
	b	done

pairs:	li32	x9, PAIRS
	li32	x20, 0x40800
5:	li32	x0, 0xc6000008
	mov	x1, x20
	hvc	#0
	li32	x0, 0xc6000009
	mov	x1, x20
	hvc	#0
	subs	x9, x9, #1
	b.ne	5b
	b	done

cycles:	li32	x9, CYCLES
	li32	x20, CYCLE_PAGE
6:	str	x9, [x20]
	li32	x0, 0xc2000005		/* donate_hyp(page, 1) */
	mov	x1, #1
	lsr	x2, x20, #12
	mov	x3, #1
	hvc	#0
	li32	x0, 0xc2000005		/* hyp_donate_host(page, 1) */
	mov	x1, #2
	lsr	x2, x20, #12
	mov	x3, #1
	hvc	#0
	subs	x9, x9, #1
	b.ne	6b
	b	done

done:	mov	x0, #0
	ldp	x29, x30, [sp], #16
	ret

	hyp_percpu_bases
