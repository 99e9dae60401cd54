"""`ccformer train`: train CCFormer on an AVSBench subset (README: "Training and evaluating CCFormer").

    python -m ccformer train --config s4_pvt_b5 data.root=/data/AVSBench/Single-source
    torchrun --nproc_per_node=4 -m ccformer train --config avss_pvt_b5 data.root=...   # DDP
    python -m ccformer train --resume runs/s4_x/last.pt                                 # continue
"""

from __future__ import annotations

import argparse
import json

from ccformer.cli import CommandError

HELP = "train CCFormer on AVSBench S4 / MS3 / AVSS (single process, or DDP under torchrun)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Config file, overrides, resume / init checkpoints."""
    from ccformer.engine.cli_support import add_config_arguments

    add_config_arguments(p)
    p.add_argument("--resume", metavar="CKPT", help="continue the run that wrote CKPT (its last.pt)")
    p.add_argument("--init-from", metavar="CKPT", help="initialise weights from CKPT (e.g. MS3 from S4)")
    p.add_argument("--out-dir", help="parent folder of run folders (run.out_dir)")
    p.add_argument("--name", help="run folder name (run.name)")


def run(args: argparse.Namespace) -> int:
    """Load the config (the checkpoint's when resuming), train, print the result as JSON (rank 0)."""
    from ccformer.configs import load_config
    from ccformer.engine.checkpoint import load_checkpoint
    from ccformer.engine.cli_support import override_list, user_errors
    from ccformer.engine.distributed import cleanup, init_distributed
    from ccformer.engine.fit import fit

    with user_errors(CommandError):
        base = load_checkpoint(args.resume)["config"] if args.resume else None
        extra = {"run.init_from": args.init_from, "run.out_dir": args.out_dir, "run.name": args.name}
        cfg = load_config(args.config, override_list(args, extra), base=base)
        info = init_distributed(cfg.run.device)
        try:
            result = fit(cfg, info, resume=args.resume or "", say=print if info.is_main else (lambda *_: None))
        finally:
            cleanup()
    if info.is_main:
        print(json.dumps({k: v for k, v in result.items() if k != "test"} |
                         {"test": {k: v for k, v in result.get("test", {}).items() if not isinstance(v, list)}}))
    return 0
