"""`make bench`: how long the site takes to build as it grows.

For each size in SIZES (default 100 1000 5000) it writes a synthetic blog of
that many realistic Markdown posts into a temporary folder and builds it

  (a) with stock Pelican: its default theme, no plugins, typogrify on, no cache;
  (b) with this project's full configuration (theme, plugins, checks, search
      index), through the same `practice.tools.build` a normal build uses;
  (c) again with (b)'s development cache after editing one post (warm rebuild).

(a) and (b) run alternately RUNS times (default 3); the report gives medians,
the peak memory of the site build and the size of its output. It prints a
table, writes bench/latest.json and draws bench/latest.svg.

Usage: python -m practice.tools.bench [--sizes 100 1000 5000] [--runs 3] [--out bench]
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The project: `make bench` runs in its folder.
ROOT = Path.cwd()
PY = sys.executable

WORDS = (
    "trust alliance session counselor client feelings week change family partner "
    "work sleep stress worry boundary message reply time plan goal progress talk "
    "listen notice habit support skill practice evening morning honest careful "
    "gentle small steady question answer moment return pause breath step"
).split()
CATEGORIES = ["Therapy basics", "Online counseling", "Relationships", "Everyday coping"]
TAGS = ["trust", "anxiety", "boundaries", "online counseling", "family", "sleep",
        "stress", "self-care", "first session", "relationships", "grief", "work"]


def sentence(rng, n=None):
    words = [rng.choice(WORDS) for _ in range(n or rng.randint(8, 18))]
    text = " ".join(words)
    flourish = rng.random()
    if flourish < 0.2:
        text = f'She said "{text}" and paused'
    elif flourish < 0.35:
        text = f"{text} -- and that's okay"
    elif flourish < 0.45:
        text = f"{text}... it's hard"
    return text[0].upper() + text[1:] + "."


def paragraph(rng):
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))


def post(rng, i, n_posts):
    day = 1 + (i % 28)
    month = 1 + (i // 28) % 12
    year = 2020 + (i // 336)
    tags = ", ".join(rng.sample(TAGS, 3))
    other = rng.randrange(n_posts)
    parts = [
        f"Title: Post {i}: {sentence(rng, 5)[:-1]}",
        f"Date: {year}-{month:02d}-{day:02d} 09:00",
        f"Reviewed: {year}-{month:02d}-{day:02d}",
        f"Category: {rng.choice(CATEGORIES)}",
        f"Tags: {tags}",
        f"Slug: post-{i}",
        f"Summary: {sentence(rng, 12)}",
        "",
        paragraph(rng),
        "",
    ]
    for h in range(rng.randint(3, 5)):
        parts += [f"## {sentence(rng, 4)[:-1]}", "", paragraph(rng), ""]
        kind = rng.random()
        if kind < 0.3:
            parts += [f"- {sentence(rng, 6)}" for _ in range(4)] + [""]
        elif kind < 0.5:
            parts += [f"> {paragraph(rng)}", ""]
        elif kind < 0.65:
            parts += [f"![A calm illustration for section {h}]({{static}}/images/bench-{h % 3}.png)", ""]
        parts += [f"See also [post {other}]({{filename}}/articles/post-{other}.md) and "
                  f"[a reference](https://example.org/ref/{i}/{h}).", ""]
    return "\n".join(parts)


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001a5f645400000000049454e44ae426082"
)


def write_posts(articles, images, n, seed=1):
    rng = random.Random(seed)
    articles.mkdir(parents=True, exist_ok=True)
    images.mkdir(parents=True, exist_ok=True)
    for i in range(3):
        (images / f"bench-{i}.png").write_bytes(PNG)
    for i in range(n):
        (articles / f"post-{i}.md").write_text(post(rng, i, n), encoding="utf-8")


STOCK_SETTINGS = """
AUTHOR = "Bench"
SITENAME = "Stock Pelican"
SITEURL = ""
PATH = "content"
ARTICLE_PATHS = ["articles"]
STATIC_PATHS = ["images"]
TIMEZONE = "America/Chicago"
TYPOGRIFY = True
PLUGINS = []
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = 10
"""


def make_stock(base, n):
    root = base / "stock"
    write_posts(root / "content" / "articles", root / "content" / "images", n)
    (root / "stock.py").write_text(STOCK_SETTINGS)
    return root


def make_site(base, n):
    root = base / "site"
    root.mkdir()
    # The plugin is the installed package (pip install -e .), as in the project.
    for name in ("theme",):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "content", root / "content",
                    ignore=shutil.ignore_patterns("articles", "__pycache__"))
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, root / name)
    write_posts(root / "content" / "articles", root / "content" / "images", n)
    return root


def timed(cmd, cwd):
    """Run a command; returns (seconds, peak RSS in MB of that process tree's largest member)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"bench: build failed in {cwd}:\n{err[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def stock_build(root):
    out = root / "output"
    shutil.rmtree(out, ignore_errors=True)
    return timed([PY, "-m", "pelican", "content", "-s", "stock.py", "-o", str(out),
                  "--ignore-cache", "-q"], root)


def site_build(root, cold=True):
    if cold:
        for stale in ("output", ".cache", "cache"):
            shutil.rmtree(root / stale, ignore_errors=True)
    return timed([PY, "-m", "practice.tools.build", "--settings", "pelicanconf.py",
                  "--output", "output", "--quiet"], root)


def folder_mb(path):
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file()) / 1e6


def edit_one_post(root):
    path = root / "content" / "articles" / "post-0.md"
    path.write_text(path.read_text() + "\nOne more sentence, added for the warm rebuild.\n")


def measure(n, runs, log):
    with tempfile.TemporaryDirectory(prefix=f"bench-{n}-") as tmp:
        base = Path(tmp)
        log(f"[{n} posts] writing synthetic content")
        stock_root, site_root = make_stock(base, n), make_site(base, n)
        stock_times, site_times, peaks = [], [], []
        for run in range(1, runs + 1):
            log(f"[{n} posts] run {run}/{runs}: stock Pelican ...")
            s, _ = stock_build(stock_root)
            stock_times.append(s)
            log(f"[{n} posts] run {run}/{runs}: stock {s:.2f}s; this site ...")
            t, peak = site_build(site_root, cold=True)
            site_times.append(t)
            peaks.append(peak)
            log(f"[{n} posts] run {run}/{runs}: site {t:.2f}s, peak {peak:.0f} MB")
        output_mb = folder_mb(site_root / "output")
        warm_times = []
        for run in range(1, runs + 1):
            edit_one_post(site_root)
            w, _ = site_build(site_root, cold=False)
            warm_times.append(w)
            log(f"[{n} posts] warm rebuild {run}/{runs}: {w:.2f}s")
    stock, site = statistics.median(stock_times), statistics.median(site_times)
    return {
        "posts": n,
        "stock_seconds": round(stock, 3),
        "site_seconds": round(site, 3),
        "ratio": round(site / stock, 3),
        "warm_seconds": round(statistics.median(warm_times), 3),
        "warm_fraction": round(statistics.median(warm_times) / site, 3),
        "peak_rss_mb": round(max(peaks), 1),
        "output_mb": round(output_mb, 2),
    }


def table(results):
    head = f"{'posts':>6} {'stock s':>8} {'site s':>8} {'ratio':>6} {'warm s':>7} {'peak MB':>8} {'output MB':>10}"
    rows = [head, "-" * len(head)]
    for r in results:
        rows.append(f"{r['posts']:>6} {r['stock_seconds']:>8.2f} {r['site_seconds']:>8.2f} "
                    f"{r['ratio']:>6.2f} {r['warm_seconds']:>7.2f} {r['peak_rss_mb']:>8.0f} "
                    f"{r['output_mb']:>10.1f}")
    return "\n".join(rows)


def svg_chart(results):
    """Seconds against posts for the three builds, as a small standalone SVG."""
    w, h, pad = 640, 400, 60
    xs = [r["posts"] for r in results]
    series = [("stock Pelican", "stock_seconds", "#6b7280"),
              ("this site", "site_seconds", "#1f5f5b"),
              ("warm rebuild", "warm_seconds", "#b34700")]
    ymax = max(max(r[k] for r in results) for _, k, _ in series) * 1.1 or 1
    xmax = max(xs) * 1.05 or 1

    def px(x):
        return pad + (w - 2 * pad) * x / xmax

    def py(y):
        return h - pad - (h - 2 * pad) * y / ymax

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" '
           f'aria-labelledby="t"><title id="t">Build time against number of posts</title>',
           f'<rect width="{w}" height="{h}" fill="#fff"/>',
           f'<line x1="{pad}" y1="{h - pad}" x2="{w - pad}" y2="{h - pad}" stroke="#333"/>',
           f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{h - pad}" stroke="#333"/>',
           f'<text x="{w / 2}" y="{h - 15}" text-anchor="middle" font-size="13">posts</text>',
           f'<text x="15" y="{h / 2}" font-size="13" transform="rotate(-90 15 {h / 2})" '
           f'text-anchor="middle">seconds (median)</text>']
    for x in xs:
        out.append(f'<text x="{px(x):.1f}" y="{h - pad + 18}" text-anchor="middle" font-size="11">{x}</text>')
    for i in range(5):
        y = ymax * i / 4
        out.append(f'<text x="{pad - 8}" y="{py(y) + 4:.1f}" text-anchor="end" font-size="11">{y:.1f}</text>')
    for idx, (label, key, colour) in enumerate(series):
        points = " ".join(f"{px(r['posts']):.1f},{py(r[key]):.1f}" for r in results)
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
        for r in results:
            out.append(f'<circle cx="{px(r["posts"]):.1f}" cy="{py(r[key]):.1f}" r="3" fill="{colour}"/>')
        out.append(f'<text x="{pad + 10}" y="{pad + 16 * idx}" font-size="12" fill="{colour}">{label}</text>')
    out.append("</svg>")
    return "\n".join(out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int,
                        default=[int(s) for s in os.environ.get("SIZES", "100 1000 5000").split()])
    parser.add_argument("--runs", type=int, default=int(os.environ.get("RUNS", 3)))
    parser.add_argument("--out", default=str(ROOT / "bench"))
    args = parser.parse_args(argv)

    def log(message):
        print(message, file=sys.stderr, flush=True)

    results = [measure(n, args.runs, log) for n in args.sizes]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / "latest.svg").write_text(svg_chart(results) + "\n")
    print(table(results))
    print(f"\nwrote {out / 'latest.json'} and {out / 'latest.svg'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
