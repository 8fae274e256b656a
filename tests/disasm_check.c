/* SPDX-License-Identifier: MIT */
/*
 * Compare hypsim's RISC-V disassembler with llvm-objdump -M no-aliases:
 * reads llvm-objdump -d output on stdin ("ADDR: BYTES<tab>MNEMONIC<tab>OPERANDS
 * [<symbol>]"), disassembles the same bytes at the same address, and reports
 * every line where the two differ (the first 20 in full).  LLVM's
 * "<unknown>" must be ours ".insn".  Exit 0 when all agree, 1 otherwise.
 *
 *   disasm_check [--rv32] [--skip-fp] NAME < objdump-output
 *
 * --skip-fp skips lines LLVM names as F/D arithmetic (f...), which hypsim
 * does not name; its F/D loads and stores and fence are still compared.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disasm_riscv.h"

/* LLVM's text: tabs to spaces, the " <symbol+off>" after a target dropped, trailing blanks cut. */
static void normalise(const char *in, char *out, size_t n)
{
	size_t k = 0;

	for (; *in && *in != '\n' && k + 1 < n; in++) {
		if (*in == ' ' && in[1] == '<' && strchr(in, '>'))
			break; /* " <semi_exit+0x2c>" */
		out[k++] = *in == '\t' ? ' ' : *in;
	}
	while (k && isspace((unsigned char)out[k - 1]))
		k--;
	out[k] = 0;
}

/* One line of llvm-objdump output. Return: 1 compared and equal, 0 differ, -1 not an instruction line. */
static int skip_fp;

static bool fp_arith(const char *t)
{
	return t[0] == 'f' && strncmp(t, "flw ", 4) && strncmp(t, "fld ", 4) && strncmp(t, "fsw ", 4) &&
	       strncmp(t, "fsd ", 4) && strncmp(t, "fence", 5);
}

static int check_line(const char *line, int rv32, char *why, size_t wn)
{
	char *end, want[160], got[160];
	uint8_t b[4];
	size_t nb = 0;
	uint64_t pc = strtoull(line, &end, 16);
	const char *p = end, *text;
	size_t r;

	if (end == line || *p != ':')
		return -1;
	for (p++; nb < 4; nb++) {
		while (*p == ' ')
			p++;
		if (!isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1]) || (p[2] != ' ' && p[2] != '\t'))
			break;
		b[nb] = (uint8_t)strtoul((char[3]){ p[0], p[1], 0 }, NULL, 16);
		p += 2;
	}
	if (nb != 2 && nb != 4)
		return -1;
	text = strchr(p, '\t');
	if (!text)
		return -1;
	normalise(text + 1, want, sizeof(want));
	if (skip_fp && fp_arith(want))
		return -1;
	r = disasm_riscv(b, nb, pc, rv32, got, sizeof(got));
	if (strcmp(want, "<unknown>") == 0 ? r == 0 : (r == nb && strcmp(want, got) == 0))
		return 1;
	snprintf(why, wn, "0x%" PRIx64 ": llvm-objdump \"%s\", hypsim \"%s\"", pc, want, got);
	return 0;
}

int main(int argc, char **argv)
{
	int a = 1, rv32 = 0;
	const char *name = "stdin";

	for (; a < argc; a++)
		if (strcmp(argv[a], "--rv32") == 0)
			rv32 = 1;
		else if (strcmp(argv[a], "--skip-fp") == 0)
			skip_fp = 1;
		else
			name = argv[a];
	char line[512], why[512];
	unsigned long same = 0, differ = 0;

	while (fgets(line, sizeof(line), stdin)) {
		const char *s = line;
		int r;

		while (*s == ' ')
			s++;
		r = check_line(s, rv32, why, sizeof(why));
		if (r == 1) {
			same++;
		} else if (r == 0) {
			if (++differ <= 20)
				printf("  differ %s\n", why);
		}
	}
	printf("%s %s: %lu instructions agree, %lu differ\n", differ ? "FAIL" : "ok  ", name, same, differ);
	return differ || !same;
}
