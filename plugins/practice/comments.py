"""Reader comments through the practice's own Isso comment server.

Python decides everything about the comments section; the template only shows
it and ``theme/static/js/comments.js`` only applies the JSON written here.

- ``COMMENTS_URL`` is the comment server's address (``http://127.0.0.1:8080``
  in development, https in publish builds). Empty turns comments off on the
  whole site.
- ``Comments: off`` in an article's metadata turns its section off; drafts
  never have one.
- The thread of an article is its URL path (``/blog/<slug>/``), the same path
  Isso would read from the address bar, so moving the site to another host
  keeps the threads.
- Nothing loads from the comment server until the reader presses "Show
  comments": the page only carries the settings for Isso's client, which the
  script puts on the ``<script>`` element it creates at that moment. Isso's
  own stylesheet, avatars, Gravatar, votes and reply e-mails stay off.
- Readers are not asked for a website (a therapy blog has no use for their
  links); the script hides the field Isso's client draws.
- ``comments.approval`` in the profile says when comments are usually
  approved; the section's note and the message after sending say it.
- ``COMMENTS_AUTHOR_HASHES`` lists the Isso hashes of the e-mail addresses the
  practice's clinicians comment with; Isso marks their replies "Article
  author" (``python -m practice.tools.comments author-hash`` prints the hash).
"""

import json
import re
from urllib.parse import urlsplit

from .core.errors import ContentError
from .core.settings import SettingsError, is_publish
from .core.urls import require_https

ON = ("on", "yes", "true")
OFF = ("off", "no", "false")
HASH = re.compile(r"^[0-9a-f]{6,128}$")

# Isso's English messages, in the practice's words (Isso's message ids).
MESSAGES = {
    "postbox-text": "Your comment (at least 3 characters)",
    "postbox-author": "Name (optional): a first name or a pseudonym",
    "postbox-author-placeholder": "First name or pseudonym",
    "postbox-email": "Email (optional, never shown)",
    "postbox-email-placeholder": "you@example.org",
    "postbox-submit": "Send comment",
    "postbox-preview": "Preview",
    "no-comments": "No comments yet",
    "comment-queued": "Waiting for approval: comments appear once they have been read.",
    "comment-anonymous": "Anonymous",
    "comment-page-author-suffix": "Article author",
}

# What the page's script says while it loads the comments (not Isso's).
STATUS = {
    "loading": "Loading comments…",
    "failed": "The comments could not be loaded just now. Please try again later.",
}


def server_url(settings):
    """The comment server's address without a trailing slash, or "" for none."""
    value = settings.get("COMMENTS_URL") or ""
    if not isinstance(value, str):
        raise SettingsError("COMMENTS_URL",
                            f"must be an address like https://comments.example.org, not {value!r}")
    value = value.strip().rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise SettingsError("COMMENTS_URL", f"must be an http:// or https:// address, not {value!r}")
    if is_publish(settings):
        require_https("COMMENTS_URL", value)
    return value


def author_hashes(settings):
    value = settings.get("COMMENTS_AUTHOR_HASHES") or []
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    hashes = []
    for item in value:
        item = str(item).strip().lower()
        if not HASH.match(item):
            raise SettingsError("COMMENTS_AUTHOR_HASHES",
                                f"{item!r} is not an Isso hash (print one with "
                                "`.venv/bin/python -m practice.tools.comments author-hash EMAIL`)")
        hashes.append(item)
    return hashes


def enabled_by_metadata(article, source):
    value = article.metadata.get("comments")
    if value is None:
        return True
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in ON:
        return True
    if word in OFF:
        return False
    raise ContentError(source, "Comments", f"must be on or off, not {value!r}")


def thread_id(article, siteurl):
    """The article's URL path, as the browser's address bar shows it."""
    base = urlsplit(siteurl or "").path.rstrip("/")
    return f"{base}/{article.url}"


def client_attributes(settings, url):
    """The attributes of the <script> element that loads Isso's client."""
    lang = settings.get("DEFAULT_LANG", "en") or "en"
    options = {
        "css": False,  # the site's stylesheet styles the comments
        "lang": lang,
        "avatar": False,
        "gravatar": False,
        "vote": False,
        "reply-notifications": False,
        "feed": False,
        "max-comments-nested": 5,
        "sorting": "oldest",
        # A space-separated string; JSON-quoted so that Isso's client, which
        # JSON-parses every data-isso-* value, never turns it into a number.
        "page-author-hashes": " ".join(author_hashes(settings)),
    }
    attributes = {"data-isso": url}
    for name, value in options.items():
        attributes[f"data-isso-{name}"] = json.dumps(value)
    for msgid, text in MESSAGES.items():
        attributes[f"data-isso-{msgid}-text-{lang.lower()}"] = json.dumps(text)
    return attributes


def approval(practice):
    """When comments are usually approved, as the profile says it
    (``comments.approval``: "within two working days"), or None."""
    return ((practice or {}).get("comments") or {}).get("approval")


def status_messages(practice):
    """What the page's script says, including after a comment is sent."""
    when = approval(practice)
    queued = ("Thank you: your comment was sent. It is waiting for approval and appears "
              "once it has been read" + (f", usually {when}." if when else "."))
    return dict(STATUS, queued=queued, queued_note=MESSAGES["comment-queued"])


def attach(article, settings, source, practice=None):
    """Sets ``comments_enabled``, ``comments_thread``, ``comments_client`` and
    ``comments_approval``."""
    url = server_url(settings)
    on = enabled_by_metadata(article, source)
    article.comments_enabled = bool(url) and on and getattr(article, "status", "") != "draft"
    article.comments_thread = thread_id(article, settings.get("SITEURL", ""))
    article.comments_client = {
        "script": f"{url}/js/embed.min.js",
        "attributes": client_attributes(settings, url),
        "status": status_messages(practice),
    } if article.comments_enabled else None
    article.comments_approval = approval(practice)
    article.comments_server = urlsplit(url).netloc if url else ""
