"""Os documentos assinados dos gestores (cadastro, homologação, retransmissão, sessão).

Cada ato de quem tem certificado ICP-Brasil é um XML pequeno em ``NS`` assinado com XMLDSig
envelopada (docs/api.md §1.4). ``ler`` faz todas as conferências comuns e devolve só o que foi
assinado: os campos vêm do elemento que ``transmissor.xmldsig.verificar`` devolve (o conteúdo
assinado), nunca do documento recebido.

"Vale uma só vez" é decidido sobre o que a assinatura cobre: ``DocumentoAssinado.digest`` é o
SHA-256 do conteúdo canônico assinado (que inclui o ``<Nonce>`` aleatório exigido em todo
documento), não dos bytes recebidos — uma quebra de linha no fim, a declaração XML trocada, um
comentário fora da raiz ou espaços no base64 da assinatura não fazem de um documento usado um
documento novo. Os bytes recebidos têm o seu próprio SHA-256 (``digest_arquivo``), que é o
endereço com que o documento é guardado (``Armazem``).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from cryptography import x509
from lxml import etree

from siops import ops_format
from siops.assinatura.certificados import CertificadoInvalido, FatosCertificado
from siops.assinatura.revogacao import Revogacao
from siops.assinatura.xmldsig import (
    DS,
    AssinaturaInvalida,
    ConteudoNaoAssinado,
    analisar,
    conteudo_sem_assinatura,
    verificar,
)
from siops.forms.declaracao import Declaracao
from siops.forms.inteiros import InteiroInvalido, inteiro_ascii
from siops.servidor import cpf as cpfs
from siops.servidor.armazenamento import Armazem, sha256
from siops.servidor.erros import ErroAPI
from siops.servidor.recibos import NS as NS_RECIBO
from siops.servidor.tempo import de_iso, legivel

NS = "urn:siops-desktop:servidor:1"
_NONCE = re.compile(r"[0-9a-fA-F]{16,64}")

NOME_DOCUMENTO = {
    "Cadastro": "um pedido de cadastro",
    "Homologacao": "uma homologação",
    "SolicitacaoRetransmissao": "uma solicitação de retransmissão",
    "PedidoSessao": "um pedido de sessão",
    "ControleExterno": "um registro do Tribunal de Contas",
}


@dataclass(frozen=True)
class DocumentoAssinado:
    """Um documento verificado: campos assinados, quem assinou, o digest do conteúdo assinado
    (``digest``: a identidade do documento, usada uma só vez) e o dos bytes recebidos
    (``digest_arquivo``: onde ele é guardado)."""

    tipo: str
    campos: dict[str, str]
    cpf: str
    nome: str
    digest: str
    momento: dt.datetime
    fatos: FatosCertificado
    digest_arquivo: str = ""

    def campo(self, nome: str, obrigatorio: bool = True) -> str:
        """O texto de um campo; 422 ``requisicao_invalida`` se obrigatório e ausente."""
        valor = self.campos.get(nome, "").strip()
        if obrigatorio and not valor:
            raise ErroAPI(
                422,
                "requisicao_invalida",
                f"O documento assinado não traz o campo obrigatório <{nome}>.",
            )
        return valor

    def inteiro(self, nome: str, minimo: int = 0, maximo: int = 2**63 - 1) -> int:
        """Um campo numérico: só algarismos ASCII, dentro de ``[minimo, maximo]`` (``²``,
        ``٢٠٢٥`` e 5.000 dígitos são recusados com 422, não viram 500 adiante)."""
        try:
            return inteiro_ascii(
                self.campo(nome), f"O campo <{nome}> do documento", minimo=minimo, maximo=maximo
            )
        except InteiroInvalido as exc:
            raise ErroAPI(422, "requisicao_invalida", str(exc)) from None


def analisar_xml(dados: bytes, o_que: str = "O documento") -> etree._Element:
    """A raiz do XML, com o parser endurecido; 422 ``xml_malformado`` com a razão."""
    try:
        return analisar(dados).getroot()
    except AssinaturaInvalida as exc:
        raise ErroAPI(422, "xml_malformado", f"{o_que} não é um XML válido.", [str(exc)]) from None


def tem_assinatura(raiz: etree._Element) -> bool:
    """Se há alguma ``ds:Signature`` no documento."""
    return raiz.find(f".//{{{DS}}}Signature") is not None


def erro_assinatura(exc: Exception) -> ErroAPI:
    """A recusa correspondente a uma falha de ``verificar``."""
    if isinstance(exc, CertificadoInvalido):
        return ErroAPI(
            422,
            "certificado_invalido",
            "O certificado digital do assinante não é aceito.",
            [
                str(exc),
                "Use um certificado ICP-Brasil válido (e-CPF, ou e-CNPJ com o CPF do "
                "responsável); se o seu venceu, renove-o numa Autoridade Certificadora e assine "
                "de novo.",
            ],
        )
    texto = str(exc)
    if isinstance(exc, ConteudoNaoAssinado):
        return ErroAPI(
            422,
            "conteudo_nao_assinado",
            "O documento traz comentários ou instruções de processamento dentro do conteúdo "
            "assinado, que não são aceitos.",
            [texto],
        )
    if "não está assinado" in texto:
        return ErroAPI(
            422, "sem_assinatura", "O documento não está assinado digitalmente.", [texto]
        )
    return ErroAPI(
        422, "assinatura_invalida", "A assinatura digital do documento é inválida.", [texto]
    )


def verificar_assinatura(
    dados: bytes,
    raizes: list[x509.Certificate],
    intermediarios: list[x509.Certificate],
    raiz_esperada: str | None = None,
    revogacao: Revogacao | None = None,
):
    """``transmissor.xmldsig.verificar`` com as falhas traduzidas em ``ErroAPI`` e a exigência
    de CPF no certificado; ``revogacao`` (o servidor usa a estrita): LCR/OCSP consultados."""
    try:
        v = verificar(
            dados,
            raizes,
            intermediarios,
            raiz_esperada=raiz_esperada,
            revogacao=revogacao,
            politica=True,  # uma pessoa: e-CPF ou e-CNPJ de assinatura (A1–A4)
        )
    except (AssinaturaInvalida, CertificadoInvalido) as exc:
        raise erro_assinatura(exc) from None
    if not v.fatos.cpf:
        raise ErroAPI(
            422,
            "certificado_invalido",
            "O certificado digital do assinante não traz CPF.",
            [
                f"O certificado de {v.fatos.nome} não traz CPF: use um e-CPF, ou um e-CNPJ com o "
                "nome e o CPF do responsável."
            ],
        )
    return v


def ler(
    dados: bytes,
    esperado: str,
    raizes: list[x509.Certificate],
    intermediarios: list[x509.Certificate],
    agora: dt.datetime,
    janela_passado: int,
    janela_futuro: int,
    revogacao: Revogacao | None = None,
) -> DocumentoAssinado:
    """Verifica um documento assinado do tipo ``esperado`` (nome local do elemento raiz)."""
    nome_doc = NOME_DOCUMENTO.get(esperado, "o documento esperado")
    raiz = analisar_xml(dados)
    qn = etree.QName(raiz)
    if qn.namespace == NS_RECIBO:
        raise ErroAPI(
            422,
            "documento_inesperado",
            f"O documento enviado é um recibo do servidor, não {nome_doc}.",
            ["Recibos servem de comprovante; não podem ser reenviados como pedido."],
        )
    if qn.namespace != NS or qn.localname != esperado:
        raise ErroAPI(
            422,
            "documento_inesperado",
            f"O documento enviado não é {nome_doc}.",
            [f"Esperado o elemento <{esperado}> em {NS}; recebido <{qn.localname}>."],
        )
    if not tem_assinatura(raiz):
        raise ErroAPI(
            422,
            "sem_assinatura",
            "O documento não está assinado digitalmente.",
            [f"Assine {nome_doc} com o certificado ICP-Brasil (e-CPF) antes de enviar."],
        )
    v = verificar_assinatura(
        dados, raizes, intermediarios, raiz_esperada=f"{{{NS}}}{esperado}", revogacao=revogacao
    )
    campos = {
        etree.QName(el).localname: (el.text or "")
        for el in v.raiz.iterchildren(etree.Element)
        if etree.QName(el).namespace == NS
    }
    doc_momento = campos.get("Momento", "").strip()
    try:
        momento = de_iso(doc_momento)
    except ValueError:
        raise ErroAPI(
            422,
            "requisicao_invalida",
            "O documento assinado não traz <Momento> válido (data-hora ISO 8601 com fuso).",
        ) from None
    if momento < agora - dt.timedelta(seconds=janela_passado) or momento > agora + dt.timedelta(
        seconds=janela_futuro
    ):
        raise ErroAPI(
            422,
            "momento_fora_da_janela",
            "O documento foi assinado em um momento muito distante do horário do servidor.",
            [
                f"Assinado em {legivel(momento.isoformat())}; o servidor aceita documentos "
                f"assinados há no máximo {janela_passado // 60} minutos. Assine de novo; se o "
                "erro persistir, confira a data e a hora do computador."
            ],
        )
    if not _NONCE.fullmatch(campos.get("Nonce", "").strip()):
        raise ErroAPI(
            422,
            "requisicao_invalida",
            "O documento assinado deve trazer <Nonce> com 16 a 64 caracteres hexadecimais.",
        )
    return DocumentoAssinado(
        tipo=esperado,
        campos=campos,
        cpf=cpfs.normalizar(v.fatos.cpf or ""),
        nome=v.fatos.nome,
        digest=v.digest,
        momento=momento,
        fatos=v.fatos,
        digest_arquivo=sha256(dados),
    )


def declaracao_guardada(armazem: Armazem, digest: str, protocolo: str) -> Declaracao:
    """A declaração do arquivo guardado de uma transmissão, para as páginas e relatórios.

    O arquivo foi verificado na recepção; se mesmo assim faltar ou não puder ser lido (guardado
    por uma versão que aceitava comentários dentro do conteúdo assinado, ou alterado no disco),
    a resposta é uma recusa com a razão (409), nunca um erro interno, e o log avisa o
    administrador de rodar ``siops-servidor admin verificar``.
    """
    try:
        return ops_format.de_bytes(conteudo_sem_assinatura(armazem.ler(digest)), protocolo)
    except (ops_format.ArquivoInvalido, AssinaturaInvalida, FileNotFoundError) as exc:
        logging.getLogger("siops.servidor").error(
            "o arquivo guardado do protocolo %s não pôde ser lido: %s", protocolo, exc
        )
        raise ErroAPI(
            409,
            "arquivo_guardado_invalido",
            f"A declaração guardada com o protocolo {protocolo} não pôde ser lida.",
            [
                "O arquivo guardado no servidor não confere com o que foi assinado. O "
                "administrador do servidor deve conferi-lo com «siops-servidor admin verificar»."
            ],
        ) from None
