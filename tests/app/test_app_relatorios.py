"""The Relatórios menu (issue 13, client part): every report is a PDF of the demo declaration,
saved where the clerk chooses (issue 24), rendered off the GUI thread and previewed inside the
program (the file dialog answered by ``DialogosFalsos``)."""

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


def test_cada_relatorio_abre_em_pdf_na_declaracao_demo(demo_aberta, balcao, tmp_path):
    from siops import relatorios
    from siops.app.previa_pdf import DialogoPreviaPdf

    j = demo_aberta
    acoes = {
        "rreo": (j.a_rel_rreo, "RECEITA DE IMPOSTOS (I)"),
        "criticas": (j.a_rel_criticas, "RELATÓRIO DE CRÍTICAS"),
        **{t: (j.a_relatorios[t], None) for t in relatorios.TIPOS},
    }
    gravados = []
    ocupado: list[bool] = []
    j.tarefas.ocupadoMudou.connect(ocupado.append)
    for nome, (acao, esperado) in acoes.items():
        assert acao.isEnabled(), nome
        antes = len(j.dialogos.mostrados)
        destino = tmp_path / f"{nome}.pdf"
        j.dialogos.arquivos.append(destino)
        ocupado.clear()
        acao.trigger()
        balcao.qtbot.waitUntil(lambda: bool(ocupado), timeout=5000)
        assert ocupado[0] is True, f"{nome}: o PDF deve ser gerado fora da thread da interface"
        balcao.esperar_tarefas(timeout=60000)
        assert len(j.dialogos.mostrados) == antes + 1, (nome, j.dialogos.mensagens)
        previa = j.dialogos.mostrados[-1]
        assert isinstance(previa, DialogoPreviaPdf) and previa.caminho == destino, nome
        assert previa.pdf is not None and len(previa.pdf) >= 1, (nome, previa.erro)
        dados = destino.read_bytes()
        assert dados.startswith(b"%PDF") and len(dados) > 1000, nome
        texto = _texto_do_pdf(destino)
        assert "Monteiro Lobato" in texto, nome
        esperado = esperado or relatorios.TIPOS[nome].split(" — ")[0]
        assert esperado in " ".join(texto.split()), (nome, texto[:400])
        gravados.append(j.dialogos.salvamentos[-1][1])
        previa.close()
    assert len({p.name for p in gravados}) == len(acoes)  # one proposed name per report
    assert not j.dialogos.mensagens  # no error shown
    assert not j.dialogos.externos  # nothing handed to a PDF program


def test_relatorio_que_falha_mostra_mensagem_sem_traceback(demo_aberta, balcao, monkeypatch):
    from siops.app import janela_arquivo

    def quebrar(d, tipo, destino):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(janela_arquivo, "_gerar_relatorio", quebrar)
    j = demo_aberta
    j.dialogos.arquivos.append(j.destino_relatorio("INDICADORES"))
    j.a_relatorios["indicadores"].trigger()
    balcao.qtbot.waitUntil(lambda: bool(j.dialogos.mensagens), timeout=15000)
    titulo, texto, detalhes = j.dialogos.mensagens[-1]
    assert titulo == "Indicadores do SIOPS" and texto == "O relatório não foi gerado."
    assert "Traceback" not in detalhes and not j.dialogos.externos and not j.dialogos.mostrados
