/* SPDX-License-Identifier: MIT */
/* Hand-written decoders of the time family (see decode.h). */
#include "trace.h"

const struct decoder dec_time_syscalls[] = {
        {NULL, NULL},
};

const struct struct_decoder dec_time_structs[] = {
        {NULL, NULL, 0},
};
