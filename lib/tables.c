/* SPDX-License-Identifier: MIT */
/* Syscall, errno and signal tables: lookups over the C generated from data/. */
#include "internal.h"
