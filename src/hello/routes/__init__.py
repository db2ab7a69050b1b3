"""The HTTP routes: the birthday API and the operational endpoints."""

from __future__ import annotations

from hello.routes.health import HealthController
from hello.routes.hello import HelloController


__all__ = ("HealthController", "HelloController")
