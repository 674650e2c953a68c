import MIDI

/// Channel set-up for generated parts: a reverb send (CC91), a light chorus send (CC93) and a centred pan (CC10) at the
/// start of every melodic channel that does not set them itself, so `reverb=on` and `chorus=on` are audible on
/// generated music (FluidSynth's CC91 and CC93 start at 0: no send). Processors that place parts later override these,
/// as their controls come after these at the same tick.
enum GeneratedPartSetup {
    /// Reverb send (0 ... 127), the General MIDI level 2 default.
    static let reverbSend: UInt8 = 40
    /// Chorus send (0 ... 127).
    static let chorusSend: UInt8 = 12
    /// Pan (64 = centre).
    static let pan: UInt8 = 64

    /// `performance` with the set-up controls added at tick 0 of each track for the channels its notes use.
    static func apply(_ performance: Performance) -> Performance {
        var result = performance
        var given = Set<Int>()  // channel * 128 + controller set anywhere in the piece
        for track in performance.tracks {
            for c in track.controls {
                if case .controlChange(let ch, let cc, _) = c.message { given.insert(Int(ch) * 128 + Int(cc)) }
            }
        }
        for t in result.tracks.indices {
            var channels: [UInt8] = []
            for n in result.tracks[t].notes where !n.isDrum && !channels.contains(n.channel & 15) { channels.append(n.channel & 15) }
            var setup: [MIDIEvent] = []
            for ch in channels.sorted() {
                for (cc, value) in [(UInt8(10), pan), (91, reverbSend), (93, chorusSend)] where !given.contains(Int(ch) * 128 + Int(cc)) {
                    setup.append(MIDIEvent(tick: 0, .controlChange(channel: ch, control: cc, value: value)))
                    given.insert(Int(ch) * 128 + Int(cc))
                }
            }
            result.tracks[t].controls.insert(contentsOf: setup, at: 0)
        }
        return result
    }
}
