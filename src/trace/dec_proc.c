/* SPDX-License-Identifier: MIT */
/* Hand-written decoders of the proc family (see decode.h). */
#include "trace.h"

const struct decoder dec_proc_syscalls[] = {
        {NULL, NULL},
};

const struct struct_decoder dec_proc_structs[] = {
        {NULL, NULL, 0},
};
