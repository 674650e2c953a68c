#!/usr/bin/env python3
"""Rebuild this sample corpus from the shared training corpus (../../../shared/corpus by default).

Selection rule, per group (chorales/, folk/ryansMammoth-*, folk/oneills1850-*): sort the group's
paths from manifest.tsv by name, then take the files at positions floor(i * N / 100) for
i = 0 .. 99 (N = files in the group): 100 files spread evenly over each group. The GPL game files
(games/) are never taken. Files are copied byte for byte; manifest.tsv and folk-provenance.tsv
keep the source rows of the chosen files.

usage: python3 Samples/Corpus/select_sample.py [SHARED_CORPUS_DIR]
"""
import csv
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', '..', '..', 'shared', 'corpus')
GROUPS = [('chorales', lambda p: p.startswith('chorales/')),
          ('ryansMammoth', lambda p: p.startswith('folk/ryansMammoth-')),
          ('oneills1850', lambda p: p.startswith('folk/oneills1850-'))]
PER_GROUP = 100


def main():
    with open(os.path.join(SRC, 'manifest.tsv'), newline='') as f:
        reader = csv.DictReader(f, delimiter='\t')
        fields = reader.fieldnames
        rows = list(reader)
    chosen = []
    for _, belongs in GROUPS:
        group = sorted((r for r in rows if belongs(r['path'])), key=lambda r: r['path'])
        n = len(group)
        chosen += [group[i * n // PER_GROUP] for i in range(min(PER_GROUP, n))]
    assert not any(r['path'].startswith('games/') for r in chosen)
    for r in chosen:
        dst = os.path.join(HERE, r['path'])
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(os.path.join(SRC, r['path']), dst)
    with open(os.path.join(HERE, 'manifest.tsv'), 'w', newline='') as f:
        w = csv.DictWriter(f, fieldnames=fields, delimiter='\t', lineterminator='\n')
        w.writeheader()
        w.writerows(chosen)
    paths = {r['path'] for r in chosen}
    with open(os.path.join(SRC, 'folk-provenance.tsv'), newline='') as f:
        lines = f.read().splitlines()
    with open(os.path.join(HERE, 'folk-provenance.tsv'), 'w') as f:
        f.write(lines[0] + '\n')
        for line in lines[1:]:
            if line.split('\t', 1)[0] in paths:
                f.write(line + '\n')
    total = sum(int(r['bytes']) for r in chosen)
    notes = sum(int(r['notes']) for r in chosen)
    secs = sum(float(r['seconds']) for r in chosen)
    print('%d files, %d bytes, %d notes, %.1f s' % (len(chosen), total, notes, secs))


if __name__ == '__main__':
    main()
