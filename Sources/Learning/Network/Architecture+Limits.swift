/// Bounds that a loaded architecture must respect before any memory is sized from it.
///
/// Model files come from anywhere: these limits keep a hostile header (negative or huge units,
/// look-back or layer counts) from overflowing a size computation or allocating without bound.
extension Architecture {
    /// Largest accepted look-back, in time steps.
    public static let maxLookBack = 4_096
    /// Largest accepted width of an input step, a layer or the output.
    public static let maxWidth = 8_192
    /// Largest accepted number of layers.
    public static let maxLayers = 64
    /// Largest accepted total parameter count (about 1 GB of Float32).
    public static let maxParameters = 256 * 1_024 * 1_024

    /// Why this architecture cannot be used, or nil when it is within every limit.
    public var limitViolation: String? {
        guard (1...Self.maxLookBack).contains(lookBack) else { return "look-back \(lookBack) is outside 1...\(Self.maxLookBack)" }
        guard (1...Self.maxWidth).contains(inputWidth) else { return "input width \(inputWidth) is outside 1...\(Self.maxWidth)" }
        guard (1...Self.maxLayers).contains(layers.count) else { return "\(layers.count) layers is outside 1...\(Self.maxLayers)" }
        var width = inputWidth
        var parameters = 0
        for (index, layer) in layers.enumerated() {
            let units = layer.outputWidth(inputWidth: width)
            guard (1...Self.maxWidth).contains(units) else { return "layer \(index) has \(units) units, outside 1...\(Self.maxWidth)" }
            parameters += layer.parameterCount(inputWidth: width)
            guard parameters <= Self.maxParameters else { return "more than \(Self.maxParameters) parameters" }
            width = units
        }
        return nil
    }
}
