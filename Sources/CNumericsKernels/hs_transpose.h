// A 16 x 16 transpose of floats in AVX-512 registers, shared by the sgemm's packing of a
// transposed B and the attention's transposed K and V. Private to CNumericsKernels.
#ifndef HS_TRANSPOSE_H
#define HS_TRANSPOSE_H

#if defined(__x86_64__)
#include <immintrin.h>

// column[p] = (r[0][p], r[1][p], ..., r[15][p]): rows in, columns out. r is overwritten.
__attribute__((target("avx512f"), always_inline)) static inline void hs_transpose_16x16(__m512 r[16], __m512 column[16]) {
    __m512 t[16];
    // Interleave pairs of rows (32-bit), then pairs of pairs (64-bit): each 128-bit lane then holds
    // a 4 x 4 block.
    for (int i = 0; i < 16; i += 2) {
        t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 16; i += 4) {
        r[i] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[i]), _mm512_castps_pd(t[i + 2])));
        r[i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[i]), _mm512_castps_pd(t[i + 2])));
        r[i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[i + 1]), _mm512_castps_pd(t[i + 3])));
        r[i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[i + 1]), _mm512_castps_pd(t[i + 3])));
    }
    for (int i = 0; i < 4; ++i)
        for (int q = 0; q < 4; ++q) t[4 * q + i] = r[4 * i + q];
    // Gather the 128-bit lanes of each group of four.
    for (int q = 0; q < 4; ++q) {
        __m512 a0 = t[4 * q], a1 = t[4 * q + 1], a2 = t[4 * q + 2], a3 = t[4 * q + 3];
        __m512 b0 = _mm512_shuffle_f32x4(a0, a1, 0x88), b1 = _mm512_shuffle_f32x4(a0, a1, 0xDD);
        __m512 b2 = _mm512_shuffle_f32x4(a2, a3, 0x88), b3 = _mm512_shuffle_f32x4(a2, a3, 0xDD);
        r[4 * q] = _mm512_shuffle_f32x4(b0, b2, 0x88);
        r[4 * q + 1] = _mm512_shuffle_f32x4(b1, b3, 0x88);
        r[4 * q + 2] = _mm512_shuffle_f32x4(b0, b2, 0xDD);
        r[4 * q + 3] = _mm512_shuffle_f32x4(b1, b3, 0xDD);
    }
    // r[4 * a + b] now holds column 4 * b + a.
    for (int p = 0; p < 16; ++p) column[p] = r[4 * (p & 3) + (p >> 2)];
}
#endif

#endif
