"""Os arquivos que o transmissor guarda ao lado da cópia de transmissão, e o recibo conferido.

Para ``…/transm/M355030_2025_PrimeiroBimestre.OPS``::

    M355030_2025_PrimeiroBimestre.assinado.xml      a cópia assinada, exatamente como enviada
    M355030_2025_PrimeiroBimestre.recibo.xml        o recibo assinado pelo servidor
    M355030_2025_PrimeiroBimestre.recibo.json       protocolo, servidor, datas, situação
    M355030_2025_PrimeiroBimestre.recusa.json       a última recusa do servidor (motivos)
    M355030_2025_PrimeiroBimestre.homologacao.xml   o recibo de homologação (gestor)
    M355030_2025_PrimeiroBimestre.demonstrativo.pdf o demonstrativo assinado (PAdES)

O recibo se confere fora de linha (``siopsnet recibo --verificar``): assinatura do servidor
(XMLDSig, a mesma verificação das declarações) até a AC de recibos guardada na primeira
conversa com o servidor, ``Digest`` igual ao SHA-256 da cópia assinada guardada, e
``Protocolo`` igual ao anotado.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509

from siops.assinatura import xmldsig
from siops.assinatura.certificados import CertificadoInvalido
from siops.ops_format.atomico import gravar_atomico as _gravar_atomico

NS_RECIBO = "urn:siops-desktop:recibo:1"


class ReciboInvalido(Exception):
    """O recibo não confere (mensagem em português)."""


@dataclass(frozen=True)
class Arquivos:
    """Os caminhos ligados a uma cópia de transmissão ``transm/<nome>.OPS``."""

    ops: Path

    def _irmao(self, sufixo: str) -> Path:
        return self.ops.with_name(self.ops.stem + sufixo)

    @property
    def assinado(self) -> Path:
        return self._irmao(".assinado.xml")

    @property
    def recibo_xml(self) -> Path:
        return self._irmao(".recibo.xml")

    @property
    def recibo_json(self) -> Path:
        return self._irmao(".recibo.json")

    @property
    def recusa_json(self) -> Path:
        return self._irmao(".recusa.json")

    @property
    def homologacao_xml(self) -> Path:
        return self._irmao(".homologacao.xml")

    @property
    def demonstrativo_pdf(self) -> Path:
        return self._irmao(".demonstrativo.pdf")


def gravar_atomico(destino: Path, dados: bytes) -> None:
    """Grava de forma atômica (STYLE hábito 4), com a mesma rotina dos arquivos .OPS: um
    temporário único por gravação (threads simultâneas não se atropelam), fsync, troca e fsync
    da pasta. Levanta ``ops_format.ErroGravacao`` (um ``OSError``) com mensagem em português."""
    _gravar_atomico(dados, destino)


def sha256_arquivo(caminho: Path) -> str:
    """SHA-256 hexadecimal do arquivo."""
    return hashlib.sha256(caminho.read_bytes()).hexdigest()


@dataclass
class RegistroTransmissao:
    """O que fica em ``<nome>.recibo.json``."""

    protocolo: str
    servidor: str
    digest: str  # SHA-256 da cópia assinada (o do recibo)
    arquivo_sha256: str  # SHA-256 do .OPS que foi assinado (para saber se mudou depois)
    recebido_em: str
    situacao: str = "transmitido"
    signatario: dict[str, str] = field(default_factory=dict)
    avisos: list[dict[str, Any]] = field(default_factory=list)
    homologado_em: str = ""
    homologado_por: str = ""
    atualizado_em: str = ""

    @classmethod
    def ler(cls, caminho: Path) -> RegistroTransmissao | None:
        """Lê o registro (None se não existe ou está ilegível)."""
        try:
            d = json.loads(caminho.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        nomes = {f for f in cls.__dataclass_fields__}
        try:
            return cls(**{k: v for k, v in d.items() if k in nomes})
        except TypeError:
            return None

    def gravar(self, caminho: Path) -> None:
        """Grava o registro de forma atômica."""
        self.atualizado_em = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        gravar_atomico(
            caminho, json.dumps(asdict(self), ensure_ascii=False, indent=2).encode("utf-8")
        )


@dataclass(frozen=True)
class ReciboConferido:
    """Um recibo cuja assinatura e conteúdo conferem."""

    tipo: str
    protocolo: str
    ente: str
    nome_ente: str
    exercicio: int
    bimestre: int
    digest: str
    signatario_cpf: str
    signatario_nome: str
    data_hora: str
    servidor: str
    assinado_por: str  # nome no certificado do servidor


def _texto(raiz: Any, nome: str) -> str:
    el = raiz.find(f"{{{NS_RECIBO}}}{nome}")
    return (el.text or "").strip() if el is not None else ""


def _data_hora(texto: str) -> dt.datetime | None:
    try:
        q = dt.datetime.fromisoformat(texto.replace("Z", "+00:00"))
    except ValueError:
        return None
    return q if q.tzinfo else q.replace(tzinfo=dt.UTC)


def conferir_recibo(
    recibo: bytes,
    ancoras: Iterable[x509.Certificate],
    assinado: bytes | None = None,
    protocolo: str | None = None,
) -> ReciboConferido:
    """Confere a assinatura do servidor e, se dados, o digest da cópia e o protocolo.

    A cadeia é validada na data-hora do próprio recibo (coberta pela assinatura): um recibo
    continua conferível depois de o certificado do servidor vencer.
    """
    ancoras = list(ancoras)
    if not ancoras:
        raise ReciboInvalido(
            "Não há certificado do servidor guardado para conferir o recibo: conecte-se uma vez ao "
            "servidor (ou informe o certificado com --certificado-servidor)."
        )
    try:
        previa = xmldsig.analisar(recibo).getroot()
    except xmldsig.AssinaturaInvalida as erro:
        raise ReciboInvalido(f"O recibo não é legível: {erro}") from None
    quando = _data_hora(_texto(previa, "DataHora"))
    try:
        v = xmldsig.verificar(
            recibo,
            ancoras,
            quando=quando,
            raiz_esperada=f"{{{NS_RECIBO}}}Recibo",
            politica=False,  # assinado pela AC de recibos do servidor, não por uma pessoa
        )
    except (xmldsig.AssinaturaInvalida, CertificadoInvalido) as erro:
        raise ReciboInvalido(f"O recibo não confere: {erro}") from None
    raiz = v.raiz
    sig = raiz.find(f"{{{NS_RECIBO}}}Signatario")
    conferido = ReciboConferido(
        tipo=_texto(raiz, "Tipo"),
        protocolo=_texto(raiz, "Protocolo"),
        ente=_texto(raiz, "Ente"),
        nome_ente=_texto(raiz, "NomeEnte"),
        exercicio=int(_texto(raiz, "Exercicio") or 0),
        bimestre=int(_texto(raiz, "Bimestre") or 0),
        digest=_texto(raiz, "Digest").lower(),
        signatario_cpf=(sig.get("cpf", "") if sig is not None else ""),
        signatario_nome=((sig.text or "").strip() if sig is not None else ""),
        data_hora=_texto(raiz, "DataHora"),
        servidor=_texto(raiz, "Servidor"),
        assinado_por=v.fatos.nome,
    )
    if protocolo is not None and conferido.protocolo != protocolo:
        raise ReciboInvalido(
            f"O recibo é do protocolo {conferido.protocolo}, não do {protocolo} anotado para este arquivo."
        )
    if assinado is not None and hashlib.sha256(assinado).hexdigest() != conferido.digest:
        raise ReciboInvalido(
            "O recibo não corresponde à cópia assinada guardada: o resumo (SHA-256) é diferente."
        )
    return conferido
