"""`CCFormerConfig`: every architecture choice of CCFormer in one dataclass, saved in checkpoints.

Only the builder (`ccformer.model.registry`) reads it; modules take plain keyword arguments (style.md, model
habit 1). Values that the paper's abstract does not fix are documented defaults from ccformer-design.md
"Reconstructed design", not facts about the published model.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ccformer.avss import NUM_AVSS_CLASSES

TASKS = ("s4", "ms3", "avss")
BCL_MODES = ("frame", "video", "off")
AUDIO_ATTENTION = ("frame", "clip")
BCL_TARGETS = ("queries", "mask_pooled")


def task_num_classes(task: str) -> int:
    """1 binary logit for S4/MS3, 71 class logits for AVSS (avsbench.md "Subsets")."""
    return NUM_AVSS_CLASSES if task == "avss" else 1


def task_frames_per_clip(task: str) -> int:
    """5 one-second frames for S4/MS3, 10 for AVSS (avsbench.md "Subsets")."""
    return 10 if task == "avss" else 5


@dataclass
class CCFormerConfig:
    """Architecture of one CCFormer model. Unknown keys are rejected by `from_dict`.

    Switches (ablations): `eim` (early integration module), `video_queries` (video-level queries of the MTM),
    `bcl` ("frame" | "video" | "off": BCL projection heads and the loss mode the training code should use).
    Fidelity switches (issue 13; defaults keep the first reconstruction, see models/MODEL_CARD.md "Ablation"):
    `audio_attention` ("frame": one audio token per frame, a channel gate; "clip": every pixel attends over the
    clip's T audio tokens with temporal positions, in EIM and the pixel decoder), `video_temporal_pos` (temporal
    position of the frame queries the video queries read), `bcl_target` ("queries": mean of the final queries,
    which were generated from the same audio; "mask_pooled": the audio-free stride-4 visual features pooled under
    the predicted mask). Cost switches (the lite variant): `enc_levels` (3: strides 8/16/32 enter the frame
    encoder; 2: strides 16/32 only), `light_stride4` (depthwise-separable stride-4 conv in the pixel decoder).
    `audio_tagging` (ours, not the paper's, AVSS only): a linear head on the audio embedding that predicts which
    classes sound in each second, trained by `loss.w_audio_tag`; a training aid, not part of inference or ONNX.
    """

    variant: str = "custom"
    task: str = "s4"
    # visual / audio encoders
    backbone: str = "pvt_v2_b5"
    backbone_weights: str | None = None
    audio_net: str = "vggish"
    audio_weights: str | None = None
    audio_frozen: bool | None = None  # None: frozen exactly when audio_weights are given
    # widths
    d_model: int = 256
    num_heads: int = 8
    dim_feedforward: int = 2048  # MTM decoder FFN
    enc_layers: int = 3  # frame-level encoder over multi-scale tokens
    enc_feedforward: int = 1024
    enc_kv_pool: int = 2  # stride-8 keys/values average-pooled by this factor (spatial-reduction attention)
    dec_layers: int = 6
    num_queries: int = 5
    # switches
    eim: bool = True
    video_queries: bool = True
    bcl: str = "frame"
    bcl_dim: int = 128
    audio_tagging: bool = False
    audio_attention: str = "frame"
    video_temporal_pos: bool = False
    bcl_target: str = "queries"
    # cost
    enc_levels: int = 3
    light_stride4: bool = False
    # input
    input_size: int = 224
    frames_per_clip: int = 0  # 0: from task (5 s4/ms3, 10 avss)
    num_classes: int = 0  # 0: from task (1 s4/ms3, 71 avss)
    mean: tuple[float, float, float] = (0.485, 0.456, 0.406)
    std: tuple[float, float, float] = (0.229, 0.224, 0.225)

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise ValueError(f"task must be one of {TASKS}, got {self.task!r}")
        if isinstance(self.bcl, bool):  # accept YAML `bcl: false` / `bcl: true`
            self.bcl = "frame" if self.bcl else "off"
        if self.bcl not in BCL_MODES:
            raise ValueError(f"bcl must be one of {BCL_MODES}, got {self.bcl!r}")
        if self.audio_attention not in AUDIO_ATTENTION:
            raise ValueError(f"audio_attention must be one of {AUDIO_ATTENTION}, got {self.audio_attention!r}")
        if self.bcl_target not in BCL_TARGETS:
            raise ValueError(f"bcl_target must be one of {BCL_TARGETS}, got {self.bcl_target!r}")
        if self.enc_levels not in (2, 3):
            raise ValueError(f"enc_levels must be 2 (strides 16/32) or 3 (strides 8/16/32), got {self.enc_levels}")
        if self.d_model % self.num_heads or self.d_model % 4:
            raise ValueError(f"d_model {self.d_model} must be divisible by num_heads and by 4")
        if self.num_classes == 0:
            self.num_classes = task_num_classes(self.task)
        if self.frames_per_clip == 0:
            self.frames_per_clip = task_frames_per_clip(self.task)
        if self.task == "avss" and self.num_classes == 1 or self.task != "avss" and self.num_classes != 1:
            raise ValueError(f"task {self.task} does not fit num_classes {self.num_classes}")
        if self.audio_tagging and self.task != "avss":
            raise ValueError("audio_tagging needs class labels: AVSS only")
        self.mean = tuple(float(v) for v in self.mean)  # type: ignore[assignment]
        self.std = tuple(float(v) for v in self.std)  # type: ignore[assignment]
        for name in ("enc_layers", "dec_layers", "num_queries", "input_size", "enc_kv_pool"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")

    @property
    def audio_is_frozen(self) -> bool:
        return self.audio_weights is not None if self.audio_frozen is None else self.audio_frozen

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (lists instead of tuples) for checkpoints and YAML."""
        out = dataclasses.asdict(self)
        out["mean"], out["std"] = list(self.mean), list(self.std)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CCFormerConfig:
        """Inverse of `to_dict`; raises ValueError naming unknown keys (config values are never ignored)."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown CCFormerConfig keys: {', '.join(unknown)}")
        return cls(**data)

    def replace(self, **changes: Any) -> CCFormerConfig:
        """Copy with `changes`; derived fields are recomputed when the task changes."""
        unknown = sorted(set(changes) - {f.name for f in dataclasses.fields(self)})
        if unknown:
            raise ValueError(f"unknown CCFormerConfig keys: {', '.join(unknown)}")
        data = self.to_dict()
        if "task" in changes and changes["task"] != self.task:
            data["num_classes"] = changes.get("num_classes", 0)
            data["frames_per_clip"] = changes.get("frames_per_clip", 0)
        data.update(changes)
        return CCFormerConfig(**data)
