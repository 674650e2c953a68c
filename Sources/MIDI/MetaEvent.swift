/// A meta event of a Standard MIDI File (type byte `FF`).
public enum MetaEvent: Sendable, Hashable {
    /// Sequence number (type 00); nil when the event has no data.
    case sequenceNumber(Int?)
    /// One of the text events (types 01 ... 0F), bytes as stored (usually Latin-1 or UTF-8).
    case text(TextKind, [UInt8])
    /// MIDI channel prefix (type 20).
    case channelPrefix(UInt8)
    /// MIDI port (type 21).
    case port(UInt8)
    /// End of track (type 2F).
    case endOfTrack
    /// Set tempo (type 51), in microseconds per quarter note (1 ... 16,777,215).
    case setTempo(microsecondsPerBeat: Int)
    /// SMPTE offset (type 54): the five raw bytes (hours with rate bits, minutes, seconds, frames, subframes).
    case smpteOffset([UInt8])
    /// Time signature (type 58); `denominatorPower` is the stored power of two (2 means /4).
    case timeSignature(numerator: UInt8, denominatorPower: UInt8, clocksPerClick: UInt8, thirtySecondNotesPerBeat: UInt8)
    /// Key signature (type 59): sharps (positive) or flats (negative), and major or minor.
    case keySignature(sharpsOrFlats: Int8, minor: Bool)
    /// Sequencer-specific data (type 7F).
    case sequencerSpecific([UInt8])
    /// Any other meta type, kept verbatim.
    case unknown(type: UInt8, data: [UInt8])

    /// The kinds of text meta event, by type byte.
    public enum TextKind: UInt8, Sendable, Hashable, CaseIterable {
        case text = 0x01, copyright = 0x02, trackName = 0x03, instrumentName = 0x04
        case lyrics = 0x05, marker = 0x06, cuePoint = 0x07, programName = 0x08, deviceName = 0x09
    }
}
