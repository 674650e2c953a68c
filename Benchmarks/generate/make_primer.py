"""Write a three-note primer MIDI file (C4, E4, G4 half a second apart at 120 BPM) whose features are
exactly the frames [[60,80,0],[64,90,0.5],[67,100,0.5]] that keras_generate.py starts from.

Usage: python make_primer.py OUT.mid   (standard library only)
"""
import struct
import sys


def vlq(n):
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append(0x80 | (n & 0x7F))
        n >>= 7
    return bytes(reversed(out))


events = []  # (tick, bytes)
for i, (pitch, velocity) in enumerate([(60, 80), (64, 90), (67, 100)]):
    events.append((i * 480, bytes([0x90, pitch, velocity])))
    events.append((i * 480 + 240, bytes([0x80, pitch, 0])))
events.sort(key=lambda e: e[0])
track = vlq(0) + b"\xff\x51\x03" + (500000).to_bytes(3, "big")
last = 0
for tick, message in events:
    track += vlq(tick - last) + message
    last = tick
track += vlq(0) + b"\xff\x2f\x00"
data = b"MThd" + struct.pack(">IHHH", 6, 0, 1, 480) + b"MTrk" + struct.pack(">I", len(track)) + track
open(sys.argv[1], "wb").write(data)
