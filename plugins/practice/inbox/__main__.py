"""``python -m practice.inbox``: see :mod:`inbox.cli`."""

import sys

from .cli import main

sys.exit(main())
