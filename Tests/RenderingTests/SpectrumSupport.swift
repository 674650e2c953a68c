import Foundation

/// Spectra and envelopes of rendered audio, for telling timbres apart (ear proxies).
enum SpectrumSupport {
    /// Power spectrum of `x` from `start` (a Hann-windowed radix-2 FFT of `size` points).
    static func powerSpectrum(_ x: [Float], start: Int, size: Int = 8192) -> [Double] {
        var re = [Double](repeating: 0, count: size), im = [Double](repeating: 0, count: size)
        for i in 0..<size where start + i < x.count {
            re[i] = Double(x[start + i]) * (0.5 - 0.5 * cos(2 * .pi * Double(i) / Double(size)))
        }
        // Bit reversal, then butterflies.
        var j = 0
        for i in 1..<size {
            var bit = size >> 1
            while j & bit != 0 { j ^= bit; bit >>= 1 }
            j |= bit
            if i < j { re.swapAt(i, j); im.swapAt(i, j) }
        }
        var length = 2
        while length <= size {
            let angle = -2 * Double.pi / Double(length)
            for base in stride(from: 0, to: size, by: length) {
                for k in 0..<(length / 2) {
                    let wr = cos(angle * Double(k)), wi = sin(angle * Double(k))
                    let a = base + k, b = a + length / 2
                    let tr = re[b] * wr - im[b] * wi, ti = re[b] * wi + im[b] * wr
                    re[b] = re[a] - tr; im[b] = im[a] - ti
                    re[a] += tr; im[a] += ti
                }
            }
            length <<= 1
        }
        return (0..<(size / 2)).map { re[$0] * re[$0] + im[$0] * im[$0] }
    }

    /// Energy in `bands` log-spaced bands from 60 Hz to 16 kHz, in dB relative to the total, floored at -60 dB.
    static func bandProfile(_ x: [Float], start: Int, sampleRate: Int = 44_100, bands: Int = 24) -> [Double] {
        let p = powerSpectrum(x, start: start)
        let binHz = Double(sampleRate) / Double(2 * p.count)
        var energy = [Double](repeating: 1e-30, count: bands)
        for (k, v) in p.enumerated() {
            let f = Double(k) * binHz
            guard f >= 60, f < 16_000 else { continue }
            let band = Int(log(f / 60) / log(16_000.0 / 60) * Double(bands))
            energy[min(bands - 1, band)] += v
        }
        let total = energy.reduce(0, +)
        return energy.map { max(-60, 10 * log10($0 / total)) }
    }

    /// RMS level in dB of consecutive windows of `window` frames from `start`, relative to the loudest, floored at -60 dB.
    static func envelope(_ x: [Float], start: Int, window: Int, count: Int) -> [Double] {
        let levels = (0..<count).map { w -> Double in
            let from = start + w * window
            guard from < x.count else { return 1e-30 }
            let slice = x[from..<min(x.count, from + window)]
            return slice.reduce(0) { $0 + Double($1) * Double($1) } / Double(max(1, slice.count)) + 1e-30
        }
        let top = levels.max() ?? 1
        return levels.map { max(-60, 10 * log10($0 / top)) }
    }

    /// Root-mean-square difference of two feature vectors (dB).
    static func distance(_ a: [Double], _ b: [Double]) -> Double {
        (zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(max(1, a.count))).squareRoot()
    }
}
