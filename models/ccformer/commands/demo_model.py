"""`ccformer demo-model`: rebuild the app's bundled demo model from nothing (models/MODEL_CARD.md reports it).

    python -m ccformer demo-model --work runs/demo                  # every step
    python -m ccformer demo-model --work runs/demo --steps ablate,export,card --ship .

Steps (ccformer.demo.recipe): data (synthetic AVSS splits from disjoint seeds), train (audio-visual
ccformer_tiny, configs/demo_avss.yaml), visual (the visual-only baseline: the trained model fine-tuned on
all-zero audio, demo_avss_visual.yaml),
ablate (test metrics with own / swapped / silent / zeroed audio), export (ONNX + contract metadata), int8 (the
gated int8 version and its speed), sample (the app's sample video from an unseen seed), card (MODEL_CARD.md from
results.json, plus the ablation table of `--study DIR`). `--ship ROOT` copies the bundled ONNX (int8 when it
passed its gate, its fp32 source to models/fp32/), the card and the sample video into ROOT/models and ROOT/assets.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from ccformer.cli import CommandError

HELP = "generate synthetic AVSS data, train/evaluate/ablate/export the bundled ccformer_tiny demo model"


def add_arguments(p: argparse.ArgumentParser) -> None:
    from ccformer.demo.recipe import STEPS, Settings

    d = Settings(work="")
    p.add_argument("--work", required=True, type=Path, help="work folder (data, runs, results.json, outputs)")
    p.add_argument("--steps", default=",".join(STEPS), help=f"comma-separated subset of {','.join(STEPS)}")
    p.add_argument("--clips", type=int, default=d.clips, help=f"training clips (default {d.clips})")
    p.add_argument("--val-clips", type=int, default=d.val_clips, help=f"validation clips (default {d.val_clips})")
    p.add_argument("--test-clips", type=int, default=d.test_clips, help=f"test clips (default {d.test_clips})")
    p.add_argument("--size", type=int, default=d.size, help=f"input size in pixels (default {d.size})")
    p.add_argument("--epochs", type=int, default=0, help="training epochs (default: the config's)")
    p.add_argument("--visual-epochs", type=int, default=d.visual_epochs,
                   help=f"epochs of the visual-only fine-tuning (default {d.visual_epochs})")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="training config override for both runs, e.g. --set optim.lr=5e-4 (repeatable)")
    p.add_argument("--jobs", type=int, default=d.jobs, help=f"data generation processes (default {d.jobs})")
    p.add_argument("--study", type=Path, metavar="DIR",
                   help="a `ccformer study --work` folder: the card carries its ablation table")
    p.add_argument("--ship", type=Path, metavar="ROOT", help="copy the ONNX, card and sample video into this repo")


def _command_line() -> str:
    """The command as typed (for the model card), when this process was started as `ccformer demo-model`."""
    argv = sys.argv[1:]
    return "python -m ccformer " + shlex.join(argv) if argv[:1] == ["demo-model"] else ""


def run(args: argparse.Namespace) -> int:
    from ccformer.configs import ConfigError
    from ccformer.data import DataLayoutError
    from ccformer.demo.recipe import STEPS, Settings, run_steps

    steps = [x.strip() for x in args.steps.split(",") if x.strip()]
    unknown = [x for x in steps if x not in STEPS]
    if unknown:
        raise CommandError(f"--steps: unknown step(s) {', '.join(unknown)}; choose from {', '.join(STEPS)}")
    if min(args.clips, args.val_clips, args.test_clips) < 2 or args.val_clips % 2 or args.test_clips % 2:
        raise CommandError("--clips/--val-clips/--test-clips must be >= 2, and val/test even (scene pairs)")
    if args.ship is not None and not (args.ship / "models").is_dir():
        raise CommandError(f"--ship {args.ship}: not the repository root (no models/ folder)")
    if args.study is not None and not (args.study / "results.jsonl").is_file():
        raise CommandError(f"--study {args.study}: no results.jsonl (run `ccformer study --work {args.study}` first)")
    settings = Settings(work=str(args.work), clips=args.clips, val_clips=args.val_clips,
                        test_clips=args.test_clips, size=args.size, epochs=args.epochs, visual_epochs=args.visual_epochs,
                        overrides=list(args.set), jobs=args.jobs, command=_command_line(),
                        study=str(args.study or ""))
    try:
        run_steps(settings, steps, ship=args.ship)
    except (ConfigError, DataLayoutError, FileNotFoundError) as err:
        raise CommandError(str(err).splitlines()[0]) from err
    return 0
