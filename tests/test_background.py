"""The guard's scanner and Pagefind run beside the build at a lower
priority (practice.background), so that the rendering every later step
waits for is not slowed by them; their results are unchanged."""

import json
import os
import subprocess
import sys
import time

import pagefind_bin

from practice import search


def test_pagefind_runs_at_a_lower_priority_than_the_build(tmp_path, monkeypatch):
    real = pagefind_bin.get_executable()
    seen = tmp_path / "niceness"
    probe = tmp_path / "pagefind-probe"
    probe.write_text(f'#!/bin/sh\nnice > "{seen}"\nexec "{real}" "$@"\n')
    probe.chmod(0o755)
    monkeypatch.setattr(pagefind_bin, "get_executable", lambda: probe)
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    page = site / "a" / "index.html"
    page.write_text('<!doctype html><html lang="en"><title>A</title>'
                    '<main data-pagefind-body><p>Evening sessions by video.</p></main></html>')
    search.index_site(str(site), {"DEFAULT_LANG": "en", "CACHE_PATH": str(tmp_path / "cache")},
                      pages=[str(page)])
    assert int(seen.read_text()) > os.nice(0)
    # And the index it wrote is the real one.
    assert (site / "pagefind" / "pagefind-entry.json").is_file()


def test_the_scanner_lowers_its_priority_and_still_reads_the_pages(tmp_path):
    page = tmp_path / "index.html"
    page.write_text('<!doctype html><title>x</title><img src="https://img.example.net/a.png" alt="">')
    config = json.dumps({"allowed": [], "own": [], "code": "test", "cache_file": None})
    scanner = subprocess.Popen([sys.executable, "-m", "practice.guard.worker", config],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        ours, deadline = os.nice(0), time.monotonic() + 30
        while os.getpriority(os.PRIO_PROCESS, scanner.pid) <= ours and scanner.poll() is None \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        assert os.getpriority(os.PRIO_PROCESS, scanner.pid) > ours
        out, _ = scanner.communicate(f"{page}\n", timeout=60)
    finally:
        if scanner.poll() is None:
            scanner.kill()
            scanner.wait()
    assert scanner.returncode == 0
    [[kind, _key, found]] = json.loads(out)
    assert kind == "html" and any("img.example.net" in f[1] for f in found)
