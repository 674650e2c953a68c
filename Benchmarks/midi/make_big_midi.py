#!/usr/bin/env python3
"""Write a synthetic Standard MIDI File of about SIZE_MB megabytes: format 1, 16 tracks of
note_on/note_off pairs (no running status, so 4 bytes per event), for memory measurements.

usage: make_big_midi.py OUT.mid SIZE_MB
"""
import struct
import sys


def main():
    out, size_mb = sys.argv[1], float(sys.argv[2])
    tracks = 16
    per_track = int(size_mb * 1e6 / tracks)
    body = bytearray()
    pairs = per_track // 8
    chunk = bytearray()
    for i in range(pairs):
        pitch = 36 + (i * 7) % 60
        chunk += bytes((0x00, 0x90, pitch, 64 + i % 60, 0x10, 0x80, pitch, 0))
    chunk += b'\x00\xff\x2f\x00'
    track = b'MTrk' + struct.pack('>I', len(chunk)) + bytes(chunk)
    with open(out, 'wb') as f:
        f.write(b'MThd' + struct.pack('>IHHH', 6, 1, tracks, 480))
        for _ in range(tracks):
            f.write(track)


if __name__ == '__main__':
    main()
