"""O resumo das alterações para a justificativa do pedido de retransmissão (issue 26), sem Qt.

O gestor pede a retransmissão de um período já homologado dizendo o que estava errado. O
resumo compara o que foi transmitido — a cópia assinada que o Transmissor guardou ao lado da
cópia de transmissão (``transm/<nome>.assinado.xml``, exatamente o que o servidor recebeu), ou,
sem ela, a própria cópia ``transm/<nome>.OPS`` — com o arquivo de trabalho da pasta do bimestre,
e oferece as linhas "antigo → novo" e o efeito no percentual (``relatorios.comparacao``) como
início da justificativa, dentro do limite do pedido (2000 caracteres).
"""

from __future__ import annotations

from pathlib import Path

from siops.forms.declaracao import Declaracao
from siops.ops_format import ArquivoInvalido, caminhos, de_bytes, ler

#: The request's limit (``transmissor.documentos.validar_justificativa``).
LIMITE_JUSTIFICATIVA = 2000
SUFIXO_ASSINADO = ".assinado.xml"


class SemResumo(Exception):
    """Não há o que comparar (mensagem em português, com os caminhos procurados)."""


def ler_transmitida(caminho: Path) -> Declaracao:
    """A cópia transmitida: a assinada (sem a assinatura, que o Transmissor conferiu ao enviar)
    ou a ``.OPS`` de ``transm``. ``ArquivoInvalido`` em português."""
    if not caminho.name.lower().endswith(SUFIXO_ASSINADO):
        return ler(caminho)
    from siops.assinatura import xmldsig

    try:
        dados = caminho.read_bytes()
        conteudo = xmldsig.conteudo_sem_assinatura(dados)
    except OSError as exc:
        raise ArquivoInvalido(f"Não foi possível ler {caminho}: {exc.strerror}.") from None
    except xmldsig.AssinaturaInvalida as exc:
        raise ArquivoInvalido(f"{caminho}: a cópia assinada não é legível ({exc}).") from None
    return de_bytes(conteudo, str(caminho))


def transmitida_de(trabalho: Path, d: Declaracao) -> Path | None:
    """A cópia transmitida do arquivo de trabalho ``trabalho`` (a assinada, senão a de
    ``transm``), ou None."""
    copia = (
        trabalho.parent
        / caminhos.PASTA_TRANSMISSAO
        / caminhos.nome_arquivo(d.ente, d.exercicio, d.bimestre)
    )
    for p in (copia.with_name(copia.stem + SUFIXO_ASSINADO), copia):
        if p.is_file():
            return p
    return None


def resumo_do_arquivo(trabalho: Path, limite: int = LIMITE_JUSTIFICATIVA) -> str:
    """O resumo das alterações da cópia transmitida ao arquivo de trabalho ``trabalho``."""
    from siops.relatorios.comparacao import ComparacaoInvalida, comparar

    try:
        novo = ler(trabalho)
    except ArquivoInvalido as exc:
        raise SemResumo(str(exc)) from None
    transmitida = transmitida_de(trabalho, novo)
    if transmitida is None:
        raise SemResumo(
            f"Não há cópia transmitida de {trabalho.name} na pasta "
            f"{trabalho.parent / caminhos.PASTA_TRANSMISSAO}: nada a comparar."
        )
    try:
        antigo = ler_transmitida(transmitida)
        c = comparar(antigo, novo, transmitida.name, trabalho.name)
    except (ArquivoInvalido, ComparacaoInvalida) as exc:
        raise SemResumo(str(exc)) from None
    if (antigo.exercicio, antigo.bimestre) != (novo.exercicio, novo.bimestre):
        raise SemResumo(
            f"A cópia transmitida ({transmitida.name}) não é do mesmo período do arquivo "
            f"{trabalho.name}."
        )
    return c.justificativa(limite)


def resumo_do_periodo(
    codigo_ente: str, exercicio: int, bimestre: int, limite: int = LIMITE_JUSTIFICATIVA
) -> str:
    """O resumo do período pelas pastas padrão do MS-SIOPS (``ops_format.caminhos``)."""
    from siops.forms.entes import EnteDesconhecido, ente

    try:
        e = ente(codigo_ente.strip().upper())
    except EnteDesconhecido as exc:
        raise SemResumo(str(exc)) from None
    trabalho = caminhos.caminho_padrao(e, exercicio, bimestre)
    if not trabalho.is_file():
        raise SemResumo(
            f"O arquivo do {bimestre}º bimestre de {exercicio} não foi encontrado em {trabalho}: "
            "escolha o arquivo de trabalho da declaração."
        )
    return resumo_do_arquivo(trabalho, limite)


def juntar(resumo: str, atual: str, limite: int = LIMITE_JUSTIFICATIVA) -> str:
    """O resumo como início da justificativa, seguido do que o gestor já escreveu (que nunca
    é cortado); o resumo encolhe para caber no limite."""
    atual = atual.strip()
    if not atual:
        return resumo[:limite]
    espaco = limite - len(atual) - 2
    if espaco <= 0:
        return atual
    if len(resumo) > espaco:
        resumo = resumo[: max(0, espaco - 1)].rstrip() + "…"
    return f"{resumo}\n\n{atual}"
