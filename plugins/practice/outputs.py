"""Checks on what the build is about to write, made before anything is written.

Each mistake here would otherwise end in a traceback from deep inside
Pelican, or worse, in a quietly wrong site:

- a title with no letters or digits (``Title: 🌱🌱``) gives an empty slug,
  and the article would be written over ``/blog/index.html``;
- a ``Template:`` the theme does not have;
- a page or article whose address is one the site generates itself (the
  list of topics at ``/tag/``, ``/offers/``, ``/category/``, the archives,
  the 404 page, a topic's page ...), or that another file or a static file
  already takes;
- a ``{filename}`` or ``{static}`` link to a file that does not exist, in
  anything published (``make lint`` reports these itself, with every other
  link problem, so it turns this check off with ``CHECK_UNRESOLVED_LINKS``).

Every one stops the build with one line naming the file and the field.
"""

import os
import re

from pelican.contents import Article, Page
from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator
from pelican.paginator import Paginator

from .core.files import source
from . import content
from .core.errors import ContentError

# Pelican leaves a link it could not resolve as written: href="{filename}/x.md".
_UNRESOLVED = re.compile(
    r"""\b(?:href|src|poster|srcset)\s*=\s*["']?\s*((?:\{|\|)(?:filename|static|attach)(?:\}|\|)[^"'\s>]*)""",
    re.I)

# Pages Pelican writes from the settings, with the name a reader knows them by.
DIRECT_NAMES = {
    "index": "the home page", "tags": "the list of topics", "categories": "the list of categories",
    "archives": "the archives", "404": "the page-not-found page", "robots": "robots.txt",
    "authors": "the list of authors",
}


def _norm(path):
    path = (path or "").replace(os.sep, "/").lstrip("/")
    return path + "index.html" if path.endswith("/") or not path else path


def _pages(settings, name, save_as, url, objects, template):
    """save_as of every page of a (possibly paginated) listing."""
    if not save_as:
        return []
    paginated = settings.get("PAGINATED_TEMPLATES", {})
    if template not in paginated:
        return [save_as]
    per_page = paginated[template] or settings.get("DEFAULT_PAGINATION")
    if not per_page:
        return [save_as]
    paginator = Paginator(save_as, url, list(objects), settings, per_page)
    return [paginator.page(n).save_as for n in paginator.page_range]


def generated_paths(generators):
    """{output path: what the site writes there} for the pages the site makes itself."""
    taken = {}
    for generator in generators:
        settings = generator.settings
        if isinstance(generator, ArticlesGenerator):
            articles = list(generator.articles)
            for template in settings.get("DIRECT_TEMPLATES", []):
                save_as = settings.get(f"{template.upper()}_SAVE_AS", f"{template}.html")
                url = settings.get(f"{template.upper()}_URL", f"{template}.html")
                what = DIRECT_NAMES.get(template, f"the {template} page")
                for path in _pages(settings, template, save_as, url, articles, template):
                    taken.setdefault(_norm(path), what)
            for tag, tagged in generator.tags.items():
                for path in _pages(settings, "tag", tag.save_as, tag.url, tagged, "tag"):
                    taken.setdefault(_norm(path), f"the page of the topic {str(tag)!r}")
            for category, listed in generator.categories:
                for path in _pages(settings, "category", category.save_as, category.url,
                                   listed, "category"):
                    taken.setdefault(_norm(path), f"the page of the category {str(category)!r}")
        if isinstance(generator, StaticGenerator):
            for item in generator.staticfiles:
                taken.setdefault(_norm(item.save_as), f"the file {source(item)}")
        offers_save_as = settings.get("OFFERS_SAVE_AS", "offers/index.html")
        if offers_save_as:
            taken.setdefault(_norm(offers_save_as), "the list of current offers")
    return taken


def _items(generators):
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            yield from ((item, "article") for item in content.all_content(generator, "article"))
        elif isinstance(generator, PagesGenerator):
            yield from ((item, "page") for item in content.all_content(generator, "page"))


def check_slug(item):
    if not str(getattr(item, "slug", "") or "").strip("-_ "):
        field = "Slug" if "slug" in item.metadata else "Title"
        raise ContentError(source(item), field,
                           "gives an empty web address (no letters or digits to make a slug "
                           "from): add a line like `Slug: some-words`")


def on_content_object_init(item):
    """As each article or page is made: before Pelican drops a page whose
    address would be the site's root, and before an article is written
    over /blog/index.html."""
    if isinstance(item, (Article, Page)):
        check_slug(item)


def check_slugs(generators):
    for item, _kind in _items(generators):
        check_slug(item)


def check_templates(generators):
    for generator in generators:
        if not isinstance(generator, (ArticlesGenerator, PagesGenerator)):
            continue
        names = set(generator.env.list_templates())
        extensions = generator.settings.get("TEMPLATE_EXTENSIONS", [".html"])
        own = os.path.join(generator.theme, "templates")
        usable = sorted(os.path.splitext(n)[0] for n in (os.listdir(own) if os.path.isdir(own) else [])
                        if os.path.splitext(n)[1] in extensions)
        kind = "article" if isinstance(generator, ArticlesGenerator) else "page"
        for item in content.all_content(generator, kind):
            wanted = item.metadata.get("template")
            if wanted is None:
                continue
            if not any(f"{wanted}{ext}" in names for ext in extensions):
                raise ContentError(source(item), "Template",
                                   f"{str(wanted)!r} is not a template of the theme "
                                   f"(one of: {', '.join(usable)})")


def check_links(generators):
    """No published article or page keeps a {filename}/{static} link Pelican could not resolve."""
    for generator in generators:
        if not generator.settings.get("CHECK_UNRESOLVED_LINKS", True):
            return
        if isinstance(generator, ArticlesGenerator):
            published = list(generator.articles) + list(generator.translations) + list(
                getattr(generator, "hidden_articles", []))
        elif isinstance(generator, PagesGenerator):
            published = list(generator.pages) + list(generator.translations) + list(
                generator.hidden_pages)
        else:
            continue
        failed = {path for path, value in generator.context.get("generated_content", {}).items()
                  if value is None}
        for item in published:
            for found in _UNRESOLVED.finditer(str(item.content or "")):
                link = found.group(1)
                target = re.sub(r"^(\{|\|)\w+(\}|\|)", "", link).split("#")[0].split("?")[0]
                relative = target[1:] if target.startswith("/") else os.path.join(
                    os.path.dirname(item.get_relative_source_path()), target)
                if os.path.normpath(relative).replace(os.sep, "/") in failed:
                    continue  # a file Pelican could not read: that is the error reported
                missing = os.path.relpath(os.path.join(generator.settings["PATH"], relative))
                raise ContentError(source(item), "text",
                                   f"the link {link} leads nowhere: there is no {missing}")


def check_collisions(generators):
    """No two things are written to the same file."""
    taken = generated_paths(generators)
    owners = {}
    for item, _kind in sorted(_items(generators), key=lambda pair: source(pair[0])):
        save_as = getattr(item, "save_as", "")
        if not save_as:
            continue
        path = _norm(save_as)
        other = taken.get(path) or owners.get(path)
        if other:
            field = "Save_as" if "save_as" in item.metadata else "Slug"
            value = item.metadata.get("save_as") or item.slug
            raise ContentError(source(item), field,
                               f"{str(value)!r} would write /{path}, which is {other}: "
                               f"choose another {field}")
        owners[path] = f"the page of {source(item)}"


def check(generators):
    check_slugs(generators)
    check_templates(generators)
    check_links(generators)
    check_collisions(generators)
