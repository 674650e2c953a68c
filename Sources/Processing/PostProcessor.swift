import MIDI
import Music

/// A stage that shapes a performance: the scale constraint, the quantiser, the chord voicer, ...
///
/// Each processor declares its name, a one-line summary, its parameters (typed, with defaults and
/// validation) and the guarantee its output keeps. Processors are values: the same processor and
/// input always give the same output. To add one, write a type conforming to this protocol and
/// add one line to ``ProcessorRegistry/standard``.
public protocol PostProcessor: Sendable {
    /// The name used in pipeline specs (`scale`, `quantize`, `chords`).
    static var name: String { get }
    /// One line on what the processor does.
    static var summary: String { get }
    /// The property every output of the processor has.
    static var guarantee: String { get }
    /// The parameters it accepts, in the order they are listed.
    static var parameters: [ParameterSpec] { get }

    /// Creates the processor from validated arguments (every declared parameter present);
    /// throws ``ProcessingError`` for combinations of values that do not fit together.
    init(arguments: ProcessorArguments) throws

    /// Processes a performance; `context` carries facts between the stages of a pipeline
    /// (e.g. the key a scale constraint chose).
    func process(_ performance: Performance, context: inout ProcessingContext) throws -> Performance
}

extension PostProcessor {
    /// Processes a performance on its own (a fresh pipeline context).
    public func process(_ performance: Performance) throws -> Performance {
        var context = ProcessingContext()
        return try process(performance, context: &context)
    }
}

/// Facts one pipeline stage leaves for the later ones.
public struct ProcessingContext: Sendable, Hashable {
    /// The key set by the latest scale constraint, if any ran.
    public var key: Key?
    /// Names of the processors that have run, in order.
    public var applied: [String]
    /// One line per thing a stage reports to the user (e.g. the notes a quantiser merged), in order.
    public var reports: [String]

    /// Creates an empty context.
    public init(key: Key? = nil, applied: [String] = [], reports: [String] = []) {
        self.key = key
        self.applied = applied
        self.reports = reports
    }
}
