"""Photos for the demo briefs, drawn with Pillow: nothing is downloaded or shipped.

Each scene is a simple picture of an activity (a banner, a table, people in a row) in its
own colours, so the photos are told apart at a glance and by their perceptual hashes.
"""

from __future__ import annotations

import io
import random
from functools import lru_cache

from PIL import Image, ImageDraw

SIZE = (960, 640)
SCENES = [
    # sky, ground, banner, shirts
    ("#bfe3ff", "#8fbf6a", "#c62828", ["#1565c0", "#ef6c00", "#6a1b9a", "#2e7d32"]),
    ("#ffe9c7", "#b08d57", "#ad1457", ["#00838f", "#5d4037", "#c62828", "#283593"]),
    ("#e0e0e0", "#9e9e9e", "#2e7d32", ["#d84315", "#1565c0", "#f9a825", "#4e342e"]),
    ("#d1c4e9", "#a1887f", "#1565c0", ["#c62828", "#00695c", "#ff8f00", "#37474f"]),
    ("#c8e6c9", "#6d4c41", "#ef6c00", ["#3949ab", "#8e24aa", "#00897b", "#c0ca33"]),
]


@lru_cache(maxsize=16)
def processed_scene(number: int):
    """The scene as stored; the demo loads once per test, so the work is done once."""
    from .photos import process

    return process(scene(number))


@lru_cache(maxsize=16)
def scene(number: int) -> bytes:
    """A JPEG of scene `number`; the same number always draws the same picture."""
    sky, ground, banner, shirts = SCENES[number % len(SCENES)]
    rng = random.Random(number)
    image = Image.new("RGB", SIZE, sky)
    draw = ImageDraw.Draw(image)
    width, height = SIZE
    horizon = int(height * (0.55 + 0.1 * rng.random()))
    draw.rectangle((0, horizon, width, height), fill=ground)
    # A building with windows behind the people, placed differently in every scene.
    left = rng.randint(0, width // 2)
    draw.rectangle((left, horizon - 260, left + 380, horizon), fill="#f5f5f5", outline="#616161",
                   width=3)
    for row in range(3):
        for col in range(4):
            x, y = left + 30 + col * 90, horizon - 230 + row * 70
            draw.rectangle((x, y, x + 50, y + 40), fill="#90caf9")
    # The activity's banner.
    top = rng.randint(40, 120)
    draw.rectangle((120, top, width - 120, top + 70), fill=banner)
    for i in range(10):
        x = 160 + i * 66
        draw.rectangle((x, top + 22, x + 40, top + 48), fill="#fff59d")
    # A table and people around it: the interaction 附件2 asks the photos to show.
    draw.rectangle((300, horizon + 40, 660, horizon + 90), fill="#8d6e63")
    for i in range(rng.randint(4, 7)):
        x = 140 + i * 110 + rng.randint(-15, 15)
        y = horizon + rng.randint(-10, 40)
        shirt = shirts[i % len(shirts)]
        draw.ellipse((x, y - 70, x + 44, y - 26), fill="#f1c27d", outline="#5d4037")
        draw.rounded_rectangle((x - 10, y - 24, x + 54, y + 70), radius=14, fill=shirt)
    if number % 2:
        draw.ellipse((width - 160, 30, width - 60, 130), fill="#fff176")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()
