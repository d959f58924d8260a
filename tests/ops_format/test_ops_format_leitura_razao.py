"""Opening a .OPS file: the ledger read straight from its elements (the common case,
``formato._ler_direto``) is what the step-by-step reading gives — the same lines, values,
ids, order and derived cells — and any line that is not plainly valid is read step by step,
which refuses it with the same message and line as always."""

from __future__ import annotations

from decimal import Decimal

import pytest
from lxml import etree

from siops.forms.razao import ChaveDespesa, ChaveReceita
from siops.ops_format import ArquivoInvalido, de_bytes, formato, para_bytes, versoes
from siops.ops_format.formato import extrair
from siops.ops_format.resumo import resumo

D = (
    '<d p="4" s="301" n="3390390000" dotacao_inicial="100.00" empenhada="50.00" '
    'liquidada="40.00" paga="30.00"/>'
)
ASPS = "planilha 4 (Receitas de impostos e de transferências de impostos — saúde (ASPS))"
HOSP = f"{ASPS}, 302 — Assistência Hospitalar e Ambulatorial, natureza 3.3.90.39.00.00"


def _arquivo(bimestre: int, elementos: list[str] | None, celulas: tuple[str, ...] = ()) -> bytes:
    """A file of the current version, one ledger element a line (the first on line 11),
    with a digest that matches."""
    versao = versoes.VERSAO_ATUAL
    xml = [
        f'<declaracao xmlns="{versoes.namespace()}" versao="{versao}">',
        '<ente codigo="M355030" esfera="municipal"/>',
        "<exercicio>2025</exercicio>",
        f"<bimestre>{bimestre}</bimestre>",
        "<layout>2025</layout>",
        "<programa>teste</programa>",
        "<campos/>",
        "<celulas>" + "".join(celulas) + "</celulas>",
    ]
    if elementos is not None:
        xml.append("<razao>\n" + "\n".join(elementos) + "\n</razao>")
    xml.append('<resumo algoritmo="SHA-256">' + "0" * 64 + "</resumo></declaracao>")
    raiz = etree.fromstring("\n".join(xml).encode())
    raiz[-1].text = resumo(extrair(raiz), versao)
    return etree.tostring(raiz, xml_declaration=True, encoding="UTF-8")


VALIDOS = {
    "uma despesa": (6, [D]),
    "sem razão": (6, None),
    "razão vazio": (6, []),
    "despesas, receitas e complementares": (
        3,
        [
            D,
            '<d p="10" s="adm" n="3190110000" empenhada="1.00"/>',
            '<d s="302" n="339030" p="86" liquidada="7.00" empenhada="9.00"/>',
            '<r n="11125001" realizada="1000.00" previsao_inicial="900.00"/>',
            '<r n="17185001" f="1600" realizada="5.00"/>',
            '<x n="11125001" campo="C1" linha="L1" coluna="K1" realizada="2.00"/>',
        ],
    ),
    "ids do programa oficial": (
        6,
        [
            '<d p="4" s="301" n="3390390000" campo="C9" ls="#L001" empenhada="5.00"/>',
            '<d p="4" s="302" n="3390390000" empenhada="6.00"/>',
            '<r n="11125001" ls="#L2" realizada="3.00"/>',
        ],
    ),
    "id no fim dos atributos": (
        6,
        ['<d p="4" s="301" n="3390390000" empenhada="5.00" campo="C1"/>'],
    ),
    "valores escritos à mão": (
        6,
        [
            '<d p="4" s="301" n="3390390000" empenhada="+5" liquidada="4.5" paga="007.00"/>',
            '<d p="4" s="302" n="3390390000" empenhada="0.00" liquidada="-0.00" paga="1.00"/>',
            '<d p="4" s="303" n="3390390000"/>',
        ],
    ),
    "colunas do 6º bimestre no 6º": (
        6,
        [
            '<d p="4" s="301" n="3390390000" empenhada="5.00" inscritas_rpnp="1.00" '
            'orcada="2.00"/>',
            '<r n="11125001" realizada="3.00" orcada="4.00"/>',
        ],
    ),
    "coluna do 6º zerada fora dele": (
        2,
        ['<d p="4" s="301" n="3390390000" empenhada="5.00" orcada="0.00"/>'],
    ),
    "atributos em outra ordem": (
        6,
        [
            '<d n="3390390000" empenhada="5.00" s="301" p="4"/>',
            '<d p="4" empenhada="5.00" s="302" n="3390390000"/>',
        ],
    ),
}


def _lida(dados: bytes) -> tuple:
    d = de_bytes(dados, "x.OPS")
    razao = [(k, [(c, str(v)) for c, v in linha.items()]) for k, linha in d.razao().items()]
    return d, razao, dict(d.ids_siops), d.estado()


@pytest.mark.parametrize("nome", VALIDOS)
def test_razao_lido_direto_e_o_do_passo_a_passo(nome, monkeypatch):
    dados = _arquivo(*VALIDOS[nome])
    direto = _lida(dados)
    monkeypatch.setattr(formato, "_ler_direto", lambda raiz, versao: None)
    passo_a_passo = _lida(dados)
    assert direto == passo_a_passo  # the lines in the same order, values as the same text


def test_valores_escritos_a_mao_viram_centavos_e_zeros_nao_ficam():
    d = de_bytes(_arquivo(*VALIDOS["valores escritos à mão"]))
    k = ChaveDespesa("4", "301", "3390390000")
    assert [(c, str(v)) for c, v in d.razao()[k].items()] == [
        ("empenhada", "5.00"),
        ("liquidada", "4.50"),
        ("paga", "7.00"),
    ]
    assert d.razao()[ChaveDespesa("4", "302", "3390390000")] == {"paga": Decimal("1.00")}
    assert d.razao()[ChaveDespesa("4", "303", "3390390000")] == {}


def test_ids_do_programa_oficial_sao_guardados():
    d = de_bytes(_arquivo(*VALIDOS["ids do programa oficial"]))
    assert d.ids_siops == {
        ChaveDespesa("4", "301", "3390390000"): ("C9", "#L001"),
        ChaveReceita("11125001"): ("", "#L2"),
    }


RECUSADOS = {
    "planilha desconhecida": (
        6,
        [D, '<d p="99" s="301" n="3390390000" empenhada="5.00"/>'],
        "linha 12: no razão, planilha (fonte de recursos) '99' desconhecida.",
    ),
    "subfunção desconhecida": (
        6,
        [D, '<d p="4" s="999" n="3390390000" empenhada="5.00"/>'],
        "linha 12: no razão, subfunção '999' desconhecida.",
    ),
    "natureza da despesa inválida": (
        6,
        [D, '<d p="4" s="302" n="9990390000" empenhada="5.00"/>'],
        "linha 12: no razão, natureza da despesa '9990390000' inválida: a categoria e o grupo "
        "devem ser 3.1, 3.2, 3.3, 4.4, 4.5 ou 4.6.",
    ),
    "natureza de receita inválida": (
        6,
        ['<r n="5125001" realizada="5.00"/>'],
        "linha 11: no razão, natureza de receita '5125001' inválida: informe o código da "
        "receita (até 14 dígitos, começando por 1, 2, 7 ou 9).",
    ),
    "despesa repetida com a natureza abreviada": (
        6,
        [D, '<d p="4" s="301" n="339039" empenhada="5.00"/>'],
        f"linha 12: a linha do razão {ASPS}, 301 — Atenção Básica, natureza 3.3.90.39.00.00 "
        "aparece duas vezes.",
    ),
    "receita repetida": (
        6,
        ['<r n="11125001" realizada="1.00"/>', '<r n="11125001" f="" realizada="2.00"/>'],
        "linha 12: a linha do razão receita 1.1.1.2.50.0.1 aparece duas vezes.",
    ),
    "valor negativo (o primeiro)": (
        6,
        [D, '<d p="4" s="302" n="3390390000" empenhada="5.00" liquidada="-1.00" paga="-2.00"/>'],
        f"linha 12: no razão, {HOSP}: o valor R$ -1,00 em {HOSP} — Despesas liquidadas é "
        "negativo; o razão não admite valores negativos.",
    ),
    "valor negativo com uma casa": (
        6,
        ['<d p="4" s="302" n="3390390000" empenhada="-1.5"/>'],
        f"linha 11: no razão, {HOSP}: o valor R$ -1,50 em {HOSP} — Despesas empenhadas é "
        "negativo; o razão não admite valores negativos.",
    ),
    "coluna do 6º bimestre no 3º": (
        3,
        [D, '<d p="4" s="302" n="3390390000" empenhada="5.00" orcada="1.00"/>'],
        f"linha 12: no razão, {HOSP}: {HOSP} — Despesa orçada para o exercício seguinte: só é "
        "preenchida no 6º bimestre.",
    ),
    "coluna do 6º antes de um negativo": (
        3,
        ['<d p="4" s="302" n="3390390000" orcada="1.00" empenhada="-5.00"/>'],
        f"linha 11: no razão, {HOSP}: {HOSP} — Despesa orçada para o exercício seguinte: só é "
        "preenchida no 6º bimestre.",
    ),
    "receita do 6º bimestre no 3º": (
        3,
        ['<r n="11125001" realizada="1.00" orcada="3.00"/>'],
        "linha 11: no razão, receita 1.1.1.2.50.0.1: receita 1.1.1.2.50.0.1 — Receita orçada "
        "para o exercício seguinte: só é preenchida no 6º bimestre.",
    ),
    "receita negativa": (
        6,
        ['<r n="11125001" realizada="-1.00"/>'],
        "linha 11: no razão, receita 1.1.1.2.50.0.1: o valor R$ -1,00 em receita "
        "1.1.1.2.50.0.1 — Receitas realizadas brutas é negativo; o razão não admite valores "
        "negativos.",
    ),
}


@pytest.mark.parametrize("nome", RECUSADOS)
def test_linha_do_razao_recusada_diz_o_que_e_onde(nome):
    bimestre, elementos, esperado = RECUSADOS[nome]
    with pytest.raises(ArquivoInvalido) as exc:
        de_bytes(_arquivo(bimestre, elementos), "x.OPS")
    assert str(exc.value) == f"Arquivo x.OPS, {esperado}"


def test_celula_invalida_e_dita_antes_da_linha_do_razao():
    dados = _arquivo(6, ['<d p="99" s="301" n="3390390000"/>'], ('<c t="nada" l="x" k="y">1</c>',))
    with pytest.raises(ArquivoInvalido, match="linha 9: a tabela 'nada' não existe"):
        de_bytes(dados, "x.OPS")


def test_razao_alterado_fora_do_programa_e_recusado_pelo_resumo():
    dados = _arquivo(6, [D]).replace(b'paga="30.00"', b'paga="31.00"')
    with pytest.raises(ArquivoInvalido, match="não confere com o resumo SHA-256"):
        de_bytes(dados, "x.OPS")


def test_chaves_de_despesa_lidas_sao_reaproveitadas_ate_um_limite(monkeypatch):
    monkeypatch.setattr(formato, "_CHAVES_DESPESA", {})
    dados = _arquivo(6, [D, '<d p="4" s="302" n="3390390000" empenhada="6.00"/>'])
    primeira, segunda = (list(de_bytes(dados).razao()) for _ in range(2))
    esperadas = [ChaveDespesa("4", "301", "3390390000"), ChaveDespesa("4", "302", "3390390000")]
    assert primeira == segunda == esperadas
    assert all(a is b for a, b in zip(primeira, segunda, strict=True))
    monkeypatch.setattr(formato, "_MAXIMO_CHAVES", 1)
    de_bytes(_arquivo(6, ['<d p="9" s="303" n="3390390000"/>', '<d p="9" s="304" n="44"/>']))
    assert len(formato._CHAVES_DESPESA) == 1
    with pytest.raises(ArquivoInvalido, match=r"planilha .* '99' desconhecida"):
        de_bytes(_arquivo(6, ['<d p="99" s="301" n="3390390000"/>']))
    assert ("99", "301", "3390390000") not in formato._CHAVES_DESPESA


def test_arquivo_gravado_pelo_programa_e_lido_direto(completa, monkeypatch):
    """The common case never falls back to the step-by-step reading (the fast path is not
    silently lost)."""
    d = completa("M355030", 2025, 6)
    dados = para_bytes(d)

    def passo_a_passo(*_a, **_k):
        raise AssertionError("lido passo a passo")

    monkeypatch.setattr(formato, "extrair", passo_a_passo)
    monkeypatch.setattr(formato, "_razao_conferido", passo_a_passo)
    lida = de_bytes(dados)
    assert lida == d and lida.estado() == d.estado()
