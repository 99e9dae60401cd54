"""`ccformer evaluate`: score a checkpoint on a split the AVSBench way; optionally write PNG predictions.

    python -m ccformer evaluate --checkpoint runs/s4_x/best.pt --split test --save-png preds/
    torchrun --nproc_per_node=2 -m ccformer evaluate --checkpoint ... eval.fscore_batch_size=1

The checkpoint's own training config is the base (override data.root etc. with KEY=VALUE or --config).
Writes metrics.json + summary.md to --out (default: <checkpoint folder>/eval_<split>) and prints the JSON.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ccformer.cli import CommandError

HELP = "evaluate a CCFormer checkpoint on an AVSBench split (mIoU, F; PNG predictions with --save-png)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Checkpoint, split, outputs, config overrides."""
    from ccformer.engine.cli_support import add_config_arguments

    p.add_argument("--checkpoint", required=True, metavar="CKPT", help="a checkpoint written by train")
    add_config_arguments(p)
    p.add_argument("--split", default="test", help="train | val | test (default test)")
    p.add_argument("--save-png", metavar="DIR", help="write predicted masks here in the AVSBench layout")
    p.add_argument("--out", metavar="DIR", help="where metrics.json and summary.md go")


def run(args: argparse.Namespace) -> int:
    """Rebuild the model from the checkpoint, evaluate (DDP-aware), write the summary on rank 0."""
    import torch

    from ccformer.configs import ConfigError, load_config
    from ccformer.data import AVSDataset
    from ccformer.engine import builders
    from ccformer.engine.checkpoint import load_checkpoint
    from ccformer.engine.cli_support import override_list, user_errors
    from ccformer.engine.distributed import cleanup, init_distributed
    from ccformer.engine.loops import evaluate
    from ccformer.engine.report import PngWriter, write_summary
    from ccformer.model.registry import build_from_config, config_from_checkpoint

    with user_errors(CommandError):
        ckpt = load_checkpoint(args.checkpoint)
        try:
            model_cfg = config_from_checkpoint(ckpt, args.checkpoint)
        except ValueError as err:
            raise ConfigError(str(err)) from err
        base = ckpt.get("config") if isinstance(ckpt.get("config"), dict) and "data" in ckpt["config"] else {
            "data": {"task": model_cfg.task, "size": model_cfg.input_size}}
        cfg = load_config(args.config, override_list(args), base=base, check_model=False)
        if cfg.data.task != model_cfg.task:
            raise ConfigError(f"data.task={cfg.data.task} but {args.checkpoint} is a {model_cfg.task} model")
        info = init_distributed(cfg.run.device)
        try:
            model = build_from_config(model_cfg, load_weights=False)
            model.load_state_dict(ckpt["model"])
            model.to(info.device).eval()
            dataset: AVSDataset = builders.build_dataset(cfg, args.split)
            writer = PngWriter(dataset, Path(args.save_png)) if args.save_png else None
            torch.manual_seed(cfg.run.seed)
            metrics = evaluate(model, builders.eval_loader(cfg, dataset, info), task=cfg.data.task,
                               num_videos=len(dataset), fscore_batch_size=cfg.eval.fscore_batch_size,
                               device=info.device, amp=cfg.run.amp, progress=cfg.run.progress and info.is_main,
                               on_batch=writer, desc=args.split)
        finally:
            cleanup()
    if info.is_main:
        out = Path(args.out) if args.out else Path(args.checkpoint).resolve().parent / f"eval_{args.split}"
        meta = {"task": cfg.data.task, "split": args.split, "checkpoint": str(args.checkpoint),
                "variant": model_cfg.variant, "size": cfg.data.size, "processes": info.world_size,
                "git_sha": ckpt.get("git_sha", "unknown")}
        write_summary(out, metrics, meta)
        print(json.dumps({k: v for k, v in metrics.items() if not isinstance(v, list)}))
    return 0
