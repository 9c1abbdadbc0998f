/* SPDX-License-Identifier: BSD-2-Clause */
/* ifsecctl: drives ifsecd. This version knows its version and its usage;
 * the control protocol (VICI) comes with the daemon's control socket. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: ifsecctl --version | --help\n"
		"  -v, --version   print the version\n"
		"  -h, --help      this text\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "version", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch = getopt_long(argc, argv, "vh", longopts, NULL);

	switch (ch) {
	case 'v':
		printf("ifsecctl %s\n", IFS_VERSION);
		return 0;
	case 'h':
		usage(stdout);
		return 0;
	default:
		usage(stderr);
		return 2;
	}
}
