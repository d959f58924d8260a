"""Bad input: a clear Portuguese message with the line, and nothing changed in the declaration."""

from __future__ import annotations

import tracemalloc
from decimal import Decimal
from pathlib import Path

import pytest

from siops.contabil import ErroContabil, importar
from siops.contabil.msc import ler_msc
from siops.forms.declaracao import Declaracao
from siops.forms.mapeamento import carregar

CAB = "CONTA;IC1;TIPO1;IC2;TIPO2;IC3;TIPO3;IC4;TIPO4;IC5;TIPO5;IC6;TIPO6;Valor;Tipo_valor;Natureza_valor"
IPTU = "621200000;10131;PO;11125001;NR;1500;FR;;;;;;;{v};{t};{n}"


def _msc(
    tmp_path: Path, linhas: list[str], primeira="3550308EX;2025-04", nome="m.csv", enc="utf-8"
):
    arq = tmp_path / nome
    arq.write_bytes(("\r\n".join([primeira, CAB, *linhas]) + "\r\n").encode(enc))
    return arq


def _ok(v="100.00", t="ending_balance", n="C") -> list[str]:
    return [
        IPTU.format(v=v, t="period_change", n=n),
        IPTU.format(v=v, t=t, n=n),
        f"111110100;10131;PO;1;FP;;;;;;;;;{v};period_change;D",
        f"111110100;10131;PO;1;FP;;;;;;;;;{v};ending_balance;D",
    ]


@pytest.fixture
def d(municipio) -> Declaracao:
    return Declaracao(municipio, 2025, 2)


def _recusa(d: Declaracao, arquivo: Path, trecho: str, linha: int | None) -> ErroContabil:
    antes = d.estado()
    with pytest.raises(ErroContabil) as e:
        importar(d, [arquivo])
    assert trecho in str(e.value)
    assert e.value.linha == linha
    if linha is not None:
        assert f"linha {linha}" in str(e.value)
    assert d.estado() == antes
    return e.value


def test_msc_de_outro_ente(d, tmp_path):
    arq = _msc(tmp_path, _ok(), primeira="3304557EX;2025-04")
    _recusa(d, arq, "3304557", 1)


def test_msc_de_mes_depois_do_bimestre(d, tmp_path):
    e = _recusa(d, _msc(tmp_path, _ok(), primeira="3550308EX;2025-05"), "depois do 2º bimestre", 1)
    assert "maio" in str(e)


def test_msc_de_outro_exercicio(d, tmp_path):
    _recusa(d, _msc(tmp_path, _ok(), primeira="3550308EX;2024-04"), "exercício 2024", 1)


def test_arquivo_que_nao_e_msc(d, tmp_path):
    arq = tmp_path / "x.csv"
    arq.write_text("nada a ver;1;2\n3;4;5\n", encoding="utf-8")
    # a CSV that is not an MSC is read as a balancete, which has no recognizable header
    _recusa(d, arq, "não encontrei o cabeçalho", None)
    ruim = tmp_path / "y.csv"
    ruim.write_text("3550308EX;2025-04\nA;B;C\n", encoding="utf-8")
    _recusa(d, ruim, "não é o de uma MSC", 2)


def test_valor_nao_numerico(d, tmp_path):
    linhas = _ok()
    linhas.insert(1, IPTU.format(v="12a,00", t="period_change", n="C"))
    _recusa(d, _msc(tmp_path, linhas), "'12a,00' não é um número", 4)


def test_tipo_valor_desconhecido(d, tmp_path):
    linhas = _ok()
    linhas.append(IPTU.format(v="1.00", t="closing_balance", n="C"))
    _recusa(d, _msc(tmp_path, linhas), "Tipo_valor 'closing_balance' desconhecido", 7)


def test_natureza_valor_invalida(d, tmp_path):
    _recusa(d, _msc(tmp_path, [IPTU.format(v="1.00", t="ending_balance", n="X")]), "use D ou C", 3)


def test_linha_com_colunas_de_menos(d, tmp_path):
    _recusa(d, _msc(tmp_path, [*_ok(), "621200000;10131;PO"]), "colunas", 7)


def test_mes_invalido(d, tmp_path):
    _recusa(d, _msc(tmp_path, _ok(), primeira="3550308EX;2025-13"), "encerramento", 1)


def test_debitos_diferentes_de_creditos_so_avisa(d, tmp_path):
    linhas = _ok()[:2]  # without the balancing cash rows
    p = importar(d, [_msc(tmp_path, linhas)])
    assert any("não batem" in a and "R$ 100,00" in a for a in p.avisos)
    assert p.tabela("receitas_base").celulas[("receitas_base", "iptu", "realizada")] == Decimal(
        "100.00"
    )


def test_saldo_final_diferente_de_inicial_mais_movimento_avisa(d, tmp_path):
    linhas = _ok()
    linhas[0] = IPTU.format(v="90.00", t="period_change", n="C")
    linhas[2] = "111110100;10131;PO;1;FP;;;;;;;;;90.00;period_change;D"
    p = importar(d, [_msc(tmp_path, linhas)])
    assert any("saldo final difere" in a for a in p.avisos)


def test_windows_1252_bom_virgula_e_cabecalho_alternativo(d, tmp_path):
    # e-cidade style: ContaContabil/TipoIC/TipoValor/NaturezaValor, ' ' for empty ICs, CRLF
    cab = (
        "ContaContabil;IC1;TipoIC1;IC2;TipoIC2;IC3;TipoIC3;IC4;TipoIC4;IC5;TipoIC5;IC6;TipoIC6;"
        "Valor;TipoValor;NaturezaValor"
    )
    linhas = [
        "621200000;10131;PO;11125001;NR;1500;FR; ; ; ; ; ; ;1.234,56;period_change;C",
        "621200000;10131;PO;11125001;NR;1500;FR; ; ; ; ; ; ;1.234,56;ending_balance;C",
        "111110100;Dívida;DC;1;FP; ; ; ; ; ; ; ; ;1.234,56;period_change;D",
        "111110100;Dívida;DC;1;FP; ; ; ; ; ; ; ; ;1.234,56;ending_balance;D",
    ]
    for enc, nome in (("cp1252", "w.csv"), ("utf-8-sig", "b.csv")):
        arq = tmp_path / nome
        arq.write_bytes(("\r\n".join(["3550308EX;2025-04", cab, *linhas]) + "\r\n").encode(enc))
        p = importar(d, [arq])
        assert p.tabela("receitas_base").celulas[("receitas_base", "iptu", "realizada")] == Decimal(
            "1234.56"
        )
        assert not [a for a in p.avisos if "não batem" in a]


def test_sem_saldo_final_usa_inicial_mais_movimento(d, tmp_path):
    linhas = [
        IPTU.format(v="70.00", t="beginning_balance", n="C"),
        IPTU.format(v="40.00", t="period_change", n="C"),
        IPTU.format(v="10.00", t="period_change", n="D"),
    ]
    p = importar(d, [_msc(tmp_path, linhas)])
    assert p.tabela("receitas_base").celulas[("receitas_base", "iptu", "realizada")] == Decimal(
        "100.00"
    )
    assert any("saldo inicial mais o movimento" in a for a in p.avisos)


def test_duas_mscs_do_mesmo_mes(d, tmp_path):
    a = _msc(tmp_path, _ok(), nome="a.csv")
    b = _msc(tmp_path, _ok(), nome="b.csv")
    with pytest.raises(ErroContabil, match="mesmo mês"):
        importar(d, [a, b])


def test_arquivo_inexistente(d, tmp_path):
    with pytest.raises(ErroContabil, match="não encontrado"):
        importar(d, [tmp_path / "nao.csv"])


def test_msc_grande_e_lida_em_fluxo(d, tmp_path):
    """40.000 rows: memory grows with the distinct combinations, not with the rows."""
    arq = tmp_path / "grande.csv"
    with open(arq, "w", encoding="utf-8", newline="") as f:
        f.write("3550308EX;2025-04\r\n" + CAB + "\r\n")
        for i in range(10_000):
            nd = f"3390{30 + i % 20:02d}00"
            f.write(
                f"622130400;10131;PO;10301;FS;{nd};ND;1500;FR;1002;CO;;;1.00;period_change;C\r\n"
            )
            f.write(
                f"622130400;10131;PO;10301;FS;{nd};ND;1500;FR;1002;CO;;;1.00;ending_balance;C\r\n"
            )
            f.write("111110100;10131;PO;1;FP;;;;;;;;;1.00;period_change;D\r\n")
            f.write("111110100;10131;PO;1;FP;;;;;;;;;1.00;ending_balance;D\r\n")
    mapa = carregar(d.catalogo)
    tracemalloc.start()
    try:
        m = ler_msc(arq, lambda c: bool(mapa.papeis_da_conta(c)))
        _, pico = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(m.saldos) == 20
    assert sum(m.saldos.values()) == Decimal("10000.00")
    assert pico < 2_000_000, pico  # the file has ~3 MB; the reader keeps 20 sums


def test_valor_negativo_no_razao_e_recusado_com_o_motivo(d, tmp_path):
    """A receita realizada with a debit balance cannot be a ledger value: refused, listed, the
    reconciliation still closes, and the rest applies."""
    linhas = [
        IPTU.format(v="100.00", t="period_change", n="D"),
        IPTU.format(v="100.00", t="ending_balance", n="D"),
        "621200000;10131;PO;11125301;NR;1500;FR;;;;;;;50.00;period_change;C",
        "621200000;10131;PO;11125301;NR;1500;FR;;;;;;;50.00;ending_balance;C",
    ]
    p = importar(d, [_msc(tmp_path, linhas)])
    assert any("IPTU" not in r and "1.1.1.2.50.0.1" in r and "negativos" in r for r in p.recusadas)
    c = {x.medida: x for x in p.conciliacao}["realizada"]
    assert (c.fonte, c.importado, c.recusado, c.no_razao) == (
        Decimal("-50.00"), Decimal("50.00"), Decimal("-100.00"), Decimal("50.00"),
    )  # fmt: skip
    assert c.fecha
    d.aplicar(p.lote())
    assert d.valor(("receitas_base", "itbi", "realizada")) == Decimal("50.00")
    assert d.valor(("receitas_base", "iptu", "realizada")) == Decimal(0)


def test_natureza_da_despesa_invalida_fica_fora_do_razao(d, tmp_path):
    linhas = [
        "622130400;10131;PO;10301;FS;39000000;ND;1500;FR;1002;CO;;;10.00;period_change;C",
        "622130400;10131;PO;10301;FS;39000000;ND;1500;FR;1002;CO;;;10.00;ending_balance;C",
    ]
    p = importar(d, [_msc(tmp_path, linhas)])
    (n,) = p.nao_mapeadas
    assert not n.no_razao and "categoria e o grupo" in n.motivo and n.linha == 4
    assert {x.medida: x.nao_mapeado for x in p.conciliacao}["paga"] == Decimal("10.00")
    assert all(x.fecha for x in p.conciliacao)
    d.aplicar(p.lote())
    assert not d.razao()
