"""Configuração do servidor: pasta de dados, rede, raízes confiáveis, SMTP e limites.

A fonte é ``DIR/servidor.json`` (opcional) sobreposta pelas opções da linha de comando. Tudo o
que os testes precisam ajustar (limites, bloqueio, primeiro exercício, SMTP) está aqui, e não
espalhado pelo código.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

MIB = 1024 * 1024


@dataclass(frozen=True)
class Config:
    """Os parâmetros de uma instância do servidor (ver docs/api.md §10)."""

    dados: Path
    host: str = "127.0.0.1"
    porta: int = 8470
    certificado: Path | None = None  # HTTPS
    chave: Path | None = None
    raizes: tuple[Path, ...] = ()  # PEM das raízes ICP-Brasil aceitas
    intermediarios: tuple[Path, ...] = ()  # PEM de ACs intermediárias conhecidas (opcional)
    limite_transmissao: int = 20 * MIB
    limite_documento: int = 5 * MIB
    limite_pdf: int = 30 * MIB
    primeiro_exercicio: int = 2024
    smtp_host: str = "127.0.0.1"
    smtp_porta: int = 25
    smtp_remetente: str = "siops@localhost"
    smtp_tls: bool = False
    smtp_usuario: str = ""
    smtp_senha: str = ""
    horas_token: int = 8
    tentativas_senha: int = 5
    bloqueio_segundos: int = 15 * 60
    intervalo_esqueci_segundos: int = 60
    janela_passado_segundos: int = 3600
    janela_futuro_segundos: int = 300
    processos_verificacao: int = 0  # 0 = um por núcleo; 1 = sem pool (na própria thread)
    fila_escrita: int = 2000  # pedidos aguardando o escritor do banco antes de 503
    # camada HTTP (servidor/limites.py; docs/api.md §10.1)
    tempo_cabecalho_segundos: float = 10  # o cabeçalho do pedido inteiro, desde o 1º byte
    tempo_corpo_segundos: float = 20  # o máximo sem chegar nenhum byte do corpo
    conexoes_por_endereco: int = 64  # conexões abertas de um mesmo IP (IPv6: /64); 0 = sem
    requisicoes_simultaneas: int = 1000  # requisições em andamento antes de 503; 0 = sem
    nome_servidor: str = "Servidor SIOPS"
    # Instante (ISO 8601 com fuso) em que o relógio do servidor começa, para testes e
    # homologação; vazio = o relógio do sistema. Ver ``Contexto.agora``.
    relogio: str = ""

    @property
    def banco(self) -> Path:
        """O arquivo SQLite."""
        return self.dados / "servidor.sqlite3"

    @property
    def pasta_chaves(self) -> Path:
        """Onde ficam a chave e o certificado de recibos."""
        return self.dados / "chaves"

    @property
    def pasta_arquivos(self) -> Path:
        """Os arquivos recebidos, endereçados pelo SHA-256."""
        return self.dados / "arquivos"


_CAMINHOS = {"dados", "certificado", "chave"}
_LISTAS = {"raizes", "intermediarios"}


def _converter(nome: str, valor: Any) -> Any:
    if valor is None:
        return None
    if nome in _CAMINHOS:
        return Path(valor)
    if nome in _LISTAS:
        return tuple(Path(v) for v in valor)
    return valor


def carregar(dados: Path, **sobrepor: Any) -> Config:
    """A configuração de ``dados/servidor.json`` com ``sobrepor`` por cima (``None`` é ignorado).

    Caminhos relativos no JSON são relativos à pasta de dados.
    """
    dados = Path(dados).resolve()
    valores: dict[str, Any] = {}
    arquivo = dados / "servidor.json"
    conhecidos = {f.name for f in fields(Config)}
    if arquivo.exists():
        bruto = json.loads(arquivo.read_text(encoding="utf-8"))
        for chave, valor in bruto.items():
            if chave not in conhecidos or chave == "dados":
                raise ValueError(f"Opção desconhecida em {arquivo}: {chave!r}.")
            valor = _converter(chave, valor)
            if chave in _CAMINHOS and valor is not None and not valor.is_absolute():
                valor = dados / valor
            if chave in _LISTAS:
                valor = tuple(v if v.is_absolute() else dados / v for v in valor)
            valores[chave] = valor
    for chave, valor in sobrepor.items():
        if valor is None or (chave in _LISTAS and not valor):
            continue
        valores[chave] = _converter(chave, valor)
    cfg = replace(Config(dados=dados), **valores)
    _validar_limites_http(cfg)
    return cfg


def _validar_limites_http(cfg: Config) -> None:
    """Os limites da camada HTTP são números: tempos positivos, contagens inteiras ≥ 0."""
    for nome in ("tempo_cabecalho_segundos", "tempo_corpo_segundos"):
        v = getattr(cfg, nome)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 < v <= 3600:
            raise ValueError(f"{nome} deve ser um número de segundos entre 0 e 3600 ({v!r}).")
    for nome in ("conexoes_por_endereco", "requisicoes_simultaneas"):
        v = getattr(cfg, nome)
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise ValueError(f"{nome} deve ser um número inteiro maior ou igual a 0 ({v!r}).")


def como_dict(cfg: Config) -> dict[str, Any]:
    """A configuração em tipos JSON (para o log de partida)."""
    out: dict[str, Any] = {}
    for f in fields(cfg):
        v = getattr(cfg, f.name)
        if isinstance(v, Path):
            v = str(v)
        elif isinstance(v, tuple):
            v = [str(x) for x in v]
        if f.name == "smtp_senha" and v:
            v = "***"
        out[f.name] = v
    return out


__all__ = ["MIB", "Config", "carregar", "como_dict"]
