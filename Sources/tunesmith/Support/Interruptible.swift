import Support

/// Runs a command's work with Ctrl-C and SIGTERM turned into a cancellation request: the work stops at its next
/// check, removes its temporary files and throws its interruption error (`tunesmith` then exits with status 130).
enum Interruptible {
    /// Calls `body` with a flag the signals set; the handlers stay installed until it returns.
    static func run<T>(_ body: (Cancellation) throws -> T) throws -> T {
        let cancellation = Cancellation()
        let handlers = InterruptHandling.install { cancellation.cancel() }
        defer { handlers.forEach { $0.cancel() } }
        return try body(cancellation)
    }
}
