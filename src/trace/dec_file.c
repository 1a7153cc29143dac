/* SPDX-License-Identifier: MIT */
/* Hand-written decoders of the file family (see decode.h). */
#include "trace.h"

const struct decoder dec_file_syscalls[] = {
        {NULL, NULL},
};

const struct struct_decoder dec_file_structs[] = {
        {NULL, NULL, 0},
};
