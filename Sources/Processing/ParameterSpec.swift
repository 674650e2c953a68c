import Foundation

/// One declared parameter of a processor: name, accepted values, default and a short description.
public struct ParameterSpec: Sendable {
    /// What values a parameter accepts.
    public enum Kind: Sendable {
        /// One of a fixed list of words (matched ignoring case).
        case choice([String])
        /// A decimal number within a closed range.
        case number(ClosedRange<Double>)
        /// An integer within a closed range.
        case integer(ClosedRange<Int>)
        /// `true`/`false` (also `yes`/`no`, `on`/`off`, `1`/`0`).
        case boolean
        /// Free text checked by a predicate; `expected` describes the valid values.
        case custom(expected: String, isValid: @Sendable (String) -> Bool)
    }

    /// The name used in specs (`grid`, `strength`).
    public var name: String
    /// Accepted values.
    public var kind: Kind
    /// The value used when the spec does not give one.
    public var defaultValue: String
    /// One line on what the parameter does (with units).
    public var summary: String

    /// Creates a parameter.
    public init(_ name: String, _ kind: Kind, default defaultValue: String, _ summary: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.summary = summary
    }

    /// A human-readable description of the valid values.
    public var expected: String {
        switch kind {
        case .choice(let words): return "one of " + words.joined(separator: ", ")
        case .number(let r): return "a number from \(Self.format(r.lowerBound)) to \(Self.format(r.upperBound))"
        case .integer(let r): return "an integer from \(r.lowerBound) to \(r.upperBound)"
        case .boolean: return "true or false"
        case .custom(let expected, _): return expected
        }
    }

    /// The canonical form of a value when it is valid (choices in their declared spelling,
    /// booleans as `true`/`false`), nil when it is not.
    public func normalise(_ raw: String) -> String? {
        let value = raw.trimmingCharacters(in: .whitespaces)
        switch kind {
        case .choice(let words):
            return words.first { $0.lowercased() == value.lowercased() }
        case .number(let r):
            guard let d = Double(value), d.isFinite, r.contains(d) else { return nil }
            return value
        case .integer(let r):
            guard let i = Int(value), r.contains(i) else { return nil }
            return String(i)
        case .boolean:
            switch value.lowercased() {
            case "true", "yes", "on", "1": return "true"
            case "false", "no", "off", "0": return "false"
            default: return nil
            }
        case .custom(_, let isValid):
            return isValid(value) ? value : nil
        }
    }

    private static func format(_ d: Double) -> String {
        d == d.rounded() ? String(Int(d)) : String(d)
    }
}

/// Validated parameter values for one processor: every declared parameter is present, either
/// as given in the spec or as its default.
public struct ProcessorArguments: Sendable, Hashable {
    /// Canonical value of each parameter by name.
    public private(set) var values: [String: String]

    /// Validates `given` (name, value) pairs against a processor's parameters and fills in the
    /// defaults; throws ``ProcessingError`` for an unknown or repeated name or a bad value.
    public init(processor: String, parameters: [ParameterSpec], given: [(name: String, value: String)] = []) throws {
        var values: [String: String] = [:]
        for p in parameters { values[p.name] = p.defaultValue }
        var seen = Set<String>()
        for (rawName, rawValue) in given {
            let name = rawName.lowercased()
            guard let spec = parameters.first(where: { $0.name.lowercased() == name }) else {
                throw ProcessingError.unknownParameter(processor: processor, name: rawName, valid: parameters.map(\.name))
            }
            guard seen.insert(spec.name).inserted else {
                throw ProcessingError.duplicateParameter(processor: processor, name: spec.name)
            }
            guard let value = spec.normalise(rawValue) else {
                throw ProcessingError.badValue(processor: processor, parameter: spec.name, value: rawValue, expected: spec.expected)
            }
            values[spec.name] = value
        }
        self.values = values
    }

    /// Validated arguments for a processor type from (name, value) pairs.
    public init<P: PostProcessor>(for type: P.Type, _ given: [(name: String, value: String)] = []) throws {
        try self.init(processor: P.name, parameters: P.parameters, given: given)
    }

    /// The value of a parameter as text ("" if the processor did not declare it).
    public func string(_ name: String) -> String { values[name] ?? "" }
    /// The value of a number parameter (0 if undeclared).
    public func double(_ name: String) -> Double { Double(string(name)) ?? 0 }
    /// The value of an integer parameter (0 if undeclared).
    public func int(_ name: String) -> Int { Int(string(name)) ?? 0 }
    /// The value of a boolean parameter (false if undeclared).
    public func bool(_ name: String) -> Bool { string(name) == "true" }
}
