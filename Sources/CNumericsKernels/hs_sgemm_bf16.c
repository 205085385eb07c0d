// Inference products with bf16 operands and fp32 sums: C (M, N) = A (M, K) * B (K, N) + bias,
// A and B rounded to bf16 (round to nearest even; denormals to zero), for the voice scorer's
// projections. On processors with AVX512-BF16 the micro-kernel is `vdpbf16ps` (Zen 4: about
// twice the multiply rate of the fp32 kernel in hs_sgemm.c), or where that instruction is slow
// (Intel's Emerald Rapids: about 0.6 times the emulation's rate) the AVX-512F emulation's sums with
// the same epilogues (hs_bf16_dot_here); elsewhere an emulation with AVX-512F or AVX2 FMAs, or a
// portable loop, computes the same bits.
//
// What the bits are, for each element of C, summing pairs of k (k = 2p + 1 first, then 2p), as
// Intel's pseudo-code of VDPBF16PS has it:
//   acc = 0;  for each pair p:  acc = step(acc, a[2p+1], b[2p+1]);  acc = step(acc, a[2p], b[2p])
// where step is one fused multiply-add, rounded once to nearest even as with an unbounded
// exponent range, and flushed to a zero of its sign when that rounded result is below FLT_MIN
// (dot_step; measured on Zen 4: 2^-126 - 0.75 * 2^-150 becomes 0, although IEEE's gradual
// underflow would round it to 2^-126). The instruction also treats denormal inputs as zero; here
// none occur (bf16_of flushes them, and acc is flushed). K is summed in blocks (kc_step_of_bf16):
// the first block's sum plus the bias is stored, each later block's sum is added to C (one fp32
// add). That order depends on K only, so a row of C is the same bits whatever the rows beside it,
// the tile it fell in or the thread count.
//
// Layout of the packed B (hs_bf16_pack_b): for each block of NC columns, each block of K, each
// panel of NR columns: pairs of k, panel[p][j] = bf16 b[2p][j] | bf16 b[2p + 1][j] << 16 (the
// even k in the low half, where vdpbf16ps reads element 2i), the last pair of a block of odd
// length padded with zero.
#include "hs_kernels.h"
#include "hs_math16.h"
#include "hs_scratch.h"

#include <float.h>
#include <pthread.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__x86_64__)
#include <immintrin.h>
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

// bf16_of over `count` floats, written with selects instead of branches so that compilers
// vectorise it; the same values.
static void bf16_of_each(const float *src, uint16_t *dst, int count) {
    for (int i = 0; i < count; ++i) {
        uint32_t u = bits_of(src[i]), exponent = (u >> 23) & 0xFF;
        uint32_t rounded = (u + 0x7FFF + ((u >> 16) & 1)) >> 16;
        uint32_t special = (u >> 16) | ((u & 0x7FFFFF) ? 0x40 : 0);
        uint32_t zero = (u >> 16) & 0x8000;
        dst[i] = (uint16_t)(exponent == 0 ? zero : exponent == 0xFF ? special : rounded);
    }
}

// One step of a sum, as vdpbf16ps rounds it: acc + a * b rounded once as with an unbounded
// exponent, then flushed to zero below FLT_MIN. fmaf rounds a result below 2^-126 with gradual
// underflow instead, so near there it is computed again 2^64 times larger, where rounding is
// that of an unbounded exponent. (There |acc| < 2^-100 and |a|, |b| < 2^26, as a and b are 0 or
// at least 2^-126: no overflow.)
static inline float dot_step(float acc, float a, float b) {
    float r = fmaf(a, b, acc);
    if (r != 0 && fabsf(r) < 0x1p-125f && a != 0 && b != 0) {
        float scaled = fmaf(a * 0x1p64f, b, acc * 0x1p64f);
        r = fabsf(scaled) < 0x1p-62f ? copysignf(0.0f, scaled) : scaled * 0x1p-64f;
    }
    return r;
}

long hs_bf16_packed_b_count(int n, int k) {
    if (n <= 0 || k <= 0) return 0;
    long count = 0;
    int kc_step = kc_step_of_bf16(k);
    for (int jc = 0; jc < n; jc += NC) {
        int nc = n - jc < NC ? n - jc : NC;
        for (int pc = 0; pc < k; pc += kc_step) {
            int kc = k - pc < kc_step ? k - pc : kc_step;
            count += (long)(kc + 1) / 2 * ((nc + NR - 1) / NR * NR);
        }
    }
    return count;
}

int hs_bf16_pack_b_reference(int transpose_b, int n, int k, const float *b, int ldb, uint32_t *dst) {
    if (n <= 0 || k <= 0) return 0;
    int kc_step = kc_step_of_bf16(k);
    for (int jc = 0; jc < n; jc += NC) {
        int nc = n - jc < NC ? n - jc : NC;
        for (int pc = 0; pc < k; pc += kc_step) {
            int kc = k - pc < kc_step ? k - pc : kc_step, pairs = (kc + 1) / 2;
            for (int jr = 0; jr < nc; jr += NR) {
                uint32_t *panel = dst + (size_t)jr * pairs;
                for (int p = 0; p < pairs; ++p)
                    for (int j = 0; j < NR; ++j) {
                        uint32_t pair = 0;
                        for (int half = 0; half < 2; ++half) {
                            int column = jc + jr + j, row = pc + 2 * p + half;
                            float value = 0;
                            if (jr + j < nc && 2 * p + half < kc)
                                value = transpose_b ? b[(size_t)column * ldb + row] : b[(size_t)row * ldb + column];
                            pair |= (uint32_t)bf16_of(value) << (16 * half);
                        }
                        panel[(size_t)p * NR + j] = pair;
                    }
            }
            dst += (size_t)pairs * ((nc + NR - 1) / NR * NR);
        }
    }
    return 0;
}

// op(B) transposed (the encoder's weights, stored (N, K)): each row of b, rounded to bf16 once
// into a scratch of rows of k2 values (zero past K), holds the pairs of one column of op(B) side
// by side (a pair is two neighbours, one load on a little-endian processor). The same pairs as hs_bf16_pack_b_reference, several
// times faster (a fresh scorer packs its 36 matrices before its first sentence).
static int pack_b_transposed(int n, int k, const float *b, int ldb, uint32_t *dst) {
    int k2 = (k + 1) / 2 * 2;
    // A thread's scratch, kept between calls: a fresh 1 MiB allocation each time was mapped and
    // faulted in anew for each of the 36 matrices a scorer packs.
    uint16_t *rows = hs_thread_scratch(HS_SCRATCH_PACK, sizeof(uint16_t) * (size_t)n * k2);
    if (!rows) return -1;
    for (int j = 0; j < n; ++j) {
        const float *src = b + (size_t)j * ldb;
        uint16_t *out = rows + (size_t)j * k2;
        bf16_of_each(src, out, k);
        if (k2 > k) out[k] = 0;
    }
    int kc_step = kc_step_of_bf16(k);
    for (int jc = 0; jc < n; jc += NC) {
        int nc = n - jc < NC ? n - jc : NC;
        for (int pc = 0; pc < k; pc += kc_step) {  // pc is even: kc_step is
            int kc = k - pc < kc_step ? k - pc : kc_step, pairs = (kc + 1) / 2;
            for (int jr = 0; jr < nc; jr += NR) {
                uint32_t *panel = dst + (size_t)jr * pairs;
                int cols = nc - jr < NR ? nc - jr : NR;
                for (int j = 0; j < NR; ++j) {
                    if (j >= cols) {
                        for (int p = 0; p < pairs; ++p) panel[(size_t)p * NR + j] = 0;
                        continue;
                    }
                    const uint16_t *column = rows + (size_t)(jc + jr + j) * k2 + pc;
                    for (int p = 0; p < pairs; ++p)
                        panel[(size_t)p * NR + j] = (uint32_t)column[2 * p] | (uint32_t)column[2 * p + 1] << 16;
                }
            }
            dst += (size_t)pairs * ((nc + NR - 1) / NR * NR);
        }
    }
    return 0;
}

int hs_bf16_pack_b(int transpose_b, int n, int k, const float *b, int ldb, uint32_t *dst) {
    if (transpose_b && n > 0 && k > 0) return pack_b_transposed(n, k, b, ldb, dst);
    return hs_bf16_pack_b_reference(transpose_b, n, k, b, ldb, dst);
}

#if defined(__x86_64__)
// MXCSR with FTZ and DAZ set (and round to nearest), around the sums of the emulations, as
// vdpbf16ps flushes its results and treats denormal inputs as zero (the rounding to bf16 makes
// none, but a caller's pairs for hs_bf16_gemm_pairs might hold one); returns the old value, which
// the stores run under (C = sum + bias, or sum + C, without flushing).
static inline unsigned flush_to_zero_on(void) {
    unsigned old = _mm_getcsr();
    _mm_setcsr((old | 0x8040u) & ~0x6000u);
    return old;
}
#endif

// The portable loops. Tiles of 4 rows x NR columns, written so that compilers vectorise the
// columns.
//   x: (rows, k2) A as bf16 values, zero past K;  pb: the panel of B;  acc: (4, NR).
// `flushes`: the processor flushes results to zero as dot_step does (x86 with MXCSR.FTZ set:
// tininess is detected after rounding, as vdpbf16ps detects it; checked on Zen 4), so each step
// is one fmaf. Else each step is a plain fmaf, which is dot_step's result unless the step comes
// near FLT_MIN (0 < |r| < 2^-125); a tile where any step did is computed again with dot_step,
// one element at a time.
static inline __attribute__((always_inline)) void portable_tile(int rows, int pairs, const float *x, int ldx,
                                                                const uint32_t *pb, float acc[4][NR], int flushes) {
    const float *row[4] = {x, rows > 1 ? x + ldx : x, rows > 2 ? x + 2 * ldx : x, rows > 3 ? x + 3 * ldx : x};
    int near = 0;
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < NR; ++j) acc[i][j] = 0;
    for (int p = 0; p < pairs; ++p) {
        float odd[NR], even[NR];
        for (int j = 0; j < NR; ++j) {
            odd[j] = float_of(pb[(size_t)p * NR + j] & 0xFFFF0000u);
            even[j] = float_of(pb[(size_t)p * NR + j] << 16);
        }
        for (int i = 0; i < 4; ++i) {
            float xo = row[i][2 * p + 1], xe = row[i][2 * p];
            if (flushes) {
                for (int j = 0; j < NR; ++j) acc[i][j] = __builtin_fmaf(xe, even[j], __builtin_fmaf(xo, odd[j], acc[i][j]));
            } else {
                for (int j = 0; j < NR; ++j) {
                    float r = __builtin_fmaf(xo, odd[j], acc[i][j]);
                    near |= (r != 0) & (fabsf(r) < 0x1p-125f);
                    r = __builtin_fmaf(xe, even[j], r);
                    near |= (r != 0) & (fabsf(r) < 0x1p-125f);
                    acc[i][j] = r;
                }
            }
        }
    }
    if (!near) return;
    for (int i = 0; i < rows; ++i)
        for (int j = 0; j < NR; ++j) {
            float sum = 0;
            for (int p = 0; p < pairs; ++p) {
                uint32_t pair = pb[(size_t)p * NR + j];
                sum = dot_step(sum, row[i][2 * p + 1], float_of(pair & 0xFFFF0000u));
                sum = dot_step(sum, row[i][2 * p], float_of(pair << 16));
            }
            acc[i][j] = sum;
        }
}

static inline __attribute__((always_inline)) int portable_product(int m, int n, int k, const float *a, int lda,
                                                                  const uint32_t *packed_b, const float *bias,
                                                                  float *c, int ldc, int flushes) {
    int kc_step = kc_step_of_bf16(k), k2 = (k + 1) / 2 * 2;
    float *x = malloc(sizeof(float) * (size_t)k2 * 4);  // 4 rows of A as bf16 values
    if (!x) return -1;
    for (int i0 = 0; i0 < m; i0 += 4) {
        int rows = m - i0 < 4 ? m - i0 : 4;
        for (int i = 0; i < rows; ++i)
            for (int p = 0; p < k2; ++p) x[i * k2 + p] = p < k ? float_of_bf16(bf16_of(a[(size_t)(i0 + i) * lda + p])) : 0;
        const uint32_t *block = packed_b;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = n - jc < NC ? n - jc : NC;
            for (int pc = 0; pc < k; pc += kc_step) {
                int kc = k - pc < kc_step ? k - pc : kc_step, pairs = (kc + 1) / 2;
                for (int jr = 0; jr < nc; jr += NR) {
                    float acc[4][NR];
#if defined(__x86_64__)
                    unsigned saved = flushes ? flush_to_zero_on() : 0;
                    portable_tile(rows, pairs, x + pc, k2, block + (size_t)jr * pairs, acc, flushes);
                    if (flushes) _mm_setcsr(saved);
#else
                    portable_tile(rows, pairs, x + pc, k2, block + (size_t)jr * pairs, acc, flushes);
#endif
                    int cols = nc - jr < NR ? nc - jr : NR;
                    for (int i = 0; i < rows; ++i) {
                        float *out = c + (size_t)(i0 + i) * ldc + jc + jr;
                        for (int j = 0; j < cols; ++j) {
                            if (pc == 0) out[j] = bias ? acc[i][j] + bias[jc + jr + j] : acc[i][j];
                            else out[j] = acc[i][j] + out[j];
                        }
                    }
                }
                block += (size_t)pairs * ((nc + NR - 1) / NR * NR);
            }
        }
    }
    free(x);
    return 0;
}

static int bf16_gemm_portable(int m, int n, int k, const float *a, int lda, const uint32_t *packed_b,
                              const float *bias, float *c, int ldc) {
    return portable_product(m, n, k, a, lda, packed_b, bias, c, ldc, 0);
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

// The portable loop vectorised for AVX2 with FMA, flushing as vdpbf16ps does (see portable_tile).
__attribute__((target("avx2,fma"), noinline)) static int portable_product_avx2(
    int m, int n, int k, const float *a, int lda, const uint32_t *packed_b, const float *bias, float *c, int ldc) {
    return portable_product(m, n, k, a, lda, packed_b, bias, c, ldc, 1);
}

static int bf16_gemm_avx2(int m, int n, int k, const float *a, int lda, const uint32_t *packed_b, const float *bias,
                          float *c, int ldc) {
    return portable_product_avx2(m, n, k, a, lda, packed_b, bias, c, ldc);
}

// Each thread's A as bf16 pairs (or bf16 values as floats), `hs_thread_scratch`.
static void *thread_scratch_of(size_t count) { return hs_thread_scratch(HS_SCRATCH_BF16, count * sizeof(uint32_t)); }

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

#define HS_AVX512F __attribute__((target("avx512f")))

// The first block of K: c = acc + bias (bias may be NULL); each later one: c = acc + c. With
// `residual` (the last block only), that sum + the residual's row (row stride ldr) is stored: the
// bits of adding the residual to C afterwards (y += x), without reading and writing C again.
HS_AVX512F static inline void store_tile_bf16(__m512 *acc, float *c, int ldc, const float *bias, int first, int rows, int cols,
                                              const float *residual, int ldr) {
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
        if (residual) {
            const float *r = residual + (size_t)i * ldr;
            x0 = _mm512_add_ps(x0, _mm512_maskz_loadu_ps(mask0, r));
            x1 = _mm512_add_ps(x1, _mm512_maskz_loadu_ps(mask1, r + 16));
        }
        _mm512_mask_storeu_ps(row, mask0, x0);
        _mm512_mask_storeu_ps(row + 16, mask1, x1);
    }
}

// What a tile of the AVX512-BF16 kernel stores besides C = acc + bias (or acc + C): at most one
// of the next product's A after GELU (`gelu_pairs`, row stride ldp pairs) instead of C, or a
// residual row added (`residual`, row stride ldr; NULL when this block of K is not the last).
struct tile_epilogue {
    uint32_t *gelu_pairs;
    int ldp;
    const float *residual;
    int ldr;
};

// The tile of the only block of K as the next product's A (hs_bf16_gemm_gelu): x = acc + bias,
// GELU(x) = x Phi(x) as gelu_forward_avx512 computes it, rounded to bf16 as convert_a rounds it,
// 32 columns (16 pairs) a row at `pairs` (row stride ldp pairs). The same bits as storing C,
// running hs_gelu_forward on it and converting it for the next product.
HS_BF16 static inline void store_tile_gelu_pairs(__m512 *acc, uint32_t *pairs, int ldp, const float *bias, int rows) {
    __m512 bias0 = _mm512_setzero_ps(), bias1 = _mm512_setzero_ps();
    if (bias) {
        bias0 = _mm512_loadu_ps(bias);
        bias1 = _mm512_loadu_ps(bias + 16);
    }
    for (int i = 0; i < rows; ++i) {
        __m512 x0 = acc[2 * i], x1 = acc[2 * i + 1];
        if (bias) {
            x0 = _mm512_add_ps(x0, bias0);
            x1 = _mm512_add_ps(x1, bias1);
        }
        x0 = hs_gelu16(x0);
        x1 = hs_gelu16(x1);
        _mm512_storeu_si512(pairs + (size_t)i * ldp, (__m512i)_mm512_cvtne2ps_pbh(x1, x0));
    }
}

// A tile's sums stored as `e` asks: the next product's A after GELU, or C (with the residual).
HS_BF16 static inline void store_tile(__m512 *acc, struct tile_epilogue e, float *c, int ldc, const float *bias, int first,
                                      int rows, int cols) {
    if (e.gelu_pairs) store_tile_gelu_pairs(acc, e.gelu_pairs, e.ldp, bias, rows);
    else store_tile_bf16(acc, c, ldc, bias, first, rows, cols, e.residual, e.ldr);
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
HS_BF16 static void micro_kernel_bf16(int pairs, const uint32_t *a, int lda, const uint32_t *restrict pb, struct tile_epilogue e, float *c,
                                      int ldc, const float *bias, int first, int rows, int cols) {
    HS_ROW_POINTER(0) HS_ROW_POINTER(1) HS_ROW_POINTER(2) HS_ROW_POINTER(3) HS_ROW_POINTER(4) HS_ROW_POINTER(5)
    HS_ROW_POINTER(6) HS_ROW_POINTER(7) HS_ROW_POINTER(8) HS_ROW_POINTER(9) HS_ROW_POINTER(10) HS_ROW_POINTER(11)
    HS_DECLARE_ACC(0) HS_DECLARE_ACC(1) HS_DECLARE_ACC(2) HS_DECLARE_ACC(3) HS_DECLARE_ACC(4) HS_DECLARE_ACC(5)
    HS_DECLARE_ACC(6) HS_DECLARE_ACC(7) HS_DECLARE_ACC(8) HS_DECLARE_ACC(9) HS_DECLARE_ACC(10) HS_DECLARE_ACC(11)
    for (int p = 0; p < pairs; ++p) {
        __m512bh b0 = (__m512bh)_mm512_load_si512(pb), b1 = (__m512bh)_mm512_load_si512(pb + 16);
        HS_DOT_ROW(0) HS_DOT_ROW(1) HS_DOT_ROW(2) HS_DOT_ROW(3) HS_DOT_ROW(4) HS_DOT_ROW(5)
        HS_DOT_ROW(6) HS_DOT_ROW(7) HS_DOT_ROW(8) HS_DOT_ROW(9) HS_DOT_ROW(10) HS_DOT_ROW(11)
        pb += NR;
    }
    __m512 acc[2 * MR] = {c0a, c0b, c1a, c1b, c2a, c2b, c3a, c3b, c4a, c4b, c5a, c5b,
                          c6a, c6b, c7a, c7b, c8a, c8b, c9a, c9b, c10a, c10b, c11a, c11b};
    store_tile(acc, e, c, ldc, bias, first, rows, cols);
}

HS_BF16 static void micro_kernel_bf16_8(int pairs, const uint32_t *a, int lda, const uint32_t *restrict pb, struct tile_epilogue e, float *c,
                                        int ldc, const float *bias, int first, int rows, int cols) {
    HS_ROW_POINTER(0) HS_ROW_POINTER(1) HS_ROW_POINTER(2) HS_ROW_POINTER(3)
    HS_ROW_POINTER(4) HS_ROW_POINTER(5) HS_ROW_POINTER(6) HS_ROW_POINTER(7)
    HS_DECLARE_ACC(0) HS_DECLARE_ACC(1) HS_DECLARE_ACC(2) HS_DECLARE_ACC(3)
    HS_DECLARE_ACC(4) HS_DECLARE_ACC(5) HS_DECLARE_ACC(6) HS_DECLARE_ACC(7)
    for (int p = 0; p < pairs; ++p) {
        __m512bh b0 = (__m512bh)_mm512_load_si512(pb), b1 = (__m512bh)_mm512_load_si512(pb + 16);
        HS_DOT_ROW(0) HS_DOT_ROW(1) HS_DOT_ROW(2) HS_DOT_ROW(3) HS_DOT_ROW(4) HS_DOT_ROW(5) HS_DOT_ROW(6) HS_DOT_ROW(7)
        pb += NR;
    }
    __m512 acc[16] = {c0a, c0b, c1a, c1b, c2a, c2b, c3a, c3b, c4a, c4b, c5a, c5b, c6a, c6b, c7a, c7b};
    store_tile(acc, e, c, ldc, bias, first, rows, cols);
}

HS_BF16 static void micro_kernel_bf16_4(int pairs, const uint32_t *a, int lda, const uint32_t *restrict pb, struct tile_epilogue e, float *c,
                                        int ldc, const float *bias, int first, int rows, int cols) {
    HS_ROW_POINTER(0) HS_ROW_POINTER(1) HS_ROW_POINTER(2) HS_ROW_POINTER(3)
    HS_DECLARE_ACC(0) HS_DECLARE_ACC(1) HS_DECLARE_ACC(2) HS_DECLARE_ACC(3)
    for (int p = 0; p < pairs; ++p) {
        __m512bh b0 = (__m512bh)_mm512_load_si512(pb), b1 = (__m512bh)_mm512_load_si512(pb + 16);
        HS_DOT_ROW(0) HS_DOT_ROW(1) HS_DOT_ROW(2) HS_DOT_ROW(3)
        pb += NR;
    }
    __m512 acc[8] = {c0a, c0b, c1a, c1b, c2a, c2b, c3a, c3b};
    store_tile(acc, e, c, ldc, bias, first, rows, cols);
}

// vdpbf16ps emulated with AVX-512F, for processors without AVX512-BF16 or with a slow one: A as bf16 values in
// floats, x[2p + 1] then x[2p] (row stride ldx floats); the pairs of B split into their odd and
// even halves; two FMAs a pair, under MXCSR.FTZ (see portable_tile), the store without it. Rows
// past `rows` read row 0 again and are not stored.
#define HS_EMULATED_ROW(i)                                                                          \
    {                                                                                               \
        __m512 odd = _mm512_set1_ps(x##i[2 * p + 1]), even = _mm512_set1_ps(x##i[2 * p]);           \
        c##i##a = _mm512_fmadd_ps(even, b0e, _mm512_fmadd_ps(odd, b0o, c##i##a));                   \
        c##i##b = _mm512_fmadd_ps(even, b1e, _mm512_fmadd_ps(odd, b1o, c##i##b));                   \
    }
#define HS_X_POINTER(i) const float *x##i = rows > i ? x + (size_t)i * ldx : x;

// The loop of the emulated kernel over `pairs` pairs of k, for the rows ROWS_STEP steps, under
// MXCSR.FTZ (restored after it).
#define HS_EMULATED_LOOP(ROWS_STEP)                                                                 \
    __m512i high = _mm512_set1_epi32((int)0xFFFF0000u);                                             \
    unsigned saved = flush_to_zero_on();                                                            \
    for (int p = 0; p < pairs; ++p) {                                                               \
        __m512i v0 = _mm512_load_si512(pb), v1 = _mm512_load_si512(pb + 16);                        \
        __m512 b0o = _mm512_castsi512_ps(_mm512_and_si512(v0, high));                               \
        __m512 b0e = _mm512_castsi512_ps(_mm512_slli_epi32(v0, 16));                                \
        __m512 b1o = _mm512_castsi512_ps(_mm512_and_si512(v1, high));                               \
        __m512 b1e = _mm512_castsi512_ps(_mm512_slli_epi32(v1, 16));                                \
        ROWS_STEP                                                                                   \
        pb += NR;                                                                                   \
    }                                                                                               \
    _mm_setcsr(saved);
#define HS_ACC_OUT(i) acc[2 * i] = c##i##a, acc[2 * i + 1] = c##i##b;

// The sums of a tile of the emulated kernel, acc[2i] and acc[2i + 1] row i's two vectors of 16:
// 12 rows, or 8 or 4 (emulated_sums_8, _4) for the last rows of a product (rows past `rows` read
// row 0 again). Path 2 stores them (micro_kernel_emulated); so does an AVX512-BF16 kernel they are
// inlined into (emulated_tile_bf16), as the native kernel's tiles are stored.
HS_AVX512F static inline __attribute__((always_inline)) void emulated_sums(int pairs, const float *x, int ldx,
                                                                          const uint32_t *restrict pb, int rows,
                                                                          __m512 *acc) {
    HS_X_POINTER(0) HS_X_POINTER(1) HS_X_POINTER(2) HS_X_POINTER(3) HS_X_POINTER(4) HS_X_POINTER(5)
    HS_X_POINTER(6) HS_X_POINTER(7) HS_X_POINTER(8) HS_X_POINTER(9) HS_X_POINTER(10) HS_X_POINTER(11)
    HS_DECLARE_ACC(0) HS_DECLARE_ACC(1) HS_DECLARE_ACC(2) HS_DECLARE_ACC(3) HS_DECLARE_ACC(4) HS_DECLARE_ACC(5)
    HS_DECLARE_ACC(6) HS_DECLARE_ACC(7) HS_DECLARE_ACC(8) HS_DECLARE_ACC(9) HS_DECLARE_ACC(10) HS_DECLARE_ACC(11)
    HS_EMULATED_LOOP(HS_EMULATED_ROW(0) HS_EMULATED_ROW(1) HS_EMULATED_ROW(2) HS_EMULATED_ROW(3) HS_EMULATED_ROW(4)
                     HS_EMULATED_ROW(5) HS_EMULATED_ROW(6) HS_EMULATED_ROW(7) HS_EMULATED_ROW(8) HS_EMULATED_ROW(9)
                     HS_EMULATED_ROW(10) HS_EMULATED_ROW(11))
    HS_ACC_OUT(0) HS_ACC_OUT(1) HS_ACC_OUT(2) HS_ACC_OUT(3) HS_ACC_OUT(4) HS_ACC_OUT(5)
    HS_ACC_OUT(6) HS_ACC_OUT(7) HS_ACC_OUT(8) HS_ACC_OUT(9) HS_ACC_OUT(10) HS_ACC_OUT(11)
}

HS_AVX512F static inline __attribute__((always_inline)) void emulated_sums_8(int pairs, const float *x, int ldx,
                                                                            const uint32_t *restrict pb, int rows,
                                                                            __m512 *acc) {
    HS_X_POINTER(0) HS_X_POINTER(1) HS_X_POINTER(2) HS_X_POINTER(3) HS_X_POINTER(4) HS_X_POINTER(5)
    HS_X_POINTER(6) HS_X_POINTER(7)
    HS_DECLARE_ACC(0) HS_DECLARE_ACC(1) HS_DECLARE_ACC(2) HS_DECLARE_ACC(3) HS_DECLARE_ACC(4) HS_DECLARE_ACC(5)
    HS_DECLARE_ACC(6) HS_DECLARE_ACC(7)
    HS_EMULATED_LOOP(HS_EMULATED_ROW(0) HS_EMULATED_ROW(1) HS_EMULATED_ROW(2) HS_EMULATED_ROW(3) HS_EMULATED_ROW(4)
                     HS_EMULATED_ROW(5) HS_EMULATED_ROW(6) HS_EMULATED_ROW(7))
    HS_ACC_OUT(0) HS_ACC_OUT(1) HS_ACC_OUT(2) HS_ACC_OUT(3) HS_ACC_OUT(4) HS_ACC_OUT(5) HS_ACC_OUT(6) HS_ACC_OUT(7)
}

HS_AVX512F static inline __attribute__((always_inline)) void emulated_sums_4(int pairs, const float *x, int ldx,
                                                                            const uint32_t *restrict pb, int rows,
                                                                            __m512 *acc) {
    HS_X_POINTER(0) HS_X_POINTER(1) HS_X_POINTER(2) HS_X_POINTER(3)
    HS_DECLARE_ACC(0) HS_DECLARE_ACC(1) HS_DECLARE_ACC(2) HS_DECLARE_ACC(3)
    HS_EMULATED_LOOP(HS_EMULATED_ROW(0) HS_EMULATED_ROW(1) HS_EMULATED_ROW(2) HS_EMULATED_ROW(3))
    HS_ACC_OUT(0) HS_ACC_OUT(1) HS_ACC_OUT(2) HS_ACC_OUT(3)
}

// The sums of the emulated tile `rows` high: the 4-, 8- or 12-row loop.
HS_AVX512F static inline __attribute__((always_inline)) void emulated_sums_of_height(int pairs, const float *x, int ldx,
                                                                                    const uint32_t *restrict pb, int rows,
                                                                                    __m512 *acc) {
    if (rows <= 4) emulated_sums_4(pairs, x, ldx, pb, rows, acc);
    else if (rows <= 8) emulated_sums_8(pairs, x, ldx, pb, rows, acc);
    else emulated_sums(pairs, x, ldx, pb, rows, acc);
}

HS_AVX512F static void micro_kernel_emulated(int pairs, const float *x, int ldx, const uint32_t *restrict pb, float *c,
                                             int ldc, const float *bias, int first, int rows, int cols) {
    __m512 acc[2 * MR];
    emulated_sums_of_height(pairs, x, ldx, pb, rows, acc);
    store_tile_bf16(acc, c, ldc, bias, first, rows, cols, 0, 0);
}

HS_AVX512F __attribute__((noinline)) static void emulated_blocks(int m, int n, int k, const float *x, int k2,
                                                                 const uint32_t *packed_b, const float *bias, float *c,
                                                                 int ldc) {
    int kc_step = kc_step_of_bf16(k);
    const uint32_t *block = packed_b;
    for (int jc = 0; jc < n; jc += NC) {
        int nc = n - jc < NC ? n - jc : NC;
        for (int pc = 0; pc < k; pc += kc_step) {
            int kc = k - pc < kc_step ? k - pc : kc_step, pairs = (kc + 1) / 2;
            for (int ic = 0; ic < m; ic += MC) {
                int mc = m - ic < MC ? m - ic : MC;
                for (int ir = 0; ir < mc; ir += MR) {
                    int rows = mc - ir < MR ? mc - ir : MR;
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = nc - jr < NR ? nc - jr : NR;
                        micro_kernel_emulated(pairs, x + (size_t)(ic + ir) * k2 + pc, k2, block + (size_t)jr * pairs,
                                              c + (size_t)(ic + ir) * ldc + jc + jr, ldc, bias ? bias + jc + jr : 0,
                                              pc == 0, rows, cols);
                    }
                }
            }
            block += (size_t)pairs * ((nc + NR - 1) / NR * NR);
        }
    }
}

static int bf16_gemm_emulated(int m, int n, int k, const float *a, int lda, const uint32_t *packed_b, const float *bias,
                              float *c, int ldc) {
    int k2 = (k + 1) / 2 * 2;
    float *x = thread_scratch_of((size_t)m * k2);
    if (!x) return -1;
    for (int i = 0; i < m; ++i)
        for (int p = 0; p < k2; ++p) x[(size_t)i * k2 + p] = p < k ? float_of_bf16(bf16_of(a[(size_t)i * lda + p])) : 0;
    emulated_blocks(m, n, k, x, k2, packed_b, bias, c, ldc);
    return 0;
}

// A tile of the emulated kernel stored as the native kernel's tiles are (micro_kernel_bf16): the
// same sums, so the same bits. x: the tile's rows of A as floats (emulated_floats_of_pairs).
HS_BF16 static void emulated_tile_bf16(int pairs, const float *x, int ldx, const uint32_t *restrict pb, struct tile_epilogue e,
                                       float *c, int ldc, const float *bias, int first, int rows, int cols) {
    __m512 acc[2 * MR];
    emulated_sums_of_height(pairs, x, ldx, pb, rows, acc);
    store_tile(acc, e, c, ldc, bias, first, rows, cols);
}

// `rows` rows of `pairs` pairs of A (row stride row_pairs pairs) as the floats the emulated kernel
// reads: x (row stride 2 * pairs) holds each bf16 value widened, in the order of k.
HS_BF16 static void emulated_floats_of_pairs(const uint32_t *a, int row_pairs, int rows, int pairs, float *x) {
    int count = 2 * pairs;
    for (int i = 0; i < rows; ++i) {
        const uint16_t *src = (const uint16_t *)(a + (size_t)i * row_pairs);
        float *dst = x + (size_t)i * count;
        int p = 0;
        for (; p + 16 <= count; p += 16) {
            __m512i wide = _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)(src + p)));
            _mm512_storeu_ps(dst + p, _mm512_castsi512_ps(_mm512_slli_epi32(wide, 16)));
        }
        for (; p < count; ++p) dst[p] = float_of_bf16(src[p]);
    }
}

// The blocks of the product over A in pairs (row stride row_pairs pairs): C, or with `gelu_pairs`
// (one block of K, N a multiple of NR) the next product's A (store_tile_gelu_pairs). `emulated`:
// each tile's sums by emulated_sums instead of vdpbf16ps (the same bits; faster where the
// instruction is slow, hs_bf16_dot_here). Returns 0, or -1 when a scratch allocation failed.
HS_BF16 static int blocks_avx512(int m, int n, int k, const uint32_t *pairs_of_a, int row_pairs,
                                 const uint32_t *packed_b, const float *bias, float *c, int ldc,
                                 uint32_t *gelu_pairs, int ldp, const float *residual, int ldr, int emulated) {
    int kc_step = kc_step_of_bf16(k);
    float *x = 0;
    if (emulated) {
        x = hs_thread_scratch(HS_SCRATCH_BF16_FLOATS, sizeof(float) * (size_t)MR * (size_t)(kc_step + 1));
        if (!x) return -1;
    }
    const uint32_t *block = packed_b;
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
                    if (emulated) emulated_floats_of_pairs(tile_a, row_pairs, rows, pairs, x);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = nc - jr < NR ? nc - jr : NR;
                        const float *tile_bias = bias ? bias + jc + jr : 0;
                        float *tile = c ? c + (size_t)(ic + ir) * ldc + jc + jr : 0;
                        struct tile_epilogue e = {
                            gelu_pairs ? gelu_pairs + (size_t)(ic + ir) * ldp + (jc + jr) / 2 : 0, ldp,
                            residual && pc + kc >= k ? residual + (size_t)(ic + ir) * ldr + jc + jr : 0, ldr};
                        if (emulated)
                            emulated_tile_bf16(pairs, x, 2 * pairs, block + (size_t)jr * pairs, e, tile, ldc, tile_bias, first,
                                               rows, cols);
                        else
                            (rows <= 4 ? micro_kernel_bf16_4 : rows <= 8 ? micro_kernel_bf16_8 : micro_kernel_bf16)(
                                pairs, tile_a, row_pairs, block + (size_t)jr * pairs, e, tile, ldc, tile_bias, first, rows,
                                cols);
                    }
                }
            }
            block += (size_t)pairs * ((nc + NR - 1) / NR * NR);
        }
    }
    return 0;
}

static int bf16_gemm_avx512(int m, int n, int k, const float *a, int lda, const uint32_t *packed_b,
                            const float *bias, float *c, int ldc, uint32_t *gelu_pairs, int ldp,
                            const float *residual, int ldr, int emulated) {
    int k2 = (k + 1) / 2 * 2, row_pairs = k2 / 2;
    uint32_t *pairs_of_a = thread_scratch_of((size_t)m * row_pairs);
    if (!pairs_of_a) return -1;
    convert_a(m, k, a, lda, pairs_of_a, k2);
    return blocks_avx512(m, n, k, pairs_of_a, row_pairs, packed_b, bias, c, ldc, gelu_pairs, ldp, residual, ldr, emulated);
}

// Seconds of the best of 5 runs of 64 tiles (12 x 32, K = 384) by the native or the emulated sums.
HS_BF16 static double seconds_of_tiles(int emulated) {
    enum { PAIRS = 192 };
    // On the stack (about 54 KB); B is read with aligned loads.
    uint32_t a[MR * PAIRS];
    uint32_t b[PAIRS * NR] __attribute__((aligned(64)));
    float x[MR * 2 * PAIRS], c[MR * NR];
    for (int i = 0; i < MR * PAIRS; ++i) a[i] = 0x3F003E80u + (uint32_t)(i % 7);  // bf16 pairs near 0.25 and 0.5
    for (int i = 0; i < PAIRS * NR; ++i) b[i] = 0x3E803F00u + (uint32_t)(i % 5);
    emulated_floats_of_pairs(a, PAIRS, MR, PAIRS, x);
    struct tile_epilogue e = {0, 0, 0, 0};
    double best = 1e30;
    for (int run = 0; run < 5; ++run) {
        struct timespec start, end;
        clock_gettime(CLOCK_MONOTONIC, &start);
        for (int t = 0; t < 64; ++t) {
            if (emulated) emulated_tile_bf16(PAIRS, x, 2 * PAIRS, b, e, c, NR, 0, 1, MR, NR);
            else micro_kernel_bf16(PAIRS, a, PAIRS, b, e, c, NR, 0, 1, MR, NR);
            __asm__ volatile("" : : "r"(c) : "memory");  // each tile's stores are kept
        }
        clock_gettime(CLOCK_MONOTONIC, &end);
        double seconds = (double)(end.tv_sec - start.tv_sec) + 1e-9 * (double)(end.tv_nsec - start.tv_nsec);
        if (seconds < best) best = seconds;
    }
    return best;
}

static int dot_here = 0;

static void choose_dot(void) {
    const char *choice = getenv("HOUSESTYLE_BF16_DOT");
    if (!hs_bf16_kernel_available()) dot_here = 0;
    else if (choice && strcmp(choice, "native") == 0) dot_here = 1;
    else if (choice && strcmp(choice, "emulated") == 0) dot_here = 2;
    else {
        // Warm both up once, then time them; vdpbf16ps unless clearly slower (Zen 4: about twice
        // the emulation's rate; Emerald Rapids: about 0.6 times).
        (void)seconds_of_tiles(0), (void)seconds_of_tiles(1);
        dot_here = seconds_of_tiles(1) * 1.25 < seconds_of_tiles(0) ? 2 : 1;
    }
}

int hs_bf16_dot_here(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, choose_dot);
    return dot_here;
}

// The inner kernel of `dot` (0: hs_bf16_dot_here, 1: vdpbf16ps, 2: emulated); -1 for an unknown one.
static int emulated_of(int dot) {
    switch (dot) {
    case 0: return hs_bf16_dot_here() == 2;
    case 1: return 0;
    case 2: return 1;
    default: return -1;
    }
}

int hs_bf16_gelu_fusable(int n, int k) {
    return hs_bf16_kernel_available() && hs_elementwise_level() == 2 && n > 0 && n % NR == 0 && k > 0 &&
           kc_step_of_bf16(k) >= k;
}

int hs_bf16_gemm_gelu(int m, int n, int k, const float *a, int lda, const uint32_t *packed_b, const float *bias,
                      uint32_t *pairs, int ldp, int dot) {
    int emulated = emulated_of(dot);
    if (!hs_bf16_gelu_fusable(n, k) || emulated < 0) return -2;
    if (m <= 0) return 0;
    return bf16_gemm_avx512(m, n, k, a, lda, packed_b, bias, 0, 0, pairs, ldp, 0, 0, emulated);
}

int hs_bf16_gemm_pairs(int m, int n, int k, const uint32_t *pairs, int ldp, const uint32_t *packed_b,
                       const float *bias, float *c, int ldc, const float *residual, int ldr, int dot) {
    int emulated = emulated_of(dot);
    if (!hs_bf16_kernel_available() || k <= 0 || emulated < 0) return -2;
    if (m <= 0 || n <= 0) return 0;
    return blocks_avx512(m, n, k, pairs, ldp, packed_b, bias, c, ldc, 0, 0, residual, ldr, emulated);
}

int hs_bf16_gemm_add(int m, int n, int k, const float *a, int lda, const uint32_t *packed_b, const float *bias,
                     float *c, int ldc, const float *residual, int ldr, int dot) {
    int emulated = emulated_of(dot);
    if (!hs_bf16_kernel_available() || k <= 0 || emulated < 0) return -2;
    if (m <= 0 || n <= 0) return 0;
    return bf16_gemm_avx512(m, n, k, a, lda, packed_b, bias, c, ldc, 0, 0, residual, ldr, emulated);
}

#else

int hs_bf16_kernel_available(void) { return 0; }

int hs_bf16_dot_here(void) { return 0; }

int hs_bf16_gelu_fusable(int n, int k) { (void)n; (void)k; return 0; }

int hs_bf16_gemm_gelu(int m, int n, int k, const float *a, int lda, const uint32_t *packed_b, const float *bias,
                      uint32_t *pairs, int ldp, int dot) {
    (void)m; (void)n; (void)k; (void)a; (void)lda; (void)packed_b; (void)bias; (void)pairs; (void)ldp; (void)dot;
    return -2;
}

int hs_bf16_gemm_pairs(int m, int n, int k, const uint32_t *pairs, int ldp, const uint32_t *packed_b,
                       const float *bias, float *c, int ldc, const float *residual, int ldr, int dot) {
    (void)m; (void)n; (void)k; (void)pairs; (void)ldp; (void)packed_b; (void)bias; (void)c; (void)ldc;
    (void)residual; (void)ldr; (void)dot;
    return -2;
}

int hs_bf16_gemm_add(int m, int n, int k, const float *a, int lda, const uint32_t *packed_b, const float *bias,
                     float *c, int ldc, const float *residual, int ldr, int dot) {
    (void)m; (void)n; (void)k; (void)a; (void)lda; (void)packed_b; (void)bias; (void)c; (void)ldc;
    (void)residual; (void)ldr; (void)dot;
    return -2;
}

#endif

int hs_bf16_path_available(int path) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    switch (path) {
    case 0: case 4: return 1;
    case 1: return hs_bf16_kernel_available();
    case 2: return __builtin_cpu_supports("avx512f") ? 1 : 0;
    case 3: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? 1 : 0;
    default: return 0;
    }
#else
    return path == 0 || path == 4;
#endif
}

int hs_bf16_gemm(int m, int n, int k, const float *a, int lda, const uint32_t *packed_b, const float *bias,
                 float *c, int ldc, int path) {
    if (!hs_bf16_path_available(path)) return -2;
    if (m <= 0 || n <= 0) return 0;
    if (k <= 0) {
        for (int i = 0; i < m; ++i)
            for (int j = 0; j < n; ++j) c[(size_t)i * ldc + j] = bias ? bias[j] : 0;
        return 0;
    }
#if defined(__x86_64__)
    // The fastest: on an AVX512-BF16 processor, its faster inner kernel (hs_bf16_dot_here).
    int emulated_dot = 0;
    if (path == 0) {
        const char *choice = getenv("HOUSESTYLE_KERNELS");
        int portable_only = choice && strcmp(choice, "portable") == 0;
        path = portable_only ? 4 : hs_bf16_path_available(1) ? 1 : hs_bf16_path_available(2) ? 2 : hs_bf16_path_available(3) ? 3 : 4;
        emulated_dot = path == 1 && hs_bf16_dot_here() == 2;
    }
    switch (path) {
    case 1: return bf16_gemm_avx512(m, n, k, a, lda, packed_b, bias, c, ldc, 0, 0, 0, 0, emulated_dot);
    case 2: return bf16_gemm_emulated(m, n, k, a, lda, packed_b, bias, c, ldc);
    case 3: return bf16_gemm_avx2(m, n, k, a, lda, packed_b, bias, c, ldc);
    default: return bf16_gemm_portable(m, n, k, a, lda, packed_b, bias, c, ldc);
    }
#else
    return bf16_gemm_portable(m, n, k, a, lda, packed_b, bias, c, ldc);
#endif
}
