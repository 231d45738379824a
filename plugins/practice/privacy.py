"""The privacy guard: nothing on the site loads from another origin.

Mental-health websites have leaked their visitors' visits to advertisers
through embedded third-party resources: a font, an image, a video, a
"like" button. This module makes that impossible by accident:

* after the site is written, the guard (:mod:`practice.guard`) reads every
  HTML, CSS, JavaScript and SVG file as a browser would and lists each
  resource that would load from an origin outside the allowlist
  (``PRIVACY_ALLOWED_ORIGINS``; by default only the comment server and the
  intake endpoint). Any finding stops the build, one line per file and URL;
* every page carries a Content-Security-Policy built from the same
  allowlist (:func:`policies`), and the build writes server header files
  for what a ``<meta>`` tag cannot set (:func:`write_header_files`);
* plain links to other sites carry ``rel="noopener noreferrer"``, so
  following one tells the other site nothing about the page the visitor
  came from: the reader adds it to links in content
  (:func:`mark_external_links`), templates write it themselves, and the
  guard stops a build in which any such link lacks it.
"""

import os
import re

from . import comments
from .core.errors import ContentError
from .core.settings import SettingsError
# How a URL's origin is read, and whether loading it leaves the site, is the
# guard's; the policy and the link marking below use the same reading.
from .guard.urls import is_foreign, origin  # noqa: F401

# ---- origins -----------------------------------------------------------------

def _intake_endpoint(practice):
    intake = (practice or {}).get("intake") if isinstance(practice, dict) else None
    if isinstance(intake, dict):
        return intake.get("endpoint") or None
    return None


def intake_origin(practice):
    return origin(_intake_endpoint(practice))


def allowed_origins(settings, practice=None):
    """The origins pages may load from besides their own, in a stable order.

    ``PRIVACY_ALLOWED_ORIGINS`` when set (a list of URLs; only their origins
    count); otherwise the comment server (``COMMENTS_URL``) and the intake
    endpoint of ``content/practice.yaml``, whichever are configured.
    """
    configured = settings.get("PRIVACY_ALLOWED_ORIGINS")
    if configured is None:
        candidates = [comments.server_url(settings), _intake_endpoint(practice)]
    else:
        if isinstance(configured, str):
            configured = [configured]
        candidates = list(configured)
        for value in candidates:
            if not origin(value):
                raise SettingsError(
                    "PRIVACY_ALLOWED_ORIGINS",
                    f"{value!r} is not an address like https://comments.example.org")
    result = []
    for value in candidates:
        o = origin(value)
        if o and o not in result:
            result.append(o)
    return result


def own_origins(settings):
    """The site's own origin(s): SITEURL's, when it is absolute."""
    o = origin(settings.get("SITEURL"))
    return [o] if o else []


# ---- plain links to other sites ------------------------------------------------

_A_TAG = re.compile(r"<a\b[^>]*>", re.I)
_ATTR = re.compile(r"""([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_REL_NEEDED = ("noopener", "noreferrer")


def _mark(tag, own):
    if ":" not in tag and "//" not in tag:
        return tag  # no scheme and no host: a link within the site
    body = tag[2:-1]
    attrs = {}
    for m in _ATTR.finditer(body):
        value = next((g for g in m.groups()[1:] if g is not None), "")
        attrs.setdefault(m.group(1).lower(), (m, value))
    href = attrs.get("href")
    if not href or not is_foreign(href[1], own=own):
        return tag
    url = href[1].strip()
    target = origin("https:" + url if url.startswith("//") else url)
    if not target or target.split("://")[0] not in ("http", "https"):
        return tag
    rel = attrs.get("rel")
    if rel is None:
        end = tag[:-2] + ' rel="noopener noreferrer"/>' if tag.endswith("/>") else tag[:-1] + ' rel="noopener noreferrer">'
        return end
    tokens = rel[1].split()
    missing = [t for t in _REL_NEEDED if t not in [x.lower() for x in tokens]]
    if not missing:
        return tag
    m = rel[0]
    new = f'rel="{" ".join(tokens + missing)}"'
    start, stop = m.start() + 2, m.end() + 2
    return tag[:start] + new + tag[stop:]


def mark_external_links(html, own=()):
    """Add ``rel="noopener noreferrer"`` to every ``<a href>`` to another site."""
    return _A_TAG.sub(lambda m: _mark(m.group(0), own), html)


# ---- the Content-Security-Policy ------------------------------------------------

NONE = "'none'"


def policies(settings, practice=None):
    """The Content-Security-Policy strings, computed once per build.

    Each allowed origin gets only what it is there for: the comment server
    may serve a script (Isso's client) and answer its requests (script-src,
    connect-src; its stylesheet, avatars and frames are off); the intake
    inbox may receive the form (form-action, and connect-src for the
    script that posts it sealed) and nothing else. Any other
    origin listed in ``PRIVACY_ALLOWED_ORIGINS`` may serve scripts, styles,
    images, connections and frames.

    ``page`` is every page's policy; ``search`` adds ``'wasm-unsafe-eval'``,
    which Pagefind's WebAssembly search needs on the search page only (it
    allows compiling WebAssembly, not ``eval``); ``intake`` likewise, for
    libsodium, which seals the request form in the browser. ``header`` is the policy
    for the server header files: the most permissive of the page policies
    plus ``frame-ancestors``, which a ``<meta>`` tag cannot carry. Browsers
    enforce both, so each page gets exactly its own policy.
    """
    allowed = allowed_origins(settings, practice)
    comment_server = origin(comments.server_url(settings))
    intake = intake_origin(practice)
    others = [o for o in allowed if o not in (comment_server, intake)]
    scripts = [o for o in allowed if o == comment_server] + others

    def directive(name, *sources):
        return f"{name} {' '.join(s for s in sources if s) or NONE}"

    base = [
        "default-src 'self'",
        directive("script-src", "'self'", *scripts),
        directive("style-src", "'self'", *others),
        # data: images never leave the browser (the favicon is one, which
        # saves every page a request).
        directive("img-src", "'self'", "data:", *others),
        "font-src 'self'",
        directive("connect-src", "'self'", *scripts, intake),
        directive("frame-src", *others),
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        directive("form-action", "'self'", intake),
    ]
    search = list(base)
    search[1] = directive("script-src", "'self'", "'wasm-unsafe-eval'", *scripts)
    header = search + ["frame-ancestors 'none'"]
    return {"page": "; ".join(base), "search": "; ".join(search), "intake": "; ".join(search),
            "header": "; ".join(header)}


# ---- server header files -----------------------------------------------------

PERMISSIONS_POLICY = (
    "accelerometer=(), browsing-topics=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(policy):
    return [
        ("Content-Security-Policy", policy),
        ("Referrer-Policy", "no-referrer"),
        ("Permissions-Policy", PERMISSIONS_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Strict-Transport-Security", HSTS),
    ]


NETLIFY_FILE = "_headers"
NGINX_FILE = "nginx-security-headers.conf"


def netlify_headers(policy):
    lines = ["# Security headers for Netlify, Cloudflare Pages and other hosts that read",
             "# a _headers file. Written by the build from the site's privacy settings.",
             "/*"]
    lines += [f"  {name}: {value}" for name, value in security_headers(policy)]
    return "\n".join(lines) + "\n"


def nginx_headers(policy):
    """add_header lines only, so the file is valid wherever nginx takes
    add_header: in the ``server { }`` block and again inside any ``location``
    that has add_header lines of its own (nginx then drops the server's).
    The lines that keep this file and ``_headers`` from visitors are
    ``location`` blocks, which are not valid inside a location, so they are
    written out in docs/security.md, for the server block only."""
    lines = ["# Security headers for nginx. Written by the build from the site's privacy",
             "# settings. Copy this file next to your nginx configuration and, inside the",
             "# site's server { } block, write:   include nginx-security-headers.conf;",
             "# A location block with add_header lines of its own must include it again",
             "# (nginx uses a location's add_header lines instead of the server's).",
             "# docs/security.md shows the whole server block."]
    lines += [f'add_header {name} "{value}" always;' for name, value in security_headers(policy)]
    return "\n".join(lines) + "\n"


def write_header_files(output_path, policy):
    with open(os.path.join(output_path, NETLIFY_FILE), "w", encoding="utf-8") as f:
        f.write(netlify_headers(policy))
    with open(os.path.join(output_path, NGINX_FILE), "w", encoding="utf-8") as f:
        f.write(nginx_headers(policy))
