"""Shared fixtures: entes and declarations built from the real catalog, and (from the
``apoio`` package of this folder, see ``tests/apoio/__init__.py``) the real server, the SMTP
test mailbox and the test PKI."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# ``apoio`` (tests/apoio) is imported by name from every test folder.
_AQUI = str(Path(__file__).resolve().parent)
if _AQUI not in sys.path:
    sys.path.insert(0, _AQUI)

pytest_plugins = ["apoio.fixtures"]


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


@pytest.fixture(scope="session")
def postgres():
    """Um PostgreSQL descartável da sessão (``tests/apoio_postgres``); falha sem o pacote."""
    from tests import apoio_postgres

    yield apoio_postgres.cluster()
    apoio_postgres.parar()
