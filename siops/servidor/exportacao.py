"""A exportação diária da situação dos entes (docs/api.md §11.4): um arquivo que um banco ou o
CAUC lê sem falar com a API.

``DADOS/exportacao/situacao-AAAA-MM-DD.csv`` (a data do relógio do servidor): UTF-8 sem BOM,
separador ``;``, fim de linha CRLF, uma linha de cabeçalho e uma linha por ente — os 26 estados,
o Distrito Federal e os 5.569 municípios (Brasília declara como o DF), na ordem dos
códigos IBGE —, valores com ponto decimal
e sem separador de milhar, datas ``AAAA-MM-DD``. Gravado de forma atômica (arquivo oculto,
``fsync``, renomeação): quem lê a pasta nunca vê um arquivo pela metade. Ao lado, o
``.sha256`` com o resumo do arquivo, no formato do ``sha256sum``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
from pathlib import Path

from siops.forms.entes import ente, municipios, ufs
from siops.servidor.contexto import Contexto
from siops.servidor.monitoramento import SituacaoEnte, situacoes

COLUNAS = (
    "data_referencia",
    "codigo_siops",
    "codigo_ibge",
    "uf",
    "esfera",
    "ente",
    "situacao",
    "exercicio_referencia",
    "desde",
    "transferencias",
    "conta_vinculada",
    "fonte_dos_numeros",
    "percentual_aplicado",
    "percentual_minimo",
    "valor_aplicado",
    "valor_nao_aplicado",
    "notificacao_automatica",
    "suspensao_a_partir",
    "protocolo",
    "motivo",
)


def _data(iso: str | None) -> str:
    return iso[:10] if iso else ""


def linha(data: dt.date, s: SituacaoEnte) -> list[str]:
    """Os campos de um ente (na ordem de ``COLUNAS``)."""
    n = s.numeros
    e = ente(s.ente)
    return [
        data.isoformat(),
        s.ente,
        e.ibge,
        s.uf,
        s.esfera,
        s.nome,
        s.situacao,
        str(s.exercicio),
        _data(s.desde),
        "|".join(s.transferencias),
        s.conta or "",
        "" if n is None else ("tribunal_de_contas" if n.fonte == "tribunal" else "gestor"),
        "" if n is None else f"{n.percentual:.2f}",
        "" if n is None else f"{n.percentual_minimo:.2f}",
        "" if n is None else f"{n.valor_aplicado:.2f}",
        "" if n is None else f"{n.nao_aplicado:.2f}",
        _data(s.notificacao_em),
        s.suspensao_a_partir or "",
        s.protocolo or "",
        s.motivo,
    ]


def gerar(ctx: Contexto, agora: dt.datetime | None = None) -> bytes:
    """O conteúdo do arquivo do dia."""
    agora = agora or ctx.agora()
    todos = []
    for u in sorted(ufs(), key=lambda x: x.codigo):
        estado = ente(u.sigla)
        todos.append(estado)
        if estado.esfera != "df":
            todos.extend(municipios(u.sigla))
    todos.sort(key=lambda e: e.ibge)
    lista = situacoes(ctx, todos, None, agora)
    saida = io.StringIO()
    w = csv.writer(saida, delimiter=";", lineterminator="\r\n")
    w.writerow(COLUNAS)
    for s in lista:
        w.writerow(linha(agora.date(), s))
    return saida.getvalue().encode("utf-8")


def caminho_do_dia(ctx: Contexto, data: dt.date) -> Path:
    """``DADOS/exportacao/situacao-AAAA-MM-DD.csv``."""
    return ctx.cfg.pasta_exportacao / f"situacao-{data.isoformat()}.csv"


def _gravar(destino: Path, dados: bytes) -> None:
    destino.parent.mkdir(parents=True, exist_ok=True)
    tmp = destino.with_name(f".{destino.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as arq:
        arq.write(dados)
        arq.flush()
        os.fsync(arq.fileno())
    os.replace(tmp, destino)


def exportar(ctx: Contexto, destino: Path | None = None, refazer: bool = False) -> Path:
    """Grava o arquivo do dia (e o ``.sha256``); sem ``refazer``, um já gravado fica."""
    agora = ctx.agora()
    destino = destino or caminho_do_dia(ctx, agora.date())
    if destino.exists() and not refazer:
        return destino
    dados = gerar(ctx, agora)
    _gravar(destino, dados)
    resumo = f"{hashlib.sha256(dados).hexdigest()}  {destino.name}\n".encode()
    _gravar(destino.with_name(destino.name + ".sha256"), resumo)
    return destino
