"""`ccformer synth`: generate a synthetic audio-visual segmentation dataset in a published AVSBench layout.

Why: there is no AVSBench data and no GPU here, yet the demo model must learn to *listen*. Scenes hold 2-4
objects of distinct classes (each with its own look and sound); per second a subset sounds, silent objects are
distractors, and seeds 2m / 2m+1 share the picture with different sounding objects. Splits use disjoint seed
ranges (train from --seed, val from --seed + 1e6, test from --seed + 2e6 unless --split-seeds is given).
Output: OUT/Single-source (s4), OUT/Multi-sources (ms3) or OUT/AVSBench-semantic (avss), plus `{uid}.mp4`
videos (H.264 + AAC) in --videos whose sampled frame for second k is dataset frame k.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ccformer.cli import CommandError

HELP = "generate a synthetic audio-visual dataset (S4/MS3/AVSS layouts) and optional mp4 videos"
SPLITS = ("train", "val", "test")
SPLIT_STRIDE = 1_000_000


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--task", required=True, choices=["s4", "ms3", "avss"], help="layout and labels to write")
    p.add_argument("--clips", type=int, default=10, help="clips in total over train/val/test (default 10)")
    p.add_argument("--seed", type=int, default=0, help="first train seed; val/test start 1e6/2e6 later")
    p.add_argument("--out", required=True, type=Path, help="output folder (the subset folder is created in it)")
    p.add_argument("--videos", type=Path, default=None, help="also write one {uid}.mp4 per clip here")
    p.add_argument("--size", type=int, default=224, help="frame size in pixels (square; default 224)")
    p.add_argument("--split-seeds", type=int, nargs=3, metavar=("TRAIN", "VAL", "TEST"), default=None,
                   help="first seed of each split (ranges must not overlap)")
    p.add_argument("--val-frac", type=float, default=0.15, help="fraction of clips for val (default 0.15)")
    p.add_argument("--test-frac", type=float, default=0.15, help="fraction of clips for test (default 0.15)")
    p.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def split_counts(total: int, val_frac: float, test_frac: float) -> dict[str, int]:
    """Clips per split; val/test rounded to even counts so scene pairs stay inside one split."""
    val = 2 * round(total * val_frac / 2)
    test = 2 * round(total * test_frac / 2)
    if val + test > total:
        val, test = 0, 0
    return {"train": total - val - test, "val": val, "test": test}


def _plan(args: argparse.Namespace) -> list[tuple[str, int]]:
    counts = split_counts(args.clips, args.val_frac, args.test_frac)
    starts = args.split_seeds or [args.seed + i * SPLIT_STRIDE for i in range(3)]
    ranges = [(s, s + counts[name]) for name, s in zip(SPLITS, starts, strict=True) if counts[name]]
    for i, (a0, a1) in enumerate(ranges):
        if a0 < 0:
            raise CommandError(f"seeds must be >= 0, got {a0}")
        for b0, b1 in ranges[i + 1:]:
            if a0 < b1 and b0 < a1:
                raise CommandError(f"split seed ranges [{a0}, {a1}) and [{b0}, {b1}) overlap: pick other --split-seeds")
    return [(name, start + i) for name, start in zip(SPLITS, starts, strict=True) for i in range(counts[name])]


def _one(job: tuple[str, str, int, int, str, str | None]) -> tuple[list[str], dict[str, object], float]:
    """Generate and write one clip (runs in a worker process when --jobs > 1)."""
    from ccformer.synth.clip import generate_clip
    from ccformer.synth.video import write_mp4
    from ccformer.synth.writers import clip_manifest, write_clip

    task, split, seed, size, out, videos = job
    t0 = time.perf_counter()
    clip = generate_clip(task, seed, size)
    row = write_clip(clip, Path(out), split)
    if videos:
        write_mp4(clip, Path(videos) / f"{clip.uid}.mp4")
    return row, clip_manifest(clip, split), time.perf_counter() - t0


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from ccformer.synth.writers import subset_root, write_manifest, write_metadata

    if args.clips < 1:
        raise CommandError(f"--clips must be >= 1, got {args.clips}")
    if not 16 <= args.size <= 2048:
        raise CommandError(f"--size must be within 16..2048, got {args.size}")
    if args.videos is not None and args.size % 2:
        raise CommandError(f"--size must be even for H.264 videos (yuv420p), got {args.size}")
    if not (0 <= args.val_frac < 1 and 0 <= args.test_frac < 1):
        raise CommandError("--val-frac and --test-frac must lie in [0, 1)")
    for folder in (args.out, args.videos):
        if folder is not None and folder.exists() and not folder.is_dir():
            raise CommandError(f"{folder} exists and is not a folder")
    plan = _plan(args)
    jobs = [(args.task, split, seed, args.size, str(args.out), str(args.videos) if args.videos else None)
            for split, seed in plan]
    t0 = time.perf_counter()
    bar = tqdm(total=len(jobs), desc=f"synth {args.task}", unit="clip", disable=args.quiet, file=sys.stderr)
    results = []
    if args.jobs > 1:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            for res in pool.map(_one, jobs, chunksize=4):
                results.append(res)
                bar.update()
    else:
        for job in jobs:
            results.append(_one(job))
            bar.update()
    bar.close()
    meta = write_metadata(args.task, args.out, [r[0] for r in results])
    info = {"generator": "ccformer synth", "task": args.task, "size": args.size, "seed": args.seed,
            "split_seeds": [min((s for sp, s in plan if sp == name), default=None) for name in SPLITS]}
    write_manifest(args.task, args.out, info, [r[1] for r in results])
    wall = time.perf_counter() - t0
    per = sum(r[2] for r in results) / len(results)
    counts = {name: sum(1 for sp, _ in plan if sp == name) for name in SPLITS}
    print(f"wrote {len(results)} {args.task} clips (train {counts['train']}, val {counts['val']}, "
          f"test {counts['test']}) to {subset_root(args.task, args.out)} in {wall:.1f} s "
          f"({per:.3f} s/clip); metadata {meta}" + (f"; videos in {args.videos}" if args.videos else ""),
          file=sys.stderr)
    return 0
