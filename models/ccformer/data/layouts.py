"""The three published AVSBench on-disk layouts as data: one table of path templates and metadata columns.

Every subset is read by the same code (`read_index`, `AVSDataset`); only this table differs. Templates are
relative to the subset root and use the record's fields ({split}, {video}, {category}, {label}) plus {i}, the
frame number on disk (`first_index` + 0-based frame). Facts from ../shared/reference/avsbench.md.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from ccformer.avss import NUM_AVSS_CLASSES, label2idx


class DataLayoutError(FileNotFoundError):
    """The data root does not have the expected layout; the message names the missing or bad file."""


@dataclass(frozen=True)
class Layout:
    """Where one subset keeps its files and how to read its metadata CSV."""

    task: str
    root_names: tuple[str, ...]  # usual folder names, tried below a parent folder given as root
    meta: str
    columns: dict[str, int | str]  # record field -> column position or header name (row 0 is a header)
    frames_per_clip: int  # T fed to the model
    first_index: int
    frame: str
    mask: str
    mask_rgb: str | None = None  # AVSS colour masks, used when `mask` (class-index PNG) is absent
    log_mel: str | None = None  # published .pkl log-mel tensors (S4/MS3 only)
    wav: str = ""
    audio_pad: str = "repeat"  # how to reach T audio examples: "repeat" last (S4/MS3) or "zero" (AVSS)
    num_classes: int = 1  # 1 = binary mask logit
    short_labels: dict[str, int] = field(default_factory=dict)  # AVSS `label` value -> clip length if < T
    sparse_train_labels: tuple[str, ...] | None = None  # train rows annotated on frame 0 only (None: all rows)
    pred_png: str = ""  # where evaluation writes predicted masks, relative to --save-png (AVSBench style)


LAYOUTS: dict[str, Layout] = {
    "s4": Layout(
        task="s4", root_names=("Single-source",), meta="s4_meta_data.csv",
        columns={"video": 0, "category": 2, "split": 3}, frames_per_clip=5, first_index=1,
        frame="s4_data/visual_frames/{split}/{category}/{video}/{video}_{i}.png",
        mask="s4_data/gt_masks/{split}/{category}/{video}/{video}_{i}.png",
        log_mel="s4_data/audio_log_mel/{split}/{category}/{video}.pkl",
        wav="s4_data/audio_wav/{split}/{category}/{video}.wav",
        sparse_train_labels=(),  # empty tuple: every S4 train row
        pred_png="{category}/{video}/{video}_{i}.png",
    ),
    "ms3": Layout(
        task="ms3", root_names=("Multi-sources",), meta="ms3_meta_data.csv",
        columns={"video": 0, "split": 1}, frames_per_clip=5, first_index=1,
        frame="ms3_data/visual_frames/{video}/{video}.mp4_{i}.png",
        mask="ms3_data/gt_masks/{split}/{video}/{video}_{i}.png",
        log_mel="ms3_data/audio_log_mel/{split}/{video}.pkl",
        wav="ms3_data/audio_wav/{split}/{video}.wav", pred_png="{video}/{video}_{i}.png",
    ),
    "avss": Layout(
        task="avss", root_names=("AVSBench-semantic", "AVSS"), meta="metadata.csv",
        columns={"video": "uid", "split": "split", "label": "label"}, frames_per_clip=10, first_index=0,
        frame="{label}/{video}/frames/{i}.jpg",
        mask="{label}/{video}/labels_semantic/{i}.png",
        mask_rgb="{label}/{video}/labels_rgb/{i}.png",
        wav="{label}/{video}/audio.wav", audio_pad="zero", num_classes=NUM_AVSS_CLASSES,
        short_labels={"v1s": 5, "v1m": 5}, sparse_train_labels=("v1s",), pred_png="{label}/{video}/{i}.png",
    ),
}


@dataclass(frozen=True)
class VideoRecord:
    """One clip: its name, template fields, real frame count and which frames carry a label."""

    name: str
    fields: dict[str, str]
    num_frames: int
    gt_frames: tuple[int, ...]

    def path(self, root: Path, template: str, frame: int | None = None, first_index: int = 0) -> Path:
        """Fill `template` for this record (and 0-based `frame`, if the template has {i})."""
        i = None if frame is None else frame + first_index
        return root / template.format(**self.fields, i=i)


def resolve_root(task: str, root: str | Path) -> Path:
    """The subset root: `root` itself if it holds the metadata CSV, else a known sub-folder that does."""
    layout = LAYOUTS[task]
    base = Path(root).expanduser()
    if not str(root):
        raise DataLayoutError(f"data.root is empty: set it to the {layout.root_names[0]}/ folder")
    if not base.is_dir():
        raise DataLayoutError(f"data root {base} does not exist (expected the {layout.root_names[0]}/ folder)")
    for cand in (base, *(base / n for n in layout.root_names)):
        if (cand / layout.meta).is_file():
            return cand
    raise DataLayoutError(f"{base / layout.meta} not found: is {base} the {layout.root_names[0]}/ folder?")


def _column(row: list[str], header: list[str], spec: int | str, meta: Path) -> str:
    if isinstance(spec, str):
        if spec not in header:
            raise DataLayoutError(f"{meta}: no '{spec}' column in header {header}")
        spec = header.index(spec)
    if spec >= len(row):
        raise DataLayoutError(f"{meta}: row {row} has no column {spec}")
    return row[spec]


def read_index(task: str, root: Path, split: str) -> list[VideoRecord]:
    """The clips of `split` in metadata order (the order every metric and PNG writer uses)."""
    layout = LAYOUTS[task]
    meta = root / layout.meta
    with meta.open(newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.reader(fh) if r]
    if not rows:
        raise DataLayoutError(f"{meta} is empty")
    header = [h.strip() for h in rows[0]]
    records = []
    for row in rows[1:]:
        fields = {k: _column(row, header, spec, meta).strip() for k, spec in layout.columns.items()}
        if fields["split"] != split:
            continue
        label = fields.get("label", "")
        n = layout.short_labels.get(label, layout.frames_per_clip)
        sparse = layout.sparse_train_labels
        first_only = split == "train" and sparse is not None and (not sparse or label in sparse)
        records.append(VideoRecord(fields["video"], fields, n, (0,) if first_only else tuple(range(n))))
    if task == "avss":
        check_label2idx(root)
    return records


def check_label2idx(root: Path) -> None:
    """If `label2idx.json` is present it must be the published mapping (our class indices depend on it)."""
    path = root / "label2idx.json"
    if path.is_file() and json.loads(path.read_text(encoding="utf-8")) != label2idx():
        raise DataLayoutError(f"{path} differs from the published AVSS label2idx (71 classes, 1-based)")
