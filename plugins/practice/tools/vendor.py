"""`make vendor`: the browser libraries the site serves itself, from npm.

Each package is fetched with `npm pack` at its pinned version; the files
the site needs are copied into theme/static/js/vendor/ with the package's
licence, and MANIFEST.json records for each: name, version, licence, the
tarball's integrity (as npm gives it) and the SHA-256 of every file copied.
The files are committed: a build never fetches anything, and pages load
them from the site's own origin.

    python -m practice.tools.vendor           fetch the pinned versions again, rewrite
    python -m practice.tools.vendor --check   check the committed files against the manifest
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

ROOT = os.getcwd()
VENDOR = os.path.join("theme", "static", "js", "vendor")
MANIFEST = os.path.join(VENDOR, "MANIFEST.json")
# libsodium (the WebAssembly core, with its asm.js fallback) and its
# JavaScript wrappers: the browser seals the request form with
# crypto_box_seal, which PyNaCl opens (make requests).
PACKAGES = [
    {"name": "libsodium", "version": "0.8.4", "files": ["dist/modules/libsodium.js"]},
    {"name": "libsodium-wrappers", "version": "0.8.4", "files": ["dist/modules/libsodium-wrappers.js"]},
]


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def fetch(package, workdir):
    spec = f"{package['name']}@{package['version']}"
    result = subprocess.run(["npm", "pack", spec, "--json", "--pack-destination", workdir],
                            capture_output=True, text=True, cwd=workdir)
    if result.returncode != 0:
        sys.exit(f"error: npm pack {spec}: {result.stderr.strip().splitlines()[-1] if result.stderr.strip() else 'failed'}")
    info = json.loads(result.stdout)[0]
    tarball = os.path.join(workdir, info["filename"])
    with tarfile.open(tarball) as tar:
        tar.extractall(os.path.join(workdir, package["name"]), filter="data")
    unpacked = os.path.join(workdir, package["name"], "package")
    with open(os.path.join(unpacked, "package.json"), encoding="utf-8") as f:
        meta = json.load(f)
    if meta["version"] != package["version"]:
        sys.exit(f"error: npm gave {meta['name']} {meta['version']}, not {package['version']}")
    entry = {"name": meta["name"], "version": meta["version"], "license": meta.get("license", ""),
             "integrity": info.get("integrity", ""), "files": {}}
    for name in package["files"]:
        target = os.path.join(VENDOR, os.path.basename(name))
        shutil.copyfile(os.path.join(unpacked, name), target)
        entry["files"][os.path.basename(name)] = sha256(target)
    licence = os.path.join(VENDOR, f"{meta['name']}.LICENSE.txt")
    shutil.copyfile(os.path.join(unpacked, "LICENSE"), licence)
    entry["license_file"] = os.path.basename(licence)
    return entry


def refresh():
    os.makedirs(VENDOR, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        entries = [fetch(p, workdir) for p in PACKAGES]
    with open(MANIFEST, "w", encoding="utf-8") as f:
        json.dump({"source": "npm registry, fetched with npm pack by practice.tools.vendor (make vendor)",
                   "packages": entries}, f, indent=2)
        f.write("\n")
    for entry in entries:
        print(f"vendored {entry['name']} {entry['version']} ({entry['license']})")
    return 0


def check():
    """Problems with the committed files, one line each (empty: all as recorded)."""
    try:
        with open(MANIFEST, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError):
        return [f"{MANIFEST}: missing or not JSON; run make vendor"]
    problems = []
    pinned = {(p["name"], p["version"]) for p in PACKAGES}
    for entry in manifest["packages"]:
        if (entry["name"], entry["version"]) not in pinned:
            problems.append(f"{MANIFEST}: {entry['name']} {entry['version']} is not the pinned version; run make vendor")
        if not os.path.exists(os.path.join(VENDOR, entry["license_file"])):
            problems.append(f"{VENDOR}/{entry['license_file']}: the licence is missing")
        for name, digest in entry["files"].items():
            path = os.path.join(VENDOR, name)
            if not os.path.exists(path):
                problems.append(f"{path}: missing; run make vendor")
            elif sha256(path) != digest:
                problems.append(f"{path}: differs from the SHA-256 in {MANIFEST}; run make vendor")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="check the committed files against the manifest")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        for line in problems:
            print(f"error: {line}", file=sys.stderr)
        return 2 if problems else 0
    return refresh()


if __name__ == "__main__":
    sys.exit(main())
