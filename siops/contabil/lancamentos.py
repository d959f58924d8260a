"""From the items of an accounting source to the lines of the ledger (``forms.razao``).

A despesa item of the MSC or balancete (FS função/subfunção, ND natureza, FR fonte, CO código de
acompanhamento) becomes a ``ChaveDespesa(planilha, subfunção, natureza)``:

* the subfunção from the budget subfunção of the função 10 (``razao.subfuncao_do_codigo``:
  301–306, the administrative 121–131, the others), or the one the mapping gives an additional
  FS (the debt service 28.843/28.844 paid with ASPS funds → "outras"); a despesa outside the
  health scope has no line at all (``None``), as before the ledger;
* the natureza to its 10 digits (``razao.natureza_despesa``);
* the planilha from the FR and the CO by the table of the mapping data
  (``Mapeamento.planilha``, section ``planilhas`` of ``resources/msc_mapeamento.json``).

A receita item (NR natureza, FR fonte) becomes a ``ChaveReceita(natureza, fonte)``, the fonte
kept only where a rule of the mapping tells that natureza apart by it
(``Mapeamento.fonte_distingue``), so that the receitas of one natureza are one line.

The lines the model excludes from the Anexo 12 (modalidade 71/73/74, inativos) are ledger lines
all the same — it is what the accounting says —; the classifier (``forms.razao.Classificador``)
keeps them out of the Anexo 12 with the reason. An item that cannot be a ledger line (no
subfunção, a natureza that is not one) gets the reason instead of a key.
"""

from __future__ import annotations

from dataclasses import dataclass

from siops.forms.mapeamento import Mapeamento, MapeamentoInvalido, RegraPlanilha
from siops.forms.razao import (
    ChaveDespesa,
    ChaveInvalida,
    ChaveReceita,
    natureza_despesa,
    subfuncao,
    subfuncao_do_codigo,
)


@dataclass(frozen=True, slots=True)
class ChaveDaFonte:
    """The ledger line of a source item, or why it has none (``chave`` None, ``motivo``)."""

    chave: ChaveDespesa | ChaveReceita | None
    motivo: str = ""
    regra: str = ""  # the mapping rule that brought the item in (additional FS)
    planilha: RegraPlanilha | None = None  # the rule of the FR/CO → planilha table (despesas)


def chave_receita(mapa: Mapeamento, nr: str, fr: str) -> ChaveDaFonte:
    """The ledger line of a receita of natureza ``nr`` and fonte ``fr`` (digits)."""
    if not nr:
        return ChaveDaFonte(None, "linha sem natureza da receita")
    try:
        return ChaveDaFonte(ChaveReceita.de(nr, fr if mapa.fonte_distingue(nr) else ""))
    except ChaveInvalida as exc:
        return ChaveDaFonte(None, str(exc))


def chave_despesa(mapa: Mapeamento, fs: str, nd: str, fr: str, co: str) -> ChaveDaFonte | None:
    """The ledger line of a despesa (codes as digits); ``None`` outside the health scope."""
    escopo = mapa.subfuncao_despesa(fs, nd, fr, co)
    if escopo is None:
        return None
    codigo, regra = escopo
    if fs[:2] == mapa.funcao:
        if len(codigo) < 3:
            return ChaveDaFonte(None, "linha sem subfunção")
        sid = subfuncao_do_codigo(codigo).id
    else:
        try:
            sid = subfuncao(codigo).id
        except KeyError:
            raise MapeamentoInvalido(
                f"A subfunção '{codigo}' de '{regra}' no mapeamento não é uma subfunção do razão."
            ) from None
    if not nd:
        return ChaveDaFonte(None, "linha sem natureza da despesa")
    try:
        natureza = natureza_despesa(nd)
    except ChaveInvalida as exc:
        return ChaveDaFonte(None, str(exc))
    p = mapa.planilha(fr, co)
    return ChaveDaFonte(ChaveDespesa(p.planilha, sid, natureza), "", regra, p)
