"""The privacy guard: nothing on the site loads from another origin.

Mental-health websites have leaked their visitors' visits to advertisers
through embedded third-party resources: a font, an image, a video, a
"like" button. This module makes that impossible by accident:

* after the site is written, :func:`guard_output` reads every HTML, CSS and
  JavaScript file and lists each resource that would load from an origin
  outside the allowlist (``PRIVACY_ALLOWED_ORIGINS``; by default only the
  comment server and the intake endpoint). Any finding stops the build, one
  line per file and URL;
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
import html
from urllib.parse import urlsplit

from . import comments
from .errors import ContentError, settings_file

# ---- origins -----------------------------------------------------------------

_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
# Characters browsers drop from URLs before parsing them.
_STRIPPED = re.compile(r"[\t\n\r]")


def origin(url):
    """``scheme://host[:port]`` of an absolute URL, lower-cased, default port
    dropped; None for a relative URL or one without a host."""
    if not url:
        return None
    parts = urlsplit(_STRIPPED.sub("", str(url)).strip().replace("\\", "/"))
    if not parts.scheme or not parts.hostname:
        return None
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port and port != _DEFAULT_PORTS.get(scheme):
        return f"{scheme}://{host}:{port}"
    return f"{scheme}://{host}"


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
                raise ContentError(
                    settings_file(settings), "PRIVACY_ALLOWED_ORIGINS",
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


def is_foreign(url, allowed=(), own=()):
    """Would loading ``url`` from one of our pages contact another origin?

    Relative and root-relative URLs are ours; ``data:``, ``blob:`` and the
    like never leave the browser; protocol-relative URLs (``//host/x``) are
    foreign unless their host is allowed under any scheme.
    """
    if url is None:
        return False
    value = _STRIPPED.sub("", str(url)).strip().replace("\\", "/")
    if not value:
        return False
    if value.startswith("//"):
        host = origin("https:" + value)
        hosts = {o.split("://", 1)[1] for o in list(allowed) + list(own)}
        return host is None or host.split("://", 1)[1] not in hosts
    scheme = value.split(":", 1)[0].lower() if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value) else ""
    if not scheme:
        return False
    if scheme in ("data", "blob", "about", "mailto", "tel", "sms", "javascript"):
        return False
    o = origin(value)
    if o is None:
        # "http:foo" and other scheme-only oddities: treat as foreign, a
        # browser may resolve them against another host.
        return scheme not in ("http", "https")
    return o not in allowed and o not in own


# ---- the scanner ---------------------------------------------------------------

# Attributes that make the browser fetch something when the page loads (or,
# for form actions and pings, when the visitor submits or clicks).
_RESOURCE_ATTRS = {
    "script": ("src",), "img": ("src", "srcset"), "iframe": ("src",), "frame": ("src",),
    "source": ("src", "srcset"), "video": ("src", "poster"), "audio": ("src",),
    "track": ("src",), "embed": ("src",), "object": ("data",), "form": ("action",),
    "input": ("src", "formaction"), "button": ("formaction",), "a": ("ping",),
    "area": ("ping",), "image": ("href", "xlink:href"), "use": ("href", "xlink:href"),
    "feimage": ("href", "xlink:href"), "body": ("background",), "table": ("background",),
}
# <link> relations that only describe a relation and load nothing.
_NAVIGATION_RELS = {
    "canonical", "alternate", "author", "license", "next", "prev", "previous", "me",
    "help", "bookmark", "external", "nofollow", "noopener", "noreferrer", "tag",
    "shortlink", "search", "index", "first", "last", "up", "edit",
}
_DATA_SCRIPT_TYPES = {"application/ld+json", "application/json", "importmap-data"}

_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.I)
_CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)

_JS_STRING = r"""(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\$]|\\.)*)`)"""
_JS_TARGETS = [
    # fetch("…"), navigator.sendBeacon("…"), import("…"), importScripts("…")
    re.compile(r"\b(?:fetch|sendBeacon|import|importScripts)\s*\(\s*" + _JS_STRING),
    # new WebSocket("…"), new EventSource("…"), new Worker("…"), new Request("…")
    re.compile(r"\bnew\s+(?:WebSocket|EventSource|Worker|SharedWorker|Request)\s*\(\s*" + _JS_STRING),
    # xhr.open("GET", "…")
    re.compile(r"\.open\s*\(\s*" + _JS_STRING + r"\s*,\s*" + _JS_STRING),
    # import … from "…"  /  import "…"
    re.compile(r"^\s*import\b[^;'\"`]*?(?:\bfrom\s*)?" + _JS_STRING, re.M),
    # element.src = "…" / .href = "…" on script, image or link elements
    re.compile(r"\.(?:src|srcset|action)\s*=\s*" + _JS_STRING),
]


def _srcset_urls(value):
    for candidate in value.split(","):
        candidate = candidate.strip()
        if candidate:
            yield candidate.split()[0]


def css_urls(text):
    """Every URL a stylesheet would fetch (``url()`` and ``@import``)."""
    text = _CSS_COMMENT.sub("", text)
    urls = []
    for m in _CSS_URL.finditer(text):
        urls.append(next(g for g in m.groups() if g is not None))
    for m in _CSS_IMPORT.finditer(text):
        urls.append(next(g for g in m.groups() if g is not None))
    return [u for u in urls if u]


def js_urls(text):
    """Literal URLs our scripts fetch, load or connect to."""
    urls = []
    for pattern in _JS_TARGETS:
        for m in pattern.finditer(text):
            groups = [g for g in m.groups() if g is not None]
            # For xhr.open(method, url) the URL is the second string.
            value = groups[-1] if pattern is _JS_TARGETS[2] else groups[0] if groups else None
            if value is not None:
                urls.append(value)
    return urls


# A start tag with its attributes, or a comment (skipped), found with one
# regular expression: a full HTML parse of every written page was the
# slowest part of a large build. Attribute values are unescaped as a parser
# would; <style> and <script> bodies are read up to their closing tag.
_TOKEN = re.compile(
    r"<!--.*?-->"
    r"|<([a-zA-Z][a-zA-Z0-9:-]*)"
    r"((?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?|\s*/(?!>))*)\s*/?>",
    re.S,
)
_TAG_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_INTERESTING = set(_RESOURCE_ATTRS) | {"link", "style", "script"}


def _attributes(raw):
    attrs = {}
    for m in _TAG_ATTR.finditer(raw):
        value = next((g for g in m.groups()[1:] if g is not None), "")
        attrs.setdefault(m.group(1).lower(), html.unescape(value))
    return attrs


def html_urls(text):
    """(where, url) for every resource an HTML page would fetch."""
    found = []
    pos = 0
    lower = None
    while True:
        m = _TOKEN.search(text, pos)
        if m is None:
            break
        pos = m.end()
        tag = m.group(1)
        if tag is None:  # a comment
            continue
        tag = tag.lower()
        raw = m.group(2)
        if tag not in _INTERESTING and "style" not in raw.lower():
            continue
        a = _attributes(raw)
        if tag == "link":
            rels = set(a.get("rel", "").lower().split())
            if a.get("href") and not (rels and rels <= _NAVIGATION_RELS):
                found.append((f"<link rel={a.get('rel', '')}>", a["href"]))
        for attr in _RESOURCE_ATTRS.get(tag, ()):
            value = a.get(attr)
            if not value:
                continue
            urls = _srcset_urls(value) if attr == "srcset" else value.split() if attr == "ping" else [value]
            for url in urls:
                found.append((f"<{tag} {attr}>", url))
        if a.get("style"):
            for url in css_urls(a["style"]):
                found.append((f"<{tag} style>", url))
        if tag in ("style", "script") and not m.group(0).endswith("/>"):
            if lower is None:
                lower = text.lower()
            close = lower.find(f"</{tag}", pos)
            body = text[pos:close if close >= 0 else len(text)]
            pos = close if close >= 0 else len(text)
            if tag == "style":
                found.extend(("<style>", url) for url in css_urls(body))
            elif not a.get("src") and a.get("type", "").lower() not in _DATA_SCRIPT_TYPES:
                found.extend(("<script>", url) for url in js_urls(body))
    return found


def scan_text(kind, text, allowed=(), own=()):
    """Foreign resources in one file's text; ``kind`` is html, css or js."""
    if kind == "html":
        pairs = html_urls(text)
    elif kind == "css":
        pairs = [("url()", u) for u in css_urls(text)]
    elif kind == "js":
        pairs = [("script", u) for u in js_urls(text)]
    else:
        return []
    return [(where, url) for where, url in pairs if is_foreign(url, allowed, own)]


_KINDS = {".html": "html", ".htm": "html", ".css": "css", ".js": "js", ".mjs": "js"}


def site_files(output_path):
    """(path, kind) of every HTML, CSS and JavaScript file in the built site."""
    for root, dirs, files in os.walk(output_path):
        dirs.sort()
        for name in sorted(files):
            kind = _KINDS.get(os.path.splitext(name)[1].lower())
            if kind:
                yield os.path.join(root, name), kind


def scan_output(output_path, allowed=(), own=()):
    """Every foreign resource in the built site: a list of (file, where, url)."""
    findings = []
    for path, kind in site_files(output_path):
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        for where, url in scan_text(kind, text, allowed, own):
            findings.append((os.path.relpath(path, output_path).replace(os.sep, "/"), where, url))
    return findings


class ForeignResourceError(ContentError):
    """Resources from other origins: one line per file and URL."""

    def __init__(self, findings, sources=None, allowed=()):
        sources = sources or {}
        self.lines = []
        allowed_text = ", ".join(allowed) or "none"
        # A template or settings mistake shows on every page: name the URL
        # once, with the page it is on and how many more. A mistake in one
        # article or page names that content file.
        grouped = {}
        for file, where, url in findings:
            grouped.setdefault((where, url), []).append(file)
        for (where, url), files in grouped.items():
            named_sources = {sources.get(f) for f in files}
            if len(named_sources) == 1 and None not in named_sources:
                named = named_sources.pop()
                written = f" (written to output/{files[0]})"
            else:
                first = next((f for f in files if f not in sources), files[0])
                named = f"output/{first}"
                rest = len(files) - 1
                written = (f" (and on {rest} more page{'s' if rest > 1 else ''}: "
                           "in a template or a setting?)") if rest else ""
            if where == _UNMARKED:
                self.lines.append(
                    f"{named}: {where}: {url}{written}; add rel=\"noopener noreferrer\" "
                    "so the other site is not told which page the visitor came from")
            else:
                self.lines.append(
                    f"{named}: {where}: {url} loads from another origin{written}; the site "
                    f"loads nothing from other websites (allowed origins: {allowed_text})")
        first_file = findings[0][0] if findings else "output"
        super().__init__(sources.get(first_file, f"output/{first_file}"), "privacy",
                         f"{len(findings)} resource(s) from other origins")


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
    endpoint may receive the form (form-action) and nothing else. Any other
    origin listed in ``PRIVACY_ALLOWED_ORIGINS`` may serve scripts, styles,
    images, connections and frames.

    ``page`` is every page's policy; ``search`` adds ``'wasm-unsafe-eval'``,
    which Pagefind's WebAssembly search needs on the search page only (it
    allows compiling WebAssembly, not ``eval``). ``header`` is the policy
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
        directive("connect-src", "'self'", *scripts),
        directive("frame-src", *others),
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        directive("form-action", "'self'", intake),
    ]
    search = list(base)
    search[1] = directive("script-src", "'self'", "'wasm-unsafe-eval'", *scripts)
    header = search + ["frame-ancestors 'none'"]
    return {"page": "; ".join(base), "search": "; ".join(search), "header": "; ".join(header)}


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


# ---- the build step ------------------------------------------------------------


_A_EXTERNAL = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']?\s*(?:https?:|//)[^>]*>""", re.I)
_UNMARKED = "<a href> to another site without rel=\"noopener noreferrer\""


def unmarked_links(text, own=()):
    """Links to other sites that lack ``rel="noopener noreferrer"``."""
    found = []
    for m in _A_EXTERNAL.finditer(text):
        tag = m.group(0)
        if _mark(tag, own) != tag:
            href = re.search(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", tag, re.I)
            found.append((_UNMARKED, next(g for g in href.groups() if g is not None) if href else tag))
    return found


def guard_output(output_path, settings, practice=None, sources=None, cache_file=None):
    """The build step: stop the build on any disallowed resource, and on any
    link to another site that lacks ``rel="noopener noreferrer"`` (content
    links get it from the reader; templates write it themselves).

    ``cache_file`` keeps the fingerprints of files found clean, so a rebuild
    reads every file but scans only what changed. A fingerprint covers the
    file's bytes and the allowlist it was checked against.
    """
    import hashlib
    import json

    allowed = allowed_origins(settings, practice)
    own = own_origins(settings)
    policy = repr((sorted(allowed), sorted(own))).encode()
    clean = set()
    if cache_file and settings.get("LOAD_CONTENT_CACHE"):
        try:
            with open(cache_file, encoding="utf-8") as f:
                clean = set(json.load(f))
        except (OSError, ValueError):
            clean = set()
    seen, findings = set(), []
    for path, kind in site_files(output_path):
        with open(path, "rb") as f:
            data = f.read()
        key = hashlib.sha1(policy + data).hexdigest()
        if key in clean:
            seen.add(key)
            continue
        text = data.decode("utf-8", errors="replace")
        found = scan_text(kind, text, allowed, own)
        if kind == "html":
            found += unmarked_links(text, own)
        if found:
            rel = os.path.relpath(path, output_path).replace(os.sep, "/")
            findings.extend((rel, where, url) for where, url in found)
        else:
            seen.add(key)
    if findings:
        raise ForeignResourceError(findings, sources, allowed)
    if cache_file and settings.get("CACHE_CONTENT"):
        os.makedirs(os.path.dirname(cache_file), exist_ok=True)
        with open(cache_file + ".tmp", "w", encoding="utf-8") as f:
            json.dump(sorted(seen), f)
        os.replace(cache_file + ".tmp", cache_file)
