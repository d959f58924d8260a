"""The FNS reference file: JSON and CSV, round trips, and errors that say where."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from siops.criticas import ReferenciaFNS, ReferenciaInvalida

JSON = """{
  "formato": "siops-referencia-fns",
  "versao": 1,
  "fonte": "FNS — consulta de pagamentos",
  "valores": [
    {"ente": "M355030", "exercicio": 2025, "bimestre": 6,
     "custeio": "1234567.89", "investimento": "250000.00"},
    {"ente": "E35", "exercicio": 2025, "bimestre": 1, "custeio": 10.5}
  ]
}"""


def test_json_le_e_consulta():
    ref = ReferenciaFNS.de_json(JSON)
    assert ref.valor("M355030", 2025, 6, "custeio") == Decimal("1234567.89")
    assert ref.valor("M355030", 2025, 6, "investimento") == Decimal("250000.00")
    assert ref.valor("E35", 2025, 1, "custeio") == Decimal("10.50")
    assert ref.valor("E35", 2025, 1, "investimento") is None  # unknown: rule silent
    assert ref.valor("M355030", 2025, 5, "custeio") is None
    assert ref.fonte == "FNS — consulta de pagamentos"


def test_idas_e_voltas(tmp_path):
    ref = ReferenciaFNS.de_json(JSON)
    assert ReferenciaFNS.de_json(ref.para_json()) == ref
    assert ReferenciaFNS.de_csv(ref.para_csv()) == ref
    (tmp_path / "fns.json").write_text(ref.para_json(), encoding="utf-8")
    (tmp_path / "fns.csv").write_text(ref.para_csv(), encoding="utf-8")
    assert ReferenciaFNS.carregar(tmp_path / "fns.json") == ref
    assert ReferenciaFNS.carregar(tmp_path / "fns.csv") == ref
    doc = json.loads(ref.para_json())
    assert doc["valores"][0] == {
        "ente": "E35",
        "exercicio": 2025,
        "bimestre": 1,
        "custeio": "10.50",
    }


def test_csv_aceita_formato_brasileiro_e_celula_vazia():
    ref = ReferenciaFNS.de_csv(
        "ente;exercicio;bimestre;custeio;investimento\nM355030;2025;3;1.234,56;\n\n"
    )
    assert ref.valor("M355030", 2025, 3, "custeio") == Decimal("1234.56")
    assert ref.valor("M355030", 2025, 3, "investimento") is None


@pytest.mark.parametrize(
    "conteudo,trecho",
    [
        ("ente;ano;custeio\nM355030;2025;1\n", "linha 1: o cabeçalho deve ser"),
        (
            "ente;exercicio;bimestre;custeio\nM355030;2025;3;1\nM355030;2025;4;abc\n",
            "linha 3, custeio: O valor 'abc' não é um número.",
        ),
        ("ente;exercicio;bimestre;custeio\nM355030;2025;7;1\n", "linha 2: bimestre 7 inválido"),
        ("ente;exercicio;bimestre;custeio\nX1;2025;1;1\n", "código de ente inválido 'X1'"),
        (
            "ente;exercicio;bimestre;custeio\nM355030;2025;1;-5\n",
            "linha 2, custeio: valor negativo",
        ),
    ],
)
def test_csv_erros_dizem_a_linha(conteudo, trecho):
    with pytest.raises(ReferenciaInvalida) as exc:
        ReferenciaFNS.de_csv(conteudo, "fns.csv")
    assert trecho in str(exc.value)
    assert str(exc.value).startswith("fns.csv")


@pytest.mark.parametrize(
    "conteudo,trecho",
    [
        ("{", "linha 1: o conteúdo não é um JSON válido"),
        ('{"formato": "outro"}', "não é um arquivo de referência do FNS"),
        ('{"formato": "siops-referencia-fns", "versao": 9, "valores": []}', "versão 9"),
        ('{"formato": "siops-referencia-fns", "versao": 1}', 'falta a lista "valores"'),
        (
            '{"formato": "siops-referencia-fns", "versao": 1, "valores": [{"ente": "M355030"}]}',
            "item 1 de valores: ente, exercicio e bimestre são obrigatórios",
        ),
    ],
)
def test_json_erros(conteudo, trecho):
    with pytest.raises(ReferenciaInvalida) as exc:
        ReferenciaFNS.de_json(conteudo, "fns.json")
    assert trecho in str(exc.value)


def test_arquivo_ausente(tmp_path):
    with pytest.raises(ReferenciaInvalida) as exc:
        ReferenciaFNS.carregar(tmp_path / "nao.json")
    assert "Não foi possível ler o arquivo de referência do FNS" in str(exc.value)


def test_cotas_constitucionais_no_mesmo_arquivo():
    """Issue 20.12: the shares (STN/CONFAZ) travel in the same file, as optional kinds; a file
    of the FNS kinds only is still valid."""
    from siops.criticas import Referencia

    ref = Referencia.de_csv(
        "ente;exercicio;bimestre;fpm;icms;ipi_exportacao\nM355030;2025;6;9.876.543,21;;12,00\n"
    )
    assert ref.valor("M355030", 2025, 6, "fpm") == Decimal("9876543.21")
    assert ref.valor("M355030", 2025, 6, "icms") is None
    assert ref.valor("M355030", 2025, 6, "custeio") is None
    assert Referencia.de_json(ref.para_json()) == ref
    assert Referencia.de_csv(ref.para_csv()) == ref
    assert ref.tem("M355030", 2025, 6) and not ref.tem("M355030", 2025, 5)
    with pytest.raises(ReferenciaInvalida) as exc:
        ref.definir("M355030", 2025, 6, fpx=Decimal(1))
    assert "Tipo de valor desconhecido na referência: fpx" in str(exc.value)
