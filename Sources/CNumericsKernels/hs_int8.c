// Int8 projections: C (M, N) = dequantised(u8(A) . s8(B)) + bias (+ residual), for inference.
//
// B, a weight (N, K) whose rows are the products' columns, is quantised once per column to
// signed bytes (symmetric: scale_n = max |w| / 127, q = round(w / scale_n) in -127..127) and
// packed for vpdpbusd: blocks of 32 columns, in each 4 consecutive k of a column side by side,
// [block][k / 4][32 columns][4 bytes], K padded to a multiple of 4 and N to one of 32 with zeros.
// Each column's scale and its sum of bytes follow the bytes.
//
// A is quantised per row as each product starts (scale_m = max |a| / 127, q = round(a * (1 / scale_m))),
// stored as unsigned bytes q + 128 (vpdpbusd multiplies unsigned by signed bytes); the sums are
// exact integers, and 128 times the column's byte sum is taken off them:
//   C[m][n] = fma(float(sum_k (q_a + 128) q_b - 128 sum_k q_b) * scale_m, scale_n, bias[n]) (+ residual).
// Integer sums are exact in any order, and the epilogue rounds the same way on every path, so the
// AVX512-VNNI kernel and the portable loop give the same bits.
#include "hs_kernels.h"
#include "hs_scratch.h"
#include <math.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

// No contraction: the epilogue's multiply and fma must round where the kernel's do.
#pragma STDC FP_CONTRACT OFF

#define HS_I8_NR 32
#define HS_I8_MR 12
#define HS_I8_MAX_OUTLIERS 8
#define HS_I8_MAX_SHARED 4
#define HS_I8_MAX_K 65536

static inline int padded_k(int k) { return (k + 3) / 4 * 4; }
static inline int padded_n(int n) { return (n + HS_I8_NR - 1) / HS_I8_NR * HS_I8_NR; }

long hs_i8_packed_b_bytes(int n, int k, int columns) {
    if (n <= 0 || k <= 0) return 0;
    long np = padded_n(n), kp = padded_k(k);
    return np * kp + np * (long)(sizeof(float) + sizeof(int32_t)) + (columns ? (long)k * np * (long)sizeof(float) : 0);
}

int hs_i8_pack_b(int n, int k, const float *w, int ldw, int columns, void *dst) {
    if (n <= 0 || k <= 0) return -1;
    int np = padded_n(n), kp = padded_k(k);
    int8_t *bytes = dst;
    float *scales = (float *)(bytes + (size_t)np * kp);
    int32_t *sums = (int32_t *)(scales + np);
    memset(dst, 0, (size_t)hs_i8_packed_b_bytes(n, k, columns));
    if (columns) {  // w^T (K, N padded), fp32: the outlier channels' weights (hs_i8_gemm's `outliers`)
        float *wt = (float *)(sums + np);
        for (int j = 0; j < n; j++)
            for (int i = 0; i < k; i++) wt[(size_t)i * np + j] = w[(size_t)j * ldw + i];
    }
    for (int j = 0; j < n; j++) {
        const float *row = w + (size_t)j * ldw;
        float top = 0;
        for (int i = 0; i < k; i++) { float v = fabsf(row[i]); if (v > top) top = v; }
        float scale = top > 0 ? top / 127.0f : 1.0f;
        int32_t sum = 0;
        int8_t *block = bytes + (size_t)(j / HS_I8_NR) * kp * HS_I8_NR;
        for (int i = 0; i < k; i++) {
            long q = lrintf(row[i] / scale);
            q = q < -127 ? -127 : q > 127 ? 127 : q;
            block[((size_t)(i / 4) * HS_I8_NR + j % HS_I8_NR) * 4 + i % 4] = (int8_t)q;
            sum += (int32_t)q;
        }
        scales[j] = scale;
        sums[j] = sum;
    }
    return 0;
}

// The `o` channels of row `a` with the largest |a| (of equal ones the lower index), in increasing
// index order, into `index` and their values into `value`; returns the largest |a| of the other
// channels (0 when none). Channels are offered in increasing order; every path makes the same
// choice (select_outliers_vnni offers only those a compare finds above the current floor, which
// are the only ones `offer` would take).
struct selection {
    int top[HS_I8_MAX_OUTLIERS + 1];
    float magnitude[HS_I8_MAX_OUTLIERS + 1];  // decreasing
    int count, keep;  // the o outliers and the largest of the rest
};

static inline void offer(struct selection *s, int i, float v) {
    if (s->count == s->keep && !(v > s->magnitude[s->count - 1])) return;
    int at = s->count < s->keep ? s->count++ : s->count - 1;
    while (at > 0 && v > s->magnitude[at - 1]) { s->top[at] = s->top[at - 1]; s->magnitude[at] = s->magnitude[at - 1]; at--; }
    s->top[at] = i;
    s->magnitude[at] = v;
}

static float chosen_outliers(const struct selection *s, const float *a, int o, int *index, float *value) {
    int found = s->count < o ? s->count : o;
    for (int j = 0; j < found; j++) index[j] = s->top[j];
    for (int j = 1; j < found; j++)  // increasing index
        for (int i = j; i > 0 && index[i] < index[i - 1]; i--) { int t = index[i]; index[i] = index[i - 1]; index[i - 1] = t; }
    for (int j = 0; j < found; j++) value[j] = a[index[j]];
    for (int j = found; j < o; j++) { index[j] = 0; value[j] = 0; }  // (k < o: channel 0's weight times 0 is added, alike on every path)
    return s->count > o ? s->magnitude[o] : 0;
}

static float select_outliers(const float *a, int k, int o, int *index, float *value) {
    struct selection s = { .count = 0, .keep = o + 1 };
    for (int i = 0; i < k; i++) offer(&s, i, fabsf(a[i]));
    return chosen_outliers(&s, a, o, index, value);
}

// Row m of A to bytes (K padded with 128, the zero), and its scale.
static void quantise_row_portable(const float *a, int k, int kp, int o, uint8_t *q, float *scale, int *index, float *value) {
    float top = 0;
    if (o > 0) top = select_outliers(a, k, o, index, value);
    else for (int i = 0; i < k; i++) { float v = fabsf(a[i]); if (v > top) top = v; }
    float s = top > 0 ? top / 127.0f : 1.0f, inverse = 1.0f / s;
    for (int i = 0; i < k; i++) {
        // Clamped as the AVX-512 max and min clamp (a NaN becomes -127), then rounded to nearest even.
        float t = a[i] * inverse;
        t = t > -127.0f ? t : -127.0f;
        t = t < 127.0f ? t : 127.0f;
        q[i] = (uint8_t)(lrintf(t) + 128);
    }
    for (int i = k; i < kp; i++) q[i] = 128;
    for (int j = 0; j < o && j < k; j++) q[index[j]] = 128;
    *scale = s;
}

// The parts of a B packed by hs_i8_pack_b for N and K.
struct packed_b {
    int np, kp;  // N and K padded
    const int8_t *bytes;
    const float *scales;
    const int32_t *sums;
    const float *columns;  // w^T (K, np) in fp32, where packed with them
};

static inline struct packed_b packed_parts(const void *packed, int n, int k) {
    struct packed_b b = { padded_n(n), padded_k(k), packed, NULL, NULL, NULL };
    b.scales = (const float *)(b.bytes + (size_t)b.np * b.kp);
    b.sums = (const int32_t *)(b.scales + b.np);
    b.columns = (const float *)(b.sums + b.np);
    return b;
}

// One product of A: B packed for N columns, its bias, residual and C (the last two with row strides).
struct i8_product {
    int n;
    const void *packed;
    const float *bias, *residual;
    int ldr;
    float *c;
    int ldc;
};

static inline float epilogue(int32_t sum, int32_t column_sum, float row_scale, float column_scale, float bias) {
    float v = (float)(sum - 128 * column_sum);
    v = v * row_scale;
    return fmaf(v, column_scale, bias);
}

static int i8_gemm_portable(int m, int k, const float *a, int lda, int o, const struct i8_product *products, int count) {
    int kp = padded_k(k);
    uint8_t *q = hs_thread_scratch(HS_SCRATCH_INT8, (size_t)kp + 64);
    if (!q) return -1;
    int index[HS_I8_MAX_OUTLIERS];
    float value[HS_I8_MAX_OUTLIERS];
    for (int i = 0; i < m; i++) {
        float s;
        quantise_row_portable(a + (size_t)i * lda, k, kp, o, q, &s, index, value);
        for (int e = 0; e < count; e++) {
            const struct i8_product *x = &products[e];
            struct packed_b b = packed_parts(x->packed, x->n, k);
            for (int j = 0; j < x->n; j++) {
                const int8_t *block = b.bytes + (size_t)(j / HS_I8_NR) * kp * HS_I8_NR + (j % HS_I8_NR) * 4;
                int32_t sum = 0;
                for (int g = 0; g < kp / 4; g++) {
                    const int8_t *w = block + (size_t)g * HS_I8_NR * 4;
                    const uint8_t *u = q + 4 * g;
                    sum += (int32_t)u[0] * w[0] + (int32_t)u[1] * w[1] + (int32_t)u[2] * w[2] + (int32_t)u[3] * w[3];
                }
                float v = epilogue(sum, b.sums[j], s, b.scales[j], x->bias ? x->bias[j] : 0.0f);
                for (int t = 0; t < o; t++) v = fmaf(value[t], b.columns[(size_t)index[t] * b.np + j], v);
                if (x->residual) v = v + x->residual[(size_t)i * x->ldr + j];
                x->c[(size_t)i * x->ldc + j] = v;
            }
        }
    }
    return 0;
}

#if defined(__x86_64__)
#define HS_VNNI __attribute__((target("avx512f,avx512bw,avx512vnni")))

HS_VNNI static float select_outliers_vnni(const float *a, int k, int o, int *index, float *value) {
    struct selection s = { .count = 0, .keep = o + 1 };
    int i = 0;
    for (; i < k && s.count < s.keep; i++) offer(&s, i, fabsf(a[i]));
    for (; i + 16 <= k; i += 16) {
        __mmask16 above = _mm512_cmp_ps_mask(_mm512_abs_ps(_mm512_loadu_ps(a + i)), _mm512_set1_ps(s.magnitude[s.count - 1]), _CMP_GT_OQ);
        while (above) {
            int j = __builtin_ctz(above);
            above &= (__mmask16)(above - 1);
            offer(&s, i + j, fabsf(a[i + j]));
        }
    }
    for (; i < k; i++) offer(&s, i, fabsf(a[i]));
    return chosen_outliers(&s, a, o, index, value);
}

HS_VNNI static void quantise_rows_vnni(const float *a, int lda, int m, int k, int kp, int o, uint8_t *q, float *scales,
                                       int *index, float *value) {
    const __m512 low = _mm512_set1_ps(-127.0f), high = _mm512_set1_ps(127.0f);
    const __m512i zero = _mm512_set1_epi32(128);
    for (int r = 0; r < m; r++) {
        const float *x = a + (size_t)r * lda;
        __m512 top = _mm512_setzero_ps();
        int i = o > 0 ? k : 0;  // (with outliers, select_outliers finds the scale)
        for (; i + 16 <= k; i += 16) top = _mm512_max_ps(_mm512_abs_ps(_mm512_loadu_ps(x + i)), top);  // (a NaN x drops out)
        if (o == 0 && i < k) top = _mm512_max_ps(_mm512_abs_ps(_mm512_maskz_loadu_ps((__mmask16)((1u << (k - i)) - 1), x + i)), top);
        float t = o > 0 ? select_outliers_vnni(x, k, o, index + (size_t)r * o, value + (size_t)r * o) : _mm512_reduce_max_ps(top);
        float s = t > 0 ? t / 127.0f : 1.0f;
        __m512 vs = _mm512_set1_ps(1.0f / s);
        uint8_t *row = q + (size_t)r * kp;
        for (i = 0; i + 16 <= k; i += 16) {
            __m512 t = _mm512_min_ps(_mm512_max_ps(_mm512_mul_ps(_mm512_loadu_ps(x + i), vs), low), high);
            __m512i v = _mm512_add_epi32(_mm512_cvtps_epi32(t), zero);
            _mm_storeu_si128((__m128i *)(row + i), _mm512_cvtepi32_epi8(v));
        }
        if (i < k) {
            __mmask16 mask = (__mmask16)((1u << (k - i)) - 1);
            __m512 t = _mm512_min_ps(_mm512_max_ps(_mm512_mul_ps(_mm512_maskz_loadu_ps(mask, x + i), vs), low), high);
            __m512i v = _mm512_add_epi32(_mm512_cvtps_epi32(t), zero);
            _mm512_mask_cvtepi32_storeu_epi8(row + i, mask, v);
        }
        for (i = k; i < kp; i++) row[i] = 128;
        for (int j = 0; j < o && j < k; j++) row[index[(size_t)r * o + j]] = 128;
        scales[r] = s;
    }
}

// One tile: `rows` (<= MR) rows of quantised A against one block of 32 columns, `cols` of them
// stored. Always inlined with a constant `rows` (`vnni_tile`), so that its accumulators stay in
// registers and its loops have no branch.
HS_VNNI static inline __attribute__((always_inline)) void vnni_tile_rows(
    const int rows, int cols, int kp, const uint8_t *q, const float *row_scales, const int8_t *block,
    const float *column_scales, const int32_t *column_sums, const float *bias, const float *residual, int ldr,
    float *c, int ldc, int o, const int *index, const float *value, const float *wt, int np) {
    __m512i acc[HS_I8_MR][2];
#pragma clang loop unroll(full)
    for (int r = 0; r < rows; r++) { acc[r][0] = _mm512_setzero_si512(); acc[r][1] = _mm512_setzero_si512(); }
    for (int g = 0; g < kp / 4; g++) {
        __m512i b0 = _mm512_loadu_si512(block + (size_t)g * 128), b1 = _mm512_loadu_si512(block + (size_t)g * 128 + 64);
#pragma clang loop unroll(full)
        for (int r = 0; r < rows; r++) {
            __m512i x = _mm512_set1_epi32(*(const int32_t *)(q + (size_t)r * kp + 4 * g));
            acc[r][0] = _mm512_dpbusd_epi32(acc[r][0], x, b0);
            acc[r][1] = _mm512_dpbusd_epi32(acc[r][1], x, b1);
        }
    }
    __mmask16 m0 = cols >= 16 ? 0xffff : (__mmask16)((1u << cols) - 1);
    __mmask16 m1 = cols >= 32 ? 0xffff : cols <= 16 ? 0 : (__mmask16)((1u << (cols - 16)) - 1);
    __m512i s0 = _mm512_slli_epi32(_mm512_maskz_loadu_epi32(m0, column_sums), 7);
    __m512i s1 = _mm512_slli_epi32(_mm512_maskz_loadu_epi32(m1, column_sums + 16), 7);
    __m512 w0 = _mm512_maskz_loadu_ps(m0, column_scales), w1 = _mm512_maskz_loadu_ps(m1, column_scales + 16);
    __m512 z0 = bias ? _mm512_maskz_loadu_ps(m0, bias) : _mm512_setzero_ps();
    __m512 z1 = bias ? _mm512_maskz_loadu_ps(m1, bias + 16) : _mm512_setzero_ps();
#pragma clang loop unroll(full)
    for (int r = 0; r < rows; r++) {
        __m512 x = _mm512_set1_ps(row_scales[r]);
        __m512 v0 = _mm512_fmadd_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(acc[r][0], s0)), x), w0, z0);
        __m512 v1 = _mm512_fmadd_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(acc[r][1], s1)), x), w1, z1);
        for (int t = 0; t < o; t++) {
            const float *w = wt + (size_t)index[r * o + t] * np;
            __m512 u = _mm512_set1_ps(value[r * o + t]);
            v0 = _mm512_fmadd_ps(u, _mm512_maskz_loadu_ps(m0, w), v0);
            v1 = _mm512_fmadd_ps(u, _mm512_maskz_loadu_ps(m1, w + 16), v1);
        }
        if (residual) {
            v0 = _mm512_add_ps(v0, _mm512_maskz_loadu_ps(m0, residual + (size_t)r * ldr));
            v1 = _mm512_add_ps(v1, _mm512_maskz_loadu_ps(m1, residual + (size_t)r * ldr + 16));
        }
        _mm512_mask_storeu_ps(c + (size_t)r * ldc, m0, v0);
        _mm512_mask_storeu_ps(c + (size_t)r * ldc + 16, m1, v1);
    }
}

HS_VNNI static void vnni_tile(int rows, int cols, int kp, const uint8_t *q, const float *row_scales, const int8_t *block,
                              const float *column_scales, const int32_t *column_sums, const float *bias,
                              const float *residual, int ldr, float *c, int ldc, int o, const int *index,
                              const float *value, const float *wt, int np) {
#define HS_I8_TILE(R) vnni_tile_rows(R, cols, kp, q, row_scales, block, column_scales, column_sums, bias, residual, ldr, c, ldc, \
                                     o, index, value, wt, np)
    switch (rows) {
    case 12: HS_I8_TILE(12); break;
    case 11: HS_I8_TILE(11); break;
    case 10: HS_I8_TILE(10); break;
    case 9: HS_I8_TILE(9); break;
    case 8: HS_I8_TILE(8); break;
    case 7: HS_I8_TILE(7); break;
    case 6: HS_I8_TILE(6); break;
    case 5: HS_I8_TILE(5); break;
    case 4: HS_I8_TILE(4); break;
    case 3: HS_I8_TILE(3); break;
    case 2: HS_I8_TILE(2); break;
    default: HS_I8_TILE(1); break;
    }
#undef HS_I8_TILE
}

HS_VNNI static int i8_gemm_vnni(int m, int k, const float *a, int lda, int o, const struct i8_product *products, int count) {
    int kp = padded_k(k);
    // Rows in panels of 96 (8 tiles): their bytes (96 x K) stay in L1 / L2 while every block of B passes.
    enum { PANEL = 96 };
    size_t need = (size_t)PANEL * kp + (size_t)PANEL * (sizeof(float) + HS_I8_MAX_OUTLIERS * (sizeof(int) + sizeof(float))) + 64;
    uint8_t *q = hs_thread_scratch(HS_SCRATCH_INT8, need);
    if (!q) return -1;
    float *row_scales = (float *)(q + (size_t)PANEL * kp);
    int *index = (int *)(row_scales + PANEL);
    float *value = (float *)(index + (size_t)PANEL * HS_I8_MAX_OUTLIERS);
    for (int p = 0; p < m; p += PANEL) {
        int panel = m - p < PANEL ? m - p : PANEL;
        quantise_rows_vnni(a + (size_t)p * lda, lda, panel, k, kp, o, q, row_scales, index, value);
        for (int e = 0; e < count; e++) {
            const struct i8_product *x = &products[e];
            struct packed_b b = packed_parts(x->packed, x->n, k);
            for (int j = 0; j < x->n; j += HS_I8_NR) {
                int cols = x->n - j < HS_I8_NR ? x->n - j : HS_I8_NR;
                const int8_t *block = b.bytes + (size_t)(j / HS_I8_NR) * kp * HS_I8_NR;
                for (int r = 0; r < panel; r += HS_I8_MR) {
                    int rows = panel - r < HS_I8_MR ? panel - r : HS_I8_MR;
                    vnni_tile(rows, cols, kp, q + (size_t)r * kp, row_scales + r, block, b.scales + j, b.sums + j,
                              x->bias ? x->bias + j : NULL, x->residual ? x->residual + (size_t)(p + r) * x->ldr + j : NULL, x->ldr,
                              x->c + (size_t)(p + r) * x->ldc + j, x->ldc, o, index + (size_t)r * o, value + (size_t)r * o,
                              b.columns + j, b.np);
                }
            }
        }
    }
    return 0;
}

#endif

static int vnni_here(void) {
#if defined(__x86_64__)
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vnni") ? 1 : 0;
#else
    return 0;
#endif
}

int hs_i8_kernel_available(void) {
    static int state = -1;
    if (state < 0) {
        const char *choice = getenv("HOUSESTYLE_KERNELS");
        state = (choice && strcmp(choice, "portable") == 0) ? 0 : vnni_here();
    }
    return state;
}

int hs_i8_path_available(int path) {
    switch (path) {
    case 0: case 2: return 1;
    case 1: return vnni_here();
    default: return 0;
    }
}

static int i8_products(int m, int k, const float *a, int lda, int outliers, const struct i8_product *products, int count, int path) {
    if (m <= 0 || count <= 0) return 0;
    // (Beyond HS_I8_MAX_K a sum of 255 * 127 per k could leave int32.)
    if (k <= 0 || k > HS_I8_MAX_K || outliers < 0 || outliers > HS_I8_MAX_OUTLIERS) return -2;
    for (int e = 0; e < count; e++) if (products[e].n <= 0) return -2;
#if defined(__x86_64__)
    if (path == 1 && !hs_i8_path_available(1)) return -2;
    if (path == 1 || (path == 0 && hs_i8_kernel_available())) return i8_gemm_vnni(m, k, a, lda, outliers, products, count);
#else
    if (path == 1) return -2;
#endif
    if (path == 0 || path == 2) return i8_gemm_portable(m, k, a, lda, outliers, products, count);
    return -2;
}

int hs_i8_gemm(int m, int n, int k, const float *a, int lda, const void *packed_b, int outliers, const float *bias,
               const float *residual, int ldr, float *c, int ldc, int path) {
    if (m <= 0 || n <= 0) return 0;
    struct i8_product product = { n, packed_b, bias, residual, ldr, c, ldc };
    return i8_products(m, k, a, lda, outliers, &product, 1, path);
}

int hs_i8_gemm_shared(int m, int k, const float *a, int lda, int outliers, int count, const int *n,
                      const void *const *packed_b, const float *const *bias, float *const *c, const int *ldc, int path) {
    if (count <= 0 || count > HS_I8_MAX_SHARED) return -2;
    struct i8_product products[HS_I8_MAX_SHARED];
    for (int e = 0; e < count; e++) products[e] = (struct i8_product){ n[e], packed_b[e], bias ? bias[e] : NULL, NULL, 0, c[e], ldc[e] };
    return i8_products(m, k, a, lda, outliers, products, count, path);
}
