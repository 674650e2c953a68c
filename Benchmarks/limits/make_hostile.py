#!/usr/bin/env python3
"""Writes the hostile and huge Standard MIDI Files of issue 8 §2 into a folder (default
Benchmarks/out/limits): a million events, a 100 MB file, a track of only sysex, tempos of 1 and
16,777,215 us per quarter, 1 and 32,767 ticks per beat, notes never released, a million stacked
identical notes and a ten-hour piece. Bytes are built by hand (no MIDI library), in running status."""
import os, struct, sys

def vlq(n):
    out = bytearray([n & 0x7F]); n >>= 7
    while n:
        out.insert(0, 0x80 | (n & 0x7F)); n >>= 7
    return bytes(out)

def mtrk(body):
    return b"MTrk" + struct.pack(">I", len(body)) + bytes(body)

def smf(tracks, fmt=1, division=480):
    return b"MThd" + struct.pack(">IHHH", 6, fmt, len(tracks), division) + b"".join(mtrk(t) for t in tracks)

EOT = b"\x00\xff\x2f\x00"

def tempo(t, delta=0):
    return vlq(delta) + b"\xff\x51\x03" + t.to_bytes(3, "big")

def notes(n, spacing=10, length=5, channel=0):
    """n notes (2n events) in running status: note_on then note_on velocity 0."""
    body = bytearray([0x00, 0x90 | channel, 60, 100]) + vlq(length) + bytes([60, 0])
    gap = vlq(spacing - length); ln = vlq(length)
    for i in range(1, n):
        p = 36 + i % 60
        body += gap; body += bytes([p, 100]); body += ln; body += bytes([p, 0])
    return body

def files():
    yield "million-events.mid", lambda: smf([notes(500_000) + EOT], fmt=0)
    # 100 MB: 16 tracks of note streams (about 25 million events).
    def hundred_mb():
        per_track = (100 * 1024 * 1024) // 16 // 6
        track = notes(per_track) + EOT
        return smf([bytes(track)] * 16)
    yield "100mb-notes.mid", hundred_mb
    def sysex_only():
        body = bytearray()
        payload = bytes(i & 0x7F for i in range(1023)) + b"\xf7"
        for i in range(10_000):
            body += vlq(i % 2) + b"\xf0" + vlq(len(payload)) + payload
        return smf([body + EOT], fmt=0)
    yield "sysex-only.mid", sysex_only
    yield "tempo-1.mid", lambda: smf([tempo(1) + notes(100_000) + EOT], fmt=0)
    yield "tempo-16777215.mid", lambda: smf([tempo(16_777_215) + notes(100_000) + EOT], fmt=0)
    yield "tpb-1.mid", lambda: smf([notes(100_000, spacing=2, length=1) + EOT], fmt=0, division=1)
    yield "tpb-32767.mid", lambda: smf([notes(100_000, spacing=32767, length=16000) + EOT], fmt=0, division=32767)
    def unreleased():
        body = bytearray([0x00, 0x90, 0, 1])
        for i in range(1, 1_000_000):
            body += bytes([1, i % 128, 1 + i % 127])
        return smf([body + EOT], fmt=0)
    yield "never-released.mid", unreleased
    def stacked():
        n = 1_000_000
        body = bytearray([0x00, 0x90, 64, 100]) + bytes([0, 64, 100]) * (n - 1) + bytes([1, 64, 0]) * n
        return smf([body + EOT], fmt=0)
    yield "stacked-identical.mid", stacked
    def ten_hours():
        # 120 BPM, 480 ticks per beat: 72,000 beats = 10 hours; four sixteenth notes per beat.
        return smf([tempo(500_000) + notes(72_000 * 4, spacing=120, length=60) + EOT], fmt=0)
    yield "ten-hours.mid", ten_hours

def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "out", "limits")
    os.makedirs(out, exist_ok=True)
    for name, make in files():
        path = os.path.join(out, name)
        if os.path.exists(path):
            continue
        data = make()
        with open(path + ".tmp", "wb") as f: f.write(data)
        os.replace(path + ".tmp", path)
        print(f"{name}: {len(data):,} bytes")

if __name__ == "__main__":
    main()
