/* SPDX-License-Identifier: MIT */
/*
 * models/aen against docs/models/aen.md: the edge cases of §9 (numbered as there),
 * the AIPB byte image on this little-endian host, and the init/exit/re-init
 * matrix with failure injection (§5.3).
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "aen.h"
#include "suites.h"

#define BASE 0x100000ull
#define SIZE (4ull << 20)
#define HEAP 0x200000ull
#define HEAP_SIZE (2ull << 20)
#define GISA0 0x110000ull
#define AIBV0 0x120000ull /* guest interrupt vector of device 0 */
#define AISB0 0x121008ull /* guest summary word of device 0 */

static uint8_t *ram;
static struct aen a;

static void boot(uint32_t devices)
{
	struct aen_mem m = { .host = ram, .base = BASE, .size = SIZE };

	ck_assert_int_eq(aen_boot(&a, &m, devices, HEAP, HEAP_SIZE), 0);
}

static void setup(void)
{
	ram = calloc(1, SIZE);
	memset(&a, 0, sizeof(a));
	boot(AEN_DEFAULT_DEVICES);
}

static void teardown(void)
{
	aen_free(&a);
	free(ram);
}

static uint64_t sics(void)
{
	uint64_t n = 0;

	for (int i = 0; i < AEN_SIC_OPS; i++)
		n += a.fw.sic[i];
	return n;
}

static void assert_clean(void)
{
	char msg[256];

	if (aen_check(&a, msg, sizeof(msg)) != 0)
		ck_abort_msg("aen_check: %s", msg);
}

/* One VM with a GISA, device 0 handed to it, forwarding enabled on summary bit 0. */
static void vm_and_device(bool host_only)
{
	struct aen_reg_aen r = { .ibv = AIBV0, .sb = AISB0, .sbo = 9, .noi = 4, .isc = 3,
				 .flags = host_only ? AEN_REGAEN_HOST : 0 };

	ck_assert_int_eq(aen_vm_create(&a, 0, GISA0), 0);
	ck_assert_int_eq(aen_dev_register(&a, 0, 0, (uint32_t)GISA0, 8), 0);
	ck_assert_int_eq(aen_reg_aen(&a, 0, 0, &r), 0);
}

START_TEST(test_aen_first_init)
{
	uint8_t iib[AEN_IIB_SIZE], want[AEN_AIPB_SIZE];

	ck_assert_int_eq(aen_init(&a, AEN_GAL_ISC), 0);
	ck_assert_int_eq(a.gait_ref, AEN_REF_VALID);
	ck_assert_int_eq(a.sbv_ref, AEN_REF_VALID);
	ck_assert_int_eq(a.kzdev_ref, AEN_REF_VALID);
	ck_assert_uint_eq(a.fw.sic[SIC_SET_AENI_CONTROLS], 1);
	ck_assert_uint_eq(a.fw.sic[SIC_IRQ_MODE_SINGLE], 1);
	ck_assert(a.fw.registered);
	ck_assert_uint_eq(a.fw.faisb, a.sbv.vector);
	ck_assert_uint_eq(a.fw.gait, a.gait_addr);
	ck_assert_uint_eq(a.fw.afi, 5);
	ck_assert_uint_eq(a.fw.faal, 512);
	ck_assert_uint_eq(a.fw.simm, 0x80 >> 5);
	/* the IIB in memory is the BE image, bytes 24..39 zero */
	ck_assert_int_eq(aen_mem_copy(&a, a.p_aipb, iib, sizeof(iib)), 0);
	aen_aipb_encode(want, a.sbv.vector, a.gait_addr, 5, 512);
	ck_assert_mem_eq(iib, want, AEN_AIPB_SIZE);
	for (int i = AEN_AIPB_SIZE; i < AEN_IIB_SIZE; i++)
		ck_assert_uint_eq(iib[i], 0);
	ck_assert_uint_eq(a.sbv.bits, 512);
	ck_assert_uint_eq(a.sbv.end, 0);
	assert_clean();
}
END_TEST

/* §9.1 */
START_TEST(test_aen_double_init)
{
	uint64_t allocs, n;

	ck_assert_int_eq(aen_init(&a, 5), 0);
	allocs = a.heap.allocs;
	n = sics();
	ck_assert_int_eq(aen_init(&a, 5), -EPERM);
	ck_assert_uint_eq(a.heap.allocs, allocs);
	ck_assert_uint_eq(sics(), n);
	ck_assert_int_eq(a.gait_ref, AEN_REF_VALID);
	assert_clean();
}
END_TEST

/* §9.2: reuse after exit, with the sbv allocation state carried over */
START_TEST(test_aen_reinit_same_isc)
{
	uint64_t gait;

	ck_assert_int_eq(aen_init(&a, 5), 0);
	gait = a.aift_gait;
	vm_and_device(false);
	ck_assert_uint_eq(a.zdev[0].aisb, 0);
	ck_assert_uint_eq(a.sbv.end, 2); /* airq_iv_alloc: end = bit + num + 1 */
	aen_exit(&a, true);
	ck_assert_int_eq(a.gait_ref, AEN_REF_NULL);
	ck_assert_int_eq(a.sbv_ref, AEN_REF_NULL);
	ck_assert_int_eq(a.kzdev_ref, AEN_REF_NULL);
	ck_assert_uint_eq(a.fw.sic[SIC_SET_AENI_CONTROLS] + a.fw.sic[SIC_IRQ_MODE_SINGLE], 2); /* exit issues none */
	ck_assert_int_eq(aen_init(&a, 5), 0);
	ck_assert_uint_eq(a.fw.sic[SIC_SET_AENI_CONTROLS], 1);
	ck_assert_uint_eq(a.fw.sic[SIC_IRQ_MODE_SINGLE], 2);
	ck_assert_uint_eq(a.aift_gait, gait);
	ck_assert_uint_eq(a.sbv.end, 2);
	ck_assert_uint_eq(a.sbv.avail[0], 0); /* bit 0 is still taken */
}
END_TEST

/* §9.3 */
START_TEST(test_aen_reinit_other_isc)
{
	uint8_t b17;

	ck_assert_int_eq(aen_init(&a, 5), 0);
	aen_exit(&a, true);
	ck_assert_int_eq(aen_init(&a, 6), -EINVAL);
	ck_assert_int_eq(aen_mem_copy(&a, a.p_aipb + 17, &b17, 1), 0);
	ck_assert_uint_eq(b17, 5);
	ck_assert_int_eq(a.gait_ref, AEN_REF_NULL);
	ck_assert_int_eq(a.sbv_ref, AEN_REF_NULL);
	ck_assert_int_eq(a.kzdev_ref, AEN_REF_STALE);
	ck_assert_uint_eq(a.fw.sic[SIC_IRQ_MODE_SINGLE], 1);
	ck_assert_int_eq(aen_init(&a, 5), 0);
	ck_assert_int_eq(aen_init(&a, 13), -EPERM);
	assert_clean();
}
END_TEST

/* nisc beyond 3 bits: setup truncates into afi, reuse never matches */
START_TEST(test_aen_nisc_truncation)
{
	ck_assert_int_eq(aen_init(&a, 13), 0);
	ck_assert_uint_eq(a.fw.afi, 5);
	aen_exit(&a, true);
	ck_assert_int_eq(aen_init(&a, 13), -EINVAL);
	ck_assert_int_eq(aen_init(&a, 5), 0);
}
END_TEST

/* The init matrix, §5.3 rows 2-9 (§9.5-9.9), on a first load and on a reload. */
static const struct {
	enum aen_step step;
	int rc_first, rc_reuse;
	enum aen_ref gait, sbv, kzdev; /* after a failed first init */
	bool then_eperm;               /* the next init returns -EPERM (upstream quirk) */
} matrix[] = {
	{ AEN_STEP_KZDEV, -ENOMEM, -ENOMEM, AEN_REF_NULL, AEN_REF_NULL, AEN_REF_NULL, false },
	{ AEN_STEP_AIPB, -ENOMEM, 0, AEN_REF_NULL, AEN_REF_NULL, AEN_REF_STALE, false },
	{ AEN_STEP_SBV, -ENOMEM, 0, AEN_REF_NULL, AEN_REF_NULL, AEN_REF_STALE, false },
	{ AEN_STEP_GAIT, -ENOMEM, 0, AEN_REF_NULL, AEN_REF_STALE, AEN_REF_STALE, true },
	{ AEN_STEP_SIC_AENI, -EIO, 0, AEN_REF_STALE, AEN_REF_STALE, AEN_REF_STALE, true },
	{ AEN_STEP_SIC_SINGLE, -EIO, -EIO, AEN_REF_NULL, AEN_REF_NULL, AEN_REF_NULL, false },
};

START_TEST(test_aen_init_matrix_first)
{
	uint64_t n0 = sics();

	aen_inject(&a, matrix[_i].step, 1);
	ck_assert_int_eq(aen_init(&a, 5), matrix[_i].rc_first);
	ck_assert_int_eq(a.gait_ref, matrix[_i].gait);
	ck_assert_int_eq(a.sbv_ref, matrix[_i].sbv);
	ck_assert_int_eq(a.kzdev_ref, matrix[_i].kzdev);
	ck_assert(!a.aift_lock);
	if (matrix[_i].step <= AEN_STEP_GAIT)
		ck_assert_uint_eq(sics(), n0); /* no SIC before the allocations are done */
	if (matrix[_i].step == AEN_STEP_SIC_SINGLE) {
		/* E1 ran: P.* and the registration survive for the reuse path */
		ck_assert(a.fw.registered);
		ck_assert(a.p_aipb != 0);
		ck_assert(a.p_sbv);
		ck_assert_uint_eq(a.fw.sic[SIC_IRQ_MODE_SINGLE], 0);
	} else {
		/* everything allocated on the way was freed */
		ck_assert(!a.fw.registered);
		ck_assert_uint_eq(a.p_aipb, 0);
		ck_assert(!a.p_sbv);
		ck_assert_int_eq(a.heap.nlive, 0);
		ck_assert_uint_eq(a.fw.sic[SIC_IRQ_MODE_SINGLE], 0); /* §9.9: no SINGLE after a failed SET_AENI */
	}
	if (matrix[_i].then_eperm) {
		ck_assert_int_eq(aen_init(&a, 5), -EPERM);
	} else {
		ck_assert_int_eq(aen_init(&a, 5), 0);
		ck_assert_uint_eq(a.fw.sic[SIC_SET_AENI_CONTROLS], 1);
		assert_clean();
	}
}
END_TEST

START_TEST(test_aen_init_matrix_reuse)
{
	ck_assert_int_eq(aen_init(&a, 5), 0);
	aen_module_reload(&a);
	aen_inject(&a, matrix[_i].step, 1);
	ck_assert_int_eq(aen_init(&a, 5), matrix[_i].rc_reuse);
	ck_assert_uint_eq(a.fw.sic[SIC_SET_AENI_CONTROLS], 1); /* never again this boot */
	ck_assert(a.p_aipb != 0);
	if (matrix[_i].rc_reuse == 0) {
		/* the step is not on the reuse path: the injection is still armed */
		ck_assert_int_eq(a.gait_ref, AEN_REF_VALID);
		assert_clean();
		aen_inject(&a, matrix[_i].step, 0);
	} else {
		ck_assert_int_eq(a.gait_ref, AEN_REF_NULL);
		ck_assert_int_eq(aen_init(&a, 5), 0);
		assert_clean();
	}
}
END_TEST

/* §9.12 */
START_TEST(test_aen_exit_idempotent)
{
	aen_exit(&a, true);
	aen_exit(&a, true);
	ck_assert_uint_eq(sics(), 0);
	assert_clean();
	ck_assert_int_eq(aen_init(&a, 5), 0);
	aen_exit(&a, true);
	aen_exit(&a, true);
	ck_assert_uint_eq(sics(), 2);
	assert_clean();
}
END_TEST

/* §9.28, and the double free an exit after a failed init would be */
START_TEST(test_aen_exit_bugs)
{
	char msg[128];

	aen_exit(&a, false);
	ck_assert_int_eq(aen_check(&a, msg, sizeof(msg)), -1);
	ck_assert_ptr_nonnull(strstr(msg, "aift_lock"));
	boot(512);
	aen_inject(&a, AEN_STEP_AIPB, 1);
	ck_assert_int_eq(aen_init(&a, 5), -ENOMEM);
	aen_exit(&a, true);
	ck_assert_int_eq(aen_check(&a, msg, sizeof(msg)), -1);
	ck_assert_ptr_nonnull(strstr(msg, "already freed"));
}
END_TEST

/* §9.13 */
START_TEST(test_aen_forward_after_exit)
{
	uint64_t vec;

	ck_assert_int_eq(aen_init(&a, 5), 0);
	vec = a.sbv.vector;
	aen_exit(&a, true);
	ram[vec - BASE] = 0x80; /* summary bit 0 */
	ck_assert_uint_eq(aen_process_gait(&a, 5), 0);
	ck_assert_uint_eq(a.scan_sics, 0);
	ck_assert_uint_eq(a.fw.sic[SIC_IRQ_MODE_SINGLE], 1);
	ck_assert_uint_eq(ram[vec - BASE], 0x80);
}
END_TEST

/* §9.14: the image with explicit shifts, checked on this little-endian host */
START_TEST(test_aen_aipb_bytes)
{
	static const uint8_t want[AEN_AIPB_SIZE] = {
		0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
		0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00,
	};
	uint8_t got[AEN_AIPB_SIZE];
	uint64_t faisb, gait;
	uint16_t faal;
	uint8_t afi;

	aen_aipb_encode(got, 0x1122334455667788ull, 0x0102030405060708ull, 5, 512);
	ck_assert_mem_eq(got, want, sizeof(want));
	aen_aipb_encode(got, 0, 0, 13, 4096); /* afi keeps 3 bits */
	ck_assert_uint_eq(got[16], 0);
	ck_assert_uint_eq(got[17], 5);
	ck_assert_uint_eq(got[22], 0x10);
	ck_assert_uint_eq(got[23], 0x00);
	aen_aipb_decode(want, &faisb, &gait, &afi, &faal);
	ck_assert_uint_eq(faisb, 0x1122334455667788ull);
	ck_assert_uint_eq(gait, 0x0102030405060708ull);
	ck_assert_uint_eq(afi, 5);
	ck_assert_uint_eq(faal, 512);
}
END_TEST

/* §9.15 */
START_TEST(test_aen_gait_sizing)
{
	static const uint32_t n[] = { 1, 256, 257, 512, 4096 };
	static const unsigned order[] = { 0, 0, 1, 1, 4 };

	for (unsigned i = 0; i < 5; i++) {
		boot(n[i]);
		memset(ram + (HEAP - BASE), 0xa5, HEAP_SIZE); /* the allocation must zero it */
		ck_assert_uint_eq(aen_gait_order(n[i]), order[i]);
		ck_assert_int_eq(aen_init(&a, 5), 0);
		ck_assert_uint_eq(a.gait_pages, 4096ull << order[i]);
		ck_assert_uint_eq(a.gait_addr % (4096ull << order[i]), 0);
		for (uint64_t b = 0; b < a.gait_pages; b++)
			ck_assert_uint_eq(ram[a.gait_addr - BASE + b], 0);
		ck_assert_uint_eq(a.fw.faal, n[i]);
		ck_assert_uint_eq(a.sbv.bits, n[i]);
	}
}
END_TEST

/* End to end: an event on device 0 reaches the guest's AIBV, its summary bit and the GISA IPM. */
START_TEST(test_aen_forward_path)
{
	struct aen_gaite g;

	ck_assert_int_eq(aen_init(&a, 5), 0);
	vm_and_device(false);
	ck_assert_int_eq(aen_gaite_read(&a, 0, &g), 0);
	ck_assert_uint_eq(g.gisa, GISA0);
	ck_assert_uint_eq(g.gisc, 3);
	ck_assert_uint_eq(g.count, 1);
	ck_assert_uint_eq(g.aisbo, 9);
	ck_assert_uint_eq(g.aisb, AISB0);
	ck_assert_uint_eq(a.vm[0].gisc_ref[3], 1);
	ck_assert_int_eq(aen_gisa_byte(&a, 0, 7), 0x80 >> 3); /* IAM */
	ck_assert(a.zdev[0].fw_reg);
	ck_assert_uint_eq(a.zdev[0].fw_isc, 5);
	ck_assert_uint_eq(a.zdev[0].fw_aisb, a.sbv.vector);
	ck_assert_int_eq(aen_fw_raise(&a, 0, 2), 0);
	ck_assert_int_eq(aen_vec_bit(&a, AIBV0, 2), 1);
	ck_assert_int_eq(aen_vec_bit(&a, AISB0, 9), 1);
	ck_assert_uint_eq(ram[AISB0 - BASE + 1], 0x40); /* bit 9: byte 1, mask 0x80 >> 1 */
	ck_assert_int_eq(aen_gisa_byte(&a, 0, 4), 0x80 >> 3);
	ck_assert_uint_eq(a.vm[0].aen_forward, 1);
	ck_assert_int_eq(aen_vec_bit(&a, a.sbv.vector, 0), 0); /* the scan consumed it */
	/* one pass found a bit, the SIC re-enabled, the second pass found none: 1 SIC */
	ck_assert_uint_eq(a.scan_sics, 1);
	ck_assert_uint_eq(a.fw.alerts, 1);
	ck_assert_int_eq(aen_fw_raise(&a, 0, 4), -EINVAL); /* noi 4: vectors 0..3 */
	assert_clean();
}
END_TEST

/* SINGLE mode: the alert sets NIMM, later events wait for the handler's SIC */
START_TEST(test_aen_single_mode_suppresses)
{
	ck_assert_int_eq(aen_init(&a, 5), 0);
	vm_and_device(false);
	a.fw.nimm |= 0x80 >> 5; /* as if an alert were in flight */
	ck_assert_int_eq(aen_fw_raise(&a, 0, 1), 0);
	ck_assert_uint_eq(a.fw.suppressed, 1);
	ck_assert_uint_eq(a.vm[0].aen_forward, 0);
	ck_assert_int_eq(aen_vec_bit(&a, a.sbv.vector, 0), 1); /* pending in the summary vector */
	ck_assert_int_eq(aen_fw_sic(&a, SIC_IRQ_MODE_SINGLE, 5, 0), 0);
	ck_assert(aen_fw_alert(&a, 5));
	ck_assert_uint_eq(a.vm[0].aen_forward, 1);
	ck_assert_uint_eq(a.fw.nimm, 0); /* the handler's SIC re-armed it */
}
END_TEST

/* §9.16 */
START_TEST(test_aen_forward_unused_entry)
{
	ck_assert_int_eq(aen_init(&a, 5), 0);
	vm_and_device(false);
	/* bit 1: below the vector's end (2), no device */
	ram[a.sbv.vector - BASE] |= 0x80 >> 1;
	/* bit 7: at or beyond airq_iv_end, never scanned */
	ram[a.sbv.vector - BASE] |= 0x80 >> 7;
	ck_assert_uint_eq(aen_process_gait(&a, 5), 1);
	ck_assert_int_eq(aen_vec_bit(&a, a.sbv.vector, 1), 0);
	ck_assert_int_eq(aen_vec_bit(&a, a.sbv.vector, 7), 1);
	ck_assert_uint_eq(a.forwarded, 0);
	ck_assert_int_eq(aen_gisa_byte(&a, 0, 4), 0);
	ck_assert_int_eq(aen_vec_bit(&a, AISB0, 9), 0);
}
END_TEST

/* §9.20 */
START_TEST(test_aen_ais_suppression)
{
	static const struct { uint8_t simm, nimm; bool ipm; } cases[] = {
		{ 0, 0, true }, { 1, 0, true }, { 0, 1, true }, { 1, 1, false },
	};
	static const uint8_t gisc[] = { 0, 7 };

	for (unsigned g = 0; g < 2; g++)
		for (unsigned i = 0; i < 4; i++) {
			struct aen_reg_aen r = { .ibv = AIBV0, .noi = 1, .isc = gisc[g] };
			uint8_t m = (uint8_t)(0x80 >> gisc[g]);

			boot(512);
			ck_assert_int_eq(aen_init(&a, 5), 0);
			ck_assert_int_eq(aen_vm_create(&a, 0, GISA0), 0);
			ck_assert_int_eq(aen_dev_register(&a, 0, 0, (uint32_t)GISA0, 8), 0);
			ck_assert_int_eq(aen_reg_aen(&a, 0, 0, &r), 0);
			ram[GISA0 - BASE + 5] = cases[i].simm ? m : 0;
			ram[GISA0 - BASE + 6] = cases[i].nimm ? m : 0;
			ck_assert_int_eq(aen_fw_raise(&a, 0, 0), 0);
			ck_assert_int_eq(aen_gisa_byte(&a, 0, 4), cases[i].ipm ? m : 0);
			ck_assert_uint_eq(a.vm[0].aen_forward, cases[i].ipm);
			ck_assert_int_eq(aen_gisa_byte(&a, 0, 5), cases[i].simm ? m : 0); /* not modified */
			ck_assert_int_eq(aen_gisa_byte(&a, 0, 6), cases[i].nimm ? m : 0);
		}
}
END_TEST

/* §9.23 */
START_TEST(test_aen_count_rules)
{
	struct aen_reg_aen r = { .ibv = AIBV0, .noi = 1, .isc = 3 };
	struct aen_gaite g;
	char msg[128];

	ck_assert_int_eq(aen_init(&a, 5), 0);
	vm_and_device(false);
	ck_assert_int_eq(aen_dereg_aen(&a, 0, 0, false), 0);
	ck_assert_int_eq(aen_gaite_read(&a, 0, &g), 0);
	ck_assert_uint_eq(g.count, 0);
	ck_assert_uint_eq(g.aisb, 0);
	ck_assert_uint_eq(a.vm[0].gisc_ref[3], 0);
	ck_assert_uint_eq(a.sbv.avail[0], 1);
	ck_assert_uint_eq(a.locked_pages, 0);
	ck_assert(!a.zdev[0].fw_reg);
	assert_clean();
	/* a second disable: fib.aibv == 0, nothing changes (no underflow) */
	ck_assert_int_eq(aen_dereg_aen(&a, 0, 0, false), 0);
	ck_assert_int_eq(aen_gaite_read(&a, 0, &g), 0);
	ck_assert_uint_eq(g.count, 0);
	assert_clean();
	/* REG_AEN twice: two bits, the first entry leaks with count 1 */
	ck_assert_int_eq(aen_reg_aen(&a, 0, 0, &r), 0);
	ck_assert_int_eq(aen_reg_aen(&a, 0, 0, &r), 0);
	ck_assert_uint_eq(a.zdev[0].aisb, 1);
	ck_assert_int_eq(aen_gaite_read(&a, 0, &g), 0);
	ck_assert_uint_eq(g.count, 1);
	ck_assert_int_eq(aen_gaite_read(&a, 1, &g), 0);
	ck_assert_uint_eq(g.count, 1);
	ck_assert_int_eq(aen_check(&a, msg, sizeof(msg)), -1);
	ck_assert_ptr_nonnull(strstr(msg, "leaked"));
}
END_TEST

/* §9.24 */
START_TEST(test_aen_enable_errors)
{
	struct aen_reg_aen r = { .ibv = AIBV0, .sb = AISB0, .sbo = 1, .noi = 1, .isc = 2 };
	struct aen_gaite g;

	ck_assert_int_eq(aen_init(&a, 5), 0);
	ck_assert_int_eq(aen_vm_create(&a, 0, GISA0), 0);
	ck_assert_int_eq(aen_vm_create(&a, 1, 0), 0);
	ck_assert_int_eq(aen_dev_register(&a, 0, 0, 0, 8), 0);           /* not interpreted */
	ck_assert_int_eq(aen_dev_register(&a, 1, 1, 0x1000, 8), 0);      /* VM without a GISA */
	ck_assert_int_eq(aen_dev_register(&a, 2, 0, (uint32_t)GISA0, 8), 0);
	ck_assert_int_eq(aen_reg_aen(&a, 0, 0, &r), -EINVAL);
	ck_assert_int_eq(aen_reg_aen(&a, 1, 1, &r), -ENODEV);
	ck_assert_int_eq(aen_reg_aen(&a, 0, 1, &r), -EPERM);             /* another VM's device */
	ck_assert_int_eq(aen_reg_aen(&a, 0, 9, &r), -ENODEV);            /* no such device */
	r.flags = 2;
	ck_assert_int_eq(aen_reg_aen(&a, 0, 2, &r), -EINVAL);
	r.flags = 0;
	aen_inject(&a, AEN_STEP_PIN_AIBV, 1);
	ck_assert_int_eq(aen_reg_aen(&a, 0, 2, &r), -EIO);
	ck_assert_uint_eq(a.vm[0].gisc_ref[2], 0); /* the 2026 fix: reference dropped */
	aen_inject(&a, AEN_STEP_PIN_AISB, 1);
	ck_assert_int_eq(aen_reg_aen(&a, 0, 2, &r), -EIO);
	ck_assert_uint_eq(a.vm[0].gisc_ref[2], 0);
	ck_assert_uint_eq(a.locked_pages, 0);
	/* accounting failure: rc 0 with nothing enabled (upstream bug) */
	aen_inject(&a, AEN_STEP_ACCOUNT, 1);
	ck_assert_int_eq(aen_reg_aen(&a, 0, 2, &r), 0);
	ck_assert(!a.zdev[2].fw_reg);
	ck_assert_uint_eq(a.zdev[2].fib_aibv, 0);
	assert_clean();
	/* MPCIFC failure: -EIO, GAIT entry left live */
	aen_inject(&a, AEN_STEP_MPCIFC, 1);
	ck_assert_int_eq(aen_reg_aen(&a, 0, 2, &r), -EIO);
	ck_assert_int_eq(aen_gaite_read(&a, 0, &g), 0);
	ck_assert_uint_eq(g.count, 1);
	ck_assert(!a.zdev[2].fw_reg);
	ck_assert_int_eq(aen_fw_raise(&a, 2, 0), -ENODEV);
	ck_assert_uint_eq(a.zdev[2].dropped, 1);
	assert_clean();
	/* REGAEN_HOST: no assist, the entry's gisa is 0 */
	ck_assert_int_eq(aen_dereg_aen(&a, 0, 2, false), 0);
	r.flags = AEN_REGAEN_HOST;
	ck_assert_int_eq(aen_reg_aen(&a, 0, 2, &r), 0);
	ck_assert_int_eq(aen_gaite_read(&a, 0, &g), 0);
	ck_assert_uint_eq(g.gisa, 0);
	assert_clean();
}
END_TEST

/* Summary bits run out: rc 0, nothing enabled, the pinned pages stay accounted (upstream bug) */
START_TEST(test_aen_bits_exhausted)
{
	struct aen_reg_aen r = { .ibv = AIBV0, .noi = 1, .isc = 1 };

	boot(1);
	ck_assert_int_eq(aen_init(&a, 5), 0);
	ck_assert_int_eq(aen_vm_create(&a, 0, GISA0), 0);
	ck_assert_int_eq(aen_dev_register(&a, 0, 0, (uint32_t)GISA0, 8), 0);
	ck_assert_int_eq(aen_dev_register(&a, 1, 0, (uint32_t)GISA0, 8), 0);
	ck_assert_int_eq(aen_reg_aen(&a, 0, 0, &r), 0);
	ck_assert_uint_eq(a.locked_pages, 1);
	ck_assert_int_eq(aen_reg_aen(&a, 0, 1, &r), 0);
	ck_assert_uint_eq(a.zdev[1].fib_aibv, 0);
	ck_assert_uint_eq(a.locked_pages, 2);
	ck_assert_uint_eq(a.vm[0].gisc_ref[1], 1);
	assert_clean();
}
END_TEST

/* §9.25 */
START_TEST(test_aen_disable_cc)
{
	static const struct { uint8_t cc, status; bool force; int rc; bool torn; } cases[] = {
		{ 3, 0, false, 0, true },    { 1, 24, false, 0, true }, { 1, 7, false, -EIO, false },
		{ 2, 0, false, -EIO, false }, { 2, 0, true, -EIO, true },
	};

	for (unsigned i = 0; i < 5; i++) {
		struct aen_gaite g;

		boot(512);
		ck_assert_int_eq(aen_init(&a, 5), 0);
		vm_and_device(false);
		aen_inject(&a, AEN_STEP_MPCIFC, 1);
		a.mpcifc_cc = cases[i].cc;
		a.mpcifc_status = cases[i].status;
		ck_assert_int_eq(aen_dereg_aen(&a, 0, 0, cases[i].force), cases[i].rc);
		ck_assert_int_eq(aen_gaite_read(&a, 0, &g), 0);
		ck_assert_uint_eq(g.count, cases[i].torn ? 0 : 1);
		ck_assert_uint_eq(a.vm[0].gisc_ref[3], cases[i].torn ? 0 : 1);
		assert_clean();
	}
}
END_TEST

START_TEST(test_aen_fw_sic_codes)
{
	uint8_t iib[AEN_AIPB_SIZE];

	ck_assert_int_eq(aen_fw_sic(&a, 3, 0, 0), -AEN_PGM_OPERAND);
	ck_assert_int_eq(aen_fw_sic(&a, 19, 0, 0), -AEN_PGM_OPERAND);
	ck_assert_int_eq(aen_fw_sic(&a, SIC_IRQ_MODE_D_SINGLE, 2, 0), 0);
	ck_assert_int_eq(aen_fw_sic(&a, SIC_IRQ_MODE_SINGLE, 2, 0), 0);
	ck_assert_uint_eq(a.fw.simm, 0x20);
	ck_assert_int_eq(aen_fw_sic(&a, SIC_IRQ_MODE_ALL, 2, 0), 0);
	ck_assert_uint_eq(a.fw.simm, 0);
	a.fw.fail_sic = 1;
	ck_assert_int_eq(aen_fw_sic(&a, SIC_IRQ_MODE_SINGLE, 2, 0), 3);
	ck_assert_uint_eq(a.fw.simm, 0);
	ck_assert_int_eq(aen_fw_sic(&a, SIC_SET_AENI_CONTROLS, 0, 0x10), -5); /* outside memory */
	aen_aipb_encode(iib, 0x1000, 0x2000, 2, 64);
	memcpy(ram + 0x300, iib, sizeof(iib));
	ck_assert_int_eq(aen_fw_sic(&a, SIC_SET_AENI_CONTROLS, 0, BASE + 0x300), 0);
	ck_assert_uint_eq(a.fw.faisb, 0x1000);
	ck_assert_uint_eq(a.fw.faal, 64);
	ck_assert_int_eq(aen_fw_sic(&a, SIC_SET_AENI_CONTROLS, 0, BASE + 0x300), 1);
}
END_TEST

/* Freed kernel memory is poisoned; the heap never overlaps allocations */
START_TEST(test_aen_heap_poison)
{
	uint64_t aipb;

	aen_inject(&a, AEN_STEP_GAIT, 1);
	ck_assert_int_eq(aen_init(&a, 5), -ENOMEM);
	aipb = HEAP; /* the first allocation */
	ck_assert_uint_eq(ram[aipb - BASE], 0x6b);
	ck_assert_int_eq(a.heap.nlive, 0);
	ck_assert_uint_eq(a.heap.allocs, 2);
	ck_assert_uint_eq(a.heap.frees, 2);
}
END_TEST

TCase *aen_tcase(void)
{
	TCase *tc = tcase_create("aen");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_aen_first_init);
	tcase_add_test(tc, test_aen_double_init);
	tcase_add_test(tc, test_aen_reinit_same_isc);
	tcase_add_test(tc, test_aen_reinit_other_isc);
	tcase_add_test(tc, test_aen_nisc_truncation);
	tcase_add_loop_test(tc, test_aen_init_matrix_first, 0, sizeof(matrix) / sizeof(matrix[0]));
	tcase_add_loop_test(tc, test_aen_init_matrix_reuse, 0, sizeof(matrix) / sizeof(matrix[0]));
	tcase_add_test(tc, test_aen_exit_idempotent);
	tcase_add_test(tc, test_aen_exit_bugs);
	tcase_add_test(tc, test_aen_forward_after_exit);
	tcase_add_test(tc, test_aen_aipb_bytes);
	tcase_add_test(tc, test_aen_gait_sizing);
	tcase_add_test(tc, test_aen_forward_path);
	tcase_add_test(tc, test_aen_single_mode_suppresses);
	tcase_add_test(tc, test_aen_forward_unused_entry);
	tcase_add_test(tc, test_aen_ais_suppression);
	tcase_add_test(tc, test_aen_count_rules);
	tcase_add_test(tc, test_aen_enable_errors);
	tcase_add_test(tc, test_aen_bits_exhausted);
	tcase_add_test(tc, test_aen_disable_cc);
	tcase_add_test(tc, test_aen_fw_sic_codes);
	tcase_add_test(tc, test_aen_heap_poison);
	return tc;
}
