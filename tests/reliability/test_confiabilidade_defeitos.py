"""The defects the reliability suite found in other packages, one minimal case each.

B1–B7 were fixed (B5 and B6, which need the security module's server, live in
``test_confiabilidade_seguranca.py``); their tests are now regression tests, and each constant
keeps the original finding (file, line, proposed fix) for the record. A new defect gets a test
marked ``xfail(strict=True)`` with the file, the line and the proposed fix in the reason, until
it is fixed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from apoio_comum import rodar_cli
from apoio_mutacoes import problema_na_mensagem

pytestmark = pytest.mark.reliability

B1 = (
    "B1 — forms/planilha.py:99 (ler_csv): csv.Error escapa (CR sem LF, campo com mais de "
    "131072 caracteres) e o siops sai com 70 ('erro inesperado'); a janela mostra o texto do "
    "módulo csv em inglês. Correção proposta: ler com io.StringIO(texto, newline=None) "
    "(quebras CR do Excel para Mac viram linhas) e envolver o laço em try/except csv.Error → "
    "ErroPlanilha(leitor.line_num, 'a linha não é um CSV válido …')."
)
B2 = (
    "B2 — app/janela_arquivo.py:388 (importar_planilha_de): dados.decode('cp1252') sem "
    "errors='replace' (bytes 0x81, 0x8D, 0x8F, 0x90, 0x9D não existem no cp1252) mostra "
    "\"'charmap' codec can't decode …\" ao usuário. Correção proposta: decode('cp1252', "
    "errors='replace') como faz app/cmd_nucleo.py, ou uma função de decodificação única em "
    "forms.planilha usada pela janela e pela linha de comando."
)


@pytest.fixture
def declaracao_e_pasta(tmp_path: Path) -> Path:
    from siops import ops_format
    from siops.forms.demo import declaracao_demo

    arq = tmp_path / "M355030_2025_SegundoBimestre.OPS"
    ops_format.salvar(declaracao_demo("M355030", 2025, 2), arq)
    return arq


@pytest.mark.parametrize(
    "conteudo",
    [
        b"tabela;linha;coluna;valor\rreceitas_base;iptu;realizada;1.00\r",  # Excel para Mac
        b"campo;fundo_lei;;" + b"x" * 200_000 + b"\n",
    ],
    ids=["cr-sem-lf", "campo-de-200-mil-caracteres"],
)
def test_b1_csv_invalido_no_siops_da_mensagem(declaracao_e_pasta, tmp_path, conteudo, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    csv = tmp_path / "planilha.csv"
    csv.write_bytes(conteudo)
    antes = declaracao_e_pasta.read_bytes()
    saida = rodar_cli("importar-planilha", declaracao_e_pasta, csv)
    assert saida.codigo in (0, 2), saida
    if saida.codigo == 2:  # refused: a Portuguese message and the file untouched
        assert problema_na_mensagem(saida.stderr) is None, saida.stderr
        assert declaracao_e_pasta.read_bytes() == antes
    else:  # CR-only line ends are lines (Excel for Mac): the value was imported
        assert declaracao_e_pasta.read_bytes() != antes


@pytest.mark.gui
def test_b1_csv_com_cr_na_janela_da_mensagem_em_portugues(
    janela_cliente, qtbot, declaracao_e_pasta, tmp_path
):
    j = janela_cliente
    assert j.abrir_arquivo(declaracao_e_pasta)
    csv = tmp_path / "planilha.csv"
    csv.write_bytes(b"receitas_base;iptu;realizada;1.00\rreceitas_base;itbi;realizada;2.00\r")
    j.importar_planilha_de(csv)
    qtbot.waitUntil(lambda: not j.tarefas.ocupado())
    for _titulo, _texto, detalhes in j.dialogos.mensagens:
        assert problema_na_mensagem(detalhes) is None, detalhes


@pytest.mark.gui
def test_b2_planilha_fora_do_cp1252_na_janela_da_mensagem_em_portugues(
    janela_cliente, qtbot, declaracao_e_pasta, tmp_path
):
    j = janela_cliente
    assert j.abrir_arquivo(declaracao_e_pasta)
    csv = tmp_path / "planilha.csv"
    csv.write_bytes(b"\x8dreceitas_base;iptu;realizada;1.00\n")  # not UTF-8, not cp1252
    j.importar_planilha_de(csv)
    qtbot.waitUntil(lambda: not j.tarefas.ocupado())
    assert j.dialogos.mensagens, "nenhuma mensagem"
    for _titulo, _texto, detalhes in j.dialogos.mensagens:
        assert problema_na_mensagem(detalhes) is None, detalhes


B3 = (
    "B3 — transmissor/xmldsig.py:262 (verificar): a validação da ds:Signature pelo signxml "
    "levanta lxml.etree.DocumentInvalid quando um elemento é posto dentro da assinatura, e só "
    "SignXMLException/InvalidInput… são tratadas; no servidor a exceção nem atravessa o pool "
    "(TypeError: cannot pickle '_ListErrorLog') e vira 500 erro_interno — o transmissor trata "
    "5xx como falha de rede, repete e deixa o arquivo na fila para sempre; no transmissor, "
    "conferir_recibo deixa a exceção escapar. Correção proposta: em verificar, acrescentar "
    "`except etree.LxmlError` (ou DocumentInvalid) → AssinaturaInvalida('A assinatura do "
    "documento está malformada.'); no servidor, verificacao.verificar_corpo pode ainda "
    "converter qualquer exceção inesperada numa ErroAPI serializável."
)


def _elemento_dentro_da_assinatura(xml: bytes) -> bytes:
    """Move the first child of the root into the signature's Reference (after DigestMethod)."""
    from lxml import etree

    raiz = etree.fromstring(xml)
    ds = "{http://www.w3.org/2000/09/xmldsig#}"
    metodo = raiz.find(f"{ds}Signature/{ds}SignedInfo/{ds}Reference/{ds}DigestMethod")
    metodo.addnext(raiz[0])
    return etree.tostring(raiz, xml_declaration=True, encoding="UTF-8")


def test_b3_assinatura_malformada_e_recusada_com_motivo_pelo_servidor(servidor_modulo, pki):
    from apoio_servidor import ops_demo

    s = servidor_modulo
    tec = pki.pessoa("b3-tec")
    senha = s.registrar_cadeia("M261160", pki.pessoa("b3-chefe"), pki.pessoa("b3-sec"), tec)
    token = s.token(tec.cpf, senha)
    corpo = _elemento_dentro_da_assinatura(tec.assinar(ops_demo("M261160", 2025, 1)))
    r = s.transmitir(token, corpo)
    assert r.status_code == 422, (r.status_code, r.text)
    assert r.json()["codigo"] == "assinatura_invalida"


def test_b3_recibo_malformado_e_recusado_pelo_transmissor(pki):
    from siops.transmissor.recibos import ReciboInvalido, conferir_recibo

    recibo = (
        b'<Recibo xmlns="urn:siops-desktop:recibo:1" versao="1"><Tipo>transmissao</Tipo>'
        b"<Protocolo>2025000000001</Protocolo><Ente>M355030</Ente><Exercicio>2025</Exercicio>"
        b"<Bimestre>1</Bimestre><Digest algoritmo='SHA-256'>00</Digest>"
        b"<DataHora>2025-03-01T12:00:00-03:00</DataHora></Recibo>"
    )
    assinado = pki.pessoa("b3-servidor").assinar(recibo)
    with pytest.raises(ReciboInvalido):
        conferir_recibo(_elemento_dentro_da_assinatura(assinado), [pki.hier.raiz])


B4 = (
    "B4 — forms/planilha.py:112 (ler_csv): a linha 'campo;<id>;;<texto>' vira DefinirTexto sem "
    "conferir o limite de 2000 caracteres do modelo; a conferência 'tudo ou nada' passa e o "
    "erro só aparece ao aplicar o lote: o siops sai com 70 ('erro inesperado') e, na janela, a "
    "EdicaoInvalida escapa no retorno da tarefa (app/janela_arquivo.py:394, aplicar) para o "
    "tratador de último recurso. Correção proposta: em ler_csv, validar o texto como as "
    "células (por exemplo, um Declaracao.validar_texto(campo, texto) que levante "
    "EdicaoInvalida, convertida em ErroPlanilha(n, …)); e, na janela, tratar EdicaoInvalida "
    "em aplicar."
)


def test_b4_texto_longo_na_planilha_e_recusado_com_a_linha(
    declaracao_e_pasta, tmp_path, monkeypatch
):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    csv = tmp_path / "planilha.csv"
    csv.write_text("campo;fundo_lei;;" + "a" * 2001 + "\n", encoding="utf-8")
    antes = declaracao_e_pasta.read_bytes()
    saida = rodar_cli("importar-planilha", declaracao_e_pasta, csv)
    assert declaracao_e_pasta.read_bytes() == antes
    assert saida.codigo == 2, saida
    assert "Linha 1" in saida.stderr and problema_na_mensagem(saida.stderr) is None


@pytest.mark.gui
def test_b4_texto_longo_na_planilha_na_janela_da_mensagem(
    janela_cliente, qtbot, declaracao_e_pasta, tmp_path
):
    j = janela_cliente
    assert j.abrir_arquivo(declaracao_e_pasta)
    csv = tmp_path / "planilha.csv"
    csv.write_text("campo;fundo_lei;;" + "a" * 2001 + "\n", encoding="utf-8")
    with qtbot.capture_exceptions() as excecoes:
        j.importar_planilha_de(csv)
        qtbot.waitUntil(lambda: not j.tarefas.ocupado())
    assert not excecoes, excecoes[0][1]
    assert [m[1] for m in j.dialogos.mensagens] == ["Nada foi importado de planilha.csv."]


B7 = (
    "B7 — transmissor/recibos.py:78 (gravar_atomico): o temporário se chama "
    "'.<nome>.<pid>.tmp', igual para todas as threads do processo; duas gravações simultâneas do "
    "mesmo arquivo (a âncora de recibos guardada na primeira conversa por dois envios em paralelo, "
    "a fila) fazem o os.replace de uma delas falhar com FileNotFoundError. Correção proposta: "
    "tempfile.mkstemp(dir=destino.parent, prefix=f'.{destino.name}.', suffix='.tmp'), como em "
    "ops_format/atomico.py, removendo o temporário se algo falhar."
)


def test_b7_gravacoes_atomicas_simultaneas_do_transmissor(tmp_path):
    import threading

    from siops.transmissor.recibos import gravar_atomico

    destino = tmp_path / "servidores" / "127.0.0.1_8470.pem"
    erros: list[str] = []
    largada = threading.Barrier(8)

    def gravar() -> None:
        largada.wait()
        for _ in range(200):
            try:
                gravar_atomico(destino, b"-----BEGIN CERTIFICATE-----\n" * 40)
            except OSError as exc:
                erros.append(type(exc).__name__)

    threads = [threading.Thread(target=gravar) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not erros, f"{len(erros)} gravações falharam: {sorted(set(erros))}"
