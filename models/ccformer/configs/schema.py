"""Training configuration: dataclasses with defaults, thin YAML files on top, dotted `key=value` overrides last.

    cfg = load_config("s4_r50", ["optim.lr=1e-4", "data.root=/data/Single-source"])

Unknown keys are rejected (never silently ignored). The `model` section is passed to
`ccformer.model.registry.variant_config` (`variant` + any CCFormerConfig field), which rejects unknown keys too;
the model's task and input size always come from `data.task` / `data.size` (one source of truth).
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CONFIG_DIR = Path(__file__).resolve().parent


class ConfigError(ValueError):
    """A bad config file, key or value; the message names it."""


@dataclass
class DataConfig:
    """Which AVSBench subset, where it lives, and how clips are read (see ccformer.data.AVSDataset)."""

    task: str = "s4"  # s4 | ms3 | avss
    root: str = ""  # the Single-source/, Multi-sources/ or AVSS folder (or its parent)
    size: int = 224  # square input size; the model's input_size follows it
    audio: str = "auto"  # auto | pkl | wav
    train_split: str = "train"
    val_split: str = "val"
    test_split: str = "test"
    num_workers: int = 2
    check_files: str = "all"  # all | first | none
    cache: bool = False  # keep decoded clips in memory (needs num_workers=0); small datasets on CPU
    audio_override: str = "none"  # none | swap | silent | zero: audio ablation for every split (ccformer.data.views)
    augment: bool = False  # training split only: clip-level flip, scale jitter/crop, photometric noise (data/augment.py)


@dataclass
class LossConfig:
    """Weights of ccformer.losses.Criterion (the BCL mode and tau come from the model config / here)."""

    w_dice: float = 1.0
    w_bce: float = 1.0
    w_ce: float = 1.0
    w_avss_dice: float = 0.0  # AVSS multi-class Dice (ours, not the paper's; see ccformer.losses)
    w_audio_tag: float = 0.0  # AVSS audio class tagging (ours; needs model.audio_tagging=true)
    w_aux: float = 1.0
    aux_full_res: bool = True  # false: auxiliary outputs scored at their stride-4 size (ours; see Criterion)
    w_bcl: float = 0.1
    tau: float = 0.07


@dataclass
class OptimConfig:
    """Optimiser and schedule. `batch_size` is per process (global = batch_size x world size)."""

    name: str = "adamw"  # adamw | adam
    lr: float = 2e-5
    backbone_lr_mult: float = 1.0  # lr multiplier for the visual backbone
    weight_decay: float = 0.01
    batch_size: int = 2
    epochs: int = 30
    schedule: str = "constant"  # constant | poly | cosine (per step, after warmup)
    warmup_steps: int = 0
    grad_clip: float = 0.0  # max grad norm; 0 = off
    max_steps: int = 0  # stop after this many optimiser steps in total (0 = no limit)


@dataclass
class EvalConfig:
    """Validation / test. `fscore_batch_size` is the AVSBench metric batch (videos), not the loader's."""

    batch_size: int = 4  # videos per loader batch and process
    fscore_batch_size: int = 4  # AVSBench 4, AVSegFormer 2, COMBO/GAVS 1 (reported with every F)
    every: int = 1  # validate every N epochs (and after the last)
    test_after: bool = True  # test once with the best-on-val checkpoint at the end


@dataclass
class RunConfig:
    """Where outputs go and how the process runs."""

    out_dir: str = "runs"
    name: str = ""  # default: {task}_{variant}_{YYYYmmdd-HHMMSS}
    seed: int = 123
    device: str = "auto"  # auto | cpu | cuda
    amp: str = "off"  # off | bf16 | fp16 (fp16 needs CUDA)
    deterministic: bool = False
    log_every: int = 10
    tensorboard: bool = True
    progress: bool = True
    find_unused_parameters: bool = False
    init_from: str = ""  # checkpoint to initialise weights from (e.g. MS3 from S4)


@dataclass
class Config:
    """The whole training config (saved as config.yaml in the run folder and inside checkpoints)."""

    data: DataConfig = field(default_factory=DataConfig)
    model: dict[str, Any] = field(default_factory=lambda: {"variant": "ccformer_tiny"})
    loss: LossConfig = field(default_factory=LossConfig)
    optim: OptimConfig = field(default_factory=OptimConfig)
    eval: EvalConfig = field(default_factory=EvalConfig)
    run: RunConfig = field(default_factory=RunConfig)

    def to_dict(self) -> dict[str, Any]:
        """Plain nested dict (YAML/checkpoint friendly)."""
        return dataclasses.asdict(self)

    def model_config(self) -> Any:
        """The CCFormerConfig this training config asks for (raises ConfigError on a bad model section)."""
        from ccformer.model.registry import variant_config

        section = dict(self.model)
        variant = section.pop("variant", "ccformer_tiny")
        if section.pop("task", self.data.task) != self.data.task:
            raise ConfigError("model.task must not differ from data.task (set data.task)")
        if section.setdefault("input_size", self.data.size) != self.data.size:
            raise ConfigError(f"model.input_size={section['input_size']} differs from data.size={self.data.size}")
        try:
            return variant_config(variant, task=self.data.task, **section)
        except (ValueError, TypeError) as err:
            raise ConfigError(f"model section: {err}") from err


def _coerce(value: Any, hint: Any, key: str) -> Any:
    """Check/convert one leaf value to its annotated type (YAML gives '1e-4' as a string)."""
    if hint is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false", "yes", "no", "on", "off"):
            return value.lower() in ("true", "yes", "on")
    elif hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
    elif hint is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        try:
            return float(value)
        except (TypeError, ValueError):
            pass
    elif hint is str:
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
    raise ConfigError(f"{key}: expected {getattr(hint, '__name__', hint)}, got {value!r}")


def _build(cls: type, data: dict[str, Any], prefix: str) -> Any:
    """Instantiate dataclass `cls` from `data`, rejecting unknown keys and coercing leaf types."""
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        names = ", ".join(f"{prefix}{k}" for k in unknown)
        raise ConfigError(f"unknown config key(s) {names}; known under '{prefix or '.'}': {', '.join(sorted(known))}")
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        hint = hints[name]
        if dataclasses.is_dataclass(hint):
            if not isinstance(value, dict):
                raise ConfigError(f"{prefix}{name}: expected a mapping, got {value!r}")
            kwargs[name] = _build(hint, value, f"{prefix}{name}.")
        elif typing.get_origin(hint) is dict:
            if not isinstance(value, dict):
                raise ConfigError(f"{prefix}{name}: expected a mapping, got {value!r}")
            kwargs[name] = dict(value)
        else:
            kwargs[name] = _coerce(value, hint, f"{prefix}{name}")
    return cls(**kwargs)


def _merge(base: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def find_config(name_or_path: str) -> Path:
    """A YAML path, or the name of a bundled config (`s4_r50` -> ccformer/configs/s4_r50.yaml)."""
    path = Path(name_or_path).expanduser()
    if path.is_file():
        return path
    bundled = CONFIG_DIR / f"{name_or_path}.yaml"
    if bundled.is_file():
        return bundled
    names = ", ".join(sorted(p.stem for p in CONFIG_DIR.glob("*.yaml")))
    raise ConfigError(f"config {name_or_path} not found (a YAML path or one of: {names})")


def parse_overrides(items: list[str]) -> dict[str, Any]:
    """`["optim.lr=1e-4", "model.eim=false"]` -> nested dict; values parsed as YAML scalars."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key or any(not part for part in key.split(".")):
            raise ConfigError(f"override {item!r} is not of the form section.key=value")
        node = out
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ConfigError(f"override {item!r} conflicts with another override")
        node[leaf] = yaml.safe_load(raw) if raw else ""
    return out


def config_from_dict(data: dict[str, Any], *, check_model: bool = True) -> Config:
    """Defaults <- `data` (a nested dict), validated (the model section too unless `check_model` is False,
    e.g. when evaluating a checkpoint, whose own model config is used)."""
    cfg = _build(Config, _merge(Config().to_dict(), data), "")
    if check_model:
        cfg.model_config()  # validate the model section now, not after an hour of data loading
    return cfg


def load_config(path: str | None = None, overrides: list[str] | None = None,
                base: dict[str, Any] | None = None, *, check_model: bool = True) -> Config:
    """Defaults <- `base` (e.g. the config saved in a checkpoint) <- YAML file <- dotted overrides."""
    data: dict[str, Any] = dict(base or {})
    if path:
        file = find_config(path)
        try:
            loaded = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as err:
            raise ConfigError(f"{file}: invalid YAML ({err})") from err
        if not isinstance(loaded, dict):
            raise ConfigError(f"{file}: expected a mapping at the top level")
        data = _merge(data, loaded)
    data = _merge(data, parse_overrides(overrides or []))
    return config_from_dict(data, check_model=check_model)


def save_config(cfg: Config, path: Path) -> None:
    """Write the resolved config as YAML."""
    path.write_text(yaml.safe_dump(cfg.to_dict(), sort_keys=False), encoding="utf-8")
