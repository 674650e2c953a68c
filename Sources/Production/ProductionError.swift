import Foundation

/// A request the production path refuses before any work; one line naming the setting or file.
public struct ProductionError: Error, Sendable, Hashable, LocalizedError, CustomStringConvertible {
    /// The one-line message.
    public let description: String

    /// Creates an error with its message.
    public init(_ description: String) { self.description = description }

    /// A setting given a value it cannot take: `--temperature: bad value "-1"; expected ...`.
    static func badValue(_ setting: String, _ text: String, expected: String) -> ProductionError {
        ProductionError("--\(setting): bad value \"\(text)\"; expected \(expected)")
    }

    /// Same as ``description``.
    public var errorDescription: String? { description }
}
