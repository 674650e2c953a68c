extension RendererRegistry {
    /// The built-in renderers. Adding a renderer = one type conforming to ``Renderer`` + one line here.
    public static let standard: RendererRegistry = {
        var registry = RendererRegistry()
        registry.register(MIDIRenderer())
        registry.register(WAVRenderer())
        registry.register(FLACRenderer())
        registry.register(OggVorbisRenderer())
        return registry
    }()
}
