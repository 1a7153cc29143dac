/* SPDX-License-Identifier: MIT */
/* Hand-written decoders of the net family (see decode.h). */
#include "trace.h"

const struct decoder dec_net_syscalls[] = {
        {NULL, NULL},
};

const struct struct_decoder dec_net_structs[] = {
        {NULL, NULL, 0},
};
