import CSndFile
import Foundation
import Support

/// Writes stereo audio to one file through libsndfile, converting floats to the file's encoding.
///
/// Integer encodings are quantised here (16 bits with TPDF dither unless turned off, round to nearest, clipped), so
/// every container holds the same integers for the same input; libsndfile's own clipping is enabled too.
final class SoundFileWriter {
    private let file: OpaquePointer
    private let format: AudioFileFormat
    private let path: String
    private var shorts: [Int16] = []
    private var ints: [Int32] = []
    private var floats: [Float] = []
    private var heardLeft: [Float] = []
    private var heardRight: [Float] = []
    private var closed = false
    /// TPDF dither added before rounding to 16 bits (nil: plain rounding).
    private var dither: TPDFDither?
    /// Frames written so far.
    private(set) var frames = 0

    /// Opens `path` for writing (it must not exist yet); `compression` 0 ... 1 applies to FLAC and Vorbis.
    init(path: String, format: AudioFileFormat, sampleRate: Int, compression: Double?, dither: Bool = true,
         reportingAs shown: String) throws(RenderError) {
        self.dither = dither ? TPDFDither() : nil
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = 2
        info.format = format.sndfileFormat
        guard sf_format_check(&info) == Int32(SF_TRUE) else {
            throw .formatUnavailable(renderer: format.container.rawValue, reason: "libsndfile cannot write \(format) at \(sampleRate) Hz")
        }
        guard let f = sf_open(path, Int32(SFM_WRITE), &info) else {
            throw .writeFailed(path: shown, reason: String(cString: sf_strerror(nil)))
        }
        self.file = f
        self.format = format
        self.path = shown
        sf_command(f, Int32(SFC_SET_ADD_PEAK_CHUNK), nil, Int32(SF_FALSE))  // the PEAK chunk holds a time stamp
        sf_command(f, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
        if var level = compression, format.container != .wav {
            sf_command(f, Int32(SFC_SET_COMPRESSION_LEVEL), &level, Int32(MemoryLayout<Double>.size))
        }
    }

    deinit {
        if !closed { sf_close(file) }
    }

    /// FLAC: reserves room in the file's metadata for the Vorbis comments ``FLACComments`` writes once the file is
    /// complete (tags like `tags` with their ReplayGain values), so they are written over it in place instead of the
    /// file being copied behind new metadata. libsndfile writes the room as a comment of spaces, which the tags replace.
    /// Call it before the first ``write(_:_:_:)``; other containers need no room.
    func reserveTagRoom(for tags: AudioTags) {
        guard format.container == .flac else { return }
        sf_set_string(file, Int32(SF_STR_COMMENT), String(repeating: " ", count: FLACComments.reservation(for: tags)))
    }

    /// Sets text tags; must be called before the first ``write(_:_:_:)`` (FLAC and Vorbis write them in the header).
    func setTags(_ tags: AudioTags) {
        for (kind, value) in tags.fields where !value.isEmpty {
            sf_set_string(file, kind, value)
        }
    }

    /// Sets a WAV file's broadcast extension (`bext` chunk, EBU Tech 3285 version 2): `description` (at most 256 bytes),
    /// Tunesmith as originator, and the loudness of `measured` in 1/100 units: integrated loudness (LUFS), loudness range
    /// (LU), true peak (dBTP), largest momentary and short-term loudness (LUFS); a value not measured is 0x7FFF. Call it
    /// before the first write (libsndfile sizes the header then) and again with the final values before closing: the
    /// chunk keeps its size, so the header is rewritten in place. Returns false when libsndfile refuses.
    @discardableResult
    func setBroadcastInfo(description: String, measured: LoudnessMeasurement?) -> Bool {
        var info = SF_BROADCAST_INFO()
        func copy<T>(_ text: String, into field: inout T) {
            withUnsafeMutableBytes(of: &field) { raw in
                for (k, byte) in text.utf8.prefix(raw.count).enumerated() { raw[k] = byte }
            }
        }
        copy(description, into: &info.description)
        copy("Tunesmith", into: &info.originator)
        copy("Tunesmith \(TunesmithVersion.string)", into: &info.originator_reference)
        info.version = 2
        func centi(_ value: Double?) -> Int16 {
            guard let value, value.isFinite else { return 0x7FFF }
            return Int16(max(-32_767, min(32_766, (value * 100).rounded())))
        }
        let valid = measured?.isMeasurable == true ? measured : nil
        info.loudness_value = centi(valid?.integrated)
        info.loudness_range = centi(valid?.loudnessRange)
        info.max_true_peak_level = centi(valid.map(\.truePeak))
        info.max_momentary_loudness = centi(valid?.maxMomentary)
        info.max_shortterm_loudness = centi(valid?.maxShortTerm)
        return sf_command(file, Int32(SFC_SET_BROADCAST_INFO), &info, Int32(MemoryLayout<SF_BROADCAST_INFO>.size)) == Int32(SF_TRUE)
    }

    /// Appends `n` frames of planar audio in -1 ... 1; `heard`, when given, receives the frames as the file holds them
    /// (after dither, rounding and clipping, scaled as a decoder reads them: integer / 2^15 or 2^23), so a meter measures
    /// the final samples.
    func write(_ l: UnsafePointer<Float>, _ r: UnsafePointer<Float>, _ n: Int,
               heard: ((UnsafePointer<Float>, UnsafePointer<Float>, Int) -> Void)? = nil) throws(RenderError) {
        if heard != nil, heardLeft.count < n { heardLeft = [Float](repeating: 0, count: n); heardRight = heardLeft }
        try encode(l, r, n, keepingHeard: heard != nil)
        guard let heard else { return }
        heardLeft.withUnsafeMutableBufferPointer { hl in
            heardRight.withUnsafeMutableBufferPointer { hr in
                switch format.encoding {
                case .pcm16:
                    break  // the encoding loop kept them
                case .pcm24:
                    ints.withUnsafeBufferPointer { q in
                        for k in 0..<n {
                            hl[k] = Float(q[2 * k] >> 8) * (1 / 8_388_608)
                            hr[k] = Float(q[2 * k + 1] >> 8) * (1 / 8_388_608)
                        }
                    }
                case .float32, .vorbis:
                    floats.withUnsafeBufferPointer { q in
                        for k in 0..<n { hl[k] = q[2 * k]; hr[k] = q[2 * k + 1] }
                    }
                }
                heard(hl.baseAddress!, hr.baseAddress!, n)
            }
        }
    }

    /// Quantises and writes `n` frames (the encoded samples stay in `shorts`, `ints` or `floats`; at 16 bits, with
    /// `keepingHeard`, the quantised values also go to `heardLeft` and `heardRight` as floats).
    private func encode(_ l: UnsafePointer<Float>, _ r: UnsafePointer<Float>, _ n: Int, keepingHeard: Bool) throws(RenderError) {
        let written: Int64
        switch format.encoding {
        case .pcm16:
            if shorts.count < 2 * n { shorts = [Int16](repeating: 0, count: 2 * n) }
            shorts.withUnsafeMutableBufferPointer { q in
                heardLeft.withUnsafeMutableBufferPointer { hl in
                    heardRight.withUnsafeMutableBufferPointer { hr in
                        Self.encode16(l, r, n, dither: &dither, into: q.baseAddress!,
                                      heard: keepingHeard ? (hl.baseAddress!, hr.baseAddress!) : nil)
                    }
                }
            }
            written = shorts.withUnsafeBufferPointer { sf_writef_short(file, $0.baseAddress, sf_count_t(n)) }
        case .pcm24:
            ints.removeAll(keepingCapacity: true)
            ints.reserveCapacity(2 * n)
            for k in 0..<n {
                ints.append(Self.quantise24(l[k]))
                ints.append(Self.quantise24(r[k]))
            }
            written = ints.withUnsafeBufferPointer { sf_writef_int(file, $0.baseAddress, sf_count_t(n)) }
        case .float32, .vorbis:
            // 32-bit float keeps values past full scale (a stem may exceed it where its parts cancel in the mix, and the
            // stems must still sum to the mix); Vorbis is clipped to -1 ... 1.
            let limit: Float = format.encoding == .float32 ? .greatestFiniteMagnitude : 1
            floats.removeAll(keepingCapacity: true)
            floats.reserveCapacity(2 * n)
            for k in 0..<n {
                floats.append(max(-limit, min(limit, l[k])))
                floats.append(max(-limit, min(limit, r[k])))
            }
            written = floats.withUnsafeBufferPointer { sf_writef_float(file, $0.baseAddress, sf_count_t(n)) }
        }
        if written != Int64(n) {
            throw .writeFailed(path: path, reason: Self.reason(file))
        }
        frames += n
    }

    /// Finishes the file (FLAC/Vorbis flush their last packets here).
    func close() throws(RenderError) {
        closed = true
        let err = sf_error(file)
        let message = Self.reason(file)
        if sf_close(file) != 0 || err != 0 {
            throw .writeFailed(path: path, reason: message)
        }
    }

    private static func reason(_ file: OpaquePointer) -> String {
        let text = String(cString: sf_strerror(file))
        let e = errno
        if e == ENOSPC || text.lowercased().contains("space") { return "no space left on device" }
        return text.isEmpty ? String(cString: strerror(e)) : text
    }

    /// Float -1 ... 1 to interleaved 16-bit, 8 frames a step: plus the dither (in LSB) where there is one, clipped,
    /// rounded to nearest; with `heard`, the quantised values also as planar floats (value / 32768).
    static func encode16(_ l: UnsafePointer<Float>, _ r: UnsafePointer<Float>, _ n: Int, dither: inout TPDFDither?,
                         into q: UnsafeMutablePointer<Int16>, heard: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)?) {
        if var source = dither {
            encode16(l, r, n, into: q, heard: heard) { source.nextEight() }
            dither = source
        } else {
            encode16(l, r, n, into: q, heard: heard) { (.zero, .zero) }
        }
    }

    /// ``encode16(_:_:_:dither:into:heard:)`` with the dither of each 8 frames from `noise` (left, right).
    @inline(__always)
    private static func encode16(_ l: UnsafePointer<Float>, _ r: UnsafePointer<Float>, _ n: Int,
                                 into q: UnsafeMutablePointer<Int16>, heard: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)?,
                                 noise: () -> (SIMD8<Float>, SIMD8<Float>)) {
        var k = 0
        while k < n {
            let m = min(8, n - k)
            var xl = SIMD8<Float>(), xr = SIMD8<Float>()
            if m == 8 {
                xl = UnsafeRawPointer(l + k).loadUnaligned(as: SIMD8<Float>.self)
                xr = UnsafeRawPointer(r + k).loadUnaligned(as: SIMD8<Float>.self)
            } else {
                for i in 0..<m { xl[i] = l[k + i]; xr[i] = r[k + i] }
            }
            let (dl, dr) = noise()
            let ql = quantise16(xl, dither: dl), qr = quantise16(xr, dither: dr)
            for i in 0..<m {
                q[2 * (k + i)] = Int16(truncatingIfNeeded: ql[i])
                q[2 * (k + i) + 1] = Int16(truncatingIfNeeded: qr[i])
            }
            if let (hl, hr) = heard {
                let fl = SIMD8<Float>(ql) * (1 / 32_768), fr = SIMD8<Float>(qr) * (1 / 32_768)
                if m == 8 {
                    UnsafeMutableRawPointer(hl + k).storeBytes(of: fl, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(hr + k).storeBytes(of: fr, as: SIMD8<Float>.self)
                } else {
                    for i in 0..<m { hl[k + i] = fl[i]; hr[k + i] = fr[i] }
                }
            }
            k += m
        }
    }

    /// Float -1 ... 1 to 16-bit for 8 samples, plus `dither` (in LSB), clipped, rounded to nearest (ties to even):
    /// adding 1.5 x 2^23 leaves the rounded integer in the low bits of the float's significand, read off its bits
    /// (no conversion instruction, no range check; values past full scale were clipped first).
    @inline(__always) static func quantise16(_ x: SIMD8<Float>, dither: SIMD8<Float>) -> SIMD8<Int32> {
        var v = x * 32767 + dither
        v = v.replacing(with: 32767, where: v .> 32767)
        v = v.replacing(with: -32768, where: v .< -32768)
        return unsafeBitCast(v + 12_582_912, to: SIMD8<Int32>.self) &- 0x4B40_0000
    }

    /// Float -1 ... 1 to 24-bit in the top bits of an Int32, clipped, rounded to nearest (ties to even, as above with
    /// 1.5 x 2^52 in double precision).
    @inline(__always) static func quantise24(_ x: Float) -> Int32 {
        let v = max(-8_388_608, min(8_388_607, Double(x) * 8_388_607))
        return Int32((v + 6_755_399_441_055_744) - 6_755_399_441_055_744) << 8
    }
}
