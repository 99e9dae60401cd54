"""One generated clip: frames, visible-instance maps, sounding schedule, waveform and ground-truth masks.

Seeds come in pairs: clips `2m` and `2m + 1` share the visual scene (scene id `m`: same objects, motion, light and
sounds) but use different sounding schedules (S4: a different object sounds; MS3/AVSS: the sounding set differs in
every second where the scene allows it), so the pixels alone cannot say which object sounds. Every random draw
comes from `numpy.random.default_rng([scene id, stream, ...])`, so a seed always yields the same clip, and the
schedule is chosen from visibility computed at a fixed reference resolution so it does not depend on `size`.
Audio: second k's sounding set plays during VGGish log-mel example k's window (0.96 s stride, published recipe;
see `sound.gate`), so the example the model hears for frame k holds exactly the sources masked in frame k.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ccformer.synth.scene import Scene, frame_time, render, sample_scene
from ccformer.synth.sound import SR, class_sound, gate, mix

Array = np.ndarray
TASK_SECONDS: dict[str, int] = {"s4": 5, "ms3": 5, "avss": 10}
_TASK_CODE = {"s4": 0, "ms3": 1, "avss": 2}
_VIS_SIZE = 64  # reference resolution for the visibility that drives the schedule
_VIS_MIN = 0.012  # an object counts as visible when it covers >= 1.2% of the frame


@dataclass
class Clip:
    """A generated clip. Arrays are per dataset frame k (second k, rendered at t = k + 15/16 s)."""

    task: str
    seed: int
    size: int
    scene: Scene
    frames: Array  # uint8 [T, H, W, 3]
    instances: Array  # uint8 [T, H, W]: 0 background, i + 1 = scene.objects[i] (visible after occlusion)
    schedule: Array  # bool [T, n_objects]: object i sounds during second k
    waveform: Array  # float32 [T * 16000], 16 kHz mono, exactly what the wav files hold

    @property
    def seconds(self) -> int:
        return int(self.frames.shape[0])

    @property
    def vid(self) -> str:
        """Source-video id (no underscores, so `{vid}_{start}_{end}` parses unambiguously)."""
        return f"syn-{self.task}-{self.seed:07d}"

    @property
    def uid(self) -> str:
        """Clip id: AVSS `{vid}_{start ms}_{end ms}`; S4/MS3 use the video id itself."""
        return f"{self.vid}_0_{self.seconds * 1000}" if self.task == "avss" else self.vid

    @property
    def class_names(self) -> list[str]:
        return [o.cls.name for o in self.scene.objects]

    @property
    def class_ids(self) -> Array:
        """AVSS class index of each object (1..70)."""
        return np.array([o.cls.avss_index for o in self.scene.objects], dtype=np.uint8)

    @property
    def masks(self) -> Array:
        """uint8 [T, H, W] AVSS class index of the visible pixels of the objects sounding in each second."""
        lut = np.zeros((self.seconds, len(self.scene.objects) + 1), dtype=np.uint8)
        lut[:, 1:] = self.schedule * self.class_ids[None, :]
        return lut[np.arange(self.seconds)[:, None, None], self.instances]

    @property
    def binary_masks(self) -> Array:
        """uint8 [T, H, W] 255 on sounding objects, 0 elsewhere (S4/MS3 ground truth)."""
        return np.where(self.masks > 0, 255, 0).astype(np.uint8)

    def sounding(self, second: int) -> list[str]:
        """Class names sounding during `second`."""
        return [self.class_names[i] for i in np.flatnonzero(self.schedule[second])]

    @property
    def a_obj(self) -> str:
        """AVSS `a_obj`: the clip's sounding classes in order of first sounding, joined by `_`."""
        first = [(int(np.argmax(self.schedule[:, i])), name) for i, name in enumerate(self.class_names)
                 if self.schedule[:, i].any()]
        return "_".join(name for _, name in sorted(first))


def _pick_schedule(rng: np.random.Generator, vis: Array, task: str, avoid: Array | None) -> Array:
    """A bool [T, n] schedule over visible objects; differs from `avoid` wherever possible."""
    seconds, n = vis.shape
    sched = np.zeros((seconds, n), dtype=bool)
    if task == "s4":  # one source for the whole clip, visible in every frame if possible
        order = np.lexsort((np.arange(n), -vis.sum(0)))
        cands = [i for i in order if vis[:, i].all()] or list(order[:2])
        if avoid is not None and len(cands) > 1:
            cands = [i for i in cands if not avoid[0, i]]
        sched[:, int(rng.choice(cands))] = True
        return sched
    prev: frozenset[int] | None = None
    for k in range(seconds):
        cand = np.flatnonzero(vis[k])
        cand = cand if len(cand) else np.arange(n)
        top = max(1, min(2, n - 1, len(cand)))
        taboo = frozenset(np.flatnonzero(avoid[k])) if avoid is not None else None
        pick = prev
        if pick is None or not pick <= set(cand.tolist()) or pick == taboo or rng.random() > 0.6:
            for _ in range(10):
                pick = frozenset(int(i) for i in rng.choice(cand, int(rng.integers(1, top + 1)), replace=False))
                if pick != taboo:
                    break
        assert pick is not None
        sched[k, sorted(pick)] = True
        prev = pick
    return sched


def generate_scene(seed: int) -> Scene:
    """The visual scene of `seed` (shared by seeds 2m and 2m + 1)."""
    rng = np.random.default_rng([seed // 2, 0])
    return sample_scene(rng, int(rng.integers(2, 5)))


def generate_clip(task: str, seed: int, size: int = 224) -> Clip:
    """Generate clip `seed` for `task` ("s4" | "ms3" | "avss") with frames of size x size pixels."""
    if task not in TASK_SECONDS:
        raise ValueError(f"unknown task {task!r}")
    seconds, scene_id, variant = TASK_SECONDS[task], seed // 2, seed % 2
    scene = generate_scene(seed)
    times = [frame_time(k) for k in range(seconds)]
    renders = [render(scene, t, size) for t in times]
    frames = np.stack([r[0] for r in renders])
    instances = np.stack([r[1] for r in renders])
    ref = instances if size == _VIS_SIZE else np.stack([render(scene, t, _VIS_SIZE)[1] for t in times])
    n = len(scene.objects)
    counts = np.stack([np.bincount(m.ravel(), minlength=n + 1)[1:] for m in ref])
    vis = counts >= _VIS_MIN * _VIS_SIZE**2
    srng = np.random.default_rng([scene_id, 1, _TASK_CODE[task]])
    first = _pick_schedule(srng, vis, task, None)
    schedule = first if variant == 0 else _pick_schedule(srng, vis, task, first)
    samples = seconds * SR
    gains_rng = np.random.default_rng([scene_id, 3])
    gains = gains_rng.uniform(0.6, 1.0, n)
    active = [i for i in range(n) if schedule[:, i].any()]
    sounds = [class_sound(scene.objects[i].cls, np.random.default_rng([scene_id, 2, i]), samples) for i in active]
    gates = [gate(schedule[:, i], samples) for i in active]
    wave = mix(sounds, gates, [float(gains[i]) for i in active], np.random.default_rng([scene_id, 4, variant]))
    return Clip(task, seed, size, scene, frames, instances, schedule, wave)
