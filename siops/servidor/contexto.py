"""O que cada operação do servidor precisa: configuração, repositório, arquivos, chaves,
raízes confiáveis e correio — montado uma vez na partida (``Contexto.abrir``)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509

from siops.servidor import documentos, tempo
from siops.servidor.armazenamento import Armazem
from siops.servidor.chaves import ChavesRecibo, carregar_ou_gerar
from siops.servidor.config import Config
from siops.servidor.correio import Correio
from siops.servidor.erros import ErroAPI
from siops.servidor.recibos import Emissor
from siops.servidor.repositorio import Repositorio
from siops.servidor.repositorio_sqlite import RepositorioSQLite
from siops.servidor.verificacao import Verificador

_log = logging.getLogger("siops.servidor")


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
        desvio = _desvio_relogio(cfg.relogio)
        repo = RepositorioSQLite(cfg.banco, cfg.fila_escrita)
        return cls(
            cfg=cfg,
            repo=repo,
            armazem=armazem,
            chaves=chaves,
            emissor=Emissor(chaves),
            correio=Correio(cfg),
            verificador=Verificador(
                raizes, intermediarios, cfg.banco, cfg.processos_verificacao if pool else 1
            ),
            raizes=raizes,
            intermediarios=intermediarios,
            desvio_relogio=desvio,
        )

    def fechar(self) -> None:
        """Encerra os processos de verificação e fecha o banco."""
        self.verificador.fechar()
        self.repo.fechar()

    def agora(self) -> dt.datetime:
        """O instante atual (Brasília): o relógio do sistema, ou o da opção ``relogio`` (que
        começa no instante configurado e anda com o do sistema)."""
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
        )
        if self.repo.documento_usado(doc.digest):  # o digest do conteúdo assinado
            raise documento_reutilizado()
        return doc


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


def documento_reutilizado() -> ErroAPI:
    """409 para um documento assinado que já foi usado."""
    return ErroAPI(
        409,
        "documento_reutilizado",
        "Este documento assinado já foi utilizado.",
        ["Cada pedido assinado vale uma única vez; assine um novo pedido."],
    )
