"""The Relatórios menu (issue 13, client part): every report previews as a PDF on the demo
declaration, rendered off the GUI thread and handed to the system viewer (the only stub: the
viewer itself, ``DialogosFalsos.abrir_externo``)."""

from __future__ import annotations

import subprocess

import pytest


@pytest.fixture
def demo_aberta(janela, balcao, ambiente):
    from siops.app.cmd_cliente import preparar_demo

    arquivo = preparar_demo(ambiente / "MS-SIOPS")
    assert janela.abrir_arquivo(arquivo)
    balcao.qtbot.waitUntil(lambda: bool(janela.documento.achados), timeout=15000)
    return janela


def _texto_do_pdf(pdf) -> str:
    r = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_menu_relatorios_cobre_todos_os_tipos(janela):
    from siops import relatorios

    textos = [a.text().replace("&", "") for a in janela.menu_relatorios.actions()]
    assert textos[:2] == [
        "Demonstrativo RREO — Anexo 12 (PDF)",
        "Relatório de críticas (PDF)",
    ]
    assert set(janela.a_relatorios) == set(relatorios.TIPOS)
    for acao in janela.a_relatorios.values():
        assert acao in janela.menu_relatorios.actions()
        assert not acao.isEnabled()  # no declaration open yet


def test_cada_relatorio_abre_em_pdf_na_declaracao_demo(demo_aberta, balcao):
    from siops import relatorios

    j = demo_aberta
    acoes = {
        "rreo": (j.a_rel_rreo, "RECEITA DE IMPOSTOS (I)"),
        "criticas": (j.a_rel_criticas, "RELATÓRIO DE CRÍTICAS"),
        **{t: (j.a_relatorios[t], None) for t in relatorios.TIPOS},
    }
    for nome, (acao, esperado) in acoes.items():
        assert acao.isEnabled(), nome
        antes = len(j.dialogos.externos)
        acao.trigger()
        assert j.tarefas.ocupado(), f"{nome}: o PDF deve ser gerado fora da thread da interface"
        balcao.esperar_tarefas(timeout=60000)
        assert len(j.dialogos.externos) == antes + 1, (nome, j.dialogos.mensagens)
        pdf = j.dialogos.externos[-1]
        dados = pdf.read_bytes()
        assert dados.startswith(b"%PDF") and len(dados) > 1000, nome
        texto = _texto_do_pdf(pdf)
        assert "Monteiro Lobato" in texto, nome
        esperado = esperado or relatorios.TIPOS[nome].split(" — ")[0]
        assert esperado in " ".join(texto.split()), (nome, texto[:400])
    assert len({p.name for p in j.dialogos.externos}) == len(acoes)  # one file per report
    assert not j.dialogos.mensagens  # no error shown


def test_relatorio_que_falha_mostra_mensagem_sem_traceback(demo_aberta, balcao, monkeypatch):
    from siops.app import janela_arquivo

    def quebrar(d, tipo, destino):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(janela_arquivo, "_gerar_relatorio", quebrar)
    j = demo_aberta
    j.a_relatorios["indicadores"].trigger()
    balcao.esperar_tarefas()
    titulo, texto, detalhes = j.dialogos.mensagens[-1]
    assert titulo == "Indicadores do SIOPS" and texto == "O relatório não foi gerado."
    assert "Traceback" not in detalhes and not j.dialogos.externos
