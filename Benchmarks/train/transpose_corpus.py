"""Writes a large corpus for the training-memory benchmark: every MIDI file of a corpus transposed by 0, +1, -1, +2,
-2, ... semitones (note-on and note-off on every channel but the drum channel 10; a note that would leave 0..127 keeps
its pitch), keeping the top-level style folders, until COUNT files exist. Edits the note bytes in place (a small SMF
walker with running status), so the files are otherwise byte-identical to their sources; a file it cannot walk is
skipped, as tunesmith skips an unreadable file.
Usage: python3 transpose_corpus.py SOURCE_CORPUS OUT_DIR COUNT"""
import os
import sys


def vlq(data, i):
    value = 0
    while True:
        b = data[i]
        i += 1
        value = (value << 7) | (b & 0x7F)
        if b < 0x80:
            return value, i


def transpose(data, shift):
    data = bytearray(data)
    if data[:4] != b"MThd":
        raise ValueError("not a MIDI file")
    i = 8 + int.from_bytes(data[4:8], "big")
    while i + 8 <= len(data):
        kind, length = data[i:i + 4], int.from_bytes(data[i + 4:i + 8], "big")
        start, end = i + 8, min(len(data), i + 8 + length)
        if kind == b"MTrk":
            j, status = start, 0
            while j < end:
                _, j = vlq(data, j)
                if j >= end:
                    break
                b = data[j]
                if b == 0xFF:
                    n, k = vlq(data, j + 2)
                    j = k + n
                    continue
                if b in (0xF0, 0xF7):
                    n, k = vlq(data, j + 1)
                    j = k + n
                    continue
                if b & 0x80:
                    status = b
                    j += 1
                kind_nibble, channel = status >> 4, status & 0x0F
                size = 1 if kind_nibble in (0xC, 0xD) else 2
                if kind_nibble in (0x8, 0x9) and channel != 9 and 0 <= data[j] + shift <= 127:
                    data[j] += shift
                j += size
        i = start + length
    return bytes(data)


src, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(src) for f in fs if f.lower().endswith((".mid", ".midi")))
shifts = [0]
for k in range(1, 12):
    shifts += [k, -k]
written = 0
for shift in shifts:
    for path in files:
        if written >= count:
            break
        rel = os.path.relpath(path, src)
        parts = rel.split(os.sep, 1)
        dest = os.path.join(out, parts[0], f"t{shift:+d}", parts[1]) if len(parts) == 2 else os.path.join(out, f"t{shift:+d}", rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        try:
            with open(path, "rb") as f:
                moved = transpose(f.read(), shift)
        except (ValueError, IndexError) as e:
            print(f"skip {path}: {e}", file=sys.stderr)
            continue
        with open(dest, "wb") as f:
            f.write(moved)
        written += 1
print(f"wrote {written} files to {out}")
