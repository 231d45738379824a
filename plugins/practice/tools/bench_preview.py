"""How fast the preview follows a save: `make bench-preview` (and `make bench`).

For each size it writes a synthetic blog of that many posts (the same posts
as practice.tools.bench), starts the real `make serve` (practice.tools.serve, without the
comment server) on a free loopback port, opens a post in Chromium and then,
RUNS times, saves a change to that post and measures the time until the open
page shows it, reloaded by the preview itself. Prints the median and the
slowest run per size and writes bench/preview.json.

    python -m practice.tools.bench_preview [--sizes 100 1000] [--runs 5] [--out bench]

Targets (not asserted by any test): 1.0 s at 100 posts, 3 s at 1,000.
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from practice.tools import bench  # the synthetic posts

TARGETS = {100: 1.0, 1000: 3.0}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chromium():
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise SystemExit("bench-preview: Chromium not found (set CHROMIUM=/path/to/chromium)")
    return path


def wait_for(log, pattern, process, timeout=600):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if re.search(pattern, text, re.M):
            return text
        if process.poll() is not None:
            raise SystemExit(f"bench-preview: make serve stopped:\n{text[-2000:]}")
        time.sleep(0.05)
    raise SystemExit(f"bench-preview: no {pattern!r} within {timeout} s")


def measure(size, runs, browser, work):
    site = bench.make_site(work, size)
    post = site / "content" / "articles" / "post-0.md"
    original = post.read_text(encoding="utf-8")
    port = free_port()
    log = work / "serve.log"
    serve = subprocess.Popen(
        [sys.executable, "-m", "practice.tools.serve", "--port", str(port), "--no-comments"],
        cwd=site, stdout=open(log, "w"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        text = wait_for(log, r"^Serving at ", serve)
        first_build = float(re.search(r"Built the preview in ([\d.]+) s", text).group(1))
        # The measuring script needs to poll the page: the bench's context
        # may run it despite the site's policy (the pages are not changed).
        context = browser.new_context(bypass_csp=True)
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{port}/blog/post-0/")
        times, rebuilds = [], []
        for run in range(runs):
            marker = f"Benchmarkmarker{run}x{int(time.time())}"
            done = len(re.findall(r"^Rebuilt in ", log.read_text(errors="replace"), re.M))
            started = time.perf_counter()
            post.write_text(original.replace("\n\n", f"\n\n{marker} ", 1), encoding="utf-8")
            page.wait_for_function(f"() => document.body && document.body.innerText.includes({marker!r})",
                                   polling="raf", timeout=120_000)
            times.append(time.perf_counter() - started)
            while len(found := re.findall(r"^Rebuilt in ([\d.]+) s",
                                          log.read_text(errors="replace"), re.M)) <= done:
                time.sleep(0.05)
            rebuilds.append(float(found[-1]))
            time.sleep(0.5)
        context.close()
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGINT)
            serve.wait(timeout=60)
        shutil.rmtree(site, ignore_errors=True)
    return {
        "posts": size,
        "runs": runs,
        "first_build_s": first_build,
        "save_to_shown_s": [round(t, 3) for t in times],
        "median_s": round(statistics.median(times), 3),
        "slowest_s": round(max(times), 3),
        "rebuild_median_s": round(statistics.median(rebuilds), 3),
        "quick_pass_s": [float(x) for x in re.findall(r"^Updated \d+ pages? in ([\d.]+) s",
                                                      log.read_text(errors="replace"), re.M)],
        "target_s": TARGETS.get(size),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", default="bench")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    results = []
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium(), headless=True,
                                     args=["--no-sandbox", "--disable-gpu"])
        for size in args.sizes:
            work = Path(tmp) / str(size)
            work.mkdir()
            results.append(measure(size, args.runs, browser, work))
            r = results[-1]
            target = f"(target {r['target_s']} s)" if r["target_s"] else ""
            print(f"{size:>6} posts: save to page shown {r['median_s']:.2f} s median, "
                  f"{r['slowest_s']:.2f} s slowest, rebuild {r['rebuild_median_s']:.2f} s "
                  f"{target}", flush=True)
        browser.close()
    out = Path(args.out)
    out.mkdir(exist_ok=True)
    (out / "preview.json").write_text(json.dumps({
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
                   f"Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
        "results": results,
    }, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
