/// Text description of registered processors, for `tunesmith plugins` and error help.
public enum ProcessorListing {
    /// Every processor with its summary, guarantee and parameters (valid values, default, description).
    public static func text(_ registry: ProcessorRegistry = .standard) -> String {
        var out = ""
        for d in registry.descriptors {
            out += "\(d.name): \(d.summary)\n"
            out += "    guarantee: \(d.guarantee)\n"
            for p in d.parameters {
                out += "    \(p.name) = \(p.expected) (default \(p.defaultValue)): \(p.summary)\n"
            }
        }
        return out
    }
}
