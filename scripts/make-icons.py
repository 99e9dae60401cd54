"""App icons for the installers, drawn from code so they can be regenerated: `.venv/bin/python scripts/make-icons.py`.

Writes assets/icon.png (1024 px, macOS/Linux source), assets/icons/<N>x<N>.png (the Linux icon set electron-builder
installs into hicolor), assets/icon.ico (Windows: 16-256 px) and assets/icon.icns (macOS). The motif: a video
frame with a sound wave and a highlighted (masked) sounding object.
"""

from pathlib import Path

from PIL import Image, ImageDraw

ASSETS = Path(__file__).resolve().parent.parent / "assets"
SIZE = 1024
LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def draw() -> Image.Image:
    # Drawn at 4x and downsampled: PIL's shapes are not antialiased.
    s = SIZE * 4
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    pad = s // 16
    d.rounded_rectangle((pad, pad, s - pad, s - pad), radius=s // 5, fill=(28, 44, 74, 255))
    # The frame.
    f = s // 5
    d.rounded_rectangle((f, f, s - f, s - f - s // 10), radius=s // 24, fill=(236, 240, 245, 255))
    # The sounding object, masked: a highlighted blob with an outline.
    d.ellipse((s * 0.28, s * 0.30, s * 0.58, s * 0.62), fill=(255, 122, 69, 255), outline=(200, 70, 30, 255), width=s // 80)
    # The sound wave beside it.
    cx, cy = s * 0.62, s * 0.46
    for i, r in enumerate((0.08, 0.14, 0.20)):
        w = s * r
        d.arc((cx - w, cy - w, cx + w, cy + w), start=-50, end=50, fill=(40, 120, 220, 255), width=s // 40 - i * 8)
    # The timeline with per-second sounding flags.
    y0, y1 = s - f - s // 20, s - f + s // 40
    for k in range(8):
        x0 = f + k * (s - 2 * f) / 8 + s // 120
        x1 = f + (k + 1) * (s - 2 * f) / 8 - s // 120
        on = k in (1, 2, 3, 6)
        d.rounded_rectangle((x0, y0, x1, y1), radius=s // 120, fill=(255, 122, 69, 255) if on else (90, 110, 140, 255))
    return img.resize((SIZE, SIZE), Image.LANCZOS)


def main() -> None:
    icon = draw()
    icon.save(ASSETS / "icon.png", optimize=True)
    (ASSETS / "icons").mkdir(exist_ok=True)
    for n in LINUX_SIZES:
        icon.resize((n, n), Image.LANCZOS).save(ASSETS / "icons" / f"{n}x{n}.png", optimize=True)
    icon.save(ASSETS / "icon.ico", sizes=ICO_SIZES)
    icon.save(ASSETS / "icon.icns")


if __name__ == "__main__":
    main()
