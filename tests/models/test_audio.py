"""VGGish network (port key names, flatten order, freezing) and the log-mel reference (recipe, counts, fixtures)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from ccformer.audio import logmel as L
from ccformer.audio.vggish import build_audio_net
from ccformer.backbones.weights import WeightLoadError, load_pretrained
from ccformer.cli import main
from ccformer.commands.logmel import write_fixtures

torch.set_num_threads(1)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "logmel"
PORT_KEYS = [f"features.{i}.{p}" for i in (0, 3, 6, 8, 11, 13) for p in ("weight", "bias")] + [
    f"embeddings.{i}.{p}" for i in (0, 2, 4) for p in ("weight", "bias")]


def _tone(hz: float, seconds: float, rate: int = 16000) -> np.ndarray:
    return 0.5 * np.sin(2 * np.pi * hz * np.arange(round(seconds * rate)) / rate)


# ---- VGGish ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["vggish", "vggish_tiny"])
def test_vggish_shapes_keys_and_freezing(name: str) -> None:
    net = build_audio_net(name, frozen=True)
    assert net.out_dim == 128
    if name == "vggish":  # the published layout keeps the port's names exactly
        assert list(net.state_dict()) == PORT_KEYS
    net.train()  # a parent calling .train() must not unfreeze it
    assert not net.training and not any(p.requires_grad for p in net.parameters())
    with torch.no_grad():
        out = net(torch.randn(2, 1, 96, 64))
    assert out.shape == (2, 128)
    if name == "vggish":
        assert (out >= 0).all()


def test_vggish_tiny_tells_sounds_apart_from_initialisation() -> None:
    # Regression: in the published layout a from-scratch tiny net mapped every sound to nearly the same
    # (half-zero) embedding, so the model could not learn to listen. Real log-mels of different tones must give
    # clearly different embeddings before any training.
    torch.manual_seed(0)
    net = build_audio_net("vggish_tiny", frozen=False)
    examples = np.concatenate([L.waveform_to_examples(_tone(hz, 2.0))[:1] for hz in (200, 800, 2500, 6000)])
    net.train()
    with torch.no_grad():
        batch = torch.tensor(np.concatenate([examples] * 4))[:, None]
        for _ in range(50):  # settle the BatchNorm running statistics
            net(batch)
        net.eval()
        emb = net(torch.tensor(examples)[:, None])
    spread = emb.std(dim=0).mean() / emb.abs().mean().clamp_min(1e-12)
    assert float(spread) > 0.1


def test_vggish_published_sizes_and_port_flatten_order() -> None:
    net = build_audio_net("vggish", frozen=False)
    assert net.state_dict()["embeddings.0.weight"].shape == (4096, 512 * 6 * 4)
    assert sum(p.numel() for p in net.parameters()) == 72_141_184
    tiny = build_audio_net("vggish_tiny", frozen=False)
    assert all(p.requires_grad for p in tiny.parameters()) and tiny.training
    x = torch.randn(2, 1, 96, 64)
    with torch.no_grad():
        feats = tiny.features(x)  # the port: transpose(1,3) then transpose(1,2), then flatten
        port = tiny.embeddings(torch.transpose(torch.transpose(feats, 1, 3), 1, 2).reshape(2, -1))
        assert torch.equal(tiny(x), port)


def test_vggish_loads_port_checkpoint_strictly(tmp_path: Path) -> None:
    src = build_audio_net("vggish_tiny", frozen=False).eval()  # compare in inference mode (BatchNorm stats)
    sd = dict(src.state_dict())
    sd["pproc.pca_eigen_vectors"], sd["pproc.pca_means"] = torch.zeros(128, 128), torch.zeros(128, 1)
    torch.save(sd, tmp_path / "vggish-tiny.pth")
    net = build_audio_net("vggish_tiny", weights=str(tmp_path / "vggish-tiny.pth"), frozen=True)
    x = torch.rand(1, 1, 96, 64)
    with torch.no_grad():
        assert torch.equal(net(x), src(x))
    report = load_pretrained(build_audio_net("vggish_tiny", frozen=False), tmp_path / "vggish-tiny.pth")
    assert report.ok and report.ignored == ["pproc.pca_eigen_vectors", "pproc.pca_means"]
    sd["features.99.weight"] = sd.pop("features.1.weight")  # a conv under the wrong index: not our layout
    torch.save(sd, tmp_path / "bad.pth")
    with pytest.raises(WeightLoadError, match=r"bad.pth.*missing: features.1.weight.*unexpected: features.99.weight"):
        build_audio_net("vggish_tiny", weights=str(tmp_path / "bad.pth"), frozen=True)
    with pytest.raises(ValueError, match="unknown audio net"):
        build_audio_net("panns", frozen=True)


# ---- log-mel reference -------------------------------------------------------------------------------------

def test_recipe_pieces() -> None:
    assert np.allclose(L.periodic_hann(400), np.hanning(401)[:-1])
    m = L.mel_matrix()
    assert m.shape == (257, 64) and (m >= 0).all() and not m[0].any() and (m.max(axis=0) > 0.5).all()
    assert L.hertz_to_mel(700.0) == pytest.approx(1127.0 * np.log(2.0))


def test_silence_is_log_offset() -> None:
    ex = L.waveform_to_examples(np.zeros(16000))
    assert ex.shape == (1, 96, 64) and ex.dtype == np.float32
    assert np.all(ex == np.float32(np.log(0.01)))


def test_tone_peaks_in_its_mel_band() -> None:
    edges = np.linspace(L.hertz_to_mel(125.0), L.hertz_to_mel(7500.0), 66)
    for hz in (1000.0, 3000.0):
        band = int(np.argmin(np.abs(edges[1:-1] - L.hertz_to_mel(hz))))
        assert edges[band] < L.hertz_to_mel(hz) < edges[band + 2]
        assert int(L.waveform_to_examples(_tone(hz, 2.0)).mean(axis=(0, 1)).argmax()) == band


@pytest.mark.parametrize("samples", [0, 399, 400, 8000, 15759, 15760, 15919, 16000, 48000, 196800])
def test_example_count_rule(samples: int) -> None:
    frames = max(0, 1 + (samples - 400) // 160) if samples >= 400 else 0
    assert L.num_examples(samples) == frames // 96
    assert L.waveform_to_examples(np.full(samples, 0.1)).shape == (frames // 96, 96, 64)


def test_resample_and_stereo() -> None:
    ref = L.waveform_to_examples(_tone(1000.0, 2.0))
    ex = L.waveform_to_examples(_tone(1000.0, 2.0, 44100), 44100)
    assert ex.shape == ref.shape == (2, 96, 64)
    band = int(ref.mean(axis=(0, 1)).argmax())
    assert int(ex.mean(axis=(0, 1)).argmax()) == band and np.abs(ex[..., band] - ref[..., band]).max() < 1e-2
    stereo = np.stack([_tone(1000.0, 1.0), np.zeros(16000)], axis=1)
    assert np.array_equal(L.waveform_to_examples(stereo), L.waveform_to_examples(0.5 * _tone(1000.0, 1.0)))


def test_clip_examples_repeat_zero_and_valid() -> None:
    ex = np.stack([np.full((96, 64), float(i), np.float32) for i in range(3)])
    rep, valid = L.clip_examples(ex, 5, "repeat")
    assert rep.shape == (5, 1, 96, 64) and [float(v[0, 0, 0]) for v in rep] == [0, 1, 2, 2, 2]
    assert valid.tolist() == [True, True, True, False, False]
    zero, valid = L.clip_examples(ex, 5, "zero")
    assert [float(v[0, 0, 0]) for v in zero] == [0, 1, 2, 0, 0] and valid.tolist() == [True] * 3 + [False] * 2
    cut, valid = L.clip_examples(ex, 2, "zero")
    assert cut.shape == (2, 1, 96, 64) and valid.all()
    empty, valid = L.clip_examples(np.zeros((0, 96, 64), np.float32), 10, "repeat")
    assert not empty.any() and not valid.any()
    with pytest.raises(ValueError):
        L.clip_examples(ex, 5, "reflect")  # type: ignore[arg-type]


def test_fixtures_on_disk_reproduce(tmp_path: Path) -> None:
    manifest = json.loads((FIXTURES / "manifest.json").read_text())
    fresh = write_fixtures(tmp_path)
    assert fresh["cases"] == manifest["cases"]
    names = {c["name"] for c in manifest["cases"]}
    assert {"speech", "tone440", "tone3k", "noise", "silence", "short", "long"} <= names
    assert sum(f.stat().st_size for f in FIXTURES.iterdir()) < 3_000_000
    for case in manifest["cases"]:
        name = case["name"]
        wave = np.fromfile(FIXTURES / f"{name}.wave.f32", "<f4")
        assert wave.shape == (case["samples"],)
        assert np.array_equal(wave, np.fromfile(tmp_path / f"{name}.wave.f32", "<f4"))
        mel = np.fromfile(FIXTURES / f"{name}.logmel.f32", "<f4").reshape(-1, 96, 64)
        assert mel.shape[0] == case["examples"] == L.num_examples(case["samples"])
        assert np.allclose(mel, L.waveform_to_examples(wave), atol=1e-5, rtol=0)


def test_cli_wav_to_npy(tmp_path: Path) -> None:
    sf = pytest.importorskip("soundfile")
    sf.write(tmp_path / "a.wav", np.stack([_tone(440.0, 2.0, 22050)] * 2, axis=1), 22050, subtype="FLOAT")
    assert main(["logmel", "--wav", str(tmp_path / "a.wav"), "--out", str(tmp_path / "a.npy")]) == 0
    assert np.load(tmp_path / "a.npy").shape == (2, 96, 64)
    assert main(["logmel", "--wav", str(tmp_path / "a.wav"), "--out", str(tmp_path / "b.npy"), "--seconds", "5"]) == 0
    assert np.load(tmp_path / "b.npy").shape == (5, 1, 96, 64)
    assert main(["logmel", "--wav", str(tmp_path / "missing.wav"), "--out", str(tmp_path / "c.npy")]) == 2
