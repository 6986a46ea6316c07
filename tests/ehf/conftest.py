"""Tests marked ``needs_shared`` read ../shared/peppol: skip them clearly when it is absent
(fail them when REQUIRE_SHARED=1, as in CI). See tests/ehf/shared_paths.py."""
from __future__ import annotations

import pytest

from tests.ehf.shared_paths import require_shared


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "needs_shared: reads the official material in ../shared/peppol")


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("needs_shared") is not None:
        require_shared()
