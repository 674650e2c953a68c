/// A SoundFont 2.01 bank as plain values, and its RIFF `sfbk` encoding.
///
/// Only what Tunesmith's bundled font needs: mono 16-bit samples, instruments and presets made of
/// zones of generators (no modulators beyond the SF2 defaults, no global zones).
public struct SF2Bank: Sendable, Hashable {
    /// One mono 16-bit sample.
    public struct Sample: Sendable, Hashable {
        /// Name (at most 20 ASCII bytes are stored).
        public var name: String
        /// PCM data.
        public var data: [Int16]
        /// Sample rate in Hz.
        public var sampleRate: Int
        /// MIDI key at which the sample plays at its recorded pitch.
        public var rootKey: UInt8
        /// Pitch correction in cents (-99 ... 99) to apply on playback.
        public var pitchCorrection: Int8
        /// Loop start and end as indices into `data` (end = first point after the loop).
        public var loopStart: Int
        /// See ``loopStart``.
        public var loopEnd: Int

        /// Creates a sample.
        public init(name: String, data: [Int16], sampleRate: Int, rootKey: UInt8, pitchCorrection: Int8 = 0, loopStart: Int, loopEnd: Int) {
            self.name = name
            self.data = data
            self.sampleRate = sampleRate
            self.rootKey = rootKey
            self.pitchCorrection = pitchCorrection
            self.loopStart = loopStart
            self.loopEnd = loopEnd
        }
    }

    /// One generator: an SF2 generator operator and its 16-bit amount.
    public struct Generator: Sendable, Hashable {
        /// SF2 generator number (e.g. 43 keyRange, 53 sampleID).
        public var op: UInt16
        /// The raw amount (signed value, or low/high bytes for ranges).
        public var amount: UInt16

        /// A signed-amount generator.
        public static func value(_ op: UInt16, _ v: Int) -> Generator {
            Generator(op: op, amount: UInt16(bitPattern: Int16(clamping: v)))
        }
        /// A range generator (keyRange 43, velRange 44).
        public static func range(_ op: UInt16, _ lo: UInt8, _ hi: UInt8) -> Generator {
            Generator(op: op, amount: UInt16(lo) | UInt16(hi) << 8)
        }
    }

    /// A zone: its generators, in SF2 order (ranges first, sampleID / instrument last).
    public struct Zone: Sendable, Hashable {
        /// The generators.
        public var generators: [Generator]
        /// Creates a zone.
        public init(_ generators: [Generator]) { self.generators = generators }
    }

    /// An instrument: named zones each ending with a sampleID generator.
    public struct Instrument: Sendable, Hashable {
        /// Name (at most 20 bytes stored).
        public var name: String
        /// Zones.
        public var zones: [Zone]
        /// Creates an instrument.
        public init(name: String, zones: [Zone]) { self.name = name; self.zones = zones }
    }

    /// A preset: bank and program, zones each ending with an instrument generator.
    public struct Preset: Sendable, Hashable {
        /// Name (at most 20 bytes stored).
        public var name: String
        /// MIDI program 0 ... 127.
        public var program: UInt16
        /// Bank (128 = percussion).
        public var bank: UInt16
        /// Zones.
        public var zones: [Zone]
        /// Creates a preset.
        public init(name: String, program: UInt16, bank: UInt16, zones: [Zone]) {
            self.name = name; self.program = program; self.bank = bank; self.zones = zones
        }
    }

    /// The bank's name (INFO INAM).
    public var name: String
    /// A comment (INFO ICMT).
    public var comment: String
    /// Samples, referenced by index from sampleID generators.
    public var samples: [Sample]
    /// Instruments, referenced by index from instrument generators.
    public var instruments: [Instrument]
    /// Presets.
    public var presets: [Preset]

    /// Creates a bank.
    public init(name: String, comment: String, samples: [Sample] = [], instruments: [Instrument] = [], presets: [Preset] = []) {
        self.name = name
        self.comment = comment
        self.samples = samples
        self.instruments = instruments
        self.presets = presets
    }

    /// Zero points written after every sample, as the SF2 specification requires.
    static let samplePadding = 46

    /// The complete `.sf2` file bytes. Deterministic: equal banks give identical bytes.
    public func encoded() -> [UInt8] {
        var info = RIFFBuilder()
        info.chunk("ifil") { $0.u16(2); $0.u16(1) }
        info.chunk("isng") { $0.zstr("EMU8000") }
        info.chunk("INAM") { $0.zstr(name) }
        info.chunk("ISFT") { $0.zstr("Tunesmith SF2 writer") }
        info.chunk("ICMT") { $0.zstr(comment) }

        // Sample data and headers.
        var smpl = RIFFBuilder()
        var headers: [(start: Int, end: Int, sample: Sample)] = []
        var position = 0
        for s in samples {
            for v in s.data { smpl.u16(UInt16(bitPattern: v)) }
            for _ in 0..<Self.samplePadding { smpl.u16(0) }
            headers.append((position, position + s.data.count, s))
            position += s.data.count + Self.samplePadding
        }
        var sdta = RIFFBuilder()
        sdta.chunk("smpl") { $0.bytes.append(contentsOf: smpl.bytes) }

        var pdta = RIFFBuilder()
        // Presets: phdr, pbag, pmod, pgen.
        var phdr = RIFFBuilder(), pbag = RIFFBuilder(), pgen = RIFFBuilder()
        var bagIndex = 0, genIndex = 0
        for p in presets {
            phdr.name20(p.name); phdr.u16(p.program); phdr.u16(p.bank); phdr.u16(UInt16(bagIndex))
            phdr.u32(0); phdr.u32(0); phdr.u32(0)
            for z in p.zones {
                pbag.u16(UInt16(genIndex)); pbag.u16(0)
                for g in z.generators { pgen.u16(g.op); pgen.u16(g.amount) }
                genIndex += z.generators.count
                bagIndex += 1
            }
        }
        phdr.name20("EOP"); phdr.u16(0); phdr.u16(0); phdr.u16(UInt16(bagIndex)); phdr.u32(0); phdr.u32(0); phdr.u32(0)
        pbag.u16(UInt16(genIndex)); pbag.u16(0)
        pgen.u16(0); pgen.u16(0)
        // Instruments: inst, ibag, imod, igen.
        var inst = RIFFBuilder(), ibag = RIFFBuilder(), igen = RIFFBuilder()
        bagIndex = 0; genIndex = 0
        for i in instruments {
            inst.name20(i.name); inst.u16(UInt16(bagIndex))
            for z in i.zones {
                ibag.u16(UInt16(genIndex)); ibag.u16(0)
                for g in z.generators { igen.u16(g.op); igen.u16(g.amount) }
                genIndex += z.generators.count
                bagIndex += 1
            }
        }
        inst.name20("EOI"); inst.u16(UInt16(bagIndex))
        ibag.u16(UInt16(genIndex)); ibag.u16(0)
        igen.u16(0); igen.u16(0)
        // Sample headers.
        var shdr = RIFFBuilder()
        for h in headers {
            shdr.name20(h.sample.name)
            shdr.u32(UInt32(h.start)); shdr.u32(UInt32(h.end))
            shdr.u32(UInt32(h.start + h.sample.loopStart)); shdr.u32(UInt32(h.start + h.sample.loopEnd))
            shdr.u32(UInt32(h.sample.sampleRate))
            shdr.bytes.append(h.sample.rootKey)
            shdr.bytes.append(UInt8(bitPattern: h.sample.pitchCorrection))
            shdr.u16(0)  // sample link
            shdr.u16(1)  // mono
        }
        shdr.name20("EOS"); for _ in 0..<5 { shdr.u32(0) }; shdr.bytes.append(0); shdr.bytes.append(0); shdr.u16(0); shdr.u16(0)

        let empty10 = [UInt8](repeating: 0, count: 10)
        pdta.chunk("phdr") { $0.bytes.append(contentsOf: phdr.bytes) }
        pdta.chunk("pbag") { $0.bytes.append(contentsOf: pbag.bytes) }
        pdta.chunk("pmod") { $0.bytes.append(contentsOf: empty10) }
        pdta.chunk("pgen") { $0.bytes.append(contentsOf: pgen.bytes) }
        pdta.chunk("inst") { $0.bytes.append(contentsOf: inst.bytes) }
        pdta.chunk("ibag") { $0.bytes.append(contentsOf: ibag.bytes) }
        pdta.chunk("imod") { $0.bytes.append(contentsOf: empty10) }
        pdta.chunk("igen") { $0.bytes.append(contentsOf: igen.bytes) }
        pdta.chunk("shdr") { $0.bytes.append(contentsOf: shdr.bytes) }

        var body = RIFFBuilder()
        body.fourCC("sfbk")
        body.list("INFO", info)
        body.list("sdta", sdta)
        body.list("pdta", pdta)
        var file = RIFFBuilder()
        file.fourCC("RIFF")
        file.u32(UInt32(body.bytes.count))
        file.bytes.append(contentsOf: body.bytes)
        return file.bytes
    }
}

/// Little-endian RIFF byte building.
struct RIFFBuilder {
    var bytes: [UInt8] = []

    mutating func u16(_ v: UInt16) { bytes.append(UInt8(v & 0xFF)); bytes.append(UInt8(v >> 8)) }
    mutating func u32(_ v: UInt32) { for s in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8((v >> UInt32(s)) & 0xFF)) } }
    mutating func fourCC(_ s: String) { bytes.append(contentsOf: Array(s.utf8.prefix(4))) }

    /// A zero-terminated string padded to an even length.
    mutating func zstr(_ s: String) {
        let ascii = Array(s.utf8.filter { $0 >= 0x20 && $0 < 0x7F }.prefix(255))
        bytes.append(contentsOf: ascii)
        bytes.append(0)
        if (ascii.count + 1) % 2 == 1 { bytes.append(0) }
    }

    /// A 20-byte zero-padded name field.
    mutating func name20(_ s: String) {
        let ascii = Array(s.utf8.filter { $0 >= 0x20 && $0 < 0x7F }.prefix(19))
        bytes.append(contentsOf: ascii)
        bytes.append(contentsOf: [UInt8](repeating: 0, count: 20 - ascii.count))
    }

    /// A chunk: id, size, body (padded to even length).
    mutating func chunk(_ id: String, _ body: (inout RIFFBuilder) -> Void) {
        var inner = RIFFBuilder()
        body(&inner)
        fourCC(id)
        u32(UInt32(inner.bytes.count))
        bytes.append(contentsOf: inner.bytes)
        if inner.bytes.count % 2 == 1 { bytes.append(0) }
    }

    /// A LIST chunk of a type holding already-built chunks.
    mutating func list(_ type: String, _ content: RIFFBuilder) {
        fourCC("LIST")
        u32(UInt32(content.bytes.count + 4))
        fourCC(type)
        bytes.append(contentsOf: content.bytes)
    }
}
