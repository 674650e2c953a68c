#!/usr/bin/env python3
"""Side-by-side render benchmark: tunesmith render vs the fluidsynth CLI.

For every MIDI file of a folder (default ../shared/corpus/games), renders to WAV with the same
SoundFont (default TimGM6mb), in one run, by
    fluidsynth -ni -F OUT.wav -r 44100 FONT FILE              (the CLI's defaults: reverb and chorus on)
    fluidsynth -ni -R 0 -C 0 -F OUT.wav -r 44100 FONT FILE    (dry: reverb and chorus off)
    tunesmith render FILE -o OUT.wav --soundfont FONT          (tunesmith's default: dry)
    tunesmith render FILE -o OUT.wav --soundfont FONT --option reverb=on --option chorus=on
rotating which goes first, and reports three comparisons with per-file and total wall and CPU
(user+sys) ratios and audio lengths:
    default  tunesmith default (dry)  vs the fluidsynth CLI default (wet)   -- the issue's comparison
    dry      tunesmith default (dry)  vs fluidsynth -R 0 -C 0              -- like for like
    wet      tunesmith reverb+chorus  vs the fluidsynth CLI default (wet)   -- like for like
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

def load():
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())

# comparison name -> (tunesmith run, fluidsynth run, description)
COMPARISONS = {
    "default": ("ts_dry", "fs_wet", "tunesmith default (dry) vs fluidsynth CLI default (reverb+chorus)"),
    "dry": ("ts_dry", "fs_dry", "tunesmith default (dry) vs fluidsynth -R 0 -C 0 (dry)"),
    "wet": ("ts_wet", "fs_wet", "tunesmith --option reverb=on --option chorus=on vs fluidsynth CLI default"),
}

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(root, "..", "shared", "corpus", "games"))
    ap.add_argument("--font", default="/usr/share/sounds/sf2/TimGM6mb.sf2")
    ap.add_argument("--tunesmith", default=os.path.join(root, ".build", "release", "tunesmith"))
    ap.add_argument("--option", action="append", default=[], help="extra tunesmith --option NAME=VALUE (all tunesmith runs)")
    ap.add_argument("--compare", default="default,dry,wet", help="comma list of: default, dry, wet")
    ap.add_argument("--limit", type=int, default=0, help="only the first N files")
    ap.add_argument("--match", default="", help="only files whose name contains this text")
    ap.add_argument("--skip-parallel", action="store_true")
    a = ap.parse_args()
    for tool in (a.tunesmith, shutil.which("fluidsynth")):
        if not tool or not os.path.exists(tool):
            sys.exit(f"missing tool: {tool} (build with: swift build -c release; apt install fluidsynth)")
    comparisons = [c for c in a.compare.split(",") if c]
    for c in comparisons:
        if c not in COMPARISONS:
            sys.exit(f"unknown comparison {c!r} (expected default, dry, wet)")
    files = sorted(os.path.join(a.corpus, f) for f in os.listdir(a.corpus) if f.lower().endswith((".mid", ".midi")))
    if a.match:
        files = [f for f in files if a.match in os.path.basename(f)]
    if a.limit:
        files = files[: a.limit]
    extra = [x for o in a.option for x in ("--option", o)]
    out = tempfile.mkdtemp(prefix="render-bench-")
    runs = sorted({r for c in comparisons for r in COMPARISONS[c][:2]})
    print(f"{len(files)} files, font {a.font}, tunesmith options {extra or '(defaults)'}, {os.cpu_count()} cores, {load()}")
    for c in comparisons:
        print(f"  {c:8} {COMPARISONS[c][2]}")
    head = f"{'file':34}" + "".join(f" {r + ' s':>10}" for r in runs) + "".join(f" {c[:7] + ' w/c':>13}" for c in comparisons)
    print(head)
    tot = {}
    per_file = {c: [] for c in comparisons}
    for i, f in enumerate(files):
        paths = {r: os.path.join(out, r + ".wav") for r in runs}
        cmds = {
            "fs_wet": ["fluidsynth", "-ni", "-F", paths.get("fs_wet", ""), "-r", "44100", a.font, f],
            "fs_dry": ["fluidsynth", "-ni", "-R", "0", "-C", "0", "-F", paths.get("fs_dry", ""), "-r", "44100", a.font, f],
            "ts_dry": [a.tunesmith, "render", f, "-o", paths.get("ts_dry", ""), "--soundfont", a.font, "--force"] + extra,
            "ts_wet": [a.tunesmith, "render", f, "-o", paths.get("ts_wet", ""), "--soundfont", a.font, "--force",
                       "--option", "reverb=on", "--option", "chorus=on"] + extra,
        }
        order = runs[i % len(runs):] + runs[: i % len(runs)]
        res = {}
        for r in order:
            wall, cpu = run(cmds[r])
            res[r] = (wall, cpu, seconds(paths[r]))
            os.remove(paths[r])
        for r, (w, c, s) in res.items():
            t = tot.setdefault(r, [0.0, 0.0, 0.0])
            t[0] += w; t[1] += c; t[2] += s
        row = f"{os.path.basename(f)[:34]:34}" + "".join(f" {res[r][0]:10.2f}" for r in runs)
        for c in comparisons:
            ts, fs = COMPARISONS[c][:2]
            wr, cr = res[ts][0] / res[fs][0], res[ts][1] / max(res[fs][1], 1e-9)
            per_file[c].append((wr, os.path.basename(f)))
            row += f" {wr:6.2f}/{cr:5.2f}"
        print(row, flush=True)
    print(f"{'TOTAL wall s':34}" + "".join(f" {tot[r][0]:10.2f}" for r in runs))
    print(f"{'TOTAL cpu s':34}" + "".join(f" {tot[r][1]:10.2f}" for r in runs))
    print(f"{'TOTAL audio s':34}" + "".join(f" {tot[r][2]:10.1f}" for r in runs))
    for c in comparisons:
        ts, fs = COMPARISONS[c][:2]
        ratios = sorted(per_file[c])
        worst = ratios[-1] if ratios else (0, "")
        print(f"{c:8} total wall {tot[ts][0] / tot[fs][0]:.2f}x, total CPU {tot[ts][1] / tot[fs][1]:.2f}x; per-file wall median "
              f"{ratios[len(ratios) // 2][0] if ratios else 0:.2f}x, worst {worst[0]:.2f}x ({worst[1]}), "
              f"files over 1.1x: {sum(r > 1.1 for r, _ in ratios)} of {len(ratios)}")
    print(load())
    if not a.skip_parallel:
        pdir = os.path.join(out, "par")
        os.makedirs(pdir)
        base = [a.tunesmith, "render"] + files + ["-o", pdir, "--renderer", "wav", "--soundfont", a.font, "--force"] + extra
        w1, c1 = run(base + ["--jobs", "1"])
        w2, c2 = run(base + ["--jobs", "2"])
        print(f"parallel: {len(files)} files, --jobs 1 {w1:.2f} s wall ({c1:.2f} s CPU), --jobs 2 {w2:.2f} s wall "
              f"({c2:.2f} s CPU): speed-up {w1 / w2:.2f}x on {os.cpu_count()} cores; {load()}")
    shutil.rmtree(out)

if __name__ == "__main__":
    main()
