"""Visual scenes: objects with continuous motion, z-order occlusion, textured backgrounds and changing light.

A `Scene` is a resolution-independent description (positions are fractions of the frame), so the same scene can
be rendered at any `--size` and at any time `t`: the dataset takes t = k + 15/16 for second k and the mp4 writer
takes every 1/16 s, which makes the video's sampled frame exactly the dataset frame.
Rendering draws objects back to front into an RGB image and an instance map (0 = background, i + 1 = object i),
so ground-truth masks are the visible pixels after occlusion.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from PIL import Image

from ccformer.synth.classes import SYNTH_CLASSES, SynthClass
from ccformer.synth.shapes import EXTENT, shape_mask, texture

Array = np.ndarray


@dataclass(frozen=True)
class SceneObject:
    """One object instance: class, colours, size and the parameters of its motion and texture."""

    cls: SynthClass
    rgb1: tuple[float, float, float]
    rgb2: tuple[float, float, float]
    radius: float  # fraction of the frame size
    aspect: float
    motion: tuple[float, ...]  # c0x, c0y, ax, ay, wx, wy, px, py, ws, ps, theta0, wr, pr
    tp: Array  # texture parameters in [0, 1)

    def state(self, t: float) -> tuple[float, float, float, float]:
        """Centre x, centre y, radius and rotation at time t (seconds)."""
        c0x, c0y, ax, ay, wx, wy, px, py, ws, ps, th0, wr, pr = self.motion
        cx = min(max(c0x + ax * np.sin(wx * t + px), 0.08), 0.92)
        cy = min(max(c0y + ay * np.sin(wy * t + py), 0.08), 0.92)
        r = self.radius * (1 + 0.12 * np.sin(ws * t + ps))
        return cx, cy, r, th0 + 0.2 * np.sin(wr * t + pr)


@dataclass(frozen=True)
class Scene:
    """Objects (listed back to front) plus background and lighting parameters."""

    objects: tuple[SceneObject, ...]
    bg_colours: tuple[tuple[float, float, float], tuple[float, float, float]]
    bg_grid: Array  # low-resolution noise grid (values in [0, 1))
    bg_params: tuple[float, ...]  # angle, noise amp, stripe amp, stripe freq, stripe angle, pan wx, wy, px, py
    light: tuple[float, ...]  # gain amp, gain w, gain phase, tint amp, tint w, dir amp, dir angle0, dir w
    _bg_cache: dict[int, Array] = field(default_factory=dict, compare=False, repr=False)


def _jitter_rgb(hsv: tuple[float, float, float], rng: np.random.Generator) -> tuple[float, float, float]:
    h, s, v = hsv
    h = (h + rng.uniform(-0.035, 0.035)) % 1.0
    s = float(np.clip(s + rng.uniform(-0.12, 0.12), 0, 1))
    v = float(np.clip(v + rng.uniform(-0.12, 0.08), 0.05, 1))
    r, g, b = colorsys.hsv_to_rgb(h, s, v)
    return (r, g, b)


def sample_scene(rng: np.random.Generator, n_objects: int) -> Scene:
    """Draw a scene with `n_objects` objects of distinct classes (random order = z-order)."""
    picks = rng.choice(len(SYNTH_CLASSES), size=n_objects, replace=False)
    objects = []
    for ci in picks:
        cls = SYNTH_CLASSES[int(ci)]
        motion = (
            rng.uniform(0.22, 0.78), rng.uniform(0.25, 0.75), rng.uniform(0.03, 0.2), rng.uniform(0.02, 0.14),
            rng.uniform(0.4, 1.6), rng.uniform(0.4, 1.6), rng.uniform(0, 6.28), rng.uniform(0, 6.28),
            rng.uniform(0.3, 1.2), rng.uniform(0, 6.28), rng.uniform(-0.25, 0.25), rng.uniform(0.3, 1.0),
            rng.uniform(0, 6.28),
        )
        objects.append(SceneObject(
            cls=cls, rgb1=_jitter_rgb(cls.hsv1, rng), rgb2=_jitter_rgb(cls.hsv2, rng),
            radius=float(rng.uniform(0.12, 0.2) * cls.scale), aspect=float(rng.uniform(*cls.aspect)),
            motion=tuple(float(m) for m in motion), tp=rng.random(8),
        ))
    cols = tuple(colorsys.hsv_to_rgb(rng.random(), rng.uniform(0.05, 0.55), rng.uniform(0.25, 0.9)) for _ in "ab")
    grid = rng.random((int(rng.integers(3, 9)), int(rng.integers(3, 9))))
    bg = (rng.uniform(0, 6.28), rng.uniform(0.05, 0.3), rng.choice([0.0, rng.uniform(0.03, 0.12)]),
          rng.uniform(8, 30), rng.uniform(0, 3.14), rng.uniform(0.2, 0.8), rng.uniform(0.2, 0.8),
          rng.uniform(0, 6.28), rng.uniform(0, 6.28))
    light = (rng.uniform(0.03, 0.22), rng.uniform(0.3, 1.5), rng.uniform(0, 6.28), rng.uniform(0.0, 0.08),
             rng.uniform(0.3, 1.2), rng.uniform(0.0, 0.45), rng.uniform(0, 6.28), rng.uniform(-0.5, 0.5))
    return Scene(tuple(objects), (cols[0], cols[1]), grid, tuple(float(b) for b in bg), tuple(light))


@lru_cache(maxsize=8)
def _grid(size: int) -> tuple[Array, Array]:
    """Pixel-centre coordinates of a size x size frame, as fractions of the frame (x, y)."""
    c = ((np.arange(size, dtype=np.float32) + 0.5) / size)
    return np.broadcast_to(c[None, :], (size, size)), np.broadcast_to(c[:, None], (size, size))


def _pad(size: int) -> int:
    return max(2, round(0.06 * size))


def _background(scene: Scene, size: int) -> Array:
    """The scene's background canvas (size + 2*pad square, float32 RGB), cached per size."""
    if size in scene._bg_cache:
        return scene._bg_cache[size]
    side = size + 2 * _pad(size)
    angle, noise_amp, stripe_amp, stripe_f, stripe_a = scene.bg_params[:5]
    c = (np.arange(side, dtype=np.float32) + 0.5) / side
    x, y = c[None, :], c[:, None]
    ramp = np.clip(0.5 + (x - 0.5) * np.cos(angle) + (y - 0.5) * np.sin(angle), 0, 1)[..., None]
    a, b = (np.asarray(col, dtype=np.float32) for col in scene.bg_colours)
    img = a * (1 - ramp) + b * ramp
    noise = Image.fromarray(scene.bg_grid.astype(np.float32)).resize((side, side), Image.BICUBIC)
    img *= (1 + noise_amp * (np.asarray(noise) - 0.5) * 2)[..., None]
    stripes = np.sin((x * np.cos(stripe_a) + y * np.sin(stripe_a)) * stripe_f * 6.28)
    img *= (1 + stripe_amp * stripes)[..., None]
    scene._bg_cache[size] = img.astype(np.float32)
    return scene._bg_cache[size]


def render(scene: Scene, t: float, size: int) -> tuple[Array, Array]:
    """Render the scene at time t: (uint8 RGB [size, size, 3], uint8 instance map [size, size])."""
    pad = _pad(size)
    wx, wy, phx, phy = scene.bg_params[5:]
    ox = int(round(pad * (1 + 0.9 * np.sin(wx * t + phx))))
    oy = int(round(pad * (1 + 0.9 * np.sin(wy * t + phy))))
    img = _background(scene, size)[oy:oy + size, ox:ox + size].copy()
    inst = np.zeros((size, size), dtype=np.uint8)
    gx, gy = _grid(size)
    for i, obj in enumerate(scene.objects):
        cx, cy, r, th = obj.state(t)
        hw, hh = r * np.sqrt(obj.aspect), r / np.sqrt(obj.aspect)
        reach = EXTENT * max(hw, hh)
        x0, x1 = max(0, int((cx - reach) * size)), min(size, int((cx + reach) * size) + 2)
        y0, y1 = max(0, int((cy - reach) * size)), min(size, int((cy + reach) * size) + 2)
        if x0 >= x1 or y0 >= y1:
            continue
        dx, dy = gx[y0:y1, x0:x1] - cx, gy[y0:y1, x0:x1] - cy
        cos, sin = np.cos(th), np.sin(th)
        u = (dx * cos + dy * sin) / hw
        v = (-dx * sin + dy * cos) / hh
        m = shape_mask(obj.cls.shape, u, v, obj.tp)
        mix, shade = texture(obj.cls.texture, u[m], v[m], obj.tp)
        c1, c2 = np.asarray(obj.rgb1, np.float32), np.asarray(obj.rgb2, np.float32)
        col = (c1 * (1 - mix[:, None]) + c2 * mix[:, None]) * shade[:, None]
        img[y0:y1, x0:x1][m] = col
        inst[y0:y1, x0:x1][m] = i + 1
    g_amp, g_w, g_p, t_amp, t_w, d_amp, d_a0, d_w = scene.light
    gain = 1 + g_amp * np.sin(g_w * t + g_p)
    tint = 1 + t_amp * np.sin(t_w * t + np.array([0.0, 2.1, 4.2], np.float32))
    ang = d_a0 + d_w * t
    directional = 1 + d_amp * ((gx - 0.5) * np.cos(ang) + (gy - 0.5) * np.sin(ang))
    img *= (directional * gain)[..., None] * tint
    rgb = np.clip(img * 255 + 0.5, 0, 255).astype(np.uint8)
    return rgb, inst


def frame_time(second: int, sub: int = 15, fps: int = 16) -> float:
    """Time of sub-frame `sub` of second `second`; sub 15 of 16 is the dataset frame (AVSBench sampling)."""
    return (fps * second + sub) / fps
