/// Chord size for diatonic harmony: three stacked scale thirds or four.
public enum ChordStyle: String, CaseIterable, Sendable, Hashable {
    /// Root, third and fifth.
    case triad
    /// Root, third, fifth and seventh.
    case seventh
}

/// A chord: a root and its pitch classes (root first, then upwards in stacking order).
public struct Chord: Sendable, Hashable, CustomStringConvertible {
    /// The root.
    public var root: PitchClass
    /// Distinct pitch classes, root first, in stacking order.
    public var pitchClasses: [PitchClass]
    /// 0-based scale degree of the root in the key it was built from, if any.
    public var degree: Int?

    /// Creates a chord; duplicate pitch classes are dropped.
    public init(root: PitchClass, pitchClasses: [PitchClass], degree: Int? = nil) {
        self.root = root
        var seen = Set<PitchClass>()
        self.pitchClasses = pitchClasses.filter { seen.insert($0).inserted }
        self.degree = degree
    }

    /// Semitones above the root of each tone, sorted ascending (0 first).
    public var intervals: [Int] { pitchClasses.map { root.semitonesUp(to: $0) }.sorted() }

    /// Whether the chord contains a pitch class.
    public func contains(_ pitchClass: PitchClass) -> Bool { pitchClasses.contains(pitchClass) }

    /// A common name for the chord's intervals (`maj`, `m`, `dim`, `aug`, `7`, `maj7`, `m7`,
    /// `m7b5`, `dim7`, `mMaj7`, `augMaj7`), or the intervals themselves when unusual.
    public var qualityName: String {
        switch intervals {
        case [0, 4, 7]: return "maj"
        case [0, 3, 7]: return "m"
        case [0, 3, 6]: return "dim"
        case [0, 4, 8]: return "aug"
        case [0, 4, 7, 10]: return "7"
        case [0, 4, 7, 11]: return "maj7"
        case [0, 3, 7, 10]: return "m7"
        case [0, 3, 6, 10]: return "m7b5"
        case [0, 3, 6, 9]: return "dim7"
        case [0, 3, 7, 11]: return "mMaj7"
        case [0, 4, 8, 11]: return "augMaj7"
        default: return "(" + intervals.map(String.init).joined(separator: ",") + ")"
        }
    }

    /// A chord symbol such as `C`, `F#m`, `Bdim`, `G7`, `Dm7`.
    public func symbol(preferFlats: Bool = false) -> String {
        let q = qualityName
        return root.name(preferFlats: preferFlats) + (q == "maj" ? "" : q)
    }

    /// The chord symbol with sharps.
    public var description: String { symbol() }
}

extension Key {
    /// The chord on each scale degree, built by stacking every other scale step from it
    /// (tertian triads or sevenths for the seven-note modes; for pentatonic and blues scales,
    /// the same stacking within the scale). Every chord tone is in the key; chords have at
    /// least 3 distinct pitch classes.
    public func diatonicChords(_ style: ChordStyle) -> [Chord] {
        let scale = pitchClasses
        let n = scale.count
        let steps = style == .triad ? [0, 2, 4] : [0, 2, 4, 6]
        return (0..<n).map { degree in
            Chord(root: scale[degree], pitchClasses: steps.map { scale[(degree + $0) % n] }, degree: degree)
        }
    }
}
