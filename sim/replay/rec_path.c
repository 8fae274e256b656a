/* SPDX-License-Identifier: MIT */
/*
 * Paths in a recording's header are relative to the recording's directory,
 * so that a recording made in one checkout replays in another (record.h).
 * Both helpers work on the text of absolute paths; neither touches the disk.
 */
#include <stdlib.h>
#include <string.h>

#include "replay_internal.h"

#define MAX_PARTS 256

/* Split the absolute path @p (copied into @buf) into its components, "." and ".." resolved. Return: the count, or -1. */
static int split(const char *p, char *buf, size_t n, const char **parts)
{
	int k = 0;
	char *save = NULL, *tok;

	if (strlen(p) >= n)
		return -1;
	strcpy(buf, p);
	for (tok = strtok_r(buf, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0) {
			if (k > 0)
				k--;
			continue;
		}
		if (k == MAX_PARTS)
			return -1;
		parts[k++] = tok;
	}
	return k;
}

/* Append @parts to @out (holding @len bytes), '/'-separated. Return: 0, or -1 when @n is too small. */
static int append(const char **parts, int k, char *out, size_t len, size_t n)
{
	int i;

	for (i = 0; i < k; i++) {
		size_t l = strlen(parts[i]);

		if (len + l + 2 > n)
			return -1;
		if (len && out[len - 1] != '/')
			out[len++] = '/';
		memcpy(out + len, parts[i], l + 1);
		len += l;
	}
	if (len == 0 && n >= 2)
		strcpy(out, ".");
	return len || n >= 2 ? 0 : -1;
}

int rec_path_relative(const char *from_dir, const char *target, char *out, size_t n)
{
	char bd[4096], bt[4096];
	const char *pd[MAX_PARTS], *pt[MAX_PARTS];
	int kd, kt, common = 0, i;
	size_t len = 0;

	if (from_dir[0] != '/' || target[0] != '/')
		return -1;
	kd = split(from_dir, bd, sizeof(bd), pd);
	kt = split(target, bt, sizeof(bt), pt);
	if (kd < 0 || kt < 0)
		return -1;
	while (common < kd && common < kt && strcmp(pd[common], pt[common]) == 0)
		common++;
	out[0] = '\0';
	for (i = common; i < kd; i++) {
		if (len + 4 > n)
			return -1;
		memcpy(out + len, "../", 4);
		len += 3;
	}
	if (len && kt == common)
		out[--len] = '\0'; /* "../.." rather than "../../" */
	return append(pt + common, kt - common, out, len, n);
}

int rec_path_resolve(const char *base_dir, const char *path, char *out, size_t n)
{
	char joined[4096], b[4096];
	const char *parts[MAX_PARTS];
	int k;

	if (path[0] == '/')
		snprintf(joined, sizeof(joined), "%s", path);
	else if ((size_t)snprintf(joined, sizeof(joined), "%s/%s", base_dir, path) >= sizeof(joined))
		return -1;
	if (joined[0] != '/')
		return -1;
	k = split(joined, b, sizeof(b), parts);
	if (k < 0)
		return -1;
	if (n < 2)
		return -1;
	strcpy(out, "/");
	return append(parts, k, out, 1, n);
}
