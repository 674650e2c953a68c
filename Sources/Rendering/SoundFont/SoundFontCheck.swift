import CFluidSynth

/// Loads a SoundFont into FluidSynth to check it, returning what FluidSynth logged.
public enum SoundFontCheck {
    /// Loads `path` into a fresh synthesizer; throws if it fails, else returns FluidSynth's log
    /// messages (warnings included) and the number of presets it found.
    public static func load(_ path: String) throws(RenderError) -> (presets: Int, messages: [FluidMessage]) {
        let (summary, messages) = try inspect(path)
        return (summary.presets, messages)
    }

    /// Loads `path` into a fresh synthesizer and summarises what it offers: presets, General MIDI programs covered on
    /// bank 0, drum kits on bank 128 (with their names); throws if FluidSynth cannot load it.
    public static func inspect(_ path: String) throws(RenderError) -> (SoundFontSummary, [FluidMessage]) {
        let resolved = try SoundFontLocator.resolve(path)
        let result: (SoundFontSummary, Int32)
        let messages: [FluidMessage]
        (result, messages) = FluidLibrary.collectingMessages { () -> (SoundFontSummary, Int32) in
            var summary = SoundFontSummary()
            let settings: OpaquePointer? = FluidLibrary.creating { new_fluid_settings() }
            guard let settings else { return (summary, FLUID_FAILED) }
            fluid_settings_setint(settings, "synth.lock-memory", 0)
            let synth: OpaquePointer? = FluidLibrary.creating { new_fluid_synth(settings) }
            defer {
                FluidLibrary.creating {
                    if let synth { delete_fluid_synth(synth) }
                    delete_fluid_settings(settings)
                }
            }
            guard let synth else { return (summary, FLUID_FAILED) }
            let id = fluid_synth_sfload(synth, resolved, 0)
            if id == FLUID_FAILED { return (summary, FLUID_FAILED) }
            var programs = Set<Int32>()
            if let font = fluid_synth_get_sfont_by_id(synth, id) {
                fluid_sfont_iteration_start(font)
                while let preset = fluid_sfont_iteration_next(font) {
                    summary.presets += 1
                    let bank = fluid_preset_get_banknum(preset), number = fluid_preset_get_num(preset)
                    if bank == 0 { programs.insert(number) }
                    if bank == 128 { summary.drumKits.append(fluid_preset_get_name(preset).map { String(cString: $0) } ?? "kit \(number)") }
                }
            }
            summary.generalMIDIPrograms = programs.count
            return (summary, id)
        }
        if result.1 == FLUID_FAILED {
            throw .soundFontInvalid(path: path, reason: messages.filter(\.isProblem).last?.text ?? "FluidSynth could not load it")
        }
        return (result.0, messages)
    }
}

/// What a SoundFont offers, as FluidSynth loads it.
public struct SoundFontSummary: Sendable, Hashable {
    /// Presets in the font.
    public var presets = 0
    /// Distinct programs on bank 0 (General MIDI melodic instruments; 128 = all).
    public var generalMIDIPrograms = 0
    /// Names of the presets on bank 128 (drum kits).
    public var drumKits: [String] = []
}
