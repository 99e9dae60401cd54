"""`python -m ccformer bench`: PyTorch eager vs onnxruntime CPU on one clip, same weights, same machine.

Prints JSON lines `{"name", "value", "unit", "goal"}` on stdout (progress on stderr). Per variant: parameter
count, ONNX size and export time, parity, median forward time of a `--frames`-frame clip at `--input-size` in
eager PyTorch (`torch.no_grad`, default intra-op threads) and in onnxruntime (all graph optimisations, the same
number of intra-op threads), and the speed-up (goal >= 1.5 for the paper-scale variant). Runs are interleaved
(eager, ort, eager, ort, ...) after one warm-up each, so load from other processes hits both sides alike; the
load average is printed too, because a busy machine slows OpenMP (eager) much more than onnxruntime.

int8 (default on; `--no-int8` skips it): the fp32 file is quantised as `ccformer export --quantize int8` does
(ccformer.export.quantize; calibrated on `--calibration-clips` synthetic clips) and timed in the same interleaved
loop, so each variant prints fp32 eager, fp32 onnxruntime and int8 onnxruntime side by side with the ratios
(goal: int8 >= 1.5x fp32 onnxruntime for the paper-scale variants) and the argmax agreement of int8 with fp32
on unseen synthetic clips (the weights are random, so agreement, not mIoU, is the figure). Also printed:
parameters and GFLOPs per model part (ccformer.perf), and the CPU with its vector extensions (int8 speed
depends on VNNI/AMX) and the load.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ccformer.cli import CommandError
from ccformer.perf.timing import load_average, ort_session, time_interleaved

HELP = "time CCFormer forward in PyTorch eager vs onnxruntime CPU (JSON lines)"
SPEEDUP_GOAL = 1.5


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--variants", default="ccformer_pvt_b5,ccformer_tiny", help="comma-separated registry names")
    p.add_argument("--repeats", type=int, default=3, help="timed runs per side after one warm-up (median)")
    p.add_argument("--frames", type=int, default=10, help="T, frames per clip")
    p.add_argument("--input-size", type=int, default=224)
    p.add_argument("--task", choices=("s4", "ms3", "avss"), default="avss")
    p.add_argument("--threads", type=int, default=0, help="intra-op threads for both sides (0: torch's default)")
    p.add_argument("--exporter", choices=("auto", "dynamo", "torchscript"), default="auto")
    p.add_argument("--keep", type=Path, help="folder to keep the exported .onnx files in (default: temporary)")
    p.add_argument("--no-int8", dest="int8", action="store_false", help="skip the int8 model")
    p.add_argument("--calibration-clips", type=int, default=1, help="synthetic clips calibrating the int8 convs")
    p.add_argument("--agreement-clips", type=int, default=1, help="unseen synthetic clips for int8 vs fp32 argmax")


def _emit(name: str, value: float | int, unit: str, goal: str | None = None) -> None:
    print(json.dumps({"name": name, "value": value, "unit": unit, "goal": goal}), flush=True)


def _log(msg: str) -> None:
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def _per_part(variant: str, model: Any, frames: Any, audio: Any) -> None:
    from collections import defaultdict

    from ccformer.perf.measure import flops_per_part
    from ccformer.perf.parts import module_part

    params: dict[str, int] = defaultdict(int)
    for name, p in model.named_parameters():
        params[module_part(name.split(".")[0]) if not name.startswith("bcl_") else "BCL heads (training)"] += p.numel()
    for part, n in params.items():
        _emit(f"{variant}.params.{part}", round(n / 1e6, 3), "M")
    for part, g in flops_per_part(model, frames, audio).items():
        _emit(f"{variant}.gflops.{part}", g, f"GFLOP/clip ({frames.shape[0]} frames)")


def _int8(variant: str, args: argparse.Namespace, fp32: Path, folder: Path) -> Path:
    from ccformer.export.quantize import calibration_clips, quantize_int8
    from ccformer.export.quantize_check import compare_models

    out = folder / f"{variant}-int8.onnx"
    feeds = calibration_clips(args.task, args.input_size, args.frames, clips=args.calibration_clips)
    _log(f"{variant}: quantising to int8 ({len(feeds)} calibration clips)")
    quantize_int8(fp32, out, feeds)
    _emit(f"{variant}.int8_onnx_size", round(out.stat().st_size / 1e6, 2), "MB")
    seeds = [8_500_000 + k for k in range(args.agreement_clips)]
    agreement = compare_models(fp32, out, seeds)["argmax_agreement"]
    _emit(f"{variant}.int8_argmax_agreement", round(agreement, 5), "share of pixels, int8 vs fp32 ONNX",
          ">= 0.99")
    return out


def bench_variant(variant: str, args: argparse.Namespace, folder: Path) -> None:
    import torch

    from ccformer.export import export_onnx
    from ccformer.model import build_model
    from ccformer.model.onnx_wrapper import OnnxSegmenter
    from ccformer.perf.machine import cpu_info

    threads = args.threads or torch.get_num_threads()
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = build_model(variant, task=args.task, input_size=args.input_size).eval()
    total = sum(p.numel() for p in model.parameters())
    bcl = sum(p.numel() for n, p in model.named_parameters() if n.startswith("bcl_"))
    _emit(f"{variant}.params", round(total / 1e6, 3), "M")
    _emit(f"{variant}.params_inference", round((total - bcl) / 1e6, 3), "M")
    _log(f"{variant}: exporting ({total / 1e6:.1f} M parameters)")
    result = export_onnx(model, folder / f"{variant}.onnx", exporter=args.exporter, check_frames=(args.frames,),
                         log=_log)
    _emit(f"{variant}.onnx_size", round(result.size_bytes / 1e6, 2), "MB",
          "<= 20" if variant == "ccformer_tiny" else None)
    _emit(f"{variant}.export_time", round(result.export_seconds, 1), "s")
    _emit(f"{variant}.max_abs_diff", result.max_abs_diff[args.frames], "logit", "<= 1e-4")
    session = ort_session(result.path, threads)
    wrapper = OnnxSegmenter(model).eval()
    frames = torch.randn(args.frames, 3, args.input_size, args.input_size)
    audio = torch.randn(args.frames, 1, 96, 64)
    feed = {"frames": frames.numpy(), "audio": audio.numpy()}
    _per_part(variant, model, frames, audio)
    fns: dict[str, Callable[[], Any]] = {"eager": lambda: eager(), "ort": lambda: session.run(["logits"], feed)}
    if args.int8:
        int8 = ort_session(_int8(variant, args, result.path, folder), threads)
        fns["int8"] = lambda: int8.run(["logits"], feed)

    def eager() -> None:
        with torch.no_grad():
            wrapper(frames, audio)

    _log(f"{variant}: timing {args.frames} frames at {args.input_size} px, {threads} threads, "
         f"{args.repeats} runs per side")
    times = time_interleaved(fns, args.repeats)
    med = {k: statistics.median(v) for k, v in times.items()}
    clip = f"{args.frames}x{args.input_size}px, {threads} threads"
    _emit(f"{variant}.eager_s", round(med["eager"], 4), f"s/clip median ({clip})")
    tiny_goal = "< 1" if variant == "ccformer_tiny" and args.frames >= 10 else None
    _emit(f"{variant}.onnxruntime_s", round(med["ort"], 4), f"s/clip median ({clip})", tiny_goal)
    goal = f">= {SPEEDUP_GOAL}" if variant != "ccformer_tiny" else None
    _emit(f"{variant}.speedup", round(med["eager"] / med["ort"], 3), "x (median eager / median onnxruntime)", goal)
    best = min(times["eager"]) / min(times["ort"])
    _emit(f"{variant}.speedup_best", round(best, 3), "x (fastest eager / fastest onnxruntime run)", goal)
    if "int8" in times:
        _emit(f"{variant}.onnxruntime_int8_s", round(med["int8"], 4), f"s/clip median ({clip})")
        _emit(f"{variant}.int8_speedup", round(med["ort"] / med["int8"], 3),
              "x (median fp32 onnxruntime / median int8 onnxruntime)", goal)
        _emit(f"{variant}.int8_vs_eager", round(med["eager"] / med["int8"], 3), "x (median eager / median int8)")
        _emit(f"{variant}.int8_speedup_best", round(min(times["ort"]) / min(times["int8"]), 3),
              "x (fastest fp32 onnxruntime / fastest int8 run)", goal)
    _log(f"{variant} ({clip}): " + ", ".join(f"{k} {v:.3f} s" for k, v in med.items()))
    _emit(f"{variant}.load_avg", load_average(), "1-min load average after timing")
    info = cpu_info()
    _emit(f"{variant}.cpu", info["cores"], f"cores: {info['cpu']}; vector: {' '.join(info['vector'])}")


def run(args: argparse.Namespace) -> int:
    from ccformer.export import ExportError
    from ccformer.model import list_variants

    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = [v for v in variants if v not in list_variants()]
    if unknown:
        raise CommandError(f"unknown variant(s) {', '.join(unknown)}; choose from {', '.join(list_variants())}")
    if args.repeats < 1 or args.frames < 1:
        raise CommandError("--repeats and --frames must be >= 1")
    with tempfile.TemporaryDirectory(prefix="ccformer-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for variant in variants:
            try:
                bench_variant(variant, args, folder)
            except ExportError as err:
                raise CommandError(f"{variant}: {err}") from err
    return 0
