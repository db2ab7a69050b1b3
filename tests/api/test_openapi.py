"""The app's own OpenAPI document holds: schemathesis in process, positive and negative."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import schemathesis
from hypothesis import settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from hello.app import create_app
from hello.config import Settings
from hello.store import MemoryStore


if TYPE_CHECKING:
    from schemathesis import Case

# The configuration `make contract-test` uses: its hooks (the date rule) and statuses.
os.environ.setdefault("CONTRACT_CACHE_DIR", tempfile.mkdtemp(prefix="schemathesis-"))
CONFIG = SchemathesisConfig.from_path(str(Path(__file__).parents[2] / "contract/schemathesis.toml"))
CONFIG.reports.junit.enabled = False  # pytest reports this run itself

schema = schemathesis.openapi.from_asgi(
    "/schema/openapi.json", create_app(Settings(), MemoryStore()), config=CONFIG
)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=80
)


@schema.parametrize()
def test_every_answer_matches_the_document(case: Case) -> None:
    """Generated requests, valid and invalid, get answers the document allows."""
    case.call_and_validate()


# Stateful: sequences that follow the document's links, such as a PUT then a GET of one user.
TestAPIWorkflow = schema.as_state_machine().TestCase
TestAPIWorkflow.settings = settings(max_examples=30, stateful_step_count=6, deadline=None)
