/// A MIDI message as found in a Standard MIDI File: channel voice messages, sysex or meta.
///
/// Channels are 0-based (0 ... 15); data values are 0 ... 127. Names follow the mido library.
public enum MIDIMessage: Sendable, Hashable {
    /// Note on. A velocity of 0 is kept as it is in the file (it means note off).
    case noteOn(channel: UInt8, note: UInt8, velocity: UInt8)
    /// Note off with its release velocity.
    case noteOff(channel: UInt8, note: UInt8, velocity: UInt8)
    /// Polyphonic key pressure.
    case polyTouch(channel: UInt8, note: UInt8, value: UInt8)
    /// Control change.
    case controlChange(channel: UInt8, control: UInt8, value: UInt8)
    /// Program change (0-based General MIDI program).
    case programChange(channel: UInt8, program: UInt8)
    /// Channel pressure.
    case aftertouch(channel: UInt8, value: UInt8)
    /// Pitch wheel, centred at 0 (-8192 ... 8191).
    case pitchWheel(channel: UInt8, pitch: Int16)
    /// A system-exclusive message (`F0`); `data` excludes the F0 status and length.
    case sysex(data: [UInt8])
    /// An escaped sysex packet (`F7`), raw bytes sent as they are.
    case sysexEscape(data: [UInt8])
    /// A meta event (only in files, never on the wire).
    case meta(MetaEvent)

    /// The channel of a channel voice message, nil for sysex and meta events.
    public var channel: UInt8? {
        switch self {
        case .noteOn(let c, _, _), .noteOff(let c, _, _), .polyTouch(let c, _, _),
             .controlChange(let c, _, _), .programChange(let c, _), .aftertouch(let c, _),
             .pitchWheel(let c, _):
            return c
        case .sysex, .sysexEscape, .meta:
            return nil
        }
    }
}
