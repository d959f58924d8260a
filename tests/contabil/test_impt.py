"""The SIOPS integration file (``.IMPT``) in and out (issue 19).

The input is written by ``gerador_impt`` from the e-cidade's own PHP (not by our exporter).

The example, worked by hand (município de São Paulo, 6º bimestre de 2025):

Receitas (Receita_Siops.IMPT), base of the ASPS percentage = realizada − deduções:
    IPTU 1.1.12.50.01   600.000,00 − 50.000,00 (dedução)        =   550.000,00
    ISS  1.1.14.51.11                                           = 1.234.567,89
    FPM  1.7.11.51.11 1.500.000,00 (FUNDEB 300.000,00: does not reduce the base)
                                                                = 1.500.000,00
    ICMS 1.7.21.50.01 2.000.000,00 (FUNDEB 400.000,00)          = 2.000.000,00
                                                           base = 5.284.567,89
    SUS União custeio 1.7.13.50.11 800.000,00 → receitas adicionais (not in the base)
    Aplicação financeira 1.3.21.00.11 10.000,00 → outside the Anexo 12

Despesas, column empenhada (the apuração of the 6º bimestre):
    4_12 (impostos, 301) 3.3.90.39.00.00   400.000,00  → ASPS, 301 › outras despesas correntes
    4_12                 3.1.90.11.00.00   300.000,00  → ASPS, 301 › pessoal
    4_12                 3.3.71.70.00.00    25.000,00  → modalidade 71: outside (consórcios)
    4_11 (administrativas) 3.1.90.11.00.00 150.000,00  → ASPS, outras subfunções › pessoal
    4_13 (302)           4.4.90.52.00.00    50.000,00  → ASPS, 302 › investimentos
    86_13 (SUS União custeio, 302) 3.3.90.30.00.00 700.000,00 → não computadas
                                     ASPS = 400.000 + 300.000 + 150.000 + 50.000 = 900.000,00
    percentual = 900.000,00 / 5.284.567,89 × 100 = 17,030720 %  (mínimo 15 % = 792.685,18)
"""

from __future__ import annotations

import json
import zipfile
from decimal import Decimal as D
from pathlib import Path

import pytest

from siops.contabil import impt
from siops.contabil.erros import ErroContabil
from siops.forms.catalogo import BASE
from siops.forms.declaracao import Declaracao, SubstituirRazao
from siops.forms.razao import ChaveComplementar, ChaveDespesa, ChaveReceita

from .gerador_impt import (
    Complementar,
    Despesa,
    arquivos_siops,
    linha_despesa,
    pasta_siops,
    receita_pela_formula,
    receitas_do_erp,
    zip_siops,
)

DESPESAS = [  # in the order our exporter writes (planilha, subfunção, natureza)
    Despesa("4_11", "3190110000", "1101", "#L3", empenhado=D("150000"), liquidado=D("150000"),
            pagamento=D("150000")),
    Despesa("4_12", "3190110000", "1202", "#L3", D("350000"), D("350000"), D("300000"),
            D("300000"), D("290000")),
    Despesa("4_12", "3371700000", "1203", "#L40", empenhado=D("25000"), liquidado=D("25000"),
            pagamento=D("25000")),
    Despesa("4_12", "3390390000", "1201", "#L12", D("500000"), D("520000"), D("400000"),
            D("380000"), D("350000"), D("20000")),
    Despesa("4_13", "4490520000", "1301", "#L60", empenhado=D("50000")),
    Despesa("86_13", "3390300000", "8601", "#L20", D("900000"), D("900000"), D("700000"),
            D("650000.55"), D("600000.10"), D("0"), D("1000000")),
]  # fmt: skip
RECEITAS = [
    receita_pela_formula("11125001", "2001", "#L5", prev_inicial=D("1000000"),
                         prev_atualizada=D("1100000"), rec_realizada=D("600000"),
                         ded_receita=D("50000")),
    receita_pela_formula("11145111", "2002", "#L7", prev_inicial=D("2000000"),
                         prev_atualizada=D("2000000"), rec_realizada=D("1234567.89")),
    receita_pela_formula("13210011", "", "", rec_realizada=D("10000")),
    receita_pela_formula("17115111", "2003", "#L20", rec_realizada=D("1500000"),
                         ded_fundeb=D("300000")),
    receita_pela_formula("17135011", "2004", "#L30", rec_realizada=D("800000")),
    receita_pela_formula("17215001", "2005", "#L22", rec_realizada=D("2000000"),
                         ded_fundeb=D("400000")),
]  # fmt: skip
COMPLEMENTARES = [
    Complementar("19220100", "2539", "#L3", "#C3", D("100"), D("120"), D("50.50")),
]


@pytest.fixture
def d6(municipio) -> Declaracao:
    return Declaracao(municipio, 2025, 6)


@pytest.fixture
def siops_zip(tmp_path) -> Path:
    return zip_siops(tmp_path / "Siops.zip", arquivos_siops(DESPESAS, RECEITAS, COMPLEMENTARES))


def _zip_com(tmp_path: Path, nome: str, dados: bytes, zipname: str = "Siops.zip") -> Path:
    return zip_siops(tmp_path / zipname, {nome: dados})


# --- importing what the ERP writes ------------------------------------------------------------


def test_importa_as_mesmas_somas(d6, siops_zip):
    p = impt.importar(d6, siops_zip)
    assert p.fecha  # every planilha × column: file = applied = Anexo 12 + outside
    por = {(c.grupo, c.coluna): c for c in p.conciliacao}
    # planilha 4, empenhada: 150.000 + 300.000 + 25.000 + 400.000 + 50.000 = 925.000,00, of
    # which the 25.000,00 of modalidade 71 stays outside the Anexo 12
    c = por[("4", "empenhada")]
    assert (c.arquivo, c.aplicado, c.no_anexo12, c.fora_anexo12) == (
        D("925000"), D("925000"), D("900000"), D("25000"),
    )  # fmt: skip
    assert por[("86", "orcada")].arquivo == D("1000000")
    # receitas realizada: 600.000 + 1.234.567,89 + 10.000 + 1.500.000 + 800.000 + 2.000.000
    r = por[("receitas", "realizada")]
    assert (r.arquivo, r.fora_anexo12) == (D("6144567.89"), D("10000"))
    assert por[("complementares", "realizada")].arquivo == D("50.50")
    fora = {f.descricao: f for f in p.fora}
    assert any("3.3.71.70" in k and "modalidade 71" in f.motivo for k, f in fora.items())
    assert any("1.3.2.1" in k and "sem linha no Anexo 12" in f.motivo for k, f in fora.items())
    assert p.percentual_antes == 0 and p.percentual_depois == D("17.030720")
    assert "0,00% → 17,03%" in p.texto()
    assert p.linhas_depois == {"despesas": 6, "receitas": 6, "complementares": 1}
    assert d6.linhas_razao() == []  # the preview changes nothing

    p.aplicar(d6)
    assert d6.valor(BASE) == D("5284567.89")
    ind = d6.indicadores("empenhada")
    assert ind.total_asps == D("900000.00") and ind.percentual == D("17.030720")
    assert ind.despesa_minima == D("792685.18")
    assert d6.valor(("receitas_base", "iptu", "realizada")) == D("550000.00")
    assert d6.valor(("despesas_asps", "s301_33", "empenhada")) == D("400000.00")
    assert d6.valor(("despesas_asps", "s301_31", "empenhada")) == D("300000.00")
    assert d6.valor(("despesas_asps", "outras_31", "empenhada")) == D("150000.00")
    assert d6.valor(("despesas_asps", "s302_44", "empenhada")) == D("50000.00")
    assert d6.valor(("despesas_nao_computadas", "s302_33", "liquidada")) == D("650000.55")
    assert d6.valor(("consorcios", "transferido_rateio", "empenhada")) == D("25000.00")
    assert d6.valor(("despesa_fonte", "recursos_proprios", "empenhada")) == D("900000.00")
    assert d6.valor(("despesa_fonte", "sus_uniao", "empenhada")) == D("700000.00")
    k = ChaveDespesa("4", "301", "3390390000")
    assert d6.lancamento(k, "inscritas_rpnp") == D("20000")
    assert d6.ids_siops[k] == ("1201", "#L12")
    assert d6.ids_siops[ChaveReceita("11125001")] == ("2001", "#L5")
    assert ChaveReceita("13210011") not in d6.ids_siops  # no ids in the file: none kept
    assert d6.tem_linha(ChaveComplementar("19220100", "2539", "#L3", "#C3"))


def test_um_passo_de_desfazer(d6, siops_zip):
    inverso = impt.importar(d6, siops_zip).aplicar(d6)
    assert d6.linhas_razao()
    d6.aplicar(inverso)
    assert d6.linhas_razao() == [] and d6.valor(BASE) == 0


def test_pasta_e_arquivo_unico(d6, tmp_path):
    pasta = pasta_siops(tmp_path / "saida", arquivos_siops(DESPESAS, RECEITAS))
    (pasta / "leiame.txt").write_text("x")
    p = impt.importar(d6, pasta)
    assert p.percentual_depois == D("17.030720")
    assert any("não são .IMPT" in a for a in p.avisos)
    so_receita = impt.ler(pasta / "Receita_Siops.IMPT")
    assert so_receita.partes == {"receitas"} and len(so_receita.linhas) == 6


def test_substitui_so_as_partes_presentes(d6, tmp_path):
    outra = ChaveDespesa("3", "305", "3390300000")
    receita = ChaveReceita("11125001")
    d6.aplicar(
        SubstituirRazao(
            (
                (outra, (("empenhada", D("7")),)),
                (receita, (("realizada", D("1000")),)),
            )
        )
    )
    d6.ids_siops[outra] = ("9", "#L9")
    d6.ids_siops[receita] = ("8", "#L8")
    so_despesas = zip_siops(tmp_path / "d.zip", arquivos_siops(DESPESAS))
    p = impt.importar(d6, so_despesas)
    assert p.partes == {"despesas"}
    assert "Receitas: mantidas (1 linhas" in p.texto()
    p.aplicar(d6)
    assert not d6.tem_linha(outra) and outra not in d6.ids_siops
    assert d6.lancamento(receita, "realizada") == D("1000")
    assert d6.ids_siops[receita] == ("8", "#L8")
    assert len(d6.linhas_razao(ChaveDespesa)) == len(DESPESAS)


def test_receita_vazia_esvazia_as_receitas(d6, tmp_path):
    d6.aplicar(SubstituirRazao(((ChaveReceita("11125001"), (("realizada", D("1")),)),)))
    z = zip_siops(tmp_path / "r.zip", {"Receita_Siops.IMPT": b""})
    p = impt.importar(d6, z)
    assert p.partes == {"receitas"} and any("esvaziadas" in a for a in p.avisos)
    p.aplicar(d6)
    assert d6.linhas_razao() == []


def test_linhas_repetidas_sao_somadas_e_avisadas(d6, tmp_path):
    um = DESPESAS[3]
    dados = (linha_despesa(um) + "\r\n" + linha_despesa(um) + "\r\n").encode()
    z = _zip_com(tmp_path, "01_Desp_Rec_Impostos_Transf_Aten_Basica.IMPT", dados)
    p = impt.importar(d6, z)
    assert any("SOMADAS" in a and "linha 1 e" in a and "linha 2" in a for a in p.avisos)
    p.aplicar(d6)
    assert d6.lancamento(ChaveDespesa("4", "301", "3390390000"), "empenhada") == D("800000")


def test_receitas_como_o_ecidade_grava(d6, tmp_path):
    # The ERP computes (e) and (g) per source row and sums them: IPTU realizada 600.000,00 and
    # a dedução of 50.000,00 come as (e) = 650.000,00 and (g) = 600.000,00; FPM (not in its
    # base list) has (e) = 0 and its FUNDEB row leaves (g) = 1.500.000,00.
    receitas = receitas_do_erp(
        [
            ("4111250011", "11125001", D("600000"), D("1000000"), D("100000")),
            ("4911125001", "11125001", D("50000"), D("0"), D("0")),
            ("4171151111", "17115111", D("1500000"), D("0"), D("0")),
            ("4951711511", "17115111", D("300000"), D("0"), D("0")),
        ]
    )
    texto = arquivos_siops(receitas=receitas)["Receita_Siops.IMPT"].decode()
    assert "V4:[>R$0,00<]" in texto and "V6:[>R$1500000,00<]" in texto
    z = zip_siops(tmp_path / "r.zip", arquivos_siops(receitas=receitas))
    p = impt.importar(d6, z)
    assert any("como o e-cidade" in a and "linha 2" in a for a in p.avisos)
    p.aplicar(d6)
    iptu = ChaveReceita("11125001")
    assert d6.lancamento(iptu, "realizada") == D("600000")
    assert d6.lancamento(iptu, "deducoes") == D("50000")
    assert d6.lancamento(iptu, "previsao_atualizada") == D("1100000")
    assert d6.lancamento(ChaveReceita("17115111"), "deducao_fundeb") == D("300000")
    assert d6.valor(BASE) == D("2050000.00")  # 550.000 + 1.500.000


def test_milhar_bem_formado_e_sem_ponto_e_virgula_final(d6, tmp_path):
    linha = linha_despesa(DESPESAS[3]).replace("R$400000,00", "R$400.000,00")[:-1]  # no ';'
    # another ERP's titles (no accents) or none at all: the ids [13], [12] … are what count
    linha = linha.replace("(Dotação Inicial)", "(Dotacao Inicial)")
    linha = linha.replace("<]:-[12](Dotação Atualizada)", "<]")
    z = _zip_com(tmp_path, "01_x.IMPT", (linha + "\n").encode())  # LF only
    impt.importar(d6, z).aplicar(d6)
    k = ChaveDespesa("4", "301", "3390390000")
    assert d6.lancamento(k, "empenhada") == D("400000")
    assert d6.lancamento(k, "dotacao_atualizada") == D("520000")


# --- exporting: the e-cidade's bytes, and back ------------------------------------------------


def test_exportar_e_o_formato_do_ecidade(d6, siops_zip, tmp_path):
    impt.importar(d6, siops_zip).aplicar(d6)
    arquivos, avisos = impt.conteudo(d6)
    assert avisos == []
    # byte for byte what the ERP's code writes for the same ledger and ids
    assert arquivos == arquivos_siops(DESPESAS, RECEITAS, COMPLEMENTARES)
    assert list(arquivos) == [
        "01_Desp_Rec_Impostos_Transf_Administ.IMPT",
        "02_Desp_Rec_Impostos_Transf_Aten_Basica.IMPT",
        "03_Desp_Rec_Impostos_Transf_Assis_Hosp.IMPT",
        "04_Desp_Rec_Sus_Federal_Custeio_Assis_Hosp.IMPT",
        "Receita_Siops.IMPT",
        "Inf_Complementares.IMPT",
    ]
    saida = tmp_path / "out" / "SAIDA.zip"
    r = impt.escrever(d6, saida)
    assert r.linhas == len(DESPESAS) + len(RECEITAS) + len(COMPLEMENTARES)
    with zipfile.ZipFile(saida) as z:
        assert all("/" not in n for n in z.namelist())  # flat
        dados = z.read("Receita_Siops.IMPT")
    assert dados.endswith(b";#C8;\r\n") and dados.count(b"\r\n") == len(RECEITAS)
    assert "Previsão Inicial".encode() in dados  # UTF-8
    assert not list(saida.parent.glob(".*.tmp"))


def test_ida_e_volta_ao_centavo(d6, municipio, tmp_path):
    linhas = (
        (ChaveDespesa("4", "301", "3390390000"), (("empenhada", D("0.01")), ("paga", D("1")))),
        (ChaveDespesa("95", "306", "3190110100"), (("orcada", D("123456789012.99")),)),
        (ChaveDespesa("90", "adm", "4490520000"), (("dotacao_inicial", D("3.10")),)),
        (ChaveDespesa("10", "outras", "3390300000"), ()),  # an empty line survives too
        (
            ChaveReceita("17115111"),
            (("realizada", D("999.99")), ("deducoes", D("0.99")), ("deducao_fundeb", D("1"))),
        ),
        (ChaveComplementar("13210100", "2541", "#L5", "#C3"), (("previsao_inicial", D("5")),)),
    )
    d6.aplicar(SubstituirRazao(linhas))
    arquivos, _ = impt.conteudo(d6)
    assert list(arquivos) == [
        "01_Desp_Rec_Impostos_Transf_Aten_Basica.IMPT",
        "02_Desp_Outros_Rec_Inf_Compl.IMPT",
        "03_Desp_Rec_Transf_Uniao_lei_173-2020_Administ.IMPT",
        "04_Desp_Rec_Enferm_Aliment.IMPT",
        "Receita_Siops.IMPT",
        "Inf_Complementares.IMPT",
    ]
    texto = arquivos["01_Desp_Rec_Impostos_Transf_Aten_Basica.IMPT"].decode()
    assert texto.startswith("4_12;3.3.90.39.00.00;;V0:[>R$0,00<]:-[13](Dotação Inicial);")
    assert ";V2:[>R$0,01<]:-[9](Despesas Empenhadas);" in texto and texto.endswith(";#C7;\r\n")
    saida = impt.escrever(d6, tmp_path / "SAIDA.zip").destino
    nova = Declaracao(municipio, 2025, 6)
    impt.importar(nova, saida).aplicar(nova)
    assert nova.razao() == d6.razao()
    assert nova.valor(BASE) == d6.valor(BASE)


def test_exportar_avisa_o_que_o_layout_nao_leva(d6):
    d6.aplicar(
        SubstituirRazao(
            (
                (ChaveReceita("1321", ""), (("realizada", D("1")),)),
                (ChaveReceita("13210101", "600"), (("realizada", D("2")),)),
            )
        )
    )
    arquivos, avisos = impt.conteudo(d6)
    assert arquivos == {}
    assert any("4 dígitos" in a for a in avisos) and any("fonte 600" in a for a in avisos)
    with pytest.raises(ErroContabil, match="nada a exportar"):
        impt.escrever(d6, Path("/nao/existe.zip"))


# --- bad input: Portuguese, file and line, nothing applied ------------------------------------

BOA = linha_despesa(DESPESAS[3])
RUINS = [
    ("planilha desconhecida", BOA.replace("4_12;", "99_12;", 1), "planilha '99'"),
    ("subfunção desconhecida", BOA.replace("4_12;", "4_19;", 1), "subfunção '19'"),
    ("linha truncada", BOA[: BOA.index(";V4:")], "incompleta"),
    ("truncada no fim", BOA[: BOA.index("#C7") + 2], "#C7"),
    ("valor R$1.2.3", BOA.replace("R$400000,00", "R$1.2.3"), "'R$1.2.3' inválido"),
    ("uma casa", BOA.replace("R$400000,00", "R$400000,0"), "inválido"),
    ("ponto decimal", BOA.replace("R$400000,00", "R$400000.00"), "'R$400000.00' inválido"),
    ("milhar sem casas", BOA.replace("R$400000,00", "R$400.000"), "inválido"),
    ("byte nulo", BOA.replace("1201", "12\x0001"), "campo"),
    ("vírgula na natureza", BOA.replace("3.3.90.39.00.00", "3,3,90,39,00,00"), "natureza"),
    ("colunas trocadas", BOA.replace("-[9](", "-[10]("), "código [10], esperado [9]"),
    ("natureza ruim", BOA.replace("3.3.90.39.00.00", "3.3.9039.00.00"), "natureza"),
    ("grupo ruim", BOA.replace("3.3.90.39.00.00", "5.3.90.39.00.00"), "categoria e o grupo"),
    ("campo", BOA.replace(";1201;", ";12x;"), "campo"),
]


@pytest.mark.parametrize(("caso", "linha", "motivo"), RUINS, ids=[r[0] for r in RUINS])
def test_linha_ruim(d6, tmp_path, caso, linha, motivo):
    dados = (BOA + "\r\n" + linha + "\r\n").encode()
    z = _zip_com(tmp_path, "01_Desp_Rec_Impostos_Transf_Aten_Basica.IMPT", dados)
    antes = d6.razao()
    with pytest.raises(ErroContabil) as e:
        impt.importar(d6, z)
    msg = str(e.value)
    assert msg.startswith("01_Desp_Rec_Impostos_Transf_Aten_Basica.IMPT, linha 2: "), msg
    assert motivo in msg
    assert e.value.linha == 2
    assert d6.razao() == antes


def test_latin1(d6, tmp_path):
    dados = ("\r\n".join(map(linha_despesa, DESPESAS[:3])) + "\r\n").encode("latin-1")
    z = _zip_com(tmp_path, "02_Desp_Rec_Impostos_Transf_Aten_Basica.IMPT", dados)
    with pytest.raises(ErroContabil) as e:
        impt.importar(d6, z)
    msg = str(e.value)
    assert "02_Desp_Rec_Impostos_Transf_Aten_Basica.IMPT, linha 1" in msg and "UTF-8" in msg
    # with a BOM, UTF-8 is fine
    z = _zip_com(tmp_path, "x.IMPT", b"\xef\xbb\xbf" + linha_despesa(DESPESAS[0]).encode())
    assert len(impt.ler(z).linhas) == 1


def test_receita_incoerente(d6, tmp_path):
    r = receita_pela_formula("11125001", rec_realizada=D("600000"), ded_receita=D("50000"))
    texto = arquivos_siops(receitas=[r])["Receita_Siops.IMPT"].decode()
    ruim = texto.replace("V4:[>R$550000,00<]", "V4:[>R$550000,01<]")
    z = _zip_com(tmp_path, "Receita_Siops.IMPT", ruim.encode())
    with pytest.raises(ErroContabil, match=r"Receita_Siops.IMPT, linha 1: a coluna V4 \(e\)"):
        impt.importar(d6, z)
    ruim = texto.replace("V6:[>R$550000,00<]", "V6:[>R$1,00<]")
    z = _zip_com(tmp_path, "Receita_Siops.IMPT", ruim.encode())
    with pytest.raises(ErroContabil, match=r"linha 1: a coluna V6 \(g\)"):
        impt.importar(d6, z)


def test_coluna_do_6o_bimestre_em_outro_bimestre(municipio, siops_zip):
    d2 = Declaracao(municipio, 2025, 2)
    with pytest.raises(ErroContabil) as e:
        impt.importar(d2, siops_zip)
    msg = str(e.value)
    assert "02_Desp_Rec_Impostos_Transf_Aten_Basica.IMPT, linha 3" in msg
    assert "V5 (Inscritas em Restos a Pagar" in msg
    assert "6º bimestre" in msg and "2º bimestre" in msg
    assert d2.linhas_razao() == []


def test_valor_negativo(d6, tmp_path):
    linha = BOA.replace("R$400000,00", "R$-400000,00")
    z = _zip_com(tmp_path, "a.IMPT", (linha + "\r\n").encode())
    with pytest.raises(ErroContabil, match=r"a\.IMPT, linha 1: V2 .*negativo"):
        impt.importar(d6, z)


def test_zip_com_membro_gigante(d6, tmp_path):
    z = tmp_path / "bomba.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as f:
        f.writestr("01_Desp.IMPT", b"0" * (impt.MAX_BYTES_ARQUIVO + 1))
    assert z.stat().st_size < 100_000
    with pytest.raises(ErroContabil, match=r"bomba\.zip: o arquivo .01_Desp\.IMPT. tem 32\.0 MB"):
        impt.importar(d6, z)


def test_zip_grande_demais_no_total(d6, tmp_path, monkeypatch):
    monkeypatch.setattr(impt, "MAX_BYTES_TOTAL", 3000)
    linha = (BOA + "\r\n").encode()
    z = zip_siops(tmp_path / "z.zip", {f"{i:02d}_x.IMPT": linha for i in range(10)})
    with pytest.raises(ErroContabil, match="passa de"):
        impt.importar(d6, z)


@pytest.mark.parametrize(
    "nome", ["../01_x.IMPT", "/etc/01_x.IMPT", "a\\..\\..\\x.IMPT", "C:x.IMPT"]
)
def test_zip_com_caminho_estranho(d6, tmp_path, nome):
    z = _zip_com(tmp_path, nome, BOA.encode())
    with pytest.raises(ErroContabil, match=r"Siops\.zip: .*caminho suspeito"):
        impt.importar(d6, z)


def test_zip_subpasta_e_lixo_do_mac(d6, tmp_path):
    z = zip_siops(
        tmp_path / "Siops.zip",
        {
            "Siops/01_Desp_Rec_Impostos_Transf_Aten_Basica.IMPT": BOA.encode(),
            "__MACOSX/Siops/._01_Desp_Rec_Impostos_Transf_Aten_Basica.IMPT": b"\x00\x05\x16\x07",
        },
    )
    p = impt.importar(d6, z)
    assert [m.nome for m in p.arquivo.membros] == [
        "Siops/01_Desp_Rec_Impostos_Transf_Aten_Basica.IMPT"
    ]
    assert any("ignorados" in a for a in p.avisos)


def test_origem_ruim(d6, tmp_path):
    with pytest.raises(ErroContabil, match="não encontrad"):
        impt.ler(tmp_path / "nada.zip")
    (tmp_path / "vazia").mkdir()
    with pytest.raises(ErroContabil, match=r"vazia: a pasta não tem arquivos \.IMPT"):
        impt.ler(tmp_path / "vazia")
    quebrado = tmp_path / "q.zip"
    quebrado.write_bytes(zip_siops(tmp_path / "b.zip", {"a.IMPT": BOA.encode()}).read_bytes()[:-30])
    with pytest.raises(ErroContabil, match=r"q\.zip"):
        impt.ler(quebrado)


# --- CSV / JSON of the ledger (siops/forms/planilha.py) ---------------------------------------


def test_csv_do_razao_ida_e_volta(d6, municipio, siops_zip):
    from siops.forms.planilha import exportar_csv, exportar_json, ler_csv

    impt.importar(d6, siops_zip).aplicar(d6)
    texto = exportar_csv(d6)
    assert "razao;despesa;4;301;3.3.90.39.00.00;empenhada;400000.00\n" in texto
    assert "razao;receita;1.1.1.2.50.0.1;;deducoes;50000.00\n" in texto
    assert "razao;complementar;1.9.2.2.01.0.0;2539;#L3;#C3;realizada;50.50\n" in texto
    assert "receitas_base;iptu;realizada;550000.00\n" in texto  # the cells, as before
    nova = Declaracao(municipio, 2025, 6)
    nova.aplicar(ler_csv(nova, texto))
    assert nova.razao() == d6.razao()
    assert nova.valor(BASE) == D("5284567.89")
    doc = json.loads(exportar_json(d6))
    linha = next(x for x in doc["razao"] if x.get("natureza") == "3.3.90.39.00.00")
    assert linha["tipo"] == "despesa" and linha["valores"]["empenhada"] == "400000.00"


def test_csv_do_razao_erros(d6):
    from siops.forms.planilha import ErroPlanilha, ler_csv

    cab = "tabela;linha;coluna;valor\n"
    for ruim, motivo in (
        ("razao;despesa;99;301;3.3.90.39;empenhada;1\n", "Planilha"),
        ("razao;despesa;4;301;3.3.90.39;xpto;1\n", "xpto"),
        ("razao;despesa;4;301;3.3.90.39;empenhada;-1\n", "negativo"),
        ("razao;despesa;4;301;empenhada;1\n", "7 colunas"),
        ("razao;receita;1.1.1.2.50;;realizada;abc\n", "número"),
        ("razao;xpto;1;2;3;4;5\n", "xpto"),
        (
            "razao;receita;1.1.1.2.50;;realizada;1\nrazao;receita;1.1.1.2.50;;realizada;2\n",
            "já apareceu",
        ),
        # the cell of the Anexo 12 disagrees with the ledger lines beside it
        ("razao;receita;11125001;;realizada;1\nreceitas_base;iptu;realizada;2\n", "razão"),
    ):
        with pytest.raises(ErroPlanilha) as e:
            ler_csv(d6, cab + ruim)
        assert motivo in str(e.value), (ruim, str(e.value))
        assert e.value.linha >= 2


def test_csv_de_celulas_antigo_vira_razao(d6):
    from siops.forms.planilha import ler_csv

    texto = (
        "tabela;linha;coluna;valor\n"
        "receitas_base;iptu;realizada;1234.56\n"
        "despesas_asps;s301_33;empenhada;100.00\n"
    )
    d6.aplicar(ler_csv(d6, texto))
    assert d6.valor(("receitas_base", "iptu", "realizada")) == D("1234.56")
    assert d6.valor(("despesas_asps", "s301_33", "empenhada")) == D("100.00")
    assert len(d6.linhas_razao()) == 2


# --- the command line -------------------------------------------------------------------------

ops_format = pytest.importorskip("siops.ops_format")


@pytest.fixture
def ops(tmp_path, municipio) -> Path:
    caminho = tmp_path / "M355030_2025_SextoBimestre.OPS"
    ops_format.salvar(Declaracao(municipio, 2025, 6), caminho)
    return caminho


def test_cli_previa_aplicar_e_exportar(ops, siops_zip, tmp_path, capsys):
    from siops.app.cli import main

    antes = ops.read_bytes()
    assert main(["importar-impt", str(ops), str(siops_zip)]) == 0
    out, err = capsys.readouterr()
    assert "17,03%" in out and "Conciliação" in out and "nada foi alterado" in err
    assert ops.read_bytes() == antes

    assert main(["importar-impt", str(ops), str(siops_zip), "--aplicar", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["aplicado"] is True and all(c["fecha"] for c in doc["conciliacao"])
    assert doc["percentual_asps"]["depois"] == "17.030720"
    d = ops_format.ler(ops)
    assert d.indicadores("empenhada").percentual == D("17.030720")
    assert d.ids_siops[ChaveDespesa("4", "301", "3390390000")] == ("1201", "#L12")

    assert main(["importar-impt", str(ops), str(siops_zip), "--aplicar"]) == 0
    assert "Nada a alterar" in capsys.readouterr().err

    saida = tmp_path / "SAIDA.zip"
    assert main(["exportar", str(ops), "--formato", "impt", "-o", str(saida)]) == 0
    assert "6 arquivo(s)" in capsys.readouterr().err
    with zipfile.ZipFile(saida) as z:
        assert {n: z.read(n) for n in z.namelist()} == arquivos_siops(
            DESPESAS, RECEITAS, COMPLEMENTARES
        )
    assert main(["exportar", str(ops), "--formato", "impt"]) == 2
    assert "-o" in capsys.readouterr().err


def test_cli_erro_sai_com_2_e_nada_muda(ops, tmp_path, capsys):
    from siops.app.cli import main

    z = _zip_com(tmp_path, "01_x.IMPT", (BOA.replace("4_12", "99_12") + "\r\n").encode())
    antes = ops.read_bytes()
    assert main(["importar-impt", str(ops), str(z), "--aplicar"]) == 2
    err = capsys.readouterr().err
    assert "01_x.IMPT, linha 1: planilha '99'" in err and "Nada foi alterado" in err
    assert "Traceback" not in err
    assert ops.read_bytes() == antes


def test_cli_csv_com_razao(ops, siops_zip, tmp_path, capsys):
    from siops.app.cli import main

    assert main(["importar-impt", str(ops), str(siops_zip), "--aplicar"]) == 0
    capsys.readouterr()
    assert main(["exportar", str(ops)]) == 0
    texto = capsys.readouterr().out
    assert "razao;despesa;86;302;3.3.90.30.00.00;liquidada;650000.55" in texto
    csv = tmp_path / "d.csv"
    csv.write_text(texto, encoding="utf-8")
    outro = tmp_path / "outro.OPS"
    ops_format.salvar(Declaracao(ops_format.ler(ops).ente, 2025, 6), outro)
    assert main(["importar-planilha", str(outro), str(csv)]) == 0
    assert ops_format.ler(outro).razao() == ops_format.ler(ops).razao()
