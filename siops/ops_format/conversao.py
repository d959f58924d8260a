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

Format version 2 → 3: the apuração's deductions XIV and XV, still typed cells in version 2,
are ledger lines in version 3 (the ASPS despesas in modalidades 36/46/76/96 and 35/45/75/95,
``forms.razao.MODALIDADES_DEDUCAO``). The step moves each typed amount from the ASPS planilha's
lines to the same subfunção and grupo in the deduction's modalidade
(``reclassificar_deducoes``): the ASPS total, XIV, XV and the percentage stay as typed;
``relatorio`` says what moved, or what could not be carried and is now computed.

The file itself is never rewritten by opening it: the user saves, and only then is it in the
current version.
"""

from __future__ import annotations

from lxml import etree

from siops.forms.catalogo import catalogo
from siops.forms.declaracao import Declaracao
from siops.forms.dinheiro import ValorInvalido, formatar, parse_plano, texto_plano
from siops.forms.razao import (
    MODALIDADES_DEDUCAO,
    ChaveDespesa,
    ChaveInvalida,
    celulas_para_razao,
    ordem,
    reclassificar_deducoes,
)
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
    celulas = [(t, lin, k, texto_plano(v)) for (t, lin, k), v in conv.digitadas.items()]
    razao = [linha_razao(k, v) for k, v in sorted(conv.razao.items(), key=lambda kv: ordem(kv[0]))]
    novo = _com(c, celulas + resto, razao)
    return raiz_de(novo)


PASSO_1_2 = versoes.Passo(
    1,
    "receitas e despesas do Anexo 12 passam a ser linhas do razão; fonte, elemento e "
    "consórcios (II) passam a ser calculados",
    _v1_para_v2,
)


def _deducoes_digitadas(c: Conteudo) -> dict:
    """The typed XIV/XV cells of a version ≤ 2 content, as plain decimals."""
    out = {}
    for t, lin, k, bruto in c.celulas:
        if t == "apuracao" and lin in MODALIDADES_DEDUCAO:
            try:
                out[(t, lin, k)] = parse_plano(bruto)
            except ValorInvalido:
                continue  # the semantic checks of the converted file cannot see it: dropped
    return out


def _v2_para_v3(raiz: etree._Element) -> etree._Element:
    from siops.ops_format.formato import extrair, linha_razao, raiz_de

    c = extrair(raiz)
    deducoes = _deducoes_digitadas(c)
    celulas = [x for x in c.celulas if not (x[0] == "apuracao" and x[1] in MODALIDADES_DEDUCAO)]
    if not deducoes:
        return raiz_de(_com(c, celulas, c.razao))
    try:
        cat = catalogo(c.esfera, int(c.exercicio))
    except ValueError:
        return raiz_de(_com(c, celulas, c.razao))
    razao: dict = {}
    posicao: dict = {}
    for i, (tipo, chave, valores) in enumerate(c.razao):
        if tipo != "d":
            continue
        a = dict(chave)
        try:
            k = ChaveDespesa.de(a.get("p", ""), a.get("s", ""), a.get("n", ""))
            vals = {col: parse_plano(v) for col, v in valores}
        except (ChaveInvalida, ValorInvalido):
            continue  # the semantic checks name it when the converted file is read
        if k in razao:
            continue
        razao[k], posicao[k] = vals, i
    antes = {k: dict(v) for k, v in razao.items()}
    reclassificar_deducoes(cat, razao, deducoes)
    novo: list = list(c.razao)
    for k, i in posicao.items():
        if k not in razao:
            novo[i] = None  # emptied by the move (it held only what moved)
        elif razao[k] != antes[k]:
            tipo, chave, _ = c.razao[i]
            novo[i] = (tipo, chave, linha_razao(k, razao[k])[2])
    novas = [k for k in razao if k not in posicao]
    novo += [linha_razao(k, razao[k]) for k in sorted(novas, key=ordem)]
    # the schema orders the kinds: despesas, receitas, informações complementares
    tipos = {"d": 0, "r": 1, "x": 2}
    final = sorted((x for x in novo if x is not None), key=lambda x: tipos.get(x[0], 3))
    return raiz_de(_com(c, celulas, final))


def _com(c: Conteudo, celulas: list, razao: list) -> Conteudo:
    """``c`` with other cells and ledger lines (the steps' common end)."""
    return Conteudo(
        ente=c.ente,
        esfera=c.esfera,
        exercicio=c.exercicio,
        bimestre=c.bimestre,
        layout=c.layout,
        campos=list(c.campos),
        celulas=celulas,
        razao=razao,
        programa=c.programa,
    )


PASSO_2_3 = versoes.Passo(
    2,
    "as deduções XIV e XV da apuração passam a vir do razão (modalidades de aplicação "
    "36/46/76/96 e 35/45/75/95 da planilha de impostos — ASPS)",
    _v2_para_v3,
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
    if versao == 2:
        return _relatorio_v2(antigo, d)
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
    avisos += _avisos_reclassificadas(d, conv.reclassificadas)
    return avisos


def _avisos_reclassificadas(d: Declaracao, feitas: dict) -> list[str]:
    cat = d.catalogo
    out = []
    for chave, valor in sorted(feitas.items(), key=lambda kv: cat.celulas.index(kv[0])):
        mod = MODALIDADES_DEDUCAO[chave[1]][0]
        out.append(
            f"{cat.descricao_celula(chave)}: os R$ {formatar(valor)} digitados agora vêm do "
            f"razão — a mesma quantia passou de linhas da planilha de impostos (ASPS) para a "
            f"modalidade de aplicação {mod}, na mesma subfunção e grupo; o total das despesas "
            "com ASPS e o percentual aplicado não mudam. Confira no razão e, se preciso, "
            "corrija a natureza dessas linhas."
        )
    return out


def _relatorio_v2(antigo: Conteudo, d: Declaracao) -> list[str]:
    """What the step 2 → 3 changed: the typed XIV/XV, moved into the ledger or now computed."""
    cat = d.catalogo
    deducoes = _deducoes_digitadas(antigo)
    avisos = [
        "O arquivo está no formato 2 e foi convertido para o formato 3: as deduções da "
        "apuração (XIV) e (XV) deixam de ser digitadas e passam a ser calculadas do razão (as "
        "despesas com ASPS nas modalidades de aplicação 36, 46, 76, 96 e 35, 45, 75, 95). O "
        "arquivo só será gravado no formato novo quando você salvar."
    ]
    moveu = []
    for chave, antes in sorted(deducoes.items(), key=lambda kv: cat.celulas.index(kv[0])):
        agora = d.valor(chave)
        if agora == antes:
            if antes:
                moveu.append(chave)
            continue
        avisos.append(
            f"{cat.descricao_celula(chave)}: R$ {formatar(antes)} digitado no arquivo; as "
            f"despesas com ASPS do razão não bastam para carregá-lo, e agora calculado do razão: "
            f"R$ {formatar(agora)}. Informe no razão as despesas custeadas nessas modalidades."
        )
    avisos += _avisos_reclassificadas(d, {k: deducoes[k] for k in moveu})
    return avisos
