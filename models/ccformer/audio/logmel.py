"""VGGish log-mel front end in numpy: the reference the app's TypeScript port is tested against.

Follows avsbench.md "Frame and audio sampling" and the published VGGish `vggish_input.py` / `mel_features.py`
step by step (each function names the step). Everything is computed in float64 and returned as float32.
    wave [samples] 16 kHz in [-1, 1] -> STFT magnitude [F,257] (400-sample periodic Hann, hop 160, rfft 512)
    -> HTK mel [F,64] (125-7500 Hz) -> log(mel + 0.01) -> non-overlapping 96-frame examples [N,96,64]
Counts: F = 1 + (samples - 400) // 160 (0 when samples < 400), N = F // 96 (a trailing partial example is dropped).
"""

from __future__ import annotations

from math import gcd
from typing import Literal

import numpy as np
from scipy.signal import resample_poly

__all__ = [
    "SAMPLE_RATE", "WINDOW", "HOP", "FFT", "NUM_MEL", "EXAMPLE_FRAMES",
    "frame", "periodic_hann", "stft_magnitude", "hertz_to_mel", "mel_matrix", "log_mel_spectrogram",
    "num_examples", "waveform_to_examples", "clip_examples",
]

SAMPLE_RATE = 16000  # vggish_params.SAMPLE_RATE
WINDOW = 400  # round(16000 * STFT_WINDOW_LENGTH_SECONDS 0.025)
HOP = 160  # round(16000 * STFT_HOP_LENGTH_SECONDS 0.010)
FFT = 512  # 2 ** ceil(log2(WINDOW))
NUM_MEL = 64  # NUM_MEL_BINS
MEL_MIN_HZ, MEL_MAX_HZ = 125.0, 7500.0  # MEL_MIN_HZ, MEL_MAX_HZ
LOG_OFFSET = 0.01  # LOG_OFFSET
EXAMPLE_FRAMES = 96  # round(EXAMPLE_WINDOW_SECONDS 0.96 * 100 frames/s); EXAMPLE_HOP_SECONDS 0.96 -> hop 96


def frame(data: np.ndarray, window: int, hop: int) -> np.ndarray:
    """mel_features.frame: [samples, ...] -> [1 + (samples - window) // hop, window, ...] (no padding).

    Returns an empty first axis when there are fewer than `window` samples.
    """
    count = max(0, 1 + (data.shape[0] - window) // hop)
    idx = np.arange(window)[None, :] + hop * np.arange(count)[:, None]
    return data[idx] if count else np.zeros((0, window) + data.shape[1:], dtype=data.dtype)


def periodic_hann(window: int) -> np.ndarray:
    """mel_features.periodic_hann: 0.5 - 0.5 cos(2 pi n / window), n = 0..window-1 (not the symmetric np.hanning)."""
    return 0.5 - 0.5 * np.cos(2.0 * np.pi / window * np.arange(window))


def stft_magnitude(signal: np.ndarray) -> np.ndarray:
    """mel_features.stft_magnitude: frames * periodic Hann -> |rfft(., 512)|. [samples] -> [F, 257] float64."""
    frames = frame(signal, WINDOW, HOP)
    return np.abs(np.fft.rfft(frames * periodic_hann(WINDOW), FFT))


def hertz_to_mel(hz: np.ndarray | float) -> np.ndarray:
    """mel_features.hertz_to_mel (HTK): 1127 ln(1 + hz / 700)."""
    return 1127.0 * np.log(1.0 + np.asarray(hz, dtype=np.float64) / 700.0)


def mel_matrix(num_bins: int = FFT // 2 + 1, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """mel_features.spectrogram_to_mel_matrix: [257, 64] triangular weights, linear in HTK mel, DC row zeroed.

    Bin frequencies are linspace(0, nyquist, 257); band edges are 66 points linspace(mel(125), mel(7500));
    band i rises from edge i to edge i+1 and falls to edge i+2 (weights in mel, not normalised by area).
    """
    bins_mel = hertz_to_mel(np.linspace(0.0, sample_rate / 2.0, num_bins))
    edges = np.linspace(hertz_to_mel(MEL_MIN_HZ), hertz_to_mel(MEL_MAX_HZ), NUM_MEL + 2)
    lower, center, upper = edges[:-2], edges[1:-1], edges[2:]
    rising = (bins_mel[:, None] - lower) / (center - lower)
    falling = (upper - bins_mel[:, None]) / (upper - center)
    weights = np.maximum(0.0, np.minimum(rising, falling))
    weights[0, :] = 0.0  # HTK excludes the DC bin
    return weights


def log_mel_spectrogram(signal: np.ndarray) -> np.ndarray:
    """mel_features.log_mel_spectrogram: log(|STFT| @ mel_matrix + 0.01). [samples] 16 kHz -> [F, 64] float64."""
    return np.log(stft_magnitude(signal) @ mel_matrix() + LOG_OFFSET)


def num_examples(samples: int) -> int:
    """Examples produced for `samples` 16 kHz samples: (1 + (samples - 400) // 160) // 96, never negative."""
    return max(0, 1 + (samples - WINDOW) // HOP) // EXAMPLE_FRAMES


def waveform_to_examples(wave: np.ndarray, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """vggish_input.waveform_to_examples without the int16 step: [samples] or [samples, channels] -> [N,96,64].

    Multi-channel input is averaged to mono (as the original); other rates are resampled to 16 kHz with
    scipy.signal.resample_poly (the original used resampy; the two differ slightly near Nyquist).
    Returns float32 [N, 96, 64]; N = 0 for clips shorter than one example.
    """
    data = np.asarray(wave, dtype=np.float64)
    if data.ndim == 2:
        data = data.mean(axis=1)
    if data.ndim != 1:
        raise ValueError(f"waveform must be [samples] or [samples, channels], got shape {data.shape}")
    if sample_rate != SAMPLE_RATE:
        if sample_rate <= 0:
            raise ValueError(f"sample_rate must be positive, got {sample_rate}")
        g = gcd(SAMPLE_RATE, int(sample_rate))
        data = resample_poly(data, SAMPLE_RATE // g, int(sample_rate) // g)
    log_mel = log_mel_spectrogram(data)
    return frame(log_mel, EXAMPLE_FRAMES, EXAMPLE_FRAMES).astype(np.float32)


def clip_examples(
    examples: np.ndarray, num_seconds: int, pad: Literal["repeat", "zero"]
) -> tuple[np.ndarray, np.ndarray]:
    """Exactly `num_seconds` examples for one clip window: [N,96,64] -> ([T,1,96,64] float32, valid [T] bool).

    Extra examples are cut. Missing ones: "repeat" copies the last example (AVSBench S4/MS3), "zero" appends
    zeros (AVSS, whose padded seconds are also masked by the temporal flag); with N == 0 both give zeros.
    `valid[k]` is True exactly when second k has its own example (k < N), in both modes.
    """
    if pad not in ("repeat", "zero"):
        raise ValueError(f"pad must be 'repeat' or 'zero', got {pad!r}")
    ex = np.asarray(examples, dtype=np.float32)
    if ex.ndim != 3 or ex.shape[1:] != (EXAMPLE_FRAMES, NUM_MEL):
        raise ValueError(f"examples must be [N,{EXAMPLE_FRAMES},{NUM_MEL}], got shape {ex.shape}")
    n = min(ex.shape[0], num_seconds)
    out = np.zeros((num_seconds, 1, EXAMPLE_FRAMES, NUM_MEL), dtype=np.float32)
    out[:n, 0] = ex[:n]
    if pad == "repeat" and 0 < n < num_seconds:
        out[n:, 0] = ex[n - 1]
    valid = np.arange(num_seconds) < n
    return out, valid
