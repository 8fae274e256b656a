/* SPDX-License-Identifier: MIT */
/*
 * s390 zPCI Adapter Event Notification (AEN) interpretation: the firmware
 * side of SIC, and KVM's side of it (arch/s390/kvm/pci.c, interrupt.c), as a
 * pure model (docs/models/aen.md).
 *
 * Memory.  Everything the real system keeps in memory lives in one window of
 * simulated physical memory (struct aen_mem) in the real byte order: the
 * 40-byte SIC IIB holding the zpci_aipb (§1.6, big-endian, serialized with
 * explicit shifts, never a host bit-field), the forwarding summary-bit
 * vector and the guests' summary bits (MSB-first "inverted" bit numbering,
 * §4), the GAIT (16-byte big-endian entries, §2.1) and each VM's GISA
 * (format 1: IPM at byte 4, SIMM 5, NIMM 6, §6.4).  Kernel allocations come
 * from a heap inside that window (first fit, 64-byte granules, zeroed on
 * allocation like kzalloc/__GFP_ZERO, poisoned with 0x6b on free like slab
 * debugging).  Bookkeeping the kernel keeps in plain structs (the aift
 * pointers, kzdev[], airq_iv allocation maps, per-VM GISC refcounts) is here
 * in plain structs.
 *
 * Semantics: the final mainline code plus the merged 2026 fixes (docs/models/aen.md §5.8):
 * GAIT entries indexed by entry, FIB aisb = phys(vector) + (bit/64)*8, and
 * the GISC reference dropped on aif_enable's error paths.  The pending
 * series of §6.5 is not applied, so these upstream quirks are reproduced:
 *   - a GAIT allocation or SET_AENI failure leaves aift.sbv (and aift.gait)
 *     pointing at freed memory: every later aen_init returns -EPERM (§5.3
 *     rows 5 and 6, docs/models/aen.md §9.8/9.9);
 *   - kzdev is freed but not cleared on init failures (STALE);
 *   - aif_enable returns 0 with nothing enabled when RLIMIT_MEMLOCK
 *     accounting fails or no summary bit is free;
 *   - an MPCIFC REG_INT failure returns -EIO without rolling back;
 *   - the handler scans the summary vector only below airq_iv_end(), which
 *     airq_iv_alloc sets one past the highest bit handed out and
 *     airq_iv_free_bit lowers only while bit end-1 is *allocated* (the code's
 *     test is !test_bit_inv(end - 1, avail); docs/models/aen.md §4 words it the other way).
 * Stale pointers are states (AEN_REF_STALE), never dereferenced; a use the
 * kernel would make of one (aen_exit freeing a stale kzdev, forwarding
 * through a freed GAIT) is recorded in aen.bugs and reported by aen_check().
 *
 * Firmware choices (the architected SIC behaviour is not public, §10):
 *   - SIC ops 0 (ALL) and 1 (SINGLE) set the host ISC's mode as QEMU's FLIC
 *     does: ALL clears SIMM and NIMM, SINGLE sets SIMM and clears NIMM; an
 *     alert is suppressed while NIMM is set, and delivering one sets NIMM
 *     when SIMM is set.
 *   - op 2 (SET_AENI_CONTROLS) reads the 24-byte AIPB and registers it once
 *     per boot; a second one is refused with CC 1 and changes nothing.
 *   - ops 4, 16, 17, 18 are counted and accepted (directed IRQs are not
 *     modelled); any other op is an operand exception (PGM 0x15, as QEMU).
 *   - an injected failure gives CC 3 and does nothing.  Linux's wrapper
 *     ignores the CC (§1.4): it only fails, with -EIO, when facility 72 is
 *     absent, which is how the model's KVM side sees an injected SIC failure.
 *   - every event goes through the host forwarding path: the firmware sets
 *     the device's AIBV bit and its forwarding summary bit and raises a GIB
 *     alert on the host ISC; it never delivers to a GISA itself.
 */
#ifndef HYPSIM_AEN_H
#define HYPSIM_AEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* SIC operation-control codes (§1.3). */
#define SIC_IRQ_MODE_ALL 0
#define SIC_IRQ_MODE_SINGLE 1
#define SIC_SET_AENI_CONTROLS 2
#define SIC_IRQ_MODE_DIRECT 4
#define SIC_IRQ_MODE_D_ALL 16
#define SIC_IRQ_MODE_D_SINGLE 17
#define SIC_IRQ_MODE_SET_CPU 18
#define AEN_SIC_OPS 19 /* counters per op code 0..18 */

#define AEN_IIB_SIZE 40   /* union zpci_sic_iib */
#define AEN_AIPB_SIZE 24  /* struct zpci_aipb */
#define AEN_GAITE_SIZE 16 /* struct zpci_gaite */
#define AEN_GISA_SIZE 32
#define AEN_MAX_ISC 7
#define AEN_GAL_ISC 5         /* the GIB alert ISC KVM passes as nisc */
#define AEN_DEFAULT_DEVICES 512 /* CONFIG_PCI_NR_FUNCTIONS default */
#define AEN_MAX_DEVICES 4096  /* Kconfig range 1..4096 */
#define AEN_MAX_VMS 8
#define AEN_MAX_ZDEVS AEN_MAX_DEVICES
#define AEN_MAX_ALLOCS 256
#define AEN_PAGE 4096u
#define AEN_AIS_MODE_MASK(isc) (0x80u >> (isc))
#define AEN_PGM_OPERAND 0x15

struct aen_mem {
	uint8_t *host;  /* simulated physical memory [base, base + size) */
	uint64_t base, size;
};

enum aen_ref { AEN_REF_NULL, AEN_REF_VALID, AEN_REF_STALE };

/* Steps that failure injection can make fail (aen_inject()). */
enum aen_step {
	AEN_STEP_KZDEV,      /* kcalloc of aift.kzdev */
	AEN_STEP_AIPB,       /* kzalloc of the 40-byte IIB */
	AEN_STEP_SBV,        /* airq_iv_create of the summary-bit vector */
	AEN_STEP_GAIT,       /* alloc_pages of the GAIT */
	AEN_STEP_SIC_AENI,   /* SIC SET_AENI_CONTROLS: the wrapper returns -EIO */
	AEN_STEP_SIC_SINGLE, /* SIC IRQ_MODE_SINGLE: the wrapper returns -EIO */
	AEN_STEP_PIN_AIBV,   /* aif_enable: pinning the guest AIBV page */
	AEN_STEP_PIN_AISB,   /* aif_enable: pinning the guest AISB page */
	AEN_STEP_ACCOUNT,    /* aif_enable: RLIMIT_MEMLOCK accounting */
	AEN_STEP_MPCIFC,     /* MPCIFC REG_INT / DEREG_INT: cc 2 */
	AEN_STEP__COUNT
};

/* Upstream bugs the model saw the kernel commit (aen.bugs). */
#define AEN_BUG_DOUBLE_FREE (1u << 0) /* aen_exit kfree'd an already freed kzdev */
#define AEN_BUG_USE_FREED (1u << 1)   /* forwarding read a freed GAIT or sbv */
#define AEN_BUG_UNLOCKED (1u << 2)    /* aen_exit without aift_lock (lockdep) */
#define AEN_BUG_LEAK (1u << 3)        /* REG_AEN again without DEREG: a GAIT entry leaked */

/* An airq_iv (§4): the allocation map is host-side, the vector in memory. */
struct aen_iv {
	bool live;
	uint32_t bits, end;
	uint64_t vector;    /* physical address of BITS_TO_LONGS(bits)*8 bytes */
	uint8_t *avail;     /* one byte per bit, 1 = free; NULL without AIRQ_IV_ALLOC */
	bool guestvec;      /* vector not owned (AIRQ_IV_GUESTVEC) */
};

struct aen_alloc {
	uint64_t addr, size;
};

struct aen_heap {
	uint64_t base, size; /* inside the memory window; 64-byte granules */
	struct aen_alloc live[AEN_MAX_ALLOCS];
	int nlive;
	uint64_t allocs, frees;
};

/* The firmware's view (per boot). */
struct aen_fw {
	bool facility72;        /* AIS installed (STFLE bit 72) */
	bool registered;        /* a SET_AENI_CONTROLS was accepted */
	uint64_t aipb_addr;     /* its IIB address */
	uint64_t faisb, gait;   /* as read from the AIPB */
	uint8_t afi;
	uint16_t faal;
	uint8_t simm, nimm;     /* host ISC modes, bit 0x80 >> isc */
	uint64_t sic[AEN_SIC_OPS]; /* SICs performed, by op */
	uint64_t sic_refused;   /* CC != 0 */
	uint32_t fail_sic;      /* injected: the next N SICs give CC 3 */
	uint64_t alerts, suppressed; /* GIB alerts delivered / held back by NIMM */
};

/* A VM (struct kvm) as far as AEN goes. */
struct aen_vm {
	bool exists;
	uint64_t gisa;          /* physical address of its GISA, 0: none */
	uint32_t gisc_ref[AEN_MAX_ISC + 1];
	uint8_t alert_mask;     /* GISA alert mask, bit 0x80 >> gisc */
	uint64_t aen_forward;   /* kvm->stat.aen_forward */
	uint64_t kicks;         /* GISA kicker timer restarts */
};

/* A zPCI function handed to a VM (zpci_dev + kvm_zdev). */
struct aen_zdev {
	bool exists;
	int vm;
	uint32_t gd;            /* zdev->gisa: the interpretation designation, 0 = none */
	uint32_t max_msi;
	uint32_t aisb;          /* zdev->aisb: its summary bit */
	struct aen_iv aibv;     /* zdev->aibv (a GUESTVEC iv), live while enabled */
	uint64_t fib_aibv;      /* kzdev->fib saved state */
	uint8_t fib_isc;
	uint32_t pinned;        /* pages pinned for it */
	/* The FIB the firmware holds after MPCIFC REG_INT. */
	bool fw_reg;
	uint64_t fw_aibv, fw_aisb;
	uint8_t fw_aisbo, fw_isc;
	uint32_t fw_noi;
	uint64_t events, dropped;
};

struct aen {
	struct aen_mem mem;
	struct aen_heap heap;
	uint32_t nr_devices;    /* ZPCI_NR_DEVICES, a build constant: fixed per boot */
	struct aen_fw fw;
	/* Built-in s390 PCI globals: survive a KVM module reload (§2.3). */
	uint64_t p_aipb;        /* zpci_aipb, 0 = NULL */
	bool p_sbv;             /* zpci_aif_sbv != NULL */
	struct aen_iv sbv;      /* the one forwarding summary vector of a boot */
	uint64_t gait_pages;    /* bytes of the live GAIT allocation (never freed once registered) */
	uint64_t gait_addr;     /* its address, also after aen_exit */
	/* The KVM module's aift. */
	bool module_loaded;
	enum aen_ref gait_ref, sbv_ref, kzdev_ref;
	uint64_t aift_gait;     /* aift.gait (physical = virtual here) */
	int16_t *kzdev;         /* nr_devices entries: zdev index or -1 */
	bool aift_lock;
	uint8_t nisc;           /* the ISC the last successful init used */
	struct aen_vm vm[AEN_MAX_VMS];
	struct aen_zdev zdev[AEN_MAX_ZDEVS];
	/* Failure injection: fail[step] = after how many more successful passes (1 = next). */
	uint32_t fail[AEN_STEP__COUNT];
	uint8_t mpcifc_cc, mpcifc_status; /* what an injected MPCIFC failure returns */
	uint64_t locked_pages, memlock_limit; /* RLIMIT_MEMLOCK accounting, in pages */
	uint32_t bugs;
	uint64_t scans, scan_sics; /* aen_process_gait bits found / SICs it issued */
	uint64_t forwarded;        /* aen_host_forward calls that reached a live entry */
};

/**
 * aen_boot() - a fresh boot: firmware unregistered, every ISC in ALL mode,
 * no AEN structures, the KVM module loaded with an empty aift.
 * @nr_devices: ZPCI_NR_DEVICES (1..4096); the heap is [heap_base, heap_base + heap_size)
 * (size 0: no heap, every kernel allocation fails).
 * Return: 0, or -EINVAL for a bad device count or a heap outside @mem.
 */
int aen_boot(struct aen *a, const struct aen_mem *mem, uint32_t nr_devices, uint64_t heap_base,
	     uint64_t heap_size);
void aen_free(struct aen *a);
/** aen_digest() - a digest of the state kept outside simulated memory (recordings). */
uint64_t aen_digest(const struct aen *a);

/* Make the @n-th next pass of @step fail (n >= 1); 0 cancels. */
void aen_inject(struct aen *a, enum aen_step step, uint32_t n);
const char *aen_step_name(enum aen_step step);

/* ---- firmware -------------------------------------------------------------------------- */

/**
 * aen_fw_sic() - SIC as the firmware performs it (§1).  @ctl = r1 & 0xffff,
 * @isc = (r3 >> 27) & 7, @iib the second-operand address.
 * Return: the condition code 0..3, or -AEN_PGM_OPERAND for an unknown op
 * (also for SET_AENI with an IIB outside memory: an addressing exception is
 * reported the same way).
 */
int aen_fw_sic(struct aen *a, uint16_t ctl, uint8_t isc, uint64_t iib);

/**
 * aen_fw_raise() - an adapter event from device @dev for its MSI vector
 * @vec: the firmware sets the AIBV bit and the summary bit of the FIB it was
 * given and alerts the host ISC (which runs aen_process_gait()).
 * Return: 0, -ENODEV (no such device, or not registered with the firmware:
 * the event is dropped), -EINVAL (@vec beyond the device's vectors).
 */
int aen_fw_raise(struct aen *a, int dev, uint32_t vec);

/* Set bit @bit of the forwarding summary vector, as hardware would. Return: 0, -ENODEV (no vector), -EINVAL. */
int aen_summary_set(struct aen *a, uint32_t bit);

/* A GIB alert on @isc as the firmware delivers it: honours SIMM/NIMM. Return: true if delivered. */
bool aen_fw_alert(struct aen *a, uint8_t isc);

/* ---- KVM ---------------------------------------------------------------------------------- */

/* The wrapper zpci_set_irq_ctrl(): -EIO when facility 72 is absent or injected, else 0. */
int aen_set_irq_ctrl(struct aen *a, uint16_t ctl, uint8_t isc, uint64_t iib);

/** aen_init() - kvm_s390_pci_aen_init(@nisc): the table of docs/models/aen.md §5.3. */
int aen_init(struct aen *a, uint8_t nisc);
/**
 * aen_exit() - kvm_s390_pci_aen_exit() (§5.4).  @locked: the caller holds
 * aift_lock, as kvm_s390_gib_destroy() does; false records AEN_BUG_UNLOCKED.
 */
void aen_exit(struct aen *a, bool locked);
/* Module unload (kvm_s390_pci_exit) and load (kvm_s390_pci_init): a fresh aift. */
void aen_module_reload(struct aen *a);

/* Create VM @vm with its GISA at @gisa (0: none; 32 bytes inside the window, below 2^31). Return: 0 or -EINVAL. */
int aen_vm_create(struct aen *a, int vm, uint64_t gisa);
/* Hand device @dev to VM @vm (kvm_s390_pci_register_kvm); @gd 0: not interpreted. Return: 0 or -EINVAL. */
int aen_dev_register(struct aen *a, int dev, int vm, uint32_t gd, uint32_t max_msi);

/* KVM_S390_ZPCI_OP REG_AEN arguments (§3). */
struct aen_reg_aen {
	uint64_t ibv, sb;
	uint32_t flags, noi;
	uint8_t isc, sbo;
};
#define AEN_REGAEN_HOST (1u << 0)

/** aen_reg_aen() - the ioctl from VM @vm for device @dev (§6.1). Return: 0 or -errno. */
int aen_reg_aen(struct aen *a, int vm, int dev, const struct aen_reg_aen *r);
/** aen_dereg_aen() - DEREG_AEN (force false), or device unregister (force true) (§6.2). */
int aen_dereg_aen(struct aen *a, int vm, int dev, bool force);

/**
 * aen_process_gait() - the GIB-alert handler's forwarding half (§6.4):
 * scan the summary vector, forward each bit, re-enable with SIC SINGLE.
 * Return: the number of summary bits forwarded.
 */
uint64_t aen_process_gait(struct aen *a, uint8_t isc);

/* ---- inspection ------------------------------------------------------------------------- */

/* A GAIT entry decoded from memory. Return: 0, or -1 when there is no GAIT or @bit is out of range. */
struct aen_gaite {
	uint32_t gisa;
	uint8_t gisc, count, aisbo;
	uint64_t aisb;
};
int aen_gaite_read(const struct aen *a, uint32_t bit, struct aen_gaite *g);
/* Bit @bit of the inverted-numbering vector at @addr. Return: 0/1, or -1 outside memory. */
int aen_vec_bit(const struct aen *a, uint64_t addr, uint32_t bit);
/* GISA byte: 4 IPM, 5 SIMM, 6 NIMM. Return: the byte, or -1 (no VM or no GISA). */
int aen_gisa_byte(const struct aen *a, int vm, unsigned off);
/* Copy @len bytes of simulated memory. Return: 0 or -1. */
int aen_mem_copy(const struct aen *a, uint64_t addr, void *out, size_t len);
/* Write (and the little-endian host reading) the AIPB image of §1.6 into @out[24]. */
void aen_aipb_encode(uint8_t out[AEN_AIPB_SIZE], uint64_t faisb, uint64_t gait, uint8_t afi, uint16_t faal);
void aen_aipb_decode(const uint8_t in[AEN_AIPB_SIZE], uint64_t *faisb, uint64_t *gait, uint8_t *afi,
		     uint16_t *faal);
/* get_order(PAGE_ALIGN(n * 16)). */
unsigned aen_gait_order(uint32_t nr_devices);

/**
 * aen_check() - the invariant checker: the aift/P pointers agree with each
 * other and with the heap, GAIT entries agree with kzdev[] and the sbv
 * allocation map, GISC refcounts match the live entries, no bug recorded.
 * Return: 0, or -1 with the first violation in @msg.
 */
int aen_check(const struct aen *a, char *msg, size_t len);

#endif
