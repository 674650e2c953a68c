/// The computation of one layer for one worker: forward pass, backward pass, and the caches between them.
///
/// Activations are time-major: step t, then batch row b, then feature — `steps * batch` rows of `width`.
/// A kernel instance belongs to a single worker and is never shared between threads.
protocol LayerKernel<Scalar>: AnyObject {
    associatedtype Scalar: NeuralScalar
    /// Features per input row.
    var inputWidth: Int { get }
    /// Features per output row.
    var outputWidth: Int { get }
    /// Steps in the output for `steps` input steps (1 for a last-step LSTM).
    func outputSteps(_ steps: Int) -> Int
    /// Computes the output for `batch` sequences of `steps` steps; caches what backward needs.
    func forward(parameters: UnsafePointer<Scalar>, input: UnsafePointer<Scalar>, steps: Int, batch: Int,
                 output: UnsafeMutablePointer<Scalar>)
    /// Adds this layer's parameter gradients to `gradients` (flat, same layout as parameters) and,
    /// when `inputGradient` is given, writes the gradient with respect to the input.
    func backward(parameters: UnsafePointer<Scalar>, input: UnsafePointer<Scalar>, output: UnsafePointer<Scalar>,
                  steps: Int, batch: Int, outputGradient: UnsafeMutablePointer<Scalar>,
                  inputGradient: UnsafeMutablePointer<Scalar>?, gradients: UnsafeMutablePointer<Scalar>)
}
