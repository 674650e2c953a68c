/// The type and valid values of one renderer option.
public enum RenderOptionKind: Sendable, Hashable {
    /// A whole number within an inclusive range.
    case integer(ClosedRange<Int>)
    /// A real number within an inclusive range.
    case number(ClosedRange<Double>)
    /// On or off ("on"/"off", "true"/"false", "yes"/"no", "1"/"0").
    case flag
    /// One of a fixed list of words.
    case choice([String])
    /// A file path.
    case path
    /// A real number within an inclusive range, or the word "off" (stored as ``RenderOptionValue/choice(_:)`` "off").
    case numberOrOff(ClosedRange<Double>)

    /// A short human description of the valid values, e.g. "8000...192000" or "16|24|32f".
    public var validValues: String {
        switch self {
        case .integer(let r): return "\(r.lowerBound)...\(r.upperBound)"
        case .number(let r): return "\(r.lowerBound.formatted6)...\(r.upperBound.formatted6)"
        case .flag: return "on|off"
        case .choice(let words): return words.joined(separator: "|")
        case .path: return "path"
        case .numberOrOff(let r): return "\(r.lowerBound.formatted6)...\(r.upperBound.formatted6)|off"
        }
    }
}

/// The declaration of one renderer option: name, type, default and a one-line doc.
public struct RenderOptionSpec: Sendable, Hashable {
    /// The option's name as used on the command line (`--name` or `--option name=value`).
    public let name: String
    /// Its type and valid values.
    public let kind: RenderOptionKind
    /// The default value, or nil when the option has no default (e.g. an optional path).
    public let defaultValue: RenderOptionValue?
    /// One line on what it does, with units.
    public let doc: String

    /// Declares an option.
    public init(_ name: String, _ kind: RenderOptionKind, default defaultValue: RenderOptionValue?, doc: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.doc = doc
    }

    /// Parses and validates a textual value for this option.
    public func parse(_ text: String) throws(RenderError) -> RenderOptionValue {
        let t = text.trimmingCharactersInWhitespace
        switch kind {
        case .integer(let range):
            guard let v = Int(t), range.contains(v) else { throw .invalidOption(name: name, value: text, expected: kind.validValues) }
            return .integer(v)
        case .number(let range):
            guard let v = Double(t), v.isFinite, range.contains(v) else { throw .invalidOption(name: name, value: text, expected: kind.validValues) }
            return .number(v)
        case .flag:
            switch t.lowercased() {
            case "on", "true", "yes", "1": return .flag(true)
            case "off", "false", "no", "0": return .flag(false)
            default: throw .invalidOption(name: name, value: text, expected: kind.validValues)
            }
        case .choice(let words):
            guard words.contains(t) else { throw .invalidOption(name: name, value: text, expected: kind.validValues) }
            return .choice(t)
        case .path:
            guard !t.isEmpty else { throw .invalidOption(name: name, value: text, expected: "a file path") }
            return .path(t)
        case .numberOrOff(let range):
            if ["off", "false", "no"].contains(t.lowercased()) { return .choice("off") }
            guard let v = Double(t), v.isFinite, range.contains(v) else { throw .invalidOption(name: name, value: text, expected: kind.validValues) }
            return .number(v)
        }
    }

    /// Checks that a typed value fits this option.
    public func validate(_ value: RenderOptionValue) throws(RenderError) {
        let ok: Bool
        switch (kind, value) {
        case (.integer(let r), .integer(let v)): ok = r.contains(v)
        case (.number(let r), .number(let v)): ok = v.isFinite && r.contains(v)
        case (.number(let r), .integer(let v)): ok = r.contains(Double(v))
        case (.flag, .flag): ok = true
        case (.choice(let words), .choice(let w)): ok = words.contains(w)
        case (.path, .path(let p)): ok = !p.isEmpty
        case (.numberOrOff(let r), .number(let v)): ok = v.isFinite && r.contains(v)
        case (.numberOrOff(let r), .integer(let v)): ok = r.contains(Double(v))
        case (.numberOrOff, .choice(let w)): ok = w == "off"
        default: ok = false
        }
        if !ok { throw .invalidOption(name: name, value: value.description, expected: kind.validValues) }
    }
}

/// A typed option value.
public enum RenderOptionValue: Sendable, Hashable, CustomStringConvertible {
    /// A whole number.
    case integer(Int)
    /// A real number.
    case number(Double)
    /// On or off.
    case flag(Bool)
    /// One of the declared words.
    case choice(String)
    /// A file path.
    case path(String)

    /// The value as it would be written on the command line.
    public var description: String {
        switch self {
        case .integer(let v): return String(v)
        case .number(let v): return v.formatted6
        case .flag(let v): return v ? "on" : "off"
        case .choice(let s), .path(let s): return s
        }
    }
}

/// Option values given for one render, by option name; unset options take their declared default.
public struct RenderOptions: Sendable, Hashable {
    /// The values set explicitly.
    public private(set) var values: [String: RenderOptionValue]

    /// Creates a set of option values.
    public init(_ values: [String: RenderOptionValue] = [:]) {
        self.values = values
    }

    /// Sets a value.
    public mutating func set(_ name: String, _ value: RenderOptionValue) {
        values[name] = value
    }

    /// Returns a copy with a value set.
    public func setting(_ name: String, _ value: RenderOptionValue) -> RenderOptions {
        var copy = self
        copy.set(name, value)
        return copy
    }

    /// Checks every set value against `specs`: unknown names and invalid values are errors.
    public func validated(against specs: [RenderOptionSpec], renderer: String) throws(RenderError) -> ResolvedRenderOptions {
        var resolved: [String: RenderOptionValue] = [:]
        for spec in specs {
            if let d = spec.defaultValue { resolved[spec.name] = d }
        }
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            guard let spec = specs.first(where: { $0.name == name }) else {
                throw .unknownOption(name: name, renderer: renderer, known: specs.map(\.name))
            }
            try spec.validate(value)
            resolved[name] = value
        }
        return ResolvedRenderOptions(values: resolved)
    }
}

/// Option values after validation, with defaults filled in; typed accessors for renderers.
public struct ResolvedRenderOptions: Sendable, Hashable {
    /// Every option that has a value.
    public let values: [String: RenderOptionValue]

    /// An integer option's value.
    public func integer(_ name: String) -> Int? {
        if case .integer(let v) = values[name] { return v }
        return nil
    }

    /// A number option's value (integers are widened).
    public func number(_ name: String) -> Double? {
        switch values[name] {
        case .number(let v): return v
        case .integer(let v): return Double(v)
        default: return nil
        }
    }

    /// A flag option's value.
    public func flag(_ name: String) -> Bool? {
        if case .flag(let v) = values[name] { return v }
        return nil
    }

    /// A choice or path option's value.
    public func string(_ name: String) -> String? {
        switch values[name] {
        case .choice(let s), .path(let s): return s
        default: return nil
        }
    }

    /// The value of an integer option declared with a default (validation fills it in; a missing one is a
    /// programming error in the renderer's declaration).
    public func declaredInteger(_ name: String) -> Int { declared(name, integer(name)) }
    /// The value of a number option declared with a default.
    public func declaredNumber(_ name: String) -> Double { declared(name, number(name)) }
    /// The value of a flag option declared with a default.
    public func declaredFlag(_ name: String) -> Bool { declared(name, flag(name)) }
    /// The value of a choice option declared with a default.
    public func declaredString(_ name: String) -> String { declared(name, string(name)) }

    private func declared<T>(_ name: String, _ value: T?) -> T {
        guard let value else { preconditionFailure("render option \(name) is not declared with a default of this type") }
        return value
    }
}

extension Double {
    /// Up to six significant decimals without a trailing ".0" for whole numbers.
    var formatted6: String {
        if self == rounded(), abs(self) < 1e15 { return String(Int(self)) }
        var s = String(format6: self)
        while s.contains(".") && s.hasSuffix("0") { s.removeLast() }
        return s
    }
}

extension String {
    init(format6 value: Double) {
        let scaled = (value * 1_000_000).rounded() / 1_000_000
        self = "\(scaled)"
    }

    var trimmingCharactersInWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
