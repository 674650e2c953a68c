import Foundation

/// Maps a data interval linearly onto a pixel interval, with "nice" tick values for axes.
public struct LinearScale: Sendable {
    /// The data interval (lower ... upper; a zero-width interval is widened by 1).
    public let domain: ClosedRange<Double>
    /// The pixel positions of the domain's lower and upper ends (may be reversed, e.g. for y axes).
    public let range: (Double, Double)

    /// Creates a scale from `domain` onto the pixels `range.0` ... `range.1`.
    public init(domain: ClosedRange<Double>, range: (Double, Double)) {
        self.domain = domain.upperBound > domain.lowerBound ? domain : (domain.lowerBound - 0.5)...(domain.lowerBound + 0.5)
        self.range = range
    }

    /// The pixel position of a data value.
    public func callAsFunction(_ value: Double) -> Double {
        let t = (value - domain.lowerBound) / (domain.upperBound - domain.lowerBound)
        return range.0 + t * (range.1 - range.0)
    }

    /// About `count` round tick values (1, 2 or 5 times a power of ten apart) inside the domain.
    public func ticks(count: Int = 5) -> [Double] {
        let span = domain.upperBound - domain.lowerBound
        guard span > 0, span.isFinite, count > 0 else { return [domain.lowerBound] }
        let rough = span / Double(count)
        let power = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough } ?? 10 * power
        var out: [Double] = []
        var v = ceil(domain.lowerBound / step) * step
        while v <= domain.upperBound + step * 1e-9, out.count < 100 {
            out.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return out
    }

    /// Tick label text: integers without decimals, otherwise up to 3 significant decimals.
    public static func label(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e12 { return String(Int64(value)) }
        return String(format: "%.3g", value)
    }
}
