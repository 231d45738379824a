"""What one element makes the browser do: the resources it loads, the code it
would run, the places it sends the visitor.

HTML pages are parsed with Lexbor (through selectolax), an HTML5 parser that
builds the same tree a browser builds, foreign content (``<svg>``, ``<math>``)
included: ``<img/src=…>``, attributes written without a space between them
and an ``<img>`` that breaks out of ``<svg><style>`` all come out as the
browser sees them. SVG files are parsed as the XML they are (defusedxml,
which refuses entity tricks). Both end in :func:`element`, one set of rules.
"""

import re
from collections import namedtuple

from selectolax.lexbor import LexborHTMLParser

from . import css
from .urls import is_foreign, origin, refused, scheme

Finding = namedtuple("Finding", "where value problem")
# ``problem`` is FOREIGN (loads from another origin), UNMARKED (a link to
# another site without rel="noopener noreferrer") or a sentence saying why
# the thing is refused.
FOREIGN = "foreign"
UNMARKED = "unmarked"

# Attributes that make the browser fetch something when the page loads (or,
# for form actions and pings, when the visitor submits or clicks).
LOADING = {
    "script": ("src", "href", "xlink:href"), "img": ("src", "srcset"), "iframe": ("src",),
    "frame": ("src",), "source": ("src", "srcset"), "video": ("src", "poster"),
    "audio": ("src",), "track": ("src",), "embed": ("src",), "object": ("data",),
    "form": ("action",), "input": ("src", "formaction"), "button": ("formaction",),
    "a": ("ping",), "area": ("ping",), "body": ("background",), "table": ("background",),
    "td": ("background",), "th": ("background",), "portal": ("src",),
}
# Elements whose href only names where a click goes.
NAVIGATING = {"a", "area"}
# Where a data: image is shown as an image.
IMAGE_PLACES = {("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"),
                ("input", "src"), ("video", "poster"), ("body", "background"),
                ("table", "background"), ("td", "background"), ("th", "background"),
                ("image", "href"), ("image", "xlink:href"), ("feimage", "href"),
                ("feimage", "xlink:href")}
# Elements that show what they load as a document of its own.
DOCUMENTS = {"iframe", "frame", "object", "embed", "portal"}
# Attributes that hold a URL without loading it.
LINKING = ("href", "xlink:href", "action", "formaction", "cite", "longdesc", "codebase",
           "manifest", "icon", "lowsrc", "dynsrc", "archive", "classid", "usemap", "itemtype")
# <link> relations that only describe a relation and load nothing.
NAVIGATION_RELS = {
    "canonical", "alternate", "author", "license", "next", "prev", "previous", "me",
    "help", "bookmark", "external", "nofollow", "noopener", "noreferrer", "tag",
    "shortlink", "search", "index", "first", "last", "up", "edit", "privacy-policy",
    "terms-of-service",
}
IMAGE_RELS = {"icon", "shortcut", "apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon"}
# Inline scripts that are data, not code (structured data, rules for our scripts).
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
REL_NEEDED = ("noopener", "noreferrer")

NO_SCRIPT = ("the site runs only its own scripts (theme/static/js), and its "
             "Content-Security-Policy blocks any other")
WHY = {
    "handler": "event-handler attributes run code; " + NO_SCRIPT,
    "inline": "inline scripts are not allowed; " + NO_SCRIPT,
    "content-script": "scripts are not allowed in content; " + NO_SCRIPT,
    "srcdoc": "srcdoc writes a whole page into the frame; link a page of the site instead",
    "base": "<base> changes where every link and image of the page points",
    "refresh": "a refresh to another site sends the visitor away without asking; "
               "link to it instead",
    "xml-entities": "entity and DTD declarations are not allowed in an SVG file",
}


def srcset_urls(value):
    """The URLs of a ``srcset`` (commas inside a URL, as in data: URLs, kept)."""
    urls, i, n = [], 0, len(value)
    while i < n:
        while i < n and (value[i].isspace() or value[i] == ","):
            i += 1
        start = i
        while i < n and not value[i].isspace():
            i += 1
        url = value[start:i]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            depth = 0
            while i < n and (depth or value[i] != ","):
                depth += {"(": 1, ")": -1}.get(value[i], 0)
                i += 1
        if url:
            urls.append(url)
    return urls


_REFRESH = re.compile(r"""^\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?(?P<q>['"]?)(?P<url>.*?)(?P=q)?\s*$""",
                      re.I | re.S)


def refresh_target(content):
    """The URL of ``<meta http-equiv="refresh" content="5; url=…">`` ("" for a reload)."""
    m = _REFRESH.match(content or "")
    return m.group("url").strip() if m else (content or "").strip()


def _urls(attr, value):
    if attr in ("srcset", "imagesrcset"):
        return srcset_urls(value)
    if attr in ("ping", "archive"):
        return value.split()
    return [value]


# Elements with rules of their own, checked even without attributes.
_SPECIAL = {"base", "meta", "script", "style", "link", "animate", "set"}
# Every attribute that may hold a URL, loading or not.
_URL_ATTRS = {a for attrs in LOADING.values() for a in attrs} | set(LINKING) | {"href", "xlink:href"}


def element(tag, attrs, text, add, rules):
    """Apply the rules to one element.

    ``tag`` is lower-cased, ``attrs`` maps attribute names (as the parser
    gives them: lower-cased in HTML) to values (None for a bare attribute);
    ``text()`` returns the element's text (for ``<style>``);
    ``add(where, value, problem)`` records a finding; ``rules`` says what is
    allowed (:class:`Rules`).
    """
    if tag in _SPECIAL:
        _special(tag, attrs, text, add, rules)
    if not attrs:
        return
    loading = LOADING.get(tag)
    # SVG: <image>, <use>, <feImage> … fetch what their href names.
    generic = loading is None and tag not in NAVIGATING and tag not in _SPECIAL
    for name, value in attrs.items():
        if name[:2] == "on" and len(name) > 2:
            add(f"<{tag} {name}>", value or "", WHY["handler"])
        elif not value:
            continue
        elif name == "style":
            for url in css.declarations_urls(value):
                _url(url, f"<{tag} style>", add, rules, stylesheet=True)
        elif name == "srcdoc":
            add(f"<{tag} srcdoc>", _short(value), WHY["srcdoc"])
        elif name in _URL_ATTRS:
            if (loading and name in loading) or (generic and name in ("href", "xlink:href")):
                for url in _urls(name, value):
                    _url(url, f"<{tag} {name}>", add, rules, image=(tag, name) in IMAGE_PLACES,
                         document=tag in DOCUMENTS)
            elif name in LINKING and not (tag in ("link", "base") and name == "href"):
                _refused_only(value, f"<{tag} {name}>", add)
    if tag in NAVIGATING and rules.links:
        href = attrs.get("href") or attrs.get("xlink:href")
        if href and not _relative(href) and scheme(href) in ("http", "https", "") \
                and is_foreign(href, own=rules.own):
            target = origin("https:" + href.strip() if href.strip().startswith("//") else href)
            tokens = (attrs.get("rel") or "").lower().split()
            if target and not all(t in tokens for t in REL_NEEDED):
                add(f"<{tag} href>", href, UNMARKED)


def _special(tag, attrs, text, add, rules):
    if tag == "base":
        add("<base>", attrs.get("href") or "", WHY["base"])
    elif tag == "meta":
        if (attrs.get("http-equiv") or "").strip().lower() == "refresh":
            target = refresh_target(attrs.get("content"))
            reason = refused(target)
            if reason:
                add('<meta http-equiv="refresh">', target, reason)
            elif target and is_foreign(target, rules.allowed, rules.own):
                add('<meta http-equiv="refresh">', target, WHY["refresh"])
    elif tag == "script":
        src = attrs.get("src") or attrs.get("href") or attrs.get("xlink:href")
        if rules.content:
            add("<script>", src or _short(text()), WHY["content-script"])
        elif not src and (attrs.get("type") or "").split(";")[0].strip().lower() not in DATA_SCRIPT_TYPES:
            add("<script>", _short(text()) or "(empty)", WHY["inline"])
    elif tag == "style":
        for url in css.stylesheet_urls(text()):
            _url(url, "<style>", add, rules, stylesheet=True)
    elif tag == "link":
        rels = set((attrs.get("rel") or "").lower().split())
        href = attrs.get("href")
        where = f"<link rel={attrs.get('rel') or ''}>"
        if href:
            if not (rels and rels <= NAVIGATION_RELS):
                _url(href, where, add, rules, image=bool(rels & IMAGE_RELS))
            else:
                _refused_only(href, where, add)
        if attrs.get("imagesrcset"):
            for url in srcset_urls(attrs["imagesrcset"]):
                _url(url, "<link imagesrcset>", add, rules, image=True)
    elif tag in ("animate", "set"):
        target = attrs.get("attributename") or attrs.get("attributeName") or ""
        if target.lower() in ("href", "xlink:href"):
            for name in ("to", "from", "by", "values"):
                for url in (attrs.get(name) or "").split(";"):
                    if url.strip():
                        _url(url.strip(), f"<{tag} {name}>", add, rules)


def _relative(url):
    """A plain path such as ``/blog/x/`` or ``images/a.png`` (the common
    case, decided without parsing): no scheme, and not ``//host``."""
    if ":" in url:
        return False
    first = url[:1]
    if first == "/":
        return url[1:2] not in ("/", "\\", "\t", "\n", "\r", "")
    return first.isalnum() or first in "#?._-"


def _short(text, limit=60):
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _refused_only(url, where, add):
    if ":" not in url:
        return
    reason = refused(url)
    if reason:
        add(where, _short(url), reason)


def _url(url, where, add, rules, image=False, document=False, stylesheet=False):
    if _relative(url):
        return
    reason = refused(url, image=image, document=document, stylesheet=stylesheet)
    if reason:
        add(where, _short(url), reason)
    elif is_foreign(url, rules.allowed, rules.own):
        add(where, url, FOREIGN)


class Rules:
    """What a scan allows: the allowed and own origins; ``content`` for
    what an author wrote (no script at all); ``links`` to check that links
    to other sites carry rel="noopener noreferrer"."""

    def __init__(self, allowed=(), own=(), content=False, links=True):
        self.allowed, self.own, self.content, self.links = tuple(allowed), tuple(own), content, links
        self.key = (self.allowed, self.own, content, links)


# ---- HTML --------------------------------------------------------------------


# Elements whose findings depend on their text, not only their attributes.
_TEXT_TAGS = {"script", "style"}
# What :func:`element` found for an element seen before: the same tag with
# the same attributes under the same rules always gives the same findings,
# and a site repeats most of its elements (the header, the navigation, the
# footer) on every page. Bounded; emptied when full.
_SEEN = {}
_SEEN_MAX = 100_000


def _no_text():
    raise AssertionError("only <script> and <style> are judged by their text")


def _walk(root, add, rules):
    """Apply the rules to every element under ``root``; True if one is a ``<template>``."""
    templates = False
    for node in root.traverse(include_text=False):
        tag = node.tag
        if tag[0] == "-":  # -comment, -document, -doctype
            continue
        if tag == "template":  # Lexbor names HTML elements in lower case
            templates = True
        attrs = node.attributes
        if not attrs and tag not in _SPECIAL:
            continue
        tag = tag.lower()
        if tag in _TEXT_TAGS:
            element(tag, attrs, lambda n=node: n.text(deep=True), add, rules)
            continue
        key = (rules.key, tag, tuple(attrs.items()))
        found = _SEEN.get(key)
        if found is None:
            found = []
            element(tag, attrs, _no_text, lambda *f: found.append(f), rules)
            if len(_SEEN) >= _SEEN_MAX:
                _SEEN.clear()
            _SEEN[key] = found
        for f in found:
            add(*f)
    return templates


def html_findings(text, rules):
    """Every finding on an HTML page (or a fragment of one)."""
    found = []

    def add(where, value, problem):
        found.append(Finding(where, value, problem))

    tree = LexborHTMLParser(text)
    if _walk(tree.root, add, rules):
        # A template's content is not part of the tree but can be copied into it.
        pending = list(tree.root.template_fragments())
        while pending:
            fragment = pending.pop()
            _walk(fragment, add, rules)
            pending.extend(fragment.template_fragments())
    return found


# ---- SVG files -------------------------------------------------------------------

_XLINK = "{http://www.w3.org/1999/xlink}"
_PI = re.compile(r"<\?xml-stylesheet\b(.*?)\?>", re.S)
_PSEUDO_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _local(name):
    if name.startswith(_XLINK):
        return "xlink:" + name[len(_XLINK):]
    return name.rsplit("}", 1)[-1].lower()


def svg_findings(data, rules):
    """Every finding in an SVG file, read as XML."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    found = []

    def add(where, value, problem):
        found.append(Finding(where, value, problem))

    try:
        root = fromstring(data)
    except DefusedXmlException:
        add("<!DOCTYPE>", "", WHY["xml-entities"])
        return found
    except ParseError as exc:
        add("XML", str(exc), "the file is not well-formed XML, as an SVG file must be")
        return found
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    for m in _PI.finditer(text):
        pseudo = {a.lower(): b if b is not None else c for a, b, c in _PSEUDO_ATTR.findall(m.group(1))}
        if pseudo.get("href"):
            _url(pseudo["href"], "<?xml-stylesheet href?>", add, rules)
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        attrs = {_local(k): v for k, v in node.attrib.items()}
        element(_local(node.tag), attrs, lambda n=node: "".join(n.itertext()), add, rules)
    return found
