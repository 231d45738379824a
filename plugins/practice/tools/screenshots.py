"""`make screenshots`: pictures of the key pages, so anyone sees the design
without building the site.

Builds the site (development settings) into a scratch folder, serves it on
a free loopback port and photographs, in Debian's Chromium through
Playwright, each page at 375 px (a phone) and 1280 px, in the light and the
dark scheme, into docs/screenshots/NAME-WIDTH-SCHEME.png (the whole page).
The eligibility check is shown at the outcome that leads to the request
page, reached by answering its questions in the browser.

    python -m practice.tools.screenshots [--out docs/screenshots] [--site built-output]

(run in the project's folder, as `make screenshots` does).
"""

import argparse
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path.cwd()
WIDTHS = {375: 812, 1280: 900}
SCHEMES = ("light", "dark")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Which outcome the eligibility screenshot shows: a path (computed in the
# page from the rules it carries) to the first outcome that is not a crisis
# and links the request page.
ANSWER_TO_REQUEST = """() => {
  const rules = JSON.parse(document.getElementById('screener-rules').textContent);
  const outcomes = [...document.querySelectorAll('[data-outcome]')];
  const wanted = outcomes.filter(o => !o.classList.contains('is-crisis')
      && o.querySelector('a[href$="/intake/"]')).map(o => o.dataset.outcome);
  // Every path to such an outcome; the longest (the most questions passed),
  // then the outcome listed last, is the one shown.
  let best = [], bestRank = -1;
  const walk = (id, path, seen) => {
    if (seen.has(id)) return;
    for (const [value, next] of Object.entries(rules.questions[id] || {})) {
      const step = path.concat([[id, value]]);
      if (wanted.includes(next)) {
        const rank = step.length * 1000 + wanted.indexOf(next);
        if (rank > bestRank) { best = step; bestRank = rank; }
      } else if (rules.questions[next]) {
        walk(next, step, new Set([...seen, id]));
      }
    }
  };
  walk(rules.start, [], new Set());
  return best;
}"""


PAGES_WANTED = set()


def pages(site):
    """name -> URL path of each page photographed."""
    found = _pages(site)
    return {k: v for k, v in found.items() if not PAGES_WANTED or k in PAGES_WANTED}


def _pages(site):
    articles = sorted((site / "blog").glob("*/index.html"))
    article = next((p for p in articles if p.parent.name != "page"), None)
    found = {"home": "/"}
    if article:
        found["article"] = f"/blog/{article.parent.name}/"
    for slug in ("about", "services", "fees", "eligibility", "intake", "thank-you", "crisis"):
        if (site / slug / "index.html").is_file():
            found[slug] = f"/{slug}/"
    return found


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory):
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def build(out):
    result = subprocess.run([sys.executable, "-m", "practice.tools.build", "--settings",
                             "pelicanconf.py", "--output", str(out), "--quiet"],
                            cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        sys.exit(result.returncode)


def chromium():
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        sys.exit("error: Chromium not found: run `sh tools/ensure-chromium.sh` or set CHROMIUM")
    return path


def shoot(site, out_dir):
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    server = serve(site)
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    written = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium(), headless=True, args=ARGS)
            for width, height in WIDTHS.items():
                for scheme in SCHEMES:
                    ctx = browser.new_context(viewport={"width": width, "height": height},
                                              color_scheme=scheme, reduced_motion="reduce",
                                              is_mobile=width < 600, has_touch=width < 600,
                                              device_scale_factor=1)
                    page = ctx.new_page()
                    for name, url in pages(site).items():
                        page.goto(origin + url)
                        page.wait_for_load_state("load")
                        if name == "eligibility":
                            for question, value in page.evaluate(ANSWER_TO_REQUEST):
                                page.check(f'input[name="{question}"][value="{value}"]')
                            # The whole page is taken: from its top, where
                            # the sticky "Exit this page" bar belongs.
                            page.evaluate("window.scrollTo(0, 0)")
                        path = out_dir / f"{name}-{width}-{scheme}.png"
                        page.screenshot(path=str(path), full_page=True)
                        written.append(path)
                    ctx.close()
            browser.close()
    finally:
        server.shutdown()
    _shrink(written)
    return written


def _shrink(paths):
    """Store the pictures with a 256-colour palette: a tenth of the size, and
    text and colours still read as on screen."""
    from PIL import Image

    for path in paths:
        with Image.open(path) as img:
            small = img.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        small.save(path, optimize=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--site", help="an already built output folder (default: build one)")
    parser.add_argument("--pages", help="only these pages, comma-separated (home,article,...)")
    parser.add_argument("--widths", help="only these widths, comma-separated (375,1280)")
    args = parser.parse_args(argv)
    if args.pages:
        PAGES_WANTED.update(args.pages.split(","))
    if args.widths:
        for width in list(WIDTHS):
            if str(width) not in args.widths.split(","):
                del WIDTHS[width]
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        site = Path(args.site) if args.site else Path(tmp) / "output"
        if not args.site:
            build(site)
        written = shoot(site, Path(args.out))
    for path in written:
        print(os.path.relpath(path, ROOT))


if __name__ == "__main__":
    main()
