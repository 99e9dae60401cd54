"""`ccformer add-logmel`: pickled [5,1,96,64] log-mel tensors next to an S4/MS3 export's WAVs."""

from __future__ import annotations

import pickle
import wave
from pathlib import Path

import numpy as np
import torch

from ccformer.audio.logmel import clip_examples, waveform_to_examples
from ccformer.cli import main


def _write_wav(path: Path, seconds: float, hz: float = 440.0) -> np.ndarray:
    path.parent.mkdir(parents=True, exist_ok=True)
    samples = np.round(0.5 * np.sin(2 * np.pi * hz * np.arange(round(seconds * 16000)) / 16000) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(samples.tobytes())
    return samples.astype(np.float64) / 32768.0


def test_writes_s4_tensors_as_the_loaders_read_them(tmp_path: Path) -> None:
    wav = tmp_path / "s4_data" / "audio_wav" / "train" / "piano" / "clip_0_5000.wav"
    samples = _write_wav(wav, 5.0)
    short = _write_wav(tmp_path / "s4_data" / "audio_wav" / "val" / "dog" / "short_0_5000.wav", 2.5, hz=880)
    assert main(["add-logmel", str(tmp_path)]) == 0
    pkl = tmp_path / "s4_data" / "audio_log_mel" / "train" / "piano" / "clip_0_5000.pkl"
    with open(pkl, "rb") as f:
        tensor = pickle.load(f)
    assert isinstance(tensor, torch.Tensor) and tuple(tensor.shape) == (5, 1, 96, 64)
    expected, _ = clip_examples(waveform_to_examples(samples), 5, pad="repeat")
    assert np.array_equal(tensor.numpy(), expected)
    with open(tmp_path / "s4_data" / "audio_log_mel" / "val" / "dog" / "short_0_5000.pkl", "rb") as f:
        padded = pickle.load(f).numpy()
    # 2.5 s gives 2 examples; S4/MS3 repeat the last one up to 5.
    assert np.array_equal(padded[2], padded[4]) and not np.array_equal(padded[0], padded[1] * 0)
    assert np.array_equal(padded[:2], clip_examples(waveform_to_examples(short), 5, pad="repeat")[0][:2])
    mtime = pkl.stat().st_mtime_ns
    assert main(["add-logmel", str(tmp_path)]) == 0
    assert pkl.stat().st_mtime_ns == mtime  # kept without --force


def test_ms3_and_bad_inputs(tmp_path: Path, capsys) -> None:
    _write_wav(tmp_path / "ms3" / "ms3_data" / "audio_wav" / "test" / "v_0_5000.wav", 5.0)
    assert main(["add-logmel", str(tmp_path / "ms3")]) == 0
    assert (tmp_path / "ms3" / "ms3_data" / "audio_log_mel" / "test" / "v_0_5000.pkl").is_file()
    assert main(["add-logmel", str(tmp_path / "nothing")]) == 2
    assert "not an S4 or MS3 dataset" in capsys.readouterr().err
    junk = tmp_path / "junk" / "s4_data" / "audio_wav" / "train" / "x" / "a.wav"
    junk.parent.mkdir(parents=True)
    junk.write_text("not audio")
    assert main(["add-logmel", str(tmp_path / "junk")]) == 2
    assert "a.wav: not a readable WAV file" in capsys.readouterr().err
