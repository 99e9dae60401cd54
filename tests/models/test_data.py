"""AVSBench loaders on tiny fixtures written in the exact published layouts (S4, MS3, AVSS incl. v1s/v1m)."""

from __future__ import annotations

import io
import pickle
from pathlib import Path

import numpy as np
import pytest
import torch
from fixtures.avsbench_layout import write_avss, write_ms3, write_s4
from PIL import Image
from torch.utils.data import DataLoader

from ccformer.avss import palette
from ccformer.data import AVSDataset, DataLayoutError, rgb_to_class
from ccformer.data.audio import load_log_mel_pkl
from ccformer.data.dataset import MEAN, STD


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("avsbench")
    write_s4(base, {"train": 2, "test": 2}, wav=True)
    write_ms3(base, {"train": 1, "val": 1})
    write_avss(base, [("v2", "train"), ("v1s", "train"), ("v1m", "test"), ("v2", "test")], rgb_only=(3,))
    return base


def test_s4_train_supervises_frame_one_only(root: Path) -> None:
    ds = AVSDataset("s4", root, "train", size=40)  # the parent folder is accepted too
    s = ds[0]
    assert s["frames"].shape == (5, 3, 40, 40) and s["audio"].shape == (5, 1, 96, 64)
    assert s["gt_valid"].tolist() == [True, False, False, False, False] and bool(s["valid"].all())
    assert set(s["masks"][0].unique().tolist()) == {0, 1}
    # ImageNet normalisation of the untouched (same-size) frame
    png = root / "Single-source/s4_data/visual_frames/train/dog/s4vidtrain0/s4vidtrain0_1.png"
    raw = np.asarray(Image.open(png), dtype=np.float32)[0, 0] / 255
    want = (raw - np.array(MEAN)) / np.array(STD)
    assert torch.allclose(s["frames"][0, :, 0, 0], torch.tensor(want, dtype=torch.float32), atol=1e-5)
    with (root / "Single-source/s4_data/audio_log_mel/train/dog/s4vidtrain0.pkl").open("rb") as fh:
        assert torch.equal(s["audio"], pickle.load(fh))


def test_size_comes_from_the_config_and_batches_are_dicts(root: Path) -> None:
    ds = AVSDataset("s4", root / "Single-source", "test", size=24)
    batch = next(iter(DataLoader(ds, batch_size=2)))
    assert batch["frames"].shape == (2, 5, 3, 24, 24) and batch["masks"].shape == (2, 5, 24, 24)
    assert batch["gt_valid"].all() and batch["index"].tolist() == [0, 1]
    assert batch["video"] == ["s4vidtest0", "s4vidtest1"]


def test_s4_audio_from_wav(root: Path) -> None:
    s = AVSDataset("s4", root, "test", size=24, audio="wav")[0]
    assert s["audio"].shape == (5, 1, 96, 64) and torch.isfinite(s["audio"]).all()


def test_ms3_layout(root: Path) -> None:
    ds = AVSDataset("ms3", root, "val", size=32)
    s = ds[0]
    assert ds.records[0].name == "ms3vidval0" and s["gt_valid"].all() and s["frames"].shape[0] == 5
    assert ds.files(ds.records[0])[0].name == "ms3vidval0.mp4_1.png"


def test_avss_padding_sparse_labels_and_rgb_fallback(root: Path) -> None:
    train = AVSDataset("avss", root, "train", size=32)
    v2, v1s = train[0], train[1]
    assert v2["valid"].all() and v2["gt_valid"].all() and v2["frames"].shape == (10, 3, 32, 32)
    assert v1s["valid"].tolist() == [True] * 5 + [False] * 5
    assert v1s["gt_valid"].tolist() == [True] + [False] * 9
    assert (v1s["audio"][5:] == 0).all() and (v1s["frames"][5:] == 0).all()
    test = AVSDataset("avss", root, "test", size=40)
    v1m, rgb_only = test[0], test[1]
    assert v1m["gt_valid"].tolist() == [True] * 5 + [False] * 5
    assert (root / "AVSBench-semantic/v2").is_dir() and len(rgb_only["masks"].unique()) == 2
    assert test.mask_path(test.records[1], 0).parent.name == "labels_rgb"
    assert int(rgb_only["masks"].max()) in range(1, 7)


def test_rgb_to_class_is_an_exact_palette_match() -> None:
    colours = np.array(palette(), dtype=np.uint8)
    assert rgb_to_class(colours[None]).tolist() == [list(range(71))]
    off = colours[None, [5]].copy()
    off[..., 0] += 1  # one step away from a palette colour -> background
    assert rgb_to_class(off).tolist() == [[0]]


def test_missing_files_are_named(root: Path, tmp_path: Path) -> None:
    with pytest.raises(DataLayoutError, match="s4_meta_data.csv"):
        AVSDataset("s4", tmp_path, "test")
    with pytest.raises(DataLayoutError, match="does not exist"):
        AVSDataset("s4", tmp_path / "nope", "test")
    base = write_ms3(tmp_path, {"test": 1})
    (base / "ms3_data/gt_masks/test/ms3vidtest0/ms3vidtest0_3.png").unlink()
    with pytest.raises(DataLayoutError, match=r"ms3vidtest0_3\.png"):
        AVSDataset("ms3", base, "test")
    with pytest.raises(ValueError, match="no .pkl"):
        AVSDataset("avss", root, "test", audio="pkl")
    bad = write_avss(tmp_path, [("v2", "test")])
    (bad / "label2idx.json").write_text('{"background": 0}')
    with pytest.raises(DataLayoutError, match="label2idx"):
        AVSDataset("avss", bad, "test")


def test_pkl_loader_refuses_code(tmp_path: Path) -> None:
    class Evil:
        def __reduce__(self):  # type: ignore[no-untyped-def]
            return (print, ("owned",))

    bad = tmp_path / "bad.pkl"
    bad.write_bytes(pickle.dumps(Evil()))
    with pytest.raises(DataLayoutError, match="not a pickled log-mel"):
        load_log_mel_pkl(bad, 5)
    short = tmp_path / "short.pkl"
    short.write_bytes(pickle.dumps(torch.arange(3.0).view(3, 1, 1, 1).expand(3, 1, 96, 64).clone()))
    mel = load_log_mel_pkl(short, 5)
    class ZipPayload:  # a pickle that carries a torch.save zip (how `ccformer synth` writes its .pkl)
        def __init__(self, payload: bytes) -> None:
            self.payload = payload

        def __reduce__(self):  # type: ignore[no-untyped-def]
            return (torch.storage._load_from_bytes, (self.payload,))

    buf = io.BytesIO()
    torch.save(torch.ones(5, 1, 96, 64), buf)
    wrapped = tmp_path / "wrapped.pkl"
    wrapped.write_bytes(pickle.dumps(ZipPayload(buf.getvalue()), protocol=4))
    assert float(load_log_mel_pkl(wrapped, 5).sum()) == 5 * 96 * 64
    saved = tmp_path / "saved.pkl"
    torch.save(torch.zeros(5, 1, 96, 64), saved)
    assert load_log_mel_pkl(saved, 5).shape == (5, 1, 96, 64)
    assert mel.shape == (5, 1, 96, 64) and float(mel[4, 0, 0, 0]) == 2.0  # S4/MS3 repeat the last second


def test_config_cache_and_audio_override_wrap_the_dataset(root: Path) -> None:
    from ccformer.configs import ConfigError, load_config
    from ccformer.data.views import AudioOverride, CachedClips
    from ccformer.engine.builders import build_dataset

    base = [f"data.root={root}", "data.size=32"]
    plain = build_dataset(load_config("tiny_avss", base), "train")
    assert isinstance(plain, AVSDataset)
    cached = build_dataset(load_config("tiny_avss", [*base, "data.cache=true", "data.num_workers=0"]), "train")
    assert isinstance(cached, CachedClips) and torch.equal(cached[0]["frames"], plain[0]["frames"])
    assert cached[0]["masks"].dtype == torch.long and len(cached._cache) == 1  # decoded once, kept
    zero = build_dataset(load_config("tiny_avss", [*base, "data.audio_override=zero"]), "train")
    assert isinstance(zero, AudioOverride) and float(zero[0]["audio"].abs().max()) == 0
    assert torch.equal(zero[0]["masks"], plain[0]["masks"]) and float(plain[0]["audio"].abs().max()) > 0
    with pytest.raises(ConfigError, match="num_workers=0"):
        build_dataset(load_config("tiny_avss", [*base, "data.cache=true", "data.num_workers=2"]), "train")
    with pytest.raises(ConfigError, match="audio_override"):
        build_dataset(load_config("tiny_avss", [*base, "data.audio_override=loud"]), "train")
