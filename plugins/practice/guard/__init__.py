"""The privacy guard: nothing on the site loads from another origin, and
nothing an author writes can run.

Mental-health websites have leaked their visitors' visits to advertisers
through embedded third-party resources (a font, an image, a video, a "like"
button), and a script slipped into a title runs on every listing. The guard
reads the site the way a browser does and stops the build, one line per
finding, on:

* anything that would load from an origin outside the allowlist
  (``PRIVACY_ALLOWED_ORIGINS``): in HTML read by an HTML5 parser (Lexbor),
  CSS read by a CSS tokenizer (tinycss2: ``url()``, ``image-set()``,
  ``@import``, escapes), SVG files read as XML (defusedxml), and the literal
  URLs of the theme's scripts;
* code the site did not ship: inline scripts, event-handler attributes,
  ``javascript:``/``vbscript:`` URLs, ``data:`` URLs that are not images,
  ``srcdoc``, ``<base>``, and a ``<meta http-equiv="refresh">`` to another
  site;
* links to other sites without ``rel="noopener noreferrer"``.

:mod:`.content` applies the same rules to what an author writes (bodies,
summaries, offer text), naming the content file and field, and keeps titles
text. :mod:`.output` reads the written site. The Content-Security-Policy and
header files that enforce the same allowlist in the browser are in
:mod:`practice.privacy`.
"""

from .content import ContentFindings, check_fragment, check_items, title_text  # noqa: F401
from .elements import FOREIGN, UNMARKED, Finding, Rules  # noqa: F401
from .output import (ForeignResourceError, check_output, fingerprint, findings,  # noqa: F401
                     scan_files, scan_output, scan_text, site_files)
from .urls import is_foreign, origin  # noqa: F401
