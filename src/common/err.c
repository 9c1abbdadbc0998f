/* SPDX-License-Identifier: BSD-2-Clause */
#include "common/err.h"
#include "common/log.h"

const char *ifs_strerror(int err)
{
	switch ((enum ifs_err)err) {
	case IFS_OK: return "success";
	case IFS_ERR_NOMEM: return "out of memory";
	case IFS_ERR_INVAL: return "invalid value";
	case IFS_ERR_SYNTAX: return "syntax error";
	case IFS_ERR_CRYPTO: return "crypto library error";
	case IFS_ERR_INTEGRITY: return "integrity check failed";
	case IFS_ERR_SYS: return "system call failed";
	case IFS_ERR_NOT_FOUND: return "not found";
	case IFS_ERR_EXISTS: return "already exists";
	case IFS_ERR_RANGE: return "value out of range";
	case IFS_ERR_UNSUPPORTED: return "not supported";
	case IFS_ERR_FULL: return "table or queue full";
	case IFS_ERR_LOOP: return "tunnel would route into itself";
	case IFS_ERR_EXHAUSTED: return "sequence numbers exhausted";
	case IFS_ERR_BUSY: return "busy";
	}
	return "unknown error";
}

void ifs_bug(const char *file, int line, const char *what)
{
	log_msg(LOG_LVL_ERROR, "internal error at %s:%d: %s", file, line, what);
}
