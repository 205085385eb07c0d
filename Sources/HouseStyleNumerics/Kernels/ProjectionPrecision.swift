/// How the encoder's projections (the linear layers' products with the pre-trained weights) are
/// computed in a forward pass.
public enum ProjectionPrecision: Sendable {
    /// fp32 operands and sums: training, the reference tests, the embeddings that index corpora.
    case float32
    /// Activations and weights rounded to bf16, products summed in fp32 (`GEMM.projectionBF16`):
    /// about twice the multiply rate where the processor has AVX512-BF16, and the same bits on
    /// every processor (a portable loop elsewhere). For inference only: the voice scorer and the
    /// meaning guard's embeddings (`NeuralVoice.compare`).
    case bfloat16
    /// Int8 products: weights quantised once per output column, activations per row as each
    /// product starts, integer sums (`GEMM.projectionInt8`), at 3.4 to 4 times the bf16 product's rate
    /// where the processor has AVX512-VNNI (without outliers; the learned stage about 1.7 times) and the same bits on every processor (a portable loop
    /// elsewhere). Where the input is a LayerNorm's output (q, k, v, the feed-forward's first
    /// product) each row's 4 largest channels stay fp32 (`MiniLMEncoder.int8Outliers`). For inference only.
    case int8
}
