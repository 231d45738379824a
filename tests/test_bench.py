"""The benchmark runs end to end at a tiny size (figures are not asserted)."""

import json
import subprocess
import sys

from conftest import ROOT


def test_bench_smoke(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "practice.tools.bench", "--sizes", "20", "--runs", "1",
         "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "stock s" in result.stdout and "[20 posts]" in result.stderr
    report = json.loads((tmp_path / "latest.json").read_text())
    rows = report["results"]
    assert [r["posts"] for r in rows] == [20]
    for key in ("stock_seconds", "site_seconds", "ratio", "stock_cpu_seconds",
                "site_cpu_seconds", "cpu_ratio", "warm_seconds", "peak_rss_mb",
                "parallel_seconds", "parallel_ratio", "parallel_cpu_seconds", "parallel_cpu_ratio"):
        assert rows[0][key] > 0, key
    steps = [p["step"] for p in rows[0]["phases"]]
    assert steps[0].startswith("start-up") and steps[-1] == "finished"
    assert "search index (Pagefind)" in steps
    assert [p["step"] for p in rows[0]["parallel_phases"]] == steps
    assert "READ_WORKERS=2" in result.stdout
    assert report["machine"]["cores"] >= 1
    assert (tmp_path / "latest.svg").read_text().startswith("<svg")


def test_warm_rebuild_reuses_the_cache_and_stays_correct(tmp_path):
    """Editing one post after a cached build shows the edit and keeps typography."""
    from conftest import run_build
    from fixturesite import OWN_SLUG, fixture_site, own_article

    project = fixture_site(tmp_path / "project", articles={"another.md": (
        "Title: Another article of the tests\nDate: 2026-03-01 09:00\nReviewed: 2026-03-01\n"
        "Category: Tests\nSlug: another-article-of-the-tests\nSummary: It stays as it is.\n\n"
        "It's an article nobody edits.\n")})
    post = own_article(project)
    out = project / "output"
    assert run_build("pelicanconf.py", out, cwd=project).returncode == 0
    assert list((project / "cache").glob("reader-*/ArticlesGenerator-Readers"))
    post.write_text(post.read_text() + '\nA "quoted" sentence added later.\n')
    assert run_build("pelicanconf.py", out, cwd=project).returncode == 0
    html = (out / "blog" / OWN_SLUG / "index.html").read_text()
    assert "&#8220;quoted&#8221; sentence" in html or "“quoted” sentence" in html
    other = (out / "blog" / "another-article-of-the-tests" / "index.html").read_text()
    assert "’" in other or "&#8217;" in other  # cached articles keep their typography
