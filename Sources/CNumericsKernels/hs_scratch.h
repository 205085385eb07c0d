// Per-thread scratch buffers of the kernels, grown on demand and freed when the thread exits.
// Private to CNumericsKernels.
#ifndef HS_SCRATCH_H
#define HS_SCRATCH_H

#include <stddef.h>

// One buffer per slot and thread, so that kernels with their own scratch never share one.
enum hs_scratch_slot {
    HS_SCRATCH_PACKED_A,   // the sgemm's packed panels of a transposed A
    HS_SCRATCH_PACKED_B,   // the sgemm's packed panels of B
    HS_SCRATCH_ATTENTION,  // the attention's transposed K or V
    HS_SCRATCH_BF16,       // the bf16 product's A as bf16 pairs
    HS_SCRATCH_BF16_FLOATS,  // a tile of those pairs widened to floats, for the emulated inner kernel
    HS_SCRATCH_NARROW,     // the narrow product's rows of A transposed, and its B
    HS_SCRATCH_PACK,       // the bf16 packing's rows of B rounded to bf16
    HS_SCRATCH_INT8,       // the int8 product's A quantised to bytes, and its row scales
    HS_SCRATCH_SLOTS
};

// This thread's buffer for `slot`: at least `bytes` bytes, 64-byte aligned; its contents are not
// kept when it grows. Null when memory runs out.
void *hs_thread_scratch(enum hs_scratch_slot slot, size_t bytes);

#endif
