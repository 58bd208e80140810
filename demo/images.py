"""Pictures for the demo pages, drawn with Pillow (no internet): soft gradients with simple shapes,
each picture the same on every run. Saved as Wagtail images in the root collection."""

from __future__ import annotations

import io
import random

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter
from wagtail.images import get_image_model
from wagtail.models import Collection

PALETTES = {
    "teal": ((16, 94, 98), (120, 200, 190), (250, 214, 120)),
    "coral": ((180, 70, 60), (250, 160, 120), (255, 236, 200)),
    "indigo": ((40, 44, 110), (110, 120, 220), (240, 200, 90)),
    "green": ((30, 100, 60), (140, 200, 120), (250, 240, 190)),
    "plum": ((90, 40, 90), (200, 120, 180), (255, 220, 160)),
    "sand": ((120, 90, 50), (220, 190, 130), (90, 150, 170)),
}


def draw_picture(seed: str, palette: str, size: tuple[int, int] = (1600, 900)) -> bytes:
    """A JPEG: a diagonal gradient between the palette's first two colours, with circles, bars
    and a 'desk' band in the third. The same seed always gives the same picture."""
    rng = random.Random(seed)  # noqa: S311 (decoration, not security)
    dark, light, accent = PALETTES[palette]
    width, height = size
    image = PILImage.new("RGB", size, dark)
    draw = ImageDraw.Draw(image)
    steps = 64
    for i in range(steps):
        t = i / (steps - 1)
        colour = tuple(round(d + (lt - d) * t) for d, lt in zip(dark, light, strict=True))
        x0 = round(-height + (width + height) * i / steps)
        draw.polygon(
            [
                (x0, 0),
                (x0 + (width + height) // steps + 2, 0),
                (x0 + 2, height),
                (x0 - height, height),
            ],
            fill=colour,
        )
    for _ in range(7):
        r = rng.randint(height // 12, height // 4)
        cx, cy = rng.randint(0, width), rng.randint(0, height)
        tint = tuple(min(255, c + rng.randint(0, 40)) for c in accent)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=tint)
    image = image.filter(ImageFilter.GaussianBlur(radius=height // 40))
    draw = ImageDraw.Draw(image)
    desk_top = round(height * 0.72)
    draw.rectangle((0, desk_top, width, height), fill=tuple(c // 2 for c in dark))
    x = round(width * 0.12)
    for _ in range(rng.randint(3, 6)):  # books on the desk
        w, h = rng.randint(40, 90), rng.randint(height // 6, height // 3)
        colour = rng.choice([accent, light, (245, 245, 240)])
        draw.rectangle((x, desk_top - h, x + w, desk_top), fill=colour, outline=dark, width=3)
        x += w + rng.randint(4, 16)
    sx = round(width * 0.6)  # a screen
    draw.rounded_rectangle(
        (sx, round(height * 0.3), sx + round(width * 0.28), desk_top - 20),
        radius=18,
        fill=(250, 250, 247),
        outline=dark,
        width=6,
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue()


def demo_image(title: str, *, palette: str, description: str, size=(1600, 900)):
    """The Wagtail image with this title, drawn and saved the first time."""
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    data = draw_picture(title, palette, size)
    filename = "demo-" + "".join(c if c.isalnum() else "-" for c in title.lower())[:60] + ".jpg"
    image = Image(
        title=title,
        description=description,
        collection=Collection.get_first_root_node(),
        file=ImageFile(io.BytesIO(data), name=filename),
    )
    image.save()
    return image
