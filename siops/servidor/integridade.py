"""Conferência de integridade: banco íntegro e de acordo com os arquivos guardados.

Usada por ``siops-servidor admin verificar`` e pelos testes de parada brusca. Cada arquivo
guardado é conferido de novo contra o que o banco registrou dele, não só quanto à existência:

* transmissão: o arquivo existe, o seu SHA-256 é o registrado, a assinatura confere e cobre
  tudo o que está dentro do elemento raiz (nada de comentários ou instruções de processamento,
  que fariam os bytes guardados dizerem outra coisa que o conteúdo assinado), o signatário é o
  registrado e a declaração lida dos bytes guardados é do ente e do período registrados;
* homologação: o documento assinado existe, o seu SHA-256 é o registrado, a assinatura confere
  e ele homologa aquele protocolo.

A assinatura é conferida no instante em que o arquivo foi aceito; a cadeia até as ACs raiz
também, se elas estiverem configuradas (``raizes`` em ``servidor.json``) — sem elas, só a
assinatura com o certificado do próprio documento (a cadeia foi validada na recepção), e o
relatório diz isso em ``cadeia_conferida``.

Arquivos sem registro ("órfãos": gravados antes de um COMMIT que não aconteceu) são inofensivos
e só contados. ``problemas`` diz, em português, o que não confere e em qual registro.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from siops import ops_format
from siops.assinatura.certificados import CertificadoInvalido
from siops.assinatura.xmldsig import AssinaturaInvalida, Verificado, conteudo_sem_assinatura
from siops.assinatura.xmldsig import verificar as verificar_assinatura
from siops.servidor import cpf as cpfs
from siops.servidor import modelos as m
from siops.servidor.armazenamento import sha256
from siops.servidor.contexto import Contexto
from siops.servidor.documentos import NS as NS_DOCUMENTOS
from siops.servidor.tempo import de_iso


def _assinatura(ctx: Contexto, dados: bytes, quando: str, raiz: str | None = None) -> Verificado:
    """A assinatura conferida no instante ``quando`` (com a cadeia, se há raízes)."""
    try:
        instante = de_iso(quando)
    except ValueError:
        instante = None
    return verificar_assinatura(
        dados,
        ctx.raizes,
        ctx.intermediarios,
        quando=(instante or dt.datetime.now(dt.UTC)) + dt.timedelta(seconds=1),
        raiz_esperada=raiz,
        cadeia=bool(ctx.cfg.raizes),  # sem raízes configuradas, só a assinatura
    )


def _conferir_transmissao(ctx: Contexto, t: m.Transmissao, dados: bytes) -> str | None:
    """O que não confere no arquivo guardado de ``t`` (``None`` se tudo confere)."""
    if sha256(dados) != t.digest:
        return "o SHA-256 do arquivo guardado não é o registrado (o arquivo foi alterado)."
    try:
        v = _assinatura(ctx, dados, t.recebido_em)
    except (AssinaturaInvalida, CertificadoInvalido) as exc:
        return f"a assinatura do arquivo guardado não confere: {exc}"
    if cpfs.normalizar(v.fatos.cpf or "") != t.signatario_cpf:
        return "o arquivo guardado foi assinado por outra pessoa que a registrada."
    try:
        d = ops_format.de_bytes(conteudo_sem_assinatura(dados), t.protocolo)
    except (ops_format.ArquivoInvalido, AssinaturaInvalida) as exc:
        return f"a declaração guardada não pode ser lida: {exc}"
    if (d.ente.codigo, d.exercicio, d.bimestre) != (t.ente, t.exercicio, t.bimestre):
        return "a declaração guardada não é do ente e do período registrados."
    return None


def _conferir_homologacao(ctx: Contexto, h: m.Homologacao, dados: bytes) -> str | None:
    """O que não confere no documento de homologação guardado (``None`` se tudo confere)."""
    if sha256(dados) != h.documento_digest:
        return "o SHA-256 do documento guardado não é o registrado (o arquivo foi alterado)."
    try:
        v = _assinatura(ctx, dados, h.homologado_em, f"{{{NS_DOCUMENTOS}}}Homologacao")
    except (AssinaturaInvalida, CertificadoInvalido) as exc:
        return f"a assinatura do documento guardado não confere: {exc}"
    protocolo = v.raiz.findtext(f"{{{NS_DOCUMENTOS}}}Protocolo", "").strip()
    if protocolo != h.protocolo or cpfs.normalizar(v.fatos.cpf or "") != h.cpf:
        return "o documento guardado não é a homologação registrada (protocolo ou gestor)."
    return None


def verificar(ctx: Contexto) -> dict[str, Any]:
    """O relatório: ``ok``, ``integridade`` do SQLite, faltando, corrompidos, órfãos e
    ``problemas`` (o que não confere, em português)."""
    integridade = ctx.repo.verificar_integridade()
    transmissoes = ctx.repo.listar_transmissoes()
    faltando: list[str] = []
    corrompidos: list[str] = []
    problemas: list[str] = []
    conhecidos = set()
    for t in transmissoes:
        conhecidos.add(t.digest)
        try:
            dados = ctx.armazem.ler(t.digest)
        except FileNotFoundError:
            faltando.append(t.protocolo)
            problemas.append(f"Protocolo {t.protocolo}: o arquivo guardado não existe.")
            continue
        motivo = _conferir_transmissao(ctx, t, dados)
        if motivo:
            corrompidos.append(t.protocolo)
            problemas.append(f"Protocolo {t.protocolo}: {motivo}")
    for h in ctx.repo.homologacoes_registradas():
        d = h.documento_digest
        conhecidos.add(d)
        nome = f"homologação {d[:12]}"
        try:
            dados = ctx.armazem.ler(d)
        except (FileNotFoundError, ValueError):
            faltando.append(nome)
            problemas.append(
                f"A {nome} do protocolo {h.protocolo}: o documento guardado não existe."
            )
            continue
        motivo = _conferir_homologacao(ctx, h, dados)
        if motivo:
            corrompidos.append(nome)
            problemas.append(f"A {nome} do protocolo {h.protocolo}: {motivo}")
    orfaos = [d for d in ctx.armazem.todos() if d not in conhecidos]
    vigentes_duplicados = ctx.repo.vigentes_duplicados()
    for v in vigentes_duplicados:
        problemas.append(f"Mais de uma transmissão vigente no mesmo período: {v}.")
    if integridade != "ok":
        problemas.append(f"O banco SQLite não está íntegro: {integridade}")
    return {
        "ok": integridade == "ok" and not faltando and not corrompidos and not vigentes_duplicados,
        "integridade": integridade,
        "transmissoes": len(transmissoes),
        "faltando": faltando,
        "corrompidos": corrompidos,
        "orfaos": len(orfaos),
        "vigentes_duplicados": vigentes_duplicados,
        "cadeia_conferida": bool(ctx.cfg.raizes),
        "problemas": problemas,
    }
