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
}
