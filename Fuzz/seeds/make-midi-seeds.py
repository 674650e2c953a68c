#!/usr/bin/env python3
"""Writes small hand-made Standard MIDI Files into midi-reader/: the shapes real corpora rarely have
(format 2, SMPTE division, sysex with F7 escapes, running status after meta and sysex, every meta
event, a missing end_of_track, trailing bytes, an unknown chunk). Run from Fuzz/seeds/."""
import struct, os

def vlq(n):
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.insert(0, 0x80 | (n & 0x7F)); n >>= 7
    return bytes(out)

def track(events, eot=True):
    body = b"".join(vlq(d) + e for d, e in events)
    if eot: body += b"\x00\xff\x2f\x00"
    return b"MTrk" + struct.pack(">I", len(body)) + body

def header(fmt, ntracks, division):
    return b"MThd" + struct.pack(">IHHH", 6, fmt, ntracks, division)

def meta(kind, data): return bytes([0xFF, kind]) + vlq(len(data)) + data

seeds = {
  "format0-running-status.mid": header(0, 1, 480) + track([
      (0, meta(0x51, b"\x07\xa1\x20")), (0, meta(0x58, b"\x04\x02\x18\x08")), (0, meta(0x59, b"\xfd\x01")),
      (0, b"\x90\x3c\x64"), (120, b"\x3e\x64"), (120, b"\x3c\x00"), (0, meta(0x01, b"text")),
      (0, b"\x40\x50"), (240, b"\x80\x3e\x40"), (0, b"\xe0\x00\x40"), (0, b"\xb0\x07\x64"), (0, b"\xc0\x05"),
      (0, b"\xd0\x20"), (0, b"\xa0\x3c\x10"), (0, b"\x90\x40\x40"), (480, b"\x80\x40\x00")]),
  "format1-sysex-escapes.mid": header(1, 2, 96) + track([(0, meta(0x03, b"Tempo")), (0, meta(0x51, b"\x0f\x42\x40")),
      (96, meta(0x51, b"\x03\xd0\x90"))]) + track([
      (0, b"\xf0\x05\x7e\x7f\x09\x01\xf7"), (0, b"\xf0\x02\x43\x12"), (10, b"\xf7\x03\x00\x01\xf7"),
      (0, b"\xf7\x02\xf3\x01"), (0, meta(0x21, b"\x00")), (0, meta(0x20, b"\x00")), (0, meta(0x7f, b"\x00\x00\x41")),
      (0, b"\x99\x24\x7f"), (48, b"\x89\x24\x00")]),
  "format2-smpte.mid": struct.pack(">4sIHHbB", b"MThd", 6, 2, 2, -25, 40) + track([(0, b"\x90\x30\x30"), (100, b"\x80\x30\x30")])
      + track([(0, meta(0x00, b"\x00\x07")), (0, meta(0x54, b"\x60\x00\x00\x00\x00")), (0, b"\x91\x31\x31")], eot=False),
  "unknown-chunk-trailing.mid": header(1, 1, 1) + b"XFIH" + struct.pack(">I", 3) + b"abc"
      + track([(0, b"\x90\x7f\x7f"), (0x0FFFFFFF, b"\x80\x7f\x00"), (0, meta(0x06, b"marker"))]) + b"\x00\x00junk",
  "notes-never-released.mid": header(0, 1, 32767) + track([(0, b"\x90\x3c\x64"), (0, b"\x90\x3c\x64"), (1, b"\x90\x3c\x64"), (0, meta(0x05, b"la"))]),
}
os.makedirs("midi-reader", exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join("midi-reader", name), "wb") as f: f.write(data)
print(f"wrote {len(seeds)} seeds to midi-reader/")
