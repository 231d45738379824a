"""Publish settings: `make publish` builds with these (imports pelicanconf)."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F401,F403

# The public address of the site. Set SITEURL in the environment or here.
SITEURL = os.environ.get("SITEURL", "https://www.example-counseling.example")
RELATIVE_URLS = False

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"

DELETE_OUTPUT_DIRECTORY = True
LOAD_CONTENT_CACHE = False  # publish builds read every file afresh
# ... and keep what they write apart from the preview's cache (`make serve`
# may be running), as they keep their output apart (output/, not var/preview/).
CACHE_PATH = os.path.join("cache", "publish")
BUILD_MODE = "publish"
# The live form posts to intake.endpoint, sealed to intake.public_key.
INTAKE_DEV_ENDPOINT = None
INTAKE_DEV_PUBLIC_KEY = None

# Drafts (Status: draft) and articles dated in the future are never written
# by a publish build: Pelican treats a future-dated article as a draft, and
# drafts have nowhere to go. A scheduled article appears with the first
# publish on or after its date.
WITH_FUTURE_DATES = False
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""

# The live comment server (https). Set COMMENTS_URL in the environment or here;
# the site's Content Security Policy allows this origin and no other.
COMMENTS_URL = os.environ.get("COMMENTS_URL", "https://comments.example-counseling.example")
