"""Format version 1 → 2: the Anexo 12 typed as cells becomes the ledger (``forms.razao``).

In version 1 the technician typed the Anexo 12's despesas by subfunção × grupo and its receita
lines, and typed the same money again in "despesa por fonte", "por elemento" and in the
consórcios' transfers. In version 2 those are views of the ledger. The step:

* turns each typed Anexo 12 cell the ledger now feeds into its canonical line
  (``Classificador.linha_canonica``): the ASPS despesas go to planilha 4 (impostos e
  transferências — saúde), the ones not computed to planilha 10 (outros recursos), each with
  the natureza of its grupo and no elemento (``3.3.90.00.00.00``); each receita line to its
  natureza;
* drops the cells of the views (fonte, elemento, the transfers to consórcios, the LC 173/2020
  line), which the program now computes — ``relatorio`` lists every one whose typed value
  differs from the computed one, so the user sees what changed;
* keeps every other cell and text field as it was.

The file itself is never rewritten by opening it: the user saves, and only then is it version 2.
"""

from __future__ import annotations

from lxml import etree

from siops.forms.catalogo import catalogo
from siops.forms.declaracao import Declaracao
from siops.forms.dinheiro import ValorInvalido, formatar, parse_plano, texto_plano
from siops.forms.razao import celulas_para_razao, ordem
from siops.ops_format import versoes
from siops.ops_format.resumo import Conteudo

#: The nature of a converted line: the grupo with modalidade 90 and no elemento.
NOTA_SEM_ELEMENTO = (
    "As linhas convertidas não têm elemento de despesa (natureza 3.x.90.00): detalhe-as no "
    "razão, ou importe o razão da contabilidade (MSC, balancete ou arquivo .IMPT)."
)


def _v1_para_v2(raiz: etree._Element) -> etree._Element:
    from siops.ops_format.formato import extrair, linha_razao, raiz_de

    c = extrair(raiz)
    try:
        cat = catalogo(c.esfera, int(c.exercicio))
    except ValueError:  # an esfera or exercício the semantic checks will refuse by name
        return raiz_de(c)
    valores = []
    resto = []
    for t, lin, k, bruto in c.celulas:
        try:
            valores.append(((t, lin, k), parse_plano(bruto)))
        except ValorInvalido:
            resto.append((t, lin, k, bruto))  # the semantic checks say which and why
    conv = celulas_para_razao(cat, valores)
    novo = Conteudo(
        ente=c.ente,
        esfera=c.esfera,
        exercicio=c.exercicio,
        bimestre=c.bimestre,
        layout=c.layout,
        campos=list(c.campos),
        celulas=[(t, lin, k, texto_plano(v)) for (t, lin, k), v in conv.digitadas.items()] + resto,
        razao=[
            linha_razao(k, v) for k, v in sorted(conv.razao.items(), key=lambda kv: ordem(kv[0]))
        ],
        programa=c.programa,
    )
    return raiz_de(novo)


PASSO_1_2 = versoes.Passo(
    1,
    "receitas e despesas do Anexo 12 passam a ser linhas do razão; fonte, elemento e "
    "consórcios (II) passam a ser calculados",
    _v1_para_v2,
)


def linhas_de_origem(antigo: Conteudo) -> dict[tuple[str, ...], int | None]:
    """The lines of a version-1 file, keyed as the converted content names them: its own
    keys, and each ledger line made from a cell at that cell's line."""
    from siops.ops_format.formato import linha_razao

    linhas = dict(antigo.linhas)
    try:
        cat = catalogo(antigo.esfera, int(antigo.exercicio))
    except ValueError:
        return linhas
    cls = cat.classificador
    for t, lin, k, _ in antigo.celulas:
        if (t, lin, k) not in cat.agregadas:
            continue
        canon = cls.linha_canonica((t, lin, k))
        if canon is None:
            continue
        tipo, chave, _ = linha_razao(canon[0], {})
        onde = (tipo, *(v for _, v in sorted(chave)))
        linha = antigo.linhas.get(("c", t, lin, k))
        linhas.setdefault(onde, linha)
        linhas[(*onde, canon[1])] = linha  # a value's own cell
    return linhas


def relatorio(versao: int, antigo: Conteudo, d: Declaracao) -> list[str]:
    """What the conversion from ``versao`` changed, in Portuguese, one sentence per item."""
    if versao != 1:
        return []
    cat = d.catalogo
    valores = []
    for t, lin, k, bruto in antigo.celulas:
        try:
            valores.append(((t, lin, k), parse_plano(bruto)))
        except ValorInvalido:
            continue
    conv = celulas_para_razao(cat, valores)
    n_linhas = len(conv.razao)
    avisos = [
        f"O arquivo está no formato 1 (o Anexo 12 digitado célula a célula) e foi convertido "
        f"para o formato 2 (o razão de receitas e despesas): {n_linhas} linha(s) do razão "
        "foram criadas a partir das células digitadas; os totais do Anexo 12 e o percentual "
        "aplicado não mudam. O arquivo só será gravado no formato novo quando você salvar."
    ]
    if any(k.__class__.__name__ == "ChaveDespesa" for k in conv.razao):
        avisos.append(NOTA_SEM_ELEMENTO)
    for chave, antes in sorted(conv.resumos.items(), key=lambda kv: cat.celulas.index(kv[0])):
        agora = d.valor(chave)
        if agora != antes:
            avisos.append(
                f"{cat.descricao_celula(chave)}: R$ {formatar(antes)} digitado no arquivo; "
                f"agora calculado do razão: R$ {formatar(agora)}."
            )
    return avisos
