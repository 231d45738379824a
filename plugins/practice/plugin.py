"""The practice plugin: wires each feature module to Pelican's signals.

Nothing here decides anything: the rules are in ``practice.core``, the Pelican
side of each feature in its own module.
"""

import os

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from . import (alongside, cachekey, comments, content, drafts, faq, guard, live, markup, outputs,
               parallel_read, phases, photos, placeholders, preview, privacy, quickexit, readers,
               search, seo, site_offers, site_settings, symlinks, typography)
from .core import brand, eligibility, profile
from .core.text import plain


class _State:
    """What one build has loaded (re-read on every build, also under autoreload)."""

    profile = None
    profile_key = None
    written_from = {}  # output file -> the content file it was written from
    copied_from = {}  # output file -> the static content file it was copied from
    written_items = {}  # source file -> the article or page written from it
    photos = None  # (profile key, files to copy into the output)
    alongside = None  # the guard scanner and search indexer fed as pages are written


def profile_path(settings):
    return os.path.join(settings["PATH"], settings.get("PRACTICE_PROFILE", "practice.yaml"))


def load_profile(settings):
    path = profile_path(settings)
    mode = settings.get("BUILD_MODE", "development")
    try:
        key = (path, os.stat(path).st_mtime_ns, mode)
    except FileNotFoundError:
        key = None
    if key is None or key != _State.profile_key:
        _State.profile = profile.load_profile(os.path.relpath(path), mode)
        _State.profile_key = key
    return development_inbox(_State.profile, settings, mode)


def development_inbox(profile, settings, build_mode):
    """The profile with the form connected to `make serve`'s development
    inbox (``INTAKE_DEV_ENDPOINT`` and ``INTAKE_DEV_PUBLIC_KEY``, set by
    tools/serve.py); unchanged without them, and always in publish builds."""
    endpoint = settings.get("INTAKE_DEV_ENDPOINT")
    if not endpoint or build_mode == "publish":
        return profile
    connected = dict(profile)
    connected["intake"] = dict(profile["intake"], endpoint=endpoint,
                               public_key=settings.get("INTAKE_DEV_PUBLIC_KEY") or None)
    return connected


def on_initialized(pelican):
    phases.start(pelican.settings)
    # Before the profile is read: nothing a symbolic link points to is opened.
    symlinks.check_no_symlinks(pelican.settings)
    # The practice's name, time zone and default author come from the profile.
    site_settings.apply_site_settings(pelican.settings, load_profile(pelican.settings),
                                os.path.relpath(profile_path(pelican.settings)))
    content.default_settings(pelican.settings)
    # A publish build goes live: no address on a name reserved for examples.
    live.check(pelican.settings, load_profile(pelican.settings),
               os.path.relpath(profile_path(pelican.settings)))
    # The caches' keys parse the plugin's modules: what each file imports is
    # remembered in the cache folder (by the hash of its bytes) for the next build.
    caching = pelican.settings.get("CACHE_CONTENT") or pelican.settings.get("LOAD_CONTENT_CACHE")
    cachekey.remember_imports_in(markup.cache_root(pelican.settings) if caching else None)
    markup.key_reader_cache(pelican.settings)


def on_generator_init(generator):
    practice = load_profile(generator.settings)
    # Again on every (re)build: `make serve` rebuilds without `initialized`.
    site_settings.apply_site_settings(generator.settings, practice,
                                os.path.relpath(profile_path(generator.settings)), generator.context)
    # READ_WORKERS: the reading pool forks before any thread of the build starts.
    parallel_read.start(generator.settings, generator.context)
    siteurl = generator.settings.get("SITEURL", "")
    if (_State.photos is None or _State.photos[0] != (_State.profile_key, siteurl)
            or not all(os.path.exists(cached) for cached, _ in _State.photos[1])):
        files = photos.prepare(practice, generator.settings,
                               os.path.relpath(profile_path(generator.settings)))
        _State.photos = ((_State.profile_key, siteurl), files)
    generator.context["practice"] = practice
    generator.context["favicon_data_uri"] = markup.data_uri(
        os.path.join(generator.settings["THEME"], "static", "favicon.svg"), "image/svg+xml")
    generator.context["practice_jsonld"] = seo.practice_jsonld(practice, siteurl)
    generator.context["EXIT_THIS_PAGE_URL"] = quickexit.check_settings(generator.settings)
    env = generator.env
    env.filters["plain"] = plain
    env.filters["curly"] = typography.curly
    env.filters["is_external"] = lambda url: privacy.is_foreign(url, own=privacy.own_origins(generator.settings))
    env.filters["article_jsonld"] = lambda a: seo.article_jsonld(a, practice, siteurl)
    generator.context["csp"] = privacy.policies(generator.settings, practice)
    start_alongside(generator, practice)


def start_alongside(generator, practice):
    """Start the guard's scanner once per build (the first generator), so it
    is ready when Pelican writes the first page."""
    current = _State.alongside
    if current is not None and current.context is generator.context:
        return
    if current is not None:  # left by a build that stopped early
        current.close()
    settings = generator.settings
    cache_file = guard_cache(settings) if settings.get("LOAD_CONTENT_CACHE") else None
    _State.alongside = alongside.Alongside(
        settings, generator.context, privacy.allowed_origins(settings, practice),
        privacy.own_origins(settings), guard_code(settings), cache_file=cache_file)
    _State.alongside.scan_ahead(theme_static_files(settings))


def theme_static_files(settings):
    """The files of the theme's ``THEME_STATIC_PATHS``, which Pelican copies
    into the site unchanged."""
    theme = settings["THEME"]
    for name in settings.get("THEME_STATIC_PATHS", ["static"]):
        top = os.path.join(theme, name)
        if os.path.isfile(top):
            yield top
        for root, _dirs, files in os.walk(top):
            for file in sorted(files):
                yield os.path.join(root, file)


def on_readers_init(pelican_readers):
    pelican_readers.reader_classes["md"] = markup.TocMarkdownReader
    pelican_readers.reader_classes["markdown"] = markup.TocMarkdownReader
    readers.register_readers(pelican_readers)


def on_article_generator_finalized(generator):
    practice = load_profile(generator.settings)
    # A publish build writes no draft or scheduled post, so nothing in one can
    # stop it; development builds show drafts, and check them.
    unpublished = [] if drafts.is_publish(generator.settings) else list(generator.drafts)
    for article in list(generator.articles) + unpublished:
        content.check_article(article, practice, generator.settings)
        if getattr(article, "show_toc", False):
            markup.typogrify_outline(article)
        comments.attach(article, generator.settings, content.source(article), practice)
    drafts.mark(generator)


def on_page_generator_finalized(generator):
    practice = load_profile(generator.settings)
    for page in list(generator.pages) + list(generator.hidden_pages) + list(generator.draft_pages):
        content.check_page(page)
        faq.attach(page)
        quickexit.check_page(page)
    # The footer links the practice's pages that exist (a practice may remove
    # any page the theme would otherwise link).
    generator.context["page_slugs"] = {p.slug for p in list(generator.pages) + list(generator.hidden_pages)}
    urls = [p.url for p in generator.pages] + [p.url for p in generator.hidden_pages]
    eligibility.check_links(load_profile(generator.settings), urls,
                          os.path.relpath(profile_path(generator.settings)))


def on_all_generators_finalized(generators):
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            content.check_unique_slugs(generator, "article")
        if isinstance(generator, PagesGenerator):
            content.check_unique_slugs(generator, "page")
        if isinstance(generator, ArticlesGenerator):
            content.fill_related(generator.articles, content.related_max(generator.settings))
    outputs.check(generators)


def on_offers(generators):
    """Offers are checked against the generated pages and articles."""
    settings = generators[0].settings
    practice = load_profile(settings)
    schedule = site_offers.build_schedule(generators, practice["timezone"], practice=practice)
    context = generators[0].context
    context["offer_banners"] = schedule.banners
    context["offers_listing"] = schedule.listing()
    context["offers_running_now"] = schedule.running_now()
    context["offers_all"] = schedule.all  # every offer file, for `make lint`


def get_offers_generator(pelican_object):
    return site_offers.OffersPageGenerator


def on_content_written(path, context):
    item = (context or {}).get("article") or (context or {}).get("page")
    searchable = item is not None and bool(getattr(item, "source_path", None))
    if searchable:
        _State.written_from[os.path.abspath(path)] = content.source(item)
        _State.written_items[content.source(item)] = item
    if _State.alongside is not None:
        # The preview's quick pass writes a saved file's pages only: nothing
        # is indexed for search (the full rebuild after it does that).
        _State.alongside.written(path, searchable and preview.written_only() is None)


def on_page_writer_finalized(generator, writer):
    """Every article and page is written: Pagefind starts on what it has not
    indexed yet, beside the rest of the build (offers, static files, the
    guard's last pass), instead of after it."""
    if _State.alongside is not None:
        _State.alongside.indexer.flush()


def on_static_generator_finalized(generator):
    for item in generator.staticfiles:
        if getattr(item, "source_path", None) and getattr(item, "save_as", None):
            _State.copied_from[os.path.abspath(os.path.join(generator.output_path, item.save_as))] = \
                content.source(item)


def on_finalized(pelican):
    settings, out = pelican.settings, pelican.output_path
    practice = load_profile(settings)
    if _State.photos:
        photos.copy(_State.photos[1], out)
    brand.write(out, settings, practice["brand"])
    privacy.write_header_files(out, privacy.policies(settings, practice)["header"])
    written_from, copied_from, items = _State.written_from, _State.copied_from, _State.written_items
    running, _State.alongside = _State.alongside, None
    # The next build (autoreload) starts afresh.
    _State.written_from, _State.copied_from, _State.written_items = {}, {}, {}
    try:
        check_written(pelican, practice, written_from, copied_from, items, running)
    finally:
        if running is not None:
            running.close()
    phases.write()


def check_written(pelican, practice, written_from, copied_from, items, running):
    """The privacy guard over the written site while Pagefind indexes the
    last pages, then the wait for the search index. The scanner and Pagefind
    have read most pages already, as they were written
    (``practice.alongside``). The guard reads every file but Pagefind's own
    bundle (``pagefind/``, being written meanwhile; ``tests/test_search.py``
    checks it loads nothing from elsewhere), and a privacy finding is
    reported before anything Pagefind says."""
    settings, out = pelican.settings, pelican.output_path
    # Nothing an author writes may run or load from elsewhere. Read once
    # every page is written: by then each body's links are resolved.
    allowed, own = privacy.allowed_origins(settings, practice), privacy.own_origins(settings)
    inside = os.path.abspath(out) + os.sep
    sources = {os.path.relpath(path, out).replace(os.sep, "/"): src
               for path, src in list(copied_from.items()) + list(written_from.items())
               if path.startswith(inside)}
    exempt = [search.INDEX_DIR]
    if running is not None:  # the scanner reads the rest while the content is checked
        running.scan_rest(path for path, _kind in guard.output.site_files(out, exempt, sources))
    guard.check_items(sorted(items.items()), allowed, own)
    guard.check_output(out, allowed, own, sources, cache_file=guard_cache(settings),
                       load_cache=settings.get("LOAD_CONTENT_CACHE"),
                       save_cache=settings.get("CACHE_CONTENT"), code=guard_code(settings),
                       known=running.known() if running is not None else None, exempt=exempt)
    phases.mark("privacy guard")
    if preview.written_only() is not None:
        pass  # the preview's quick pass: the full rebuild after it indexes the pages
    elif running is not None and running.output_path + os.sep == inside:
        running.indexer.finish()  # indexing the last part since page_writer_finalized
    else:
        pages = [path for path in written_from
                 if path.startswith(inside) and path.endswith(".html")
                 and os.path.exists(path)]
        search.index_site(out, settings, pages)
    phases.mark("search index (Pagefind)")


def guard_code(settings):
    """What the guard's file keys cover besides the bytes and the allowlist:
    its code and parsers (``guard.fingerprint``) when the keys are kept for
    the next build; a build that keeps none (a cold or publish build) need
    not compute it."""
    return guard.fingerprint() if guard_cache(settings) else "this build"


def guard_cache(settings):
    """The privacy guard's list of files found clean, keyed on the guard's
    code and its parsers' versions (``guard.fingerprint``)."""
    if not (settings.get("CACHE_CONTENT") or settings.get("LOAD_CONTENT_CACHE")):
        return None
    key = guard.fingerprint()
    return cachekey.keyed_path(markup.cache_root(settings), "guard", key, folder=False) + ".json"


def register():
    signals.initialized.connect(on_initialized)
    signals.readers_init.connect(on_readers_init)
    signals.generator_init.connect(on_generator_init)
    # Drafts never stop a publish: their duplicate slugs are set aside first.
    signals.article_generator_pretaxonomy.connect(drafts.set_aside_articles)
    signals.page_generator_finalized.connect(drafts.set_aside_pages)
    signals.article_generator_finalized.connect(drafts.report_dates)
    signals.page_generator_finalized.connect(drafts.report_dates)
    signals.article_generator_finalized.connect(on_article_generator_finalized)
    signals.page_generator_finalized.connect(on_page_generator_finalized)
    signals.article_generator_init.connect(parallel_read.on_article_generator_init)
    signals.page_generator_init.connect(parallel_read.on_page_generator_init)
    signals.all_generators_finalized.connect(parallel_read.stop)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.all_generators_finalized.connect(on_offers)
    signals.get_generators.connect(symlinks.on_get_generators)
    signals.get_generators.connect(get_offers_generator)
    signals.content_object_init.connect(outputs.on_content_object_init)
    signals.content_written.connect(on_content_written)
    signals.all_generators_finalized.connect(preview.on_all_generators_finalized)
    signals.get_writer.connect(preview.get_writer)
    signals.page_writer_finalized.connect(on_page_writer_finalized)
    signals.static_generator_finalized.connect(on_static_generator_finalized)
    signals.finalized.connect(on_finalized)
    phases.connect(signals)  # after the handlers above: each mark follows their work
