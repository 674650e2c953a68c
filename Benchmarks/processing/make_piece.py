#!/usr/bin/env python3
"""Writes a synthetic Standard MIDI File with N notes (default 10,000) for the processing benchmark.

A chromatic random-walk melody with humanised (unquantised) timing, a bass line and a drum track,
480 ticks per beat, 4/4, 120 BPM. Standard library only; deterministic for a seed.
Usage: make_piece.py OUT.mid [--notes N] [--seed S]
"""
import argparse
import random
import struct


def vlq(n):
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    return bytes(reversed(out))


def track(events):
    """events: list of (tick, order, bytes) -> MTrk chunk."""
    events.sort(key=lambda e: (e[0], e[1]))
    data = bytearray()
    last = 0
    for tick, _, msg in events:
        data += vlq(tick - last) + msg
        last = tick
    data += vlq(0) + b"\xff\x2f\x00"
    return b"MTrk" + struct.pack(">I", len(data)) + bytes(data)


def notes_to_events(notes, channel):
    ev = []
    for start, dur, pitch, vel in notes:
        ev.append((start, 1, bytes([0x90 | channel, pitch, vel])))
        ev.append((start + dur, 0, bytes([0x80 | channel, pitch, 0])))
    return ev


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--notes", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    tpb = 480
    n_melody = a.notes * 6 // 10
    melody, bass, drums = [], [], []
    t, pitch = 0, 64
    for _ in range(n_melody):
        pitch = max(30, min(100, pitch + rng.randint(-4, 4)))
        melody.append((t + rng.randint(0, 40), rng.randint(60, 600), pitch, rng.randint(50, 110)))
        t += rng.choice([120, 240, 240, 480]) + rng.randint(-20, 20)
    end = t
    t = 0
    remaining = a.notes - n_melody
    n_bass = remaining // 3
    step = max(1, end // max(1, n_bass))
    for i in range(n_bass):
        bass.append((i * step + rng.randint(0, 30), max(1, step - 10), rng.randint(33, 52), 80))
    n_drums = remaining - n_bass
    step = max(1, end // max(1, n_drums))
    for i in range(n_drums):
        drums.append((i * step + rng.randint(0, 20), 60, rng.choice([36, 38, 42, 46]), 100))
    conductor = [(0, 0, b"\xff\x51\x03" + (500000).to_bytes(3, "big")), (0, 0, b"\xff\x58\x04\x04\x02\x18\x08")]
    mel = notes_to_events(melody, 0) + [(0, 0, bytes([0xC0, 0]))]
    bas = notes_to_events(bass, 1) + [(0, 0, bytes([0xC1, 32]))]
    drm = notes_to_events(drums, 9)
    header = b"MThd" + struct.pack(">IHHH", 6, 1, 4, tpb)
    with open(a.out, "wb") as f:
        f.write(header + track(conductor) + track(mel) + track(bas) + track(drm))
    print(f"{a.out}: {len(melody) + len(bass) + len(drums)} notes")


if __name__ == "__main__":
    main()
