"""Per-class sound synthesis and the clip mix (16 kHz mono).

Each class has its own timbre, pitch range and rhythm (see `classes.py`), drawn per instance, so the sound alone
tells the class while the pitch/tempo vary between instances. Sounds are generated for the whole clip, gated per
0.96-s VGGish example window by the sounding schedule (short ramps, no clicks), summed and mixed with room noise.
Event rates are >= 1.4/s so every sounding window holds at least one onset.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy.signal import butter, lfilter

from ccformer.synth.classes import SynthClass

SR = 16000
EXAMPLE_STEP = 15360  # VGGish examples are 96 frames x 160 samples: example k starts at 0.96 k s
Array = np.ndarray
_SCALE = np.array([1, 9 / 8, 5 / 4, 4 / 3, 3 / 2, 5 / 3, 15 / 8, 2.0])


def _t(seconds: float) -> Array:
    return np.arange(int(seconds * SR)) / SR


def _onsets(rng: np.random.Generator, rate: float, n: int) -> Array:
    """Roughly regular event times (s) at `rate` per second with jitter, covering n samples."""
    period = 1.0 / rate
    times = rng.uniform(0, 0.5 * period) + np.arange(0, n / SR, period)
    return times + rng.uniform(-0.08, 0.08, times.shape) * period


def _add(out: Array, start: float, event: Array) -> None:
    s = int(max(start, 0) * SR)
    e = min(len(out), s + len(event))
    if s < e:
        out[s:e] += event[: e - s]


def _attack(n: int, ms: float = 5.0) -> Array:
    return np.minimum(1.0, np.arange(n) / (ms * SR / 1000))


def _harmonics(f: float, t: Array, n_h: int, amp: Array, decay: Array) -> Array:
    """Sum of harmonics h*f (below 7.8 kHz) with per-harmonic amplitude and exponential decay."""
    h = np.arange(1, n_h + 1)[:, None]
    keep = (h[:, 0] * f) < 7800
    h, amp, decay = h[keep], amp[keep][:, None], decay[keep][:, None]
    return (amp * np.sin(2 * np.pi * f * h * t) * np.exp(-t * decay)).sum(0)


@lru_cache(maxsize=64)
def _butter(hz: float, order: int) -> tuple[Array, Array]:
    b, a = butter(order, hz / (SR / 2))
    return b, a


def _lowpass(x: Array, hz: float, order: int = 2) -> Array:
    b, a = _butter(float(hz), order)
    return lfilter(b, a, x)


def _events(kind: str, rng: np.random.Generator, f0: float, rate: float, n: int) -> Array:
    out = np.zeros(n)
    h = np.arange(1, 13, dtype=float)
    cache: list[Array] = []
    for k, onset in enumerate(_onsets(rng, rate, n)):
        if kind == "piano":
            if not cache:  # one decaying harmonic note per scale degree, reused by every chord
                t = _t(1.1)
                cache.extend(_harmonics(f0 * r, t, 8, h[:8] ** -1.3, 2.2 + 0.7 * h[:8]) * _attack(len(t)) for r in _SCALE)
            notes = rng.choice(len(_SCALE), size=int(rng.integers(1, 4)), replace=False)
            _add(out, onset, sum(cache[i] for i in notes) * rng.uniform(0.7, 1.0))
        elif kind == "guitar":
            if not cache:  # a three-string strum with pluck-position-dependent harmonics
                t, p = _t(0.45), rng.uniform(0.15, 0.3)
                amp = np.abs(np.sin(np.pi * h * p)) / h
                strum = np.zeros(len(t) + 400)
                for j, ratio in enumerate((1.0, 1.5, 2.0)):
                    _add(strum, 0.012 * j, _harmonics(f0 * ratio, t, 12, amp, 4 + 1.5 * h) * _attack(len(t), 2))
                cache.append(strum)
            _add(out, onset, cache[0] * rng.uniform(0.75, 1.0))
        elif kind == "bell":
            if not cache:  # inharmonic partials (hum, prime, tierce, quint, nominal), long decay
                t = _t(1.4)
                ratios = np.array([0.5, 1.0, 1.19, 1.5, 2.0, 2.74])
                parts = np.sin(2 * np.pi * f0 * ratios[:, None] * t) * np.exp(-t * np.linspace(1.2, 3.5, 6)[:, None])
                cache.append(parts.sum(0) * _attack(len(t), 2))
            _add(out, onset, cache[0] * rng.uniform(0.8, 1.0))
        elif kind == "drum":
            t = _t(0.35)
            freq = f0 + (2.2 * f0 - f0) * np.exp(-t * 25)
            body = np.sin(2 * np.pi * np.cumsum(freq) / SR) * np.exp(-t * 9)
            hit = _lowpass(rng.standard_normal(len(t)), 1500) * np.exp(-t * 60) * 0.5
            _add(out, onset, (body + hit) * (1.0 if k % 2 == 0 else 0.7))
        elif kind == "dog":
            for j in range(int(rng.integers(1, 3))):
                t = _t(rng.uniform(0.13, 0.2))
                f = f0 * (1 + 0.3 * np.exp(-t * 20)) * (1 - t)
                phase = 2 * np.pi * np.cumsum(f) / SR
                fh = h[:8, None] * f0
                weight = np.exp(-(((fh - 1000) / 500) ** 2)) + 0.6 * np.exp(-(((fh - 2200) / 700) ** 2)) + 0.15
                voice = (weight * np.sin(h[:8, None] * phase)).sum(0)
                noise = _lowpass(rng.standard_normal(len(t)), 3000) * 0.8
                env = _attack(len(t), 8) * np.exp(-t * 12)
                _add(out, onset + 0.22 * j, (voice + noise) * env)
        elif kind == "clock":
            t = _t(0.06)
            f = f0 * (1.0 if k % 2 == 0 else 1.25)
            tick = np.sin(2 * np.pi * f * t) * np.exp(-t * 70) + 0.5 * np.sin(2 * np.pi * 2.7 * f * t) * np.exp(-t * 110)
            _add(out, onset, tick + rng.standard_normal(len(t)) * np.exp(-t * 600) * 0.8)
        elif kind == "bird":
            for j in range(int(rng.integers(1, 4))):
                t = _t(rng.uniform(0.05, 0.1))
                f = f0 + rng.uniform(-1500, 1500) * t / t[-1]
                phase = 2 * np.pi * np.cumsum(f) / SR
                env = np.sin(np.pi * t / t[-1]) ** 2 * (1 + 0.3 * np.sin(2 * np.pi * 40 * t))
                _add(out, onset + 0.13 * j, (np.sin(phase) + 0.2 * np.sin(2 * phase) * (f[0] < 3900)) * env)
        else:
            raise ValueError(f"no event sound for {kind!r}")
    return out


def _continuous(kind: str, rng: np.random.Generator, f0: float, n: int) -> Array:
    t = np.arange(n) / SR
    if kind == "violin":
        change = np.cumsum(rng.uniform(0.4, 1.0, 40))
        notes = f0 * _SCALE[rng.integers(0, 6, 41)]
        f = notes[np.searchsorted(change, t)]
        f = np.convolve(f, np.ones(480) / 480, mode="same")  # glide between notes
        f *= 1 + 0.006 * np.sin(2 * np.pi * rng.uniform(5, 6.5) * t)
        phase = 2 * np.pi * np.cumsum(f) / SR
        n_h = int(7600 // (f0 * 2 * 1.03))
        x = sum(np.sin(k * phase) / k for k in range(1, n_h + 1))
        bow = 0.75 + 0.25 * np.sin(2 * np.pi * rng.uniform(0.5, 1.2) * t)
        return x * bow + 0.05 * _lowpass(rng.standard_normal(n), 6000)
    if kind == "car":
        f = f0 * (1 + 0.12 * np.sin(2 * np.pi * 0.15 * t + rng.uniform(0, 6.28)) + 0.05 * np.sin(2 * np.pi * 0.47 * t))
        cycle = np.mod(np.cumsum(f) / SR, 1.0)
        pulses = np.exp(-cycle * 8) - 0.12
        rumble = _lowpass(rng.standard_normal(n), 250) * 0.8
        return _lowpass(pulses, 500) + rumble
    raise ValueError(f"no continuous sound for {kind!r}")


def class_sound(cls: SynthClass, rng: np.random.Generator, n: int) -> Array:
    """One instance of `cls`'s sound, n samples long, normalised to unit loudness when active."""
    f0 = rng.uniform(*cls.pitch)
    if cls.rate[1] > 0:
        x = _events(cls.name, rng, f0, rng.uniform(*cls.rate), n)
    else:
        x = _continuous(cls.name, rng, f0, n)
    frames = x[: n // 800 * 800].reshape(-1, 800)
    loud = np.percentile(np.sqrt((frames**2).mean(1)), 90) if len(frames) else 1.0
    return (x / max(loud, 1e-6)).astype(np.float32)


def gate(schedule: Array, n: int, step: int = EXAMPLE_STEP, ramp: int = 240) -> Array:
    """Sample envelope (float32, n samples) that is 1 while a boolean [T] schedule says "sounding".

    Segment k spans samples [k * step, (k + 1) * step) (the last one runs to the end): with the VGGish step of
    0.96 s, log-mel example k hears exactly second k's sounding set. Edges get `ramp`-sample linear ramps.
    """
    idx = np.minimum(np.arange(n) // step, len(schedule) - 1)
    env = schedule.astype(np.float64)[idx]
    c = np.concatenate([[0.0], np.cumsum(np.pad(env, (ramp // 2, ramp - ramp // 2), mode="edge"))])
    return ((c[ramp:] - c[:-ramp])[:n] / ramp).astype(np.float32)


def mix(sounds: list[Array], gates: list[Array], gains: list[float], rng: np.random.Generator) -> Array:
    """Mix gated sounds with background noise at a random SNR; int16-quantised float32 in [-1, 1]."""
    n = len(gates[0]) if gates else 0
    sig = np.zeros(n)
    for s, g, a in zip(sounds, gates, gains, strict=True):
        sig += s * g * a
    white = rng.standard_normal(n)
    noise = _lowpass(white, rng.uniform(300, 2500)) + 0.04 * white  # room tone: mostly low, a little hiss
    sig_rms = np.sqrt(np.mean(sig**2)) if n else 0.0
    noise *= (sig_rms if sig_rms > 0 else 0.01) * 10 ** (-rng.uniform(10, 24) / 20) / max(np.sqrt(np.mean(noise**2)), 1e-9)
    out = sig + noise
    peak, rms = np.abs(out).max(initial=1e-9), np.sqrt(np.mean(out**2)) if n else 1.0
    out *= min(0.12 / max(rms, 1e-9), 0.95 / peak)
    return (np.round(out * 32767) / 32768).astype(np.float32)
