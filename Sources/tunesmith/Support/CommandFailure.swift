/// A command-line usage problem found before any work, reported as `tunesmith: MESSAGE` with exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    /// The one-line message.
    let description: String

    /// Creates a failure with its message.
    init(_ description: String) { self.description = description }
}
