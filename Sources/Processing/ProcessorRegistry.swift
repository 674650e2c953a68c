import Foundation
import MIDI

/// What the registry knows about one processor type: its description and how to make it.
public struct ProcessorDescriptor: Sendable {
    /// The name used in specs.
    public let name: String
    /// One line on what it does.
    public let summary: String
    /// The property its output keeps.
    public let guarantee: String
    /// Its parameters with defaults.
    public let parameters: [ParameterSpec]
    private let factory: @Sendable (ProcessorArguments) throws -> any PostProcessor

    /// Describes a processor type.
    public init<P: PostProcessor>(_ type: P.Type) {
        name = P.name
        summary = P.summary
        guarantee = P.guarantee
        parameters = P.parameters
        factory = { try P(arguments: $0) }
    }

    /// Makes the processor from (name, value) pairs, validating them.
    public func make(_ given: [(name: String, value: String)] = []) throws -> any PostProcessor {
        try factory(ProcessorArguments(processor: name, parameters: parameters, given: given))
    }
}

/// The processors a pipeline spec may name.
public struct ProcessorRegistry: Sendable {
    /// The built-in processors. Adding a processor: one new type and one line here.
    public static let standard = ProcessorRegistry([
        ProcessorDescriptor(ScaleConstraint.self),
        ProcessorDescriptor(Quantizer.self),
        ProcessorDescriptor(ChordVoicer.self),
        ProcessorDescriptor(BassLine.self),
        ProcessorDescriptor(DrumPart.self),
        ProcessorDescriptor(Humanizer.self),
        ProcessorDescriptor(Arranger.self),
    ])

    /// Registered processors in listing order.
    public private(set) var descriptors: [ProcessorDescriptor]

    /// Creates a registry from descriptors.
    public init(_ descriptors: [ProcessorDescriptor]) {
        self.descriptors = descriptors
    }

    /// Adds (or replaces, by name) a processor type.
    public mutating func register<P: PostProcessor>(_ type: P.Type) {
        descriptors.removeAll { $0.name == P.name }
        descriptors.append(ProcessorDescriptor(type))
    }

    /// The registered names in listing order.
    public var names: [String] { descriptors.map(\.name) }

    /// The descriptor with a name (ignoring case).
    public func descriptor(named name: String) -> ProcessorDescriptor? {
        descriptors.first { $0.name.lowercased() == name.lowercased() }
    }

    /// Makes the processor a parsed spec names, validating its arguments.
    public func makeProcessor(_ spec: ProcessorSpec) throws -> any PostProcessor {
        guard let descriptor = descriptor(named: spec.name) else {
            throw ProcessingError.unknownProcessor(name: spec.name, valid: names)
        }
        return try descriptor.make(spec.arguments.map { ($0.name, $0.value) })
    }

    /// Makes the processor a spec string (`quantize:grid=1/16,strength=0.8`) names.
    public func makeProcessor(_ text: String) throws -> any PostProcessor {
        try makeProcessor(ProcessorSpec(parsing: text))
    }

    /// Makes a pipeline from spec strings, in order.
    public func makePipeline(_ specs: [String]) throws -> Pipeline {
        Pipeline(try specs.map { try makeProcessor($0) })
    }

    /// Makes a pipeline from a pipeline file (one spec per line, `#` comments); errors name the line.
    public func makePipeline(fileAt path: String) throws -> Pipeline {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let reason = !exists ? "no such file" : isDirectory.boolValue ? "is a directory" : "not readable UTF-8 text"
            throw ProcessingError.unreadableFile(path: path, reason: reason)
        }
        let specs = try ProcessorSpec.parsePipeline(text, path: path)
        var processors: [any PostProcessor] = []
        for (spec, line) in specs {
            do {
                processors.append(try makeProcessor(spec))
            } catch let error as ProcessingError {
                throw ProcessingError.inFile(path: path, line: line, error: error)
            }
        }
        return Pipeline(processors)
    }
}

/// Processors applied in order, each receiving the previous one's output and the shared context.
public struct Pipeline: Sendable {
    /// The stages in order.
    public var processors: [any PostProcessor]

    /// Creates a pipeline.
    public init(_ processors: [any PostProcessor]) {
        self.processors = processors
    }

    /// Runs every stage in order with a fresh context.
    public func run(_ performance: Performance) throws -> Performance {
        var context = ProcessingContext()
        return try run(performance, context: &context)
    }

    /// Runs every stage in order, threading `context` through them.
    public func run(_ performance: Performance, context: inout ProcessingContext) throws -> Performance {
        var current = performance
        for processor in processors {
            current = try processor.process(current, context: &context)
            context.applied.append(type(of: processor).name)
        }
        return current
    }
}
