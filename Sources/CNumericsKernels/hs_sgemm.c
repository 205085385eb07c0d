// A single-threaded AVX-512 sgemm for the encoder's projections (BLIS-style blocking).
//
// OpenBLAS 0.3.21 is pinned to its AVX2 (Haswell) kernels on this project's machines, whose
// processors run 512-bit FMAs at full width; this kernel uses them. Layout, all row-major:
//   op(A): (M, K) is packed in panels of MR rows: panel[k][i]   (alpha folded in)
//   op(B): (K, N) is packed in panels of NR columns: panel[k][j]
// and the micro-kernel keeps an MR x NR tile of C in 24 zmm registers: per k it loads two
// vectors of B and broadcasts MR values of A (24 FMAs). A B micro-panel (KC x NR) stays in L1
// while the A block (MC x KC) streams from L2.
#include "hs_kernels.h"

#include <immintrin.h>
#include <stdlib.h>

enum { MR = 12, NR = 32, KC_MAX = 256, MC = 192, NC = 1536 };

static _Thread_local float *packed_a;  // MC * KC_MAX
static _Thread_local float *packed_b;  // KC_MAX * NC

int hs_sgemm_available(void) {
#if defined(__x86_64__)
    static int state = -1;  // benign race: every thread computes the same value
    if (state < 0) {
        __builtin_cpu_init();
        state = __builtin_cpu_supports("avx512f") ? 1 : 0;
    }
    return state;
#else
    return 0;
#endif
}

#if defined(__x86_64__)

// panel[p][i] = alpha * op(A)[i0 + i][p0 + p] for the mc rows from i0, zero past mc.
static void pack_a(int transpose, const float *a, int lda, int i0, int p0, int mc, int kc, float alpha, float *dst) {
    for (int ir = 0; ir < mc; ir += MR) {
        int rows = mc - ir < MR ? mc - ir : MR;
        float *panel = dst + ir * kc;
        if (transpose) {  // element (i, p) at a[p * lda + i]: rows of a give contiguous i
            for (int p = 0; p < kc; ++p) {
                const float *src = a + (size_t)(p0 + p) * lda + i0 + ir;
                float *out = panel + p * MR;
                int i = 0;
                for (; i < rows; ++i) out[i] = alpha * src[i];
                for (; i < MR; ++i) out[i] = 0;
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

// panel[p][j] = op(B)[p0 + p][j0 + j] for the nc columns from j0, zero past nc.
static void pack_b(int transpose, const float *b, int ldb, int p0, int j0, int kc, int nc, float *dst) {
    for (int jr = 0; jr < nc; jr += NR) {
        int cols = nc - jr < NR ? nc - jr : NR;
        float *panel = dst + jr * kc;
        if (transpose) {  // element (p, j) at b[j * ldb + p]
            for (int j = 0; j < cols; ++j) {
                const float *src = b + (size_t)(j0 + jr + j) * ldb + p0;
                for (int p = 0; p < kc; ++p) panel[p * NR + j] = src[p];
            }
            for (int j = cols; j < NR; ++j)
                for (int p = 0; p < kc; ++p) panel[p * NR + j] = 0;
        } else {  // element (p, j) at b[p * ldb + j]
            for (int p = 0; p < kc; ++p) {
                const float *src = b + (size_t)(p0 + p) * ldb + j0 + jr;
                float *out = panel + p * NR;
                int j = 0;
                for (; j < cols; ++j) out[j] = src[j];
                for (; j < NR; ++j) out[j] = 0;
            }
        }
    }
}

#define HS_AVX512 __attribute__((target("avx512f")))

// c (rows x cols of an MR x NR tile) = pa . pb + beta * c.
HS_AVX512 static void micro_kernel(int kc, const float *restrict pa, const float *restrict pb, float *c, int ldc,
                                   float beta, int rows, int cols) {
    __m512 c0a = _mm512_setzero_ps(), c0b = _mm512_setzero_ps(), c1a = _mm512_setzero_ps(), c1b = _mm512_setzero_ps();
    __m512 c2a = _mm512_setzero_ps(), c2b = _mm512_setzero_ps(), c3a = _mm512_setzero_ps(), c3b = _mm512_setzero_ps();
    __m512 c4a = _mm512_setzero_ps(), c4b = _mm512_setzero_ps(), c5a = _mm512_setzero_ps(), c5b = _mm512_setzero_ps();
    __m512 c6a = _mm512_setzero_ps(), c6b = _mm512_setzero_ps(), c7a = _mm512_setzero_ps(), c7b = _mm512_setzero_ps();
    __m512 c8a = _mm512_setzero_ps(), c8b = _mm512_setzero_ps(), c9a = _mm512_setzero_ps(), c9b = _mm512_setzero_ps();
    __m512 c10a = _mm512_setzero_ps(), c10b = _mm512_setzero_ps(), c11a = _mm512_setzero_ps(), c11b = _mm512_setzero_ps();
    for (int p = 0; p < kc; ++p) {
        __m512 b0 = _mm512_load_ps(pb), b1 = _mm512_load_ps(pb + 16);
#define HS_ROW(i)                                                                                   \
    {                                                                                               \
        __m512 ai = _mm512_set1_ps(pa[i]);                                                          \
        c##i##a = _mm512_fmadd_ps(ai, b0, c##i##a);                                                 \
        c##i##b = _mm512_fmadd_ps(ai, b1, c##i##b);                                                 \
    }
        HS_ROW(0) HS_ROW(1) HS_ROW(2) HS_ROW(3) HS_ROW(4) HS_ROW(5)
        HS_ROW(6) HS_ROW(7) HS_ROW(8) HS_ROW(9) HS_ROW(10) HS_ROW(11)
#undef HS_ROW
        pa += MR;
        pb += NR;
    }
    __m512 acc[2 * MR] = {c0a, c0b, c1a, c1b, c2a, c2b, c3a, c3b, c4a, c4b, c5a, c5b,
                          c6a, c6b, c7a, c7b, c8a, c8b, c9a, c9b, c10a, c10b, c11a, c11b};
    __mmask16 mask0 = cols >= 16 ? 0xFFFF : (__mmask16)((1u << cols) - 1);
    __mmask16 mask1 = cols >= 32 ? 0xFFFF : cols <= 16 ? 0 : (__mmask16)((1u << (cols - 16)) - 1);
    __m512 vbeta = _mm512_set1_ps(beta);
    for (int i = 0; i < rows; ++i) {
        float *row = c + (size_t)i * ldc;
        __m512 x0 = acc[2 * i], x1 = acc[2 * i + 1];
        if (beta != 0) {
            x0 = _mm512_fmadd_ps(vbeta, _mm512_maskz_loadu_ps(mask0, row), x0);
            x1 = _mm512_fmadd_ps(vbeta, _mm512_maskz_loadu_ps(mask1, row + 16), x1);
        }
        _mm512_mask_storeu_ps(row, mask0, x0);
        _mm512_mask_storeu_ps(row + 16, mask1, x1);
    }
}

int hs_sgemm(int transpose_a, int transpose_b, int m, int n, int k, float alpha,
             const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc) {
    if (!hs_sgemm_available()) return -1;
    if (m <= 0 || n <= 0) return 0;
    if (k <= 0 || alpha == 0) {
        for (int i = 0; i < m; ++i)
            for (int j = 0; j < n; ++j) c[(size_t)i * ldc + j] = beta == 0 ? 0 : beta * c[(size_t)i * ldc + j];
        return 0;
    }
    if (!packed_a) packed_a = aligned_alloc(64, sizeof(float) * MC * KC_MAX);
    if (!packed_b) packed_b = aligned_alloc(64, sizeof(float) * KC_MAX * NC);
    if (!packed_a || !packed_b) return -1;
    // K in equal blocks of at most KC_MAX: the summation order depends on K only.
    int blocks = (k + KC_MAX - 1) / KC_MAX;
    int kc_step = (k + blocks - 1) / blocks;
    for (int jc = 0; jc < n; jc += NC) {
        int nc = n - jc < NC ? n - jc : NC;
        for (int pc = 0; pc < k; pc += kc_step) {
            int kc = k - pc < kc_step ? k - pc : kc_step;
            pack_b(transpose_b, b, ldb, pc, jc, kc, nc, packed_b);
            float block_beta = pc == 0 ? beta : 1;
            for (int ic = 0; ic < m; ic += MC) {
                int mc = m - ic < MC ? m - ic : MC;
                pack_a(transpose_a, a, lda, ic, pc, mc, kc, alpha, packed_a);
                for (int jr = 0; jr < nc; jr += NR) {
                    int cols = nc - jr < NR ? nc - jr : NR;
                    for (int ir = 0; ir < mc; ir += MR) {
                        int rows = mc - ir < MR ? mc - ir : MR;
                        micro_kernel(kc, packed_a + ir * kc, packed_b + jr * kc,
                                     c + (size_t)(ic + ir) * ldc + jc + jr, ldc, block_beta, rows, cols);
                    }
                }
            }
        }
    }
    return 0;
}

#else

int hs_sgemm(int transpose_a, int transpose_b, int m, int n, int k, float alpha,
             const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc) {
    (void)transpose_a; (void)transpose_b; (void)m; (void)n; (void)k; (void)alpha;
    (void)a; (void)lda; (void)b; (void)ldb; (void)beta; (void)c; (void)ldc;
    return -1;
}

#endif
