/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef EID_SECINFO_H
#define EID_SECINFO_H
#include "buf.h"
#endif
