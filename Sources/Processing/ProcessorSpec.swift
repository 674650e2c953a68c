import Foundation

/// One parsed pipeline stage: a processor name and its `key=value` arguments, unvalidated.
public struct ProcessorSpec: Sendable, Hashable {
    /// One `key=value` pair.
    public struct Argument: Sendable, Hashable {
        /// The parameter name.
        public var name: String
        /// The value as written.
        public var value: String
        /// Creates an argument.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The processor name as written.
    public var name: String
    /// The arguments in the order written.
    public var arguments: [Argument]

    /// Creates a spec.
    public init(name: String, arguments: [Argument] = []) {
        self.name = name
        self.arguments = arguments
    }

    /// Parses `name`, `name:` or `name:key=value,key=value` (spaces around the parts are ignored).
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw ProcessingError.emptySpec }
        let parts = trimmed.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = parts[0].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw ProcessingError.malformedSpec(spec: trimmed, reason: "missing processor name") }
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw ProcessingError.malformedSpec(spec: trimmed, reason: "processor name \"\(name)\" has characters other than letters, digits, - and _")
        }
        var arguments: [Argument] = []
        if parts.count == 2 {
            let list = parts[1].trimmingCharacters(in: .whitespaces)
            if !list.isEmpty {
                for item in list.split(separator: ",", omittingEmptySubsequences: false) {
                    let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    let key = pair[0].trimmingCharacters(in: .whitespaces)
                    guard pair.count == 2 else {
                        throw ProcessingError.malformedSpec(spec: trimmed, reason: "\"\(item.trimmingCharacters(in: .whitespaces))\" is not key=value")
                    }
                    let value = pair[1].trimmingCharacters(in: .whitespaces)
                    guard !key.isEmpty else { throw ProcessingError.malformedSpec(spec: trimmed, reason: "a parameter name is missing before \"=\"") }
                    guard !value.isEmpty else { throw ProcessingError.malformedSpec(spec: trimmed, reason: "parameter \"\(key)\" has no value") }
                    arguments.append(Argument(name: key, value: value))
                }
            }
        }
        self.init(name: name, arguments: arguments)
    }

    /// Parses a pipeline file's text: one spec per line; blank lines and `#` comments (whole-line
    /// or trailing) are ignored. Returns each spec with its 1-based line; errors name the path and line.
    public static func parsePipeline(_ text: String, path: String) throws -> [(spec: ProcessorSpec, line: Int)] {
        var specs: [(spec: ProcessorSpec, line: Int)] = []
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline }).enumerated() {
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let content = line.trimmingCharacters(in: .whitespaces.union(.init(charactersIn: "\r")))
            if content.isEmpty { continue }
            do {
                specs.append((try ProcessorSpec(parsing: content), index + 1))
            } catch let error as ProcessingError {
                throw ProcessingError.inFile(path: path, line: index + 1, error: error)
            }
        }
        return specs
    }

    /// The spec written back as `name:key=value,...`.
    public var text: String {
        arguments.isEmpty ? name : name + ":" + arguments.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
    }
}
