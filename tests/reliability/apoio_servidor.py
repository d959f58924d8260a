"""The server side of the reliability tests, under the name their modules import.

It is the shared test support (``tests/apoio/servidor.py``): the REAL server process
(``siops.servidor.local.ServidorLocal``), the test ICP-Brasil hierarchy, people with e-CPFs and
the SMTP mailbox — one copy for every test folder. The fixtures (``smtp``, ``pki``,
``fabrica_servidor``, ``servidor_modulo``, ``demo``) come from ``apoio.fixtures``.
"""

from __future__ import annotations

from apoio.servidor import *  # noqa: F403 (everything in its __all__)
