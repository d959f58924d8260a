"""Conferência de integridade: banco íntegro e de acordo com os arquivos guardados.

Usada por ``siops-servidor admin verificar`` e pelos testes de parada brusca: toda
transmissão reconhecida tem seu arquivo, com o SHA-256 certo; arquivos sem registro
("órfãos": gravados antes de um COMMIT que não aconteceu) são inofensivos e só contados.
"""

from __future__ import annotations

from typing import Any

from siops.servidor.armazenamento import sha256
from siops.servidor.contexto import Contexto


def verificar(ctx: Contexto) -> dict[str, Any]:
    """O relatório: ``ok``, ``integridade`` do SQLite, faltando, corrompidos, órfãos."""
    integridade = ctx.repo.verificar_integridade()
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
    homologacoes = ctx.repo.documentos_de_homologacao()
    conhecidos |= set(homologacoes)
    for d in homologacoes:
        if not ctx.armazem.existe(d):
            faltando.append(f"homologação {d[:12]}")
    orfaos = [d for d in ctx.armazem.todos() if d not in conhecidos]
    vigentes_duplicados = ctx.repo.vigentes_duplicados()
    return {
        "ok": integridade == "ok" and not faltando and not corrompidos and not vigentes_duplicados,
        "integridade": integridade,
        "transmissoes": len(transmissoes),
        "faltando": faltando,
        "corrompidos": corrompidos,
        "orfaos": len(orfaos),
        "vigentes_duplicados": vigentes_duplicados,
    }
