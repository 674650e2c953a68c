#!/usr/bin/env python3
"""Stationary copies of pieces, the yardstick for `thirdsOverlap`: each piece's time is cut into BLOCKS equal
spans and the spans are played in a random order (seeded), notes kept with their span. A piece's first and last
thirds are then random draws from all of it, so no drift is left; what overlap they still miss is the metric's
own noise at that length. Writes one file per input to OUT (notes, tempo, metre and program changes at tick 0).

Usage: shuffle_blocks.py IN_DIR OUT_DIR [--blocks 24] [--seed 1]   (needs mido)
"""
import argparse
import glob
import os
import random

import mido


def shuffled(path, blocks, seed):
    midi = mido.MidiFile(path)
    notes, setup = [], []  # notes: (start, end, channel, pitch, velocity) in absolute ticks
    for track in midi.tracks:
        tick, sounding = 0, {}
        for msg in track:
            tick += msg.time
            if msg.type == 'note_on' and msg.velocity > 0:
                sounding[(msg.channel, msg.note)] = (tick, msg.velocity)
            elif msg.type in ('note_on', 'note_off'):
                start = sounding.pop((msg.channel, msg.note), None)
                if start:
                    notes.append((start[0], tick, msg.channel, msg.note, start[1]))
            elif tick == 0 and (msg.type in ('set_tempo', 'time_signature', 'program_change', 'control_change')):
                setup.append(msg)
    if not notes:
        return None
    span = max(n[1] for n in notes) // blocks + 1
    order = list(range(blocks))
    random.Random(seed).shuffle(order)
    events = [(0, 0, m) for m in setup]
    for position, block in enumerate(order):
        shift = (position - block) * span
        for start, end, channel, pitch, velocity in notes:
            if block * span <= start < (block + 1) * span:
                events.append((start + shift, 2, mido.Message('note_on', channel=channel, note=pitch, velocity=velocity)))
                events.append((end + shift, 1, mido.Message('note_off', channel=channel, note=pitch, velocity=0)))
    events.sort(key=lambda e: (e[0], e[1]))
    out = mido.MidiFile(ticks_per_beat=midi.ticks_per_beat)
    track = mido.MidiTrack()
    out.tracks.append(track)
    last = 0
    for tick, _, msg in events:
        track.append(msg.copy(time=tick - last))
        last = tick
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('input')
    parser.add_argument('output')
    parser.add_argument('--blocks', type=int, default=24)
    parser.add_argument('--seed', type=int, default=1)
    a = parser.parse_args()
    os.makedirs(a.output, exist_ok=True)
    for path in sorted(glob.glob(os.path.join(a.input, '*.mid'))):
        midi = shuffled(path, a.blocks, a.seed)
        if midi is not None:
            midi.save(os.path.join(a.output, os.path.basename(path)))


if __name__ == '__main__':
    main()
