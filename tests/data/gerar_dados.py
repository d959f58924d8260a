"""Generates the frozen sample files and the bad-file corpus under ``tests/data/``.

Run once, from the repository root: ``.venv/bin/python tests/data/gerar_dados.py``. The files
are committed and never regenerated (existing files are left alone): a frozen sample of each
format version must keep opening in every later program (STYLE habit 12), and the bad corpus
(``bad/``, with the expected message fragments in ``bad/esperado.tsv``) must keep being refused
with the same reasons. The big files of the corpus (50 MB) and the directory are made at test
time instead (tests/ops_format/test_ops_format_corpus.py).
"""

from __future__ import annotations

import random
import sys
from decimal import Decimal
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(RAIZ))

from lxml import etree  # noqa: E402

from siops.forms.declaracao import Declaracao, DefinirTexto  # noqa: E402
from siops.forms.entes import ente  # noqa: E402
from siops.forms.gerador import declaracao_cheia  # noqa: E402
from siops.ops_format import para_bytes  # noqa: E402
from siops.ops_format.caminhos import nome_arquivo  # noqa: E402
from siops.ops_format.formato import extrair  # noqa: E402
from siops.ops_format.resumo import resumo  # noqa: E402

DADOS = Path(__file__).resolve().parent
NS = "urn:siops-desktop:ops:1"

TEXTOS_EXEMPLO = {
    "populacao": "12.345",
    "chefe_nome": "José Antônio de Araújo",
    "chefe_cpf": "529.982.247-25",
    "secretario_nome": "Maria da Conceição Simões",
    "secretario_cpf": "111.444.777-35",
    "secretario_email": "saude@exemplo.gov.br",
    "responsavel_nome": "João Técnico",
    "responsavel_cpf": "390.533.447-05",
    "responsavel_email": "tecnico@exemplo.gov.br",
    "instituicao_1_nome": "Prefeitura Municipal",
    "instituicao_1_cnpj": "11.222.333/0001-81",
    "instituicao_2_nome": 'Fundo Municipal de Saúde; "FMS" & <anexo>',
    "fundo_cnpj": "11.444.777/0001-61",
    "fundo_lei": "Lei nº 1.234/1991",
    "conselho_lei": "Lei nº 1.000/1990\nalterada pela Lei nº 2.000/2005",
    "conselho_presidente": "Ana Lúcia",
    "conselho_aprovou_relatorio": "Sim",
}


def gravar(caminho: Path, dados: bytes) -> None:
    if caminho.exists():
        return  # frozen
    caminho.write_bytes(dados)
    print("gravado", caminho.relative_to(DADOS))


def amostras() -> None:
    """Frozen samples of the current format version: full declarations of each esfera, with
    their CSV (``ops-1/`` holds the version-1 ones, made by the program of that version).

    Version 2 (the ledger): every Anexo 12 leaf through its canonical line, 250 more despesa
    lines over the planilhas and elementos, a receita split by fonte, an informação
    complementar and the official program's ids of one line. Version 3: the same, with the
    deductions XIV and XV carried by ledger lines in modalidades 36/35 (``declaracao_cheia``
    moves them as the conversion does) and the controls split to match."""
    from siops.forms.gerador import razao_grande
    from siops.forms.planilha import exportar_csv
    from siops.forms.razao import ChaveComplementar, ChaveReceita, linhas
    from siops.ops_format.versoes import VERSAO_ATUAL

    for codigo, exercicio, bimestre, semente in (
        ("M355030", 2025, 6, 11),
        ("E35", 2024, 3, 12),
        ("E53", 2025, 1, 13),
    ):
        d = declaracao_cheia(ente(codigo), exercicio, bimestre, semente)
        razao = {**d.razao(), **razao_grande(d, 250, semente)}
        razao[ChaveReceita("17135000", "1600")] = {"realizada": Decimal("1234.56")}
        razao[ChaveComplementar("19220100", "2539", "#L3", "#C3")] = {
            "realizada": Decimal("987.65")
        }
        d.carregar(d.celulas_digitadas(), d.textos(), linhas(razao))
        primeira = next(iter(sorted(k for k in razao if hasattr(k, "planilha"))))
        d.ids_siops[primeira] = ("1234", "#L12")
        for campo, texto in TEXTOS_EXEMPLO.items():
            d.aplicar(DefinirTexto(campo, texto))
        nome = nome_arquivo(d.ente, exercicio, bimestre)
        pasta = DADOS / f"ops-{VERSAO_ATUAL}"
        pasta.mkdir(exist_ok=True)
        gravar(pasta / nome, para_bytes(d))
        gravar(pasta / (nome + ".csv"), exportar_csv(d).encode("utf-8"))


def base() -> str:
    """The valid file the bad corpus is made from (a few cells and fields)."""
    d = Declaracao(ente("M355030"), 2025, 1)
    d.aplicar(DefinirTexto("secretario_nome", "Maria da Conceição"))
    d.aplicar(DefinirTexto("fundo_lei", "Lei nº 1.234/1991"))
    for chave, v in (
        (("receitas_base", "iptu", "previsao_atualizada"), "2000.00"),
        (("receitas_base", "iptu", "realizada"), "1234.56"),
        (("receitas_base", "iss", "realizada"), "500.00"),
        (("despesas_asps", "s301_31", "empenhada"), "300.00"),
        (("despesas_asps", "s301_31", "liquidada"), "200.00"),
    ):
        d.aplicar(d.comando_celula(chave, Decimal(v)))
    return para_bytes(d).decode("utf-8")


def com_resumo(texto: str) -> bytes:
    """The text with its digest recomputed (so the semantic check, not the digest, fires)."""
    raiz = etree.fromstring(texto.encode("utf-8"))
    c = extrair(raiz)
    raiz[-1].text = resumo(c, 1)
    return etree.tostring(raiz, xml_declaration=True, encoding="UTF-8")


def trocar(texto: str, de: str, para: str) -> str:
    assert de in texto, de
    return texto.replace(de, para, 1)


def corpus() -> None:
    """The bad corpus: (file, bytes, expected fragment of the message, expected line or '').

    The corpus is of format version 1 (made by the program of that version) and frozen: its
    files keep being refused, after the conversion to the current version, with the same
    reasons and lines. ``base()`` is the version-1 layout, so nothing is made once it exists.
    """
    if (DADOS / "bad" / "esperado.tsv").exists():
        return
    b = base()
    linha_iptu = next(i for i, x in enumerate(b.splitlines(), 1) if 'l="iptu" k="realizada"' in x)
    iptu = '<c t="receitas_base" l="iptu" k="realizada">1234.56</c>'

    def valor(v: str) -> str:
        return trocar(b, iptu, f'<c t="receitas_base" l="iptu" k="realizada">{v}</c>')

    rnd = random.Random(3)
    casos: list[tuple[str, bytes, str, str]] = [
        ("vazio.OPS", b"", "está vazio", ""),
        ("so_espacos.OPS", b"  \n\n\t \n", "está vazio", ""),
        ("nao_xml.OPS", "Declaração SIOPS\nreceita;1234\n".encode(), "não é XML", "1"),
        (
            "binario_zip.OPS",
            b"PK\x03\x04" + bytes(rnd.randrange(256) for _ in range(300)),
            "UTF-8",
            "1",
        ),
        ("truncado_metade.OPS", b.encode()[: len(b) // 2], "incompleto", ""),
        ("truncado_no_fim.OPS", b.encode()[: b.rindex("</declaracao>")], "incompleto", ""),
        ("truncado_no_meio_de_tag.OPS", b.encode()[: b.index(iptu) + 20], "incompleto", ""),
        (
            "raiz_errada.OPS",
            trocar(
                trocar(b, "<declaracao ", "<planilha "), "</declaracao>", "</planilha>"
            ).encode(),
            "elemento raiz é 'planilha'",
            "2",
        ),
        ("sem_namespace.OPS", trocar(b, f' xmlns="{NS}"', "").encode(), "sem espaço de nomes", "2"),
        (
            "namespace_errado.OPS",
            trocar(b, NS, "http://exemplo.org/declaracao").encode(),
            "não é um arquivo .OPS",
            "2",
        ),
        (
            "versao_nova.OPS",
            # version 9: newer than any version this program reads (was 3 until version 3 existed)
            trocar(trocar(b, NS, "urn:siops-desktop:ops:9"), 'versao="1"', 'versao="9"').encode(),
            "versão mais nova",
            "2",
        ),
        (
            "versao_inexistente.OPS",
            trocar(b, NS, "urn:siops-desktop:ops:0").encode(),
            "não é um arquivo .OPS",
            "2",
        ),
        (
            "xxe_etc_passwd.OPS",
            trocar(
                trocar(
                    b,
                    "<declaracao ",
                    '<!DOCTYPE declaracao [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<declaracao ',
                ),
                "Maria da Conceição",
                "&x;",
            ).encode(),
            "DOCTYPE",
            "2",
        ),
        (
            "bilhao_de_risos.OPS",
            (
                '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
                + "".join(
                    f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
                    for i in range(1, 10)
                )
                + "]>\n<lolz>&lol9;</lolz>\n"
            ).encode(),
            "DOCTYPE",
            "2",
        ),
        (
            "entidade_parametro.OPS",
            (
                b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY % ext SYSTEM '
                b'"http://exemplo.invalid/x.dtd"> %ext;]>\n<d/>\n'
            ),
            "DOCTYPE",
            "2",
        ),
        (
            "entidade_sem_doctype.OPS",
            trocar(b, "Maria da Conceição", "&foo;").encode(),
            "entidade",
            "",
        ),
        (
            "xinclude.OPS",
            trocar(
                b,
                "<campos>",
                '<campos><xi:include xmlns:xi="http://www.w3.org/2001/XInclude"'
                ' href="file:///etc/passwd" parse="text"/>',
            ).encode(),
            "não era esperado",
            "",
        ),
        (
            "aninhamento_300.OPS",
            trocar(b, "<campos>", "<campos>" + "<x>" * 300 + "</x>" * 300).encode(),
            "aninhados",
            "",
        ),
        (
            "aninhamento_20.OPS",
            trocar(b, "<campos>", "<campos>" + "<x>" * 20 + "</x>" * 20).encode(),
            "aninhados em mais de 8",
            "",
        ),
        ("valor_com_letras.OPS", valor("12a4.56").encode(), "não é um número", str(linha_iptu)),
        (
            "valor_tres_decimais.OPS",
            valor("1234.567").encode(),
            "mais de duas casas",
            str(linha_iptu),
        ),
        (
            "valor_10e20.OPS",
            valor("100000000000000000000").encode(),
            "grande demais",
            str(linha_iptu),
        ),
        (
            "valor_notacao_cientifica.OPS",
            valor("1e20").encode(),
            "não é um número",
            str(linha_iptu),
        ),
        ("valor_nan.OPS", valor("NaN").encode(), "não é um número", str(linha_iptu)),
        ("valor_infinito.OPS", valor("Infinity").encode(), "não é um número", str(linha_iptu)),
        ("valor_com_virgula.OPS", valor("1234,56").encode(), "não é um número", str(linha_iptu)),
        ("valor_com_milhar.OPS", valor("1.234.56").encode(), "não é um número", str(linha_iptu)),
        ("valor_vazio.OPS", valor("").encode(), "não é um número", str(linha_iptu)),
        ("valor_negativo.OPS", com_resumo(valor("-10.00")), "negativo", str(linha_iptu)),
        (
            "celula_duplicada.OPS",
            trocar(b, iptu, iptu + "\n    " + iptu).encode(),
            "aparece mais de uma vez",
            str(linha_iptu + 1),
        ),
        (
            "campo_duplicado.OPS",
            trocar(
                b,
                '<campo id="fundo_lei">',
                '<campo id="fundo_lei">x</campo>\n    <campo id="fundo_lei">',
            ).encode(),
            "aparece mais de uma vez",
            "",
        ),
        (
            "linha_desconhecida.OPS",
            com_resumo(trocar(b, 'l="iptu" k="realizada"', 'l="iptu_velho" k="realizada"')),
            "não tem a linha 'iptu_velho'",
            str(linha_iptu),
        ),
        (
            "tabela_desconhecida.OPS",
            com_resumo(
                trocar(
                    b,
                    't="receitas_base" l="iptu" k="realizada"',
                    't="receitas_x" l="iptu" k="realizada"',
                )
            ),
            "a tabela 'receitas_x' não existe",
            str(linha_iptu),
        ),
        (
            "coluna_desconhecida.OPS",
            com_resumo(trocar(b, 'l="iptu" k="realizada"', 'l="iptu" k="arrecadada"')),
            "não tem a coluna 'arrecadada'",
            str(linha_iptu),
        ),
        (
            "celula_calculada.OPS",
            com_resumo(trocar(b, 'l="iptu" k="realizada"', 'l="impostos" k="realizada"')),
            "é calculada",
            str(linha_iptu),
        ),
        (
            "celula_so_do_6o_bimestre.OPS",
            com_resumo(
                trocar(
                    b,
                    't="receitas_base" l="iptu" k="realizada"',
                    't="apuracao" l="rp_sem_disponibilidade" k="liquidada"',
                )
            ),
            "6º bimestre",
            str(linha_iptu),
        ),
        (
            "campo_desconhecido.OPS",
            com_resumo(trocar(b, 'id="fundo_lei"', 'id="fundo_decreto"')),
            "o campo 'fundo_decreto' não existe",
            "",
        ),
        (
            "id_invalido.OPS",
            trocar(b, 'l="iptu" k="realizada"', 'l="IPTU Total" k="realizada"').encode(),
            "identificador de linha",
            str(linha_iptu),
        ),
        ("latin1_declarado_utf8.OPS", b.encode("latin-1"), "UTF-8", "9"),
        (
            "declara_latin1.OPS",
            trocar(b, "encoding='UTF-8'", "encoding='ISO-8859-1'").encode("latin-1"),
            "ISO-8859-1",
            "1",
        ),
        (
            "utf16.OPS",
            trocar(b, "encoding='UTF-8'", "encoding='UTF-16'").encode("utf-16"),
            "UTF-16",
            "1",
        ),
        ("caractere_nulo.OPS", trocar(b, "Maria", "Ma\x00ria").encode(), "caractere", "10"),
        ("conteudo_depois_do_fim.OPS", (b + "<outra/>\n").encode(), "depois do fim", ""),
        ("fechamento_trocado.OPS", trocar(b, "</campos>", "</celulas>").encode(), "fechamento", ""),
        (
            "resumo_nao_confere.OPS",
            trocar(b, ">1234.56<", ">9234.56<").encode(),
            "alterado fora do programa",
            "",
        ),
        (
            "resumo_ausente.OPS",
            b[: b.index("  <resumo")].encode() + b"</declaracao>\n",
            "falta o elemento 'resumo'",
            "",
        ),
        (
            "resumo_malformado.OPS",
            trocar(b, 'algoritmo="SHA-256">', 'algoritmo="SHA-256">xyz').encode(),
            "resumo SHA-256",
            "",
        ),
        (
            "ente_inexistente.OPS",
            com_resumo(trocar(b, 'codigo="M355030"', 'codigo="M999999"')),
            "'M999999' não corresponde",
            "3",
        ),
        (
            "ente_codigo_invalido.OPS",
            trocar(b, 'codigo="M355030"', 'codigo="São Paulo"').encode(),
            "código de ente",
            "3",
        ),
        (
            "ente_nao_canonico.OPS",
            com_resumo(trocar(b, 'codigo="M355030"', 'codigo="M530010"')),
            "use E53",
            "3",
        ),
        (
            "esfera_trocada.OPS",
            com_resumo(trocar(b, 'esfera="municipal"', 'esfera="estadual"')),
            "esfera",
            "3",
        ),
        ("bimestre_7.OPS", trocar(b, "<bimestre>1<", "<bimestre>7<").encode(), "bimestre '7'", "5"),
        ("bimestre_0.OPS", trocar(b, "<bimestre>1<", "<bimestre>0<").encode(), "bimestre '0'", "5"),
        (
            "exercicio_1999.OPS",
            trocar(b, "<exercicio>2025<", "<exercicio>1999<").encode(),
            "exercício '1999'",
            "4",
        ),
        (
            "layout_errado.OPS",
            com_resumo(trocar(b, "<layout>2025<", "<layout>2024<")),
            "layout",
            "",
        ),
        (
            "atributo_estranho.OPS",
            trocar(b, 'esfera="municipal"', 'esfera="municipal" x="1"').encode(),
            "atributo 'x'",
            "3",
        ),
        (
            "elemento_estranho.OPS",
            trocar(b, "<campos>", "<campos><script>alert(1)</script>").encode(),
            "'script' não era esperado",
            "",
        ),
        (
            "fora_de_ordem.OPS",
            trocar(trocar(b, "<layout>2025</layout>", "TMP"), "TMP", "").encode(),
            "não era esperado",
            "",
        ),
        (
            "texto_longo.OPS",
            com_resumo(trocar(b, "Maria da Conceição", "M" * 2001)),
            "longo demais",
            "10",
        ),
    ]
    linhas = ["arquivo\ttrecho\tlinha"]
    for nome, dados, trecho, linha in casos:
        gravar(DADOS / "bad" / nome, dados)
        linhas.append(f"{nome}\t{trecho}\t{linha}")
    esperado = DADOS / "bad" / "esperado.tsv"
    if not esperado.exists():
        esperado.write_text("\n".join(linhas) + "\n", encoding="utf-8")


if __name__ == "__main__":
    amostras()
    corpus()
