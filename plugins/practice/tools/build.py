"""Build the site without ever leaving a half-written ``output/``.

Pelican writes into a fresh temporary folder beside the output folder; only
when the whole build has succeeded does that folder replace the old output.
A mistake in the content or the settings prints one line naming the file and
the field (``error: content/practice.yaml: contact.email: is required``) and
exits non-zero, leaving the previous site untouched.

Usage: python -m practice.tools.build [--settings pelicanconf.py] [--output output]
"""

import argparse
import gc
import logging
import os
import shutil
import sys
import tempfile
import time

def build(settings_file, output, quiet=False, override=None, install=None):
    """Build with ``settings_file`` into ``output``; returns a list of error lines.

    ``override`` adds settings; ``install(folder, output)`` puts the finished
    build in place (by default it replaces ``output`` as a whole)."""
    from pelican import Pelican
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    from practice.core.errors import ContentError
    from practice.core.settings import SettingsError
    from practice.tools.pelicanlog import PelicanErrors

    # Warnings and progress go to the terminal as Pelican prints them; errors
    # are collected and printed once, one line each, by main().
    plain = logging.StreamHandler(sys.stderr)
    plain.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    plain.addFilter(lambda record: record.levelno < logging.ERROR)
    init_logging(level=logging.WARNING if quiet else logging.INFO, handler=plain)
    collector = PelicanErrors()
    logging.getLogger().addHandler(collector)

    output = os.path.abspath(output)
    parent = os.path.dirname(output)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".build-", dir=parent)
    try:
        try:
            settings = read_settings(settings_file, override=dict(override or {}, OUTPUT_PATH=tmp))
        except SyntaxError as exc:
            return [f"{os.path.relpath(exc.filename or settings_file)}:{exc.lineno}: {exc.msg}"]
        except FileNotFoundError as exc:
            return [f"{settings_file}: settings file not found ({exc.strerror})"]
        except Exception as exc:  # NameError, ImportError ... inside a settings file
            return [_settings_error(settings_file, exc)]
        collector.content_path = settings["PATH"]
        try:
            try:
                pelican = Pelican(settings)
            except (SettingsError, ContentError):
                raise
            except Exception as exc:  # a plugin that fails to import: a half-saved module ...
                return [_plugin_error(exc)]
            if collector.problems or "practice" not in pelican.settings["PLUGINS"]:
                # Pelican logs a plugin it cannot load and builds without it.
                return collector.lines() or [
                    f"{os.path.relpath(settings_file)}: PLUGINS: must include \"practice\", the site's own plugin"]
            pelican.run()
        except SettingsError as exc:
            return [exc.in_file(os.path.relpath(settings_file)).line()]
        except ContentError as exc:
            return list(getattr(exc, "lines", None) or [exc.line()])
        if collector.problems:
            return collector.lines()
        if install is None:
            _replace(tmp, output)
            tmp = None
        else:
            install(tmp, output)
        return []
    finally:
        logging.getLogger().removeHandler(collector)
        if tmp and os.path.isdir(tmp):
            shutil.rmtree(tmp, ignore_errors=True)


def _settings_error(settings_file, exc):
    """One line for a mistake inside a settings file: file, line, message."""
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if os.path.abspath(f.filename) == os.path.abspath(settings_file)
              or os.path.basename(f.filename) in ("pelicanconf.py", "publishconf.py")]
    where = f"{os.path.relpath(frames[-1].filename)}:{frames[-1].lineno}" if frames else settings_file
    return f"{where}: {type(exc).__name__}: {exc}"


def _plugin_error(exc):
    """One line for a plugin module that raised while Pelican imported it."""
    import traceback

    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{os.path.relpath(exc.filename)}:{exc.lineno}: {exc.msg}"
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{os.path.relpath(frames[-1].filename)}:{frames[-1].lineno}: " if frames else ""
    return f"{where}a plugin could not be loaded: {type(exc).__name__}: {exc}"


def _replace(new, output):
    """Swap the finished build in for the old output with two renames."""
    old = None
    if os.path.exists(output):
        old = f"{output}.old-{os.getpid()}-{int(time.time())}"
        os.rename(output, old)
    os.rename(new, output)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--output", default="output")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    errors = build(args.settings, args.output, quiet=args.quiet)
    # The process ends next. Python's last garbage collection at exit would
    # walk every object the build made (0.2 s of a 100-post build, more at
    # 1,000): frozen, they are left to the operating system. Files are
    # closed and the output is in place by now; exit handlers still run.
    gc.freeze()
    for line in errors:
        print(f"error: {line}", file=sys.stderr)
    if errors:
        print(f"build failed; {args.output}/ was left as it was", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
