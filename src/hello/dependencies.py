"""What route handlers receive by injection, built once per application.

Handlers annotate parameters with these aliases. ``skip_validation`` spares Litestar from
checking, on every request, objects the application made itself.
"""

from __future__ import annotations

from typing import Annotated

from litestar.params import Dependency

from hello.config import ApiSettings
from hello.lifecycle import Lifecycle
from hello.metrics import Metrics
from hello.store import Store


__all__ = ("ApiSettingsDep", "LifecycleDep", "MetricsDep", "StoreDep")

StoreDep = Annotated[Store, Dependency(skip_validation=True)]
ApiSettingsDep = Annotated[ApiSettings, Dependency(skip_validation=True)]
LifecycleDep = Annotated[Lifecycle, Dependency(skip_validation=True)]
MetricsDep = Annotated[Metrics, Dependency(skip_validation=True)]
