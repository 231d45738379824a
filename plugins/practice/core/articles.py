"""The shape of an article's or a page's metadata (the ``Key: value`` lines
at the top of a Markdown file).

Pelican reads the lines; :func:`check_metadata` checks each value's size
and form, so that a pasted-in page of text as a ``Title`` is one clear line
instead of megabytes of listings. Other keys stay allowed: Pelican and its
plugins read metadata of their own. ``schema/article.schema.json`` is
generated from :class:`ArticleMetadata`.
"""

from pydantic import ConfigDict

from .fields import NAME, PARAGRAPH, URL, Shape, check, text

# Pelican reads dates, slugs and statuses itself (and says when it cannot);
# here each value's size is checked.
OptionalName = text(NAME, required=False)
OptionalParagraph = text(PARAGRAPH, required=False)
OptionalDate = text(40, required=False)
OptionalSlug = text(100, required=False)
OptionalUrl = text(URL, required=False)


class ArticleMetadata(Shape):
    """Metadata of an article or a page (``Title: ...``; keys in any case)."""

    model_config = ConfigDict(extra="allow")

    title: text(NAME)
    date: OptionalDate = None
    modified: OptionalDate = None
    reviewed: OptionalDate = None
    category: text(100, required=False) = None
    tags: text(1000, required=False) = None
    slug: OptionalSlug = None
    author: OptionalName = None
    authors: text(1000, required=False) = None
    summary: OptionalParagraph = None
    status: text(20, required=False) = None
    template: text(100, required=False) = None
    lang: text(20, required=False) = None
    comments: text(10, required=False) = None
    practice: text(50, required=False) = None
    exit: text(10, required=False) = None
    save_as: OptionalUrl = None
    url: OptionalUrl = None


def field_label(key):
    """``reviewed`` -> ``Reviewed``, as the author writes the key."""
    return str(key).replace("_", " ").title().replace(" ", "_")


def check_metadata(metadata, file):
    """Check ``{key: text}`` (keys lower-case, as Pelican gives them)."""
    from .errors import ContentError

    try:
        check(ArticleMetadata, metadata, file)
    except ContentError as exc:
        first = exc.field.split(".")[0].split("[")[0]
        exc.field = field_label(first) + exc.field[len(first):]
        exc.args = (exc.line(),)
        raise
