"""O que cada operação do servidor precisa: configuração, repositório, arquivos, chaves,
raízes confiáveis e correio — montado uma vez na partida (``Contexto.abrir``)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509

from siops.assinatura import confianca
from siops.assinatura.revogacao import Revogacao
from siops.servidor import documentos, repositorios, tempo
from siops.servidor.armazenamento import Armazem
from siops.servidor.chaves import ChavesRecibo, carregar_ou_gerar
from siops.servidor.config import Config
from siops.servidor.correio import Correio
from siops.servidor.erros import ErroAPI
from siops.servidor.recibos import Emissor
from siops.servidor.repositorio import Repositorio
from siops.servidor.verificacao import Verificador

_log = logging.getLogger("siops.servidor")


def politica_revogacao(cfg: Config) -> Revogacao | None:
    """A consulta de LCR/OCSP configurada (None = desligada)."""
    if cfg.revogacao == "desligada":
        return None
    return Revogacao(estrita=cfg.revogacao == "estrita", proxy=cfg.proxy_revogacao or None)


def carregar_pems(caminhos: tuple[Path, ...]) -> list[x509.Certificate]:
    """Todos os certificados dos arquivos PEM (um arquivo pode ter vários)."""
    certs: list[x509.Certificate] = []
    for c in caminhos:
        certs.extend(x509.load_pem_x509_certificates(Path(c).read_bytes()))
    return certs


@dataclass
class Contexto:
    """Os serviços compartilhados por todas as requisições."""

    cfg: Config
    repo: Repositorio
    armazem: Armazem
    chaves: ChavesRecibo
    emissor: Emissor
    correio: Correio
    verificador: Verificador
    raizes: list[x509.Certificate] = field(default_factory=list)
    intermediarios: list[x509.Certificate] = field(default_factory=list)
    desvio_relogio: dt.timedelta = dt.timedelta(0)
    revogacao: Revogacao | None = None

    @classmethod
    def abrir(cls, cfg: Config, pool: bool = True) -> Contexto:
        """Abre (criando se preciso) a pasta de dados, o banco e as chaves de recibo; com
        ``pool``, os processos de verificação (a administração não precisa deles)."""
        cfg.dados.mkdir(parents=True, exist_ok=True)
        armazem = Armazem(cfg.pasta_arquivos)
        removidos = armazem.limpar_temporarios()
        if removidos:
            _log.warning("removidos %d arquivos temporários de uma parada brusca", removidos)
        chaves = carregar_ou_gerar(cfg.pasta_chaves, cfg.nome_servidor)
        raizes, intermediarios = carregar_pems(cfg.raizes), carregar_pems(cfg.intermediarios)
        if not cfg.raizes:  # as raízes oficiais da ICP-Brasil, com as ACs abaixo delas
            raizes = list(confianca.raizes_oficiais())
            intermediarios += confianca.intermediarias_oficiais()
        revogacao = politica_revogacao(cfg)
        desvio = _desvio_relogio(cfg.relogio)
        repo = repositorios.abrir(cfg)
        return cls(
            cfg=cfg,
            repo=repo,
            armazem=armazem,
            chaves=chaves,
            emissor=Emissor(chaves),
            correio=Correio(cfg),
            verificador=Verificador(
                raizes,
                intermediarios,
                cfg.endereco_banco,
                processos_verificacao(cfg) if pool else 1,
                revogacao=revogacao,
                arquivos=cfg.pasta_arquivos,
            ),
            raizes=raizes,
            intermediarios=intermediarios,
            desvio_relogio=desvio,
            revogacao=revogacao,
        )

    def fechar(self) -> None:
        """Encerra os processos de verificação e fecha o banco."""
        self.verificador.fechar()
        self.repo.fechar()

    def agora(self) -> dt.datetime:
        """O instante atual (Brasília): o relógio do sistema, ou o da opção ``relogio`` (que
        começa no instante configurado e anda com o do sistema), ou o do arquivo
        ``relogio_arquivo`` (o instante escrito nele mais o tempo desde a sua gravação)."""
        if self.cfg.relogio_arquivo is not None:
            lido = relogio_do_arquivo(self.cfg.relogio_arquivo)
            if lido is not None:
                return lido
        return tempo.agora() + self.desvio_relogio

    def documento(self, dados: bytes, esperado: str) -> documentos.DocumentoAssinado:
        """Verifica um documento assinado de gestor e recusa os já usados."""
        doc = documentos.ler(
            dados,
            esperado,
            self.raizes,
            self.intermediarios,
            self.agora(),
            self.cfg.janela_passado_segundos,
            self.cfg.janela_futuro_segundos,
            self.revogacao,
        )
        if self.repo.documento_usado(doc.digest):  # o digest do conteúdo assinado
            raise documento_reutilizado()
        return doc


def processos_verificacao(cfg: Config) -> int:
    """Quantos processos de verificação cada worker tem: o configurado, ou (0) os núcleos
    divididos entre os workers — com um worker por núcleo, cada um verifica na própria thread
    (sem pool: os workers já são os processos que usam os núcleos)."""
    if cfg.processos_verificacao:
        return cfg.processos_verificacao
    return max(1, (os.cpu_count() or 1) // max(1, cfg.workers))


def _desvio_relogio(relogio: str) -> dt.timedelta:
    """A diferença entre o instante da opção ``relogio`` e agora (zero sem a opção)."""
    if not relogio.strip():
        return dt.timedelta(0)
    try:
        inicio = tempo.de_iso(relogio)
    except ValueError:
        raise ValueError(
            f"A opção relogio deve ser uma data-hora ISO 8601 com fuso (recebido: {relogio!r})."
        ) from None
    _log.warning("relógio do servidor ajustado para começar em %s", tempo.iso(inicio))
    return inicio - tempo.agora()


_RELOGIO: dict[str, tuple[tuple[int, int], dt.datetime]] = {}


def relogio_do_arquivo(caminho: Path) -> dt.datetime | None:
    """O instante do relógio de arquivo: o que está escrito em ``caminho`` (ISO 8601 com fuso)
    mais o tempo desde a última gravação do arquivo; ``None`` (com um aviso no log) se o
    arquivo falta ou não traz um instante. O conteúdo é relido só quando o arquivo muda."""
    try:
        st = os.stat(caminho)
        chave = (st.st_mtime_ns, st.st_size)
        guardado = _RELOGIO.get(str(caminho))
        if guardado is not None and guardado[0] == chave:
            inicio = guardado[1]
        else:
            inicio = tempo.de_iso(Path(caminho).read_text(encoding="utf-8"))
            _RELOGIO[str(caminho)] = (chave, inicio)
    except (OSError, ValueError) as exc:
        _log.warning("relógio de arquivo %s ilegível (%s): vale o do sistema", caminho, exc)
        return None
    decorrido = dt.timedelta(seconds=max(0.0, time.time() - st.st_mtime_ns / 1e9))
    return (inicio + decorrido).astimezone(tempo.BRASILIA)


def documento_reutilizado() -> ErroAPI:
    """409 para um documento assinado que já foi usado."""
    return ErroAPI(
        409,
        "documento_reutilizado",
        "Este documento assinado já foi utilizado.",
        ["Cada pedido assinado vale uma única vez; assine um novo pedido."],
    )
