/* SPDX-License-Identifier: MIT */
/* Opening input files: regular files only (infile.h). */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include "infile.h"

FILE *infile_open(const char *path, uint64_t *size, enum infile_err *err)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), saved;
	struct stat st;
	FILE *f;

	*err = INFILE_ERRNO;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		*err = S_ISDIR(st.st_mode) ? INFILE_DIR : INFILE_SPECIAL;
		close(fd);
		return NULL;
	}
	if (fcntl(fd, F_SETFL, 0) < 0 || !(f = fdopen(fd, "rb"))) {
		saved = errno;
		close(fd);
		errno = saved;
		return NULL;
	}
	*size = (uint64_t)st.st_size;
	*err = INFILE_OK;
	return f;
}
