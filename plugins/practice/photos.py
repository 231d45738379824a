"""Clinicians' photos: one source file each, served as AVIF, WebP and JPEG.

The profile names a photo per clinician (``photo:``, a file under content/,
with its ``photo_alt``). Each build makes it into the three formats at a few
widths (never wider than the source), so a phone downloads a small AVIF and
an old browser still gets a JPEG. The encoded files are kept in the cache
folder, keyed by the source's bytes and name, the widths and Pillow's
version, and copied into the output: a rebuild does not encode again. The encoding (about
0.3 s of Pillow's AVIF encoder per photo, at its speed 7: a third less CPU
than its default 6 and files no larger) runs on a thread of its own
from the first generator on, while Pelican reads the articles on the other
core; :func:`copy` waits for it at the end of the build.

Templates get, per photo: ``src`` (the JPEG of the middle width), ``width``
and ``height`` (its size, so the page keeps the space and nothing moves),
``sources`` (``type`` and ``srcset`` for ``<source>``) and ``alt``.
"""

import hashlib
import os
import shutil
import threading

import PIL
# The three formats' plugins by name: Pillow then finds what it saves to
# without importing every one of its image plugins (about 0.1 s).
from PIL import AvifImagePlugin, Image, ImageOps, JpegImagePlugin, WebPImagePlugin  # noqa: F401

from .core.errors import ContentError

WIDTHS = (160, 320, 640)
FORMATS = (  # (extension, MIME type, Pillow format, save options), best first
    ("avif", "image/avif", "AVIF", {"quality": 55, "speed": 7}),
    ("webp", "image/webp", "WEBP", {"quality": 75, "method": 6}),
    ("jpg", "image/jpeg", "JPEG", {"quality": 80, "optimize": True, "progressive": True}),
)
OUTPUT_DIR = "photos"


def _key(data, stem):
    """The cache folder of a photo: its bytes, the names its files get (a
    photo renamed is the same bytes under new names), the widths, the
    formats and Pillow's version."""
    h = hashlib.sha256(data)
    h.update(repr((stem, WIDTHS, FORMATS, PIL.__version__)).encode())
    return h.hexdigest()[:16]


def prepare(practice, settings, profile_file):
    """Encode every clinician's photo into the cache; add what templates need.

    Returns the list of (cached file, output name) to copy into the output.
    """
    files = []
    # In the cache folder itself (markup.cache_root), not in the reader
    # cache's keyed folder inside it: a new reader key must not re-encode.
    root = settings.get("PRACTICE_CACHE_ROOT") or settings.get("CACHE_PATH", "cache")
    cache = os.path.join(root, "photos")
    siteurl = settings.get("SITEURL", "")
    for i, clinician in enumerate(practice["clinicians"]):
        photo = clinician.get("photo")
        if not photo:
            continue
        field = f"clinicians[{i}].photo"
        source = os.path.join(settings["PATH"], photo["file"])
        try:
            with open(source, "rb") as f:
                data = f.read()
        except OSError:
            raise ContentError(profile_file, field, f"{photo['file']!r}: no such file in content/") from None
        stem = os.path.splitext(os.path.basename(photo["file"]))[0].lower().replace(" ", "-")
        folder = os.path.join(cache, _key(data, stem))
        problem = f"{photo['file']!r} is not an image Pillow can read"
        try:
            sizes = _encode(source, folder, stem, (profile_file, field, problem))
        except (OSError, Image.DecompressionBombError, ValueError) as exc:
            raise ContentError(profile_file, field, f"{problem} ({exc})") from None
        url = f"{siteurl}/{OUTPUT_DIR}"
        photo["sources"] = [
            {"type": mime, "srcset": ", ".join(f"{url}/{stem}-{w}.{ext} {w}w" for w, _h in sizes)}
            for ext, mime, _fmt, _opts in FORMATS[:-1]
        ]
        middle_w, middle_h = sizes[min(1, len(sizes) - 1)]
        photo["src"] = f"{url}/{stem}-{middle_w}.jpg"
        photo["srcset"] = ", ".join(f"{url}/{stem}-{w}.jpg {w}w" for w, _h in sizes)
        photo["width"], photo["height"] = middle_w, middle_h
        for w, _h in sizes:
            for ext, *_ in FORMATS:
                name = f"{stem}-{w}.{ext}"
                files.append((os.path.join(folder, name), name))
    return files


class _Encoding(threading.Thread):
    """The widths and formats of one photo, written into its cache folder."""

    def __init__(self, rgb, sizes, folder, stem, where):
        super().__init__(name=f"photo {stem}", daemon=True)
        self.rgb, self.sizes, self.folder, self.stem, self.where = rgb, sizes, folder, stem, where
        self.error = None

    def run(self):
        try:
            os.makedirs(self.folder, exist_ok=True)
            for w, h in self.sizes:
                resized = self.rgb.resize((w, h), Image.LANCZOS)
                for ext, _mime, fmt, opts in FORMATS:
                    resized.save(os.path.join(self.folder, f"{self.stem}-{w}.{ext}"), fmt, **opts)
            open(os.path.join(self.folder, ".complete"), "w").close()
        except (OSError, ValueError) as exc:
            self.error = exc


_ENCODING = []  # the encodings started and not yet waited for


def _encode(source, folder, stem, where):
    """The sizes of ``source``'s widths; starts writing them into ``folder``
    (unless there) on a thread of its own."""
    with Image.open(source) as img:
        img = ImageOps.exif_transpose(img)
        width, height = img.size
        widths = [w for w in WIDTHS if w <= width] or [width]
        sizes = [(w, round(height * w / width)) for w in widths]
        if (os.path.exists(os.path.join(folder, ".complete"))
                or any(job.folder == folder for job in _ENCODING)):
            return sizes
        rgb = img.convert("RGB")
    job = _Encoding(rgb, sizes, folder, stem, where)
    job.start()
    _ENCODING.append(job)
    return sizes


def wait():
    """Wait for the encodings started; a failure is one ``ContentError``."""
    while _ENCODING:
        job = _ENCODING.pop(0)
        job.join()
        if job.error is not None:
            profile_file, field, problem = job.where
            raise ContentError(profile_file, field, f"{problem} ({job.error})")


def copy(files, output_path):
    wait()
    folder = os.path.join(output_path, OUTPUT_DIR)
    os.makedirs(folder, exist_ok=True)
    for cached, name in files:
        shutil.copyfile(cached, os.path.join(folder, name))
