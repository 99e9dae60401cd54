"""The int8 model's accuracy check at the task level: the same synthetic test clips through the fp32 and the int8
ONNX files, the project's metrics on both, and a gate on the drop.

Why not logit parity (the fp32 export's 1e-4 check): int8 moves logits by ~1e-2 while the masks stay; what a
user sees is the mask. Clips are generated in memory by `ccformer synth`'s generator from a seed range (for the
bundled demo model: its own test split, ccformer.demo.recipe.TEST_SEED), preprocessed as the app does.
For a random-weight model mIoU means nothing; `argmax_agreement` (the share of pixels whose predicted class is
the same in both files) is the figure reported for those.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch

MAX_MIOU_DROP = 0.5  # mIoU points (of 100) the int8 model may lose on the synthetic test split


class AccuracyGateError(RuntimeError):
    """The int8 model lost more than the allowed mIoU on the test clips."""


def _session(path: Path, threads: int = 0) -> Any:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


def _clip_feeds(meta: dict[str, Any], seeds: list[int]) -> list[tuple[dict[str, np.ndarray], np.ndarray]]:
    from ccformer.audio.logmel import clip_examples, waveform_to_examples
    from ccformer.synth import generate_clip

    size = int(meta["input_size"][0])
    mean = np.array(meta["mean"], np.float32).reshape(1, 3, 1, 1)
    std = np.array(meta["std"], np.float32).reshape(1, 3, 1, 1)
    out = []
    for seed in seeds:
        clip = generate_clip(str(meta["task"]), seed, size)
        frames = (clip.frames.transpose(0, 3, 1, 2).astype(np.float32) / 255.0 - mean) / std
        audio, _ = clip_examples(waveform_to_examples(clip.waveform, 16000), clip.seconds, "zero")
        out.append(({"frames": frames.astype(np.float32), "audio": audio.astype(np.float32)}, clip.masks))
    return out


def _scores(task: str, logits: list[np.ndarray], masks: list[np.ndarray]) -> dict[str, float]:
    if task == "avss":
        from ccformer.metrics import SemanticMeter

        meter = SemanticMeter()
        for lg, gt in zip(logits, masks, strict=True):
            meter.update(torch.from_numpy(lg), torch.from_numpy(gt.astype(np.int64)))
        m = meter.compute()
        return {"miou": 100 * float(m["miou"]), "miou_present": 100 * float(m["miou_present"])}
    from ccformer.metrics.binary import frame_iou

    ious = [frame_iou(torch.from_numpy(lg[:, 0]), torch.from_numpy((gt > 0).astype(np.int64))) for lg, gt in
            zip(logits, masks, strict=True)]
    return {"miou": 100 * float(torch.cat(ious).mean())}


def compare_models(fp32: Path, int8: Path, seeds: list[int], *, threads: int = 0) -> dict[str, Any]:
    """Metrics of both files on the clips of `seeds`, their drop (fp32 - int8, in points) and argmax agreement."""
    from ccformer.export.metadata import parse_metadata

    a, b = _session(fp32, threads), _session(int8, threads)
    meta = parse_metadata(dict(a.get_modelmeta().custom_metadata_map))
    task = str(meta["task"])
    clips = _clip_feeds(meta, seeds)
    out_a, out_b, masks, agree, total = [], [], [], 0, 0
    for feed, gt in clips:
        la, lb = a.run(["logits"], feed)[0], b.run(["logits"], feed)[0]
        pa = la.argmax(1) if la.shape[1] > 1 else la[:, 0] > 0
        pb = lb.argmax(1) if lb.shape[1] > 1 else lb[:, 0] > 0
        agree += int((pa == pb).sum())
        total += pa.size
        out_a.append(la)
        out_b.append(lb)
        masks.append(gt)
    sa, sb = _scores(task, out_a, masks), _scores(task, out_b, masks)
    return {"task": task, "clips": len(seeds), "seeds": [seeds[0], seeds[-1]], "fp32": sa, "int8": sb,
            "drop": {k: round(sa[k] - sb[k], 3) for k in sa}, "argmax_agreement": agree / max(total, 1)}


def gate(result: dict[str, Any], max_drop: float = MAX_MIOU_DROP) -> None:
    """Raise AccuracyGateError when any mIoU of `compare_models` dropped by more than `max_drop` points."""
    bad = {k: v for k, v in result["drop"].items() if not v <= max_drop}
    if bad:
        raise AccuracyGateError(f"int8 model loses {bad} mIoU points on {result['clips']} test clips "
                                f"(allowed {max_drop}); fp32 {result['fp32']}, int8 {result['int8']}")
