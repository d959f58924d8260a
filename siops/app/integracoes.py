"""The one place where the client calls the packages below it that are not ``forms``.

``ops_format``, ``criticas``, ``relatorios``, ``contabil`` and ``transmissor`` are imported
lazily, inside these functions, so the window starts fast and a package that is missing from an
installation degrades into a Portuguese message instead of a crash. Each function follows
``docs/contratos.md``; when a contract changes, this module is the only one to touch.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from siops.forms.declaracao import Declaracao
    from siops.forms.entes import Ente


class Indisponivel(RuntimeError):
    """A part of the program that is not installed (message in Portuguese)."""


def _modulo(nome: str, o_que: str) -> Any:
    try:
        return importlib.import_module(nome)
    except ModuleNotFoundError as exc:
        if exc.name and (exc.name == nome or nome.startswith(exc.name + ".")):
            raise Indisponivel(f"{o_que} não está disponível nesta instalação.") from exc
        raise


# --- files (ops_format) -----------------------------------------------------------------------


def ler(caminho: Path) -> Declaracao:
    """Read a .OPS/.IMP file (raises the format's ``ArquivoInvalido`` with a message)."""
    return _modulo("siops.ops_format", "A leitura de arquivos .OPS").ler(Path(caminho))


def salvar(d: Declaracao, caminho: Path) -> None:
    """Atomic save with backup (ops_format)."""
    _modulo("siops.ops_format", "A gravação de arquivos .OPS").salvar(d, Path(caminho))


def caminho_padrao(ente: Ente, exercicio: int, bimestre: int) -> Path:
    """The standard path of a declaration under MS-SIOPS (DOMAIN §4)."""
    cam = _modulo("siops.ops_format.caminhos", "A pasta padrão do SIOPS")
    return Path(cam.caminho_padrao(ente, exercicio, bimestre))


def raiz() -> Path:
    """The MS-SIOPS root folder (for the Open dialog's starting folder)."""
    try:
        return Path(_modulo("siops.ops_format.caminhos", "A pasta padrão").raiz())
    except Indisponivel:
        return Path.home()


def erro_de_arquivo() -> tuple[type[BaseException], ...]:
    """The exception types that mean "this file is not a readable declaration"."""
    tipos: list[type[BaseException]] = [OSError]
    try:
        mod = _modulo("siops.ops_format", "")
        if hasattr(mod, "ArquivoInvalido"):
            tipos.append(mod.ArquivoInvalido)
    except Indisponivel:
        pass
    return tuple(tipos)


def preparar_importacao(anterior: Path, atual: Declaracao) -> Any:
    """Read the previous bimestre's file and compute the import preview (nothing applied).

    Returns ``ops_format.Importacao`` (``.pastas`` with counts, ``.resumo()``, ``.lote``);
    raises ``ArquivoInvalido`` or ``ImportacaoRecusada`` with a Portuguese message.
    """
    mod = _modulo("siops.ops_format", "A importação do bimestre anterior")
    return mod.importar_anterior(mod.ler(Path(anterior)), atual)


def contagens_da_importacao(importacao: Any) -> list[tuple[str, int]]:
    """(pasta title, number of fields and values) rows for the preview dialog."""
    return [(p.titulo, int(p.campos) + int(p.celulas)) for p in importacao.pastas]


def gravar_transmissao(d: Declaracao, caminho: Path) -> Path:
    """Write the transmission copy into ``transm/`` and return its path."""
    mod = _modulo("siops.ops_format", "A gravação do arquivo para transmissão")
    return Path(mod.gravar_transmissao(d, Path(caminho)))


# --- críticas ---------------------------------------------------------------------------------


def novo_verificador(d: Declaracao) -> Any | None:
    """An incremental ``criticas.Verificador`` over the declaration, or None when absent."""
    try:
        mod = _modulo("siops.criticas", "As críticas")
    except Indisponivel:
        return None
    return mod.Verificador(d)


def verificar_tudo(d: Declaracao) -> list[Any]:
    """Run every rule from scratch (menu Ferramentas → Verificar críticas)."""
    return list(_modulo("siops.criticas", "A verificação de críticas").verificar(d))


# --- reports ----------------------------------------------------------------------------------


def gerar_rreo(d: Declaracao, destino: Path) -> Path:
    """Render the RREO Anexo 12 preview (marked PRÉVIA) to a PDF file."""
    _modulo("siops.relatorios", "O relatório RREO").renderizar_rreo(d, Path(destino))
    return Path(destino)


def gerar_relatorio_criticas(d: Declaracao, achados: list[Any], destino: Path) -> Path:
    """Render the críticas report to a PDF file."""
    _modulo("siops.relatorios", "O relatório de críticas").renderizar_criticas(
        d, achados, Path(destino)
    )
    return Path(destino)


def gerar_relatorio(d: Declaracao, tipo: str, destino: Path) -> Path:
    """Render one of the other SIOPS reports (``relatorios.TIPOS``) to a PDF file."""
    _modulo("siops.relatorios", "Os relatórios do SIOPS").renderizar_relatorio(
        d, tipo, Path(destino)
    )
    return Path(destino)


def impeditivas_da_recusa(exc: BaseException) -> list[Any]:
    """The findings a ``TransmissaoRecusada`` carries (empty for other errors)."""
    args = getattr(exc, "args", ())
    if len(args) >= 2 and isinstance(args[1], list | tuple):
        return list(args[1])
    return list(getattr(exc, "impeditivas", []) or [])


# --- transmitter and accounting import (their own windows) ------------------------------------


def abrir_transmissor(pai: Any, arquivo: Path | None) -> Any:
    """Open the transmitter's window (``transmissor/gui``) on a transmission copy."""
    mod = _modulo("siops.transmissor.gui", "O Transmissor")
    for nome in ("abrir", "abrir_janela", "mostrar"):
        fn = getattr(mod, nome, None)
        if fn is not None:
            return fn(pai, arquivo)
    raise Indisponivel("O Transmissor não está disponível nesta instalação.")


def previa_contabil(d: Declaracao, arquivos: list[Path]) -> Any:
    """Read an MSC (one file per month of the bimestre) or a balancete (CSV/XLSX) and compute
    the preview for ``d`` (``contabil.Previa``; nothing applied). Raises ``ErroContabil`` with
    the file and line in Portuguese. Slow for big files: call it off the GUI thread."""
    mod = _modulo("siops.contabil", "A importação da contabilidade")
    return mod.importar(d, [Path(a) for a in arquivos])


def dialogo_contabil(d: Declaracao, previa: Any, pai: Any) -> Any:
    """The accounting-import preview dialog (``app/contabil_dialogo.py``); on ``accepted`` its
    ``lote_escolhido()`` is the one undoable command to apply."""
    mod = _modulo("siops.app.contabil_dialogo", "A importação da contabilidade")
    return mod.DialogoImportacaoContabil(d, previa, pai)
