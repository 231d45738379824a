"""Content errors: one line naming the file and the field, never a traceback.

Every check in the plugin raises :class:`ContentError` for a mistake in the
content or the settings. ``tools/build.py`` catches it, prints its one line
and exits non-zero before the new site replaces the old one.
"""


class ContentError(Exception):
    """A mistake the site's author can fix, located by file and field."""

    exitcode = 2

    def __init__(self, file, field, message):
        self.file = str(file)
        self.field = field
        self.message = message
        super().__init__(self.line())

    def line(self):
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.message}"


def settings_file(settings):
    """The settings file a build read, to name in error lines."""
    return "publishconf.py" if settings.get("BUILD_MODE") == "publish" else "pelicanconf.py"
