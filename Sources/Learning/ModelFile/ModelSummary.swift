import Foundation

/// The text `tunesmith model info` prints: layers with parameter counts, features, scaler, loss and training record.
public enum ModelSummary {
    /// The summary of `model` read from `path`.
    public static func text(_ model: TrainedModel, path: String) -> String {
        let a = model.network.architecture
        var s = "model \(path)\n"
        if a.isStateful {
            s += "architecture \(a.name): stateful (trained over whole songs, chunks of \(a.lookBack) notes; generation steps once per note), \(a.inputWidth) inputs per step\n"
        } else {
            s += "architecture \(a.name): look-back \(a.lookBack), \(a.inputWidth) inputs per step\n"
        }
        let rows = model.layerSummary
        let nameWidth = max(22, rows.map(\.name.count).max() ?? 0)
        s += "  " + "layer".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  output      parameters\n"
        for r in rows {
            s += "  " + r.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                + r.output.padding(toLength: 10, withPad: " ", startingAt: 0) + "  " + TrainingReport.grouped(Double(r.parameters)) + "\n"
        }
        s += "  total parameters: \(TrainingReport.grouped(Double(model.network.parameterCount)))\n"
        var inputs = "[note, velocity, time delta s"
        if let e = model.features.encoding {
            if e.pitchClasses { inputs += ", pitch class (12, one-hot)" }
            if e.duration { inputs += ", log(1 + 4 x duration s)" }
            if e.program { inputs += ", instrument family" }
            if e.metre { inputs += ", time step and length in beats, phase in the beat (24, one-hot), beat in the bar (8, one-hot)" }
            if !e.styles.isEmpty { inputs += ", style (\(e.styles.count), one-hot)" }
            if e.pitchOneHot { inputs += ", key (\(InputEncoding.pitchOneHotWidth), one-hot)" }
            if e.recall { inputs += ", motif memory's next pitch (\(InputEncoding.recallWidth), one-hot)" }
        }
        s += "features: \(inputs)], drums \(model.features.includeDrums ? "included" : "excluded")\n"
        s += String(format: "scaler mean [%.4f, %.4f, %.4f] scale [%.4f, %.4f, %.4f]\n",
                    model.scaler.mean[0], model.scaler.mean[1], model.scaler.mean[2], model.scaler.scale[0], model.scaler.scale[1], model.scaler.scale[2])
        if let c = model.loss.categorical, c.rhythm != nil {
            s += "loss: categorical head, cross-entropy over 128 pitches"
                + (c.musicalPenalty > 0 ? " + \(c.musicalPenalty) x expected musical note loss" : "")
                + " + cross-entropy over 128 velocities, time steps and note lengths (1/24-beat classes)\n"
        } else if let c = model.loss.categorical {
            s += "loss: categorical pitch head, cross-entropy over 128 pitches"
                + (c.musicalPenalty > 0 ? " + \(c.musicalPenalty) x expected musical note loss" : "") + " + \(c.auxiliaryWeight) velocity MSE + \(c.auxiliaryWeight) time-delta MSE\n"
        } else {
        s += "loss: \(model.loss.mode.rawValue) note loss" + (model.loss.mode == .mse ? "\n" : " + 0.2 velocity MSE + 0.2 time-delta MSE\n")
        }
        let t = model.training
        s += "trained by tunesmith \(t.toolVersion) on \(t.date): corpus \(t.corpus), \(t.trainingSongs) training / \(t.validationSongs) validation songs, "
        s += "\(t.epochs) epochs (best \(t.bestEpoch)), \(t.optimizer) lr \(t.learningRate), batch \(t.batchSize), seed \(t.seed)"
        s += (t.dropout.map { ", dropout \($0)" } ?? "") + (t.transpose.map { ", transposed up to +-\($0) semitones" } ?? "") + "\n"
        s += "styles: " + (model.styles.isEmpty ? "none" : model.styles.indices.map { i in
            "\(i) \(model.styles[i])" + (model.program(ofStyle: i).map { " (program \($0))" } ?? "")
        }.joined(separator: ", ")) + "\n"
        if let best = t.history.first(where: { $0.epoch == t.bestEpoch }) {
            s += String(format: "best epoch: training loss %.4f", best.training.total)
            if let v = best.validation { s += String(format: ", validation loss %.4f", v.total) }
            if let acc = best.validationAccuracy { s += String(format: ", next-note accuracy %.2f%%", acc * 100) }
            s += "\n"
        }
        return s
    }
}
