"""As configurações do transmissor e a sua pasta de dados.

Ficam em ``<dados>/configuracoes.json``, onde ``<dados>`` é a pasta de dados do usuário
(platformdirs, "siops-desktop/transmissor") ou ``SIOPS_TRANSMISSOR_DADOS`` (testes, escritórios
que atendem vários entes). Ali também ficam a fila (``fila/``) e as âncoras dos recibos de cada
servidor (``servidores/<host>.pem``: guardadas na primeira conversa com o servidor).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cryptography import x509

from siops.assinatura.certificados import CertificadoInvalido
from siops.assinatura.revogacao import Revogacao
from siops.transmissor.recibos import gravar_atomico

VARIAVEL_DADOS = "SIOPS_TRANSMISSOR_DADOS"
SERVIDOR_PADRAO = "http://127.0.0.1:8470"


def pasta_dados() -> Path:
    """A pasta de dados do transmissor (criada se preciso)."""
    definida = os.environ.get(VARIAVEL_DADOS, "").strip()
    if definida:
        p = Path(definida).expanduser()
    else:
        import platformdirs

        p = Path(platformdirs.user_data_dir("siops-desktop", appauthor=False)) / "transmissor"
    p.mkdir(parents=True, exist_ok=True)
    return p


@dataclass
class Configuracoes:
    """Servidor, rede e certificado preferidos. Tudo opcional menos o servidor."""

    servidor: str = SERVIDOR_PADRAO
    proxy_modo: str = "sistema"  # "sistema" | "nenhum" | "manual"
    proxy: str = ""
    ca_bundle: str = ""
    cpf: str = ""
    tipo_certificado: str = "a1"  # "a1" | "a3"
    arquivo_a1: str = ""
    modulo_pkcs11: str = ""
    rotulo_token: str = ""
    raizes_icp: list[str] = field(default_factory=list)
    intermediarios_icp: list[str] = field(default_factory=list)  # "ACs intermediárias…"

    @property
    def proxy_efetivo(self) -> str | None:
        """O valor para ``ConfigRede.proxy``: None (sistema), "" (nenhum) ou a URL."""
        if self.proxy_modo == "nenhum":
            return ""
        if self.proxy_modo == "manual":
            return self.proxy.strip()
        return None

    @classmethod
    def carregar(cls, pasta: Path | None = None) -> Configuracoes:
        """Lê as configurações (padrões se não há arquivo ou ele está ilegível)."""
        caminho = (pasta or pasta_dados()) / "configuracoes.json"
        try:
            d = json.loads(caminho.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        nomes = set(cls.__dataclass_fields__)
        try:
            return cls(**{k: v for k, v in d.items() if k in nomes})
        except TypeError:
            return cls()

    def salvar(self, pasta: Path | None = None) -> None:
        """Grava as configurações (sem senhas nem PINs: esses nunca são guardados)."""
        caminho = (pasta or pasta_dados()) / "configuracoes.json"
        gravar_atomico(
            caminho, json.dumps(asdict(self), ensure_ascii=False, indent=2).encode("utf-8")
        )

    def raizes(self) -> list[x509.Certificate]:
        """As ACs raiz em que o transmissor confia ao conferir o certificado antes de assinar.

        As configuradas em ``raizes_icp`` (a demonstração e os testes configuram a hierarquia
        de teste) ou, sem nenhuma, as ACs Raiz oficiais da ICP-Brasil distribuídas com o
        programa (``assinatura.confianca``) — como o servidor faz sem ``raizes``. A hierarquia
        de teste só vale onde foi configurada. Um arquivo configurado que não pode ser lido
        levanta ``CertificadoInvalido``: a conferência nunca é desligada em silêncio.
        """
        if not self.raizes_icp:
            from siops.assinatura.confianca import raizes_oficiais

            return list(raizes_oficiais())
        saida: list[x509.Certificate] = []
        for p in self.raizes_icp:
            try:
                saida += x509.load_pem_x509_certificates(Path(p).read_bytes())
            except (OSError, ValueError):
                raise CertificadoInvalido(
                    f"As ACs raiz configuradas no transmissor (raizes_icp) não puderam ser lidas "
                    f"de {p}. Corrija o arquivo, ou retire a opção raizes_icp de "
                    "configuracoes.json para usar as ACs Raiz oficiais da ICP-Brasil."
                ) from None
        return saida

    def intermediarios(self) -> list[x509.Certificate]:
        """As ACs intermediárias que o usuário indicou e as distribuídas com o programa: de
        onde se completa a cadeia de um certificado A3 (o token só guarda o do titular)."""
        from siops.assinatura.confianca import intermediarias_oficiais

        return _pems(self.intermediarios_icp) + list(intermediarias_oficiais())

    def revogacao(self) -> Revogacao:
        """A consulta de LCR/OCSP antes de assinar: branda (falha de rede = aviso; o servidor
        decide), pelo proxy configurado."""
        return Revogacao(estrita=False, proxy=self.proxy_efetivo)


def _pems(caminhos: list[str]) -> list[x509.Certificate]:
    saida: list[x509.Certificate] = []
    for p in caminhos:
        try:
            saida += x509.load_pem_x509_certificates(Path(p).read_bytes())
        except (OSError, ValueError):
            continue
    return saida


def _nome_servidor(servidor: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", servidor.split("://", 1)[-1]).strip("_")


def caminho_ancora(servidor: str, pasta: Path | None = None) -> Path:
    """Onde fica guardada a AC de recibos de ``servidor``."""
    return (pasta or pasta_dados()) / "servidores" / f"{_nome_servidor(servidor)}.pem"


def ancoras_guardadas(
    servidor: str | None = None, pasta: Path | None = None
) -> list[x509.Certificate]:
    """As ACs de recibos guardadas (de um servidor, ou de todos)."""
    base = (pasta or pasta_dados()) / "servidores"
    arquivos = [caminho_ancora(servidor, pasta)] if servidor else sorted(base.glob("*.pem"))
    saida: list[x509.Certificate] = []
    for a in arquivos:
        try:
            saida += x509.load_pem_x509_certificates(a.read_bytes())
        except (OSError, ValueError):
            continue
    return saida


def guardar_ancora(servidor: str, pem: bytes, pasta: Path | None = None) -> list[x509.Certificate]:
    """Acrescenta a AC de recibos do servidor às guardadas (as antigas continuam valendo)."""
    novos = x509.load_pem_x509_certificates(pem)
    existentes = ancoras_guardadas(servidor, pasta)
    juntos = existentes + [c for c in novos if c not in existentes]
    if len(juntos) != len(existentes):
        from cryptography.hazmat.primitives.serialization import Encoding

        gravar_atomico(
            caminho_ancora(servidor, pasta), b"".join(c.public_bytes(Encoding.PEM) for c in juntos)
        )
    return juntos
