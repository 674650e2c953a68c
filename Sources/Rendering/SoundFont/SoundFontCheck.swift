import CFluidSynth

/// Loads a SoundFont into FluidSynth to check it, returning what FluidSynth logged.
public enum SoundFontCheck {
    /// Loads `path` into a fresh synthesizer; throws if it fails, else returns FluidSynth's log
    /// messages (warnings included) and the number of presets it found.
    public static func load(_ path: String) throws(RenderError) -> (presets: Int, messages: [FluidMessage]) {
        let resolved = try SoundFontLocator.resolve(path)
        let result: (Int, Int32)
        let messages: [FluidMessage]
        (result, messages) = FluidLibrary.collectingMessages { () -> (Int, Int32) in
            let settings: OpaquePointer? = FluidLibrary.creating { new_fluid_settings() }
            guard let settings else { return (0, FLUID_FAILED) }
            fluid_settings_setint(settings, "synth.lock-memory", 0)
            let synth: OpaquePointer? = FluidLibrary.creating { new_fluid_synth(settings) }
            defer {
                FluidLibrary.creating {
                    if let synth { delete_fluid_synth(synth) }
                    delete_fluid_settings(settings)
                }
            }
            guard let synth else { return (0, FLUID_FAILED) }
            let id = fluid_synth_sfload(synth, resolved, 0)
            if id == FLUID_FAILED { return (0, FLUID_FAILED) }
            var count = 0
            if let font = fluid_synth_get_sfont_by_id(synth, id) {
                fluid_sfont_iteration_start(font)
                while fluid_sfont_iteration_next(font) != nil { count += 1 }
            }
            return (count, id)
        }
        if result.1 == FLUID_FAILED {
            throw .soundFontInvalid(path: path, reason: messages.filter(\.isProblem).last?.text ?? "FluidSynth could not load it")
        }
        return (result.0, messages)
    }
}
