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
BUILD_MODE = "publish"
