"""`ccformer ablate`: does the model listen? Evaluate one checkpoint with its clips' audio swapped, silent or zeroed.

    python -m ccformer ablate --checkpoint runs/av/best.pt --data-root data/AVSBench-semantic --mode all

Modes (ccformer.data.views): `none` (the clip's own audio), `swap` (clip i gets clip perm[i]'s audio, perm a
deterministic derangement from --seed), `silent` (log-mel of a silent recording, log(0.01)), `zero` (all-zero
log-mel, what the visual-only baseline is trained on); `all` runs every one. Prints JSON: per mode the headline
metrics (AVSS: miou = official 71-class mean, miou_present = mean over the classes present), plus the drops
from `none`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ccformer.cli import CommandError

HELP = "evaluate a checkpoint with swapped / silent / zeroed audio (does the model listen?); prints JSON"
MODE_CHOICES = ("swap", "silent", "zero", "none", "all")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--checkpoint", required=True, type=Path, metavar="CKPT", help="a checkpoint written by train")
    p.add_argument("--data-root", required=True, type=Path, help="the AVSBench-layout subset folder (or its parent)")
    p.add_argument("--split", default="test", help="train | val | test (default test)")
    p.add_argument("--mode", default="all", choices=MODE_CHOICES,
                   help="which audio condition besides the clean run (default all)")
    p.add_argument("--seed", type=int, default=0, help="seed of the swap derangement (default 0)")
    p.add_argument("--batch-size", type=int, default=2, help="clips per forward pass (default 2)")
    p.add_argument("--out", type=Path, help="also write the JSON to this file")


def run(args: argparse.Namespace) -> int:
    from ccformer.data import DataLayoutError
    from ccformer.demo.ablation import ablate_checkpoint

    if not args.checkpoint.is_file():
        raise CommandError(f"{args.checkpoint}: checkpoint file not found")
    if not args.data_root.is_dir():
        raise CommandError(f"{args.data_root}: data folder not found")
    modes = ["none", "swap", "silent", "zero"] if args.mode == "all" else (
        ["none"] if args.mode == "none" else ["none", args.mode])
    try:
        result = ablate_checkpoint(args.checkpoint, args.data_root, split=args.split, modes=modes, seed=args.seed,
                                   batch_size=args.batch_size)
    except DataLayoutError as err:
        raise CommandError(str(err)) from err
    except ValueError as err:
        raise CommandError(f"{args.checkpoint}: {err}") from err
    text = json.dumps(result, indent=1)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0
