/* SPDX-License-Identifier: MIT */
/* Check tests for the scenario parser: what parses, and the exact errors. */
#include <check.h>
#include <string.h>

#include "scenario.h"
#include "suites.h"

#define HEADER "arch arm64\nmemory 0x40000000 16M\nload x.elf\n"

static int parse(const char *text, struct scenario *s, char *err, size_t n)
{
	return scenario_parse("t.scn", text, strlen(text), s, err, n);
}

START_TEST(test_scenario_parse_full)
{
	struct scenario s;
	char err[512] = "";
	const char *text = "# comment\n"
			   "arch riscv64   # trailing comment\n"
			   "memory 0x8000_0000 16M\n"
			   "memory 0x1000_0000 4K\n"
			   "vcpus 2\n"
			   "cpu-freq 62.5MHz\n"
			   "timebase 24000000\n"
			   "max-insns 1000\n"
			   "load \"guest with space.elf\"\n"
			   "inject irq 9 vcpu 1 at 1.5us\n"
			   "run for 100 insns\n"
			   "run until time 2ms\n"
			   "run until ticks 0x10\n"
			   "write mem 0x80001000 u32 0xdeadbeef\n"
			   "set reg a0 -1 vcpu 1\n"
			   "expect reg a0 != 5\n"
			   "expect console contains \"a\\tb\\x21\\n\"\n"
			   "expect count hvc <= 3\n"
			   "expect event deadlock\n"
			   "run until exit\r\n"
			   "expect exit -2\n";

	ck_assert_msg(parse(text, &s, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(s.cfg.arch, CPU_RISCV64);
	ck_assert_int_eq(s.cfg.nmem, 2);
	ck_assert_uint_eq(s.cfg.mem[0].base, 0x80000000);
	ck_assert_uint_eq(s.cfg.mem[0].size, 16 << 20);
	ck_assert_uint_eq(s.cfg.mem[1].size, 4096);
	ck_assert_int_eq(s.cfg.nvcpus, 2);
	ck_assert_uint_eq(s.cfg.cpu_hz, 62500000);
	ck_assert_uint_eq(s.cfg.timebase_hz, 24000000);
	ck_assert_uint_eq(s.cfg.max_insns, 1000);
	ck_assert_uint_eq(s.ncmds, 20); /* every non-blank, non-comment line */
	ck_assert_str_eq(s.cmds[7].str, "guest with space.elf");
	ck_assert_int_eq(s.cmds[8].kind, SCN_IRQ);
	ck_assert_int_eq(s.cmds[8].vcpu, 1);
	ck_assert(s.cmds[8].has_at && s.cmds[8].t.ns);
	ck_assert_uint_eq(s.cmds[8].t.value, 1500);
	ck_assert_int_eq(s.cmds[9].kind, SCN_RUN_FOR);
	ck_assert_uint_eq(s.cmds[9].t.value, 100);
	ck_assert(!s.cmds[9].t.ns);
	ck_assert_uint_eq(s.cmds[10].t.value, 2000000);
	ck_assert_uint_eq(s.cmds[11].a, 0x10);
	ck_assert_uint_eq(s.cmds[12].b, 0xdeadbeef);
	ck_assert_int_eq(s.cmds[12].width, 4);
	ck_assert_uint_eq(s.cmds[13].b, UINT64_MAX);
	ck_assert_int_eq(s.cmds[13].vcpu, 1);
	ck_assert_uint_eq(s.cmds[15].str_len, 5);
	ck_assert_mem_eq(s.cmds[15].str, "a\tb!\n", 5);
	ck_assert_int_eq(s.cmds[16].op, SCN_LE);
	ck_assert_uint_eq(s.expected_events, (1u << EV_HVC) | (1u << EV_DEADLOCK));
	ck_assert_int_eq(s.cmds[18].kind, SCN_RUN_EXIT);
	ck_assert_uint_eq(s.cmds[19].b, (uint64_t)-2);
	scenario_free(&s);
}
END_TEST

struct bad_case {
	const char *text;
	const char *error; /* the whole message, file:line:col first */
};

static const struct bad_case bad[] = {
	{ "frobnicate 1\n", "t.scn:1:1: unknown command 'frobnicate'" },
	{ HEADER "aen init 5\n", "t.scn:4:1: 'aen' needs 'arch s390x'" },
	{ "arch s390x\nmemory 0 16M\naen fly\n", "t.scn:3:5: unknown aen command 'fly' (boot, facility72, init, exit, "
	  "reload, fail, memlock, vm, device, reg-aen, dereg-aen, raise, set-summary, alert, process, sic, gisa)" },
	{ "arch s390x\nmemory 0 16M\naen boot heap 0x1000\n", "t.scn:3:1: 'heap' and 'size' go together" },
	{ "arch s390x\nmemory 0 16M\naen boot devices 4097\n", "t.scn:3:18: devices must be at most 4096" },
	{ "arch s390x\nmemory 0 16M\naen fail gait cc 3\n", "t.scn:3:1: 'cc' and 'status' go with 'aen fail mpcifc'" },
	{ "arch s390x\nmemory 0 16M\naen fail nothing\n", "t.scn:3:10: unknown step 'nothing' (kzdev, aipb, sbv, "
	  "gait, sic-aeni, sic-single, pin-aibv, pin-aisb, account, mpcifc, firmware)" },
	{ "arch s390x\nmemory 0 16M\naen reg-aen vm 0 dev 0\n", "t.scn:3:1: 'aen reg-aen' needs 'vm', 'dev' and 'ibv'" },
	{ "arch s390x\nmemory 0 16M\naen alert 8\n", "t.scn:3:11: an ISC is 0..7" },
	{ "arch s390x\nmemory 0 16M\nexpect aen aipb \"00 11\"\n", "t.scn:3:17: the image must be exactly 40 hex bytes, found 2" },
	{ "arch s390x\nmemory 0 16M\nexpect aen weather == 1\n", "t.scn:3:12: unknown aen field 'weather' (see "
	  "docs/scenario-language.md, \"AEN model\")" },
	{ "arch arm64\narch sparc\n", "t.scn:2:6: unknown architecture 'sparc' (arm64, riscv64, riscv32 or s390x)" },
	{ "arch arm64\nmemory 0x40000000\n", "t.scn:2:18: missing memory size" },
	{ "arch arm64\nmemory 0x40000001 16M\n", "t.scn:2:8: memory base 0x40000001 is not a multiple of 4 KiB" },
	{ "arch arm64\nmemory 0x40000000 16M\nload a.elf\nrun for 18446744073709551616\n",
	  "t.scn:4:9: duration '18446744073709551616' is too large" },
	{ "arch arm64\nmemory 0x40000000 0x1001\n", "t.scn:2:19: memory size must be a non-zero multiple of 4 KiB" },
	{ "arch arm64\nmemory 0xfffffffffffff000 8K\n", "t.scn:2:27: the memory region 0xfffffffffffff000+0x2000 does not end below 2^64" },
	{ "arch arm64\nmemory 0x40000000 16Q\n", "t.scn:2:19: memory size: expected a size such as 16M, found '16Q'" },
	{ "arch arm64\ncpu-freq 1.0000000001GHz\n", "t.scn:2:10: cpu-freq '1.0000000001GHz' is not a whole number of the base unit" },
	{ "arch arm64\nvcpus 0\n", "t.scn:2:7: vcpus must be 1..64" },
	{ "arch arm64\nsecondaries maybe\n", "t.scn:2:13: expected 'on' or 'off', found 'maybe'" },
	{ "arch arm64\nwatch writes 0x1000 0\n", "t.scn:2:21: the range must be non-empty and below 2^64" },
	{ "arch arm64\ntrace code 0xfffffffffffff000 0x2000\n", "t.scn:2:31: the range must be non-empty and below 2^64" },
	{ "arch arm64\nmemory 0x40000000 16M\nload\n", "t.scn:3:5: missing ELF file path" },
	{ "memory 0x40000000 16M\nload x.elf\n", "t.scn:2:1: 'load' needs an 'arch' line (arm64, riscv64, riscv32 or s390x) above it" },
	{ "arch arm64\nload x.elf\n", "t.scn:2:1: 'load' needs a 'memory BASE SIZE' line above it" },
	{ "arch arm64\nrun until exit\n", "t.scn:2:1: 'run' needs a machine: put 'arch' and 'memory' lines above it" },
	{ HEADER "vcpus 2\n", "t.scn:4:1: 'vcpus' configures the machine and must come before 'load' and the first step" },
	{ HEADER "load y.elf\n", "t.scn:4:1: only one 'load' per scenario" },
	{ HEADER "run until lunch\n", "t.scn:4:11: expected 'exit', 'time' or 'ticks', found 'lunch'" },
	{ HEADER "run for 5 parsecs\n", "t.scn:4:11: unexpected 'parsecs'" },
	{ HEADER "run until time 5 weeks\n", "t.scn:4:18: unexpected 'weeks'" },
	{ HEADER "expect reg x31 == 1\n", "t.scn:4:12: unknown arm64 register 'x31'" },
	{ HEADER "expect reg x0 = 1\n", "t.scn:4:15: expected a comparison (==, !=, <, <=, >, >=), found '='" },
	{ HEADER "expect reg x0 == 1 vcpu 3\n", "t.scn:4:25: vcpu 3 does not exist (the machine has 1)" },
	{ "arch arm64\nmemory 0x40000000 16M\npkvm mainline\nload x.elf\nhvc 0xc6000001 vcpu 1\n",
	  "t.scn:5:21: vcpu 1 does not exist (the machine has 1)" },
	{ "arch arm64\nmemory 0x40000000 16M\npkvm mainline\nload x.elf\nexpect pkvm xcheck 0x40000000 4096 vcpu 2\n",
	  "t.scn:5:41: vcpu 2 does not exist (the machine has 1)" },
	{ "arch arm64\nmemory 0x40000000 16M\npkvm mainline\nload x.elf\nexpect pkvm check fine\n",
	  "t.scn:5:19: expected 'ok' or a \"quoted\" part of the violation" },
	{ "arch arm64\nmemory 0x40000000 16M\npkvm mainline\nload x.elf\nexpect pkvm check ok now\n",
	  "t.scn:5:22: unexpected 'now'" },
	{ HEADER "sstc time 5\n", "t.scn:4:1: 'sstc' needs 'arch riscv64' or 'arch riscv32'" },
	{ "arch riscv64\nmemory 0x80000000 1M\nsstc csrr mtimecmp\n",
	  "t.scn:3:11: unknown CSR 'mtimecmp' (stimecmp[h], vstimecmp[h], menvcfg[h], henvcfg[h], htimedelta[h], "
	  "mcounteren, hcounteren, scounteren, time[h])" },
	{ "arch riscv64\nmemory 0x80000000 1M\nsstc mode HU\n", "t.scn:3:11: unknown mode 'HU' (M, HS, S, U, VS, VU)" },
	{ "arch riscv64\nmemory 0x80000000 1M\nsstc hvip-vstip 2\n", "t.scn:3:17: bit must be 0 or 1" },
	{ "arch riscv64\nmemory 0x80000000 1M\nexpect sstc trap fatal\n",
	  "t.scn:3:18: expected 'none', 'illegal' or 'virtual', found 'fatal'" },
	{ "arch riscv64\nmemory 0x80000000 1M\nsstc reset rv128\n", "t.scn:3:12: unexpected 'rv128' (expected 'rv32', 'no-h' or 'qemu-max')" },
	{ "arch riscv64\nstimecmp-max off\n",
	  "t.scn:2:14: expected 'spec' (2^64 - 1 is a deadline) or 'qemu' (it means off), found 'off'" },
	{ "arch arm64\nstimecmp-max qemu\n", "t.scn:2:1: 'stimecmp-max' needs 'arch riscv64' or 'arch riscv32' above it" },
	{ HEADER "expect event wfi at tick 1us\n", "t.scn:4:26: time: a tick count is a plain number, found '1us'" },
	{ HEADER "expect event wfi at 5..x\n", "t.scn:4:21: range end: expected cycles or a time such as 10us, found 'x'" },
	{ "arch riscv64\nhorizon 0\n", "t.scn:2:9: the horizon must be above 0 (or 'none')" },
	{ "arch riscv64\nhorizon 1y\n", "t.scn:2:9: horizon: expected cycles or a time such as 10us, found '1y'" },
	{ "arch riscv64\nmemory 0x80000000 1M\nexpect sstc take sometimes\n",
	  "t.scn:3:18: expected 'none', 'hs' or 'vs', found 'sometimes'" },
	{ HEADER "expect mem 0x40000000 u128 == 1\n", "t.scn:4:23: expected u8, u16, u32 or u64, found 'u128'" },
	{ HEADER "expect count bananas == 1\n", "t.scn:4:14: unknown event kind 'bananas' (see docs/trace-format.md)" },
	{ HEADER "expect console hello\n", "t.scn:4:16: console text must be in double quotes" },
	{ HEADER "expect console \"open\n", "t.scn:4:16: unterminated string" },
	{ HEADER "expect console \"\\q\"\n", "t.scn:4:17: unknown escape \\q" },
	{ HEADER "expect exit 99999999999999999999\n", "t.scn:4:13: exit code '99999999999999999999' does not fit in 64 bits" },
	{ HEADER "inject irq 2000\n", "t.scn:4:12: arm64 interrupt ids are 0..1019" },
	{ HEADER "inject irq 5 at soon\n", "t.scn:4:17: time: expected cycles or a time such as 10us, found 'soon'" },
	{ HEADER "expect state asleep\n", "t.scn:4:14: unknown state 'asleep' (running, idle, exited, faulted, limit)" },
	{ "arch arm64\n", "t.scn:2:1: the scenario defines no machine: add 'arch' and 'memory' lines" },
	{ "arch arm64\nmemory 0x40000000 16M\nrun for 5\nload x.elf\n", "t.scn:4:1: 'load' must come before the first step" },
};

START_TEST(test_scenario_parse_errors)
{
	const struct bad_case *b = &bad[_i];
	struct scenario s;
	char err[512] = "";
	ck_assert_int_eq(parse(b->text, &s, err, sizeof(err)), -1);
	ck_assert_str_eq(err, b->error);
	ck_assert_ptr_null(s.cmds);
}
END_TEST

START_TEST(test_scenario_parse_nul_byte)
{
	static const char text[] = "arch arm64\n\x01\0x\n";
	struct scenario s;
	char err[512] = "";

	ck_assert_int_eq(scenario_parse("t.scn", text, sizeof(text) - 1, &s, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "t.scn:2:2: NUL byte (binary file?)");
}
END_TEST

START_TEST(test_scenario_load_missing_file)
{
	struct scenario s;
	char err[512];

	ck_assert_int_eq(scenario_load("/nonexistent/x.scn", &s, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "/nonexistent/x.scn: No such file or directory");
}
END_TEST

TCase *scenario_parse_tcase(void)
{
	TCase *tc = tcase_create("scenario_parse");

	tcase_add_test(tc, test_scenario_parse_full);
	tcase_add_loop_test(tc, test_scenario_parse_errors, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, test_scenario_parse_nul_byte);
	tcase_add_test(tc, test_scenario_load_missing_file);
	return tc;
}
