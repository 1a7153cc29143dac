/* SPDX-License-Identifier: MIT */
/* Hand-written decoders of the mem family (see decode.h). */
#include "trace.h"

const struct decoder dec_mem_syscalls[] = {
        {NULL, NULL},
};

const struct struct_decoder dec_mem_structs[] = {
        {NULL, NULL, 0},
};
