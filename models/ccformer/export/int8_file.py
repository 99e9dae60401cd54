"""Quantise an exported fp32 contract file to int8 and check it at the task level: `ccformer export --quantize
int8` and the demo recipe's int8 step both come here, so the shipped file passes exactly the documented gate."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]


class Int8CheckError(ValueError):
    """The int8 file does not run for T = 5 / 10, or loses more accuracy than allowed."""


@dataclass
class Int8Options:
    calibration_clips: int = 4
    gate_clips: int = 60
    gate_seed: int | None = None  # default: the demo recipe's test split
    max_miou_drop: float = 0.5
    convs: str = "on"  # "on": every Conv; "dense": depthwise Convs stay fp32; "off": MatMul/Gemm only
    gated: bool = True  # False (untrained models): report the argmax agreement only


def quantize_checked(fp32: Path, out: Path, o: Int8Options, log: Any = None) -> dict[str, Any]:
    """Write `out` (int8) from `fp32`, run it for T = 5 and 10, compare both on synthetic test clips and enforce
    the mIoU gate when `o.gated`. Returns the summary recorded by the export command and the demo recipe."""
    import numpy as np
    import onnxruntime as ort

    from ccformer.demo.recipe import TEST_SEED
    from ccformer.export.metadata import parse_metadata
    from ccformer.export.quantize import calibration_clips, quantize_int8
    from ccformer.export.quantize_check import AccuracyGateError, compare_models, gate

    say = log or (lambda msg: print(msg, file=sys.stderr))
    session = ort.InferenceSession(str(fp32), providers=["CPUExecutionProvider"])
    meta = parse_metadata(dict(session.get_modelmeta().custom_metadata_map))
    size, t = int(meta["input_size"][0]), int(meta["frames_per_clip"])  # type: ignore[index, arg-type]
    feeds = calibration_clips(str(meta["task"]), size, t, clips=o.calibration_clips,
                              sample_video=REPO / "assets" / "sample.mp4", mean=tuple(meta["mean"]),  # type: ignore[arg-type]
                              std=tuple(meta["std"]))  # type: ignore[arg-type]
    say(f"quantising {fp32} to int8 ({len(feeds)} calibration clips)")
    info = quantize_int8(fp32, out, feeds, conv=o.convs != "off", skip_depthwise=o.convs == "dense")
    int8 = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    for frames in (5, 10):
        x = np.zeros((frames, 3, size, size), np.float32)
        got = int8.run(["logits"], {"frames": x, "audio": np.zeros((frames, 1, 96, 64), np.float32)})[0]
        if got.shape[0] != frames:
            raise Int8CheckError(f"{out}: int8 model gives {got.shape[0]} frames for T={frames}")
    start = TEST_SEED if o.gate_seed is None else o.gate_seed
    check = compare_models(fp32, out, list(range(start, start + max(o.gate_clips, 1))))
    say(f"int8 check on {check['clips']} synthetic clips: fp32 {check['fp32']}, int8 {check['int8']}, "
        f"argmax agreement {check['argmax_agreement']:.5f}")
    if o.gated:
        try:
            gate(check, o.max_miou_drop)
        except AccuracyGateError as err:
            raise Int8CheckError(f"{out}: {err}") from err
    return {"out": str(out), "size_mb": round(out.stat().st_size / 1e6, 2), "scheme": info, "check": check,
            "gated": o.gated, "max_miou_drop": o.max_miou_drop, "calibration_clips": o.calibration_clips}


def speed_ratio(fp32: Path, int8: Path, *, frames: int, runs: int = 5, threads: int = 2) -> dict[str, Any]:
    """Median and best seconds per clip of both files, interleaved, with the CPU and the load they ran under."""
    import statistics

    import numpy as np
    import onnxruntime as ort

    from ccformer.export.metadata import parse_metadata
    from ccformer.perf.machine import cpu_info
    from ccformer.perf.timing import ort_session, time_interleaved

    meta = parse_metadata(dict(ort.InferenceSession(str(fp32), providers=["CPUExecutionProvider"])
                               .get_modelmeta().custom_metadata_map))
    size = int(meta["input_size"][0])  # type: ignore[index]
    feed = {"frames": np.random.default_rng(0).standard_normal((frames, 3, size, size), dtype=np.float32),
            "audio": np.zeros((frames, 1, 96, 64), np.float32)}
    a, b = ort_session(fp32, threads), ort_session(int8, threads)
    times = time_interleaved({"fp32": lambda: a.run(["logits"], feed), "int8": lambda: b.run(["logits"], feed)}, runs)
    med = {k: statistics.median(v) for k, v in times.items()}
    best = {k: min(v) for k, v in times.items()}
    return {"frames": frames, "size": size, "threads": threads, "runs": runs,
            "median_s": {k: round(v, 3) for k, v in med.items()}, "best_s": {k: round(v, 3) for k, v in best.items()},
            "speedup_median": round(med["fp32"] / med["int8"], 2), "speedup_best": round(best["fp32"] / best["int8"], 2),
            "cpu": cpu_info()}
