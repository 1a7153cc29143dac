/* SPDX-License-Identifier: MIT */
/* Hand-written decoders of the desc family (see decode.h). */
#include "trace.h"

const struct decoder dec_desc_syscalls[] = {
        {NULL, NULL},
};

const struct struct_decoder dec_desc_structs[] = {
        {NULL, NULL, 0},
};
