#ifndef HS_KERNELS_H
#define HS_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when this processor runs hs_sgemm's AVX-512 kernel, else 0 (callers then use another sgemm).
/// The environment variable HOUSESTYLE_KERNELS=portable makes it 0, to exercise the fallbacks.
int hs_sgemm_available(void);

/// Row-major C (M, N) = alpha * op(A) * op(B) + beta * C, single-threaded, AVX-512.
/// op(A) is (M, K), op(B) is (K, N); lda, ldb, ldc are the row strides as stored. beta == 0
/// ignores what C held (NaN included), as BLAS does. Each element of C is summed in the same
/// order whatever M is, so splitting M across threads gives identical results.
/// Returns 0, or -1 when the kernel is not available or a scratch allocation failed.
int hs_sgemm(int transpose_a, int transpose_b, int m, int n, int k, float alpha,
             const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc);

/// hs_sgemm plus a bias row: C = alpha * op(A) * op(B) + beta * C + bias, bias: (N) or NULL.
int hs_sgemm_bias(int transpose_a, int transpose_b, int m, int n, int k, float alpha,
                  const float *a, int lda, const float *b, int ldb, float beta, const float *bias, float *c, int ldc);

/// Floats hs_sgemm_pack_b writes for an op(B) of (K, N).
long hs_sgemm_packed_b_count(int n, int k);

/// Packs op(B) (K, N) once into dst (hs_sgemm_packed_b_count floats, 64-byte aligned) in the
/// layout hs_sgemm_bias packs it into for every product: a constant B (a weight matrix) is then
/// packed once instead of once per product and per thread. Returns 0, or -1 without the kernel.
int hs_sgemm_pack_b(int transpose_b, int n, int k, const float *b, int ldb, float *dst);

/// hs_sgemm_bias with op(B) packed by hs_sgemm_pack_b for the same N and K: identical results.
int hs_sgemm_bias_packed(int transpose_a, int m, int n, int k, float alpha, const float *a, int lda,
                         const float *packed_b, float beta, const float *bias, float *c, int ldc);

/// hs_sgemm_bias (b, ldb, transpose_b) or hs_sgemm_bias_packed (packed_b non-NULL, then b and
/// transpose_b unused) with GELU applied to each tile of C as it is finished (in cache), exactly one
/// of `activated` and `pre_activation` non-NULL, both (M, N) with row stride ld_gelu:
///   activated non-NULL:      activated = GELU(C), C kept (the feed-forward's forward pass);
///                            with `slope` non-zero C = GELU'(C) instead (all the backward pass
///                            needs of C, computed with the same normal CDF as GELU);
///   pre_activation non-NULL: C = C · GELU'(pre_activation) (its backward pass: C the gradient
///                            of GELU's output on entry to the epilogue, of its input on return);
///                            with `slope` non-zero pre_activation holds GELU' (as the forward
///                            pass left it), C = C · pre_activation.
/// The same bits as the product followed by hs_gelu_forward(activated, C) or
/// hs_gelu_backward(C, C, pre_activation, accumulate 0). For a product of one K block (K <= 384) and
/// beta 0, each tile is computed into an L1 buffer and C (and activated) written from there once,
/// with streaming stores where 64-byte aligned (not left in cache, no read for ownership); ends with
/// an sfence. Returns 0, or -1 when the AVX-512 kernels
/// do not run here (hs_sgemm_available and hs_elementwise_level 2), neither or both GELU buffers
/// are given, or a scratch allocation failed.
int hs_sgemm_bias_gelu(int transpose_a, int transpose_b, int m, int n, int k, float alpha, const float *a, int lda,
                       const float *b, int ldb, const float *packed_b, float beta, const float *bias, float *c, int ldc,
                       float *activated, const float *pre_activation, int ld_gelu, int slope);

/// H (M, count) = X (M, K) · B^T for count <= 16 and K <= 384, row j of B (K floats) at b_rows[j],
/// column j of H at h_columns[j] with row stride ldh: the same bits as hs_sgemm_bias (alpha 1,
/// beta 0, no bias) with a quarter of its FMAs (the LoRA adapters' x A^T). Returns 0, or -1 when
/// the AVX-512 kernel does not run here, count or K is out of range, or a scratch allocation failed.
int hs_sgemm_narrow(int m, int k, const float *x, int ldx, int count, const float *const *b_rows,
                    float *const *h_columns, int ldh);

/// 1 when the processor has AVX512-BF16 (and HOUSESTYLE_KERNELS=portable does not turn it off):
/// hs_bf16_gemm's fastest path and the fused products then run their AVX512-BF16 blocks, with
/// vdpbf16ps or its emulation inside (hs_bf16_dot_here). Else 0 (hs_bf16_gemm then runs an
/// emulation or the portable loop, which give the same bits).
int hs_bf16_kernel_available(void);

/// The inner kernel hs_bf16_gemm's fastest path and the fused products (dot 0) run where
/// hs_bf16_kernel_available: 1 vdpbf16ps, 2 its emulation with AVX-512F FMAs, whichever a short
/// timing at first use finds faster (vdpbf16ps unless it is 1.25 times slower: Zen 4 keeps it,
/// Intel's Emerald Rapids takes the emulation). Both give the same bits. 0 elsewhere.
/// HOUSESTYLE_BF16_DOT=native or emulated sets it (another value: timed).
int hs_bf16_dot_here(void);

/// Pairs of bf16 (uint32) hs_bf16_pack_b writes for an op(B) of (K, N).
long hs_bf16_packed_b_count(int n, int k);

/// Packs op(B) (K, N) as bf16 (round to nearest even, denormals to zero) in pairs of k (the even k
/// in the low 16 bits), for hs_bf16_gemm. dst: hs_bf16_packed_b_count pairs, 64-byte aligned.
/// Any processor. Returns 0, or -1 when a scratch allocation failed.
int hs_bf16_pack_b(int transpose_b, int n, int k, const float *b, int ldb, uint32_t *dst);

/// The plain loop hs_bf16_pack_b runs for a B that is not transposed; tests compare the two.
int hs_bf16_pack_b_reference(int transpose_b, int n, int k, const float *b, int ldb, uint32_t *dst);

/// Row-major C (M, N) = bf16(A) (M, K) * B + bias, B packed by hs_bf16_pack_b for this N and K,
/// bias: (N) or NULL; products of bf16 values summed in fp32, in the order vdpbf16ps sums them
/// (see hs_sgemm_bf16.c). Every path gives the same bits; `path` picks one (tests): 0 the fastest
/// here (the portable loop with HOUSESTYLE_KERNELS=portable), 1 vdpbf16ps (AVX512-BF16),
/// 2 emulated with AVX-512F, 3 emulated with AVX2 and FMA, 4 the portable loop. Each row of C is
/// the same bits whatever M is. Returns 0, -1 when a scratch allocation failed, -2 when the
/// processor cannot run that path.
int hs_bf16_gemm(int m, int n, int k, const float *a, int lda, const uint32_t *packed_b, const float *bias,
                 float *c, int ldc, int path);

/// 1 when this processor can run hs_bf16_gemm's `path` (0 and 4 always), else 0.
int hs_bf16_path_available(int path);

/// Int8 projections (hs_int8.c), for inference: the weight quantised once per column to signed
/// bytes, A per row as each product starts, the sums exact integers; every path gives the same bits.
/// 1 when the AVX512-VNNI kernel runs here (not with HOUSESTYLE_KERNELS=portable), else 0.
int hs_i8_kernel_available(void);

/// 1 when this processor can run hs_i8_gemm's `path` (0 and 2 always), else 0.
int hs_i8_path_available(int path);

/// Bytes hs_i8_pack_b writes for a weight of N rows (the products' columns) and K columns, with
/// (`columns` non-zero) or without its fp32 columns for hs_i8_gemm's outliers.
long hs_i8_packed_b_bytes(int n, int k, int columns);

/// Quantises the weight w (N, K), row stride ldw, one scale per row (max |w| / 127, each value
/// rounded to nearest even of w / scale in -127..127), and packs it for hs_i8_gemm into dst
/// (hs_i8_packed_b_bytes, 64-byte aligned): B = w^T. With `columns` non-zero it keeps w^T in fp32
/// too, which hs_i8_gemm needs for outliers. Returns 0, or -1 for an empty shape.
int hs_i8_pack_b(int n, int k, const float *w, int ldw, int columns, void *dst);

/// Row-major C (M, N) = A (M, K) * B + bias (+ residual), B packed by hs_i8_pack_b for this N and
/// K; bias (N) and residual (M, N, row stride ldr) may be NULL. Each row of A is quantised to bytes
/// by its own scale (max |a| / 127), and C[m][n] = fma(float(exact integer sum) * scale_m, scale_n,
/// bias[n]). With `outliers` (0 to 8; B packed with its columns) the channels of each row with the
/// largest |a| are left out of the bytes, the scale is the largest |a| of the rest, and each
/// outlier's product with its fp32 weights is added by an fma (in increasing channel order); then
/// + residual. `path`: 0 the fastest here, 1 AVX512-VNNI, 2 the portable loop (the same bits).
/// Returns 0, -1 when scratch memory ran out, -2 when `path` cannot run here, K <= 0 or K > 65,536
/// (where an int32 sum could overflow) or `outliers` is out of range. A NaN in A is quantised as -127
/// on every path (it does not count for its row's scale).
int hs_i8_gemm(int m, int n, int k, const float *a, int lda, const void *packed_b, int outliers, const float *bias,
               const float *residual, int ldr, float *c, int ldc, int path);

/// `count` (1 to 4) products of the same A (q, k and v of one input): A quantised, and its outliers
/// chosen, once. Product e: n[e] columns, packed_b[e], bias[e] (bias or its entry may be NULL), C
/// c[e] with row stride ldc[e]; no residual. The bits of `count` hs_i8_gemm calls. Returns as
/// hs_i8_gemm does, -2 also for a count out of range.
int hs_i8_gemm_shared(int m, int k, const float *a, int lda, int outliers, int count, const int *n,
                      const void *const *packed_b, const float *const *bias, float *const *c, const int *ldc, int path);

/// 1 when hs_bf16_gemm_gelu runs here for an op(B) of (K, N): the AVX512-BF16 kernel and the
/// AVX-512 GELU loop (hs_elementwise_level 2), N a multiple of 32, K in one block (at most 768).
int hs_bf16_gelu_fusable(int n, int k);

/// The feed-forward's first product and GELU as the next product's A: pairs (M, N / 2, row
/// stride ldp pairs) = bf16 pairs of GELU(bf16(A) B + bias), the same bits as hs_bf16_gemm, then
/// hs_gelu_forward, then the conversion hs_bf16_gemm makes of its A. Returns 0, -1 when a scratch
/// allocation failed, -2 when not hs_bf16_gelu_fusable or `dot` is none of these: the inner kernel,
/// 0 hs_bf16_dot_here's, 1 vdpbf16ps, 2 the emulation (the same bits; tests run both).
int hs_bf16_gemm_gelu(int m, int n, int k, const float *a, int lda, const uint32_t *packed_b, const float *bias,
                      uint32_t *pairs, int ldp, int dot);

/// hs_bf16_gemm_add with A already in pairs (hs_bf16_gemm_gelu's output, row stride ldp pairs,
/// zero past K): the same bits. `dot` as in hs_bf16_gemm_gelu. Returns 0, -1 when a scratch
/// allocation failed, or -2 without AVX512-BF16, with K <= 0 or an unknown `dot`.
int hs_bf16_gemm_pairs(int m, int n, int k, const uint32_t *pairs, int ldp, const uint32_t *packed_b,
                       const float *bias, float *c, int ldc, const float *residual, int ldr, int dot);

/// hs_bf16_gemm on the AVX512-BF16 kernel, then C += residual (M, N; row stride ldr) when residual
/// is not NULL, in the store of C's last block: the bits of the product and then the sum, without
/// a second pass over C (the encoder's residual connections). Returns 0, -1 when a scratch
/// allocation failed, -2 without AVX512-BF16, with K <= 0 or an unknown `dot` (as in hs_bf16_gemm_gelu).
int hs_bf16_gemm_add(int m, int n, int k, const float *a, int lda, const uint32_t *packed_b, const float *bias,
                     float *c, int ldc, const float *residual, int ldr, int dot);

/// 1 when hs_attention_forward/backward run here: the AVX-512 kernels (not forced off by
/// HOUSESTYLE_KERNELS=portable), heads 32 wide, a width that is a multiple of 16.
int hs_attention_available(int head_width, int width);

/// Self-attention of one sentence of n tokens, all heads, fused (scores, softmax and the product
/// with V per block of 12 rows; K transposed once for all heads). q, k, v, context: (n, width) row
/// after row, head h in columns h * head_width..; probabilities: (heads, n, n), written for the
/// backward pass. Bit-identical to hs_sgemm products and hs_softmax_rows per head.
/// Returns 0, or -1 when not available (hs_attention_available) or a scratch allocation failed.
int hs_attention_forward(int n, int heads, int head_width, int width, float scale,
                         const float *q, const float *k, const float *v, float *probabilities, float *context);

/// The backward pass of hs_attention_forward for one sentence: dq, dk, dv (n, width) += their
/// gradients from dcontext (n, width), dk not computed when null (a layer whose input gradient is
/// not needed); dscores: n * n floats of scratch. Returns 0 or -1 as above.
int hs_attention_backward(int n, int heads, int head_width, int width, float scale,
                          const float *dcontext, const float *probabilities,
                          const float *q, const float *k, const float *v,
                          float *dq, float *dk, float *dv, float *dscores);

/// Which vector unit the elementwise kernels below use: 2 AVX-512, 1 AVX2 with FMA, 0 none (they
/// then return -1 and callers run their portable loops). HOUSESTYLE_KERNELS=portable makes it 0.
int hs_elementwise_level(void);

/// y = x * Phi(x) (exact GELU) over `count` floats. Returns -1 when no vector kernel is available.
int hs_gelu_forward(float *y, const float *x, long count);

/// dx += dy * (Phi(x) + x phi(x)) over `count` floats (dx = ... when accumulate is 0).
/// Returns -1 when no vector kernel is available.
int hs_gelu_backward(float *dx, const float *dy, const float *x, long count, int accumulate);

/// Numerically stable softmax of each row of x (rows, width), in place. -1 without a vector kernel.
int hs_softmax_rows(float *x, long rows, long width);

/// LayerNorm of each row of x (rows, width): y = (x - mean) * rstd * gamma + beta, keeping mean and
/// rstd (rows). AVX-512 only: -1 elsewhere (and with HOUSESTYLE_KERNELS=portable), where callers
/// run their portable loop.
int hs_layer_norm_rows(float *y, float *mean, float *rstd, const float *x, const float *gamma, const float *beta,
                       long rows, long width, float epsilon);

/// The widest vector the processor runs FMAs on: 512 (AVX-512), 256 (AVX2 with FMA) or 0 (neither).
/// A property of the hardware: HOUSESTYLE_KERNELS=portable does not change it.
int hs_fma_peak_width(void);

/// Runs `iterations` rounds of independent chains of dependent FP32 FMAs on vectors of `width`
/// bits (512 on zmm, 256 on ymm) on the calling thread and returns the floating-point operations
/// done (2 per multiply-add per lane); the time it takes is the caller's to measure. The chains'
/// sum goes to `sink`, so nothing is optimised away: 16 chains on zmm, 10 on ymm, each lane of
/// chain j starting at j / 10 and stepping c = c * 0.999999 + 1e-6, so tests can recompute it.
/// Returns -1 when the processor lacks `width`.
long hs_fma_peak_run(int width, long iterations, float *sink);

/// 1 when this processor has the SHA extensions hs_sha256 uses, else 0.
/// HOUSESTYLE_KERNELS=portable makes it 0.
int hs_sha256_accelerated(void);

/// SHA-256 of `count` bytes into `digest`: with the SHA extensions when `accelerated` is non-zero
/// and the processor has them, else with portable C (the reference the tests compare with).
void hs_sha256(const void *bytes, size_t count, int accelerated, unsigned char digest[32]);

#ifdef __cplusplus
}
#endif

#endif
