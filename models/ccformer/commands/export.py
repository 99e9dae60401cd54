"""`python -m ccformer export`: write a CCFormer as the ONNX model the app runs, then verify it.

    python -m ccformer export --variant ccformer_tiny --task avss --out tiny-avss.onnx
    python -m ccformer export --checkpoint runs/s4_r50/best.pt --out s4-r50.onnx

The checkpoint (written by `ccformer train`) carries its own model config, so it selects variant, task and
input size; --variant/--task must then agree with it. After writing, onnxruntime is compared with PyTorch on the
same random inputs for T=5 and T=10; max |diff| > 1e-4 is an error (exit 2). Progress goes to stderr; stdout gets
one JSON line describing the result.

    python -m ccformer export --checkpoint best.pt --out model.onnx --quantize int8
    python -m ccformer export --onnx models/ccformer-tiny-synth.onnx --out tiny-int8.onnx --quantize int8

--quantize int8 writes the fp32 file next to --out (`NAME.fp32.onnx`) and the int8 one to --out
(ccformer.export.quantize), checks that T = 5 and T = 10 run, then compares both on `--gate-clips` synthetic
test clips (seeds from `--gate-seed`, default: the demo recipe's test split): a trained model that loses more
than `--max-miou-drop` mIoU points is an error (exit 2; the file is kept for inspection). For an untrained
model (no --checkpoint / --onnx) only the argmax agreement is reported. --onnx quantises an existing fp32
contract file instead of exporting one.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ccformer.cli import CommandError

HELP = "export a CCFormer variant or checkpoint to the app's ONNX contract and check parity with onnxruntime"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--variant", help="registry variant (see `ccformer bench --help`); optional with --checkpoint")
    p.add_argument("--task", choices=("s4", "ms3", "avss"), help="default: the checkpoint's task, else s4")
    p.add_argument("--checkpoint", type=Path, help="training checkpoint (.pt) with 'model' and 'model_config'")
    p.add_argument("--out", type=Path, required=True, help="output .onnx file")
    p.add_argument("--input-size", type=int, help="square input size (default: the model config's, 224)")
    p.add_argument("--opset", type=int, default=18, help="ONNX opset (>= 17; 17 uses the TorchScript exporter)")
    p.add_argument("--exporter", choices=("auto", "dynamo", "torchscript"), default="auto")
    p.add_argument("--training-data", help="free text for metadata 'training_data' (default: from the checkpoint)")
    p.add_argument("--atol", type=float, default=1e-4,
                   help="fail when max|onnxruntime - torch| of the logits exceeds this (default 1e-4)")
    p.add_argument("--model-version", help="metadata 'version' (default: the ccformer package version)")
    p.add_argument("--quantize", choices=("none", "int8"), default="none", help="also write an int8 model")
    p.add_argument("--onnx", type=Path, help="an exported fp32 contract .onnx to quantise (with --quantize int8)")
    p.add_argument("--gate-clips", type=int, default=60, help="synthetic test clips of the int8 accuracy check")
    p.add_argument("--gate-seed", type=int, help="first seed of those clips (default: the demo test split's)")
    p.add_argument("--max-miou-drop", type=float, default=0.5, help="int8 may lose at most this many mIoU points")
    p.add_argument("--calibration-clips", type=int, default=4, help="synthetic clips calibrating the int8 convs")
    p.add_argument("--int8-convs", choices=("on", "dense", "off"), default="on",
                   help="dense: leave depthwise convs fp32 (their QDQ int8 is slower on CPU, as in ccformer_pvt_b5's "
                        "MLPs); off: quantise only MatMul/Gemm")


def describe_training(ckpt: dict[str, Any], path: Path) -> str:
    """One line for metadata 'training_data' from what `ccformer train` stores in a checkpoint."""
    if isinstance(ckpt.get("training_data"), str):
        return ckpt["training_data"]
    data = (ckpt.get("config") or {}).get("data") or {}
    parts = [f"AVSBench {data.get('task', '?')}"]
    if data.get("root"):
        parts.append(f"from {Path(str(data['root'])).name}/ ({data.get('train_split', 'train')} split)")
    if ckpt.get("epoch"):
        parts.append(f"{ckpt['epoch']} epochs")
    best = ckpt.get("best") or {}
    if isinstance(best, dict) and best:
        shown = ", ".join(f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}" for k, v in best.items())
        parts.append(f"best {shown}")
    if ckpt.get("git_sha"):
        parts.append(f"code {str(ckpt['git_sha'])[:12]}")
    return f"{', '.join(parts)}; checkpoint {path.name}"


def _load(args: argparse.Namespace) -> tuple[Any, str | None]:
    """-> (model, training-data text or None)."""
    from ccformer.model.registry import build_model, list_variants, model_from_checkpoint

    if args.checkpoint is None:
        if not args.variant:
            raise CommandError("give --variant NAME or --checkpoint FILE")
        if args.variant not in list_variants():
            raise CommandError(f"unknown variant {args.variant!r}; choose one of {', '.join(list_variants())}")
        overrides = {"input_size": args.input_size} if args.input_size else {}
        return build_model(args.variant, task=args.task or "s4", **overrides).eval(), None
    if not args.checkpoint.is_file():
        raise CommandError(f"{args.checkpoint}: checkpoint file not found")
    try:
        model, ckpt = model_from_checkpoint(args.checkpoint)
    except (ValueError, KeyError, RuntimeError, OSError) as err:
        raise CommandError(f"{args.checkpoint}: cannot load checkpoint: {err}") from err
    cfg = model.config
    for name, given, own in (("--variant", args.variant, cfg.variant), ("--task", args.task, cfg.task)):
        if given and given != own:
            raise CommandError(f"{args.checkpoint}: {name} {given} does not match the checkpoint's {own}")
    return model, describe_training(ckpt, args.checkpoint)


def quantize(args: argparse.Namespace, fp32: Path, trained: bool) -> dict[str, Any]:
    """--quantize int8 on the fp32 contract file `fp32` (ccformer.export.int8_file). Returns the summary's 'int8'
    entry; raises CommandError when the int8 file fails to run or loses more than the gate allows."""
    from ccformer.export.int8_file import Int8CheckError, Int8Options, quantize_checked

    options = Int8Options(calibration_clips=args.calibration_clips, gate_clips=args.gate_clips,
                          gate_seed=args.gate_seed, max_miou_drop=args.max_miou_drop,
                          convs=args.int8_convs, gated=trained)
    try:
        return quantize_checked(fp32, args.out, options)
    except Int8CheckError as err:
        raise CommandError(str(err)) from err


def run(args: argparse.Namespace) -> int:
    from ccformer.export import ExportError, export_onnx

    if args.onnx is not None:
        if args.quantize != "int8":
            raise CommandError("--onnx FILE needs --quantize int8 (it only quantises an existing export)")
        if not args.onnx.is_file():
            raise CommandError(f"{args.onnx}: ONNX file not found")
        if args.out.suffix != ".onnx" or args.out.resolve() == args.onnx.resolve():
            raise CommandError(f"{args.out}: the output must be a new .onnx file")
        summary = {"int8": quantize(args, args.onnx, trained=True)}
        print(json.dumps(summary), file=sys.stdout)
        return 0
    if args.opset < 17:
        raise CommandError(f"--opset {args.opset}: the contract needs opset >= 17")
    if args.out.suffix != ".onnx":
        raise CommandError(f"{args.out}: the output file must end in .onnx")
    model, trained_on = _load(args)
    fp32_out = args.out.with_suffix(".fp32.onnx") if args.quantize == "int8" else args.out
    try:
        result = export_onnx(model, fp32_out, input_size=args.input_size, opset=args.opset, exporter=args.exporter,
                             version=args.model_version, training_data=args.training_data or trained_on,
                             atol=args.atol)
    except ExportError as err:
        raise CommandError(str(err)) from err
    summary = {"out": str(result.path), "exporter": result.exporter, "opset": result.opset,
               "size_mb": round(result.size_bytes / 1e6, 2), "export_s": round(result.export_seconds, 1),
               "max_abs_diff": {str(k): v for k, v in result.max_abs_diff.items()},
               "task": result.metadata["task"], "variant": result.metadata["variant"]}
    if args.quantize == "int8":
        summary["int8"] = quantize(args, fp32_out, trained=args.checkpoint is not None)
    print(json.dumps(summary), file=sys.stdout)
    return 0
