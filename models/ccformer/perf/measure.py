"""Per-part FLOPs (FlopCounterMode), PyTorch eager time (torch.profiler) and onnxruntime time (its profiler).

All three take the ONNX contract's call: `OnnxSegmenter(model)(frames [T,3,H,W], audio [T,1,96,64])`, so they
measure the inference path the app runs (no auxiliary heads, no BCL). Times are milliseconds per clip.
"""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import torch
from torch import nn

from ccformer.perf.parts import PARTS, module_part, resolve_parts

_PREFIX = "ccformer_part::"


def _part_modules(model: nn.Module) -> list[tuple[str, nn.Module]]:
    """(part, module) for every top-level part module of a CCFormer; ModuleLists by their members (a list itself
    is never called)."""
    out = []
    for name, child in model.named_children():
        members = list(child.named_children()) if isinstance(child, nn.ModuleList) else [("", child)]
        out += [(module_part(name), m) for _, m in members]
    return out


def flops_per_part(model: nn.Module, frames: torch.Tensor, audio: torch.Tensor) -> dict[str, float]:
    """GFLOPs per part for one clip (FlopCounterMode: matmul/conv/attention ops, 2 FLOPs per multiply-add)."""
    from torch.utils.flop_counter import FlopCounterMode

    from ccformer.model.onnx_wrapper import OnnxSegmenter

    wrapper = OnnxSegmenter(model).eval()
    grads = [p.requires_grad for p in model.parameters()]
    for p in model.parameters():  # FlopCounterMode's module tracker trips over no_grad with trainable weights
        p.requires_grad_(False)
    try:
        with FlopCounterMode(display=False) as counter:
            wrapper(frames, audio)
    finally:
        for p, g in zip(model.parameters(), grads, strict=True):
            p.requires_grad_(g)
    counts = counter.get_flop_counts()
    out: dict[str, float] = defaultdict(float)
    for name, ops in counts.items():
        parts = name.split(".")
        if len(parts) == 3 and parts[:2] == ["OnnxSegmenter", "model"]:
            out[module_part(parts[2])] += sum(ops.values()) / 1e9
    total = sum(counts.get("Global", {}).values()) / 1e9
    out["glue"] += max(0.0, total - sum(out.values()))
    return {p: round(out.get(p, 0.0), 3) for p in PARTS}


def torch_part_times(model: nn.Module, frames: torch.Tensor, audio: torch.Tensor, runs: int = 2) -> dict[str, float]:
    """Eager ms per clip per part: each part module's forward is wrapped in a torch.profiler `record_function`
    (hooks), the whole call in one more; glue = whole - parts. One warm-up run is not profiled."""
    from torch.profiler import ProfilerActivity, profile, record_function

    from ccformer.model.onnx_wrapper import OnnxSegmenter

    wrapper = OnnxSegmenter(model).eval()
    handles, stack = [], []
    for part, module in _part_modules(model):
        def pre(_m: nn.Module, _a: Any, part: str = part) -> None:
            ctx = record_function(_PREFIX + part)
            ctx.__enter__()
            stack.append(ctx)

        def post(_m: nn.Module, _a: Any, _o: Any) -> None:
            stack.pop().__exit__(None, None, None)

        handles += [module.register_forward_pre_hook(pre), module.register_forward_hook(post)]
    try:
        with torch.no_grad():
            wrapper(frames, audio)
            with profile(activities=[ProfilerActivity.CPU]) as prof:
                for _ in range(runs):
                    with record_function(_PREFIX + "total"):
                        wrapper(frames, audio)
    finally:
        for h in handles:
            h.remove()
    ms: dict[str, float] = defaultdict(float)
    for evt in prof.key_averages():
        if evt.key.startswith(_PREFIX):
            ms[evt.key[len(_PREFIX):]] += evt.cpu_time_total / 1e3 / runs
    total = ms.pop("total", 0.0)
    ms["glue"] += max(0.0, total - sum(ms.values()))
    return {**{p: round(ms.get(p, 0.0), 2) for p in PARTS}, "total": round(total, 2)}


def ort_part_times(path: str | Path, known: dict[str, str], feed: dict[str, np.ndarray], *, threads: int,
                   runs: int = 2) -> dict[str, Any]:
    """onnxruntime ms per clip per part and per operator type (kernel time from its profiler, ORT_ENABLE_ALL as
    the app runs it). `known`: node/output name -> part of the exported graph (`onnx_node_parts`); the
    optimised graph is saved next to the profile so that fused nodes can be traced back (`resolve_parts`).
    The first (warm-up) run is left out."""
    import onnxruntime as ort

    with tempfile.TemporaryDirectory(prefix="ccformer-profile-") as tmp:
        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.intra_op_num_threads = threads
        opts.enable_profiling = True
        opts.profile_file_prefix = str(Path(tmp) / "ort")
        opts.optimized_model_filepath = str(Path(tmp) / "optimized.onnx")
        opts.add_session_config_entry("session.optimized_model_external_initializers_file_name", "weights.bin")
        opts.add_session_config_entry("session.optimized_model_external_initializers_min_size_in_bytes", "1024")
        session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        for _ in range(runs + 1):
            session.run(None, feed)
        events = json.loads(Path(session.end_profiling()).read_text(encoding="utf-8"))
        optimised = onnx.load(str(Path(tmp) / "optimized.onnx"), load_external_data=False)
    node_part = resolve_parts(optimised.graph.node, known)
    runs_at = sorted((e["ts"], e["ts"] + e["dur"]) for e in events if e.get("name") == "model_run")
    first_end = runs_at[0][1] if runs_at else -1
    parts: dict[str, float] = defaultdict(float)
    ops: dict[str, float] = defaultdict(float)
    for e in events:
        if e.get("cat") != "Node" or not e["name"].endswith("_kernel_time") or e["ts"] <= first_end:
            continue
        name = e["name"][:-len("_kernel_time")]
        parts[node_part.get(name, "glue")] += e["dur"] / 1e3 / runs
        ops[e.get("args", {}).get("op_name", "?")] += e["dur"] / 1e3 / runs
    wall = [(b - a) / 1e3 for a, b in runs_at[1:]]
    return {"parts": {p: round(parts.get(p, 0.0), 2) for p in PARTS},
            "ops": dict(sorted(((k, round(v, 2)) for k, v in ops.items()), key=lambda kv: -kv[1])),
            "total": round(sum(wall) / max(len(wall), 1), 2)}

