"""O que cada worker de ``siops-servidor --workers N`` importa (o uvicorn cria os workers como
processos novos, por *spawn*, e só sabe chegar à aplicação por um nome importável).

O processo principal (``cli.servir``) já migrou o banco e gerou as chaves de recibo, e põe a
configuração inteira em ``SIOPS_SERVIDOR_CONFIG`` (JSON); aqui ela é lida uma vez, na
importação, e dá a aplicação (``app``, uma fábrica) e a classe de protocolo HTTP com os limites
(``Protocolo``). Cada worker abre o seu ``Contexto``: o seu *pool* de conexões com o
PostgreSQL e o seu *pool* de verificação; as sessões, as tentativas de senha e as transmissões
ficam no banco, que é de todos.
"""

from __future__ import annotations

import os

from starlette.applications import Starlette

from siops.servidor.config import de_json
from siops.servidor.limites import protocolo_http

ENV_CONFIG = "SIOPS_SERVIDOR_CONFIG"

_CFG = de_json(os.environ[ENV_CONFIG]) if ENV_CONFIG in os.environ else None

#: O protocolo HTTP com os limites da configuração (``uvicorn --http``).
Protocolo = protocolo_http(_CFG) if _CFG is not None else None


def app() -> Starlette:
    """A aplicação deste worker (``uvicorn --factory``)."""
    from siops.servidor.app import criar_app

    if _CFG is None:
        raise RuntimeError(f"{ENV_CONFIG} não definido: o worker é iniciado por siops-servidor.")
    return criar_app(_CFG)
