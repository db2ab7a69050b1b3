"""``python -m hello``: the same as the ``hello`` command."""

from __future__ import annotations

import sys

from hello.cli import main


sys.exit(main())
