"""Export a CCFormer (or any model with `predict(frames[B,T,..], audio[B,T,..])`) to the app's ONNX contract.

Exporter choice (both seen to give a graph where T = 5 and T = 10 run, parity ~1e-6 on ccformer_tiny):
- "dynamo" (torch.onnx.export(dynamo=True) + `dynamic_shapes`): the maintained path; emits opset 18 natively
  (its down-conversion to 17 fails on this graph), so it is used for opset >= 18;
- "torchscript" (the legacy tracer with `dynamic_axes`): used for opset 17, and as the fallback when the dynamo
  exporter raises.
The file is written as one self-contained .onnx (no external data; the app reads metadata_props from it), with
the per-node debug metadata the dynamo exporter adds stripped (it is ~10% of a small model's file).
"""

from __future__ import annotations

import contextlib
import io
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnx
import torch
from torch import nn

from ccformer.export.metadata import build_metadata
from ccformer.model.onnx_wrapper import OnnxSegmenter

EXPORTERS = ("auto", "dynamo", "torchscript")
PARITY_ATOL = 1e-4


class ExportError(RuntimeError):
    """Export failed or the exported graph disagrees with PyTorch."""


@dataclass
class ExportResult:
    path: Path
    exporter: str
    opset: int
    size_bytes: int
    export_seconds: float
    max_abs_diff: dict[int, float] = field(default_factory=dict)  # T -> max |onnxruntime - torch|
    metadata: dict[str, str] = field(default_factory=dict)
    node_parts: dict[str, str] = field(default_factory=dict)  # node/output name -> model part (ccformer.perf)
    quantized: dict[str, object] = field(default_factory=dict)  # int8 export: file, size, accuracy check


def _log_stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _export_dynamo(wrapper: nn.Module, args: tuple[torch.Tensor, ...], opset: int) -> onnx.ModelProto:
    t = torch.export.Dim("T", min=1, max=256)
    # The dynamo exporter prints its progress on stdout; stdout belongs to the command's results.
    with contextlib.redirect_stdout(sys.stderr), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        program = torch.onnx.export(wrapper, args, dynamo=True, opset_version=opset, optimize=True,
                                    input_names=["frames", "audio"], output_names=["logits"],
                                    dynamic_shapes={"frames": {0: t}, "audio": {0: t}})
    if program is None:
        raise ExportError("the dynamo exporter returned no program")
    return program.model_proto


def _export_torchscript(wrapper: nn.Module, args: tuple[torch.Tensor, ...], opset: int) -> onnx.ModelProto:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # TracerWarnings about int(shape): sizes are static by design
        torch.onnx.export(wrapper, args, buf, dynamo=False, opset_version=opset,
                          input_names=["frames", "audio"], output_names=["logits"],
                          dynamic_axes={"frames": {0: "T"}, "audio": {0: "T"}, "logits": {0: "T"}})
    return onnx.load_from_string(buf.getvalue())


def _finish(proto: onnx.ModelProto, meta: dict[str, str], out_shape: Sequence[int]) -> dict[str, str]:
    """Strip debug metadata, name the dynamic axis T everywhere, set metadata_props. Returns the node -> model
    part map read from the debug metadata before it goes (what `ccformer profile` groups by)."""
    from ccformer.perf.parts import onnx_node_parts

    parts = onnx_node_parts(proto.graph)
    for node in proto.graph.node:
        del node.metadata_props[:]
        node.doc_string = ""
    for value, dims in [(proto.graph.output[0], out_shape), *((v, None) for v in proto.graph.input)]:
        shape = value.type.tensor_type.shape
        shape.dim[0].Clear()
        shape.dim[0].dim_param = "T"
        if dims is not None:
            for dim, size in zip(shape.dim[1:], dims, strict=True):
                dim.Clear()
                dim.dim_value = int(size)
    del proto.metadata_props[:]
    for key, value in meta.items():
        proto.metadata_props.add(key=key, value=value)
    proto.producer_name = "ccformer"
    return parts


def check_parity(path: Path, wrapper: nn.Module, *, input_size: tuple[int, int], frames: Sequence[int],
                 seed: int = 0) -> dict[int, float]:
    """max |onnxruntime - torch| of `logits` for each T in `frames`, on the same random inputs."""
    import onnxruntime as ort

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    gen = torch.Generator().manual_seed(seed)
    diffs: dict[int, float] = {}
    for t in frames:
        x = torch.randn(t, 3, *input_size, generator=gen)
        a = torch.randn(t, 1, 96, 64, generator=gen)
        with torch.no_grad():
            ref = wrapper(x, a).numpy()
        got = session.run(["logits"], {"frames": x.numpy(), "audio": a.numpy()})[0]
        if got.shape != ref.shape:
            raise ExportError(f"{path}: logits shape {got.shape} for T={t}, PyTorch gives {ref.shape}")
        diffs[t] = float(np.abs(got - ref).max())
    return diffs


def export_onnx(model: nn.Module, out: str | Path, *, task: str | None = None, variant: str | None = None,
                input_size: int | None = None, frames_per_clip: int | None = None, opset: int = 18,
                exporter: str = "auto", version: str | None = None, training_data: str | None = None,
                check: bool = True, check_frames: Sequence[int] = (5, 10), atol: float = PARITY_ATOL,
                log: Callable[[str], None] = _log_stderr) -> ExportResult:
    """Export `model` to `out` under the ONNX contract and (by default) verify it with onnxruntime.

    task/variant/input_size/frames_per_clip default to `model.config`. Raises ExportError when both exporters
    fail or when max |diff| > atol for any T in `check_frames` (the file is kept for inspection).
    """
    cfg = getattr(model, "config", None)
    task = task or getattr(cfg, "task", None)
    if task is None:
        raise ExportError("task is required for a model without a CCFormerConfig")
    size = int(input_size or getattr(cfg, "input_size", 224))
    meta = build_metadata(
        task=task, variant=variant or getattr(cfg, "variant", "custom"), input_size=(size, size),
        num_classes=getattr(cfg, "num_classes", 71 if task == "avss" else 1),
        frames_per_clip=frames_per_clip or getattr(cfg, "frames_per_clip", None),
        mean=getattr(cfg, "mean", (0.485, 0.456, 0.406)), std=getattr(cfg, "std", (0.229, 0.224, 0.225)),
        version=version, training_data=training_data)
    if exporter not in EXPORTERS:
        raise ExportError(f"exporter must be one of {EXPORTERS}, got {exporter!r}")
    order = {"auto": ["dynamo", "torchscript"] if opset >= 18 else ["torchscript"],
             "dynamo": ["dynamo"], "torchscript": ["torchscript"]}[exporter]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    was_training = model.training
    wrapper = OnnxSegmenter(model).eval()
    t = int(meta["frames_per_clip"])
    args = (torch.randn(t, 3, size, size), torch.randn(t, 1, 96, 64))
    try:
        start = time.perf_counter()
        proto, used, errors = None, "", []
        for name in order:
            log(f"exporting {meta['variant']} ({task}, {size}x{size}, opset {opset}) with the {name} exporter")
            try:
                fn = _export_dynamo if name == "dynamo" else _export_torchscript
                proto, used = fn(wrapper, args, opset), name
                break
            except Exception as err:  # noqa: BLE001 - report and try the next exporter
                errors.append(f"{name}: {type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}")
                log(f"the {name} exporter failed: {errors[-1]}")
        if proto is None:
            raise ExportError("; ".join(errors))
        with torch.no_grad():
            out_shape = wrapper(*args).shape[1:]
        node_parts = _finish(proto, meta, out_shape)
        onnx.checker.check_model(proto)
        onnx.save_model(proto, str(out), save_as_external_data=False)
        seconds = time.perf_counter() - start
        result = ExportResult(path=out, exporter=used, opset=opset, size_bytes=out.stat().st_size,
                              export_seconds=seconds, metadata=meta, node_parts=node_parts)
        log(f"wrote {out} ({result.size_bytes / 1e6:.1f} MB) in {seconds:.1f} s")
        if check:
            result.max_abs_diff = check_parity(out, wrapper, input_size=(size, size), frames=check_frames)
            for frames, diff in result.max_abs_diff.items():
                log(f"parity T={frames}: max|onnxruntime - torch| = {diff:.3g}")
            bad = {k: v for k, v in result.max_abs_diff.items() if not v <= atol}
            if bad:
                raise ExportError(f"{out}: onnxruntime disagrees with PyTorch, max|diff| {bad} > {atol}")
        return result
    finally:
        model.train(was_training)
