// Cephes' exp and the normal CDF, 16 floats wide with AVX-512 FMAs, shared by the GELU and
// softmax loops (hs_elementwise.c), the attention kernel's softmax in registers (hs_attention.c)
// and the bf16 product's GELU in registers (hs_sgemm_bf16.c), so that each gives the same bits
// as the loop it stands in for. Private to CNumericsKernels.
#ifndef HS_MATH16_H
#define HS_MATH16_H

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx512f"), always_inline)) static inline __m512 hs_exp16(__m512 x) {
    __m512 clamped = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(-87.33654f)), _mm512_set1_ps(88.37626f));
    __m512 shifted = _mm512_fmadd_ps(clamped, _mm512_set1_ps(1.44269504f), _mm512_set1_ps(12582912.0f));
    __m512 n = _mm512_sub_ps(shifted, _mm512_set1_ps(12582912.0f));
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), clamped);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
    __m512i integer = _mm512_sub_epi32(_mm512_castps_si512(shifted), _mm512_set1_epi32(0x4B400000));
    __m512 scale = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(integer, _mm512_set1_epi32(127)), 23));
    __mmask16 underflow = _mm512_cmp_ps_mask(x, _mm512_set1_ps(-87.33654f), _CMP_LT_OQ);
    return _mm512_maskz_mul_ps((__mmask16)~underflow, p, scale);
}

// Phi(x) = 0.5 erfc(-x / sqrt 2), through erfc(|x| / sqrt 2) for accuracy in both tails.
__attribute__((target("avx512f"), always_inline)) static inline __m512 hs_normal_cdf16(__m512 x) {
    __m512 z = _mm512_mul_ps(_mm512_abs_ps(x), _mm512_set1_ps(0.70710678118654752f));
    __m512 t = _mm512_div_ps(_mm512_set1_ps(1.0f), _mm512_fmadd_ps(_mm512_set1_ps(0.5f), z, _mm512_set1_ps(1.0f)));
    __m512 p = _mm512_set1_ps(0.17087277f);
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-0.82215223f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(1.48851587f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-1.13520398f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(0.27886807f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-0.18628806f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(0.09678418f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(0.37409196f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(1.00002368f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-1.26551223f));
    __m512 half_tail = _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.5f), t), hs_exp16(_mm512_fnmadd_ps(z, z, p)));
    __mmask16 positive = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_GT_OQ);
    return _mm512_mask_sub_ps(half_tail, positive, _mm512_set1_ps(1.0f), half_tail);
}

// GELU, x Phi(x), and its slope, Phi(x) + x phi(x): the GELU loops' operations (hs_elementwise.c),
// also run in the products' epilogues (hs_sgemm.c, hs_sgemm_bf16.c).
__attribute__((target("avx512f"), always_inline)) static inline __m512 hs_gelu16(__m512 x) {
    return _mm512_mul_ps(x, hs_normal_cdf16(x));
}

// The slope given Phi(x) (`cdf`), so that GELU and its slope can share one normal CDF.
__attribute__((target("avx512f"), always_inline)) static inline __m512 hs_gelu_slope_from_cdf16(__m512 x, __m512 cdf) {
    __m512 density = _mm512_mul_ps(hs_exp16(_mm512_mul_ps(_mm512_set1_ps(-0.5f), _mm512_mul_ps(x, x))),
                                   _mm512_set1_ps(0.3989422804014327f));
    return _mm512_fmadd_ps(x, density, cdf);
}

__attribute__((target("avx512f"), always_inline)) static inline __m512 hs_gelu_slope16(__m512 x) {
    return hs_gelu_slope_from_cdf16(x, hs_normal_cdf16(x));
}
#endif

#endif
