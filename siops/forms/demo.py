"""The demo declaration: a small município's 5º bimestre of 2026, complete and coherent.

Values are of plausible magnitude for a município of about 4.600 inhabitants (Monteiro
Lobato/SP), cumulative January–October. Everything agrees (fonte = subfunção totals, blocos,
consórcio within the rateio) except one aviso left on purpose: in Vigilância Epidemiológica —
Outras Despesas Correntes the empenhada exceeds the dotação atualizada, which SIOPS accepts
with a warning. People, CPFs and CNPJs are fictitious (valid check digits).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from siops.forms import catalogo
from siops.forms.declaracao import Declaracao
from siops.forms.entes import ente
from siops.forms.formulas import Chave
from siops.forms.razao import ChaveDespesa, ChaveRazao, celulas_para_razao, linhas

ENTE = "M353170"  # Monteiro Lobato/SP
EXERCICIO = 2026
BIMESTRE = 5

# Annual forecast (previsão atualizada) of the base revenues, in reais.
RECEITAS_BASE = {
    "iptu": 420_000,
    "itbi": 160_000,
    "iss": 640_000,
    "irrf": 380_000,
    "fpm": 14_200_000,
    "itr": 65_000,
    "ipva": 520_000,
    "icms": 6_300_000,
    "ipi_exportacao": 48_000,
    "outras_transferencias": 95_000,
}
RECEITAS_ADICIONAIS = {
    "uniao_fns_custeio": 2_450_000,
    "uniao_fns_investimento": 300_000,
    "uniao_outras": 180_000,
    "estados": 420_000,
    "outras_receitas": 36_000,
}
# Annual dotação atualizada of ASPS (recursos próprios) by leaf row.
ASPS = {
    "s301_31": 1_850_000,
    "s301_33": 620_000,
    "s301_44": 140_000,
    "s302_31": 980_000,
    "s302_33": 1_150_000,
    "s302_44": 90_000,
    "s303_33": 260_000,
    "s304_31": 120_000,
    "s304_33": 35_000,
    "s305_31": 160_000,
    "s305_33": 40_000,
    "outras_31": 520_000,
    "outras_33": 210_000,
}
NAO_COMPUTADAS = {
    "s301_31": 1_300_000,
    "s301_33": 600_000,
    "s301_44": 280_000,
    "s302_33": 900_000,
    "s303_33": 180_000,
    "s304_33": 30_000,
    "s305_33": 120_000,
}
AVISO_DE_PROPOSITO = ("despesas_asps", "s305_33")

TEXTOS = {
    "populacao": "4639",
    "chefe_nome": "Antônio Carlos de Oliveira",
    "chefe_cpf": "123.456.789-09",
    "chefe_cargo": "Prefeito Municipal",
    "chefe_email": "gabinete@monteirolobato.sp.gov.br.exemplo",
    "chefe_telefone": "(12) 3979-1100",
    "secretario_nome": "Mariana Aparecida dos Santos",
    "secretario_cpf": "234.567.891-73",
    "secretario_cargo": "Secretária Municipal de Saúde",
    "secretario_email": "saude@monteirolobato.sp.gov.br.exemplo",
    "secretario_telefone": "(12) 3979-1200",
    "contador_nome": "José Roberto Lima",
    "contador_cpf": "345.678.912-28",
    "contador_cargo": "Contador — CRC 1SP123456",
    "contador_email": "contabilidade@monteirolobato.sp.gov.br.exemplo",
    "contador_telefone": "(12) 3979-1150",
    "responsavel_nome": "Fernanda Cristina Ribeiro",
    "responsavel_cpf": "456.789.123-64",
    "responsavel_cargo": "Técnica em contabilidade",
    "responsavel_email": "siops@monteirolobato.sp.gov.br.exemplo",
    "responsavel_telefone": "(12) 3979-1210",
    "instituicao_1_nome": "Prefeitura Municipal de Monteiro Lobato",
    "instituicao_1_cnpj": "46.128.531/0001-65",
    "instituicao_1_natureza": "Administração direta",
    "instituicao_2_nome": "Fundo Municipal de Saúde de Monteiro Lobato",
    "instituicao_2_cnpj": "11.420.395/0001-06",
    "instituicao_2_natureza": "Fundo",
    "fundo_cnpj": "11.420.395/0001-06",
    "fundo_lei": "Lei Municipal nº 1.102/1991",
    "fundo_gestor": "Mariana Aparecida dos Santos",
    "conselho_lei": "Lei Municipal nº 1.110/1991",
    "conselho_data_lei": "15/05/1991",
    "conselho_presidente": "Benedito Aparecido Moreira",
    "conselho_aprovou_relatorio": "Sim",
}


def _r(v: Decimal) -> Decimal:
    return v.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def valores(d: Declaracao) -> dict[Chave, Decimal]:
    """Every typed value of the receita and despesa tables of the demo declaration.

    Any esfera works: the base rows the município's table does not name (the states' ICMS,
    FPE …) get an amount by position, and a deduction is its constitutional share
    (``Linha.deduz``) of the revenue it deducts.
    """
    meses = Decimal(2 * d.bimestre)

    def _ate_bimestre(anual: int, ajuste: str = "1") -> Decimal:
        return _r(Decimal(anual) * meses / 12 * Decimal(ajuste))

    v: dict[Chave, Decimal] = {}
    t = catalogo.RECEITAS_BASE
    tabela = d.catalogo.tabela(t)
    folhas = [x for x in tabela.linhas if x.regra is None]
    anuais = list(RECEITAS_BASE.values())
    for i, linha in enumerate(x for x in folhas if x.deduz is None):
        anual = RECEITAS_BASE.get(linha.id, anuais[i % len(anuais)])
        v[(t, linha.id, "previsao_inicial")] = Decimal(anual)
        v[(t, linha.id, "previsao_atualizada")] = _r(Decimal(anual) * Decimal("1.02"))
        v[(t, linha.id, "realizada")] = _ate_bimestre(anual, ("0.97", "1.03", "1.01")[i % 3])
    for linha in folhas:
        if linha.base_deducao is None:
            continue
        receitas, parte = linha.base_deducao
        for c in ("previsao_inicial", "previsao_atualizada", "realizada"):
            base = sum((v.get((t, r, c), Decimal(0)) for r in receitas), Decimal(0))
            v[(t, linha.id, c)] = _r(base * parte / 100)
    for id_linha, anual in RECEITAS_ADICIONAIS.items():
        t = "receitas_adicionais"
        v[(t, id_linha, "previsao_inicial")] = Decimal(anual)
        v[(t, id_linha, "previsao_atualizada")] = Decimal(anual)
        v[(t, id_linha, "realizada")] = _ate_bimestre(anual, "0.96")
    return v


#: The elemento each demo line of a grupo is booked to (a realistic ledger: pessoal as
#: vencimentos, the rest of custeio split between serviços de terceiros and medicamentos).
ELEMENTOS_DEMO = {
    "31": (("3.1.90.11", "1"),),
    "33": (("3.3.90.39", "0.58"), ("3.3.90.30.09", "0.22"), ("3.3.90.30", "0.20")),
    "44": (("4.4.90.52", "1"),),
}
#: Not computed in the minimum: the SUS transfers of the União (custeio) and of the Estado.
PLANILHAS_NAO_COMPUTADAS = (("86", "0.88"), ("6", "0.12"))


def razao_demo(d: Declaracao) -> dict[ChaveRazao, dict[str, Decimal]]:
    """The demo's despesas as SIOPS collects them: planilha × subfunção × natureza."""
    meses = Decimal(2 * d.bimestre)
    razao: dict[ChaveRazao, dict[str, Decimal]] = {}

    def lancar(chave: ChaveDespesa, dotacao: Decimal, emp: Decimal) -> None:
        liq = _r(emp * Decimal("0.93"))
        linha = razao.setdefault(chave, {})
        for c, x in (
            ("dotacao_inicial", _r(dotacao * Decimal("0.95"))),
            ("dotacao_atualizada", dotacao),
            ("empenhada", emp),
            ("liquidada", liq),
            ("paga", _r(liq * Decimal("0.96"))),
        ):
            linha[c] = linha.get(c, Decimal(0)) + x

    cat = d.catalogo
    for id_tabela, dados, planilhas in (
        ("despesas_asps", ASPS, (("4", "1"),)),
        ("despesas_nao_computadas", NAO_COMPUTADAS, PLANILHAS_NAO_COMPUTADAS),
    ):
        for id_linha, anual in dados.items():
            row = cat.tabela(id_tabela).linha(id_linha)
            ajuste = "0.98"
            if (id_tabela, id_linha) == AVISO_DE_PROPOSITO and d.bimestre < 6:
                # the aviso left on purpose; in the 6º an ASPS empenho above the dotação
                # blocks (crítica 514), so a 6º-bimestre demo keeps within it
                ajuste = "1.04"
            for plan, parte in planilhas:
                for nd, fracao in ELEMENTOS_DEMO[id_linha[-2:]]:
                    dot = _r(Decimal(anual) * Decimal(parte) * Decimal(fracao))
                    emp = (
                        _r(dot * Decimal(ajuste))
                        if ajuste == "1.04"
                        else _r(dot * meses / 12 * Decimal(ajuste))
                    )
                    lancar(ChaveDespesa.de(plan, str(row.subfuncao), nd), dot, emp)
    # Transfers to the consórcio by contrato de rateio (modalidade 71): outside the minimum,
    # the (II) of the consórcio table.
    lancar(ChaveDespesa.de("4", "302", "3.3.71.70"), Decimal("260000.00"), Decimal("212000.00"))
    return razao


def _somar(v: dict[Chave, Decimal], tabela: str, coluna: str) -> Decimal:
    return sum((x for (t, _, c), x in v.items() if t == tabela and c == coluna), Decimal(0))


def declaracao_demo(
    codigo_ente: str = ENTE, exercicio: int = EXERCICIO, bimestre: int = BIMESTRE
) -> Declaracao:
    """The demo declaration, computed and consistent (see module docstring).

    Other entes and periods get the same shape (the server's load tests use one per ente).
    """
    e = ente(codigo_ente)
    d = Declaracao(e, exercicio, bimestre)
    v = valores(d)
    textos = dict(TEXTOS)
    if e.codigo != ENTE:
        textos["populacao"] = ""
        textos["instituicao_1_nome"] = f"Administração direta — {e.nome}"
        textos["instituicao_2_nome"] = f"Fundo de Saúde — {e.nome}"
        if e.esfera != "municipal":
            textos["chefe_cargo"] = "Governador(a)"
            textos["secretario_cargo"] = "Secretário(a) de Estado da Saúde"
    conv = celulas_para_razao(d.catalogo, v.items())
    razao = {**conv.razao, **razao_demo(d)}
    d.carregar(conv.digitadas.items(), textos, linhas(razao))
    receita = {
        c: d.valor((catalogo.RECEITAS_BASE, catalogo.TOTAL_BASE, c))
        for c in ("realizada", "previsao_inicial", "previsao_atualizada")
    }
    for col in ("empenhada", "liquidada", "paga"):
        proprios = d.valor(("despesas_asps", "total", col))
        outros = d.valor(("despesas_nao_computadas", "total", col))
        total = proprios + outros
        # Blocos: the total despesa split by bloco.
        partes = (
            ("atencao_basica", "0.46"),
            ("media_alta_complexidade", "0.31"),
            ("assistencia_farmaceutica", "0.07"),
            ("vigilancia", "0.06"),
            ("gestao_sus", "0.06"),
        )
        acumulado = Decimal(0)
        for bloco, fracao in partes:
            x = _r(total * Decimal(fracao))
            v[("blocos", bloco, col)] = x
            acumulado += x
        v[("blocos", "investimentos", col)] = total - acumulado
        # Consórcio: part of Média e Alta Complexidade executed through a consórcio.
        v[("consorcios", "s302", col)] = _r(
            Decimal(180_000)
            * Decimal(("1", "0.9", "0.85")[("empenhada", "liquidada", "paga").index(col)])
        )
    uniao = d.valor(("receitas_adicionais", "uniao", "realizada"))
    estado = d.valor(("receitas_adicionais", "estados", "realizada"))
    for bloco, fracao in (
        ("atencao_basica", "0.55"),
        ("media_alta_complexidade", "0.30"),
        ("assistencia_farmaceutica", "0.05"),
        ("vigilancia", "0.05"),
    ):
        v[("blocos", bloco, "recebido_uniao")] = _r(uniao * Decimal(fracao))
        v[("blocos", bloco, "recebido_estado")] = _r(estado * Decimal(fracao))
    v[("blocos", "gestao_sus", "recebido_uniao")] = uniao - sum(
        (
            v[("blocos", b, "recebido_uniao")]
            for b in (
                "atencao_basica",
                "media_alta_complexidade",
                "assistencia_farmaceutica",
                "vigilancia",
            )
        ),
        Decimal(0),
    )
    v[("blocos", "gestao_sus", "recebido_estado")] = estado - sum(
        (
            v[("blocos", b, "recebido_estado")]
            for b in (
                "atencao_basica",
                "media_alta_complexidade",
                "assistencia_farmaceutica",
                "vigilancia",
            )
        ),
        Decimal(0),
    )
    # Receitas totais: the base and the health transfers, plus taxes, contributions, etc.
    rt = "receitas_totais"
    rb = lambda linha, c="realizada": d.valor((catalogo.RECEITAS_BASE, linha, c))  # noqa: E731
    ra = lambda linha, c="realizada": d.valor(("receitas_adicionais", linha, c))  # noqa: E731
    for col in ("previsao_inicial", "previsao_atualizada", "realizada"):
        impostos = sum(  # the DF's base splits its taxes in two parts
            (rb(x, col) for x in ("impostos", "impostos_estaduais", "impostos_municipais")),
            Decimal(0),
        )
        v[(rt, "impostos_taxas", col)] = impostos + _r(receita[col] * Decimal("0.004"))
        v[(rt, "contribuicoes", col)] = _r(receita[col] * Decimal("0.012"))
        v[(rt, "patrimonial", col)] = _r(receita[col] * Decimal("0.02"))
        v[(rt, "servicos", col)] = _r(receita[col] * Decimal("0.003"))
        v[(rt, "transf_uniao_correntes", col)] = (
            rb("fpm", col) + rb("itr", col) + ra("uniao_fns_custeio", col) + ra("uniao_outras", col)
        )
        v[(rt, "transf_estados_correntes", col)] = (
            rb("icms", col) + rb("ipva", col) + rb("ipi_exportacao", col) + ra("estados", col)
        )
        v[(rt, "transf_outras_correntes", col)] = rb("outras_transferencias", col)
        if d.catalogo.esfera != "municipal":
            # a state's (and the DF's) base transfers all come from the União (FPE,
            # IPI-Exportação, compensações; the DF's FPM and ITR); its ICMS and IPVA are taxes
            transferencias = sum(
                (
                    rb(x, col)
                    for x in (
                        "transferencias",
                        "transferencias_estaduais",
                        "transferencias_municipais",
                    )
                ),
                Decimal(0),
            )
            v[(rt, "transf_uniao_correntes", col)] = (
                transferencias + ra("uniao_fns_custeio", col) + ra("uniao_outras", col)
            )
            v[(rt, "transf_estados_correntes", col)] = ra("estados", col)
            v[(rt, "transf_outras_correntes", col)] = Decimal(0)
        # FUNDEB: a small município receives back more than the 20% it contributes.
        v[(rt, "transf_fundeb", col)] = _r(
            (rb("fpm", col) + rb("icms", col) + rb("ipva", col) + rb("itr", col)) * Decimal("0.31")
        )
        v[(rt, "outras_correntes", col)] = _r(receita[col] * Decimal("0.006")) + ra(
            "outras_receitas", col
        )
        v[(rt, "transf_uniao_capital", col)] = ra("uniao_fns_investimento", col)
        v[(rt, "deducoes", col)] = _r(
            (rb("fpm", col) + rb("icms", col) + rb("ipva", col) + rb("itr", col)) * Decimal("0.2")
        )
    # Restos a pagar of the previous exercício: inscribed, partly paid, a little cancelled.
    rp = "rp_execucao"
    v[(rp, "empenhos_ano_1", "valor_minimo")] = Decimal("3296000.00")
    v[(rp, "empenhos_ano_1", "valor_aplicado")] = Decimal("4172000.00")
    v[(rp, "empenhos_ano_1", "inscrito")] = Decimal("418000.00")
    v[(rp, "empenhos_ano_1", "pagos")] = Decimal("371500.00")
    v[(rp, "empenhos_ano_1", "cancelados")] = Decimal("6200.00")
    if d.bimestre == 6:  # the current year's inscrição: ASPS empenhada − paga (crítica 721)
        v[(rp, "empenhos_ano", "inscrito")] = d.valor(
            (catalogo.APURACAO, catalogo.TOTAL_ASPS, "empenhada")
        ) - d.valor((catalogo.APURACAO, catalogo.TOTAL_ASPS, "paga"))
    conv = celulas_para_razao(d.catalogo, v.items())
    d.carregar(conv.digitadas.items(), textos, linhas(razao))
    return d
