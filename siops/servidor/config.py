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
    # Sem ``raizes``: as ACs Raiz oficiais da ICP-Brasil (siops/assinatura/confianca.py).
    # Revogação (LCR/OCSP) das assinaturas recebidas: "estrita" recusa quando a LCR não pode
    # ser obtida; "branda" aceita e registra; "desligada" não consulta (só para testes locais).
    revogacao: str = "estrita"
    proxy_revogacao: str = ""  # proxy para buscar LCR/OCSP; vazio = o do sistema (HTTP_PROXY)
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
    # Uma pasta em vez do SMTP: cada mensagem vira um ``.eml`` nela (servidor/correio.py). É o
    # correio da demonstração e de homologação, onde ninguém tem caixa postal; ``None`` = SMTP.
    correio_pasta: Path | None = None
    horas_token: int = 8
    tentativas_senha: int = 5
    bloqueio_segundos: int = 15 * 60
    intervalo_esqueci_segundos: int = 60
    janela_passado_segundos: int = 3600
    janela_futuro_segundos: int = 300
    processos_verificacao: int = 0  # 0 = um por núcleo; 1 = sem pool (na própria thread)
    fila_escrita: int = 2000  # pedidos aguardando o escritor do banco antes de 503
    # O banco: vazio = SQLite em ``dados/servidor.sqlite3`` (instalação de uma máquina);
    # ``postgresql://usuario@host/banco`` = PostgreSQL (produção, vários workers).
    url_banco: str = ""
    conexoes_banco: int = 16  # conexões com o PostgreSQL por worker
    # Processos do servidor atrás da mesma porta (exige PostgreSQL acima de 1).
    workers: int = 1
    # camada HTTP (servidor/limites.py; docs/api.md §10.1)
    tempo_cabecalho_segundos: float = 10  # o cabeçalho do pedido inteiro, desde o 1º byte
    tempo_corpo_segundos: float = 20  # o máximo sem chegar nenhum byte do corpo
    conexoes_por_endereco: int = 64  # conexões abertas de um mesmo IP (IPv6: /64); 0 = sem
    requisicoes_simultaneas: int = 1000  # requisições em andamento antes de 503; 0 = sem
    nome_servidor: str = "Servidor SIOPS"
    # Instante (ISO 8601 com fuso) em que o relógio do servidor começa, para testes e
    # homologação; vazio = o relógio do sistema. Ver ``Contexto.agora``.
    relogio: str = ""
    # Um arquivo com um instante ISO 8601: o relógio do servidor (e dos comandos ``admin`` da
    # mesma pasta) passa a ser esse instante mais o tempo desde a última gravação do arquivo.
    # Para testes e homologação: regravar o arquivo move o relógio sem reiniciar nada (os
    # prazos, os 30 dias depois da notificação, os 12 meses do condicionamento). Relativo à
    # pasta de dados; vazio = desligado. Ver ``Contexto.agora``.
    relogio_arquivo: Path | None = None
    # Monitoramento (issue 25): de quanto em quanto tempo o servidor confere prazos, envia as
    # notificações devidas e grava a exportação do dia (0 = só pelo ``admin notificar``).
    intervalo_notificacoes_segundos: int = 600
    # Quantos dias antes de cada prazo vai o aviso aos gestores.
    dias_aviso_prazo: int = 5

    @property
    def banco(self) -> Path:
        """O arquivo SQLite (quando ``url_banco`` não aponta para um PostgreSQL)."""
        return self.dados / "servidor.sqlite3"

    @property
    def postgres(self) -> bool:
        """Se o banco é um PostgreSQL (``url_banco``)."""
        return self.url_banco.startswith(("postgresql://", "postgres://"))

    @property
    def endereco_banco(self) -> str:
        """Onde está o banco: a URL do PostgreSQL ou o caminho do arquivo SQLite (o que os
        processos de verificação recebem para ler a referência do FNS)."""
        return self.url_banco if self.postgres else str(self.banco)

    @property
    def pasta_chaves(self) -> Path:
        """Onde ficam a chave e o certificado de recibos."""
        return self.dados / "chaves"

    @property
    def pasta_exportacao(self) -> Path:
        """Os arquivos diários de situação dos entes (``situacao-AAAA-MM-DD.csv``)."""
        return self.dados / "exportacao"

    @property
    def pasta_arquivos(self) -> Path:
        """Os arquivos recebidos, endereçados pelo SHA-256."""
        return self.dados / "arquivos"


_CAMINHOS = {"dados", "certificado", "chave", "correio_pasta", "relogio_arquivo"}
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
    if cfg.revogacao not in ("estrita", "branda", "desligada"):
        raise ValueError(
            f"A opção revogacao deve ser estrita, branda ou desligada (recebido: {cfg.revogacao!r})."
        )
    _validar_limites_http(cfg)
    _validar_banco(cfg)
    for nome, minimo, maximo in (
        ("intervalo_notificacoes_segundos", 0, 86400),
        ("dias_aviso_prazo", 0, 60),
    ):
        v = getattr(cfg, nome)
        if isinstance(v, bool) or not isinstance(v, int) or not minimo <= v <= maximo:
            raise ValueError(f"{nome} deve ser um número inteiro de {minimo} a {maximo} ({v!r}).")
    return cfg


def _validar_banco(cfg: Config) -> None:
    """O banco é SQLite (vazio) ou uma URL ``postgresql://``; mais de um worker exige
    PostgreSQL (o SQLite do servidor tem um só escritor, dentro de um processo)."""
    url = cfg.url_banco
    if not isinstance(url, str) or (url and not cfg.postgres):
        raise ValueError(
            f"O banco deve ser uma URL postgresql://usuario@maquina/banco (recebido: {url!r}); "
            "sem a opção, o servidor usa o SQLite da pasta de dados."
        )
    for nome, maximo in (("workers", 256), ("conexoes_banco", 1000)):
        v = getattr(cfg, nome)
        if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= maximo:
            raise ValueError(f"{nome} deve ser um número inteiro de 1 a {maximo} ({v!r}).")
    if cfg.workers > 1 and not cfg.postgres:
        raise ValueError(
            f"Com {cfg.workers} workers o banco precisa ser PostgreSQL (--banco "
            "postgresql://…): o SQLite da pasta de dados aceita um só processo servidor."
        )


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


def para_json(cfg: Config) -> str:
    """A configuração inteira em JSON (segredos inclusive), para passar aos workers
    (``de_json`` a reconstrói sem reler ``servidor.json``)."""
    out: dict[str, Any] = {}
    for f in fields(cfg):
        v = getattr(cfg, f.name)
        if isinstance(v, Path):
            v = str(v)
        elif isinstance(v, tuple):
            v = [str(x) for x in v]
        out[f.name] = v
    return json.dumps(out, ensure_ascii=False)


def de_json(texto: str) -> Config:
    """A configuração gravada por ``para_json``."""
    bruto = json.loads(texto)
    return Config(**{k: _converter(k, v) for k, v in bruto.items()})


def _sem_senha_na_url(url: str) -> str:
    """``postgresql://u:SENHA@h/b`` → ``postgresql://u:***@h/b`` (para o log)."""
    if "://" not in url or "@" not in url:
        return url
    esquema, resto = url.split("://", 1)
    credenciais, maquina = resto.rsplit("@", 1)
    if ":" in credenciais:
        credenciais = credenciais.split(":", 1)[0] + ":***"
    return f"{esquema}://{credenciais}@{maquina}"


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
        if f.name == "url_banco":
            v = _sem_senha_na_url(v)
        out[f.name] = v
    return out


__all__ = ["MIB", "Config", "carregar", "como_dict", "de_json", "para_json"]
