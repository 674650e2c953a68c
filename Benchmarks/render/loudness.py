#!/usr/bin/env python3
"""Loudness benchmark: what normalising costs, and whether a meter that is not ours agrees.

In one run, with the release tunesmith:
  1. The README's main job (`generate --length 30s --seed 7 --process scale:key=auto,mode=major -o demo.flac`) with
     `--loudness off` (the synthesizer's own level: "before") and with the default (-14 LUFS, -1 dBTP: "after").
  2. The sample album (Samples/album.yaml) exported as it is (track mode, -14 LUFS) and with `loudness: off`.
  3. Time: a longer render (a MIDI file, default: a 120 s generated piece) rendered alternately with `--loudness off`
     and with the default, --runs times each; wall and CPU (user+sys) medians and their ratio (the issue allows +15 %).
Every file is measured by ffmpeg's ebur128 filter (integrated LUFS, true peak dBTP); "after" files must be within
+-0.5 LU of -14 LUFS with a true peak <= -1.0 dBTP (exit status 1 otherwise).

    python3 Benchmarks/render/loudness.py [--runs 5] [--midi FILE] [--tunesmith PATH]
"""
import argparse, os, re, resource, shutil, statistics, subprocess, sys, tempfile, time

def run(cmd):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr.decode(errors='replace')}")
    return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)

def ebur128(path):
    p = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-i", path, "-af", "ebur128=peak=true", "-f", "null", "-"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    summary = p.stderr[p.stderr.rfind("Summary:"):]
    i = float(re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary).group(1))
    tp = float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1))
    return i, tp

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--midi", help="MIDI file for the timing (default: a 120 s generated piece)")
    ap.add_argument("--tunesmith", default=None)
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    tool = args.tunesmith
    if not tool:
        subprocess.run(["swift", "build", "-c", "release", "--product", "tunesmith"], cwd=root, check=True, stdout=subprocess.DEVNULL)
        tool = os.path.join(root, ".build", "release", "tunesmith")
    if not shutil.which("ffmpeg"):
        sys.exit("ffmpeg is needed (apt-get install ffmpeg)")
    work = tempfile.mkdtemp(prefix="tunesmith-loudness-")
    failures = []
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    def check(label, path):
        i, tp = ebur128(path)
        ok = abs(i + 14) <= 0.5 and tp <= -1.0
        print(f"  after   {label}: {i:6.1f} LUFS, true peak {tp:5.1f} dBTP {'ok' if ok else 'OUT OF SPEC'}")
        if not ok: failures.append(label)

    print("README main job (generate --length 30s --seed 7 --process scale:key=auto,mode=major):")
    job = [tool, "generate", "--length", "30s", "--seed", "7", "--process", "scale:key=auto,mode=major", "--force"]
    run(job + ["-o", f"{work}/before.flac", "--loudness", "off"])
    run(job + ["-o", f"{work}/after.flac"])
    i, tp = ebur128(f"{work}/before.flac")
    print(f"  before  demo.flac: {i:6.1f} LUFS, true peak {tp:5.1f} dBTP")
    check("demo.flac", f"{work}/after.flac")

    print("Sample album (Samples/album.yaml):")
    spec = open(os.path.join(root, "Samples", "album.yaml")).read()
    off = spec.replace("settings:", "settings:\n  loudness: off", 1)
    with open(f"{work}/album-off.yaml", "w") as f: f.write(off)
    run([tool, "album", f"{work}/album-off.yaml", "-o", f"{work}/album-before"])
    run([tool, "album", os.path.join(root, "Samples", "album.yaml"), "-o", f"{work}/album-after"])
    for name in sorted(n for n in os.listdir(f"{work}/album-before") if n.endswith(".flac")):
        i, tp = ebur128(f"{work}/album-before/{name}")
        print(f"  before  {name}: {i:6.1f} LUFS, true peak {tp:5.1f} dBTP")
    for name in sorted(n for n in os.listdir(f"{work}/album-after") if n.endswith(".flac")):
        check(name, f"{work}/album-after/{name}")

    midi = args.midi
    if not midi:
        midi = f"{work}/long.mid"
        run([tool, "generate", "--length", "120s", "--seed", "11", "-o", midi])
    print(f"Time: render {os.path.basename(midi)} to FLAC, {args.runs} runs each, alternating:")
    times = {"off": [], "on": []}
    for k in range(args.runs):
        for mode in (["off", "on"] if k % 2 == 0 else ["on", "off"]):
            extra = ["--loudness", "off"] if mode == "off" else []
            times[mode].append(run([tool, "render", midi, "-o", f"{work}/t-{mode}.flac", "--force"] + extra))
    wall = {m: statistics.median(w for w, _ in v) for m, v in times.items()}
    cpu = {m: statistics.median(c for _, c in v) for m, v in times.items()}
    print(f"  --loudness off: wall {wall['off']:.2f} s, CPU {cpu['off']:.2f} s")
    print(f"  default (-14 LUFS): wall {wall['on']:.2f} s, CPU {cpu['on']:.2f} s")
    print(f"  normalising adds {100 * (wall['on'] / wall['off'] - 1):+.1f} % wall, {100 * (cpu['on'] / cpu['off'] - 1):+.1f} % CPU (limit +15 %)")
    check(os.path.basename(midi) + " render", f"{work}/t-on.flac")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    shutil.rmtree(work)
    if failures: sys.exit(f"out of spec: {', '.join(failures)}")

main()
