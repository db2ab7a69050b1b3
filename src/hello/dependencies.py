"""What route handlers receive by injection, built once per application.

Handlers annotate parameters with these aliases. ``SkipValidation`` spares Litestar from
checking, on every request, objects the application made itself.
"""

from __future__ import annotations

from litestar.params import SkipValidation

from hello.config import ApiSettings
from hello.lifecycle import Lifecycle
from hello.metrics import Metrics
from hello.store import Store


__all__ = ("ApiSettingsDep", "LifecycleDep", "MetricsDep", "StoreDep")

StoreDep = SkipValidation[Store]
ApiSettingsDep = SkipValidation[ApiSettings]
LifecycleDep = SkipValidation[Lifecycle]
MetricsDep = SkipValidation[Metrics]
