"""Folders and file names of the declarations (DOMAIN §4).

::

    <raiz>/MUNICIPAL/2013/PrimeiroBimestre/M355480_2013_PrimeiroBimestre.OPS
    <raiz>/MUNICIPAL/2013/PrimeiroBimestre/transm/M355480_2013_PrimeiroBimestre.OPS
    <raiz>/ESTADUAL/2025/SextoBimestre/E35_2025_SextoBimestre.OPS
    <raiz>/ESTADUAL/2025/SextoBimestre/E53_2025_SextoBimestre.OPS      (Distrito Federal)

The root is ``C:\\MS-SIOPS`` on Windows and platformdirs' user data folder ("MS-SIOPS")
elsewhere; the environment variable ``SIOPS_HOME`` overrides both (tests, accounting firms
that keep one tree per client). The state and DF names are UNCONFIRMED (DOMAIN §4): the whole
rule is ``_regra``, one function, so a correction is one change.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from siops.forms.declaracao import nome_bimestre

if TYPE_CHECKING:
    from siops.forms.entes import Ente

VARIAVEL_RAIZ = "SIOPS_HOME"
RAIZ_WINDOWS = r"C:\MS-SIOPS"
PASTA_TRANSMISSAO = "transm"
EXTENSOES = (".OPS", ".IMP")


def raiz() -> Path:
    """The MS-SIOPS root folder (see module docstring); not created here."""
    definida = os.environ.get(VARIAVEL_RAIZ, "").strip()
    if definida:
        return Path(definida).expanduser()
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        return Path(RAIZ_WINDOWS)
    import platformdirs

    return Path(platformdirs.user_data_dir("MS-SIOPS", appauthor=False))


def _regra(ente: Ente) -> tuple[str, str]:
    """THE naming rule: (folder of the esfera, prefix of the file name) of an ente.

    Municípios: ``MUNICIPAL`` and ``M`` + the IBGE code without its check digit (6 digits).
    Estados: ``ESTADUAL`` and ``E`` + the 2-digit IBGE code of the UF. The Distrito Federal is
    treated as a state: ``ESTADUAL`` and ``E53`` (UNCONFIRMED, DOMAIN §4).
    """
    if ente.esfera == "municipal":
        return "MUNICIPAL", "M" + ente.ibge[:6]
    return "ESTADUAL", "E" + ente.ibge[:2]


def pasta_declaracao(ente: Ente, exercicio: int, bimestre: int) -> Path:
    """``<raiz>/MUNICIPAL/2013/PrimeiroBimestre``."""
    esfera, _ = _regra(ente)
    return raiz() / esfera / str(exercicio) / f"{nome_bimestre(bimestre)}Bimestre"


def nome_arquivo(ente: Ente, exercicio: int, bimestre: int, extensao: str = ".OPS") -> str:
    """``M355480_2013_PrimeiroBimestre.OPS`` (``extensao`` ``.IMP`` for the import copy)."""
    _, prefixo = _regra(ente)
    return f"{prefixo}_{exercicio}_{nome_bimestre(bimestre)}Bimestre{extensao}"


def caminho_padrao(ente: Ente, exercicio: int, bimestre: int, extensao: str = ".OPS") -> Path:
    """The standard path of a declaration's file under the root."""
    return pasta_declaracao(ente, exercicio, bimestre) / nome_arquivo(
        ente, exercicio, bimestre, extensao
    )


def pasta_transmissao(ente: Ente, exercicio: int, bimestre: int) -> Path:
    """``<raiz>/MUNICIPAL/2013/PrimeiroBimestre/transm``, where the transmitter looks."""
    return pasta_declaracao(ente, exercicio, bimestre) / PASTA_TRANSMISSAO
