"""As fixtures do servidor real, do SMTP de teste e da PKI (um plugin pytest; ver ``apoio``).

Registradas em ``tests/conftest.py`` para todas as pastas; uma pasta que precise de outra coisa
com o mesmo nome a define no seu ``conftest.py`` (a definição mais próxima vence).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from apoio.servidor import PKI, Caixa, Servidor, nova_pki, ops_demo, porta_livre


@pytest.fixture(scope="session")
def smtp() -> Iterator[tuple[int, Caixa]]:
    """Um servidor SMTP aiosmtpd no loopback; devolve (porta, caixa)."""
    from aiosmtpd.controller import Controller

    caixa = Caixa()
    ctl = Controller(caixa, hostname="127.0.0.1", port=porta_livre())
    ctl.start()
    yield ctl.port, caixa
    ctl.stop()


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> PKI:
    """Raiz → intermediária de teste; duas chaves RSA reutilizadas por todos os certificados."""
    return nova_pki(tmp_path_factory.mktemp("pki"))


def _servidor_iniciado(pasta: Path, pki: PKI, smtp: tuple[int, Caixa]) -> Iterator[Servidor]:
    porta_smtp, caixa = smtp
    s = Servidor(pasta, pki, porta_smtp, caixa)
    s.iniciar()
    yield s
    s.parar()


@pytest.fixture(scope="session")
def servidor(
    tmp_path_factory: pytest.TempPathFactory, pki: PKI, smtp: tuple[int, Caixa]
) -> Iterator[Servidor]:
    """O servidor de teste (processo real), iniciado uma vez por sessão."""
    yield from _servidor_iniciado(tmp_path_factory.mktemp("servidor"), pki, smtp)


@pytest.fixture(scope="module")
def servidor_modulo(
    tmp_path_factory: pytest.TempPathFactory, pki: PKI, smtp: tuple[int, Caixa]
) -> Iterator[Servidor]:
    """Um servidor iniciado por módulo de teste."""
    yield from _servidor_iniciado(tmp_path_factory.mktemp("servidor"), pki, smtp)


@pytest.fixture
def outro_servidor(tmp_path: Path, pki: PKI, smtp: tuple[int, Caixa]) -> Iterator[Servidor]:
    """Uma segunda instância (pasta de dados própria) para testes que a derrubam."""
    yield from _servidor_iniciado(tmp_path / "dados", pki, smtp)


@pytest.fixture
def fabrica_servidor(
    tmp_path: Path, pki: PKI, smtp: tuple[int, Caixa]
) -> Iterator[Callable[..., Servidor]]:
    """``criar(extra=None, *, smtp_fora=False, args=None, https=False)`` → um servidor novo, não
    iniciado (``extra`` vai ao ``servidor.json``, ``args`` à linha de comando; ``smtp_fora``
    aponta para um SMTP que não existe). Todos são parados no fim do teste."""
    porta_smtp, caixa = smtp
    criados: list[Servidor] = []

    def criar(
        extra: dict | None = None,
        *,
        smtp_fora: bool = False,
        args: list[str] | None = None,
        https: bool = False,
    ) -> Servidor:
        s = Servidor(
            tmp_path / f"servidor{len(criados)}",
            pki,
            porta_livre() if smtp_fora else porta_smtp,
            caixa,
            extra,
            args=args,
            https=https,
        )
        criados.append(s)
        return s

    yield criar
    for s in criados:
        s.parar()


@pytest.fixture(scope="session")
def demo() -> Callable[..., bytes]:
    """A fábrica ``ops_demo``: os bytes .OPS de uma declaração de demonstração."""
    return ops_demo
