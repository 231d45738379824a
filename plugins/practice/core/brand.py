"""The practice's colours: ``brand:`` in the profile, checked for contrast.

``brand.accent`` colours the buttons, the secondary buttons' text and the
highlights on the light scheme; ``brand.accent_dark`` does the same on the
dark scheme (without it the accent is used on both and must pass on both).
The text on a button is chosen here: white or near-black, whichever reads
better. Each colour must reach WCAG AA (4.5:1) against the page background
of its scheme and against its button text, or the build stops with one line
naming the field. The chosen colours become CSS custom properties appended
to the site's stylesheet (no inline styles, no extra request).
"""

import os
import re

# The theme's backgrounds (theme/static/css/site.css, --bg).
LIGHT_BG = "#fdfcfa"
DARK_BG = "#141819"
# Candidate text colours on a button.
BUTTON_TEXTS = ("#ffffff", "#0c1a19")
AA = 4.5
HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
KEYS = {"accent", "accent_dark"}
MARK_START = "/* ---- brand colours from the practice profile (practice.yaml brand:) */"
MARK_END = "/* ---- end of the brand colours */"


def _channel(value):
    """One sRGB channel (0-255), linearised as WCAG's relative luminance says."""
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour):
    """WCAG's relative luminance of a ``#rgb`` or ``#rrggbb`` colour.

    The definition (https://www.w3.org/TR/WCAG22/#dfn-relative-luminance)
    is a few lines of arithmetic, written out here rather than imported:
    a colour library costs every build 0.1-0.2 s of start-up for the four
    ratios it checks. ``tests/test_front_door.py`` compares the ratios with
    coloraide's.
    """
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    r, g, b = (_channel(int(digits[i:i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    """WCAG's contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((luminance(a), luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def button_text(accent):
    """White or near-black, whichever contrasts more with ``accent``."""
    return max(BUTTON_TEXTS, key=lambda text: contrast(accent, text))


def _colour(c, data, key):
    value = c.text(data, key, "brand", required=False)
    if value is not None and not HEX.match(value):
        c.fail(f"brand.{key}", f"{value!r} is not a colour like #1f5f5b (quote it in YAML)")
    return value


def _check(c, key, colour, background, scheme, hint=""):
    ratio = contrast(colour, background)
    if ratio < AA:
        c.fail(f"brand.{key}", f"{colour} has a contrast of {ratio:.1f}:1 on the {scheme} background "
               f"{background}; WCAG AA needs {AA}:1{hint}")
    text = button_text(colour)
    ratio = contrast(colour, text)
    if ratio < AA:
        c.fail(f"brand.{key}", f"{colour} has a contrast of {ratio:.1f}:1 with any button text "
               f"(white or near-black); WCAG AA needs {AA}:1")
    return {"accent": colour, "accent_text": text}


def load(c, data):
    """The checked brand colours, or None when the profile sets none."""
    if data is None:
        return None
    c.mapping(data, "brand")
    c.unknown_keys(data, KEYS, "brand")
    accent = _colour(c, data, "accent")
    accent_dark = _colour(c, data, "accent_dark")
    if accent is None and accent_dark is None:
        return None
    brand = {}
    if accent is not None:
        brand["light"] = _check(c, "accent", accent, LIGHT_BG, "light")
    if accent_dark is not None:
        brand["dark"] = _check(c, "accent_dark", accent_dark, DARK_BG, "dark")
    elif accent is not None:
        brand["dark"] = _check(c, "accent", accent, DARK_BG, "dark",
                               "; set brand.accent_dark for the dark scheme")
    return brand


def css(brand):
    """The custom properties for ``brand`` (both schemes, dark last)."""
    lines = [MARK_START]
    if "light" in brand:
        light = brand["light"]
        lines.append(f":root {{ --accent: {light['accent']}; --accent-text: {light['accent_text']}; }}")
    dark = brand["dark"]
    lines.append("@media (prefers-color-scheme: dark) {")
    lines.append(f"  :root {{ --accent: {dark['accent']}; --accent-text: {dark['accent_text']}; }}")
    lines.append("}")
    lines.append(MARK_END)
    return "\n".join(lines) + "\n"


def write(output_path, settings, brand):
    """Append the brand's properties to the built stylesheet (once)."""
    if not brand:
        return
    static = settings.get("THEME_STATIC_DIR", "theme")
    path = os.path.join(output_path, static, "css", "site.css")
    if not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as f:
        text = f.read()
    start = text.find(MARK_START)
    if start >= 0:
        text = text[:start]
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.rstrip("\n") + "\n\n" + css(brand))
