/* SPDX-License-Identifier: MIT */
/* hypsim run --vcd: the run's waveform as a Value Change Dump (docs/vcd.md). */
#ifndef HYPSIM_VCD_H
#define HYPSIM_VCD_H

#include "machine.h"

struct vcd;

/** vcd_open() - a writer for @path. Return: NULL with @err. */
struct vcd *vcd_open(const char *path, char *err, size_t n);
/** vcd_wave() - the sink the scenario runner attaches to the machine. */
struct machine_wave *vcd_wave(struct vcd *v);
/** vcd_close() - write the file and free the writer. Return: 0, or -1 when writing failed. */
int vcd_close(struct vcd *v);

#endif
