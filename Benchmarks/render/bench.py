#!/usr/bin/env python3
"""Side-by-side render benchmark: tunesmith render vs the fluidsynth CLI.

For every MIDI file of a folder (default ../shared/corpus/games), renders to WAV with the same
SoundFont (default TimGM6mb) by
    fluidsynth -ni -F OUT.wav -r 44100 FONT FILE
    tunesmith render FILE -o OUT.wav --soundfont FONT [extra options]
alternating which goes first, and reports per-file and total wall (and CPU) time ratios, audio lengths,
then the parallel speed-up of `tunesmith render FILES... --jobs 1` vs `--jobs 2`.
"""
import argparse, os, resource, shutil, subprocess, sys, tempfile, time, wave

def run(cmd):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr.decode(errors='replace')}")
    return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)

def seconds(path):
    with wave.open(path) as w:
        return w.getnframes() / w.getframerate()

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(root, "..", "shared", "corpus", "games"))
    ap.add_argument("--font", default="/usr/share/sounds/sf2/TimGM6mb.sf2")
    ap.add_argument("--tunesmith", default=os.path.join(root, ".build", "release", "tunesmith"))
    ap.add_argument("--option", action="append", default=[], help="extra tunesmith --option NAME=VALUE")
    ap.add_argument("--limit", type=int, default=0, help="only the first N files")
    ap.add_argument("--match", default="", help="only files whose name contains this text")
    ap.add_argument("--skip-parallel", action="store_true")
    a = ap.parse_args()
    for tool in (a.tunesmith, shutil.which("fluidsynth")):
        if not tool or not os.path.exists(tool):
            sys.exit(f"missing tool: {tool} (build with: swift build -c release; apt install fluidsynth)")
    files = sorted(os.path.join(a.corpus, f) for f in os.listdir(a.corpus) if f.lower().endswith((".mid", ".midi")))
    if a.match:
        files = [f for f in files if a.match in os.path.basename(f)]
    if a.limit:
        files = files[: a.limit]
    extra = [x for o in a.option for x in ("--option", o)]
    out = tempfile.mkdtemp(prefix="render-bench-")
    print(f"{len(files)} files, font {a.font}, tunesmith options {extra or '(defaults)'}")
    print(f"{'file':40} {'fluidsynth s':>12} {'tunesmith s':>11} {'ratio':>6} {'cpu ratio':>9} {'fs audio s':>10} {'ts audio s':>10}")
    tot = dict(fw=0.0, tw=0.0, fc=0.0, tc=0.0, fa=0.0, ta=0.0)
    worst = (0.0, "")
    ratios = []
    for i, f in enumerate(files):
        fo, to = os.path.join(out, "fs.wav"), os.path.join(out, "ts.wav")
        fs_cmd = ["fluidsynth", "-ni", "-F", fo, "-r", "44100", a.font, f]
        ts_cmd = [a.tunesmith, "render", f, "-o", to, "--soundfont", a.font, "--force"] + extra
        if i % 2 == 0:
            fw, fc = run(fs_cmd); tw, tc = run(ts_cmd)
        else:
            tw, tc = run(ts_cmd); fw, fc = run(fs_cmd)
        fa, ta = seconds(fo), seconds(to)
        for k, v in dict(fw=fw, tw=tw, fc=fc, tc=tc, fa=fa, ta=ta).items():
            tot[k] += v
        ratio = tw / fw
        ratios.append(ratio)
        worst = max(worst, (ratio, os.path.basename(f)))
        print(f"{os.path.basename(f)[:40]:40} {fw:12.2f} {tw:11.2f} {ratio:6.2f} {tc / max(fc, 1e-9):9.2f} {fa:10.1f} {ta:10.1f}")
        os.remove(fo); os.remove(to)
    print(f"{'TOTAL':40} {tot['fw']:12.2f} {tot['tw']:11.2f} {tot['tw'] / tot['fw']:6.2f} {tot['tc'] / tot['fc']:9.2f} {tot['fa']:10.1f} {tot['ta']:10.1f}")
    ratios.sort()
    print(f"per-file wall ratio: median {ratios[len(ratios) // 2]:.2f}, worst {worst[0]:.2f} ({worst[1]}); "
          f"files over 1.1x: {sum(r > 1.1 for r in ratios)} of {len(ratios)}")
    if not a.skip_parallel:
        pdir = os.path.join(out, "par")
        os.makedirs(pdir)
        base = [a.tunesmith, "render"] + files + ["-o", pdir, "--renderer", "wav", "--soundfont", a.font, "--force"] + extra
        w1, c1 = run(base + ["--jobs", "1"])
        w2, c2 = run(base + ["--jobs", "2"])
        print(f"parallel: {len(files)} files, --jobs 1 {w1:.2f} s wall, --jobs 2 {w2:.2f} s wall: speed-up {w1 / w2:.2f}x on {os.cpu_count()} cores")
    shutil.rmtree(out)

if __name__ == "__main__":
    main()
