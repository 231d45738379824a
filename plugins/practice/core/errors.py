"""Content errors: one line naming the file and the field, never a traceback.

Every check in the plugin raises :class:`ContentError` for a mistake in the
content or the settings. ``practice.tools.build`` catches it, prints its one line
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

