/* SPDX-License-Identifier: MIT */
/* Hand-written decoders of the misc family (see decode.h). */
#include "trace.h"

const struct decoder dec_misc_syscalls[] = {
        {NULL, NULL},
};

const struct struct_decoder dec_misc_structs[] = {
        {NULL, NULL, 0},
};
