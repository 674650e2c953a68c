/// The declaration of one production setting: its name (the command line's `--name` and the album spec's key),
/// the kind of value it takes, its default and one line of help.
///
/// Declared once in ``GenerationSettings/declarations``; the command line's flags, their help and the album spec's
/// keys all come from here.
public struct SettingDeclaration: Sendable {
    /// What the value is, for help and for album specs (paths are resolved against the spec's folder).
    public enum Kind: Sendable, Hashable {
        /// Free text parsed by the setting (a number, a word, a length).
        case text
        /// A file or folder path.
        case path
    }

    /// The name, e.g. `motif-memory`.
    public let name: String
    /// The value's kind.
    public let kind: Kind
    /// One line on what it does, with units and valid values.
    public let help: String
    /// The default as text, or nil when there is none.
    public let defaultText: String?
    let apply: @Sendable (inout GenerationSettings, String) throws(ProductionError) -> Void

    init(_ name: String, _ kind: Kind = .text, help: String, default defaultText: String? = nil,
         apply: @escaping @Sendable (inout GenerationSettings, String) throws(ProductionError) -> Void) {
        self.name = name
        self.kind = kind
        self.help = help
        self.defaultText = defaultText
        self.apply = apply
    }

    /// The help line with the default appended, as `--help` shows it.
    public var helpWithDefault: String {
        defaultText.map { "\(help) (default: \($0))" } ?? help
    }
}
