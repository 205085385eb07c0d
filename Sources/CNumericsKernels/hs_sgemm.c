// A single-threaded AVX-512 sgemm for the encoder's projections (BLIS-style blocking).
//
// OpenBLAS 0.3.21 is pinned to its AVX2 (Haswell) kernels on this project's machines, whose
// processors run 512-bit FMAs at full width; this kernel uses them. Layout, all row-major:
//   op(A): (M, K) is packed in panels of MR rows: panel[k][i]   (alpha folded in)
//   op(B): (K, N) is packed in panels of NR columns: panel[k][j]
// (the activations, row-major and not transposed, are read in place instead of packed)
// and the micro-kernel keeps an MR x NR tile of C in 24 zmm registers: per k it loads two
// vectors of B and broadcasts MR values of A (24 FMAs). An A micro-panel (MR x KC, 18 KiB at
// KC = 384) stays in L1 while the B block (KC x NC, 768 KiB) streams past it from L2: the loop
// over B's panels is the inner one. On Zen 4 (32 KiB L1, 1 MiB L2) this order and these block
// sizes reach 80-83% of the FMA peak on the encoder's shapes, against 70-75% for the opposite
// order (B panel in L1, KC 256, NC 1536), which spilled L1 and L2.
#include "hs_kernels.h"
#include "hs_math16.h"
#include "hs_scratch.h"
#include "hs_transpose.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

enum { MR = 12, NR = 32, KC_MAX = 384, MC = 192, NC = 512 };

int hs_sgemm_available(void) {
#if defined(__x86_64__)
    static int state = -1;  // benign race: every thread computes the same value
    if (state < 0) {
        // HOUSESTYLE_KERNELS=portable forces the fallbacks (OpenBLAS and the Swift loops), to test them here.
        const char *choice = getenv("HOUSESTYLE_KERNELS");
        __builtin_cpu_init();
        state = (choice && strcmp(choice, "portable") == 0) ? 0 : __builtin_cpu_supports("avx512f") ? 1 : 0;
    }
    return state;
#else
    return 0;
#endif
}

#if defined(__x86_64__)

// panel[p][i] = alpha * op(A)[i0 + i][p0 + p] for the mc rows from i0, zero past mc.
__attribute__((target("avx512f"))) static void pack_a(int transpose, const float *a, int lda, int i0, int p0, int mc,
                                                      int kc, float alpha, float *dst) {
    __m512 valpha = _mm512_set1_ps(alpha);
    for (int ir = 0; ir < mc; ir += MR) {
        int rows = mc - ir < MR ? mc - ir : MR;
        float *panel = dst + ir * kc;
        if (transpose) {  // element (i, p) at a[p * lda + i]: rows of a give contiguous i
            // One masked vector a p (the LoRA gradients' dy^T: 4096 deep), the products of the
            // scalar loop it replaced (1% of the step at T 128), zero past `rows`.
            __mmask16 valid = (__mmask16)((1u << rows) - 1), panel_row = (__mmask16)((1u << MR) - 1);
            for (int p = 0; p < kc; ++p) {
                __m512 x = _mm512_maskz_loadu_ps(valid, a + (size_t)(p0 + p) * lda + i0 + ir);
                _mm512_mask_storeu_ps(panel + p * MR, panel_row, _mm512_maskz_mul_ps(valid, valpha, x));
            }
        } else {  // element (i, p) at a[i * lda + p]
            for (int i = 0; i < rows; ++i) {
                const float *src = a + (size_t)(i0 + ir + i) * lda + p0;
                for (int p = 0; p < kc; ++p) panel[p * MR + i] = alpha * src[p];
            }
            for (int i = rows; i < MR; ++i)
                for (int p = 0; p < kc; ++p) panel[p * MR + i] = 0;
        }
    }
}

// dst[p * NR + j] = src[j * ld + p] for j < 16, p < depth (<= 16): a 16 x 16 block of B^T
// transposed in registers (the encoder's weights are stored (O, I), so op(B) = W^T), instead of
// 256 scalar stores 128 bytes apart. Rows are loaded masked past `depth`.
__attribute__((target("avx512f"))) static void transpose_block(const float *src, int ld, float *dst, int depth) {
    __mmask16 mask = depth >= 16 ? 0xFFFF : (__mmask16)((1u << depth) - 1);
    __m512 r[16], column[16];
    for (int j = 0; j < 16; ++j) r[j] = _mm512_maskz_loadu_ps(mask, src + (size_t)j * ld);
    hs_transpose_16x16(r, column);
    for (int p = 0; p < depth; ++p) _mm512_store_ps(dst + (size_t)p * NR, column[p]);
}

// panel[p][j] = op(B)[p0 + p][j0 + j] for the nc columns from j0, zero past nc.
__attribute__((target("avx512f"))) static void pack_b(int transpose, const float *b, int ldb, int p0, int j0, int kc, int nc,
                                                      float *dst) {
    for (int jr = 0; jr < nc; jr += NR) {
        int cols = nc - jr < NR ? nc - jr : NR;
        float *panel = dst + jr * kc;
        if (transpose && cols == NR) {  // element (p, j) at b[j * ldb + p]: 16 x 16 blocks transposed in registers
            for (int p = 0; p < kc; p += 16) {
                int depth = kc - p < 16 ? kc - p : 16;
                for (int half = 0; half < 2; ++half)
                    transpose_block(b + (size_t)(j0 + jr + 16 * half) * ldb + p0 + p, ldb, panel + p * NR + 16 * half, depth);
            }
        } else if (transpose) {
            for (int j = 0; j < cols; ++j) {
                const float *src = b + (size_t)(j0 + jr + j) * ldb + p0;
                for (int p = 0; p < kc; ++p) panel[p * NR + j] = src[p];
            }
            for (int j = cols; j < NR; ++j)
                for (int p = 0; p < kc; ++p) panel[p * NR + j] = 0;
        } else {  // element (p, j) at b[p * ldb + j]: two masked vectors a p, zero past cols
            __mmask16 mask0 = cols >= 16 ? 0xFFFF : (__mmask16)((1u << cols) - 1);
            __mmask16 mask1 = cols >= 32 ? 0xFFFF : cols <= 16 ? 0 : (__mmask16)((1u << (cols - 16)) - 1);
            for (int p = 0; p < kc; ++p) {
                const float *src = b + (size_t)(p0 + p) * ldb + j0 + jr;
                _mm512_storeu_ps(panel + p * NR, _mm512_maskz_loadu_ps(mask0, src));
                _mm512_storeu_ps(panel + p * NR + 16, _mm512_maskz_loadu_ps(mask1, src + 16));
            }
        }
    }
}

#define HS_AVX512 __attribute__((target("avx512f")))

// The MR x NR tile's 24 accumulators, the k loop's body given the B panel pointer `pb`, and
// the store: c (rows x cols) = alpha * acc + beta * c + bias.
#define HS_DECLARE_ACC(i) __m512 c##i##a = _mm512_setzero_ps(), c##i##b = _mm512_setzero_ps();
#define HS_FMA_ROW(i, value)                                                                        \
    {                                                                                               \
        __m512 ai = _mm512_set1_ps(value);                                                          \
        c##i##a = _mm512_fmadd_ps(ai, b0, c##i##a);                                                 \
        c##i##b = _mm512_fmadd_ps(ai, b1, c##i##b);                                                 \
    }

HS_AVX512 static void store_tile(__m512 *acc, float *c, int ldc, float alpha, float beta, const float *bias,
                                 int rows, int cols) {
    __mmask16 mask0 = cols >= 16 ? 0xFFFF : (__mmask16)((1u << cols) - 1);
    __mmask16 mask1 = cols >= 32 ? 0xFFFF : cols <= 16 ? 0 : (__mmask16)((1u << (cols - 16)) - 1);
    __m512 vbeta = _mm512_set1_ps(beta), valpha = _mm512_set1_ps(alpha);
    __m512 bias0 = _mm512_setzero_ps(), bias1 = _mm512_setzero_ps();
    if (bias) {
        bias0 = _mm512_maskz_loadu_ps(mask0, bias);
        bias1 = _mm512_maskz_loadu_ps(mask1, bias + 16);
    }
    for (int i = 0; i < rows; ++i) {
        float *row = c + (size_t)i * ldc;
        __m512 x0 = acc[2 * i], x1 = acc[2 * i + 1];
        if (alpha != 1) {
            x0 = _mm512_mul_ps(valpha, x0);
            x1 = _mm512_mul_ps(valpha, x1);
        }
        if (bias) {
            x0 = _mm512_add_ps(x0, bias0);
            x1 = _mm512_add_ps(x1, bias1);
        }
        if (beta != 0) {
            x0 = _mm512_fmadd_ps(vbeta, _mm512_maskz_loadu_ps(mask0, row), x0);
            x1 = _mm512_fmadd_ps(vbeta, _mm512_maskz_loadu_ps(mask1, row + 16), x1);
        }
        _mm512_mask_storeu_ps(row, mask0, x0);
        _mm512_mask_storeu_ps(row + 16, mask1, x1);
    }
}

#define HS_TILE_ARRAY                                                                               \
    __m512 acc[2 * MR] = {c0a, c0b, c1a, c1b, c2a, c2b, c3a, c3b, c4a, c4b, c5a, c5b,                \
                          c6a, c6b, c7a, c7b, c8a, c8b, c9a, c9b, c10a, c10b, c11a, c11b};

// A packed: pa[p * MR + i] (alpha already folded in).
HS_AVX512 static void micro_kernel_packed(int kc, const float *restrict pa, const float *restrict pb, float *c, int ldc,
                                          float beta, const float *bias, int rows, int cols) {
    HS_DECLARE_ACC(0) HS_DECLARE_ACC(1) HS_DECLARE_ACC(2) HS_DECLARE_ACC(3) HS_DECLARE_ACC(4) HS_DECLARE_ACC(5)
    HS_DECLARE_ACC(6) HS_DECLARE_ACC(7) HS_DECLARE_ACC(8) HS_DECLARE_ACC(9) HS_DECLARE_ACC(10) HS_DECLARE_ACC(11)
    for (int p = 0; p < kc; ++p) {
        __m512 b0 = _mm512_load_ps(pb), b1 = _mm512_load_ps(pb + 16);
        HS_FMA_ROW(0, pa[0]) HS_FMA_ROW(1, pa[1]) HS_FMA_ROW(2, pa[2]) HS_FMA_ROW(3, pa[3])
        HS_FMA_ROW(4, pa[4]) HS_FMA_ROW(5, pa[5]) HS_FMA_ROW(6, pa[6]) HS_FMA_ROW(7, pa[7])
        HS_FMA_ROW(8, pa[8]) HS_FMA_ROW(9, pa[9]) HS_FMA_ROW(10, pa[10]) HS_FMA_ROW(11, pa[11])
        pa += MR;
        pb += NR;
    }
    HS_TILE_ARRAY
    store_tile(acc, c, ldc, 1, beta, bias, rows, cols);
}

// A read in place, row-major with row stride lda (no packing: the encoder's activations are
// already laid out by rows). Rows past `rows` read row 0 again and are not stored.
HS_AVX512 static void micro_kernel_direct(int kc, const float *a, int lda, const float *restrict pb, float *c, int ldc,
                                          float alpha, float beta, const float *bias, int rows, int cols) {
    const float *a0 = a, *a1 = rows > 1 ? a + (size_t)lda : a, *a2 = rows > 2 ? a + 2 * (size_t)lda : a;
    const float *a3 = rows > 3 ? a + 3 * (size_t)lda : a, *a4 = rows > 4 ? a + 4 * (size_t)lda : a;
    const float *a5 = rows > 5 ? a + 5 * (size_t)lda : a, *a6 = rows > 6 ? a + 6 * (size_t)lda : a;
    const float *a7 = rows > 7 ? a + 7 * (size_t)lda : a, *a8 = rows > 8 ? a + 8 * (size_t)lda : a;
    const float *a9 = rows > 9 ? a + 9 * (size_t)lda : a, *a10 = rows > 10 ? a + 10 * (size_t)lda : a;
    const float *a11 = rows > 11 ? a + 11 * (size_t)lda : a;
    HS_DECLARE_ACC(0) HS_DECLARE_ACC(1) HS_DECLARE_ACC(2) HS_DECLARE_ACC(3) HS_DECLARE_ACC(4) HS_DECLARE_ACC(5)
    HS_DECLARE_ACC(6) HS_DECLARE_ACC(7) HS_DECLARE_ACC(8) HS_DECLARE_ACC(9) HS_DECLARE_ACC(10) HS_DECLARE_ACC(11)
    for (int p = 0; p < kc; ++p) {
        __m512 b0 = _mm512_load_ps(pb), b1 = _mm512_load_ps(pb + 16);
        HS_FMA_ROW(0, a0[p]) HS_FMA_ROW(1, a1[p]) HS_FMA_ROW(2, a2[p]) HS_FMA_ROW(3, a3[p])
        HS_FMA_ROW(4, a4[p]) HS_FMA_ROW(5, a5[p]) HS_FMA_ROW(6, a6[p]) HS_FMA_ROW(7, a7[p])
        HS_FMA_ROW(8, a8[p]) HS_FMA_ROW(9, a9[p]) HS_FMA_ROW(10, a10[p]) HS_FMA_ROW(11, a11[p])
        pb += NR;
    }
    HS_TILE_ARRAY
    store_tile(acc, c, ldc, alpha, beta, bias, rows, cols);
}

// The same for a last tile of at most 4 or 8 rows (short sentences one or two at a time: a
// 14-row product took two full 12-row tiles). Each element of C is the same sum in the same
// order as in the 12-row kernel (one FMA per k, from zero), so the results are identical.
HS_AVX512 static void micro_kernel_direct4(int kc, const float *a, int lda, const float *restrict pb, float *c, int ldc,
                                           float alpha, float beta, const float *bias, int rows, int cols) {
    const float *a0 = a, *a1 = rows > 1 ? a + (size_t)lda : a, *a2 = rows > 2 ? a + 2 * (size_t)lda : a;
    const float *a3 = rows > 3 ? a + 3 * (size_t)lda : a;
    HS_DECLARE_ACC(0) HS_DECLARE_ACC(1) HS_DECLARE_ACC(2) HS_DECLARE_ACC(3)
    for (int p = 0; p < kc; ++p) {
        __m512 b0 = _mm512_load_ps(pb), b1 = _mm512_load_ps(pb + 16);
        HS_FMA_ROW(0, a0[p]) HS_FMA_ROW(1, a1[p]) HS_FMA_ROW(2, a2[p]) HS_FMA_ROW(3, a3[p])
        pb += NR;
    }
    __m512 acc[8] = {c0a, c0b, c1a, c1b, c2a, c2b, c3a, c3b};
    store_tile(acc, c, ldc, alpha, beta, bias, rows, cols);
}

HS_AVX512 static void micro_kernel_direct8(int kc, const float *a, int lda, const float *restrict pb, float *c, int ldc,
                                           float alpha, float beta, const float *bias, int rows, int cols) {
    const float *a0 = a, *a1 = rows > 1 ? a + (size_t)lda : a, *a2 = rows > 2 ? a + 2 * (size_t)lda : a;
    const float *a3 = rows > 3 ? a + 3 * (size_t)lda : a, *a4 = rows > 4 ? a + 4 * (size_t)lda : a;
    const float *a5 = rows > 5 ? a + 5 * (size_t)lda : a, *a6 = rows > 6 ? a + 6 * (size_t)lda : a;
    const float *a7 = rows > 7 ? a + 7 * (size_t)lda : a;
    HS_DECLARE_ACC(0) HS_DECLARE_ACC(1) HS_DECLARE_ACC(2) HS_DECLARE_ACC(3)
    HS_DECLARE_ACC(4) HS_DECLARE_ACC(5) HS_DECLARE_ACC(6) HS_DECLARE_ACC(7)
    for (int p = 0; p < kc; ++p) {
        __m512 b0 = _mm512_load_ps(pb), b1 = _mm512_load_ps(pb + 16);
        HS_FMA_ROW(0, a0[p]) HS_FMA_ROW(1, a1[p]) HS_FMA_ROW(2, a2[p]) HS_FMA_ROW(3, a3[p])
        HS_FMA_ROW(4, a4[p]) HS_FMA_ROW(5, a5[p]) HS_FMA_ROW(6, a6[p]) HS_FMA_ROW(7, a7[p])
        pb += NR;
    }
    __m512 acc[16] = {c0a, c0b, c1a, c1b, c2a, c2b, c3a, c3b, c4a, c4b, c5a, c5b, c6a, c6b, c7a, c7b};
    store_tile(acc, c, ldc, alpha, beta, bias, rows, cols);
}

// H (M, count <= 16) = X (M, K) B^T for K <= KC_MAX, row j of B at b_rows[j], column j of H at
// h_columns[j] (row stride ldh): the LoRA adapters' first products, x A_q^T and x A_v^T of a
// layer at once (count 2r = 16). 16 rows of X are transposed in registers (xt: (K, 16)), B's rows
// are laid side by side (bt: (K, 16)), and column j of 16 rows accumulates in one register: per k
// one load and `count` FMAs, where the 12 x 32 tile of hs_sgemm_bias would run 24 FMAs for 8
// useful columns. Each element is hs_sgemm_bias's sum for one block of K (one FMA a k, in order,
// from zero; stored as it is with alpha 1, beta 0 and no bias), so the same bits.
HS_AVX512 static void narrow_rows(int rows, int k, const float *x, int ldx, const float *bt, int count,
                                  float *const *h_columns, int ldh, int first_row, float *xt) {
    for (int p0 = 0; p0 < k; p0 += 16) {
        int depth = k - p0 < 16 ? k - p0 : 16;
        __mmask16 mask = depth >= 16 ? 0xFFFF : (__mmask16)((1u << depth) - 1);
        __m512 r[16], column[16];
        for (int i = 0; i < 16; ++i)
            r[i] = i < rows ? _mm512_maskz_loadu_ps(mask, x + (size_t)i * ldx + p0) : _mm512_setzero_ps();
        hs_transpose_16x16(r, column);
        for (int p = 0; p < depth; ++p) _mm512_store_ps(xt + (size_t)(p0 + p) * 16, column[p]);
    }
    __m512 acc[16];
    for (int j = 0; j < 16; ++j) acc[j] = _mm512_setzero_ps();
    for (int p = 0; p < k; ++p) {
        __m512 xp = _mm512_load_ps(xt + (size_t)p * 16);
        const float *bp = bt + (size_t)p * 16;
        for (int j = 0; j < 16; ++j) acc[j] = _mm512_fmadd_ps(_mm512_set1_ps(bp[j]), xp, acc[j]);
    }
    for (int j = 0; j < count; ++j) {
        float values[16];
        _mm512_storeu_ps(values, acc[j]);
        float *out = h_columns[j] + (size_t)first_row * ldh;
        for (int i = 0; i < rows; ++i) out[(size_t)i * ldh] = values[i];
    }
}

int hs_sgemm_narrow(int m, int k, const float *x, int ldx, int count, const float *const *b_rows,
                    float *const *h_columns, int ldh) {
    if (!hs_sgemm_available() || count < 1 || count > 16 || k > KC_MAX) return -1;
    if (m <= 0) return 0;
    if (k <= 0) {
        for (int j = 0; j < count; ++j)
            for (int i = 0; i < m; ++i) h_columns[j][(size_t)i * ldh] = 0;
        return 0;
    }
    float *xt = hs_thread_scratch(HS_SCRATCH_NARROW, sizeof(float) * 32 * (size_t)k);
    if (!xt) return -1;
    float *bt = xt + 16 * (size_t)k;
    for (int p = 0; p < k; ++p)
        for (int j = 0; j < 16; ++j) bt[(size_t)p * 16 + j] = j < count ? b_rows[j][p] : 0;
    for (int i0 = 0; i0 < m; i0 += 16)
        narrow_rows(m - i0 < 16 ? m - i0 : 16, k, x + (size_t)i0 * ldx, ldx, bt, count, h_columns, ldh, i0, xt);
    return 0;
}

int hs_sgemm(int transpose_a, int transpose_b, int m, int n, int k, float alpha,
             const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc) {
    return hs_sgemm_bias(transpose_a, transpose_b, m, n, k, alpha, a, lda, b, ldb, beta, 0, c, ldc);
}

// K in equal blocks of at most KC_MAX: the summation order depends on K only.
static int kc_step_of(int k) {
    int blocks = (k + KC_MAX - 1) / KC_MAX;
    return (k + blocks - 1) / blocks;
}

long hs_sgemm_packed_b_count(int n, int k) {
    if (n <= 0 || k <= 0) return 0;
    long count = 0;
    int kc_step = kc_step_of(k);
    for (int jc = 0; jc < n; jc += NC) {
        int nc = n - jc < NC ? n - jc : NC;
        for (int pc = 0; pc < k; pc += kc_step) {
            int kc = k - pc < kc_step ? k - pc : kc_step;
            count += (long)kc * ((nc + NR - 1) / NR * NR);
        }
    }
    return count;
}

int hs_sgemm_pack_b(int transpose_b, int n, int k, const float *b, int ldb, float *dst) {
    if (!hs_sgemm_available()) return -1;
    if (n <= 0 || k <= 0) return 0;
    int kc_step = kc_step_of(k);
    for (int jc = 0; jc < n; jc += NC) {
        int nc = n - jc < NC ? n - jc : NC;
        for (int pc = 0; pc < k; pc += kc_step) {
            int kc = k - pc < kc_step ? k - pc : kc_step;
            pack_b(transpose_b, b, ldb, pc, jc, kc, nc, dst);
            dst += (size_t)kc * ((nc + NR - 1) / NR * NR);
        }
    }
    return 0;
}

// GELU after the product, on each tile of C as its last K block is stored (still in L1): with
// `activated`, activated = GELU(C) (C itself kept: the backward pass needs it; with `slope`, C =
// GELU'(C) instead, all that pass reads of it); with `pre_activation`, C = C · GELU'(pre_activation)
// (the backward pass through GELU; with `slope`, pre_activation holds GELU' already). The vector
// operations of gelu_forward_avx512 and gelu_backward_avx512 with accumulate 0 (hs_elementwise.c),
// lane by lane, so the same bits as the product followed by hs_gelu_forward / hs_gelu_backward.
// Not inlined into the micro kernels, so that their register allocation stays as it was.
typedef struct {
    float *activated;
    const float *pre_activation;
    int ld;
    int slope;
} gelu_epilogue;

// A full vector to a cache-line-aligned address with a streaming store (no read for ownership, not
// kept in cache: these outputs are read again only by the next product, from memory anyway).
__attribute__((target("avx512f"), always_inline)) static inline void put16(float *p, __mmask16 mask, __m512 v) {
    if (mask == 0xFFFF && ((uintptr_t)p & 63) == 0)
        _mm512_stream_ps(p, v);
    else
        _mm512_mask_storeu_ps(p, mask, v);
}

// The epilogue of one tile of the product, read from `t` (row stride ldt): C itself as stored
// (t == c), or the L1 buffer the micro kernel stored it into instead (row stride NR), then written
// to C too. Forward: activated = GELU(C) (and C = GELU'(C) with `slope`); backward: C = C ·
// GELU'(pre_activation) (C · pre_activation with `slope`).
__attribute__((target("avx512f"), noinline)) static void gelu_tile(const float *t, int ldt, int rows, int cols, float *c,
                                                                  int ldc, float *activated, const float *pre_activation,
                                                                  int ld, int slope_given) {
    for (int i = 0; i < rows; ++i) {
        float *row = c + (size_t)i * ldc;
        for (int j = 0; j < cols; j += 16) {
            __mmask16 mask = cols - j >= 16 ? 0xFFFF : (__mmask16)((1u << (cols - j)) - 1);
            __m512 y = _mm512_maskz_loadu_ps(mask, t + (size_t)i * ldt + j);
            if (activated && slope_given) {  // one normal CDF for both: the bits of hs_gelu16 and hs_gelu_slope16
                __m512 cdf = hs_normal_cdf16(y);
                put16(activated + (size_t)i * ld + j, mask, _mm512_mul_ps(y, cdf));
                __m512 slope = hs_gelu_slope_from_cdf16(y, cdf);
                if (t != c) put16(row + j, mask, slope); else _mm512_mask_storeu_ps(row + j, mask, slope);
            } else if (activated) {
                if (t != c) put16(row + j, mask, y);
                put16(activated + (size_t)i * ld + j, mask, hs_gelu16(y));
            } else {
                __m512 x = _mm512_maskz_loadu_ps(mask, pre_activation + (size_t)i * ld + j);
                __m512 slope = slope_given ? x : hs_gelu_slope16(x);
                __m512 g = _mm512_fmadd_ps(y, slope, _mm512_setzero_ps());
                if (t != c) put16(row + j, mask, g); else _mm512_mask_storeu_ps(row + j, mask, g);
            }
        }
    }
}

static int sgemm_bias(int transpose_a, int transpose_b, int m, int n, int k, float alpha, const float *a, int lda,
                      const float *b, int ldb, const float *prepacked_b, float beta, const float *bias, float *c, int ldc,
                      const gelu_epilogue *gelu);

int hs_sgemm_bias(int transpose_a, int transpose_b, int m, int n, int k, float alpha,
                  const float *a, int lda, const float *b, int ldb, float beta, const float *bias, float *c, int ldc) {
    return sgemm_bias(transpose_a, transpose_b, m, n, k, alpha, a, lda, b, ldb, 0, beta, bias, c, ldc, 0);
}

int hs_sgemm_bias_packed(int transpose_a, int m, int n, int k, float alpha, const float *a, int lda,
                         const float *packed_b, float beta, const float *bias, float *c, int ldc) {
    return sgemm_bias(transpose_a, 0, m, n, k, alpha, a, lda, 0, 0, packed_b, beta, bias, c, ldc, 0);
}

int hs_sgemm_bias_gelu(int transpose_a, int transpose_b, int m, int n, int k, float alpha, const float *a, int lda,
                       const float *b, int ldb, const float *packed_b, float beta, const float *bias, float *c, int ldc,
                       float *activated, const float *pre_activation, int ld_gelu, int slope) {
    if (!hs_sgemm_available() || hs_elementwise_level() != 2 || (activated == 0) == (pre_activation == 0)) return -1;
    gelu_epilogue gelu = {activated, pre_activation, ld_gelu, slope != 0};
    return sgemm_bias(transpose_a, packed_b ? 0 : transpose_b, m, n, k, alpha, a, lda, packed_b ? 0 : b, ldb, packed_b,
                      beta, bias, c, ldc, &gelu);
}

static int sgemm_bias(int transpose_a, int transpose_b, int m, int n, int k, float alpha, const float *a, int lda,
                      const float *b, int ldb, const float *prepacked_b, float beta, const float *bias, float *c, int ldc,
                      const gelu_epilogue *gelu) {
    if (!hs_sgemm_available()) return -1;
    if (m <= 0 || n <= 0) return 0;
    if (k <= 0 || alpha == 0) {
        for (int i = 0; i < m; ++i)
            for (int j = 0; j < n; ++j) {
                float *x = c + (size_t)i * ldc + j;
                *x = (beta == 0 ? 0 : beta * *x) + (bias ? bias[j] : 0);
            }
        if (gelu)
            for (int i = 0; i < m; i += MR)
                for (int j = 0; j < n; j += NR) {
                    size_t at = (size_t)i * gelu->ld + j;
                    float *tile = c + (size_t)i * ldc + j;
                    gelu_tile(tile, ldc, m - i < MR ? m - i : MR, n - j < NR ? n - j : NR, tile, ldc,
                              gelu->activated ? gelu->activated + at : 0, gelu->pre_activation ? gelu->pre_activation + at : 0,
                              gelu->ld, gelu->slope);
                }
        return 0;
    }
    // Each thread's packing buffers (`hs_thread_scratch`): A's only for a transposed A.
    float *packed_a = transpose_a ? hs_thread_scratch(HS_SCRATCH_PACKED_A, sizeof(float) * MC * KC_MAX) : 0;
    float *own_b = prepacked_b ? 0 : hs_thread_scratch(HS_SCRATCH_PACKED_B, sizeof(float) * KC_MAX * NC);
    if ((transpose_a && !packed_a) || (!prepacked_b && !own_b)) return -1;
    const float *packed_b = own_b;
    int kc_step = kc_step_of(k);
    // With GELU after a product of one K block and beta 0, each tile's value comes from one micro
    // kernel call: it is stored here (L1) and gelu_tile writes C (and activated) once.
    float staged[MR * NR] __attribute__((aligned(64)));
    int stage = gelu && kc_step >= k && beta == 0;
    for (int jc = 0; jc < n; jc += NC) {
        int nc = n - jc < NC ? n - jc : NC;
        for (int pc = 0; pc < k; pc += kc_step) {
            int kc = k - pc < kc_step ? k - pc : kc_step;
            if (prepacked_b) {  // the blocks one after another, as hs_sgemm_pack_b wrote them
                packed_b = prepacked_b;
                prepacked_b += (size_t)kc * ((nc + NR - 1) / NR * NR);
            } else {
                pack_b(transpose_b, b, ldb, pc, jc, kc, nc, own_b);
            }
            float block_beta = pc == 0 ? beta : 1;
            const float *block_bias = pc == 0 && bias ? bias + jc : 0;
            for (int ic = 0; ic < m; ic += MC) {
                int mc = m - ic < MC ? m - ic : MC;
                if (transpose_a) pack_a(transpose_a, a, lda, ic, pc, mc, kc, alpha, packed_a);
                for (int ir = 0; ir < mc; ir += MR) {
                    int rows = mc - ir < MR ? mc - ir : MR;
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = nc - jr < NR ? nc - jr : NR;
                        const float *tile_bias = block_bias ? block_bias + jr : 0;
                        float *tile = c + (size_t)(ic + ir) * ldc + jc + jr;
                        if (gelu && gelu->pre_activation && pc + kc >= k) {
                            // The epilogue's pre-activations come from memory (written by the forward
                            // pass long before): fetched while the micro kernel runs, 12 rows apart
                            // (into L2 instead was no faster).
                            const float *x = gelu->pre_activation + (size_t)(ic + ir) * gelu->ld + jc + jr;
                            for (int i = 0; i < rows; ++i) {
                                const float *xr = x + (size_t)i * gelu->ld;
                                _mm_prefetch((const char *)xr, _MM_HINT_T0);
                                _mm_prefetch((const char *)(xr + 16), _MM_HINT_T0);
                                _mm_prefetch((const char *)(xr + cols - 1), _MM_HINT_T0);
                            }
                        }
                        if (block_beta != 0) {
                            // The store reads this tile of C (an earlier K block's sum, or the C a
                            // product adds to): 6 MB at 4096 x 384, out of cache, so fetched now,
                            // while the micro kernel runs; a short product (a LoRA rank) fetches the
                            // next tile too, which its own run would not outlast.
                            for (int i = 0; i < rows; ++i) {
                                const float *cr = tile + (size_t)i * ldc;
                                _mm_prefetch((const char *)cr, _MM_HINT_T0);
                                _mm_prefetch((const char *)(cr + cols - 1), _MM_HINT_T0);
                                if (kc < 64 && jr + NR < nc) {
                                    _mm_prefetch((const char *)(cr + NR), _MM_HINT_T0);
                                    _mm_prefetch((const char *)(cr + NR + 31), _MM_HINT_T0);
                                }
                            }
                        }
                        float *out = stage ? staged : tile;
                        int ld_out = stage ? NR : ldc;
                        if (transpose_a)
                            micro_kernel_packed(kc, packed_a + ir * kc, packed_b + jr * kc, out, ld_out, block_beta,
                                                tile_bias, rows, cols);
                        else
                            (rows <= 4 ? micro_kernel_direct4 : rows <= 8 ? micro_kernel_direct8 : micro_kernel_direct)(
                                kc, a + (size_t)(ic + ir) * lda + pc, lda, packed_b + jr * kc, out, ld_out, alpha, block_beta,
                                tile_bias, rows, cols);
                        if (gelu && pc + kc >= k) {  // C's tile is final
                            size_t at = (size_t)(ic + ir) * gelu->ld + jc + jr;
                            float *activated = gelu->activated ? gelu->activated + at : 0;
                            const float *pre_activation = gelu->pre_activation ? gelu->pre_activation + at : 0;
                            gelu_tile(out, ld_out, rows, cols, tile, ldc, activated, pre_activation, gelu->ld,
                                      gelu->slope);
                        }
                    }
                }
            }
        }
    }
    if (gelu) _mm_sfence();  // the GELU epilogue's streaming stores, before other threads read them
    return 0;
}

#else

int hs_sgemm_narrow(int m, int k, const float *x, int ldx, int count, const float *const *b_rows,
                    float *const *h_columns, int ldh) {
    (void)m; (void)k; (void)x; (void)ldx; (void)count; (void)b_rows; (void)h_columns; (void)ldh;
    return -1;
}

long hs_sgemm_packed_b_count(int n, int k) { (void)n; (void)k; return 0; }

int hs_sgemm_pack_b(int transpose_b, int n, int k, const float *b, int ldb, float *dst) {
    (void)transpose_b; (void)n; (void)k; (void)b; (void)ldb; (void)dst;
    return -1;
}

int hs_sgemm_bias_gelu(int transpose_a, int transpose_b, int m, int n, int k, float alpha, const float *a, int lda,
                       const float *b, int ldb, const float *packed_b, float beta, const float *bias, float *c, int ldc,
                       float *activated, const float *pre_activation, int ld_gelu, int slope) {
    (void)transpose_a; (void)transpose_b; (void)m; (void)n; (void)k; (void)alpha; (void)a; (void)lda; (void)b; (void)ldb;
    (void)packed_b; (void)beta; (void)bias; (void)c; (void)ldc; (void)activated; (void)pre_activation; (void)ld_gelu;
    (void)slope;
    return -1;
}

int hs_sgemm_bias_packed(int transpose_a, int m, int n, int k, float alpha, const float *a, int lda,
                         const float *packed_b, float beta, const float *bias, float *c, int ldc) {
    (void)transpose_a; (void)m; (void)n; (void)k; (void)alpha; (void)a; (void)lda;
    (void)packed_b; (void)beta; (void)bias; (void)c; (void)ldc;
    return -1;
}

int hs_sgemm(int transpose_a, int transpose_b, int m, int n, int k, float alpha,
             const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc) {
    return hs_sgemm_bias(transpose_a, transpose_b, m, n, k, alpha, a, lda, b, ldb, beta, 0, c, ldc);
}

int hs_sgemm_bias(int transpose_a, int transpose_b, int m, int n, int k, float alpha,
                  const float *a, int lda, const float *b, int ldb, float beta, const float *bias, float *c, int ldc) {
    (void)transpose_a; (void)transpose_b; (void)m; (void)n; (void)k; (void)alpha;
    (void)a; (void)lda; (void)b; (void)ldb; (void)beta; (void)bias; (void)c; (void)ldc;
    return -1;
}

#endif
