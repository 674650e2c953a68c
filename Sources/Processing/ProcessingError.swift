import Foundation

/// Why a pipeline spec, a pipeline file or a processor's arguments were rejected; every message
/// names the problem and lists the valid choices.
public enum ProcessingError: Error, Equatable, LocalizedError, CustomStringConvertible {
    /// The spec text was empty.
    case emptySpec
    /// The spec did not have the form `name:key=value,key=value`.
    case malformedSpec(spec: String, reason: String)
    /// No processor has this name.
    case unknownProcessor(name: String, valid: [String])
    /// The processor has no parameter of this name.
    case unknownParameter(processor: String, name: String, valid: [String])
    /// A parameter was given twice.
    case duplicateParameter(processor: String, name: String)
    /// The value is not valid for the parameter.
    case badValue(processor: String, parameter: String, value: String, expected: String)
    /// Individually valid values that do not fit together.
    case invalidCombination(processor: String, reason: String)
    /// A pipeline file could not be read.
    case unreadableFile(path: String, reason: String)
    /// An error on one line of a pipeline file.
    indirect case inFile(path: String, line: Int, error: ProcessingError)

    /// The one-line message.
    public var description: String {
        switch self {
        case .emptySpec:
            return "empty processor spec; expected name:key=value,key=value"
        case .malformedSpec(let spec, let reason):
            return "malformed processor spec \"\(spec)\": \(reason); expected name:key=value,key=value"
        case .unknownProcessor(let name, let valid):
            return "unknown processor \"\(name)\"; valid processors: \(valid.joined(separator: ", "))"
        case .unknownParameter(let processor, let name, let valid):
            return "processor \"\(processor)\" has no parameter \"\(name)\"; valid parameters: \(valid.joined(separator: ", "))"
        case .duplicateParameter(let processor, let name):
            return "parameter \"\(name)\" of processor \"\(processor)\" is given more than once"
        case .badValue(let processor, let parameter, let value, let expected):
            return "bad value \"\(value)\" for \(processor) parameter \"\(parameter)\"; expected \(expected)"
        case .invalidCombination(let processor, let reason):
            return "\(processor): \(reason)"
        case .unreadableFile(let path, let reason):
            return "cannot read pipeline file \(path): \(reason)"
        case .inFile(let path, let line, let error):
            return "\(path) line \(line): \(error.description)"
        }
    }

    /// The one-line message.
    public var errorDescription: String? { description }
}
