"""Reading and writing on every core gives exactly the site one core gives."""

import re
import shutil
from pathlib import Path

from conftest import run_build
from practice.tools import bench


def site_files(out):
    """Every written file; the sitemap's build-time stamps of listing pages aside."""
    files = {p.relative_to(out): p.read_bytes() for p in out.rglob("*")
             if p.is_file() and "pagefind" not in p.parts}
    # (and its order: pages written on the second core are listed after the rest)
    sitemap = re.sub(rb"<lastmod>[^<]*</lastmod>", b"", files[Path("sitemap.xml")])
    files[Path("sitemap.xml")] = b"\n".join(sorted(re.findall(rb"<url>.*?</url>", sitemap, re.S)))
    return files


def test_parallel_read_matches_serial_read(project):
    bench.write_posts(project / "content" / "articles", project / "content" / "images", 80)
    (project / "serial.py").write_text("from pelicanconf import *\nREAD_PROCESSES = 1\n")
    (project / "parallel.py").write_text("from pelicanconf import *\nREAD_PROCESSES = 2\n")
    serial, parallel = project / "out-serial", project / "out-parallel"
    for settings, out in (("serial.py", serial), ("parallel.py", parallel)):
        result = run_build(settings, out, cwd=project, env=None)
        assert result.returncode == 0, result.stderr
        # cold each time: the cache must not hide a difference
        shutil.rmtree(project / "cache", ignore_errors=True)
    a, b = site_files(serial), site_files(parallel)
    assert a.keys() == b.keys()
    different = [str(k) for k in a if a[k] != b[k]]
    assert different == []
    assert len([k for k in a if k.parts[0] == "blog"]) >= 80


def test_a_content_error_is_still_reported_in_parallel(project):
    bench.write_posts(project / "content" / "articles", project / "content" / "images", 60)
    post = project / "content" / "articles" / "post-7.md"
    post.write_text(post.read_text().replace("Date: ", "Date: not-a-date ", 1))
    (project / "parallel.py").write_text("from pelicanconf import *\nREAD_PROCESSES = 2\n")
    result = run_build("parallel.py", project / "output", cwd=project)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "error: content/articles/post-7.md: Date:" in result.stderr
