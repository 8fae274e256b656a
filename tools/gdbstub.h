/* SPDX-License-Identifier: MIT */
/*
 * hypsim run --gdb: a GDB remote-protocol stub in virtual time (docs/gdb.md).
 * One GDB thread per vCPU; the machine stands still while GDB has it.
 */
#ifndef HYPSIM_GDBSTUB_H
#define HYPSIM_GDBSTUB_H

#include "machine.h"

struct gdbstub;

/**
 * gdbstub_open() - listen on @where: a TCP port on 127.0.0.1 ("1234"; "0"
 * picks a free one) or "unix:PATH".  The address is printed on stderr.
 * Return: the stub, or NULL with @err.
 */
struct gdbstub *gdbstub_open(const char *where, char *err, size_t n);
/** gdbstub_debugger() - what the scenario runner attaches to the machine. */
struct machine_debugger *gdbstub_debugger(struct gdbstub *g);
/** gdbstub_close() - the run ended: tell a waiting GDB (exit code @code, or killed when @exited is false). */
void gdbstub_close(struct gdbstub *g, bool exited, int64_t code);

#endif
