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
BUILD_MODE = "publish"

# The live comment server (https). Set COMMENTS_URL in the environment or here;
# the site's Content Security Policy allows this origin and no other.
COMMENTS_URL = os.environ.get("COMMENTS_URL", "https://comments.example-counseling.example")
