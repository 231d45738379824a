"""The practice plugin for Pelican, and the practice's own rules.

- ``practice.core``: the practice's facts and rules (profile, eligibility
  check, request form, offers), loaded and checked without Pelican;
- the other modules here adapt them to Pelican, one module per feature;
  ``plugin.py`` connects them to Pelican's signals;
- ``practice.tools``: the commands behind ``make`` (build, serve, lint ...).

Importing this package imports nothing else: Pelican loads the plugin by
calling :func:`register`, and a program that only needs the rules (the
request inbox) imports ``practice.core`` without loading Pelican.
"""


def register():
    """Pelican's entry point for the plugin."""
    from .plugin import register as connect

    connect()
