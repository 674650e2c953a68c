"""Train the paper's model (LSTM 48 -> Dense 24 -> Dense 3, look-back 3) in Keras 3 on the features that
`tunesmith train --export-features` wrote, with the identical loss, and report samples/s, peak memory and
the validation loss after the same number of epochs.

Usage: KERAS_BACKEND=jax|tensorflow python keras_paper.py FEATURES.json --batch-size 32 --epochs 3
Prints one JSON line with the results.
"""
import argparse
import json
import math
import os
import resource
import time

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402
from keras import ops  # noqa: E402


def windows(split, look_back):
    frames = np.asarray(split["frames"], dtype=np.float32).reshape(-1, 3)
    starts = np.asarray(split["windowStarts"], dtype=np.int64)
    idx = starts[:, None] + np.arange(look_back)[None, :]
    return frames[idx], frames[starts + look_back]


def make_loss(spec):
    mode = spec["mode"]
    if mode == "mse":
        return "mse"
    curve = spec["curve"]
    c = [float(v) for v in curve["coefficients"]]
    scale = float(spec["noteScale"])
    aux = float(spec["auxiliaryWeight"])

    if curve["kind"] == "fourier":
        def note_curve(d):
            v = c[0]
            i = 1
            for k in range(1, 7):
                w = 2 * math.pi * k / 12
                v = v + c[i] * ops.cos(w * d)
                i += 1
                if k < 6:
                    v = v + c[i] * ops.sin(w * d)
                    i += 1
            return v + c[i] * d * d
    else:
        def note_curve(d):
            x = ops.clip(d, -24.0, 24.0) / 24.0
            v = 0.0
            for coef in reversed(c):
                v = v * x + coef
            return v

    def loss(y_true, y_pred):
        d = (y_pred[:, 0] - y_true[:, 0]) * scale
        vel = ops.square(y_pred[:, 1] - y_true[:, 1])
        dt = ops.square(y_pred[:, 2] - y_true[:, 2])
        return note_curve(d) + aux * (vel + dt)

    return loss


class EpochTimer(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.times = []
        self.cpu = []

    def on_epoch_begin(self, epoch, logs=None):
        self.t0 = time.perf_counter()
        self.c0 = time.process_time()

    def on_epoch_end(self, epoch, logs=None):
        self.times.append(time.perf_counter() - self.t0)
        self.cpu.append(time.process_time() - self.c0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("features")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--learning-rate", type=float, default=0.001)
    ap.add_argument("--seed", type=int, default=None, help="initialisation/shuffle seed (default: the features file's seed)")
    args = ap.parse_args()
    with open(args.features) as f:
        doc = json.load(f)
    lb = doc["lookBack"]
    x, y = windows(doc["training"], lb)
    xv, yv = windows(doc["validation"], lb)
    keras.utils.set_random_seed(int(doc["seed"] if args.seed is None else args.seed))
    model = keras.Sequential([
        keras.Input((lb, 3)),
        keras.layers.LSTM(48),
        keras.layers.Dense(24),
        keras.layers.Dense(3),
    ])
    loss = make_loss(doc["loss"])
    model.compile(optimizer=keras.optimizers.Adam(args.learning_rate), loss=loss)
    timer = EpochTimer()
    model.fit(x, y, batch_size=args.batch_size, epochs=args.epochs, shuffle=True, verbose=0, callbacks=[timer])
    val = float(model.evaluate(xv, yv, batch_size=1024, verbose=0))
    steady = timer.times[1:] if len(timer.times) > 1 else timer.times
    sps = len(x) / (sum(steady) / len(steady))
    steady_cpu = timer.cpu[1:] if len(timer.cpu) > 1 else timer.cpu
    per_cpu = len(x) / (sum(steady_cpu) / len(steady_cpu))
    print(json.dumps({
        "backend": keras.backend.backend(),
        "keras": keras.__version__,
        "batch_size": args.batch_size,
        "epochs": args.epochs,
        "samples": len(x),
        "samples_per_second": round(sps),
        "samples_per_cpu_second": round(per_cpu),
        "epoch_seconds": [round(t, 3) for t in timer.times],
        "epoch_cpu_seconds": [round(t, 3) for t in timer.cpu],
        "validation_loss": val,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


if __name__ == "__main__":
    main()
