"""Vectorised shape masks and surface textures in an object's local coordinates.

`u` runs across the object's width and `v` down its height, both normalised to [-1, 1] over the object's
half-extents (a few shapes reach slightly beyond, e.g. the guitar neck). Textures return a `mix` between the
object's primary (0) and secondary (1) colour and a multiplicative `shade`, so a class keeps its look while
colours vary per instance. `tp` holds per-instance texture parameters in [0, 1) (frequencies, phases).
"""

from __future__ import annotations

import numpy as np

Array = np.ndarray
EXTENT = 1.3  # every shape lies within |u|, |v| <= EXTENT


def shape_mask(shape: str, u: Array, v: Array, tp: Array) -> Array:
    """Boolean mask of `shape` at local coordinates (u, v)."""
    if shape == "rect":
        return (np.abs(u) <= 1) & (np.abs(v) <= 1)
    if shape in ("ellipse", "circle"):
        return u * u + v * v <= 1
    if shape == "squircle":
        return u**4 + v**4 <= 1
    if shape == "figure8":
        lower = u * u + ((v - 0.4) / 0.6) ** 2 <= 1
        upper = (u / 0.75) ** 2 + ((v + 0.3) / 0.45) ** 2 <= 1
        neck = (np.abs(u) <= 0.15) & (v >= -1.25) & (v <= -0.6)
        return lower | upper | neck
    if shape == "bell":
        dome = (u / 0.45) ** 2 + ((v + 0.55) / 0.45) ** 2 <= 1
        flare = (v >= -0.55) & (v <= 0.85) & (np.abs(u) <= 0.45 + 0.5 * ((v + 0.55) / 1.4) ** 2)
        lip = (v >= 0.75) & (v <= 1.0) & (np.abs(u) <= 1.0)
        return dome | flare | lip
    if shape == "blob":
        rho = np.sqrt(u * u + v * v)
        phi = np.arctan2(v, u)
        edge = 0.85 * (1 + 0.18 * np.sin(3 * phi + 6.28 * tp[0]) + 0.1 * np.sin(5 * phi + 6.28 * tp[1]))
        return rho <= edge
    if shape == "car":
        body = (np.abs(u) <= 1) & (v >= -0.15) & (v <= 0.55)
        cabin = (v >= -0.8) & (v < -0.15) & (np.abs(u) <= 0.45 + 0.25 * (v + 0.8) / 0.65)
        wheels = (((np.abs(u) - 0.6) / 0.22) ** 2 + ((v - 0.6) / 0.38) ** 2) <= 1
        return body | cabin | wheels
    if shape == "kite":
        top = (v >= -1) & (v < -0.2) & (np.abs(u) <= (v + 1) / 0.8)
        bottom = (v >= -0.2) & (v <= 1) & (np.abs(u) <= (1 - v) / 1.2)
        return top | bottom
    raise ValueError(f"unknown shape {shape!r}")


def texture(name: str, u: Array, v: Array, tp: Array) -> tuple[Array, Array]:
    """(`mix`, `shade`) arrays for texture `name`; see the module docstring."""
    zero = np.zeros_like(u)
    mix, shade = zero, np.ones_like(u)
    if name == "keys":
        n = 7 + int(6 * tp[0])
        pos = (u + 1) * 0.5 * n
        black = (np.abs(np.mod(pos, 1.0) - 0.5) < 0.18) & (v < 0.25) & (np.mod(np.floor(pos), 7) % 3 != 2)
        seam = np.abs(np.mod(pos, 1.0)) < 0.06
        frame = v < -0.8
        mix = (black | frame).astype(u.dtype)
        shade = np.where(seam & ~black, 0.75, 1.0)
    elif name == "grain":
        hole = u * u + ((v + 0.25) / 0.28) ** 2 <= 0.28
        neck = v < -0.6
        mix = (hole | neck).astype(u.dtype)
        shade = 0.85 + 0.15 * np.sin((18 + 12 * tp[0]) * v + 3 * np.sin(3 * u + 6 * tp[1]))
    elif name == "varnish":
        strings = (np.abs(u) < 0.07) & (np.abs(v) < 0.75)
        mix = strings.astype(u.dtype)
        shade = 1.1 - 0.45 * (u * u + v * v)
    elif name == "metal":
        bands = (np.abs(v - 0.65) < 0.07) | (np.abs(v + 0.1 - 0.2 * tp[0]) < 0.05)
        mix = bands.astype(u.dtype)
        shade = 0.65 + 0.55 * np.exp(-(((u - 0.2 - 0.3 * tp[1]) / 0.25) ** 2))
    elif name == "rings":
        rho = np.sqrt(u * u + v * v)
        mix = ((np.mod(rho * (3 + 2 * tp[0]), 1.0) < 0.22) | (rho > 0.86)).astype(u.dtype)
        shade = 1.05 - 0.25 * rho
    elif name == "spots":
        f1, f2, f3 = 5 + 4 * tp[0], 5 + 4 * tp[1], 4 + 3 * tp[2]
        field = np.sin(u * f1 + 6.28 * tp[3]) * np.sin(v * f2 + 6.28 * tp[4]) + 0.5 * np.sin((u + v) * f3)
        mix = (field > 0.7).astype(u.dtype)
    elif name == "bodywork":
        window = (v >= -0.68) & (v < -0.2) & (np.abs(u) <= 0.3 + 0.25 * (v + 0.8) / 0.65)
        wheel = (((np.abs(u) - 0.6) / 0.22) ** 2 + ((v - 0.6) / 0.38) ** 2) <= 1
        mix = (window | wheel).astype(u.dtype)
        shade = np.where(wheel, 0.12, 0.85 + 0.3 * np.exp(-(((v - 0.05) / 0.12) ** 2)))
    elif name == "dial":
        rho = (u**4 + v**4) ** 0.25
        ang = np.arctan2(v, u)
        tick = (rho > 0.6) & (rho < 0.74) & (np.abs(np.mod(ang * 6 / np.pi + 0.5, 1.0) - 0.5) < 0.12)
        hands = zero.astype(bool)
        for a, length, width in ((6.28 * tp[0], 0.45, 0.07), (6.28 * tp[1], 0.68, 0.04)):
            along = u * np.cos(a) + v * np.sin(a)
            perp = np.abs(-u * np.sin(a) + v * np.cos(a))
            hands |= (along > -0.05) & (along < length) & (perp < width)
        mix = ((rho > 0.84) | tick | hands).astype(u.dtype)
    elif name == "feathers":
        stripes = np.sin((0.7 * u + v) * (9 + 5 * tp[0]) + 6.28 * tp[1]) > 0.35
        eye = (u * u + (v + 0.62) ** 2) < 0.012
        mix = (stripes | eye).astype(u.dtype)
        shade = np.where(eye, 0.15, 1.0)
    else:
        raise ValueError(f"unknown texture {name!r}")
    # Low-frequency surface variation so flat regions are not a single colour.
    wobble = 1 + 0.06 * np.sin(u * (3 + 4 * tp[5]) + 6.28 * tp[6]) * np.sin(v * (3 + 4 * tp[7]) + 6.28 * tp[2])
    return mix, shade * wobble
