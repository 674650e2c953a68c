"""Step a Tunesmith paper model in Keras 3, one note at a time with predict_on_batch, the way the
paper's generator does, and report notes/s as one JSON line.

The weights are read from the Tunesmith model file itself (TSMODEL v1: magic, version, JSON header,
Float32 blob, CRC-32), so Keras steps exactly the model `tunesmith generate` steps. The loop mirrors
Tunesmith's deterministic stepping (temperature 0): standardise the last 3 frames, predict, scale
back, round/clamp pitch (0..127) and velocity (1..127), clamp the time delta to 0..4 s, feed back.

Usage: KERAS_BACKEND=tensorflow python keras_generate.py MODEL.tsmodel --notes 2000 [--context JSON]
"""
import argparse
import json
import math
import os
import struct
import time
import zlib

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402


def read_model(path):
    data = open(path, "rb").read()
    assert data[:8] == b"TSMODEL\n", "not a Tunesmith model"
    assert struct.unpack_from("<I", data, len(data) - 4)[0] == zlib.crc32(data[:-4]) & 0xFFFFFFFF, "bad checksum"
    h = struct.unpack_from("<I", data, 12)[0]
    header = json.loads(data[16:16 + h])
    n = struct.unpack_from("<Q", data, 16 + h)[0]
    blob = np.frombuffer(data, dtype="<f4", count=n // 4, offset=16 + h + 8)
    weights = next(b for b in header["blobs"] if b["name"] == "weights")
    flat = blob[weights["offset"]:weights["offset"] + weights["count"]]
    tensors = {t["name"]: flat[t["offset"]:t["offset"] + t["rows"] * t["columns"]].reshape(t["rows"], t["columns"])
               for t in header["tensors"]}
    return header, tensors


def build(header, tensors):
    arch = header["architecture"]
    assert arch["name"] == "paper", "this benchmark builds the paper architecture"
    look_back = arch["lookBack"]
    model = keras.Sequential([
        keras.Input((look_back, arch["inputWidth"])),
        keras.layers.LSTM(48),
        keras.layers.Dense(24),
        keras.layers.Dense(3),
    ])
    model.layers[0].set_weights([tensors["layer0.lstm.kernel"], tensors["layer0.lstm.recurrent_kernel"],
                                 tensors["layer0.lstm.bias"][0]])
    model.layers[1].set_weights([tensors["layer1.dense.kernel"], tensors["layer1.dense.bias"][0]])
    model.layers[2].set_weights([tensors["layer2.dense.kernel"], tensors["layer2.dense.bias"][0]])
    return model, look_back


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--notes", type=int, default=2000)
    ap.add_argument("--context", default="[[60,80,0],[64,90,0.5],[67,100,0.5]]",
                    help="the starting frames [note, velocity, seconds since the previous note]")
    ap.add_argument("--dump", help="write the generated [pitch, velocity, time delta] triples here (JSON)")
    args = ap.parse_args()
    header, tensors = read_model(args.model)
    model, look_back = build(header, tensors)
    mean = np.asarray(header["scaler"]["mean"], dtype=np.float64)
    scale = np.asarray(header["scaler"]["scale"], dtype=np.float64)
    window = [list(map(float, f)) for f in json.loads(args.context)][-look_back:]
    x = np.zeros((1, look_back, 3), dtype=np.float32)

    def step():
        for t, f in enumerate(window[-look_back:]):
            x[0, t] = (np.asarray(f) - mean) / scale
        y = np.asarray(model.predict_on_batch(x), dtype=np.float64)[0] * scale + mean
        pitch = min(127.0, max(0.0, math.floor(y[0] + 0.5)))
        velocity = min(127.0, max(1.0, math.floor(y[1] + 0.5)))
        dt = min(4.0, max(0.0, y[2]))
        window.append([pitch, velocity, dt])
        del window[0]
        return int(pitch), int(velocity), dt

    for _ in range(20):  # warm-up (tracing / compilation)
        step()
    window[:] = [list(map(float, f)) for f in json.loads(args.context)][-look_back:]
    notes = []
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(args.notes):
        notes.append(step())
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    if args.dump:
        json.dump(notes, open(args.dump, "w"))
    print(json.dumps({"tool": f"keras {keras.__version__} ({keras.backend.backend()}) predict_on_batch",
                      "notes": args.notes, "seconds": seconds, "cpu_seconds": cpu,
                      "notes_per_second": args.notes / seconds, "notes_per_cpu_second": args.notes / cpu}))


if __name__ == "__main__":
    main()
