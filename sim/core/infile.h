/* SPDX-License-Identifier: MIT */
/* Opening input files (scenarios, recordings, images) without waiting on a FIFO or reading a device. */
#ifndef HYPSIM_INFILE_H
#define HYPSIM_INFILE_H

#include <stdint.h>
#include <stdio.h>

enum infile_err {
	INFILE_OK,
	INFILE_ERRNO,   /* open or fstat failed: errno says why */
	INFILE_DIR,     /* a directory */
	INFILE_SPECIAL, /* a FIFO, socket or device */
};

/**
 * infile_open() - open @path for reading when it is a regular file.  It is
 * opened non-blocking and checked with fstat() on the open descriptor, so a
 * FIFO is refused without waiting for a writer and nothing can swap the file
 * between the check and the read.  Return: the stream (blocking again) with
 * its size in *@size, or NULL with the reason in *@err (errno set for
 * INFILE_ERRNO).
 */
FILE *infile_open(const char *path, uint64_t *size, enum infile_err *err);

#endif
