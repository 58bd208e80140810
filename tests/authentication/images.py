"""Real image files for avatar tests, made with Pillow (and zlib for the decompression bomb)."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def image_bytes(
    fmt="JPEG", size=(800, 600), color=(200, 30, 30), mode="RGB", **save_kwargs
) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, format=fmt, **save_kwargs)
    return out.getvalue()


def jpeg_with_gps_exif() -> bytes:
    """A photo as a phone writes it: camera make and the place it was taken."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "SecretPhone 9"  # Model
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (40.0, 25.0, 6.0)  # latitude
    gps[3] = "W"
    gps[4] = (3.0, 42.0, 11.0)  # longitude
    return image_bytes("JPEG", exif=exif.tobytes())


def jpeg_rotated_by_exif() -> bytes:
    """Stored landscape (left red, right blue) with Orientation=6: shown rotated 90° clockwise,
    so the red half is on top."""
    image = Image.new("RGB", (200, 100), (255, 0, 0))
    image.paste((0, 0, 255), (100, 0, 200, 100))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), quality=95)
    return out.getvalue()


def transparent_png() -> bytes:
    return image_bytes("PNG", size=(64, 64), color=(0, 0, 0, 0), mode="RGBA")


def animated_gif() -> bytes:
    frames = [Image.new("P", (64, 64), i * 40) for i in range(3)]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A genuine, well-formed 1-bit PNG of `width` × `height` white pixels: tens of KB on disk,
    hundreds of megapixels once decoded."""
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", data)
        + _png_chunk(b"IEND", b"")
    )


def oversized_jpeg(limit: int = 5 * 1024 * 1024) -> bytes:
    """A valid JPEG just over the limit (JPEG readers ignore what follows the end marker)."""
    data = image_bytes("JPEG")
    return data + b"\x00" * (limit + 1 - len(data))


def upload(data: bytes, name: str = "avatar.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)
