"""Settings the practice's rules read, and mistakes in a settings file.

Pelican's settings are a plain mapping; nothing here needs Pelican.
"""

from .errors import ContentError


def is_publish(settings):
    """A publish build (``publishconf.py``): stricter (https, no drafts)."""
    return settings.get("BUILD_MODE") == "publish"


class SettingsError(ContentError):
    """A mistake in the settings file the build read.

    The plugin does not know that file's name (Pelican does not say); the
    command that read the settings (``practice.tools.build``, ``lint``) puts
    it into the line with :meth:`in_file`.
    """

    def __init__(self, field, message, file="settings"):
        super().__init__(file, field, message)

    def in_file(self, file):
        self.file = str(file)
        self.args = (self.line(),)
        return self
