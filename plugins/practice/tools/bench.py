"""`make bench`: how long the site takes to build, against stock Pelican.

For each size in SIZES (default 100 1000) it writes a synthetic blog of that
many realistic Markdown posts (plus the demo's own few articles, which the
practice's pages link to) into a temporary folder and builds it

  (a) with stock Pelican: its default theme, no plugins, typogrify on;
  (b) with this project's full configuration (theme, plugins, checks, search
      index), through the same `practice.tools.build` a normal build uses;
  (p) the same with READ_WORKERS = 2 (Markdown read by the build and one
      worker process, see plugins/practice/parallel_read.py);

all cold: no content cache is read or written on either side (Pelican's
CACHE_CONTENT and LOAD_CONTENT_CACHE off), both with the same Python and the
same Pelican. (a), (b) and (p) run in turn RUNS times (default 3). Each run
records wall time and CPU time (user + system, of the build and every program
it ran, Pagefind included); the report gives medians, the ratios of (b) and (p) to
(a) with their spread over the runs, the phase timings of (b) and (p) (where its time
goes: ``PHASE_TIMES``, plugins/practice/phases.py), and (c) a warm rebuild
with the development cache after editing one post. The machine and its load
average before and after are recorded: on a shared machine the spread says
how far to trust the figures.

The default sizes with 3 or more runs write bench/latest.json and
bench/latest.svg (the committed figures); any other run writes to
bench/work/ (a scratch folder, not committed) unless --out is given.

Usage: python -m practice.tools.bench [--sizes 100 1000] [--runs 3] [--out DIR]
"""

import argparse
import json
import os
import random
import re
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


def add_demo_articles(content):
    """The demo's own articles (and their images) on both sides: the practice's
    pages link to them, and each side then builds the same articles."""
    for name in ("articles", "images"):
        shutil.copytree(ROOT / "content" / name, content / name, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))


def make_stock(base, n):
    root = base / "stock"
    add_demo_articles(root / "content")
    write_posts(root / "content" / "articles", root / "content" / "images", n)
    (root / "stock.py").write_text(STOCK_SETTINGS)
    return root


COLD_SETTINGS = """\
from pelicanconf import *  # noqa: F401,F403

# Cold, as stock Pelican is measured: no content cache read or written.
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
PHASE_TIMES = "phases.json"
"""

PARALLEL_SETTINGS = """\
from cold import *  # noqa: F401,F403

# The same cold build, Markdown read by the build and one worker process.
READ_WORKERS = 2
"""


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
    (root / "cold.py").write_text(COLD_SETTINGS)
    (root / "parallel.py").write_text(PARALLEL_SETTINGS)
    add_demo_articles(root / "content")
    write_posts(root / "content" / "articles", root / "content" / "images", n)
    # The practice's pages and offers may link to its own articles, which the
    # synthetic posts replace: point those links at a synthetic post (a link
    # to a missing file stops the build).
    for path in list((root / "content").rglob("*.md")):
        if path.parent.name == "articles":
            continue
        text = path.read_text(encoding="utf-8")
        fixed = re.sub(r"\{filename\}/?articles/[^)\s\"'>#]+\.md", "{filename}/articles/post-0.md", text)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")
    return root


def timed(cmd, cwd):
    """Run a command; returns (wall seconds, CPU seconds, peak RSS in MB).

    CPU is user + system time of the process and of every child it waited
    for (Pagefind's binary included); peak RSS is the largest such process.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"bench: build failed in {cwd}:\n{err[-2000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def stock_build(root):
    out = root / "output"
    shutil.rmtree(out, ignore_errors=True)
    return timed([PY, "-m", "pelican", "content", "-s", "stock.py", "-o", str(out),
                  "--ignore-cache", "-q"], root)


def site_build(root, cold=True, settings="cold.py"):
    """(b) cold with cold.py, (p) cold with parallel.py, or (c) warm with the
    development settings and cache."""
    shutil.rmtree(root / "output", ignore_errors=True)
    if cold:
        shutil.rmtree(root / "cache", ignore_errors=True)
    return timed([PY, "-m", "practice.tools.build", "--settings", settings if cold else "pelicanconf.py",
                  "--output", "output", "--quiet"], root)


def phase_marks(root, wall, cpu):
    """The phase marks of the build just run, from its start (start-up first)."""
    marks = json.loads((root / "phases.json").read_text())
    # Before the first mark: starting Python, imports, settings, the profile.
    lead_wall, lead_cpu = wall - marks[-1][1], cpu - marks[-1][2]
    return [["start-up (Python, imports, settings)", lead_wall, lead_cpu]] + [
        [step, w + lead_wall, c + lead_cpu] for step, w, c in marks]


def folder_mb(path):
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file()) / 1e6


def edit_one_post(root):
    path = root / "content" / "articles" / "post-0.md"
    path.write_text(path.read_text() + "\nOne more sentence, added for the warm rebuild.\n")


def median_phases(runs):
    """Per step, the median of each run's wall and CPU seconds spent in it."""
    steps = [step for step, _, _ in runs[0]]
    if any([step for step, _, _ in r] != steps for r in runs):
        return []
    out = []
    for i, step in enumerate(steps):
        walls = [r[i][1] - (r[i - 1][1] if i else 0) for r in runs]
        cpus = [r[i][2] - (r[i - 1][2] if i else 0) for r in runs]

        out.append({"step": step, "wall": round(statistics.median(walls), 2),
                    "cpu": round(statistics.median(cpus), 2)})
    return out


def measure(n, runs, log):
    with tempfile.TemporaryDirectory(prefix=f"bench-{n}-") as tmp:
        base = Path(tmp)
        log(f"[{n} posts] writing synthetic content")
        stock_root, site_root = make_stock(base, n), make_site(base, n)
        stock, site, peaks, phases = [], [], [], []
        parallel, parallel_phases = [], []
        for run in range(1, runs + 1):
            log(f"[{n} posts] run {run}/{runs}: stock Pelican ...")
            wall, cpu, _ = stock_build(stock_root)
            stock.append((wall, cpu))
            log(f"[{n} posts] run {run}/{runs}: stock {wall:.2f}s wall, {cpu:.2f}s CPU; this site ...")
            wall, cpu, peak = site_build(site_root, cold=True)
            site.append((wall, cpu))
            peaks.append(peak)
            phases.append(phase_marks(site_root, wall, cpu))
            log(f"[{n} posts] run {run}/{runs}: site {wall:.2f}s wall, {cpu:.2f}s CPU, "
                f"peak {peak:.0f} MB; READ_WORKERS=2 ...")
            wall, cpu, _ = site_build(site_root, cold=True, settings="parallel.py")
            parallel.append((wall, cpu))
            parallel_phases.append(phase_marks(site_root, wall, cpu))
            log(f"[{n} posts] run {run}/{runs}: READ_WORKERS=2 {wall:.2f}s wall, {cpu:.2f}s CPU")
        output_mb = folder_mb(site_root / "output")
        site_build(site_root, cold=False)  # fills the development cache
        warm = []
        for run in range(1, runs + 1):
            edit_one_post(site_root)
            wall, _, _ = site_build(site_root, cold=False)
            warm.append(wall)
            log(f"[{n} posts] warm rebuild {run}/{runs}: {wall:.2f}s")

    def med(values):
        return statistics.median(values)

    wall_ratios = [s[0] / t[0] for s, t in zip(site, stock)]
    cpu_ratios = [s[1] / t[1] for s, t in zip(site, stock)]
    par_wall_ratios = [s[0] / t[0] for s, t in zip(parallel, stock)]
    par_cpu_ratios = [s[1] / t[1] for s, t in zip(parallel, stock)]
    stock_wall, site_wall = med([w for w, _ in stock]), med([w for w, _ in site])
    stock_cpu, site_cpu = med([c for _, c in stock]), med([c for _, c in site])
    par_wall, par_cpu = med([w for w, _ in parallel]), med([c for _, c in parallel])
    return {
        "posts": n,
        "runs": runs,
        "stock_seconds": round(stock_wall, 3),
        "site_seconds": round(site_wall, 3),
        "ratio": round(site_wall / stock_wall, 3),
        "stock_cpu_seconds": round(stock_cpu, 3),
        "site_cpu_seconds": round(site_cpu, 3),
        "cpu_ratio": round(site_cpu / stock_cpu, 3),
        "wall_ratio_range": [round(min(wall_ratios), 3), round(max(wall_ratios), 3)],
        "cpu_ratio_range": [round(min(cpu_ratios), 3), round(max(cpu_ratios), 3)],
        "stock_wall_runs": [round(w, 2) for w, _ in stock],
        "site_wall_runs": [round(w, 2) for w, _ in site],
        "warm_seconds": round(med(warm), 3),
        "warm_fraction": round(med(warm) / site_wall, 3),
        "peak_rss_mb": round(max(peaks), 1),
        "output_mb": round(output_mb, 2),
        "phases": median_phases(phases),
        "parallel_seconds": round(par_wall, 3),
        "parallel_ratio": round(par_wall / stock_wall, 3),
        "parallel_cpu_seconds": round(par_cpu, 3),
        "parallel_cpu_ratio": round(par_cpu / stock_cpu, 3),
        "parallel_wall_ratio_range": [round(min(par_wall_ratios), 3), round(max(par_wall_ratios), 3)],
        "parallel_cpu_ratio_range": [round(min(par_cpu_ratios), 3), round(max(par_cpu_ratios), 3)],
        "parallel_wall_runs": [round(w, 2) for w, _ in parallel],
        "parallel_phases": median_phases(parallel_phases),
    }


def machine():
    """What the figures were measured on."""
    import platform
    from importlib.metadata import version

    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next((line.split(":", 1)[1].strip() for line in f
                          if line.startswith("model name")), "")
    except OSError:
        pass
    return {"cpu": model, "cores": os.cpu_count(), "python": platform.python_version(),
            "pelican": version("pelican"), "markdown": version("markdown"),
            "typogrify": version("typogrify"),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def table(results):
    head = (f"{'posts':>6} {'stock s':>8} {'site s':>8} {'wall x':>7} {'(range)':>13} "
            f"{'stock CPU':>9} {'site CPU':>9} {'CPU x':>6} {'(range)':>13} {'warm s':>7} "
            f"{'peak MB':>8} {'output MB':>10}")
    rows = [head, "-" * len(head)]
    for r in results:
        wr, cr = r["wall_ratio_range"], r["cpu_ratio_range"]
        rows.append(f"{r['posts']:>6} {r['stock_seconds']:>8.2f} {r['site_seconds']:>8.2f} "
                    f"{r['ratio']:>7.2f} {f'{wr[0]:.2f}-{wr[1]:.2f}':>13} "
                    f"{r['stock_cpu_seconds']:>9.2f} {r['site_cpu_seconds']:>9.2f} "
                    f"{r['cpu_ratio']:>6.2f} {f'{cr[0]:.2f}-{cr[1]:.2f}':>13} "
                    f"{r['warm_seconds']:>7.2f} {r['peak_rss_mb']:>8.0f} {r['output_mb']:>10.1f}")
    rows += ["", "this site, READ_WORKERS=2 (Markdown read by the build and one worker), cold:",
             f"{'posts':>6} {'stock s':>8} {'site s':>8} {'wall x':>7} {'(range)':>13} "
             f"{'stock CPU':>9} {'site CPU':>9} {'CPU x':>6} {'(range)':>13}"]
    for r in results:
        wr, cr = r["parallel_wall_ratio_range"], r["parallel_cpu_ratio_range"]
        rows.append(f"{r['posts']:>6} {r['stock_seconds']:>8.2f} {r['parallel_seconds']:>8.2f} "
                    f"{r['parallel_ratio']:>7.2f} {f'{wr[0]:.2f}-{wr[1]:.2f}':>13} "
                    f"{r['stock_cpu_seconds']:>9.2f} {r['parallel_cpu_seconds']:>9.2f} "
                    f"{r['parallel_cpu_ratio']:>6.2f} {f'{cr[0]:.2f}-{cr[1]:.2f}':>13}")
    for r in results:
        if r["phases"]:
            other = {p["step"]: p for p in r.get("parallel_phases") or []}
            rows += ["", f"where this site's time goes at {r['posts']} posts (median seconds):",
                     f"  {'step':<44} {'wall':>6} {'CPU':>6}   {'READ_WORKERS=2 wall':>19} {'CPU':>6}"]
            for p in r["phases"]:
                q = other.get(p["step"])
                rest = f"   {q['wall']:>19.2f} {q['cpu']:>6.2f}" if q else ""
                rows.append(f"  {p['step']:<44} {p['wall']:>6.2f} {p['cpu']:>6.2f}{rest}")
    return "\n".join(rows)


def svg_chart(results):
    """Seconds against posts for the four builds, as a small standalone SVG."""
    w, h, pad = 640, 400, 60
    xs = [r["posts"] for r in results]
    series = [("stock Pelican", "stock_seconds", "#6b7280"),
              ("this site", "site_seconds", "#1f5f5b"),
              ("this site, READ_WORKERS=2", "parallel_seconds", "#5b3f8f"),
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


DEFAULT_SIZES = [100, 1000]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=DEFAULT_SIZES)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", default=None,
                        help="where to write latest.json and latest.svg (default: bench/ "
                             "for the default sizes and 3+ runs, else bench/work/)")
    args = parser.parse_args(argv)

    def log(message):
        print(message, file=sys.stderr, flush=True)

    if args.out:
        out = Path(args.out)
    elif sorted(args.sizes) == DEFAULT_SIZES and args.runs >= 3:
        out = ROOT / "bench"
    else:
        out = ROOT / "bench" / "work"
    before = os.getloadavg()
    results = [measure(n, args.runs, log) for n in args.sizes]
    report = {"machine": dict(machine(), load_before=[round(x, 2) for x in before],
                              load_after=[round(x, 2) for x in os.getloadavg()]),
              "results": results}
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    (out / "latest.svg").write_text(svg_chart(results) + "\n")
    print(table(results))
    m = report["machine"]
    print(f"\n{m['cpu']}, {m['cores']} cores, Python {m['python']}, Pelican {m['pelican']}; "
          f"load average {m['load_before'][0]} before, {m['load_after'][0]} after")
    print(f"wrote {out / 'latest.json'} and {out / 'latest.svg'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
