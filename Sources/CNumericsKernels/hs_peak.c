// The machine's FP32 FMA peak, measured: independent chains of dependent FMAs, enough of them in
// flight to hide the FMA latency on every port (Zen 4: latency 4, two 256-bit pipes, zmm FMAs
// double-pumped; Zen 5: two 512-bit pipes). Each chain is c = c * a + b with a just below 1, so
// the values settle near b / (1 - a) and never overflow or go subnormal; the compiler may not
// reorder FMAs (not associative), so every one of them runs.
#include "hs_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

// 16 zmm accumulators + 2 constants of the 32 zmm registers: 16 chains cover latency x ports
// up to 8 x 2. 10 ymm accumulators + 2 constants fit the 16 registers AVX2 has.
enum { ZMM_CHAINS = 16, YMM_CHAINS = 10 };

__attribute__((target("avx512f"))) static long fma_peak_zmm(long iterations, float *sink) {
    __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-6f);
    __m512 c0 = _mm512_set1_ps(0.0f), c1 = _mm512_set1_ps(0.1f), c2 = _mm512_set1_ps(0.2f), c3 = _mm512_set1_ps(0.3f);
    __m512 c4 = _mm512_set1_ps(0.4f), c5 = _mm512_set1_ps(0.5f), c6 = _mm512_set1_ps(0.6f), c7 = _mm512_set1_ps(0.7f);
    __m512 c8 = _mm512_set1_ps(0.8f), c9 = _mm512_set1_ps(0.9f), c10 = _mm512_set1_ps(1.0f), c11 = _mm512_set1_ps(1.1f);
    __m512 c12 = _mm512_set1_ps(1.2f), c13 = _mm512_set1_ps(1.3f), c14 = _mm512_set1_ps(1.4f), c15 = _mm512_set1_ps(1.5f);
    for (long i = 0; i < iterations; ++i) {
        // The empty asm keeps the compiler from vectorising across iterations or hoisting anything.
        __asm__ volatile("" : "+v"(c0), "+v"(c1), "+v"(c2), "+v"(c3), "+v"(c4), "+v"(c5), "+v"(c6), "+v"(c7));
        c0 = _mm512_fmadd_ps(c0, a, b); c1 = _mm512_fmadd_ps(c1, a, b); c2 = _mm512_fmadd_ps(c2, a, b);
        c3 = _mm512_fmadd_ps(c3, a, b); c4 = _mm512_fmadd_ps(c4, a, b); c5 = _mm512_fmadd_ps(c5, a, b);
        c6 = _mm512_fmadd_ps(c6, a, b); c7 = _mm512_fmadd_ps(c7, a, b); c8 = _mm512_fmadd_ps(c8, a, b);
        c9 = _mm512_fmadd_ps(c9, a, b); c10 = _mm512_fmadd_ps(c10, a, b); c11 = _mm512_fmadd_ps(c11, a, b);
        c12 = _mm512_fmadd_ps(c12, a, b); c13 = _mm512_fmadd_ps(c13, a, b); c14 = _mm512_fmadd_ps(c14, a, b);
        c15 = _mm512_fmadd_ps(c15, a, b);
    }
    __m512 total = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(c0, c1), _mm512_add_ps(c2, c3)),
                                 _mm512_add_ps(_mm512_add_ps(c4, c5), _mm512_add_ps(c6, c7)));
    total = _mm512_add_ps(total, _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(c8, c9), _mm512_add_ps(c10, c11)),
                                               _mm512_add_ps(_mm512_add_ps(c12, c13), _mm512_add_ps(c14, c15))));
    *sink = _mm512_reduce_add_ps(total);
    return iterations * ZMM_CHAINS * 16 * 2;
}

__attribute__((target("avx2,fma"))) static long fma_peak_ymm(long iterations, float *sink) {
    __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-6f);
    __m256 c0 = _mm256_set1_ps(0.0f), c1 = _mm256_set1_ps(0.1f), c2 = _mm256_set1_ps(0.2f), c3 = _mm256_set1_ps(0.3f);
    __m256 c4 = _mm256_set1_ps(0.4f), c5 = _mm256_set1_ps(0.5f), c6 = _mm256_set1_ps(0.6f), c7 = _mm256_set1_ps(0.7f);
    __m256 c8 = _mm256_set1_ps(0.8f), c9 = _mm256_set1_ps(0.9f);
    for (long i = 0; i < iterations; ++i) {
        __asm__ volatile("" : "+x"(c0), "+x"(c1), "+x"(c2), "+x"(c3), "+x"(c4));
        c0 = _mm256_fmadd_ps(c0, a, b); c1 = _mm256_fmadd_ps(c1, a, b); c2 = _mm256_fmadd_ps(c2, a, b);
        c3 = _mm256_fmadd_ps(c3, a, b); c4 = _mm256_fmadd_ps(c4, a, b); c5 = _mm256_fmadd_ps(c5, a, b);
        c6 = _mm256_fmadd_ps(c6, a, b); c7 = _mm256_fmadd_ps(c7, a, b); c8 = _mm256_fmadd_ps(c8, a, b);
        c9 = _mm256_fmadd_ps(c9, a, b);
    }
    __m256 total = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(c0, c1), _mm256_add_ps(c2, c3)),
                                 _mm256_add_ps(_mm256_add_ps(c4, c5), _mm256_add_ps(_mm256_add_ps(c6, c7), _mm256_add_ps(c8, c9))));
    float lanes[8];
    _mm256_storeu_ps(lanes, total);
    *sink = lanes[0] + lanes[1] + lanes[2] + lanes[3] + lanes[4] + lanes[5] + lanes[6] + lanes[7];
    return iterations * YMM_CHAINS * 8 * 2;
}

int hs_fma_peak_width(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return 512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 256;
    return 0;
}

long hs_fma_peak_run(int width, long iterations, float *sink) {
    if (iterations <= 0) return 0;
    __builtin_cpu_init();
    if (width == 512 && __builtin_cpu_supports("avx512f")) return fma_peak_zmm(iterations, sink);
    if (width == 256 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return fma_peak_ymm(iterations, sink);
    return -1;
}

#else

int hs_fma_peak_width(void) { return 0; }

long hs_fma_peak_run(int width, long iterations, float *sink) {
    (void)width; (void)iterations; (void)sink;
    return -1;
}

#endif
