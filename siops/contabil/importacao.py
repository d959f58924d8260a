"""From files to a preview: tell an MSC from a balancete, read, map, compare with the declaration.

``importar(d, arquivos)`` is what the CLI and the dialog call. Several files are accepted: all
the MSCs of the bimestre (the latest month counts, see ``contabil.msc``), or a receita and a
despesa balancete. Nothing in the declaration changes: the caller applies ``Previa.lote()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from siops.contabil.balancete import ler_balancete
from siops.contabil.erros import ErroContabil
from siops.contabil.fonte import FonteContabil, fonte_de_msc
from siops.contabil.msc import ler_msc, parece_msc
from siops.contabil.previa import Previa, previa
from siops.forms.declaracao import Declaracao
from siops.forms.mapeamento import Mapeamento, carregar


def tipo_do_arquivo(caminho: Path) -> str:
    """``"msc"`` or ``"balancete"`` by the extension and, for CSV, the first line."""
    if caminho.suffix.lower() in (".xlsx", ".xlsm"):
        return "balancete"
    if caminho.suffix.lower() == ".xls":
        raise ErroContabil(
            "planilhas .xls (Excel 97–2003) não são lidas; salve como .xlsx ou exporte como CSV.",
            None,
            caminho,
        )
    return "msc" if parece_msc(caminho) else "balancete"


def ler_fonte(
    arquivos: Sequence[Path],
    mapa: Mapeamento,
    colunas: dict[str, str] | None = None,
    config: Path | None = None,
) -> FonteContabil:
    """Read the files into one source (all MSCs, or all balancetes)."""
    arquivos = [Path(a) for a in arquivos]
    if not arquivos:
        raise ErroContabil("informe ao menos um arquivo da contabilidade.")
    for a in arquivos:
        if not a.is_file():
            raise ErroContabil("arquivo não encontrado.", None, a)
    tipos = {a: tipo_do_arquivo(a) for a in arquivos}
    if len(set(tipos.values())) > 1:
        raise ErroContabil(
            "misture não: informe só MSCs ou só balancetes (a MSC já traz receitas e despesas)."
        )
    if next(iter(tipos.values())) == "msc":
        return fonte_de_msc([ler_msc(a, mapa.interessa) for a in arquivos], mapa)
    fontes = [ler_balancete(a, colunas, config) for a in arquivos]
    return _juntar(fontes)


def _juntar(fontes: list[FonteContabil]) -> FonteContabil:
    if len(fontes) == 1:
        return fontes[0]
    total = FonteContabil(
        "balancete",
        " + ".join(f.descricao for f in fontes),
        tuple(a for f in fontes for a in f.arquivos),
    )
    for f in fontes:
        for k, valores in f.receitas.items():
            if k in total.receitas:
                raise ErroContabil(
                    f"a natureza {k[0]} aparece em dois balancetes de receita; informe um só."
                )
            for medida, v in valores.items():
                total.somar_receita(k, medida, v, f.linhas_receita.get(k, 0))
        for kd, valores in f.despesas.items():
            for medida, v in valores.items():
                total.somar_despesa(kd, medida, v, f.linhas_despesa.get(kd, 0))
        total.medidas |= f.medidas
        total.avisos += f.avisos
        total.tem_co |= f.tem_co
    return total


def importar(
    d: Declaracao,
    arquivos: Sequence[Path],
    colunas: dict[str, str] | None = None,
    config: Path | None = None,
    mapeamento: Path | None = None,
) -> Previa:
    """Read the files and build the preview for ``d`` (raises ``ErroContabil``)."""
    mapa = carregar(d.catalogo, mapeamento)
    return previa(d, ler_fonte(arquivos, mapa, colunas, config), mapa)
