import MIDI
import Music

/// A preset arrangement: the instrument, register and mix settings of each part for one style.
public struct ArrangementStyle: Sendable, Hashable {
    /// Mix settings of one part: General MIDI program (0-based), pan (CC10, 0 left ... 64 centre ... 127 right),
    /// volume (CC7) and reverb send (CC91).
    public struct PartMix: Sendable, Hashable {
        /// 0-based General MIDI program.
        public var program: UInt8
        /// Pan, CC10 (0 ... 127, 64 centre).
        public var pan: UInt8
        /// Channel volume, CC7 (0 ... 127).
        public var volume: UInt8
        /// Reverb send, CC91 (0 ... 127).
        public var reverb: UInt8
    }

    /// The style's name as given in `arrange:style=NAME`.
    public var name: String
    /// The melody's instrument and mix.
    public var melody: PartMix
    /// The chords' instrument and mix.
    public var chords: PartMix
    /// The bass's instrument and mix.
    public var bass: PartMix
    /// The drums' mix (program 0: the standard kit), or nil when the style has no drums.
    public var drums: PartMix?
    /// Chord size.
    public var chordStyle: ChordStyle
    /// Where chords change.
    public var chordRhythm: ChordVoicer.Rhythm
    /// Chord register (MIDI pitches).
    public var chordRegister: ClosedRange<Int>
    /// Chord velocity.
    public var chordVelocity: Int
    /// The bass pattern.
    public var bassPattern: BassLine.Pattern
    /// The drum groove.
    public var groove: DrumGroove.Style

    /// The presets, in listing order.
    public static let all: [ArrangementStyle] = [
        // A rock/pop band: clean electric guitar lead, electric piano, finger bass, kit with snare backbeat.
        ArrangementStyle(name: "band", melody: PartMix(program: 27, pan: 84, volume: 104, reverb: 40),
                         chords: PartMix(program: 4, pan: 38, volume: 100, reverb: 50),
                         bass: PartMix(program: 33, pan: 60, volume: 108, reverb: 8),
                         drums: PartMix(program: 0, pan: 70, volume: 100, reverb: 28),
                         chordStyle: .triad, chordRhythm: .bar, chordRegister: 52...76, chordVelocity: 76,
                         bassPattern: .rootFifth, groove: .band),
        // A folk group: fiddle, steel-string guitar, acoustic bass, side stick and light hi-hat.
        ArrangementStyle(name: "folk", melody: PartMix(program: 40, pan: 78, volume: 100, reverb: 45),
                         chords: PartMix(program: 25, pan: 42, volume: 88, reverb: 45),
                         bass: PartMix(program: 32, pan: 58, volume: 100, reverb: 15),
                         drums: PartMix(program: 0, pan: 72, volume: 80, reverb: 35),
                         chordStyle: .triad, chordRhythm: .bar, chordRegister: 48...72, chordVelocity: 72,
                         bassPattern: .boomChick, groove: .folk),
        // A chorale: choir on the tune, organ harmony changing on every beat, organ-pedal roots; no drums.
        ArrangementStyle(name: "chorale", melody: PartMix(program: 52, pan: 72, volume: 100, reverb: 70),
                         chords: PartMix(program: 19, pan: 50, volume: 84, reverb: 70),
                         bass: PartMix(program: 19, pan: 60, volume: 92, reverb: 60),
                         drums: nil,
                         chordStyle: .triad, chordRhythm: .beat, chordRegister: 48...72, chordVelocity: 58,
                         bassPattern: .roots, groove: .soft),
        // A jazz quartet: tenor sax, piano sevenths, walking acoustic bass, ride cymbal.
        ArrangementStyle(name: "jazz", melody: PartMix(program: 66, pan: 80, volume: 100, reverb: 40),
                         chords: PartMix(program: 0, pan: 44, volume: 80, reverb: 40),
                         bass: PartMix(program: 32, pan: 56, volume: 106, reverb: 12),
                         drums: PartMix(program: 0, pan: 74, volume: 86, reverb: 30),
                         chordStyle: .seventh, chordRhythm: .bar, chordRegister: 50...74, chordVelocity: 68,
                         bassPattern: .walking, groove: .jazz),
    ]

    /// The preset with a name, if any.
    public static func named(_ name: String) -> ArrangementStyle? { all.first { $0.name == name.lowercased() } }
}
