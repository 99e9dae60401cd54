"""`python -m ccformer logmel`: VGGish log-mel examples of a wav file, or parity fixtures for the TypeScript port.

    ccformer logmel --wav clip.wav --out clip.npy [--seconds 5 --pad repeat]
    ccformer logmel --fixtures tests/fixtures/logmel

Fixture files (little-endian float32, row-major): `{case}.wave.f32` = the 16 kHz input, `{case}.logmel.f32` =
`waveform_to_examples(wave)` [examples,96,64], computed from the float32 wave as stored; `manifest.json` =
{"cases": [{name, samples, sampleRate, examples}], ...}. Signals are synthetic and deterministic (fixed seed).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ccformer.audio.logmel import SAMPLE_RATE, clip_examples, waveform_to_examples
from ccformer.cli import CommandError

HELP = "VGGish log-mel examples [N,96,64] of a wav file, or parity fixtures for the app's TypeScript port"
SEED = 20240617


def add_arguments(p: argparse.ArgumentParser) -> None:
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--wav", type=Path, help="input audio file (any rate/channels soundfile reads; mixed to mono)")
    mode.add_argument("--fixtures", type=Path, metavar="DIR", help="write parity fixtures into DIR")
    p.add_argument("--out", type=Path, help="output .npy (float32 [N,96,64], or [T,1,96,64] with --seconds)")
    p.add_argument("--seconds", type=int, help="clip to exactly this many examples (see clip_examples)")
    p.add_argument("--pad", choices=("repeat", "zero"), default="repeat", help="padding rule with --seconds")


def run(args: argparse.Namespace) -> int:
    if args.fixtures is not None:
        manifest = write_fixtures(args.fixtures)
        total = sum(f.stat().st_size for f in args.fixtures.iterdir())
        print(f"wrote {len(manifest['cases'])} cases to {args.fixtures} ({total / 1e6:.2f} MB)")
        return 0
    if args.out is None:
        raise CommandError("--out FILE.npy is required with --wav")
    wave, rate = read_wav(args.wav)
    examples = waveform_to_examples(wave, rate)
    result = examples if args.seconds is None else clip_examples(examples, args.seconds, args.pad)[0]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.save(args.out, result)
    print(f"{args.wav}: {wave.shape[0]} samples at {rate} Hz -> {args.out} {list(result.shape)}")
    return 0


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Read any soundfile-readable file as float64 mono [samples] in [-1, 1] (channels averaged)."""
    import soundfile

    if not path.is_file():
        raise CommandError(f"{path}: file not found")
    try:
        data, rate = soundfile.read(str(path), dtype="float64", always_2d=True)
    except Exception as err:  # noqa: BLE001 - libsndfile reports many kinds of bad files
        raise CommandError(f"{path}: cannot read audio ({err})") from err
    return data.mean(axis=1), int(rate)


# ---- synthetic parity cases -------------------------------------------------------------------------------

def _t(seconds: float) -> np.ndarray:
    return np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE


def _speech(seconds: float, rng: np.random.Generator) -> np.ndarray:
    """Harmonic source (f0 ~ 120 Hz with slow glide), formant-like spectral envelope, ~4 Hz syllable modulation."""
    t = _t(seconds)
    f0 = 120.0 + 20.0 * np.sin(2 * np.pi * 0.7 * t)
    phase = 2 * np.pi * np.cumsum(f0) / SAMPLE_RATE
    formants = np.array([[700.0, 130.0], [1220.0, 170.0], [2600.0, 250.0]])  # centre Hz, bandwidth Hz
    out = np.zeros_like(t)
    for k in range(1, 60):
        fk = k * f0
        gain = sum(np.exp(-0.5 * ((fk - c) / bw) ** 2) for c, bw in formants) + 0.05
        out += gain / k * np.sin(k * phase + rng.uniform(0, 2 * np.pi)) * (fk < 7800)
    syllables = 0.5 * (1 - np.cos(2 * np.pi * 4.0 * t)) ** 1.5
    out = out * syllables + 0.002 * rng.standard_normal(t.shape)
    return 0.4 * out / np.abs(out).max()


def _tone(hz: float, seconds: float) -> np.ndarray:
    return 0.5 * np.sin(2 * np.pi * hz * _t(seconds))


CASES: dict[str, Callable[[np.random.Generator], np.ndarray]] = {
    "speech": lambda rng: _speech(3.0, rng),
    "tone440": lambda rng: _tone(440.0, 2.0),
    "tone3k": lambda rng: _tone(3000.0, 2.0),
    "noise": lambda rng: 0.01 * rng.standard_normal(round(2.0 * SAMPLE_RATE)),
    "silence": lambda rng: np.zeros(round(1.0 * SAMPLE_RATE)),
    "short": lambda rng: _speech(0.5, rng),  # 8000 samples: fewer than one example -> 0 examples
    "long": lambda rng: 0.6 * _speech(12.3, rng) + 0.1 * _tone(880.0, 12.3),
}


def make_cases() -> dict[str, np.ndarray]:
    """Every case's float32 16 kHz waveform, generated from one fixed seed in CASES order."""
    rng = np.random.default_rng(SEED)
    return {name: make(rng).astype(np.float32) for name, make in CASES.items()}


def write_fixtures(directory: Path) -> dict[str, object]:
    """Write `{case}.wave.f32`, `{case}.logmel.f32` and `manifest.json` into `directory`; return the manifest."""
    directory.mkdir(parents=True, exist_ok=True)
    cases = []
    for name, wave in make_cases().items():
        examples = waveform_to_examples(wave.astype(np.float64), SAMPLE_RATE)
        wave.astype("<f4").tofile(directory / f"{name}.wave.f32")
        examples.astype("<f4").tofile(directory / f"{name}.logmel.f32")
        cases.append({"name": name, "samples": int(wave.shape[0]), "sampleRate": SAMPLE_RATE,
                      "examples": int(examples.shape[0])})
    manifest: dict[str, object] = {
        "description": "VGGish log-mel parity fixtures from ccformer.audio.logmel.waveform_to_examples "
                       "(python -m ccformer logmel --fixtures DIR); float32 little-endian, logmel [examples,96,64]",
        "seed": SEED,
        "cases": cases,
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest
