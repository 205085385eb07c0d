// Inference products with bf16 operands and fp32 sums: C (M, N) = A (M, K) * B (K, N) + bias,
// A and B rounded to bf16 (round to nearest even; denormals to zero), for the voice scorer's
// projections. On processors with AVX512-BF16 the micro-kernel is `vdpbf16ps` (Zen 4: about
// twice the multiply rate of the fp32 kernel in hs_sgemm.c); elsewhere a portable loop computes
// the same bits.
//
// What the bits are, for each element of C, summing pairs of k (k = 2p + 1 first, then 2p), as
// Intel's pseudo-code of VDPBF16PS has it:
//   acc = 0;  for each pair p:  acc = ftz(fma(a[2p+1], b[2p+1], acc));  acc = ftz(fma(a[2p], b[2p], acc))
// where fma rounds once to nearest even and ftz flushes a result below FLT_MIN to a zero of its
// sign (the instruction flushes its outputs and treats denormal inputs as zero; the operands,
// bf16 from bf16_of, are never denormal, and acc is never denormal after ftz). K is summed in
// blocks (kc_step_of_bf16): the first block's sum plus the bias is stored, each later block's sum
// is added to C (one fp32 add). That order depends on K only, so a row of C is the same bits
// whatever the rows beside it, the tile it fell in or the thread count.
//
// Layout of the packed B (hs_bf16_pack_b): for each block of NC columns, each block of K, each
// panel of NR columns: pairs of k, panel[p][j] = (b[2p][j], b[2p + 1][j]), two uint16 (the even
// k in the low half of the 32-bit lane, where vdpbf16ps reads element 2i), the last pair of a
// block of odd length padded with zero.
#include "hs_kernels.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#include <pthread.h>
#endif

// No contraction: the portable loop's fmaf and adds must round exactly where the kernel rounds.
#pragma STDC FP_CONTRACT OFF

enum { MR = 12, NR = 32, KC_MAX = 768, MC = 192, NC = 512 };

// K in equal blocks of at most KC_MAX, each of an even length but perhaps the last.
static int kc_step_of_bf16(int k) {
    int blocks = (k + KC_MAX - 1) / KC_MAX;
    int step = (k + blocks - 1) / blocks;
    return (step + 1) / 2 * 2;
}

static inline uint32_t bits_of(float x) {
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static inline float float_of(uint32_t u) {
    float x;
    memcpy(&x, &u, sizeof x);
    return x;
}

// VCVTNEPS2BF16's conversion: round to nearest even; zero and denormals to a zero of their
// sign; infinities kept; NaN made quiet.
static inline uint16_t bf16_of(float x) {
    uint32_t u = bits_of(x), exponent = (u >> 23) & 0xFF;
    if (exponent == 0) return (uint16_t)((u >> 16) & 0x8000);
    if (exponent == 0xFF) return (uint16_t)((u >> 16) | ((u & 0x7FFFFF) ? 0x40 : 0));
    return (uint16_t)((u + 0x7FFF + ((u >> 16) & 1)) >> 16);
}

static inline float float_of_bf16(uint16_t h) { return float_of((uint32_t)h << 16); }

static inline float flush_to_zero(float x) { return fabsf(x) < FLT_MIN ? copysignf(0.0f, x) : x; }

long hs_bf16_packed_b_count(int n, int k) {
    if (n <= 0 || k <= 0) return 0;
    long count = 0;
    int kc_step = kc_step_of_bf16(k);
    for (int jc = 0; jc < n; jc += NC) {
        int nc = n - jc < NC ? n - jc : NC;
        for (int pc = 0; pc < k; pc += kc_step) {
            int kc = k - pc < kc_step ? k - pc : kc_step;
            count += (long)(kc + 1) / 2 * 2 * ((nc + NR - 1) / NR * NR);
        }
    }
    return count;
}

int hs_bf16_pack_b(int transpose_b, int n, int k, const float *b, int ldb, uint16_t *dst) {
    if (n <= 0 || k <= 0) return 0;
    int kc_step = kc_step_of_bf16(k);
    for (int jc = 0; jc < n; jc += NC) {
        int nc = n - jc < NC ? n - jc : NC;
        for (int pc = 0; pc < k; pc += kc_step) {
            int kc = k - pc < kc_step ? k - pc : kc_step, pairs = (kc + 1) / 2;
            for (int jr = 0; jr < nc; jr += NR) {
                uint16_t *panel = dst + (size_t)jr * pairs * 2;
                for (int p = 0; p < 2 * pairs; ++p)
                    for (int j = 0; j < NR; ++j) {
                        int column = jc + jr + j, row = pc + p;
                        float value = 0;
                        if (jr + j < nc && p < kc)
                            value = transpose_b ? b[(size_t)column * ldb + row] : b[(size_t)row * ldb + column];
                        panel[((size_t)(p / 2) * NR + j) * 2 + (p & 1)] = bf16_of(value);
                    }
            }
            dst += (size_t)pairs * 2 * ((nc + NR - 1) / NR * NR);
        }
    }
    return 0;
}

// The portable loop: one element of C at a time, in the order the header describes.
static int bf16_gemm_portable(int m, int n, int k, const float *a, int lda, const uint16_t *packed_b,
                              const float *bias, float *c, int ldc) {
    int kc_step = kc_step_of_bf16(k), k2 = (k + 1) / 2 * 2;
    float *row = malloc(sizeof(float) * (size_t)k2);  // one row of A as bf16 values
    if (!row) return -1;
    for (int i = 0; i < m; ++i) {
        for (int p = 0; p < k2; ++p) row[p] = p < k ? float_of_bf16(bf16_of(a[(size_t)i * lda + p])) : 0;
        const uint16_t *block = packed_b;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = n - jc < NC ? n - jc : NC;
            for (int pc = 0; pc < k; pc += kc_step) {
                int kc = k - pc < kc_step ? k - pc : kc_step, pairs = (kc + 1) / 2;
                for (int j = 0; j < nc; ++j) {
                    const uint16_t *column = block + (size_t)(j / NR * NR) * pairs * 2 + (j % NR) * 2;
                    const float *x = row + pc;
                    float acc = 0;
                    for (int p = 0; p < pairs; ++p) {
                        const uint16_t *pair = column + (size_t)p * NR * 2;
                        acc = flush_to_zero(fmaf(x[2 * p + 1], float_of_bf16(pair[1]), acc));
                        acc = flush_to_zero(fmaf(x[2 * p], float_of_bf16(pair[0]), acc));
                    }
                    float *out = c + (size_t)i * ldc + jc + j;
                    if (pc == 0) *out = bias ? acc + bias[jc + j] : acc;
                    else *out = acc + *out;
                }
                block += (size_t)pairs * 2 * ((nc + NR - 1) / NR * NR);
            }
        }
    }
    free(row);
    return 0;
}

#if defined(__x86_64__)

int hs_bf16_kernel_available(void) {
    static int state = -1;  // benign race: every thread computes the same value
    if (state < 0) {
        const char *choice = getenv("HOUSESTYLE_KERNELS");
        __builtin_cpu_init();
        state = (choice && strcmp(choice, "portable") == 0) ? 0
              : __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512bf16") ? 1 : 0;
    }
    return state;
}

// Each thread's A as bf16 pairs, grown as needed and freed when the thread exits.
struct bf16_scratch {
    uint32_t *pairs;
    size_t capacity;
};
static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void release_scratch(void *pointer) {
    struct bf16_scratch *s = pointer;
    free(s->pairs);
    free(s);
}

static void make_scratch_key(void) { pthread_key_create(&scratch_key, release_scratch); }

static uint32_t *thread_pairs(size_t count) {
    pthread_once(&scratch_once, make_scratch_key);
    struct bf16_scratch *s = pthread_getspecific(scratch_key);
    if (!s) {
        s = calloc(1, sizeof *s);
        if (!s || pthread_setspecific(scratch_key, s) != 0) {
            free(s);
            return 0;
        }
    }
    if (s->capacity < count) {
        free(s->pairs);
        size_t bytes = (count * sizeof(uint32_t) + 63) / 64 * 64;
        s->pairs = aligned_alloc(64, bytes);
        s->capacity = s->pairs ? count : 0;
    }
    return s->pairs;
}

#define HS_BF16 __attribute__((target("avx512f,avx512bw,avx512bf16")))

// dst[i][p] = (bf16 a[i][2p], bf16 a[i][2p + 1]) for m rows, k2 / 2 pairs a row, zero past k.
HS_BF16 static void convert_a(int m, int k, const float *a, int lda, uint32_t *dst, int k2) {
    for (int i = 0; i < m; ++i) {
        const float *src = a + (size_t)i * lda;
        uint16_t *out = (uint16_t *)(dst + (size_t)i * (k2 / 2));
        for (int p = 0; p < k2; p += 32) {
            int left = k - p;
            __mmask16 low = left >= 16 ? 0xFFFF : left <= 0 ? 0 : (__mmask16)((1u << left) - 1);
            __mmask16 high = left >= 32 ? 0xFFFF : left <= 16 ? 0 : (__mmask16)((1u << (left - 16)) - 1);
            __m512bh converted = _mm512_cvtne2ps_pbh(_mm512_maskz_loadu_ps(high, src + p + 16),
                                                     _mm512_maskz_loadu_ps(low, src + p));
            int stored = k2 - p < 32 ? k2 - p : 32;
            _mm512_mask_storeu_epi16(out + p, (__mmask32)(stored >= 32 ? 0xFFFFFFFFu : (1u << stored) - 1),
                                     (__m512i)converted);
        }
    }
}

// The first block of K: c = acc + bias (bias may be NULL); each later one: c = acc + c.
HS_BF16 static void store_tile_bf16(__m512 *acc, float *c, int ldc, const float *bias, int first, int rows, int cols) {
    __mmask16 mask0 = cols >= 16 ? 0xFFFF : (__mmask16)((1u << cols) - 1);
    __mmask16 mask1 = cols >= 32 ? 0xFFFF : cols <= 16 ? 0 : (__mmask16)((1u << (cols - 16)) - 1);
    __m512 bias0 = _mm512_setzero_ps(), bias1 = _mm512_setzero_ps();
    if (first && bias) {
        bias0 = _mm512_maskz_loadu_ps(mask0, bias);
        bias1 = _mm512_maskz_loadu_ps(mask1, bias + 16);
    }
    for (int i = 0; i < rows; ++i) {
        float *row = c + (size_t)i * ldc;
        __m512 x0 = acc[2 * i], x1 = acc[2 * i + 1];
        if (!first) {
            x0 = _mm512_add_ps(x0, _mm512_maskz_loadu_ps(mask0, row));
            x1 = _mm512_add_ps(x1, _mm512_maskz_loadu_ps(mask1, row + 16));
        } else if (bias) {
            x0 = _mm512_add_ps(x0, bias0);
            x1 = _mm512_add_ps(x1, bias1);
        }
        _mm512_mask_storeu_ps(row, mask0, x0);
        _mm512_mask_storeu_ps(row + 16, mask1, x1);
    }
}

#define HS_DECLARE_ACC(i) __m512 c##i##a = _mm512_setzero_ps(), c##i##b = _mm512_setzero_ps();
#define HS_DOT_ROW(i)                                                                               \
    {                                                                                               \
        __m512bh ai = (__m512bh)_mm512_set1_epi32((int)a##i[p]);                                    \
        c##i##a = _mm512_dpbf16_ps(c##i##a, ai, b0);                                                \
        c##i##b = _mm512_dpbf16_ps(c##i##b, ai, b1);                                                \
    }
#define HS_ROW_POINTER(i) const uint32_t *a##i = rows > i ? a + (size_t)i * lda : a;

// A tile of MR x NR (or 8 or 4 rows) over `pairs` pairs of k: a: pairs of row 0 (row stride lda
// pairs), pb: the panel of B. Rows past `rows` read row 0 again and are not stored.
HS_BF16 static void micro_kernel_bf16(int pairs, const uint32_t *a, int lda, const uint16_t *restrict pb, float *c,
                                      int ldc, const float *bias, int first, int rows, int cols) {
    HS_ROW_POINTER(0) HS_ROW_POINTER(1) HS_ROW_POINTER(2) HS_ROW_POINTER(3) HS_ROW_POINTER(4) HS_ROW_POINTER(5)
    HS_ROW_POINTER(6) HS_ROW_POINTER(7) HS_ROW_POINTER(8) HS_ROW_POINTER(9) HS_ROW_POINTER(10) HS_ROW_POINTER(11)
    HS_DECLARE_ACC(0) HS_DECLARE_ACC(1) HS_DECLARE_ACC(2) HS_DECLARE_ACC(3) HS_DECLARE_ACC(4) HS_DECLARE_ACC(5)
    HS_DECLARE_ACC(6) HS_DECLARE_ACC(7) HS_DECLARE_ACC(8) HS_DECLARE_ACC(9) HS_DECLARE_ACC(10) HS_DECLARE_ACC(11)
    for (int p = 0; p < pairs; ++p) {
        __m512bh b0 = (__m512bh)_mm512_load_si512(pb), b1 = (__m512bh)_mm512_load_si512(pb + 32);
        HS_DOT_ROW(0) HS_DOT_ROW(1) HS_DOT_ROW(2) HS_DOT_ROW(3) HS_DOT_ROW(4) HS_DOT_ROW(5)
        HS_DOT_ROW(6) HS_DOT_ROW(7) HS_DOT_ROW(8) HS_DOT_ROW(9) HS_DOT_ROW(10) HS_DOT_ROW(11)
        pb += 2 * NR;
    }
    __m512 acc[2 * MR] = {c0a, c0b, c1a, c1b, c2a, c2b, c3a, c3b, c4a, c4b, c5a, c5b,
                          c6a, c6b, c7a, c7b, c8a, c8b, c9a, c9b, c10a, c10b, c11a, c11b};
    store_tile_bf16(acc, c, ldc, bias, first, rows, cols);
}

HS_BF16 static void micro_kernel_bf16_8(int pairs, const uint32_t *a, int lda, const uint16_t *restrict pb, float *c,
                                        int ldc, const float *bias, int first, int rows, int cols) {
    HS_ROW_POINTER(0) HS_ROW_POINTER(1) HS_ROW_POINTER(2) HS_ROW_POINTER(3)
    HS_ROW_POINTER(4) HS_ROW_POINTER(5) HS_ROW_POINTER(6) HS_ROW_POINTER(7)
    HS_DECLARE_ACC(0) HS_DECLARE_ACC(1) HS_DECLARE_ACC(2) HS_DECLARE_ACC(3)
    HS_DECLARE_ACC(4) HS_DECLARE_ACC(5) HS_DECLARE_ACC(6) HS_DECLARE_ACC(7)
    for (int p = 0; p < pairs; ++p) {
        __m512bh b0 = (__m512bh)_mm512_load_si512(pb), b1 = (__m512bh)_mm512_load_si512(pb + 32);
        HS_DOT_ROW(0) HS_DOT_ROW(1) HS_DOT_ROW(2) HS_DOT_ROW(3) HS_DOT_ROW(4) HS_DOT_ROW(5) HS_DOT_ROW(6) HS_DOT_ROW(7)
        pb += 2 * NR;
    }
    __m512 acc[16] = {c0a, c0b, c1a, c1b, c2a, c2b, c3a, c3b, c4a, c4b, c5a, c5b, c6a, c6b, c7a, c7b};
    store_tile_bf16(acc, c, ldc, bias, first, rows, cols);
}

HS_BF16 static void micro_kernel_bf16_4(int pairs, const uint32_t *a, int lda, const uint16_t *restrict pb, float *c,
                                        int ldc, const float *bias, int first, int rows, int cols) {
    HS_ROW_POINTER(0) HS_ROW_POINTER(1) HS_ROW_POINTER(2) HS_ROW_POINTER(3)
    HS_DECLARE_ACC(0) HS_DECLARE_ACC(1) HS_DECLARE_ACC(2) HS_DECLARE_ACC(3)
    for (int p = 0; p < pairs; ++p) {
        __m512bh b0 = (__m512bh)_mm512_load_si512(pb), b1 = (__m512bh)_mm512_load_si512(pb + 32);
        HS_DOT_ROW(0) HS_DOT_ROW(1) HS_DOT_ROW(2) HS_DOT_ROW(3)
        pb += 2 * NR;
    }
    __m512 acc[8] = {c0a, c0b, c1a, c1b, c2a, c2b, c3a, c3b};
    store_tile_bf16(acc, c, ldc, bias, first, rows, cols);
}

static int bf16_gemm_avx512(int m, int n, int k, const float *a, int lda, const uint16_t *packed_b,
                            const float *bias, float *c, int ldc) {
    int k2 = (k + 1) / 2 * 2, row_pairs = k2 / 2;
    uint32_t *pairs_of_a = thread_pairs((size_t)m * row_pairs);
    if (!pairs_of_a) return -1;
    convert_a(m, k, a, lda, pairs_of_a, k2);
    int kc_step = kc_step_of_bf16(k);
    const uint16_t *block = packed_b;
    for (int jc = 0; jc < n; jc += NC) {
        int nc = n - jc < NC ? n - jc : NC;
        for (int pc = 0; pc < k; pc += kc_step) {
            int kc = k - pc < kc_step ? k - pc : kc_step, pairs = (kc + 1) / 2;
            int first = pc == 0;
            for (int ic = 0; ic < m; ic += MC) {
                int mc = m - ic < MC ? m - ic : MC;
                for (int ir = 0; ir < mc; ir += MR) {
                    int rows = mc - ir < MR ? mc - ir : MR;
                    const uint32_t *tile_a = pairs_of_a + (size_t)(ic + ir) * row_pairs + pc / 2;
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = nc - jr < NR ? nc - jr : NR;
                        const float *tile_bias = bias ? bias + jc + jr : 0;
                        float *tile = c + (size_t)(ic + ir) * ldc + jc + jr;
                        (rows <= 4 ? micro_kernel_bf16_4 : rows <= 8 ? micro_kernel_bf16_8 : micro_kernel_bf16)(
                            pairs, tile_a, row_pairs, block + (size_t)jr * pairs * 2, tile, ldc, tile_bias, first,
                            rows, cols);
                    }
                }
            }
            block += (size_t)pairs * 2 * ((nc + NR - 1) / NR * NR);
        }
    }
    return 0;
}

#else

int hs_bf16_kernel_available(void) { return 0; }

#endif

int hs_bf16_gemm(int m, int n, int k, const float *a, int lda, const uint16_t *packed_b, const float *bias,
                 float *c, int ldc, int portable) {
    if (m <= 0 || n <= 0) return 0;
    if (k <= 0) {
        for (int i = 0; i < m; ++i)
            for (int j = 0; j < n; ++j) c[(size_t)i * ldc + j] = bias ? bias[j] : 0;
        return 0;
    }
#if defined(__x86_64__)
    if (!portable && hs_bf16_kernel_available()) return bf16_gemm_avx512(m, n, k, a, lda, packed_b, bias, c, ldc);
#else
    (void)portable;
#endif
    return bf16_gemm_portable(m, n, k, a, lda, packed_b, bias, c, ldc);
}
