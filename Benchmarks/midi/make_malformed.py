#!/usr/bin/env python3
"""Write a folder of damaged Standard MIDI Files for
`python3 ../shared/tools/midi_conformance.py --malformed --cmd '... dump {file}' DIR`.

Every file must be rejected cleanly by strict reading (`dump --strict`: non-zero exit, one line on
stderr, no crash, fast). Cases: a valid two-track file truncated at every byte, wrong chunk lengths
(too big, too small), bad magic, a format-0 file with zero tracks, format 3, division 0, running
status without a status, VLQ over 4 bytes, data bytes over 127, system real-time bytes, meta and
sysex running past the end, empty file, and seeded random bytes.

Tolerant reading (plain `dump`) keeps what is readable in most of them and warns; it must still
refuse the files whose header cannot be read (not MThd or RIFF RMID, fewer than 14 bytes, header
length under 6 or past the end, format over 2, a division of 0 or an SMPTE rate other than
24/25/29/30 or 0 ticks per frame). --unreadable writes only those; --readable only the others.

usage: make_malformed.py [--unreadable | --readable] OUT_DIR
"""
import os
import random
import struct
import sys


def header(fmt=1, ntrk=1, div=480, length=6):
    return b'MThd' + struct.pack('>I', length) + struct.pack('>HHH', fmt, ntrk, div) + bytes(length - 6)


def track(body, length=None):
    return b'MTrk' + struct.pack('>I', len(body) if length is None else length) + bytes(body)


EOT = [0x00, 0xFF, 0x2F, 0x00]
T0 = [0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20, 0x00, 0xFF, 0x58, 0x04, 0x04, 0x02, 0x18, 0x08] + EOT
T1 = [0x00, 0xFF, 0x03, 0x04, 0x4C, 0x65, 0x61, 0x64, 0x00, 0xC0, 0x05, 0x00, 0xF0, 0x02, 0x41, 0xF7,
      0x00, 0x90, 60, 100, 0x81, 0x70, 60, 0, 0x00, 0xE0, 0x00, 0x40, 0x10, 0x80, 62, 64] + EOT
VALID = header(ntrk=2) + track(T0) + track(T1)


def cases():
    for n in range(len(VALID)):
        yield 'truncated-%03d' % n, VALID[:n]
    second = 14 + 8 + len(T0)
    for name, at, value in [('last-track-too-big', second + 4, len(T1) + 1000),
                            ('last-track-4GiB', second + 4, 0xFFFFFFFF),
                            ('last-track-too-small', second + 4, len(T1) - 1),
                            ('first-track-too-big', 18, len(T0) + 1),
                            ('first-track-too-small', 18, len(T0) - 2),
                            ('header-length-5', 4, 5),
                            ('header-length-huge', 4, 0x7FFFFFFF)]:
        b = bytearray(VALID)
        b[at:at + 4] = struct.pack('>I', value)
        yield name, bytes(b)
    yield 'bad-magic', b'MThx' + VALID[4:]
    yield 'riff', b'RIFF\x24\x00\x00\x00WAVEfmt '
    yield 'empty', b''
    yield 'zero-tracks-format-0', header(fmt=0, ntrk=0)
    yield 'format-3', header(fmt=3) + track(EOT)
    yield 'division-0', header(div=0) + track(EOT)
    yield 'fewer-tracks-than-declared', header(ntrk=3) + track(EOT)
    yield 'running-status-without-status', header() + track([0x00, 60, 100] + EOT)
    yield 'vlq-5-bytes', header() + track([0x81, 0x81, 0x81, 0x81, 0x01, 0x90, 60, 100] + EOT)
    yield 'meta-length-vlq-5-bytes', header() + track([0x00, 0xFF, 0x01, 0x81, 0x81, 0x81, 0x81, 0x00] + EOT)
    yield 'velocity-over-127', header() + track([0x00, 0x90, 60, 0x80] + EOT)
    yield 'controller-over-127', header() + track([0x00, 0xB0, 0xFE, 0x01] + EOT)
    yield 'realtime-clock-byte', header() + track([0x00, 0xF8] + EOT)
    yield 'meta-past-end', header() + track([0x00, 0xFF, 0x01, 0x7F, 0x41, 0x42])
    yield 'meta-256MiB', header() + track([0x00, 0xFF, 0x01, 0xFF, 0xFF, 0xFF, 0x7F, 0x41])
    yield 'sysex-past-end', header() + track([0x00, 0xF0, 0x64, 0x41, 0x42, 0xF7])
    yield 'sysex-escape-256MiB', header() + track([0x00, 0xF7, 0xFF, 0xFF, 0xFF, 0x7F])
    yield 'set-tempo-2-bytes', header() + track([0x00, 0xFF, 0x51, 0x02, 0x07, 0xA1] + EOT)
    rng = random.Random(20261125)
    for i in range(40):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
        yield 'random-%02d' % i, (b'MThd' + data[4:]) if i % 2 else data


def unreadable(data):
    """Whether even tolerant reading must refuse `data`: its MThd header cannot be read."""
    if len(data) < 14 or data[:4] != b'MThd':
        return True
    length = struct.unpack('>I', data[4:8])[0]
    fmt, _, div = struct.unpack('>HHH', data[8:14])
    if length < 6 or length > len(data) - 8 or fmt > 2:
        return True
    if div & 0x8000:
        return 256 - (div >> 8) not in (24, 25, 29, 30) or div & 0xFF == 0
    return div == 0


def main():
    args = sys.argv[1:]
    only = None
    if args and args[0] in ('--unreadable', '--readable'):
        only = args.pop(0) == '--unreadable'
    if len(args) != 1:
        sys.exit('usage: make_malformed.py [--unreadable | --readable] OUT_DIR')
    out = args[0]
    os.makedirs(out, exist_ok=True)
    n = 0
    for name, data in cases():
        if only is not None and unreadable(data) != only:
            continue
        with open(os.path.join(out, name + '.mid'), 'wb') as f:
            f.write(data)
        n += 1
    print('wrote %d malformed files to %s' % (n, out))


if __name__ == '__main__':
    main()
