"""Training throughput of the stateful architecture in Keras 3 (JAX backend), for Benchmarks/train/stateful.sh.

The same network as `tunesmith train --architecture stateful`: stacked LSTMs returning sequences, stateful (state
carried from batch to batch), then one linear dense layer per head: 128 pitch logits, 128 velocity logits, 97
time-step logits and 192 note-length logits (tunesmith's single Dense(545) split in four), each scored by softmax
cross-entropy, the rhythm heads weighted 0.5; Adam, gradient-norm clip 5. Inputs are random rows of the same width
(throughput does not depend on the values); the targets random classes. Prints one JSON line.
Usage: python keras_stateful.py WIDTH UNITS LAYERS BATCH CHUNK STEPS"""
import json
import os
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402

width, units, layers, batch, chunk, steps = (int(v) for v in sys.argv[1:7])
inp = keras.Input(batch_shape=(batch, chunk, width))
x = inp
for _ in range(layers):
    x = keras.layers.LSTM(units, return_sequences=True, stateful=True)(x)
heads = {name: keras.layers.Dense(n, name=name)(x) for name, n in (("pitch", 128), ("velocity", 128), ("step", 97), ("length", 192))}
model = keras.Model(inp, heads)
ce = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.003, global_clipnorm=5.0),
              loss={k: ce for k in heads}, loss_weights={"pitch": 1.0, "velocity": 0.5, "step": 0.5, "length": 0.5})
rng = np.random.default_rng(1)
xs = rng.standard_normal((8, batch, chunk, width)).astype("float32")
ys = [{k: rng.integers(0, n, (batch, chunk)) for k, n in (("pitch", 128), ("velocity", 128), ("step", 97), ("length", 192))} for _ in range(8)]
for i in range(5):  # compile and warm up
    model.train_on_batch(xs[i % 8], ys[i % 8])
start, cpu = time.perf_counter(), time.process_time()
for i in range(steps):
    model.train_on_batch(xs[i % 8], ys[i % 8])
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
print(json.dumps({"tool": f"keras {keras.__version__} / {keras.backend.backend()}", "batch": batch, "chunk": chunk, "units": units,
                  "layers": layers, "steps": steps, "seconds": round(elapsed, 3), "notes_per_second": round(steps * batch * chunk / elapsed, 1),
                  "cpu_seconds": round(cpu, 3), "notes_per_cpu_second": round(steps * batch * chunk / cpu, 1),
                  "parameters": model.count_params()}))
