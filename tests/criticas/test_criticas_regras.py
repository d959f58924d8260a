"""Every rule of the registry: a declaration that triggers it and a near miss that does not.

The parametrization comes from ``criticas.REGRAS``: a new rule without a case here fails
``test_regra_dispara``. Each case starts from the clean declaration of ``conftest`` and changes
one thing; ``nao`` is the closest change that must NOT trigger the rule (the boundary).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest

from siops.criticas import REGRAS, ReferenciaFNS, verificar
from siops.criticas.motor import plano

D = Decimal
ASPS = ("despesas_asps", "s301_33")
NAO_COMP = ("despesas_nao_computadas", "s301_31")
RP_CANC = "controle_rp_cancelados"


@dataclass
class Caso:
    """How to trigger a rule (``sim``) and how to come close without triggering it (``nao``).

    Each function edits the clean declaration and returns the extra arguments of
    ``verificar`` (``referencia``, ``anterior``) or None.
    """

    sim: Callable
    nao: Callable
    ente: str = "municipio"
    bimestre: int = 3  # the bimestre of test_regra_dispara (6 for the rules only of the 6º)


def _celulas(cx, d, valores: dict) -> None:
    for k, v in valores.items():
        cx.definir(d, k, v)


def _t(campo: str, sim: str, nao: str) -> Caso:
    return Caso(lambda cx, d: cx.texto(d, campo, sim), lambda cx, d: cx.texto(d, campo, nao))


def _c(sim: dict, nao: dict, ente: str = "municipio") -> Caso:
    return Caso(lambda cx, d: _celulas(cx, d, sim), lambda cx, d: _celulas(cx, d, nao), ente=ente)


def _forcado(chave, valor="-1.00") -> Caso:
    return Caso(lambda cx, d: cx.forcar(d, chave, valor), lambda cx, d: cx.forcar(d, chave, "0"))


def _ref(tipo: str, linha: str, sim: str, nao: str) -> Caso:
    def fazer(valor):
        def f(cx, d):
            cx.definir(d, ("receitas_adicionais", linha, "previsao_atualizada"), valor)
            cx.definir(d, ("receitas_adicionais", linha, "realizada"), valor)
            ref = ReferenciaFNS()
            ref.definir(d.ente.codigo, d.exercicio, d.bimestre, **{tipo: D("1000.00")})
            return {"referencia": ref}

        return f

    return Caso(fazer(sim), fazer(nao))


def _cota(tipo: str, sim: str, nao: str) -> Caso:
    """The share ``tipo`` of the clean base row (R$ 1.000.000,00) against a reference."""

    def fazer(valor):
        def f(cx, d):
            ref = ReferenciaFNS()
            ref.definir(d.ente.codigo, d.exercicio, d.bimestre, **{tipo: D(valor)})
            return {"referencia": ref}

        return f

    return Caso(fazer(sim), fazer(nao))


def _anterior(chave, antes: str, agora_sim: str, agora_nao: str) -> Caso:
    def fazer(agora):
        def f(cx, d):
            ant = cx.limpa(d.ente, d.bimestre - 1, d.exercicio)
            cx.definir(ant, chave, antes)
            cx.definir(d, chave, agora)
            return {"anterior": ant}

        return f

    return Caso(fazer(agora_sim), fazer(agora_nao))


def _rb(cx, d, coluna):
    return ("receitas_base", cx.linha_da_base(d), coluna)


def _base(coluna: str, sim: str, nao: str, forcar: bool = False) -> Caso:
    def fazer(valor):
        def f(cx, d):
            (cx.forcar if forcar else cx.definir)(d, _rb(cx, d, coluna), valor)

        return f

    return Caso(fazer(sim), fazer(nao))


def _textos(valores: dict[str, str]):
    def f(cx, d):
        for campo, v in valores.items():
            cx.texto(d, campo, v)

    return f


def _apuracao(linha, coluna):
    return ("apuracao", linha, coluna)


def _forcados(sim: dict, nao: dict) -> Caso:
    """Values the ledger cannot produce (XIV/XV are sums of ordered lines), as a file from
    elsewhere could carry them."""

    def fazer(valores):
        def f(cx, d):
            for k, v in valores.items():
                cx.forcar(d, k, v)

        return f

    return Caso(fazer(sim), fazer(nao))


def _deducao(modalidade: str, controle: tuple[str, str, str] | None) -> Callable:
    """One centavo of ASPS despesa paid with the resource of ``modalidade`` (XIV: 36, XV: 35)
    in the ledger and, when given, the same centavo in the control's split."""

    def f(cx, d):
        from siops.forms.declaracao import DefinirLancamento
        from siops.forms.razao import ChaveDespesa

        k = ChaveDespesa.de("4", "301", f"3.3.{modalidade}.39")
        d.aplicar(DefinirLancamento(k, "empenhada", Decimal("0.01")))
        if controle is not None:
            cx.definir(d, controle, "0.01")

    return f


CASOS: dict[int, Caso] = {
    # --- 100 Dados Gerais
    101: _t("chefe_nome", "", "João Souza"),
    102: _t("contador_cpf", "123.456.789-00", "98765432100"),
    103: _t("responsavel_email", "saude@prefeitura", "ti.saude@campinas.sp.gov.br"),
    104: _t("chefe_telefone", "3333-444", "(11) 3333-4444"),
    105: _t("populacao", "12,5 mil", "12.325.232"),
    106: _t("percentual_lei_organica", "quinze", "15,5"),
    107: _t("secretario_cpf", "529.982.247-25", "111.444.777-35"),
    # Issue 20.4: 14,99% typed is below the 15% of LC 141 (ignored); 15% is not below it.
    108: _t("percentual_lei_organica", "14,99", "15"),
    # --- 200 Receitas
    201: _base("realizada", "-1.00", "0.00", forcar=True),
    202: _base("previsao_atualizada", "-1.00", "0.00", forcar=True),
    203: _base("previsao_atualizada", "0", "0.01"),
    207: _base("previsao_inicial", "0", "0.01"),
    # Issue 20.1: the município's Cota-Parte FPM realizada (the clean base row) zero.
    208: _base("realizada", "0", "0.01"),
    204: _anterior(
        ("receitas_base", "iptu", "realizada"), "1000000.01", "1000000.00", "1000000.01"
    ),
    # Issue 20.8: the clean state deducts 25% × ICMS principal 1.000.000,00 = 250.000,00;
    # R$ 1,00 of tolerance for the rounding of the transfers.
    205: _c(
        {("receitas_base", "deducao_icms", "realizada"): "250001.01"},
        {("receitas_base", "deducao_icms", "realizada"): "250001.00"},
        ente="estado",
    ),
    206: _c(
        {("receitas_base", "deducao_icms", "realizada"): "1000000.01"},
        {("receitas_base", "deducao_icms", "realizada"): "1000000.00"},
        ente="estado",
    ),
    209: _c(
        {("receitas_base", "deducao_icms", "previsao_atualizada"): "250001.01"},
        {("receitas_base", "deducao_icms", "previsao_atualizada"): "250001.00"},
        ente="estado",
    ),
    210: _c(
        {("receitas_base", "deducao_icms", "realizada"): "249998.99"},
        {("receitas_base", "deducao_icms", "realizada"): "249999.00"},
        ente="estado",
    ),
    # Issue 20.10: the state's base has 1.000.000,00 of ICMS (a tax); its receita total stays
    # above the base (750.000,00), so only 211 fires.
    211: _c(
        {("receitas_totais", "impostos_taxas", "realizada"): "999999.99"},
        {("receitas_totais", "impostos_taxas", "realizada"): "1000000.00"},
        ente="estado",
    ),
    212: _c(
        {("receitas_totais", "transf_uniao_correntes", "realizada"): "999999.99"},
        {("receitas_totais", "transf_uniao_correntes", "realizada"): "1000000.00"},
    ),
    # receita total = correntes 1.000.000,00 − deduções 0,01 = 999.999,99 < base 1.000.000,00
    213: _c(
        {("receitas_totais", "deducoes", "realizada"): "0.01"},
        {("receitas_totais", "deducoes", "realizada"): "0.00"},
    ),
    # --- 300 Receitas de transferências (FNS)
    310: _ref("custeio", "uniao_fns_custeio", "999.99", "1000.00"),
    352: _ref("investimento", "uniao_fns_investimento", "999.99", "1000.00"),
    # Issue 20.12: the clean município's FPM (1.000.000,00) against the STN reference.
    320: _cota("fpm", "1000000.01", "1000000.00"),
    # --- 500 Despesas
    501: _forcado(("despesas_asps", "s302_31", "paga")),
    502: _forcado((*NAO_COMP, "empenhada")),
    510: _c({(*ASPS, "liquidada"): "200000.01"}, {(*ASPS, "liquidada"): "200000.00"}),
    511: _c({(*ASPS, "paga"): "200000.01"}, {(*ASPS, "paga"): "200000.00"}),
    512: _c(
        {(*NAO_COMP, "empenhada"): "100", (*NAO_COMP, "liquidada"): "100.01"},
        {(*NAO_COMP, "empenhada"): "100", (*NAO_COMP, "liquidada"): "100"},
    ),
    513: _c(
        {
            (*NAO_COMP, c): v
            for c, v in (("empenhada", "100"), ("liquidada", "100"), ("paga", "100.01"))
        },
        {(*NAO_COMP, c): "100" for c in ("empenhada", "liquidada", "paga")},
    ),
    514: _c({(*ASPS, "empenhada"): "250000.01"}, {(*ASPS, "empenhada"): "250000.00"}),
    518: _c(
        {(*NAO_COMP, "dotacao_atualizada"): "10", (*NAO_COMP, "empenhada"): "10.01"},
        {(*NAO_COMP, "dotacao_atualizada"): "10", (*NAO_COMP, "empenhada"): "10.00"},
    ),
    517: _c({(*ASPS, "dotacao_inicial"): "0"}, {(*ASPS, "dotacao_inicial"): "0.01"}),
    515: _anterior((*ASPS, "liquidada"), "200000.00", "199999.99", "200000.00"),
    585: _c(
        {
            ("consorcios", "s301", "empenhada"): "100.01",
            ("consorcios", "transferido_rateio", "empenhada"): "100",
        },
        {
            ("consorcios", "s301", "empenhada"): "100",
            ("consorcios", "transferido_rateio", "empenhada"): "100",
        },
    ),
    586: _c(
        {
            ("consorcios", "s302", "liquidada"): "100.01",
            ("consorcios", "transferido_rateio", "liquidada"): "100",
        },
        {
            ("consorcios", "s302", "liquidada"): "100",
            ("consorcios", "transferido_rateio", "liquidada"): "100",
        },
    ),
    587: _c(
        {
            ("consorcios", "outras", "paga"): "100.01",
            ("consorcios", "transferido_rateio", "paga"): "100",
        },
        {
            ("consorcios", "outras", "paga"): "100",
            ("consorcios", "transferido_rateio", "paga"): "100",
        },
    ),
    # --- 600 Apuração
    601: _forcado(_apuracao("recursos_minimo_nao_aplicado", "empenhada")),
    # Issue 20.7: the apuração deductions follow empenhada ≥ liquidada ≥ paga.
    602: _forcados(
        {
            _apuracao("rp_cancelados", "empenhada"): "10",
            _apuracao("rp_cancelados", "liquidada"): "10.01",
        },
        {
            _apuracao("rp_cancelados", "empenhada"): "10",
            _apuracao("rp_cancelados", "liquidada"): "10",
        },
    ),
    603: _forcados(
        {
            _apuracao("rp_cancelados", c): v
            for c, v in (("empenhada", "10"), ("liquidada", "10"), ("paga", "10.01"))
        },
        {_apuracao("rp_cancelados", c): "10" for c in ("empenhada", "liquidada", "paga")},
    ),
    610: _c(
        {
            (*ASPS, "dotacao_atualizada"): "500000",
            (*ASPS, "empenhada"): "350100",
            (*ASPS, "liquidada"): "350100",
        },
        # 35,000999% is shown truncated as 35,00%: not above 35,00%.
        {
            (*ASPS, "dotacao_atualizada"): "500000",
            (*ASPS, "empenhada"): "350009.99",
            (*ASPS, "liquidada"): "350009.99",
        },
    ),
    611: _c(
        {
            (*ASPS, "paga"): "100000",
            (*ASPS, "empenhada"): "149999.99",
            (*ASPS, "liquidada"): "149999.99",
        },
        {
            (*ASPS, "paga"): "100000",
            (*ASPS, "empenhada"): "150000.00",
            (*ASPS, "liquidada"): "150000.00",
        },
    ),
    # Issue 20.5: XIII only in (d), and at most (g) — zero before the 6º bimestre.
    604: _forcado(_apuracao("rp_sem_disponibilidade", "liquidada"), "0.01"),
    605: _forcado(_apuracao("rp_sem_disponibilidade", "empenhada"), "0.01"),
    # Issue 20.6: XIV (d) 0,01 against a control total (i) of 0,00; XV (d) against (x).
    # (XIV (d) from a ledger line in modalidade 36; XV from 35)
    606: Caso(
        _deducao("36", None), _deducao("36", ("controle_minimo", "diferenca_ano_1", "empenhadas"))
    ),
    607: Caso(_deducao("35", None), _deducao("35", (RP_CANC, "cancelados_ano_1", "empenhadas"))),
    612: _base("realizada", "0", "0.01"),
    # Issue 20.1: XII (liquidada in the 3º bimestre) zero; one centavo is not zero (fonte and
    # elemento follow the ledger line by construction).
    614: _c(
        {(*ASPS, c): "0" for c in ("paga", "liquidada", "empenhada")},
        {(*ASPS, c): "0.01" for c in ("paga", "liquidada", "empenhada")},
    ),
    613: _forcados(
        {_apuracao("recursos_minimo_nao_aplicado", "liquidada"): "200000.01"},
        {_apuracao("recursos_minimo_nao_aplicado", "liquidada"): "200000.00"},
    ),
    # --- 700 Restos a pagar (the despesa por fonte is computed from the ledger)
    701: _forcado((RP_CANC, "cancelados_ano_1", "empenhadas")),
    702: _c(
        {
            (RP_CANC, "cancelados_ano_1", "empenhadas"): "100",
            (RP_CANC, "cancelados_ano_1", "liquidadas"): "100.01",
        },
        {
            (RP_CANC, "cancelados_ano_1", "empenhadas"): "100",
            (RP_CANC, "cancelados_ano_1", "liquidadas"): "100",
        },
    ),
    703: _c(
        {
            (RP_CANC, "cancelados_ano", c): v
            for c, v in (("empenhadas", "9"), ("liquidadas", "9"), ("pagas", "9.01"))
        },
        {(RP_CANC, "cancelados_ano", c): "9" for c in ("empenhadas", "liquidadas", "pagas")},
    ),
    720: _c(
        {
            ("rp_execucao", "empenhos_ano_1", c): v
            for c, v in (("inscrito", "100"), ("pagos", "60"), ("cancelados", "40.01"))
        },
        {
            ("rp_execucao", "empenhos_ano_1", c): v
            for c, v in (("inscrito", "100"), ("pagos", "60"), ("cancelados", "40"))
        },
    ),
    # Issue 20.11 (6º bimestre): inscrito = XII (d) 200.000,00 − XII (f) 150.000,00 =
    # 50.000,00; pagos and cancelados of the current year are zero.
    721: Caso(
        lambda cx, d: _celulas(cx, d, {("rp_execucao", "empenhos_ano", "inscrito"): "50000.01"}),
        lambda cx, d: _celulas(cx, d, {("rp_execucao", "empenhos_ano", "inscrito"): "50000.00"}),
        bimestre=6,
    ),
    722: _c(
        {("rp_execucao", "empenhos_ano", "cancelados"): "0.01"},
        {("rp_execucao", "empenhos_ano", "cancelados"): "0.00"},
    ),
    # --- 800 Informações Adicionais
    801: _t("fundo_lei", "", "Lei 1.234/1991"),
    802: _t("fundo_cnpj", "11.222.333/0001-80", "11222333000181"),
    803: _t("conselho_data_lei", "31/02/2020", "28/02/2020"),
    804: _t("conselho_aprovou_relatorio", "talvez", "Sim"),
    805: Caso(
        _textos({"instituicao_2_nome": "Fundo Municipal de Saúde"}),
        _textos({"instituicao_2_nome": "Fundo Municipal", "instituicao_2_cnpj": "11222333000181"}),
    ),
    806: Caso(
        _textos({"instituicao_1_nome": "", "instituicao_1_cnpj": ""}),
        _textos({"instituicao_1_cnpj": ""}),
    ),
    # --- 900 Blocos
    901: _forcado(("blocos", "atencao_basica", "recebido_uniao")),
    902: _c(
        {
            ("blocos", "vigilancia", "empenhada"): "100",
            ("blocos", "vigilancia", "liquidada"): "100.01",
        },
        {
            ("blocos", "vigilancia", "empenhada"): "100",
            ("blocos", "vigilancia", "liquidada"): "100",
        },
    ),
    903: _c(
        {
            ("blocos", "gestao_sus", c): v
            for c, v in (("empenhada", "5"), ("liquidada", "5"), ("paga", "5.01"))
        },
        {("blocos", "gestao_sus", c): "5" for c in ("empenhada", "liquidada", "paga")},
    ),
    910: _c(
        {("blocos", "atencao_basica", "empenhada"): "200000.01"},
        {("blocos", "atencao_basica", "empenhada"): "200000.00"},
    ),
    911: _c(
        {("blocos", "atencao_basica", "recebido_uniao"): "0.01"},
        {
            ("blocos", "atencao_basica", "recebido_uniao"): "0.01",
            ("receitas_adicionais", "uniao_outras", "previsao_atualizada"): "0.01",
            ("receitas_adicionais", "uniao_outras", "realizada"): "0.01",
        },
    ),
}


def _rodar(cx, entes, codigo: int, lado: str, bimestre: int | None = None):
    caso = CASOS[codigo]
    d = cx.limpa(entes[caso.ente], bimestre or caso.bimestre)
    extras = getattr(caso, lado)(cx, d) or {}
    return d, verificar(d, **extras)


@pytest.mark.parametrize("codigo", sorted(REGRAS))
def test_regra_dispara(cx, entes, codigo):
    assert codigo in CASOS, f"a regra {codigo} não tem caso de teste em CASOS"
    d, achados = _rodar(cx, entes, codigo, "sim")
    deste = [a for a in achados if a.codigo == codigo]
    assert len(deste) == 1, [(a.codigo, a.mensagem) for a in achados]
    a = deste[0]
    regra = REGRAS[codigo]
    assert a.grupo == codigo // 100 * 100 == regra.grupo
    assert a.titulo == regra.titulo
    assert a.severidade == regra.severidade_em(d.bimestre)
    assert a.local(d.catalogo), "todo achado aponta um local"
    assert (a.campo is None) != (a.tabela is None)


@pytest.mark.parametrize("codigo", sorted(REGRAS))
def test_regra_nao_dispara_no_limite(cx, entes, codigo):
    _, achados = _rodar(cx, entes, codigo, "nao")
    assert codigo not in [a.codigo for a in achados], [a.mensagem for a in achados]


ESCALAM = sorted(c for c, r in REGRAS.items() if r.escala_no_6o)


def test_escalam_as_do_faq():
    # The FAQ's list (avisos in 1–5, críticas in the 6º) plus ours, 710 and 711 (documented).
    # Issue 20: 514 (ASPS above the dotação) and 614 (ASPS zero) escalate in the 6º too; so do
    # the receitas totais against the base (211–213, item 10) and the constitutional shares
    # against the STN/CONFAZ reference (320, item 12).
    # 710 and 711 are gone with the despesa por fonte typed twice (issue 19).
    assert ESCALAM == [211, 212, 213, 310, 320, 352, 514, 585, 586, 587, 610, 614]


@pytest.mark.parametrize("codigo", ESCALAM)
def test_escalada_aviso_no_5o_impeditiva_no_6o(cx, entes, codigo):
    _, no5 = _rodar(cx, entes, codigo, "sim", bimestre=5)
    _, no6 = _rodar(cx, entes, codigo, "sim", bimestre=6)
    assert [a.severidade for a in no5 if a.codigo == codigo] == ["aviso"]
    assert [a.severidade for a in no6 if a.codigo == codigo] == ["impeditiva"]


@pytest.mark.parametrize("codigo", sorted(c for c, r in REGRAS.items() if not r.escala_no_6o))
def test_demais_nao_mudam_no_6o(cx, entes, codigo):
    _, no5 = _rodar(cx, entes, codigo, "sim", bimestre=5)
    _, no6 = _rodar(cx, entes, codigo, "sim", bimestre=6)
    sev = REGRAS[codigo].severidade
    # a rule only of the 6º bimestre (721) does not apply in the 5º
    assert {a.severidade for a in no5 if a.codigo == codigo} == (
        set() if REGRAS[codigo].so_no_6o else {sev}
    )
    assert {a.severidade for a in no6 if a.codigo == codigo} == {sev}


@pytest.mark.parametrize("ente", ["municipio", "estado", "df"])
@pytest.mark.parametrize("bimestre", [1, 3, 6])
@pytest.mark.parametrize("exercicio", [2024, 2025])
def test_declaracao_limpa_nao_tem_achados(cx, entes, ente, bimestre, exercicio):
    d = cx.limpa(entes[ente], bimestre, exercicio)
    assert verificar(d) == []


def test_toda_regra_tem_instancia_nos_catalogos(entes):
    from siops.forms.catalogo import catalogo

    vistos: set[int] = set()
    for esfera in ("municipal", "estadual", "df"):
        for exercicio in (2024, 2025):
            p = plano(catalogo(esfera, exercicio), True, True)
            vistos |= {v.regra.codigo for v in p.verificacoes}
    assert vistos == set(REGRAS)


def test_impeditivas_sao_as_que_afetam_o_minimo():
    # FAQ: only errors that change the minimum block (plus 107, DOMAIN §2). Pin the list, so a
    # change of severity is a conscious one.
    impeditivas = sorted(c for c, r in REGRAS.items() if r.severidade == "impeditiva")
    # Issue 20.1/20.7: base zero (612), FPM zero (208), deductions out of order (602, 603).
    # Issue 20.5/6/8/11: a state's deduction above the municipal share (205); XIII outside
    # (d) or above (g) (604, 605); XIV/XV against their controls (606, 607); the current
    # year's restos a pagar (721, 722).
    assert impeditivas == [
        *(106, 107, 201, 205, 206, 208, 501, 510, 511),
        *(601, 602, 603, 604, 605, 606, 607, 612, 613, 721, 722),
    ]
