"""Draw the demo practice's portrait: a flat illustration, plainly not a photo
of a real person, so nobody mistakes the demo clinician for someone real.

    python -m practice.tools.portrait content/images/clinician-illustration.png

A practice replaces the file with its own photo (and its alt text in
practice.yaml). The drawing is made at four times the size and scaled down,
which smooths its edges.
"""

import sys

from PIL import Image, ImageDraw, ImageFilter

W, H = 800, 1000
S = 4  # supersampling

BACKGROUND = (222, 233, 226)
BACKGROUND_RING = (203, 221, 212)
SWEATER = (47, 104, 99)
COLLAR = (236, 230, 218)
SKIN = (214, 164, 128)
SKIN_SHADE = (193, 142, 108)
HAIR = (72, 52, 44)
FEATURE = (60, 42, 36)
CHEEK = (222, 146, 120)
GLASSES = (52, 58, 64)


def box(x0, y0, x1, y1):
    return [x0 * S, y0 * S, x1 * S, y1 * S]


def draw():
    img = Image.new("RGB", (W * S, H * S), BACKGROUND)
    d = ImageDraw.Draw(img)
    # A soft circle behind the figure.
    d.ellipse(box(90, 120, 710, 740), fill=BACKGROUND_RING)
    # Shoulders and sweater.
    d.rounded_rectangle(box(70, 690, 730, 1200), radius=170 * S, fill=SWEATER)
    # Neck, and the shirt collar around it.
    d.polygon([(320 * S, 690 * S), (480 * S, 690 * S), (400 * S, 790 * S)], fill=COLLAR)
    d.rectangle(box(352, 560, 448, 700), fill=SKIN_SHADE)
    d.polygon([(352 * S, 690 * S), (448 * S, 690 * S), (400 * S, 760 * S)], fill=SKIN_SHADE)
    # Hair behind the head.
    d.ellipse(box(245, 215, 555, 560), fill=HAIR)
    d.rounded_rectangle(box(255, 390, 545, 610), radius=40 * S, fill=HAIR)
    # Ears and face.
    d.ellipse(box(262, 400, 312, 480), fill=SKIN_SHADE)
    d.ellipse(box(488, 400, 538, 480), fill=SKIN_SHADE)
    d.ellipse(box(285, 270, 515, 620), fill=SKIN)
    # Fringe: a sweep of hair across the forehead.
    d.chord(box(270, 215, 540, 430), start=180, end=360, fill=HAIR)
    d.polygon([(270 * S, 322 * S), (400 * S, 300 * S), (330 * S, 380 * S)], fill=HAIR)
    # Eyes, brows and glasses.
    for cx in (355, 445):
        d.ellipse(box(cx - 9, 438, cx + 9, 456), fill=FEATURE)
        d.arc(box(cx - 30, 395, cx + 30, 430), start=200, end=340, fill=FEATURE, width=6 * S)
        d.rounded_rectangle(box(cx - 38, 418, cx + 38, 478), radius=18 * S, outline=GLASSES, width=5 * S)
    d.line([(393 * S, 440 * S), (407 * S, 440 * S)], fill=GLASSES, width=5 * S)
    # Nose, cheeks and a small, calm smile.
    d.arc(box(388, 460, 412, 520), start=300, end=80, fill=SKIN_SHADE, width=6 * S)
    d.ellipse(box(318, 500, 358, 530), fill=CHEEK)
    d.ellipse(box(442, 500, 482, 530), fill=CHEEK)
    d.arc(box(360, 510, 440, 565), start=20, end=160, fill=FEATURE, width=6 * S)
    img = img.filter(ImageFilter.GaussianBlur(S / 2))
    return img.resize((W, H), Image.LANCZOS)


def main(argv):
    if len(argv) != 1:
        sys.exit("usage: python -m practice.tools.portrait OUTPUT.png")
    draw().save(argv[0], optimize=True)


if __name__ == "__main__":
    main(sys.argv[1:])
