"""int8 export: an fp32 contract model -> an int8 one, in standard ONNX operators only.

Two schemes, each where it pays (onnxruntime.quantization):
- convolutions: static QDQ (QuantizeLinear/DequantizeLinear pairs), weights int8 per output channel, activations
  uint8 per tensor with ranges calibrated on real inputs (`calibration_clips`: frames of `ccformer synth` clips
  from seeds no split uses, and the app's sample video when it is there). onnxruntime runs DQ -> Conv -> Q as
  one QLinearConv.
- MatMul / Gemm with a constant weight (every Linear): dynamic quantisation (DynamicQuantizeLinear +
  MatMulInteger), weights int8, activation ranges measured per call, so no calibration is needed for the
  attention and MLP layers whose ranges vary most between clips. Activation x activation MatMuls (attention's
  QK^T and AV) stay fp32 (MatMulConstBOnly).
Every operator stays in the default ONNX domain, so src-main/shared/onnx-contract.ts holds unchanged; the file
carries one extra, informational metadata key `quantization` (the app reads only the contract keys).

The accuracy check is at the task level (`ccformer.export.quantize_check`), not logit parity: int8 moves logits
by far more than 1e-4 while leaving the masks as they were.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import onnx

QUANT_KEY = "quantization"
CALIBRATION_SEED = 7_000_000  # unseen by the demo model's train/val/test splits and by the test clips
STANDARD_DOMAINS = ("", "ai.onnx")


def calibration_clips(task: str, size: int, frames: int, *, clips: int = 4, sample_video: Path | None = None,
                      mean: tuple[float, ...] = (0.485, 0.456, 0.406),
                      std: tuple[float, ...] = (0.229, 0.224, 0.225)) -> list[dict[str, np.ndarray]]:
    """Contract feeds {frames [T,3,S,S], audio [T,1,96,64]} preprocessed as the app does: `clips` synthetic
    clips, plus one from `sample_video` (decoded by ffmpeg) when given and readable."""
    from ccformer.audio.logmel import clip_examples, waveform_to_examples
    from ccformer.synth import generate_clip

    m = np.array(mean, np.float32).reshape(1, 3, 1, 1)
    s = np.array(std, np.float32).reshape(1, 3, 1, 1)
    out = []
    for k in range(clips):
        clip = generate_clip(task, CALIBRATION_SEED + k, size)
        x = (clip.frames.transpose(0, 3, 1, 2).astype(np.float32) / 255.0 - m) / s
        a, _ = clip_examples(waveform_to_examples(clip.waveform, 16000), clip.seconds, "zero")
        out.append(_fit_frames(x, a.astype(np.float32), frames))
    if sample_video is not None and sample_video.is_file():
        video = _video_frames(sample_video, size, frames)
        if video is not None:
            x = (video.transpose(0, 3, 1, 2).astype(np.float32) / 255.0 - m) / s
            out.append({"frames": x.astype(np.float32), "audio": out[0]["audio"]})
    return out


def _fit_frames(x: np.ndarray, a: np.ndarray, t: int) -> dict[str, np.ndarray]:
    reps = -(-t // x.shape[0])
    return {"frames": np.concatenate([x] * reps)[:t], "audio": np.concatenate([a] * reps)[:t]}


def _video_frames(path: Path, size: int, t: int) -> np.ndarray | None:
    """One frame per second (the first t seconds) of `path`, resized to size x size RGB; None without ffmpeg."""
    import shutil
    import subprocess

    if shutil.which("ffmpeg") is None:
        return None
    cmd = ["ffmpeg", "-v", "error", "-i", str(path), "-vf", f"fps=1,scale={size}:{size}", "-frames:v", str(t),
           "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    proc = subprocess.run(cmd, capture_output=True, check=False, timeout=60)
    n = len(proc.stdout) // (size * size * 3)
    if proc.returncode != 0 or n == 0:
        return None
    video = np.frombuffer(proc.stdout[:n * size * size * 3], np.uint8).reshape(n, size, size, 3)
    reps = -(-t // n)
    return np.concatenate([video] * reps)[:t]


class _Reader:
    """onnxruntime CalibrationDataReader over prepared feeds."""

    def __init__(self, feeds: list[dict[str, np.ndarray]]) -> None:
        self._it: Iterator[dict[str, np.ndarray]] = iter(feeds)

    def get_next(self) -> dict[str, np.ndarray] | None:
        return next(self._it, None)


def nonstandard_ops(model: onnx.ModelProto) -> list[str]:
    """'domain::op' of every node outside the default ONNX domain (the contract wants none)."""
    return sorted({f"{n.domain}::{n.op_type}" for n in model.graph.node if n.domain not in STANDARD_DOMAINS})


def depthwise_convs(model: onnx.ModelProto) -> list[str]:
    """Names of the grouped (depthwise) Conv nodes: onnxruntime's int8 depthwise kernel plus the Q/DQ around it
    is slower than the fp32 one on CPU, so `convs="dense"` leaves them in fp32."""
    names = []
    for n in model.graph.node:
        group = next((a.i for a in n.attribute if a.name == "group"), 1)
        if n.op_type == "Conv" and group > 1:
            names.append(n.name)
    return names


def quantize_int8(fp32: Path, out: Path, feeds: list[dict[str, np.ndarray]], *,
                  conv: bool = True, matmul: bool = True, skip_depthwise: bool = False) -> dict[str, Any]:
    """Write the int8 model of `fp32` to `out` (QDQ convolutions calibrated on `feeds`, all or only the dense ones
    with `skip_depthwise`; dynamic MatMul/Gemm) and return what was done (also the `quantization` metadata)."""
    from onnxruntime.quantization import (
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_dynamic,
        quantize_static,
    )

    base = onnx.load(str(fp32))
    props = {p.key: p.value for p in base.metadata_props}
    counts = {op: sum(n.op_type == op for n in base.graph.node) for op in ("Conv", "MatMul", "Gemm")}
    with tempfile.TemporaryDirectory(prefix="ccformer-int8-") as tmp:
        stage = fp32
        if conv and counts["Conv"]:
            static = Path(tmp) / "conv_qdq.onnx"
            excluded = depthwise_convs(base) if skip_depthwise else []
            quantize_static(str(stage), str(static), _Reader(feeds), quant_format=QuantFormat.QDQ,
                            op_types_to_quantize=["Conv"], nodes_to_exclude=excluded, per_channel=True, activation_type=QuantType.QUInt8,
                            weight_type=QuantType.QInt8, calibrate_method=CalibrationMethod.MinMax,
                            extra_options={"ActivationSymmetric": False, "WeightSymmetric": True})
            stage = static
        if matmul:
            dynamic = Path(tmp) / "dynamic.onnx"
            quantize_dynamic(str(stage), str(dynamic), op_types_to_quantize=["MatMul", "Gemm"],
                             weight_type=QuantType.QInt8, per_channel=False,
                             extra_options={"MatMulConstBOnly": True})
            stage = dynamic
        model = onnx.load(str(stage))
    bad = nonstandard_ops(model)
    if bad:
        raise ValueError(f"{out}: int8 graph uses non-standard operators {bad}")
    conv_text = "static QDQ per-channel (uint8 activations, int8 weights)" + (", depthwise fp32" if skip_depthwise else "")
    info = {"scheme": "int8", "conv": conv_text if conv else "fp32",
            "matmul": "dynamic (MatMulInteger, int8 weights)" if matmul else "fp32",
            "calibration_clips": len(feeds), "fp32_ops": counts}
    del model.metadata_props[:]
    for key, value in {**props, QUANT_KEY: json.dumps(info)}.items():
        model.metadata_props.add(key=key, value=value)
    model.producer_name = "ccformer"
    out.parent.mkdir(parents=True, exist_ok=True)
    onnx.save_model(model, str(out), save_as_external_data=False)
    return info
