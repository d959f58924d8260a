"""Conferência de integridade: banco íntegro e de acordo com os arquivos guardados.

Usada por ``siops-servidor admin verificar`` e pelos testes de parada brusca: toda
transmissão reconhecida tem seu arquivo, com o SHA-256 certo; arquivos sem registro
("órfãos": gravados antes de um COMMIT que não aconteceu) são inofensivos e só contados.
"""

from __future__ import annotations

from typing import Any

from servidor.armazenamento import sha256
from servidor.contexto import Contexto


def verificar(ctx: Contexto) -> dict[str, Any]:
    """O relatório: ``ok``, ``integridade`` do SQLite, faltando, corrompidos, órfãos."""
    integridade = ctx.repo.banco.verificar_integridade()
    transmissoes = ctx.repo.listar_transmissoes()
    faltando, corrompidos = [], []
    conhecidos = set()
    for t in transmissoes:
        conhecidos.add(t.digest)
        try:
            dados = ctx.armazem.ler(t.digest)
        except FileNotFoundError:
            faltando.append(t.protocolo)
            continue
        if sha256(dados) != t.digest:
            corrompidos.append(t.protocolo)
    homologacoes = ctx.repo.banco.consultar("SELECT documento_digest FROM homologacoes")
    conhecidos |= {r[0] for r in homologacoes}
    for r in homologacoes:
        if not ctx.armazem.existe(r[0]):
            faltando.append(f"homologação {r[0][:12]}")
    orfaos = [d for d in ctx.armazem.todos() if d not in conhecidos]
    vigentes_duplicados = ctx.repo.banco.consultar(
        "SELECT ente, exercicio, bimestre, COUNT(*) FROM transmissoes "
        "WHERE situacao IN ('transmitido','homologado') GROUP BY 1,2,3 HAVING COUNT(*) > 1"
    )
    return {
        "ok": integridade == "ok" and not faltando and not corrompidos and not vigentes_duplicados,
        "integridade": integridade,
        "transmissoes": len(transmissoes),
        "faltando": faltando,
        "corrompidos": corrompidos,
        "orfaos": len(orfaos),
        "vigentes_duplicados": [tuple(r) for r in vigentes_duplicados],
    }
