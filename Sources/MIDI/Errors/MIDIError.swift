import Foundation

/// Why bytes could not be read as a Standard MIDI File: what is wrong, in one line, and the byte offset.
public struct MIDIError: Error, Sendable, Hashable, LocalizedError, CustomStringConvertible {
    /// Broad classes of problems, for callers that branch on them.
    public enum Kind: Sendable, Hashable {
        /// The file has no bytes at all.
        case emptyFile
        /// The file does not start with an `MThd` header chunk.
        case notMIDI
        /// The header chunk has an invalid field (length, format, track count, division).
        case badHeader
        /// A chunk header is damaged or a chunk is missing.
        case badChunk
        /// A length, event or chunk runs past the end of its chunk or of the file.
        case truncated
        /// An event is malformed (bad status byte, data byte over 127, over-long number, bad meta data).
        case badEvent
    }

    /// The class of problem.
    public var kind: Kind
    /// Byte offset from the start of the file where the problem was found.
    public var offset: Int
    /// One line a user can act on, without the path or offset.
    public var message: String
    /// The file's path, when the bytes came from a file.
    public var path: String?

    /// Creates an error.
    public init(_ kind: Kind, at offset: Int, _ message: String, path: String? = nil) {
        self.kind = kind
        self.offset = offset
        self.message = message
        self.path = path
    }

    /// One line: `PATH: MESSAGE (at byte N)`.
    public var description: String {
        (path.map { "\($0): " } ?? "") + "\(message) (at byte \(offset))"
    }

    /// Same as ``description``.
    public var errorDescription: String? { description }

    /// The same error naming a file path.
    public func with(path: String) -> MIDIError {
        var e = self
        e.path = path
        return e
    }
}
