"""hello: a birthday greeting API, the example service of a production-ready template."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


__all__ = ("__version__",)

try:
    __version__ = version("hello")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
