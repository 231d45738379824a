"""Typography set by the readers, so that Pelican's reader cache keeps it.

Pelican's own ``TYPOGRIFY`` pass runs after its reader cache, on every
build: a rebuild after one edit typogrified every article again, which was
most of the time a rebuild under ``make serve`` took. With
``TYPOGRIFY_IN_READER = True`` (and Pelican's ``TYPOGRIFY = False``) the
project's readers (``markup.TocMarkdownReader``, ``readers.PracticeRstReader``
and ``PracticeHTMLReader``) apply the same filters to the body, the title
and the summary they return, and the cache holds the result.

It is Pelican's pass, step for step: typogrify's ``process_ignores`` keeps
``TYPOGRIFY_IGNORE_TAGS`` untouched, and each remaining section goes through
typogrify's ``amp``, smartypants, ``caps``, ``initial_quotes`` and ``widont``
in typogrify's order, without the filters named in
``TYPOGRIFY_OMIT_FILTERS``. Smartypants gets its options as an argument
(``TYPOGRIFY_DASHES``, and ``&quot;`` entities curled as well, as Pelican
asks), so no library default is changed for the rest of the process.

Text that comes from the profile (questions, answers, outcomes, formats)
reaches the page through the templates, where the ``curly`` filter gives it
the same apostrophes and quotes (don’t, “word”), as Unicode characters (the
template's autoescaping still applies).
"""

from .core.settings import SettingsError

FILTERS = ("amp", "smartypants", "caps", "initial_quotes", "widont")


def enabled(settings):
    """Whether the readers set the typography; both passes on is a mistake
    (everything would be typogrified twice)."""
    if not settings.get("TYPOGRIFY_IN_READER"):
        return False
    if settings.get("TYPOGRIFY"):
        raise SettingsError("TYPOGRIFY", "is on while TYPOGRIFY_IN_READER is on, so every page "
                            "would be typogrified twice; set TYPOGRIFY = False (the readers "
                            "apply the same filters)")
    return True


def _smartypants_attr(settings):
    import smartypants

    attr = {"oldschool": smartypants.Attr.set2,
            "oldschool_inverted": smartypants.Attr.set3}.get(
        settings.get("TYPOGRIFY_DASHES", "default"), smartypants.Attr.set1)
    return attr | smartypants.Attr.w


def typographer(settings):
    """A function that typogrifies HTML as Pelican's ``TYPOGRIFY`` pass
    would with these settings, or None when the readers leave it to Pelican."""
    if not enabled(settings):
        return None
    import smartypants
    from typogrify import filters

    omit = set(settings.get("TYPOGRIFY_OMIT_FILTERS") or [])
    unknown = omit - set(FILTERS)
    if unknown:
        raise SettingsError("TYPOGRIFY_OMIT_FILTERS", f"{sorted(unknown)[0]!r} is not a typogrify "
                            f"filter (one of {', '.join(FILTERS)})")
    attr = _smartypants_attr(settings)
    steps = {"amp": filters.amp, "smartypants": lambda t: smartypants.smartypants(t, attr),
             "caps": filters.caps, "initial_quotes": filters.initial_quotes,
             "widont": filters.widont}
    chain = [steps[name] for name in FILTERS if name not in omit]
    ignore = list(settings.get("TYPOGRIFY_IGNORE_TAGS") or [])

    def typogrify(text):
        if not text:
            return text
        out = []
        for section, process in filters.process_ignores(str(text), ignore):
            if process:
                for step in chain:
                    section = step(section)
            out.append(section)
        return "".join(out)

    return typogrify


def finish(typogrify, content, metadata):
    """Typogrify a reader's body, title and summary (as Pelican's pass does)."""
    if typogrify is None:
        return content, metadata
    for field in ("title", "summary"):
        if isinstance(metadata.get(field), str):
            metadata[field] = typogrify(metadata[field])
    return typogrify(content) if content else content, metadata


def curly(text):
    """Curly quotes and apostrophes for text from the profile (a template filter)."""
    import smartypants

    if text is None:
        return text
    return smartypants.smartypants(str(text), smartypants.Attr.q | smartypants.Attr.u)
