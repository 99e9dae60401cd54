"""`python -m ccformer profile`: where a variant's time and FLOPs go, per model part.

    python -m ccformer profile --variants ccformer_pvt_b5,ccformer_tiny --frames 10 --input-size 224 --threads 2

Per variant: GFLOPs per part (FlopCounterMode), PyTorch eager ms per part (torch.profiler, a record_function
around each part module), onnxruntime fp32 and int8 ms per part (its profiler; ONNX nodes mapped to parts via
the module scopes the exporter records, ccformer.perf.parts) and onnxruntime's top operator types. Prints a
Markdown table per variant on stdout (README "Benchmarks" carries one) and, with --json FILE, every figure.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from ccformer.cli import CommandError

HELP = "per-part FLOPs and eager / onnxruntime fp32 / int8 time of CCFormer variants (Markdown table)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--variants", default="ccformer_pvt_b5,ccformer_tiny")
    p.add_argument("--frames", type=int, default=10)
    p.add_argument("--input-size", type=int, default=224)
    p.add_argument("--task", choices=("s4", "ms3", "avss"), default="avss")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--runs", type=int, default=2, help="profiled runs per side after one warm-up")
    p.add_argument("--no-int8", dest="int8", action="store_false")
    p.add_argument("--json", type=Path, help="also write every figure to this file")


def _log(msg: str) -> None:
    print(f"profile: {msg}", file=sys.stderr, flush=True)


def profile_variant(variant: str, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    import torch

    from ccformer.export import export_onnx
    from ccformer.export.quantize import calibration_clips, quantize_int8
    from ccformer.model import build_model
    from ccformer.perf.measure import flops_per_part, ort_part_times, torch_part_times

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = build_model(variant, task=args.task, input_size=args.input_size).eval()
    frames = torch.randn(args.frames, 3, args.input_size, args.input_size)
    audio = torch.randn(args.frames, 1, 96, 64)
    feed = {"frames": frames.numpy(), "audio": audio.numpy()}
    _log(f"{variant}: exporting")
    result = export_onnx(model, folder / f"{variant}.onnx", check=False, log=_log)
    out: dict[str, Any] = {"gflops": flops_per_part(model, frames, audio)}
    _log(f"{variant}: eager profile")
    out["eager_ms"] = torch_part_times(model, frames, audio, runs=args.runs)
    _log(f"{variant}: onnxruntime fp32 profile")
    out["ort_fp32"] = ort_part_times(result.path, result.node_parts, feed, threads=args.threads, runs=args.runs)
    if args.int8:
        int8 = folder / f"{variant}-int8.onnx"
        quantize_int8(result.path, int8, calibration_clips(args.task, args.input_size, args.frames, clips=1))
        _log(f"{variant}: onnxruntime int8 profile")
        out["ort_int8"] = ort_part_times(int8, result.node_parts, feed, threads=args.threads, runs=args.runs)
    return out


def table(variant: str, res: dict[str, Any], args: argparse.Namespace) -> str:
    from ccformer.perf.parts import PARTS

    cols = [("eager ms", res["eager_ms"]), ("ORT fp32 ms", res["ort_fp32"]["parts"])]
    if "ort_int8" in res:
        cols.append(("ORT int8 ms", res["ort_int8"]["parts"]))
    lines = [f"{variant}, {args.frames} frames at {args.input_size} px, {args.threads} threads",
             "", "| part | GFLOPs | " + " | ".join(c for c, _ in cols) + " |", "|---" * (len(cols) + 2) + "|"]
    for part in PARTS:
        lines.append(f"| {part} | {res['gflops'][part]:.2f} | " + " | ".join(f"{c[part]:.0f}" for _, c in cols) + " |")
    totals = [res["eager_ms"]["total"], res["ort_fp32"]["total"]] + ([res["ort_int8"]["total"]] if "ort_int8" in res else [])
    lines.append(f"| total (wall) | {sum(res['gflops'].values()):.2f} | " + " | ".join(f"{t:.0f}" for t in totals) + " |")
    ops = ", ".join(f"{k} {v:.0f}" for k, v in list(res["ort_fp32"]["ops"].items())[:6])
    lines.append(f"\nonnxruntime fp32 top operators (ms): {ops}")
    if "ort_int8" in res:
        ops = ", ".join(f"{k} {v:.0f}" for k, v in list(res["ort_int8"]["ops"].items())[:6])
        lines.append(f"onnxruntime int8 top operators (ms): {ops}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from ccformer.model import list_variants
    from ccformer.perf.machine import cpu_info

    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = [v for v in variants if v not in list_variants()]
    if unknown:
        raise CommandError(f"unknown variant(s) {', '.join(unknown)}; choose from {', '.join(list_variants())}")
    if args.runs < 1 or args.frames < 1 or args.threads < 1:
        raise CommandError("--runs, --frames and --threads must be >= 1")
    every: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="ccformer-profile-") as tmp:
        for variant in variants:
            every[variant] = profile_variant(variant, args, Path(tmp))
            print(table(variant, every[variant], args) + "\n", flush=True)
    info = cpu_info()
    every["machine"] = info
    print(f"CPU: {info['cpu']} ({info['cores']} cores; {' '.join(info['vector'])}); 1-min load {info['load_1min']}")
    if args.json:
        args.json.write_text(json.dumps(every, indent=1) + "\n", encoding="utf-8")
    return 0
