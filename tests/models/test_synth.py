"""Tests for the synthetic audio-visual generator (`ccformer.synth`, `ccformer synth`).

Small frames (48-96 px) and few clips keep this fast on a shared 2-core CPU. What is checked: determinism,
the published layouts (read back by the real `ccformer.data` loaders), mask/schedule/visibility consistency,
distinct class sounds, scene pairs with different sounding objects, and mp4 frame alignment.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from ccformer.avss import AVSS_CLASSES, label2idx, palette
from ccformer.cli import main
from ccformer.synth import SYNTH_CLASSES, generate_clip, sampled_frames, write_mp4
from ccformer.synth.sound import EXAMPLE_STEP, SR, class_sound, gate, mix
from ccformer.synth.video import subframes

TASKS = ("s4", "ms3", "avss")


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _synth(out: Path, task: str, seed: int = 0, clips: int = 6) -> int:
    return main(["synth", "--task", task, "--clips", str(clips), "--seed", str(seed), "--out", str(out),
                 "--size", "48", "--val-frac", "0.34", "--test-frac", "0.34", "--quiet"])


def test_generate_clip_is_deterministic_and_seed_dependent() -> None:
    a, b, c = generate_clip("avss", 7, 48), generate_clip("avss", 7, 48), generate_clip("avss", 9, 48)
    assert a.frames.shape == (10, 48, 48, 3) and a.waveform.shape == (10 * SR,)
    assert np.array_equal(a.frames, b.frames) and np.array_equal(a.waveform, b.waveform)
    assert np.array_equal(a.schedule, b.schedule)
    assert not np.array_equal(a.frames, c.frames) and not np.array_equal(a.waveform, c.waveform)
    assert np.abs(a.waveform).max() <= 1.0 and a.uid == "syn-avss-0000007_0_10000"


@pytest.mark.parametrize("task", TASKS)
def test_masks_are_the_visible_sounding_objects(task: str) -> None:
    for seed in range(6):
        clip = generate_clip(task, seed, 64)
        n = len(clip.class_names)
        assert 2 <= n <= 4 and len(set(clip.class_names)) == n  # distinct classes per scene
        counts = clip.schedule.sum(1)
        if task == "s4":  # single source, the same object all clip long (its class is the S4 category)
            assert (counts == 1).all() and (clip.schedule == clip.schedule[0]).all()
        else:
            assert ((counts >= 1) & (counts <= min(2, n - 1))).all()
        distractor_seen = False
        for k in range(clip.seconds):
            visible = {i for i in range(n) if (clip.instances[k] == i + 1).any()}
            sounding = set(np.flatnonzero(clip.schedule[k]).tolist())
            want = {int(clip.class_ids[i]) for i in sounding & visible}
            assert set(np.unique(clip.masks[k]).tolist()) - {0} == want
            for i in sounding & visible:  # the whole visible object, and only where it is on top
                assert np.array_equal(clip.masks[k] == clip.class_ids[i], clip.instances[k] == i + 1)
            distractor_seen |= bool(visible - sounding)
            assert np.array_equal(clip.binary_masks[k] > 0, clip.masks[k] > 0)
        assert distractor_seen, "every clip shows a silent object of another class"


@pytest.mark.parametrize("task", TASKS)
def test_scene_pairs_share_pixels_but_not_sounding_objects(task: str) -> None:
    for m in range(4):
        a, b = generate_clip(task, 2 * m, 48), generate_clip(task, 2 * m + 1, 48)
        assert np.array_equal(a.frames, b.frames) and a.class_names == b.class_names
        differ = (a.schedule != b.schedule).any(1)
        assert differ.mean() >= (1.0 if task == "s4" else 0.6)
        assert not np.array_equal(a.masks, b.masks)
        assert not np.allclose(a.waveform, b.waveform)


def test_class_sounds_are_distinguishable_per_window() -> None:
    """Each class's sound, mixed with noise, is recognisable from one 0.96-s log-mel example."""
    from ccformer.audio.logmel import waveform_to_examples

    feats, labels, inst = [], [], []
    for ci, cls in enumerate(SYNTH_CLASSES):
        for i in range(10):
            x = class_sound(cls, np.random.default_rng([7, i]), 3 * SR)
            wave = mix([x], [np.ones(len(x), np.float32)], [1.0], np.random.default_rng([8, i]))
            for ex in waveform_to_examples(wave):
                feats.append(np.concatenate([ex.mean(0), ex.std(0), ex.max(0)]))
                labels.append(ci)
                inst.append(i)
    x, y, held = np.array(feats), np.array(labels), np.array(inst) >= 7
    mu, sd = x[~held].mean(0), x[~held].std(0) + 1e-6
    z = (x - mu) / sd
    centroids = np.stack([z[~held & (y == c)].mean(0) for c in range(len(SYNTH_CLASSES))])
    pred = np.linalg.norm(z[held][:, None] - centroids[None], axis=2).argmin(1)
    assert (pred == y[held]).mean() >= 0.9
    dominant = {c.name: int(np.argmax(centroids[i][:64])) for i, c in enumerate(SYNTH_CLASSES)}
    assert len(set(dominant.values())) >= 6, dominant  # dominant mel bands are mostly distinct too


def test_gate_follows_vggish_examples() -> None:
    env = gate(np.array([True, False, True]), 3 * SR)
    assert env[: EXAMPLE_STEP - 200].min() == 1.0 and env[EXAMPLE_STEP + 200: 2 * EXAMPLE_STEP - 200].max() == 0.0
    assert env[2 * EXAMPLE_STEP + 200:].min() == 1.0  # the last segment runs to the end


@pytest.mark.parametrize("task", TASKS)
def test_cli_layout_is_deterministic_and_loads(tmp_path: Path, task: str) -> None:
    from ccformer.data.dataset import AVSDataset

    assert _synth(tmp_path / "a", task) == 0 and _synth(tmp_path / "b", task) == 0
    assert _synth(tmp_path / "c", task, seed=100, clips=2) == 0
    tree_a, tree_b, tree_c = (_tree(tmp_path / d) for d in "abc")
    assert tree_a == tree_b  # byte-identical files, csv and pkl included
    assert tree_a != tree_c and tree_a.keys() != tree_c.keys()
    subset = {"s4": "Single-source", "ms3": "Multi-sources", "avss": "AVSBench-semantic"}[task]
    root = tmp_path / "a" / subset
    meta = {"s4": "s4_meta_data.csv", "ms3": "ms3_meta_data.csv", "avss": "metadata.csv"}[task]
    rows = [r.split(",") for r in (root / meta).read_text().splitlines()]
    header = {"s4": ["name", "start_time", "category", "split"], "ms3": ["video_id", "split"],
              "avss": ["vid", "uid", "s_min", "s_sec", "a_obj", "split", "label"]}[task]
    assert rows[0] == header and len(rows) == 7
    assert [r[header.index("split")] for r in rows[1:]] == ["train"] * 2 + ["val"] * 2 + ["test"] * 2
    if task == "avss":
        assert json.loads((root / "label2idx.json").read_text()) == label2idx()
        assert all(r[0] + "_0_10000" == r[1] and r[6] == "v2" for r in rows[1:])
    if task == "s4":  # published S4 train split: frame 1 annotated only
        train_masks = sorted(p.name for p in (root / "s4_data/gt_masks/train").rglob("*.png"))
        assert all(name.endswith("_1.png") for name in train_masks) and len(train_masks) == 2
    for split, seed in (("train", 0), ("val", 1_000_000), ("test", 2_000_000)):
        ds = AVSDataset(task, tmp_path / "a", split, size=48, check_files="all")
        assert len(ds) == 2
        item = ds[0]
        clip = generate_clip(task, seed, 48)
        assert item["video"] == clip.uid
        gt = clip.masks if task == "avss" else (clip.masks > 0).astype(np.int64)
        for k in np.flatnonzero(item["gt_valid"].numpy()):
            assert np.array_equal(item["masks"][k].numpy(), gt[k])
        assert item["audio"].shape[0] == clip.seconds and float(item["audio"].std()) > 0


def test_avss_colour_masks_use_the_palette(tmp_path: Path) -> None:
    from PIL import Image

    assert _synth(tmp_path, "avss", clips=2) == 0
    clip = generate_clip("avss", 0, 48)
    folder = tmp_path / "AVSBench-semantic" / "v2" / clip.uid
    colours = np.array(palette(), dtype=np.uint8)
    for k in (0, 9):
        rgb = np.asarray(Image.open(folder / "labels_rgb" / f"{k}.png"))
        sem = np.asarray(Image.open(folder / "labels_semantic" / f"{k}.png"))
        assert np.array_equal(sem, clip.masks[k]) and np.array_equal(rgb, colours[sem])
        assert {AVSS_CLASSES[c] for c in np.unique(sem)} - {"background"} <= set(clip.sounding(k))


def test_mp4_sampled_frame_is_the_dataset_frame(tmp_path: Path) -> None:
    import av

    clip = generate_clip("s4", 11, 96)
    path = write_mp4(clip, tmp_path / f"{clip.uid}.mp4")
    frames = sampled_frames(path, clip.seconds)
    assert len(frames) == clip.seconds
    for k, got in enumerate(frames):
        err = [np.abs(got.astype(np.int16) - f.astype(np.int16)).mean() for f in subframes(clip, k)]
        assert int(np.argmin(err)) == 15 and err[15] < 8.0, err  # sub-frame 15 of 16 == dataset frame k
    with av.open(str(path)) as container:
        kinds = {s.type: s.codec_context.name for s in container.streams}
        assert kinds == {"video": "h264", "audio": "aac"}
        audio = np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(audio=0)])
    assert abs(len(audio) / SR - clip.seconds) < 0.2 and np.abs(audio).max() > 0.05
