"""Files as the author sees them: paths relative to the project folder."""

import os


def display_path(path):
    """``path`` relative to the current folder (the project), as error lines name it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)


def source(content):
    """A page's or article's content file (anything with ``source_path``)."""
    path = getattr(content, "source_path", None)
    return display_path(path) if path else "?"
