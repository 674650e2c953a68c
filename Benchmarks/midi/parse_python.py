#!/usr/bin/env python3
"""In-process parse time of every MIDI file under a folder with mido and/or symusic.

usage: parse_python.py FOLDER mido|symusic [REPEATS]
Prints one line: '<library> <seconds> <files> <notes>' with the best of REPEATS timed passes
(file list built and modules imported before timing; each pass parses every file from disk).
"""
import os
import sys
import time


def files_under(folder):
    out = []
    for d, dirs, fs in os.walk(folder):
        dirs.sort()
        out += [os.path.join(d, f) for f in sorted(fs) if f.lower().endswith(('.mid', '.midi'))]
    return out


def main():
    folder, lib = sys.argv[1], sys.argv[2]
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    files = files_under(folder)
    if lib == 'mido':
        import mido

        def parse(path):
            mid = mido.MidiFile(path)
            return sum(1 for t in mid.tracks for m in t if m.type == 'note_on' and m.velocity > 0)
    elif lib == 'symusic':
        import symusic

        def parse(path):
            return symusic.Score(path, ttype='tick').note_num()
    else:
        sys.exit('unknown library ' + lib)
    best, notes = None, 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        notes = sum(parse(f) for f in files)
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    print('%s %.4f %d %d' % (lib, best, len(files), notes))


if __name__ == '__main__':
    main()
