"""Shared fixtures: entes and declarations built from the real catalog."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def municipio():
    from siops.forms.entes import ente

    return ente("M355030")  # São Paulo/SP


@pytest.fixture
def estado():
    from siops.forms.entes import ente

    return ente("E35")


@pytest.fixture
def distrito_federal():
    from siops.forms.entes import ente

    return ente("E53")


@pytest.fixture(scope="session")
def municipio_fixo():
    """A município for hypothesis tests (function-scoped fixtures are not reset per example)."""
    from siops.forms.entes import ente

    return ente("M355030")
