"""Only the project's own files are read: no symbolic links in content/ or the theme.

A symbolic link makes the build read, copy and publish whatever it points
to: ``ln -s ~/.ssh/id_ed25519 content/images/key.png`` would put the build
machine's private key on the web, and git stores such a link as happily as
a file. So the rule is simple and has no exceptions: any symbolic link
inside the content folder or the theme stops the build, whether it points
outside the project, inside it, or nowhere (a loop). A link inside the
project is refused too because it can be re-pointed later without the
content changing, and because a copy of the file does the same job. The
check runs before any file is opened, so nothing a link points to is ever
read, copied or quoted in a message; the line names the link, not its
target's contents.
"""

import os

from .core.errors import ContentError


def find_symlinks(root):
    """Paths of the symbolic links under ``root`` (files and folders), sorted.

    Walks without following links, so a loop is found once, as the link it is.
    """
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in sorted(dirs) + sorted(files):
            path = os.path.join(folder, name)
            if os.path.islink(path):
                found.append(path)
        dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(folder, d)))
    return sorted(found)


def check_no_symlinks(settings):
    """Raise ContentError for the first symbolic link in content/ or the theme."""
    for root in (settings["PATH"], settings.get("THEME")):
        if not root or not os.path.isdir(root):
            continue
        links = find_symlinks(root)
        if links:
            path = links[0]
            more = f" ({len(links) - 1} more after it)" if len(links) > 1 else ""
            raise ContentError(os.path.relpath(path), "file",
                               "is a symbolic link; the build reads only real files in the "
                               "project, so nothing it points to can be published: put a copy "
                               f"of the file here instead{more}")


def on_get_generators(pelican):
    """Runs at the start of every build (autoreload too), before anything is read."""
    check_no_symlinks(pelican.settings)
    return None
