import Foundation

/// Text of training progress: the TTY progress bar and the per-epoch lines.
public enum TrainingReport {
    /// A one-line progress bar (no newline): epoch, bar, percent, loss, samples/s and ETA.
    public static func progressBar(_ p: BatchProgress, epochs: Int, width: Int = 24) -> String {
        let frac = Double(p.batch) / Double(max(1, p.batchCount))
        let filled = Int(frac * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        return String(format: "epoch %d/%d [%@] %3.0f%%  loss %.4f  %@ samples/s", p.epoch, epochs, bar, frac * 100, p.loss,
                      grouped(p.samplesPerSecond))
    }

    /// Progress bar with an ETA for the epoch given the epoch's sample count.
    public static func progressBar(_ p: BatchProgress, epochs: Int, samplesPerEpoch: Int) -> String {
        let done = Double(samplesPerEpoch) * Double(p.batch) / Double(max(1, p.batchCount))
        let eta = p.samplesPerSecond > 0 ? (Double(samplesPerEpoch) - done) / p.samplesPerSecond : 0
        return progressBar(p, epochs: epochs) + "  ETA " + duration(eta)
    }

    /// The summary line of an epoch.
    public static func epochLine(_ r: EpochRecord, epochs: Int, improved: Bool) -> String {
        var s = String(format: "epoch %d/%d  train %.4f (note %.4f, velocity %.4f, dt %.4f)", r.epoch, epochs,
                       r.training.total, r.training.note, r.training.velocity, r.training.timeDelta)
        if let v = r.validation {
            s += String(format: "  val %.4f (note %.4f, velocity %.4f, dt %.4f)", v.total, v.note, v.velocity, v.timeDelta)
        }
        if let a = r.validationAccuracy { s += String(format: "  next-note accuracy %.2f%%", a * 100) }
        s += "  \(grouped(r.samplesPerSecond)) samples/s"
        if improved { s += "  (best)" }
        return s
    }

    /// 123456.7 -> "123,457".
    public static func grouped(_ v: Double) -> String {
        let n = Int(v.rounded())
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + String(out.reversed())
    }

    /// Seconds as m:ss or h:mm:ss.
    public static func duration(_ s: Double) -> String {
        let t = Int(max(0, s).rounded())
        return t >= 3600 ? String(format: "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60) : String(format: "%d:%02d", t / 60, t % 60)
    }
}
