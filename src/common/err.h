/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_COMMON_ERR_H
#define IFS_COMMON_ERR_H

/*
 * One error space for the whole project (after OpenSSH's ssherr.h): a
 * fallible function returns 0 or a negative enum ifs_err, and
 * ifs_strerror() names it.
 */
enum ifs_err {
	IFS_OK = 0,
	IFS_ERR_NOMEM = -1,       /* allocation failed */
	IFS_ERR_INVAL = -2,       /* invalid argument or value */
	IFS_ERR_SYNTAX = -3,      /* malformed input */
	IFS_ERR_CRYPTO = -4,      /* the crypto library refused an operation */
	IFS_ERR_INTEGRITY = -5,   /* an ICV or MAC did not verify */
	IFS_ERR_SYS = -6,         /* a system call failed; errno says why */
	IFS_ERR_NOT_FOUND = -7,
	IFS_ERR_EXISTS = -8,
	IFS_ERR_RANGE = -9,       /* a value outside its allowed range */
	IFS_ERR_UNSUPPORTED = -10,
	IFS_ERR_FULL = -11,       /* a bounded queue or table is full */
	IFS_ERR_LOOP = -12,       /* the configuration would route a tunnel into itself */
	IFS_ERR_EXHAUSTED = -13,  /* an SA has used up its sequence numbers */
	IFS_ERR_BUSY = -14,       /* another operation is under way; try again */
};

const char *ifs_strerror(int err);

#define IFS_MUST_CHECK __attribute__((warn_unused_result))
#define IFS_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define IFS_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/*
 * IFS_BUG(cond) guards internal invariants only, never peer data: when
 * cond holds it logs where and evaluates to true so that the caller fails
 * the operation. It never aborts.
 */
#define IFS_BUG(cond) ((cond) ? (ifs_bug(__FILE__, __LINE__, #cond), 1) : 0)
void ifs_bug(const char *file, int line, const char *what);

#endif
