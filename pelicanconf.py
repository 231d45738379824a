"""Development settings: `make html` and `make serve` build with these.

Every setting the project adds is listed in docs/settings.md.
The practice's own facts (name, clinicians, fees, crisis numbers ...) do not
live here but in ``content/practice.yaml``.
"""

import os

import jinja2

# SITENAME, TIMEZONE and AUTHOR (the default author of articles) are facts of
# the practice: the practice plugin sets them from content/practice.yaml (name,
# timezone, the first clinician) at the start of every build. Do not set them
# here; a different value stops the build.
SITEURL = ""  # root-relative links in development; publishconf.py sets the real URL
RELATIVE_URLS = False

PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
# The practice profile and the offers are read by the practice plugin, not
# published as content.
IGNORE_FILES = [".#*", ".gitkeep", "practice.yaml"]

TIMEZONE = None  # set from practice.yaml (present so Pelican does not warn)
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%B %-d, %Y"
LOCALE = ("C.UTF-8",)

THEME = "theme"
# Autoescape on: templates mark the HTML they trust (rendered Markdown) with |safe.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}
THEME_STATIC_DIR = "theme"

# Clean URLs: /blog/<slug>/, /<page-slug>/, /tag/<slug>/ ...
ARTICLE_URL = "blog/{slug}/"
ARTICLE_SAVE_AS = "blog/{slug}/index.html"
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = "drafts/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = "category/{slug}/index.html"
CATEGORIES_URL = "category/"
CATEGORIES_SAVE_AS = "category/index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = "tag/{slug}/index.html"
TAGS_URL = "tag/"
TAGS_SAVE_AS = "tag/index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
# The home page (templates/home.html) is the practice's front door; the
# list of every article, a page at a time, is at /blog/.
HOME_SAVE_AS = "index.html"
INDEX_URL = "blog/"
INDEX_SAVE_AS = "blog/index.html"

DIRECT_TEMPLATES = ["home", "index", "tags", "categories", "archives", "404", "robots"]
# Pelican reads <NAME>_SAVE_AS for direct templates; "404_SAVE_AS" is not a
# valid Python name, hence globals().
globals()["404_SAVE_AS"] = "404.html"
ROBOTS_SAVE_AS = "robots.txt"

DEFAULT_PAGINATION = 4
# The list of articles (/blog/) shows a few at a time; topic and category pages,
# where a reader is looking for something, list 20 (and a large blog writes
# a fifth as many listing pages).
PAGINATED_TEMPLATES = {"index": None, "tag": 20, "category": 20, "author": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Feeds are written by publish builds only (publishconf.py).
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},  # footnotes, tables, attr_list, abbr ...
        "markdown.extensions.toc": {
            "permalink": "#",
            "permalink_class": "heading-anchor",
            "permalink_title": "Link to this section",
            "toc_depth": "2-3",
        },
        "markdown.extensions.meta": {},
    },
    "output_format": "html5",
}

# Typography (typogrify: curly quotes, dashes, no lone last word) is set by the
# project's readers as they read each file, so that Pelican's reader cache
# keeps it and a rebuild after one edit does not typogrify every article
# again. Pelican's own pass (TYPOGRIFY) runs after its cache on every build,
# so it stays off; the readers apply the same filters with the same settings.
TYPOGRIFY = False
TYPOGRIFY_IN_READER = True
# Typogrify only ever sees article and page bodies, titles and summaries;
# templates strip its markup wherever plain text is needed (<title>, meta
# tags, JSON-LD). Scripts and code are never touched.
TYPOGRIFY_IGNORE_TAGS = ["pre", "code", "kbd", "script", "style", "title"]
# Typogrify's "caps" filter wraps runs of capitals in <span class="caps"> and,
# with initials, eats the space after them: "Bedi, R. P. (2002)" became
# "Bedi, R. P.(2002)" in every reference list. The site does not style it.
# Its "widont" glues the last two words of every title and paragraph
# together, so a short heading could only break after its first word
# ("Crisis / and emergencies"); the browser, which knows the width, keeps
# lone last words away instead (text-wrap: balance on headings, pretty on
# paragraphs, in site.css).
TYPOGRIFY_OMIT_FILTERS = ["caps", "widont"]

# Installed packages (requirements.txt; the project's own plugin, `practice`,
# from plugins/practice/ by `pip install -e .` in `make venv`).
PLUGINS = [
    "pelican.plugins.sitemap",
    "pelican.plugins.neighbors",
    "pelican.plugins.related_posts",
    "pelican.plugins.readtime",
    "practice",
]

SITEMAP = {
    "format": "xml",
    "priorities": {"articles": 0.7, "indexes": 0.5, "pages": 0.6},
    "changefreqs": {"articles": "monthly", "indexes": "weekly", "pages": "monthly"},
    "exclude": ["tag/", "category/", "page/", "drafts/"],
}
RELATED_POSTS_MAX = 3
READTIME_WPM = 200

# ---- the practice plugin (plugins/practice) --------------------------------
# Where the practice's facts live.
PRACTICE_PROFILE = "practice.yaml"  # inside PATH (content/)
# Articles longer than this many words show a table of contents.
TOC_MIN_WORDS = 1000
# Build mode: "development" or "publish" (publishconf.py); publish builds are
# stricter (https endpoints, no drafts).
BUILD_MODE = "development"

# Development builds keep Pelican's reader cache (Markdown and typogrify
# results per file, keyed by the file's modification time) in cache/, so a
# rebuild after one edit re-reads only that file. Publish builds start cold.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"
CACHE_PATH = "cache"
GZIP_CACHE = False
# `make serve` connects the request form to its development inbox: it puts
# the inbox's address and the development key's public key in the
# environment (tools/serve.py). Unset, the profile's intake.endpoint and
# intake.public_key are used. Development builds only.
INTAKE_DEV_ENDPOINT = os.environ.get("INTAKE_DEV_ENDPOINT") or None
INTAKE_DEV_PUBLIC_KEY = os.environ.get("INTAKE_DEV_PUBLIC_KEY") or None
# Compiled templates are kept as well, in Jinja's own bytecode cache (each
# entry is checked against its template's source), so that a rebuild under
# `make serve` does not compile the theme again.
os.makedirs(os.path.join(CACHE_PATH, "jinja"), exist_ok=True)
JINJA_ENVIRONMENT["bytecode_cache"] = jinja2.FileSystemBytecodeCache(
    os.path.join(CACHE_PATH, "jinja"))
# The neutral site the "Exit this page" control leaves for (a plain link;
# nothing is loaded from it). See plugins/practice/quickexit.py.
EXIT_THIS_PAGE_URL = "https://www.google.com/"

# ---- reader comments (plugins/practice/comments.py) ------------------------
# The Isso comment server: `make serve` and `make comments` run it here.
# Empty turns the comments sections off on the whole site.
COMMENTS_URL = "http://127.0.0.1:8080"
# Isso hashes of the e-mail addresses the clinicians comment with: their
# replies are marked "Article author" (python -m practice.tools.comments author-hash EMAIL).
COMMENTS_AUTHOR_HASHES = []

# Special offers: one Markdown file per offer in content/<OFFERS_PATH>/, read
# by the plugin, never published as articles. Pages carry every offer running
# at build time or starting within OFFER_LOOKAHEAD_DAYS, so an offer appears
# (and ends) on time without a rebuild. The "Current offers" page lists them.
OFFERS_PATH = "offers"
OFFER_LOOKAHEAD_DAYS = 30
OFFERS_URL = "offers/"
OFFERS_SAVE_AS = "offers/index.html"
