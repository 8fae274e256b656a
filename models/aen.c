/* SPDX-License-Identifier: MIT */
/*
 * s390 zPCI AEN: firmware SIC, KVM's aen_init/aen_exit, adapter-interruption
 * forwarding (docs/models/aen.md; contract and choices in aen.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"

#include "aen.h"

#define GRANULE 64u
#define FREE_POISON 0x6b
#define AEN_PGM_ADDRESSING 0x05

/* ---- simulated memory, big-endian ------------------------------------------------------- */

static uint8_t *mem_ptr(const struct aen *a, uint64_t addr, uint64_t len)
{
	const struct aen_mem *m = &a->mem;

	if (!m->host || addr < m->base || addr - m->base > m->size || len > m->size - (addr - m->base))
		return NULL;
	return m->host + (addr - m->base);
}

static uint64_t get_be(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static void put_be(uint8_t *p, unsigned n, uint64_t v)
{
	for (unsigned i = n; i-- > 0; v >>= 8)
		p[i] = (uint8_t)v;
}

int aen_mem_copy(const struct aen *a, uint64_t addr, void *out, size_t len)
{
	const uint8_t *p = mem_ptr(a, addr, len);

	if (!p)
		return -1;
	memcpy(out, p, len);
	return 0;
}

/* Inverted bit numbering (§4): bit n is byte n/8, mask 0x80 >> n%8. */
int aen_vec_bit(const struct aen *a, uint64_t addr, uint32_t bit)
{
	const uint8_t *p = mem_ptr(a, addr + bit / 8, 1);

	return p ? !!(*p & (0x80u >> (bit % 8))) : -1;
}

static void vec_set(struct aen *a, uint64_t addr, uint32_t bit, bool on)
{
	uint8_t *p = mem_ptr(a, addr + bit / 8, 1);

	if (!p)
		return;
	if (on)
		*p |= (uint8_t)(0x80u >> (bit % 8));
	else
		*p &= (uint8_t)~(0x80u >> (bit % 8));
}

void aen_aipb_encode(uint8_t out[AEN_AIPB_SIZE], uint64_t faisb, uint64_t gait, uint8_t afi, uint16_t faal)
{
	memset(out, 0, AEN_AIPB_SIZE);
	put_be(out, 8, faisb);
	put_be(out + 8, 8, gait);
	put_be(out + 16, 2, afi & 7u); /* 13 reserved bits, then afi:3 */
	put_be(out + 22, 2, faal);
}

void aen_aipb_decode(const uint8_t in[AEN_AIPB_SIZE], uint64_t *faisb, uint64_t *gait, uint8_t *afi,
		     uint16_t *faal)
{
	*faisb = get_be(in, 8);
	*gait = get_be(in + 8, 8);
	*afi = (uint8_t)(get_be(in + 16, 2) & 7u);
	*faal = (uint16_t)get_be(in + 22, 2);
}

unsigned aen_gait_order(uint32_t nr_devices)
{
	uint64_t pages = ((uint64_t)nr_devices * AEN_GAITE_SIZE + AEN_PAGE - 1) / AEN_PAGE;
	unsigned order = 0;

	while ((1ull << order) < pages)
		order++;
	return order;
}

/* ---- the kernel heap ------------------------------------------------------------------------ */

static bool heap_fails(struct aen *a, enum aen_step step)
{
	if (a->fail[step] == 0)
		return false;
	return --a->fail[step] == 0;
}

static uint64_t align_up(uint64_t v, uint64_t align)
{
	return (v + align - 1) & ~(align - 1);
}

/* First fit; zeroed.  Return: the address, or 0 when the heap is full. */
static uint64_t heap_alloc(struct aen *a, uint64_t size, uint64_t align)
{
	struct aen_heap *h = &a->heap;
	uint64_t start, end = h->base + h->size;
	int i;

	size = align_up(size ? size : 1, GRANULE);
	align = align < GRANULE ? GRANULE : align;
	if (h->nlive == AEN_MAX_ALLOCS)
		return 0;
	start = align_up(h->base, align);
	for (i = 0; i < h->nlive; i++) {
		if (start + size <= h->live[i].addr)
			break;
		if (h->live[i].addr + h->live[i].size > start)
			start = align_up(h->live[i].addr + h->live[i].size, align);
	}
	if (start + size > end || start < h->base)
		return 0;
	memmove(&h->live[i + 1], &h->live[i], (size_t)(h->nlive - i) * sizeof(h->live[0]));
	h->live[i] = (struct aen_alloc){ .addr = start, .size = size };
	h->nlive++;
	h->allocs++;
	memset(mem_ptr(a, start, size), 0, size);
	return start;
}

static int heap_find(const struct aen_heap *h, uint64_t addr)
{
	for (int i = 0; i < h->nlive; i++)
		if (h->live[i].addr == addr)
			return i;
	return -1;
}

static void heap_free(struct aen *a, uint64_t addr)
{
	struct aen_heap *h = &a->heap;
	int i = addr ? heap_find(h, addr) : -1;

	if (i < 0)
		return;
	memset(mem_ptr(a, addr, h->live[i].size), FREE_POISON, h->live[i].size);
	memmove(&h->live[i], &h->live[i + 1], (size_t)(h->nlive - i - 1) * sizeof(h->live[0]));
	h->nlive--;
	h->frees++;
}

/* ---- airq_iv (§4) ------------------------------------------------------------------------ */

static int iv_create_alloc(struct aen *a, struct aen_iv *iv, uint32_t bits)
{
	uint64_t bytes = ((uint64_t)bits + 63) / 64 * 8;

	*iv = (struct aen_iv){ .bits = bits };
	if (heap_fails(a, AEN_STEP_SBV))
		return -1;
	iv->avail = malloc(bits ? bits : 1);
	iv->vector = iv->avail ? heap_alloc(a, bytes, 64) : 0;
	if (!iv->vector) {
		free(iv->avail);
		iv->avail = NULL;
		return -1;
	}
	memset(iv->avail, 1, bits);
	iv->live = true;
	return 0;
}

static void iv_release(struct aen *a, struct aen_iv *iv)
{
	if (!iv->live)
		return;
	if (!iv->guestvec)
		heap_free(a, iv->vector);
	free(iv->avail);
	*iv = (struct aen_iv){ 0 };
}

/* airq_iv_alloc_bit: the lowest free bit; end becomes bit + 2 when bit + 1 >= end. */
static int64_t iv_alloc_bit(struct aen_iv *iv)
{
	if (!iv->avail)
		return -1;
	for (uint32_t bit = 0; bit < iv->bits; bit++) {
		if (!iv->avail[bit])
			continue;
		iv->avail[bit] = 0;
		if (bit + 1 >= iv->end)
			iv->end = bit + 2;
		return bit;
	}
	return -1;
}

/*
 * airq_iv_free_bit, literally: the end is lowered while bit end-1 is *not*
 * available.  (docs/models/aen.md §4 words it the other way round; the code in
 * drivers/s390/cio/airq.c tests !test_bit_inv(end - 1, avail).)  As
 * alloc leaves end one past the highest bit, it rarely moves.
 */
static void iv_free_bit(struct aen *a, struct aen_iv *iv, uint32_t bit)
{
	if (!iv->avail || bit >= iv->bits)
		return;
	vec_set(a, iv->vector, bit, false);
	iv->avail[bit] = 1;
	if (bit + 1 >= iv->end)
		while (iv->end > 0 && (iv->end - 1 >= iv->bits || !iv->avail[iv->end - 1]))
			iv->end--;
}

/* airq_iv_scan: the next set bit in [start, end), cleared; -1 if none.  Zero bytes are skipped whole. */
static int64_t iv_scan(struct aen *a, struct aen_iv *iv, uint32_t start, uint32_t end)
{
	const uint8_t *v = mem_ptr(a, iv->vector, ((uint64_t)iv->bits + 7) / 8);
	uint32_t bit = start;

	if (!v)
		return -1;
	while (bit < end) {
		if ((bit & 7) == 0 && v[bit / 8] == 0) {
			bit += 8;
			continue;
		}
		if (v[bit / 8] & (0x80u >> (bit % 8))) {
			vec_set(a, iv->vector, bit, false);
			return bit;
		}
		bit++;
	}
	return -1;
}

/* ---- boot, injection ------------------------------------------------------------------------- */

static const char *const step_names[AEN_STEP__COUNT] = {
	[AEN_STEP_KZDEV] = "kzdev",	       [AEN_STEP_AIPB] = "aipb",	 [AEN_STEP_SBV] = "sbv",
	[AEN_STEP_GAIT] = "gait",	       [AEN_STEP_SIC_AENI] = "sic-aeni", [AEN_STEP_SIC_SINGLE] = "sic-single",
	[AEN_STEP_PIN_AIBV] = "pin-aibv", [AEN_STEP_PIN_AISB] = "pin-aisb", [AEN_STEP_ACCOUNT] = "account",
	[AEN_STEP_MPCIFC] = "mpcifc",
};

const char *aen_step_name(enum aen_step step)
{
	return step < AEN_STEP__COUNT ? step_names[step] : "?";
}

void aen_inject(struct aen *a, enum aen_step step, uint32_t n)
{
	if (step < AEN_STEP__COUNT)
		a->fail[step] = n;
}

void aen_free(struct aen *a)
{
	for (int i = 0; i < AEN_MAX_ZDEVS; i++)
		free(a->zdev[i].aibv.avail);
	free(a->sbv.avail);
	free(a->kzdev);
	a->sbv.avail = NULL;
	a->kzdev = NULL;
}

int aen_boot(struct aen *a, const struct aen_mem *mem, uint32_t nr_devices, uint64_t heap_base,
	     uint64_t heap_size)
{
	if (nr_devices < 1 || nr_devices > AEN_MAX_DEVICES || !mem->host)
		return -EINVAL;
	if (heap_size && (heap_size < GRANULE || heap_base < mem->base || heap_base - mem->base > mem->size || heap_size > mem->size - (heap_base - mem->base)))
		return -EINVAL;
	aen_free(a);
	memset(a, 0, sizeof(*a));
	a->mem = *mem;
	a->heap.base = align_up(heap_base, GRANULE);
	a->heap.size = heap_size > a->heap.base - heap_base ? heap_size - (a->heap.base - heap_base) : 0;
	a->nr_devices = nr_devices;
	a->fw.facility72 = true;
	a->module_loaded = true;
	a->mpcifc_cc = 2;
	a->memlock_limit = UINT64_MAX;
	return 0;
}

/* ---- firmware ------------------------------------------------------------------------------- */

int aen_fw_sic(struct aen *a, uint16_t ctl, uint8_t isc, uint64_t iib)
{
	uint8_t m = (uint8_t)AEN_AIS_MODE_MASK(isc & 7);
	const uint8_t *p;

	if (ctl >= AEN_SIC_OPS || (ctl > 2 && ctl != 4 && ctl < 16))
		return -AEN_PGM_OPERAND;
	if (a->fw.fail_sic) {
		a->fw.fail_sic--;
		a->fw.sic_refused++;
		return 3;
	}
	switch (ctl) {
	case SIC_IRQ_MODE_ALL:
		a->fw.simm &= (uint8_t)~m;
		a->fw.nimm &= (uint8_t)~m;
		break;
	case SIC_IRQ_MODE_SINGLE:
		a->fw.simm |= m;
		a->fw.nimm &= (uint8_t)~m;
		break;
	case SIC_SET_AENI_CONTROLS:
		p = mem_ptr(a, iib, AEN_AIPB_SIZE);
		if (!p)
			return -AEN_PGM_ADDRESSING;
		if (a->fw.registered) {
			a->fw.sic_refused++;
			return 1;
		}
		aen_aipb_decode(p, &a->fw.faisb, &a->fw.gait, &a->fw.afi, &a->fw.faal);
		a->fw.registered = true;
		a->fw.aipb_addr = iib;
		break;
	default: /* directed modes: counted, not modelled */
		break;
	}
	a->fw.sic[ctl]++;
	return 0;
}

int aen_set_irq_ctrl(struct aen *a, uint16_t ctl, uint8_t isc, uint64_t iib)
{
	if (!a->fw.facility72)
		return -EIO;
	if ((ctl == SIC_SET_AENI_CONTROLS && heap_fails(a, AEN_STEP_SIC_AENI)) ||
	    (ctl == SIC_IRQ_MODE_SINGLE && heap_fails(a, AEN_STEP_SIC_SINGLE)))
		return -EIO;
	aen_fw_sic(a, ctl, isc, iib); /* the CC is not looked at (§1.4) */
	return 0;
}

int aen_summary_set(struct aen *a, uint32_t bit)
{
	if (!a->sbv.live)
		return -ENODEV;
	if (bit >= a->sbv.bits)
		return -EINVAL;
	vec_set(a, a->sbv.vector, bit, true);
	return 0;
}

bool aen_fw_alert(struct aen *a, uint8_t isc)
{
	uint8_t m = (uint8_t)AEN_AIS_MODE_MASK(isc & 7);

	if (a->fw.nimm & m) {
		a->fw.suppressed++;
		return false;
	}
	a->fw.alerts++;
	if (a->fw.simm & m)
		a->fw.nimm |= m;
	/* gib_alert_irq_handler with the forward bit set (§6.4) */
	if (a->module_loaded)
		aen_process_gait(a, isc);
	return true;
}

static struct aen_zdev *zdev_get(struct aen *a, int dev)
{
	return dev >= 0 && dev < AEN_MAX_ZDEVS && a->zdev[dev].exists ? &a->zdev[dev] : NULL;
}

int aen_fw_raise(struct aen *a, int dev, uint32_t vec)
{
	struct aen_zdev *z = zdev_get(a, dev);

	if (!z)
		return -ENODEV;
	if (!z->fw_reg) {
		z->dropped++;
		return -ENODEV;
	}
	if (vec >= z->fw_noi)
		return -EINVAL;
	z->events++;
	vec_set(a, z->fw_aibv, vec, true);
	vec_set(a, z->fw_aisb, z->fw_aisbo, true);
	aen_fw_alert(a, z->fw_isc);
	return 0;
}

/* ---- KVM: aen_init / aen_exit (§5) ------------------------------------------------------------ */

static void kzdev_free(struct aen *a)
{
	free(a->kzdev);
	a->kzdev = NULL;
}

void aen_exit(struct aen *a, bool locked)
{
	enum aen_ref kz = a->kzdev_ref;

	if (!locked)
		a->bugs |= AEN_BUG_UNLOCKED;
	a->gait_ref = a->sbv_ref = a->kzdev_ref = AEN_REF_NULL;
	a->aift_gait = 0;
	if (kz == AEN_REF_STALE)
		a->bugs |= AEN_BUG_DOUBLE_FREE;
	kzdev_free(a);
}

static int setup_aipb(struct aen *a, uint8_t nisc)
{
	unsigned order = aen_gait_order(a->nr_devices);
	uint64_t aipb, gait = 0;
	uint8_t image[AEN_AIPB_SIZE];
	int rc;

	aipb = heap_fails(a, AEN_STEP_AIPB) ? 0 : heap_alloc(a, AEN_IIB_SIZE, 8);
	if (!aipb)
		return -ENOMEM;
	a->p_aipb = aipb;
	if (iv_create_alloc(a, &a->sbv, a->nr_devices) < 0) {
		a->sbv_ref = AEN_REF_NULL;
		rc = -ENOMEM;
		goto free_aipb;
	}
	a->sbv_ref = AEN_REF_VALID;
	a->p_sbv = true;
	if (!heap_fails(a, AEN_STEP_GAIT))
		gait = heap_alloc(a, (uint64_t)AEN_PAGE << order, (uint64_t)AEN_PAGE << order);
	if (!gait) {
		rc = -ENOMEM;
		goto free_sbv;
	}
	a->aift_gait = a->gait_addr = gait;
	a->gait_pages = (uint64_t)AEN_PAGE << order;
	a->gait_ref = AEN_REF_VALID;
	aen_aipb_encode(image, a->sbv.vector, gait, nisc, (uint16_t)a->nr_devices);
	memcpy(mem_ptr(a, aipb, AEN_AIPB_SIZE), image, AEN_AIPB_SIZE);
	if (aen_set_irq_ctrl(a, SIC_SET_AENI_CONTROLS, 0, aipb)) {
		rc = -EIO;
		goto free_gait;
	}
	return 0;

free_gait:
	heap_free(a, gait);
	a->gait_ref = AEN_REF_STALE;
	a->gait_addr = a->gait_pages = 0;
free_sbv:
	iv_release(a, &a->sbv);
	if (a->sbv_ref == AEN_REF_VALID)
		a->sbv_ref = AEN_REF_STALE; /* aift.sbv is not cleared upstream */
	a->p_sbv = false;
free_aipb:
	heap_free(a, aipb);
	a->p_aipb = 0;
	return rc;
}

static int reset_aipb(struct aen *a, uint8_t nisc)
{
	const uint8_t *p = mem_ptr(a, a->p_aipb, AEN_AIPB_SIZE);
	uint64_t faisb, gait;
	uint16_t faal;
	uint8_t afi;

	aen_aipb_decode(p, &faisb, &gait, &afi, &faal);
	if (afi != nisc) /* a 3-bit field against a u8: nisc > 7 never matches */
		return -EINVAL;
	a->sbv_ref = a->p_sbv ? AEN_REF_VALID : AEN_REF_NULL;
	a->aift_gait = gait;
	a->gait_ref = gait ? AEN_REF_VALID : AEN_REF_NULL;
	return 0;
}

int aen_init(struct aen *a, uint8_t nisc)
{
	int rc;

	if (a->gait_ref != AEN_REF_NULL || a->sbv_ref != AEN_REF_NULL)
		return -EPERM;
	a->aift_lock = true;
	a->kzdev = heap_fails(a, AEN_STEP_KZDEV) ? NULL : malloc(a->nr_devices * sizeof(*a->kzdev));
	if (!a->kzdev) {
		a->kzdev_ref = AEN_REF_NULL;
		rc = -ENOMEM;
		goto unlock;
	}
	for (uint32_t i = 0; i < a->nr_devices; i++)
		a->kzdev[i] = -1;
	a->kzdev_ref = AEN_REF_VALID;
	rc = a->p_aipb ? reset_aipb(a, nisc) : setup_aipb(a, nisc);
	if (rc)
		goto free_zdev;
	if (aen_set_irq_ctrl(a, SIC_IRQ_MODE_SINGLE, nisc, 0)) {
		rc = -EIO;
		aen_exit(a, true);
	} else {
		a->nisc = nisc;
	}
	goto unlock;

free_zdev:
	kzdev_free(a);
	a->kzdev_ref = AEN_REF_STALE; /* kfree'd, not cleared */
unlock:
	a->aift_lock = false;
	return rc;
}

void aen_module_reload(struct aen *a)
{
	/* VMs go first: their devices are unregistered, which turns forwarding off (force) */
	for (int i = 0; i < AEN_MAX_ZDEVS; i++)
		if (a->zdev[i].exists && a->zdev[i].fib_aibv)
			aen_dereg_aen(a, a->zdev[i].vm, i, true);
	/* kvm_s390_gib_destroy: aen_exit under aift_lock, then kvm_s390_pci_exit frees aift */
	if (a->module_loaded && (a->gait_ref == AEN_REF_VALID || a->sbv_ref == AEN_REF_VALID))
		aen_exit(a, true);
	kzdev_free(a);
	a->gait_ref = a->sbv_ref = a->kzdev_ref = AEN_REF_NULL;
	a->aift_gait = 0;
	for (int i = 0; i < AEN_MAX_VMS; i++)
		if (a->vm[i].exists)
			memset(&a->vm[i], 0, sizeof(a->vm[i])); /* VMs die with the module */
	for (int i = 0; i < AEN_MAX_ZDEVS; i++) {
		free(a->zdev[i].aibv.avail);
		memset(&a->zdev[i], 0, sizeof(a->zdev[i]));
	}
	a->module_loaded = true;
}

/* ---- KVM: VMs, devices, forwarding enable/disable (§6.1, §6.2) ----------------------------------- */

int aen_vm_create(struct aen *a, int vm, uint64_t gisa)
{
	if (vm < 0 || vm >= AEN_MAX_VMS || a->vm[vm].exists)
		return -EINVAL;
	if (gisa && (gisa % 8 || gisa + AEN_GISA_SIZE > (1ull << 31) || !mem_ptr(a, gisa, AEN_GISA_SIZE)))
		return -EINVAL;
	a->vm[vm] = (struct aen_vm){ .exists = true, .gisa = gisa };
	if (gisa)
		memset(mem_ptr(a, gisa, AEN_GISA_SIZE), 0, AEN_GISA_SIZE);
	return 0;
}

int aen_dev_register(struct aen *a, int dev, int vm, uint32_t gd, uint32_t max_msi)
{
	if (dev < 0 || dev >= AEN_MAX_ZDEVS || a->zdev[dev].exists || vm < 0 || vm >= AEN_MAX_VMS ||
	    !a->vm[vm].exists)
		return -EINVAL;
	a->zdev[dev] = (struct aen_zdev){ .exists = true, .vm = vm, .gd = gd, .max_msi = max_msi };
	return 0;
}

static uint8_t *gisa_ptr(struct aen *a, const struct aen_vm *v)
{
	return v->gisa ? mem_ptr(a, v->gisa, AEN_GISA_SIZE) : NULL;
}

/* kvm_s390_gisc_register: the host nisc, or -errno. */
static int gisc_register(struct aen *a, struct aen_vm *v, uint8_t gisc)
{
	uint8_t *g = gisa_ptr(a, v);

	if (!g)
		return -ENODEV;
	if (gisc > AEN_MAX_ISC)
		return -ERANGE;
	if (v->gisc_ref[gisc]++ == 0) {
		v->alert_mask |= (uint8_t)AEN_AIS_MODE_MASK(gisc);
		g[7] = v->alert_mask; /* IAM */
	}
	return a->nisc;
}

static void gisc_unregister(struct aen *a, struct aen_vm *v, uint8_t gisc)
{
	uint8_t *g = gisa_ptr(a, v);

	if (!g || gisc > AEN_MAX_ISC || v->gisc_ref[gisc] == 0)
		return; /* -EINVAL, ignored by every caller */
	if (--v->gisc_ref[gisc] == 0) {
		v->alert_mask &= (uint8_t)~AEN_AIS_MODE_MASK(gisc);
		g[7] = v->alert_mask;
	}
}

static uint8_t *gaite_ptr(struct aen *a, uint32_t bit)
{
	return a->gait_ref == AEN_REF_VALID && bit < a->nr_devices
		       ? mem_ptr(a, a->aift_gait + (uint64_t)bit * AEN_GAITE_SIZE, AEN_GAITE_SIZE)
		       : NULL;
}

int aen_gaite_read(const struct aen *a, uint32_t bit, struct aen_gaite *g)
{
	const uint8_t *p = gaite_ptr((struct aen *)a, bit);

	if (!p)
		return -1;
	g->gisa = (uint32_t)get_be(p, 4);
	g->gisc = p[4];
	g->count = p[5];
	g->aisbo = p[7];
	g->aisb = get_be(p + 8, 8);
	return 0;
}

/* Pin a guest page: guest physical is simulated physical here. */
static bool pin(struct aen *a, uint64_t gaddr, enum aen_step step)
{
	return !heap_fails(a, step) && mem_ptr(a, gaddr & ~(uint64_t)(AEN_PAGE - 1), AEN_PAGE);
}

/* Pin the AIBV (and the AISB with a summary bit) and account the pages. Return: 1 to go on, 0 or -errno to stop. */
static int pin_and_account(struct aen *a, uint64_t aibv, bool sum, uint64_t aisb, uint32_t *pcount)
{
	*pcount = 0;
	if (!pin(a, aibv, AEN_STEP_PIN_AIBV))
		return -EIO;
	++*pcount;
	if (sum) {
		if (!pin(a, aisb, AEN_STEP_PIN_AISB))
			return -EIO;
		++*pcount;
	}
	if (heap_fails(a, AEN_STEP_ACCOUNT) || a->locked_pages + *pcount > a->memlock_limit)
		return 0; /* rc is still 0 (docs/models/aen.md §6.1 step 5) */
	a->locked_pages += *pcount;
	return 1;
}

/* The device's GAIT entry at summary bit @bit, then the host FIB (kvm_zpci_set_airq: MPCIFC REG_INT, no rollback). */
static int set_gaite_and_fib(struct aen *a, struct aen_zdev *z, uint32_t bit, uint8_t *e, uint8_t isc, int gisc,
			     bool sum, uint64_t aisb, uint8_t aisbo, bool assist)
{
	put_be(e, 4, assist ? (uint32_t)a->vm[z->vm].gisa : 0);
	e[4] = isc;
	e[5]++;
	e[7] = aisbo;
	put_be(e + 8, 8, sum ? aisb : 0);
	a->kzdev[bit] = (int16_t)(z - a->zdev);
	z->fib_isc = (uint8_t)gisc;
	z->fib_aibv = z->aibv.vector;
	a->aift_lock = false;
	if (heap_fails(a, AEN_STEP_MPCIFC))
		return -EIO;
	z->fw_reg = true;
	z->fw_aibv = z->aibv.vector;
	z->fw_noi = z->aibv.end;
	z->fw_aisb = a->sbv.vector + (uint64_t)(bit / 64) * 8;
	z->fw_aisbo = (uint8_t)(bit & 63);
	z->fw_isc = (uint8_t)gisc;
	return 0;
}

static int aif_enable(struct aen *a, struct aen_zdev *z, uint64_t aibv, uint8_t isc, uint32_t noi, bool sum,
		      uint64_t aisb, uint8_t aisbo, bool assist)
{
	struct aen_vm *v = &a->vm[z->vm];
	uint32_t msi_vecs, pcount;
	int64_t bit;
	uint8_t *e;
	int rc, gisc;

	if (z->gd == 0)
		return -EINVAL;
	msi_vecs = noi < z->max_msi ? noi : z->max_msi;
	gisc = gisc_register(a, v, isc);
	if (gisc < 0)
		return gisc;
	if ((rc = pin_and_account(a, aibv, sum, aisb, &pcount)) <= 0)
		goto out;
	a->aift_lock = true;
	bit = a->sbv_ref == AEN_REF_VALID ? iv_alloc_bit(&a->sbv) : -1;
	if (bit < 0) {
		a->aift_lock = false;
		rc = 0;
		goto out; /* rc 0 again; the accounting is not undone */
	}
	if (z->aibv.live) { /* REG_AEN again without DEREG: the first entry is left behind */
		a->bugs |= AEN_BUG_LEAK;
		free(z->aibv.avail);
	}
	z->aisb = (uint32_t)bit;
	z->aibv = (struct aen_iv){ .live = true, .bits = msi_vecs, .end = msi_vecs, .vector = aibv, .guestvec = true };
	e = gaite_ptr(a, (uint32_t)bit);
	if (!e) {
		a->bugs |= AEN_BUG_USE_FREED;
		a->aift_lock = false;
		return -EIO;
	}
	z->pinned = pcount;
	return set_gaite_and_fib(a, z, (uint32_t)bit, e, isc, gisc, sum, aisb, aisbo, assist);

out:
	gisc_unregister(a, v, isc); /* the June-2026 fix */
	return rc;
}

int aen_reg_aen(struct aen *a, int vm, int dev, const struct aen_reg_aen *r)
{
	struct aen_zdev *z = zdev_get(a, dev);

	if (!z || vm < 0 || vm >= AEN_MAX_VMS || !a->vm[vm].exists)
		return -ENODEV;
	if (z->vm != vm)
		return -EPERM;
	if (r->flags & ~AEN_REGAEN_HOST)
		return -EINVAL;
	/* fib.fmt0.isc is a 3-bit field: the u8 from the ioctl is truncated */
	return aif_enable(a, z, r->ibv, r->isc & 7, r->noi, r->sb != 0, r->sb, r->sb ? r->sbo & 63 : 0,
			  !(r->flags & AEN_REGAEN_HOST));
}

int aen_dereg_aen(struct aen *a, int vm, int dev, bool force)
{
	struct aen_zdev *z = zdev_get(a, dev);
	struct aen_vm *v;
	uint8_t *e, isc = 0;
	int rc = 0;

	if (!z || vm < 0 || vm >= AEN_MAX_VMS || !a->vm[vm].exists)
		return -ENODEV;
	if (z->vm != vm)
		return -EPERM;
	v = &a->vm[vm];
	if (z->gd == 0)
		return -EINVAL;
	a->aift_lock = true;
	if (heap_fails(a, AEN_STEP_MPCIFC)) {
		bool gone = a->mpcifc_cc == 3 || (a->mpcifc_cc == 1 && a->mpcifc_status == 24);

		rc = gone ? 0 : -EIO;
		if (gone)
			z->fw_reg = false;
	} else {
		z->fw_reg = false;
	}
	if ((rc && !force) || z->fib_aibv == 0)
		goto out;
	e = gaite_ptr(a, z->aisb);
	if (!e) {
		a->bugs |= AEN_BUG_USE_FREED;
		goto out;
	}
	isc = e[4];
	e[5]--;
	if (e[5] == 0) {
		a->locked_pages -= z->pinned;
		memset(e, 0, AEN_GAITE_SIZE);
		a->kzdev[z->aisb] = -1;
		iv_free_bit(a, &a->sbv, z->aisb);
		z->aibv = (struct aen_iv){ 0 };
		z->aisb = 0;
		z->pinned = 0;
	}
	gisc_unregister(a, v, isc);
	z->fib_isc = 0;
	z->fib_aibv = 0;
out:
	a->aift_lock = false;
	return rc;
}

/* ---- forwarding (§6.4) ------------------------------------------------------------------------ */

static void host_forward(struct aen *a, uint32_t si)
{
	struct aen_gaite g;
	struct aen_vm *v;
	uint8_t *gisa, m;
	int dev;

	if (aen_gaite_read(a, si, &g) < 0 || g.count == 0)
		return;
	if (g.aisb)
		vec_set(a, g.aisb, g.aisbo, true);
	dev = a->kzdev_ref == AEN_REF_VALID ? a->kzdev[si] : -1;
	if (dev < 0)
		return; /* no kvm: the guest summary bit is all it gets */
	v = &a->vm[a->zdev[dev].vm];
	gisa = gisa_ptr(a, v);
	if (!gisa)
		return;
	m = (uint8_t)AEN_AIS_MODE_MASK(g.gisc & 7);
	a->forwarded++;
	if (!(gisa[5] & m) || !(gisa[6] & m)) { /* suppressed only when SIMM and NIMM are both set */
		gisa[4] |= m;
		v->kicks++;
		v->aen_forward++;
	}
}

uint64_t aen_process_gait(struct aen *a, uint8_t isc)
{
	bool found = false, first = true;
	uint64_t n = 0;
	int64_t si = 0;

	if (a->gait_ref == AEN_REF_NULL)
		return 0;
	if (a->gait_ref == AEN_REF_STALE || a->sbv_ref != AEN_REF_VALID) {
		a->bugs |= AEN_BUG_USE_FREED;
		return 0;
	}
	for (;;) {
		si = iv_scan(a, &a->sbv, (uint32_t)si, a->sbv.end < a->sbv.bits ? a->sbv.end : a->sbv.bits);
		if (si < 0) {
			if (!(first || found))
				break;
			aen_set_irq_ctrl(a, SIC_IRQ_MODE_SINGLE, isc, 0); /* return ignored */
			a->scan_sics++;
			first = found = false;
			si = 0;
			continue;
		}
		found = true;
		n++;
		a->scans++;
		host_forward(a, (uint32_t)si);
	}
	return n;
}

int aen_gisa_byte(const struct aen *a, int vm, unsigned off)
{
	const uint8_t *g;

	if (vm < 0 || vm >= AEN_MAX_VMS || !a->vm[vm].exists || off >= AEN_GISA_SIZE)
		return -1;
	g = gisa_ptr((struct aen *)a, &a->vm[vm]);
	return g ? g[off] : -1;
}

/* ---- invariants ------------------------------------------------------------------------------- */

static bool heap_holds(const struct aen *a, uint64_t addr)
{
	return heap_find(&a->heap, addr) >= 0;
}

#define FAIL(...) do { snprintf(msg, len, __VA_ARGS__); return -1; } while (0)

static int check_gait(const struct aen *a, char *msg, size_t len)
{
	uint32_t refs[AEN_MAX_VMS][AEN_MAX_ISC + 1] = { { 0 } };
	struct aen_gaite g;

	for (uint32_t bit = 0; bit < a->nr_devices; bit++) {
		int dev = a->kzdev_ref == AEN_REF_VALID ? a->kzdev[bit] : -1;

		if (aen_gaite_read(a, bit, &g) < 0)
			return 0;
		if (g.count == 0) {
			if (g.gisa || g.gisc || g.aisbo || g.aisb)
				FAIL("GAIT entry %" PRIu32 " has count 0 but is not clear", bit);
			if (dev >= 0)
				FAIL("kzdev[%" PRIu32 "] names device %d for an unused GAIT entry", bit, dev);
			continue;
		}
		if (a->sbv.avail && bit < a->sbv.bits && a->sbv.avail[bit])
			FAIL("GAIT entry %" PRIu32 " is live but its summary bit is free", bit);
		if (g.gisc > AEN_MAX_ISC)
			FAIL("GAIT entry %" PRIu32 " has gisc %u", bit, g.gisc);
		if (dev >= 0)
			refs[a->zdev[dev].vm][g.gisc]++;
	}
	if (a->kzdev_ref != AEN_REF_VALID)
		return 0;
	for (int v = 0; v < AEN_MAX_VMS; v++)
		for (int i = 0; i <= AEN_MAX_ISC; i++)
			if (a->vm[v].exists && a->vm[v].gisc_ref[i] != refs[v][i])
				FAIL("VM %d holds %" PRIu32 " references on guest ISC %d, live GAIT entries %" PRIu32, v,
				     a->vm[v].gisc_ref[i], i, refs[v][i]);
	return 0;
}

int aen_check(const struct aen *a, char *msg, size_t len)
{
	static const char *const bug_text[] = { "aen_exit freed an already freed kzdev array",
						"forwarding used a freed GAIT or summary vector",
						"aen_exit ran without aift_lock held",
						"REG_AEN twice without DEREG leaked a GAIT entry" };

	for (unsigned i = 0; i < 4; i++)
		if (a->bugs & (1u << i))
			FAIL("%s", bug_text[i]);
	if (a->aift_lock)
		FAIL("aift_lock is still held");
	if (a->p_aipb && !heap_holds(a, a->p_aipb))
		FAIL("zpci_aipb 0x%" PRIx64 " is not a live allocation", a->p_aipb);
	if ((a->p_sbv || a->sbv_ref == AEN_REF_VALID) && (!a->sbv.live || !heap_holds(a, a->sbv.vector)))
		FAIL("the summary-bit vector is referenced but not allocated");
	if (a->gait_ref == AEN_REF_VALID && (!a->gait_addr || a->aift_gait != a->gait_addr))
		FAIL("aift.gait 0x%" PRIx64 " is not the GAIT allocation 0x%" PRIx64, a->aift_gait, a->gait_addr);
	if (a->gait_addr && !heap_holds(a, a->gait_addr))
		FAIL("the GAIT 0x%" PRIx64 " is not a live allocation", a->gait_addr);
	if ((a->kzdev_ref == AEN_REF_VALID) != (a->kzdev != NULL))
		FAIL("aift.kzdev state disagrees with its array");
	if (a->fw.registered && a->p_aipb &&
	    (a->fw.faisb != a->sbv.vector || a->fw.gait != a->gait_addr || a->fw.faal != a->nr_devices))
		FAIL("the firmware's registration (faisb 0x%" PRIx64 ", gait 0x%" PRIx64 ", faal %u) disagrees "
		     "with the kernel's structures", a->fw.faisb, a->fw.gait, a->fw.faal);
	return check_gait(a, msg, len);
}

static uint64_t iv_digest(uint64_t h, const struct aen_iv *iv)
{
	uint32_t i;

	h = dg_u64(h, iv->live);
	h = dg_u64(h, iv->bits);
	h = dg_u64(h, iv->end);
	h = dg_u64(h, iv->vector);
	h = dg_u64(h, iv->guestvec);
	for (i = 0; iv->avail && i < iv->bits; i++)
		h = dg_u64(h, iv->avail[i]);
	return h;
}

/* The kernel heap and the firmware's state, in aen_digest()'s order. */
static uint64_t heap_fw_digest(uint64_t h, const struct aen *a)
{
	int j;

	h = dg_u64(h, a->heap.base);
	h = dg_u64(h, a->heap.size);
	for (j = 0; j < a->heap.nlive; j++) {
		h = dg_u64(h, a->heap.live[j].addr);
		h = dg_u64(h, a->heap.live[j].size);
	}
	h = dg_u64(h, a->nr_devices);
	h = dg_u64(h, a->fw.facility72);
	h = dg_u64(h, a->fw.registered);
	h = dg_u64(h, a->fw.aipb_addr);
	h = dg_u64(h, a->fw.faisb);
	h = dg_u64(h, a->fw.gait);
	h = dg_u64(h, a->fw.afi);
	h = dg_u64(h, a->fw.faal);
	h = dg_u64(h, a->fw.simm);
	h = dg_u64(h, a->fw.nimm);
	h = dg_array(h, a->fw.sic, AEN_SIC_OPS);
	h = dg_u64(h, a->fw.alerts);
	return dg_u64(h, a->fw.suppressed);
}

static uint64_t vms_digest(uint64_t h, const struct aen *a)
{
	uint32_t i;
	int j;

	for (j = 0; j < AEN_MAX_VMS; j++) {
		const struct aen_vm *vm = &a->vm[j];

		if (!vm->exists)
			continue;
		h = dg_u64(h, (uint64_t)j);
		h = dg_u64(h, vm->gisa);
		for (i = 0; i <= AEN_MAX_ISC; i++)
			h = dg_u64(h, vm->gisc_ref[i]);
		h = dg_u64(h, vm->alert_mask);
		h = dg_u64(h, vm->aen_forward);
	}
	return h;
}

static uint64_t zdevs_digest(uint64_t h, const struct aen *a)
{
	uint32_t i;

	for (i = 0; i < AEN_MAX_ZDEVS; i++) {
		const struct aen_zdev *z = &a->zdev[i];
		const uint64_t v[] = { i, (uint64_t)(int64_t)z->vm, z->gd, z->max_msi, z->aisb, z->fib_aibv, z->fib_isc,
				       z->pinned, z->fw_reg, z->fw_aibv, z->fw_aisb, z->fw_aisbo, z->fw_isc, z->fw_noi,
				       z->events, z->dropped };

		if (!z->exists)
			continue;
		h = dg_array(h, v, sizeof(v) / sizeof(v[0]));
		h = iv_digest(h, &z->aibv);
	}
	return h;
}

uint64_t aen_digest(const struct aen *a)
{
	uint64_t h = heap_fw_digest(DG_INIT, a);
	uint32_t i;

	h = dg_u64(h, a->p_aipb);
	h = dg_u64(h, a->p_sbv);
	h = iv_digest(h, &a->sbv);
	h = dg_u64(h, a->gait_pages);
	h = dg_u64(h, a->gait_addr);
	h = dg_u64(h, a->module_loaded);
	h = dg_u64(h, a->gait_ref);
	h = dg_u64(h, a->sbv_ref);
	h = dg_u64(h, a->kzdev_ref);
	h = dg_u64(h, a->aift_gait);
	for (i = 0; a->kzdev_ref == AEN_REF_VALID && a->kzdev && i < a->nr_devices; i++)
		h = dg_u64(h, (uint64_t)(int64_t)a->kzdev[i]);
	h = dg_u64(h, a->aift_lock);
	h = dg_u64(h, a->nisc);
	h = vms_digest(h, a);
	h = zdevs_digest(h, a);
	h = dg_u64(h, a->locked_pages);
	h = dg_u64(h, a->bugs);
	h = dg_u64(h, a->scans);
	return dg_u64(h, a->forwarded);
}
