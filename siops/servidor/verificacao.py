"""A parte pesada da recepção — assinatura, cadeia, leitura endurecida + XSD e críticas — como
uma função pura do corpo recebido, executada num *pool* de processos.

Essa verificação é CPU pura em Python (a maior parte do tempo de uma recepção) e, em threads,
disputaria o GIL; em processos usa os núcleos da máquina. O processo principal fica com o que
precisa de estado compartilhado: sessão, papéis, período, gravação e banco (um só escritor).
``processos=1`` (ou um só núcleo) faz tudo na própria thread, sem pool.

O resultado (``Verificada``) leva só fatos pequenos (ente, período, signatário, achados das
críticas); as recusas voltam como ``ErroAPI`` (que atravessa o pool por pickle).
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import sqlite3
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from lxml import etree

from siops import criticas, ops_format
from siops.assinatura.revogacao import Revogacao
from siops.assinatura.xmldsig import conteudo_sem_assinatura
from siops.criticas.referencia import ReferenciaFNS
from siops.forms.declaracao import Declaracao
from siops.ops_format.versoes import versao_do_namespace
from siops.servidor import cpf as cpfs
from siops.servidor import documentos
from siops.servidor.armazenamento import Armazem
from siops.servidor.banco import Sobrecarregado
from siops.servidor.erros import ErroAPI
from siops.servidor.recibos import NS as NS_RECIBO
from siops.servidor.repositorios import ler_digest_vigente, ler_referencia


@dataclass(frozen=True)
class Verificada:
    """O que a verificação apurou de uma declaração assinada válida."""

    ente: str
    uf: str
    descricao: str
    exercicio: int
    bimestre: int
    cpf: str
    nome: str
    avisos: list[dict] = field(default_factory=list)
    impeditivas: list[dict] = field(default_factory=list)


@dataclass
class _Estado:
    raizes: list[x509.Certificate]
    intermediarios: list[x509.Certificate]
    banco: str  # Config.endereco_banco: a URL do PostgreSQL ou o caminho do SQLite
    conexao: sqlite3.Connection | None = None
    revogacao: Revogacao | None = None
    #: Config.pasta_arquivos: de onde ler a declaração do bimestre anterior (críticas 204/515)
    arquivos: str | None = None


_ESTADO: _Estado | None = None


def _vigiar_pai() -> None:
    """Termina este processo do pool quando o servidor morre (até por SIGKILL): sem isso, os
    processos órfãos ficariam esperando trabalho para sempre."""
    pai = multiprocessing.parent_process()
    if pai is None:
        return

    def vigia() -> None:
        multiprocessing.connection.wait([pai.sentinel])
        os._exit(0)

    threading.Thread(target=vigia, name="vigia-do-servidor", daemon=True).start()


def _iniciar(
    raizes: list[bytes],
    intermediarios: list[bytes],
    banco: str,
    vigiar: bool = False,
    revogacao: Revogacao | None = None,
    arquivos: str | None = None,
) -> None:
    """Inicializador de cada processo do pool (e do modo sem pool); ``revogacao``: como
    consultar LCR/OCSP (cada processo tem o seu cache de LCRs); ``arquivos``: a pasta dos
    arquivos recebidos (a declaração do bimestre anterior, para as críticas 204/515)."""
    global _ESTADO
    if vigiar:
        _vigiar_pai()
    _ESTADO = _Estado(
        [x509.load_pem_x509_certificate(p) for p in raizes],
        [x509.load_pem_x509_certificate(p) for p in intermediarios],
        banco,
        revogacao=revogacao,
        arquivos=arquivos,
    )


def _referencia(codigo: str, exercicio: int) -> ReferenciaFNS | None:
    assert _ESTADO is not None
    linhas = ler_referencia(_ESTADO.banco, codigo, exercicio)
    if not linhas:
        return None
    ref = ReferenciaFNS(fonte="servidor")
    for r in linhas:
        ref.definir(codigo, exercicio, r["bimestre"], **{r["item"]: Decimal(r["valor"])})
    return ref


#: Declarações anteriores já lidas neste processo, por digest (poucas: as do período corrente).
_ANTERIORES: dict[str, Declaracao] = {}
_MAX_ANTERIORES = 64


def _anterior(codigo: str, exercicio: int, bimestre: int) -> Declaracao | None:
    """A transmissão vigente do bimestre anterior do mesmo ente e exercício, como o cliente a
    usa no seu portão (issue 20.3): as mesmas regras com as mesmas entradas. Sem ela (1º
    bimestre, ainda não transmitida, arquivo ilegível), as críticas 204/515 ficam de fora."""
    assert _ESTADO is not None
    if bimestre <= 1 or not _ESTADO.arquivos:
        return None
    digest = ler_digest_vigente(_ESTADO.banco, codigo, exercicio, bimestre - 1)
    if digest is None:
        return None
    d = _ANTERIORES.get(digest)
    if d is None:
        try:
            bruto = Armazem(Path(_ESTADO.arquivos)).ler(digest)
            d = ops_format.de_bytes(conteudo_sem_assinatura(bruto), "bimestre anterior")
        except Exception:  # the file was checked on reception; a failure only skips 204/515
            logging.getLogger("siops.servidor").warning(
                "a declaração anterior %s não pôde ser lida para as críticas", digest
            )
            return None
        if len(_ANTERIORES) >= _MAX_ANTERIORES:
            _ANTERIORES.pop(next(iter(_ANTERIORES)))
        _ANTERIORES[digest] = d
    if d.ente.codigo != codigo or d.exercicio != exercicio or d.bimestre >= bimestre:
        return None
    return d


def verificar_corpo(corpo: bytes) -> Verificada:
    """Verifica o corpo de uma transmissão (ver a docstring do módulo); ``ErroAPI`` na recusa.

    Uma exceção inesperada na conferência também recusa o arquivo (nunca o aceita), com uma
    ``ErroAPI`` que atravessa o pool de processos; o detalhe técnico fica no log.
    """
    try:
        return _verificar_corpo(corpo)
    except ErroAPI:
        raise
    except Exception:
        logging.getLogger("siops.servidor").exception("falha inesperada ao conferir um arquivo")
        raise ErroAPI(
            422,
            "arquivo_invalido",
            "O arquivo enviado não pôde ser conferido e foi recusado.",
            [
                "O documento tem uma estrutura que o servidor não reconhece; gere de novo o "
                "arquivo para transmissão e assine-o outra vez."
            ],
        ) from None


def _verificar_corpo(corpo: bytes) -> Verificada:
    assert _ESTADO is not None, "verificacao._iniciar não foi chamado"
    raiz = documentos.analisar_xml(corpo, "O arquivo enviado")
    qn = etree.QName(raiz)
    if qn.namespace == NS_RECIBO:
        raise ErroAPI(
            422,
            "documento_nao_e_declaracao",
            "O arquivo enviado é um recibo do servidor, não uma declaração.",
            [
                "Envie o arquivo de transmissão (.OPS) assinado, não o recibo que o servidor "
                "devolveu."
            ],
        )
    if qn.localname != "declaracao" or versao_do_namespace(qn.namespace or "") is None:
        raise ErroAPI(
            422,
            "documento_nao_e_declaracao",
            "O arquivo enviado não é uma declaração do SIOPS (.OPS).",
            [
                f"O elemento raiz é <{qn.localname}>; esperado <declaracao> de "
                f"{ops_format.namespace()}."
            ],
        )
    if not documentos.tem_assinatura(raiz):
        raise ErroAPI(
            422,
            "sem_assinatura",
            "O arquivo não está assinado digitalmente.",
            ["A declaração deve ser assinada com o certificado ICP-Brasil antes do envio."],
        )
    v = documentos.verificar_assinatura(
        corpo, _ESTADO.raizes, _ESTADO.intermediarios, revogacao=_ESTADO.revogacao
    )
    # Só o conteúdo assinado (o elemento que o verificador devolve) vale.
    conteudo = etree.tostring(v.raiz, xml_declaration=True, encoding="UTF-8")
    try:
        d = ops_format.de_bytes(conteudo, "recebido")
    except ops_format.ArquivoInvalido as exc:
        raise ErroAPI(
            422,
            "arquivo_invalido",
            "O arquivo recebido não é uma declaração válida.",
            [str(exc)],
        ) from None
    codigo = d.ente.codigo
    achados = criticas.verificar(
        d,
        _referencia(codigo, d.exercicio),
        anterior=_anterior(codigo, d.exercicio, d.bimestre),
    )
    cat = d.catalogo
    avisos: list[dict] = []
    impeditivas: list[dict] = []
    for a in achados:
        item = {
            "codigo": str(a.codigo),
            "severidade": a.severidade,
            "mensagem": a.mensagem,
            "local": a.local(cat),
        }
        (impeditivas if a.impeditiva else avisos).append(item)
    return Verificada(
        ente=codigo,
        uf=d.ente.uf,
        descricao=d.ente.descricao,
        exercicio=d.exercicio,
        bimestre=d.bimestre,
        cpf=cpfs.normalizar(v.fatos.cpf or ""),
        nome=v.fatos.nome,
        avisos=avisos,
        impeditivas=impeditivas,
    )


def _nada() -> int:
    return os.getpid()


def _pem(c: x509.Certificate) -> bytes:
    return c.public_bytes(serialization.Encoding.PEM)


class Verificador:
    """Executa ``verificar_corpo`` num pool de ``processos`` (0 = um por núcleo)."""

    def __init__(
        self,
        raizes: list[x509.Certificate],
        intermediarios: list[x509.Certificate],
        banco: Path | str,
        processos: int = 0,
        revogacao: Revogacao | None = None,
        arquivos: Path | str | None = None,
    ) -> None:
        self._revogacao = revogacao
        self._arquivos = str(arquivos) if arquivos is not None else None
        self._args = ([_pem(c) for c in raizes], [_pem(c) for c in intermediarios], str(banco))
        self.processos = processos or (os.cpu_count() or 1)
        self._trava = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        if self.processos <= 1:
            _iniciar(*self._args, revogacao=revogacao, arquivos=self._arquivos)
        else:
            self._pool = self._novo_pool()

    def _novo_pool(self) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(
            max_workers=self.processos,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_iniciar,
            initargs=(*self._args, True, self._revogacao, self._arquivos),
        )
        # aquece: cada processo importa o núcleo e carrega o catálogo antes do primeiro envio
        for f in [pool.submit(_nada) for _ in range(self.processos)]:
            f.result(timeout=120)
        return pool

    def verificar(self, corpo: bytes) -> Verificada:
        """O resultado da verificação (``ErroAPI`` na recusa; ``Sobrecarregado`` se o pool
        quebrou — ele é recriado para os próximos pedidos)."""
        if self._pool is None:
            return verificar_corpo(corpo)
        pool = self._pool
        try:
            futuro: Future[Verificada] = pool.submit(verificar_corpo, corpo)
            return futuro.result()
        except BrokenProcessPool:
            with self._trava:
                if self._pool is pool:
                    self._pool = self._novo_pool()
            raise Sobrecarregado("o pool de verificação foi reiniciado") from None

    def fechar(self) -> None:
        """Encerra os processos."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
