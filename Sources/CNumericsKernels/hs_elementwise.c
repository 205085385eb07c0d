// AVX-512 and AVX2 versions of the encoder's elementwise loops (GELU forward/backward, softmax
// rows). The Swift package targets baseline x86-64, where these loops run one float at a time
// (GELU's erfc and exp do not vectorise); here they run 16 wide (AVX-512) or 8 wide (AVX2 with FMA,
// the processors without AVX-512). Same polynomials as VectorMath.swift (Cephes exp, Numerical Recipes erfc),
// evaluated with FMAs, so results agree with the Swift loops to a few units in the last place.
#include "hs_kernels.h"
#include "hs_math16.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HS_AVX512 __attribute__((target("avx512f")))

static inline __mmask16 tail_mask(long remaining) {
    return remaining >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << remaining) - 1);
}

HS_AVX512 static int gelu_forward_avx512(float *y, const float *x, long count) {
    for (long i = 0; i < count; i += 16) {
        __mmask16 mask = tail_mask(count - i);
        __m512 v = _mm512_maskz_loadu_ps(mask, x + i);
        _mm512_mask_storeu_ps(y + i, mask, hs_gelu16(v));
    }
    return 0;
}

HS_AVX512 static int gelu_backward_avx512(float *dx, const float *dy, const float *x, long count, int accumulate) {
    for (long i = 0; i < count; i += 16) {
        __mmask16 mask = tail_mask(count - i);
        __m512 slope = hs_gelu_slope16(_mm512_maskz_loadu_ps(mask, x + i));
        __m512 previous = accumulate ? _mm512_maskz_loadu_ps(mask, dx + i) : _mm512_setzero_ps();
        __m512 g = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, dy + i), slope, previous);
        _mm512_mask_storeu_ps(dx + i, mask, g);
    }
    return 0;
}

HS_AVX512 static int softmax_rows_avx512(float *x, long rows, long width) {
    for (long row = 0; row < rows; ++row) {
        float *r = x + row * width;
        __m512 maximum = _mm512_set1_ps(-__builtin_inff());
        for (long j = 0; j < width; j += 16)
            maximum = _mm512_mask_max_ps(maximum, tail_mask(width - j), _mm512_maskz_loadu_ps(tail_mask(width - j), r + j), maximum);
        __m512 top = _mm512_set1_ps(_mm512_reduce_max_ps(maximum));
        __m512 sum = _mm512_setzero_ps();
        for (long j = 0; j < width; j += 16) {
            __mmask16 mask = tail_mask(width - j);
            __m512 e = hs_exp16(_mm512_sub_ps(_mm512_maskz_loadu_ps(mask, r + j), top));
            _mm512_mask_storeu_ps(r + j, mask, e);
            sum = _mm512_mask_add_ps(sum, mask, sum, e);
        }
        __m512 inverse = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(sum));
        for (long j = 0; j < width; j += 16) {
            __mmask16 mask = tail_mask(width - j);
            _mm512_mask_storeu_ps(r + j, mask, _mm512_mul_ps(_mm512_maskz_loadu_ps(mask, r + j), inverse));
        }
    }
    return 0;
}

// MARK: AVX2 with FMA (8 wide), for processors without AVX-512

#define HS_AVX2 __attribute__((target("avx2,fma")))

int hs_elementwise_level(void) {
    static int level = -1;  // benign race: every thread computes the same value
    if (level < 0) {
        const char *choice = getenv("HOUSESTYLE_KERNELS");
        __builtin_cpu_init();
        if (choice && strcmp(choice, "portable") == 0) level = 0;
        else if (hs_sgemm_available()) level = 2;
        else level = (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) ? 1 : 0;
    }
    return level;
}

HS_AVX2 static inline __m256 exp8(__m256 x) {
    __m256 clamped = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-87.33654f)), _mm256_set1_ps(88.37626f));
    __m256 shifted = _mm256_fmadd_ps(clamped, _mm256_set1_ps(1.44269504f), _mm256_set1_ps(12582912.0f));
    __m256 n = _mm256_sub_ps(shifted, _mm256_set1_ps(12582912.0f));
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), clamped);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    __m256i integer = _mm256_sub_epi32(_mm256_castps_si256(shifted), _mm256_set1_epi32(0x4B400000));
    __m256 scale = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(integer, _mm256_set1_epi32(127)), 23));
    __m256 kept = _mm256_cmp_ps(x, _mm256_set1_ps(-87.33654f), _CMP_NLT_UQ);  // below: 0; NaN stays NaN
    return _mm256_and_ps(_mm256_mul_ps(p, scale), kept);
}

HS_AVX2 static inline __m256 normal_cdf8(__m256 x) {
    __m256 magnitude = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x);
    __m256 z = _mm256_mul_ps(magnitude, _mm256_set1_ps(0.70710678118654752f));
    __m256 t = _mm256_div_ps(_mm256_set1_ps(1.0f), _mm256_fmadd_ps(_mm256_set1_ps(0.5f), z, _mm256_set1_ps(1.0f)));
    __m256 p = _mm256_set1_ps(0.17087277f);
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-0.82215223f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(1.48851587f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-1.13520398f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(0.27886807f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-0.18628806f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(0.09678418f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(0.37409196f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(1.00002368f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-1.26551223f));
    __m256 half_tail = _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(0.5f), t), exp8(_mm256_fnmadd_ps(z, z, p)));
    __m256 positive = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GT_OQ);
    return _mm256_blendv_ps(half_tail, _mm256_sub_ps(_mm256_set1_ps(1.0f), half_tail), positive);
}

/// Lanes below `remaining` set (all when remaining >= 8), for maskload/maskstore.
HS_AVX2 static inline __m256i lanes8(long remaining) {
    int n = remaining >= 8 ? 8 : (int)remaining;
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

HS_AVX2 static int gelu_forward_avx2(float *y, const float *x, long count) {
    for (long i = 0; i < count; i += 8) {
        __m256i mask = lanes8(count - i);
        __m256 v = _mm256_maskload_ps(x + i, mask);
        _mm256_maskstore_ps(y + i, mask, _mm256_mul_ps(v, normal_cdf8(v)));
    }
    return 0;
}

HS_AVX2 static int gelu_backward_avx2(float *dx, const float *dy, const float *x, long count, int accumulate) {
    const __m256 inverse_sqrt_two_pi = _mm256_set1_ps(0.3989422804014327f);
    for (long i = 0; i < count; i += 8) {
        __m256i mask = lanes8(count - i);
        __m256 v = _mm256_maskload_ps(x + i, mask);
        __m256 density = _mm256_mul_ps(exp8(_mm256_mul_ps(_mm256_set1_ps(-0.5f), _mm256_mul_ps(v, v))), inverse_sqrt_two_pi);
        __m256 slope = _mm256_fmadd_ps(v, density, normal_cdf8(v));
        __m256 previous = accumulate ? _mm256_maskload_ps(dx + i, mask) : _mm256_setzero_ps();
        _mm256_maskstore_ps(dx + i, mask, _mm256_fmadd_ps(_mm256_maskload_ps(dy + i, mask), slope, previous));
    }
    return 0;
}

HS_AVX2 static inline float horizontal8(__m256 v, int maximum) {
    __m128 a = _mm256_castps256_ps128(v), b = _mm256_extractf128_ps(v, 1);
    __m128 r = maximum ? _mm_max_ps(a, b) : _mm_add_ps(a, b);
    __m128 shuffled = _mm_movehl_ps(r, r);
    r = maximum ? _mm_max_ps(r, shuffled) : _mm_add_ps(r, shuffled);
    shuffled = _mm_shuffle_ps(r, r, 1);
    r = maximum ? _mm_max_ss(r, shuffled) : _mm_add_ss(r, shuffled);
    return _mm_cvtss_f32(r);
}

HS_AVX2 static int softmax_rows_avx2(float *x, long rows, long width) {
    for (long row = 0; row < rows; ++row) {
        float *r = x + row * width;
        __m256 maximum = _mm256_set1_ps(-__builtin_inff());
        for (long j = 0; j < width; j += 8) {
            __m256i mask = lanes8(width - j);
            __m256 v = _mm256_blendv_ps(maximum, _mm256_maskload_ps(r + j, mask), _mm256_castsi256_ps(mask));
            maximum = _mm256_max_ps(maximum, v);
        }
        __m256 top = _mm256_set1_ps(horizontal8(maximum, 1));
        __m256 sum = _mm256_setzero_ps();
        for (long j = 0; j < width; j += 8) {
            __m256i mask = lanes8(width - j);
            __m256 e = _mm256_and_ps(exp8(_mm256_sub_ps(_mm256_maskload_ps(r + j, mask), top)), _mm256_castsi256_ps(mask));
            _mm256_maskstore_ps(r + j, mask, e);
            sum = _mm256_add_ps(sum, e);
        }
        __m256 inverse = _mm256_set1_ps(1.0f / horizontal8(sum, 0));
        for (long j = 0; j < width; j += 8) {
            __m256i mask = lanes8(width - j);
            _mm256_maskstore_ps(r + j, mask, _mm256_mul_ps(_mm256_maskload_ps(r + j, mask), inverse));
        }
    }
    return 0;
}

int hs_gelu_forward(float *y, const float *x, long count) {
    switch (hs_elementwise_level()) {
    case 2: return gelu_forward_avx512(y, x, count);
    case 1: return gelu_forward_avx2(y, x, count);
    default: return -1;
    }
}

int hs_gelu_backward(float *dx, const float *dy, const float *x, long count, int accumulate) {
    switch (hs_elementwise_level()) {
    case 2: return gelu_backward_avx512(dx, dy, x, count, accumulate);
    case 1: return gelu_backward_avx2(dx, dy, x, count, accumulate);
    default: return -1;
    }
}

int hs_softmax_rows(float *x, long rows, long width) {
    switch (hs_elementwise_level()) {
    case 2: return softmax_rows_avx512(x, rows, width);
    case 1: return softmax_rows_avx2(x, rows, width);
    default: return -1;
    }
}

// LayerNorm of each row, three passes as the Swift loop (sum, squared deviations, affine), 16 wide;
// the two sums are taken over 16 lanes and then reduced, so they round differently from the loop.
HS_AVX512 static int layer_norm_rows_avx512(float *y, float *mean, float *rstd, const float *x, const float *gamma,
                                            const float *beta, long rows, long width, float epsilon) {
    for (long row = 0; row < rows; ++row) {
        const float *xr = x + row * width;
        float *yr = y + row * width;
        __m512 sum = _mm512_setzero_ps();
        for (long i = 0; i < width; i += 16) sum = _mm512_add_ps(sum, _mm512_maskz_loadu_ps(tail_mask(width - i), xr + i));
        float m = _mm512_reduce_add_ps(sum) / (float)width;
        __m512 vm = _mm512_set1_ps(m), squares = _mm512_setzero_ps();
        for (long i = 0; i < width; i += 16) {
            __mmask16 mask = tail_mask(width - i);
            __m512 d = _mm512_maskz_sub_ps(mask, _mm512_maskz_loadu_ps(mask, xr + i), vm);
            squares = _mm512_fmadd_ps(d, d, squares);
        }
        float s = 1.0f / sqrtf(_mm512_reduce_add_ps(squares) / (float)width + epsilon);
        __m512 vs = _mm512_set1_ps(s);
        for (long i = 0; i < width; i += 16) {
            __mmask16 mask = tail_mask(width - i);
            __m512 d = _mm512_mul_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(mask, xr + i), vm), vs);
            __m512 out = _mm512_fmadd_ps(d, _mm512_maskz_loadu_ps(mask, gamma + i), _mm512_maskz_loadu_ps(mask, beta + i));
            _mm512_mask_storeu_ps(yr + i, mask, out);
        }
        mean[row] = m;
        rstd[row] = s;
    }
    return 0;
}

int hs_layer_norm_rows(float *y, float *mean, float *rstd, const float *x, const float *gamma, const float *beta,
                       long rows, long width, float epsilon) {
    return hs_elementwise_level() == 2 ? layer_norm_rows_avx512(y, mean, rstd, x, gamma, beta, rows, width, epsilon) : -1;
}

#else

int hs_elementwise_level(void) { return 0; }

int hs_gelu_forward(float *y, const float *x, long count) { (void)y; (void)x; (void)count; return -1; }
int hs_gelu_backward(float *dx, const float *dy, const float *x, long count, int accumulate) {
    (void)dx; (void)dy; (void)x; (void)count; (void)accumulate; return -1;
}
int hs_softmax_rows(float *x, long rows, long width) { (void)x; (void)rows; (void)width; return -1; }
int hs_layer_norm_rows(float *y, float *mean, float *rstd, const float *x, const float *gamma, const float *beta,
                       long rows, long width, float epsilon) {
    (void)y; (void)mean; (void)rstd; (void)x; (void)gamma; (void)beta; (void)rows; (void)width; (void)epsilon;
    return -1;
}

#endif
