"""What route handlers receive by injection: one object holding the application's parts.

One dependency, not four: Litestar resolves two or more dependencies of a handler in an
anyio task group, which costs more per request than the whole birthday computation.
``SkipValidation`` spares it from checking, on every request, an object the app made itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar.params import SkipValidation

from hello.config import ApiSettings  # noqa: TC001 - Litestar resolves the annotation
from hello.lifecycle import Lifecycle  # noqa: TC001
from hello.metrics import Metrics  # noqa: TC001
from hello.store import Store  # noqa: TC001


__all__ = ("Services", "ServicesDep")


@dataclass(frozen=True, slots=True)
class Services:
    """The parts of one application that handlers use."""

    store: Store
    api: ApiSettings
    lifecycle: Lifecycle
    metrics: Metrics


ServicesDep = SkipValidation[Services]
