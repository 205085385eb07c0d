// Fused multi-head self-attention of one sentence, forward and backward, AVX-512 (issue 16, item 2).
//
// Before this, each head of each sentence ran two (forward) or four (backward) hs_sgemm calls, each
// packing its operands, with the softmax (and in the backward pass a scalar softmax backward) as
// separate passes over the (n, n) scores. Here:
//   - K (forward) or V (backward) of the sentence is transposed once for all heads (16 x 16 blocks
//     in registers) into a (C, n) scratch, so q_h k_h^T reads both operands in place;
//   - the other products read their operands in place: v_h, k_h, q_h and dctx_h rows are exactly
//     one 32-float register tile wide (D = 32), and P or dS transposed is read column-wise;
//   - the scores are computed 12 rows at a time and each block is turned into probabilities and
//     multiplied by v_h while it is in L1 (forward), or into dS and multiplied by k_h (backward);
//     a sentence of up to 16 tokens (most of what a learned rewrite scores) has each row's scores
//     in one register, turned into probabilities there before they are stored.
// Each product sums its terms in the order hs_sgemm does (K blocks of kc_step_of(k) <= 384, each
// from zero, scaled and added to C as hs_sgemm's store does), so the forward pass is bit-identical
// to the unfused one; the backward pass differs only in the softmax backward's row sums (16 wide).
#include "hs_kernels.h"
#include "hs_math16.h"
#include "hs_scratch.h"
#include "hs_transpose.h"

#include <stdint.h>
#include <stdlib.h>

#if defined(__x86_64__)
#include <immintrin.h>

enum { MR = 12, NR = 32, KC_MAX = 384 };

#define HS_AVX512 __attribute__((target("avx512f")))
#define HS_INLINE __attribute__((always_inline)) inline

// Each thread's transposed K or V (`hs_thread_scratch`).
static float *transposed_scratch(long count) { return hs_thread_scratch(HS_SCRATCH_ATTENTION, sizeof(float) * (size_t)count); }

static HS_INLINE __mmask16 mask_of(int count) {
    return count >= 16 ? (__mmask16)0xFFFF : count <= 0 ? 0 : (__mmask16)((1u << count) - 1);
}

// dst: (width, ld) with dst[c * ld + j] = src[j * width + c] for j < n (ld >= n rounded up to 16,
// columns n..<ld zero), through 16 x 16 blocks transposed in registers. width % 16 == 0.
HS_AVX512 static void transpose_rows(const float *src, int n, int width, float *dst, int ld) {
    for (int j0 = 0; j0 < n; j0 += 16) {
        int rows = n - j0 < 16 ? n - j0 : 16;
        for (int c0 = 0; c0 < width; c0 += 16) {
            __m512 r[16], column[16];
            for (int j = 0; j < 16; ++j)
                r[j] = j < rows ? _mm512_loadu_ps(src + (size_t)(j0 + j) * width + c0) : _mm512_setzero_ps();
            hs_transpose_16x16(r, column);
            for (int p = 0; p < 16; ++p) _mm512_storeu_ps(dst + (size_t)(c0 + p) * ld + j0, column[p]);
        }
    }
}

// K in equal blocks of at most KC_MAX, as hs_sgemm sums them.
static int kc_step_of(int k) {
    int blocks = (k + KC_MAX - 1) / KC_MAX;
    return (k + blocks - 1) / blocks;
}

#define ROW_POINTER(i) const float *a##i = a + (size_t)(rows > i ? i : 0) * a_row;
#define DECLARE_ACC(i) __m512 c##i##a = _mm512_setzero_ps(), c##i##b = _mm512_setzero_ps();
#define FMA_ROW(i)                                                                                  \
    {                                                                                               \
        __m512 ai = _mm512_set1_ps(a##i[offset]);                                                   \
        c##i##a = _mm512_fmadd_ps(ai, b0, c##i##a);                                                 \
        c##i##b = _mm512_fmadd_ps(ai, b1, c##i##b);                                                 \
    }

// C tile (rows <= 12, cols <= 32) = alpha * sum_p a(i, p) b(p, j) + beta * C, with a(i, p) at
// a[i * a_row + p * a_column] and B's row p at b + p * ldb. Summed as hs_sgemm sums: per K block
// from zero, then alpha * block (+ beta * C for the first block, + C for the others), rounded as its store does.
HS_AVX512 static HS_INLINE void tile(int k, const float *a, long a_row, long a_column, const float *b, long ldb,
                                      float *c, long ldc, float alpha, float beta, int rows, int cols) {
    __mmask16 mask0 = mask_of(cols), mask1 = mask_of(cols - 16);
    ROW_POINTER(0) ROW_POINTER(1) ROW_POINTER(2) ROW_POINTER(3) ROW_POINTER(4) ROW_POINTER(5)
    ROW_POINTER(6) ROW_POINTER(7) ROW_POINTER(8) ROW_POINTER(9) ROW_POINTER(10) ROW_POINTER(11)
    int kc_step = kc_step_of(k);
    for (int pc = 0; pc < k; pc += kc_step) {
        int kc = k - pc < kc_step ? k - pc : kc_step;
        DECLARE_ACC(0) DECLARE_ACC(1) DECLARE_ACC(2) DECLARE_ACC(3) DECLARE_ACC(4) DECLARE_ACC(5)
        DECLARE_ACC(6) DECLARE_ACC(7) DECLARE_ACC(8) DECLARE_ACC(9) DECLARE_ACC(10) DECLARE_ACC(11)
        for (int p = pc; p < pc + kc; ++p) {
            const float *brow = b + (size_t)p * ldb;
            __m512 b0 = _mm512_maskz_loadu_ps(mask0, brow), b1 = _mm512_maskz_loadu_ps(mask1, brow + 16);
            long offset = (long)p * a_column;
            FMA_ROW(0) FMA_ROW(1) FMA_ROW(2) FMA_ROW(3) FMA_ROW(4) FMA_ROW(5)
            FMA_ROW(6) FMA_ROW(7) FMA_ROW(8) FMA_ROW(9) FMA_ROW(10) FMA_ROW(11)
        }
        __m512 acc[2 * MR] = {c0a, c0b, c1a, c1b, c2a, c2b, c3a, c3b, c4a, c4b, c5a, c5b,
                              c6a, c6b, c7a, c7b, c8a, c8b, c9a, c9b, c10a, c10b, c11a, c11b};
        float block_beta = pc == 0 ? beta : 1;
        __m512 valpha = _mm512_set1_ps(alpha), vbeta = _mm512_set1_ps(block_beta);
        for (int i = 0; i < rows; ++i) {
            float *row = c + (size_t)i * ldc;
            __m512 x0 = acc[2 * i], x1 = acc[2 * i + 1];
            if (alpha != 1) {
                x0 = _mm512_mul_ps(valpha, x0);
                x1 = _mm512_mul_ps(valpha, x1);
            }
            if (block_beta != 0) {
                x0 = _mm512_fmadd_ps(vbeta, _mm512_maskz_loadu_ps(mask0, row), x0);
                x1 = _mm512_fmadd_ps(vbeta, _mm512_maskz_loadu_ps(mask1, row + 16), x1);
            }
            _mm512_mask_storeu_ps(row, mask0, x0);
            _mm512_mask_storeu_ps(row + 16, mask1, x1);
        }
    }
}

// Fetches `rows` rows of n floats, n apart, into L1.
static HS_INLINE void prefetch_rows(const float *x, int rows, int n) {
    for (int i = 0; i < rows; ++i)
        for (int b = 0; b < n * (int)sizeof(float); b += 64) _mm_prefetch((const char *)(x + (size_t)i * n) + b, _MM_HINT_T0);
}

// dst[i] = src[i] for `count` floats, with streaming stores where dst is 64-byte aligned (no read
// for ownership, not kept in cache).
HS_AVX512 static void stream_copy(float *dst, const float *src, long count) {
    long i = 0;
    for (; i < count && ((uintptr_t)(dst + i) & 63) != 0; ++i) dst[i] = src[i];
    for (; i + 16 <= count; i += 16) _mm512_stream_ps(dst + i, _mm512_loadu_ps(src + i));
    for (; i < count; ++i) dst[i] = src[i];
}

// x[i] = scale · x[i] for `count` floats.
HS_AVX512 static void scale_in_place(float *x, long count, float scale) {
    __m512 s = _mm512_set1_ps(scale);
    for (long i = 0; i < count; i += 16) {
        __mmask16 mask = mask_of((int)(count - i < 16 ? count - i : 16));
        _mm512_mask_storeu_ps(x + i, mask, _mm512_mul_ps(s, _mm512_maskz_loadu_ps(mask, x + i)));
    }
}

// dS = P ⊙ (dP - Σ_j P dP) for `rows` rows of width n, in place in dp.
HS_AVX512 static void softmax_backward_rows(float *dp, const float *p, int rows, int n) {
    for (int i = 0; i < rows; ++i) {
        float *dr = dp + (size_t)i * n;
        const float *pr = p + (size_t)i * n;
        __m512 sum = _mm512_setzero_ps();
        for (int j = 0; j < n; j += 16) {
            __mmask16 mask = mask_of(n - j);
            sum = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, pr + j), _mm512_maskz_loadu_ps(mask, dr + j), sum);
        }
        __m512 dot = _mm512_set1_ps(_mm512_reduce_add_ps(sum));
        for (int j = 0; j < n; j += 16) {
            __mmask16 mask = mask_of(n - j);
            __m512 d = _mm512_sub_ps(_mm512_maskz_loadu_ps(mask, dr + j), dot);
            _mm512_mask_storeu_ps(dr + j, mask, _mm512_mul_ps(_mm512_maskz_loadu_ps(mask, pr + j), d));
        }
    }
}

// Softmax of a row of at most 16 scores in a register (`mask`: its lanes), by the operations
// softmax_rows_avx512 (hs_elementwise.c) runs on a row of that width in memory, so the same bits.
HS_AVX512 static HS_INLINE __m512 softmax_of_row(__m512 x, __mmask16 mask) {
    __m512 lowest = _mm512_set1_ps(-__builtin_inff());
    __m512 v = _mm512_maskz_mov_ps(mask, x);
    __m512 top = _mm512_set1_ps(_mm512_reduce_max_ps(_mm512_mask_max_ps(lowest, mask, v, lowest)));
    __m512 e = hs_exp16(_mm512_sub_ps(v, top));
    __m512 sum = _mm512_mask_add_ps(_mm512_setzero_ps(), mask, _mm512_setzero_ps(), e);
    __m512 inverse = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(sum));
    return _mm512_mul_ps(_mm512_maskz_mov_ps(mask, e), inverse);
}

#define DECLARE_ROW(i) __m512 s##i = _mm512_setzero_ps();
#define SCORE_ROW(i) s##i = _mm512_fmadd_ps(_mm512_set1_ps(a##i[p]), b0, s##i);
#define SOFTMAX_ROW(i)                                                                              \
    if (rows > i) {                                                                                 \
        __m512 x = scale != 1 ? _mm512_mul_ps(_mm512_set1_ps(scale), s##i) : s##i;                 \
        _mm512_mask_storeu_ps(block + (size_t)i * n, mask, softmax_of_row(x, mask));                \
    }

// block: (rows, n) = softmax(scale · q_h k_h^T) for n <= 16 (a sentence of up to 16 tokens): the
// products and sums of `tile` with one accumulator a row (`tile` would also run the empty second
// half of its 32 columns), and each row turned into probabilities in its register, stored once.
// head_width <= KC_MAX: one K block, so `tile`'s sum is this one. q: row stride q_row.
HS_AVX512 static void scores_softmax_small(int head_width, const float *a, long q_row, const float *kt, long ld,
                                           float *block, int n, float scale, int rows) {
    __mmask16 mask = mask_of(n);
    long a_row = q_row;
    ROW_POINTER(0) ROW_POINTER(1) ROW_POINTER(2) ROW_POINTER(3) ROW_POINTER(4) ROW_POINTER(5)
    ROW_POINTER(6) ROW_POINTER(7) ROW_POINTER(8) ROW_POINTER(9) ROW_POINTER(10) ROW_POINTER(11)
    DECLARE_ROW(0) DECLARE_ROW(1) DECLARE_ROW(2) DECLARE_ROW(3) DECLARE_ROW(4) DECLARE_ROW(5)
    DECLARE_ROW(6) DECLARE_ROW(7) DECLARE_ROW(8) DECLARE_ROW(9) DECLARE_ROW(10) DECLARE_ROW(11)
    for (int p = 0; p < head_width; ++p) {
        __m512 b0 = _mm512_maskz_loadu_ps(mask, kt + (size_t)p * ld);
        SCORE_ROW(0) SCORE_ROW(1) SCORE_ROW(2) SCORE_ROW(3) SCORE_ROW(4) SCORE_ROW(5)
        SCORE_ROW(6) SCORE_ROW(7) SCORE_ROW(8) SCORE_ROW(9) SCORE_ROW(10) SCORE_ROW(11)
    }
    SOFTMAX_ROW(0) SOFTMAX_ROW(1) SOFTMAX_ROW(2) SOFTMAX_ROW(3) SOFTMAX_ROW(4) SOFTMAX_ROW(5)
    SOFTMAX_ROW(6) SOFTMAX_ROW(7) SOFTMAX_ROW(8) SOFTMAX_ROW(9) SOFTMAX_ROW(10) SOFTMAX_ROW(11)
}

int hs_attention_available(int head_width, int width) {
    return hs_sgemm_available() && hs_elementwise_level() == 2 && head_width == NR && width % 16 == 0;
}

HS_AVX512 int hs_attention_forward(int n, int heads, int head_width, int width, float scale,
                                   const float *q, const float *k, const float *v, float *probabilities,
                                   float *context) {
    if (!hs_attention_available(head_width, width)) return -1;
    if (n <= 0) return 0;
    int ld = (n + 15) / 16 * 16;
    // (C, n): k^T of every head, then (MR, n) for a block of probabilities (64-byte aligned)
    float *kt = transposed_scratch((long)width * ld + (long)MR * n);
    if (!kt) return -1;
    float *staged = kt + (size_t)width * ld;
    transpose_rows(k, n, width, kt, ld);
    for (int h = 0; h < heads; ++h) {
        float *p = probabilities + (size_t)h * n * n;
        int column = h * head_width;
        for (int i0 = 0; i0 < n; i0 += MR) {
            int rows = n - i0 < MR ? n - i0 : MR;
            // The probabilities (25 MB a layer at 32 x 128 tokens) are kept only for the backward
            // pass: a block beyond a register's 16 scores is computed in L1 (`staged`), multiplied
            // by v_h there and then written out with streaming stores, without the reads for
            // ownership that storing it in place cost (a sixth of the forward pass at T 128).
            float *stored = p + (size_t)i0 * n, *block = n <= 16 ? stored : staged;
            // block: (rows, n) = softmax(scale · q_h k_h^T)
            if (n <= 16 && head_width <= KC_MAX) {
                scores_softmax_small(head_width, q + (size_t)i0 * width + column, width, kt + (size_t)column * ld,
                                     ld, block, n, scale, rows);
            } else {
                for (int j0 = 0; j0 < n; j0 += NR)
                    tile(head_width, q + (size_t)i0 * width + column, width, 1, kt + (size_t)column * ld + j0,
                         ld, block + j0, n, scale, 0, rows, n - j0 < NR ? n - j0 : NR);
                hs_softmax_rows(block, rows, n);
            }
            // ctx_h rows: (rows, D) = block v_h
            tile(n, block, n, 1, v + column, width, context + (size_t)i0 * width + column, width, 1, 0, rows,
                 head_width);
            if (block != stored) stream_copy(stored, block, (long)rows * n);
        }
    }
    _mm_sfence();  // the streaming stores, before another thread's backward pass reads them
    return 0;
}

HS_AVX512 int hs_attention_backward(int n, int heads, int head_width, int width, float scale,
                                    const float *dcontext, const float *probabilities,
                                    const float *q, const float *k, const float *v,
                                    float *dq, float *dk, float *dv, float *dscores) {
    if (!hs_attention_available(head_width, width)) return -1;
    if (n <= 0) return 0;
    int ld = (n + 15) / 16 * 16;
    float *vt = transposed_scratch((long)width * ld);  // (C, n): v^T of every head
    if (!vt) return -1;
    transpose_rows(v, n, width, vt, ld);
    for (int h = 0; h < heads; ++h) {
        const float *p = probabilities + (size_t)h * n * n;
        int column = h * head_width;
        for (int i0 = 0; i0 < n; i0 += MR) {
            int rows = n - i0 < MR ? n - i0 : MR;
            float *block = dscores + (size_t)i0 * n;
            // The probabilities were stored by the forward pass long before (25 MB a layer at 32 x 128
            // tokens): the next block's rows are fetched while this one is computed (12% of the
            // backward pass's time, one thread, T 128).
            if (i0 == 0) prefetch_rows(p, rows, n);
            if (i0 + MR < n) prefetch_rows(p + (size_t)(i0 + MR) * n, n - i0 - MR < MR ? n - i0 - MR : MR, n);
            // block: (rows, n) = dctx_h v_h^T, then dS in place
            for (int j0 = 0; j0 < n; j0 += NR)
                tile(head_width, dcontext + (size_t)i0 * width + column, width, 1, vt + (size_t)column * ld + j0,
                     ld, block + j0, n, 1, 0, rows, n - j0 < NR ? n - j0 : NR);
            softmax_backward_rows(block, p + (size_t)i0 * n, rows, n);
            // dq_h rows += scale · dS k_h
            tile(n, block, n, 1, k + column, width, dq + (size_t)i0 * width + column, width, scale, 1, rows,
                 head_width);
        }
        // scale · dS once, in place (dq_h above took dS itself): each element the product the dk_h
        // tile formed again for each of its broadcasts before, so the same bits. Not for a dk nobody reads.
        if (dk) scale_in_place(dscores, (long)n * n, scale);
        for (int i0 = 0; i0 < n; i0 += MR) {
            int rows = n - i0 < MR ? n - i0 : MR;
            // dv_h rows += P^T dctx_h;  dk_h rows += (scale · dS)^T q_h
            tile(n, p + i0, 1, n, dcontext + column, width, dv + (size_t)i0 * width + column, width, 1, 1, rows,
                 head_width);
            if (dk)
                tile(n, dscores + i0, 1, n, q + column, width, dk + (size_t)i0 * width + column, width, 1, 1,
                     rows, head_width);
        }
    }
    return 0;
}

#else

int hs_attention_available(int head_width, int width) {
    (void)head_width; (void)width;
    return 0;
}

int hs_attention_forward(int n, int heads, int head_width, int width, float scale, const float *q, const float *k,
                         const float *v, float *probabilities, float *context) {
    (void)n; (void)heads; (void)head_width; (void)width; (void)scale; (void)q; (void)k; (void)v;
    (void)probabilities; (void)context;
    return -1;
}

int hs_attention_backward(int n, int heads, int head_width, int width, float scale, const float *dcontext,
                          const float *probabilities, const float *q, const float *k, const float *v,
                          float *dq, float *dk, float *dv, float *dscores) {
    (void)n; (void)heads; (void)head_width; (void)width; (void)scale; (void)dcontext; (void)probabilities;
    (void)q; (void)k; (void)v; (void)dq; (void)dk; (void)dv; (void)dscores;
    return -1;
}

#endif
