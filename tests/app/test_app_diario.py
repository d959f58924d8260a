"""The autosave journal: commands round-trip, a torn last line is ignored, live sessions are
left alone — and a client killed with SIGKILL after edits offers them back at the next start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

from siops.app.dialogos import Resposta
from siops.app.diario import Diario, desserializar, ler_diario, pendentes, serializar
from siops.forms.declaracao import DefinirCelula, DefinirTexto, Lote

RAIZ = Path(__file__).resolve().parents[2]


def test_comandos_ida_e_volta():
    c = Lote(
        (
            DefinirCelula(("receitas_base", "iptu", "realizada"), Decimal("1234.50")),
            DefinirTexto("fundo_lei", "Lei nº 12/1990 — São João"),
        ),
        "Colar",
    )
    assert desserializar(serializar(c)) == c


def test_diario_pendente_linha_cortada_e_processo_vivo(ambiente, tmp_path):
    arq = tmp_path / "x.OPS"
    arq.write_bytes(b"base")
    d = Diario(arq, "M353170", 2025, 1)
    d.iniciar()
    d.registrar(DefinirCelula(("receitas_base", "iptu", "realizada"), Decimal("1.00")))
    d.registrar(DefinirTexto("fundo_lei", "Lei 1"))
    d.fechar()
    assert pendentes() == []  # its lock is held (an open window): not pending
    # A header naming a dead PID changes nothing: the lock decides (issue 17, item 6).
    linhas = d.caminho.read_text(encoding="utf-8").splitlines()
    linhas[0] = linhas[0].replace(f'"pid": {os.getpid()}', '"pid": 999999999')
    d.caminho.write_text("\n".join(linhas) + '\n{"celula": ["recei', encoding="utf-8")
    assert pendentes() == []
    # The process dies (the kernel drops its lock), and the crash cut the last line.
    d.trava.soltar()
    (p,) = pendentes()
    assert p.edicoes == 2 and p.arquivo == arq.resolve()
    assert not p.arquivo_mudou()
    arq.write_bytes(b"outra")
    assert ler_diario(p.caminho).arquivo_mudou()
    p.descartar()
    assert pendentes() == []


PROGRAMA = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from siops.app.cliente import criar_aplicacao, criar_janela
    app = criar_aplicacao()
    j = criar_janela()
    j.show()
    assert j.abrir_arquivo(Path(sys.argv[1]))
    from decimal import Decimal
    from siops.forms.declaracao import DefinirLancamento, DefinirTexto
    from siops.forms.razao import ChaveReceita
    # a line of the ledger typed in its page, a value of a typed table, a text field
    pagina = j.pagina_razao("receitas")
    pagina.incluir(ChaveReceita.de("1.1.1.2.50"))
    m = pagina.modelo
    m.setData(m.index(*m.posicao_linha(ChaveReceita.de("1.1.1.2.50"), "realizada")), "1.234,56")
    d = j.documento
    d.executar(DefinirLancamento(ChaveReceita.de("1.7.1.1.51.1"), "realizada", Decimal("98765.43")))
    t = j.vista("receitas_totais").modelo()
    t.setData(t.index(*t.posicao("patrimonial", "realizada")), "55,50")
    d.executar(DefinirTexto("fundo_lei", "Lei 7/1991"))
    d.pilha.undo()
    d.pilha.redo()
    print("PRONTO", flush=True)
    app.exec()
    """
)


def test_sigkill_e_recuperacao(janela, qtbot, ambiente):
    from siops.forms.declaracao import Declaracao
    from siops.forms.entes import ente
    from siops.ops_format import ler, salvar

    arquivo = ambiente / "M353170_2025_PrimeiroBimestre.OPS"
    salvar(Declaracao(ente("M353170"), 2025, 1), arquivo)
    original = arquivo.read_bytes()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(RAIZ))
    proc = subprocess.Popen(
        [sys.executable, "-c", PROGRAMA, str(arquivo)],
        cwd=RAIZ,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        linha = proc.stdout.readline()
        assert linha.strip() == "PRONTO", proc.stderr.read()
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert arquivo.read_bytes() == original  # nothing was saved behind the user's back

    # The next start offers the edits back.
    j = janela
    j.dialogos.respostas.append(Resposta.SIM)
    j.oferecer_recuperacao()
    qtbot.waitUntil(lambda: j.documento is not None, timeout=15000)
    titulo, texto = j.dialogos.perguntas[0]
    assert titulo == "Recuperar alterações"
    assert (
        "7 alteração(ões)" in texto
    )  # 5 edits (a line included), 1 undo, 1 redo and "Deseja recuperá-las?" in texto
    d = j.documento.declaracao
    assert d.valor(("receitas_base", "iptu", "realizada")) == Decimal("1234.56")
    assert d.valor(("receitas_base", "fpm", "realizada")) == Decimal("98765.43")
    assert d.valor(("receitas_totais", "patrimonial", "realizada")) == Decimal("55.50")
    assert d.texto("fundo_lei") == "Lei 7/1991"
    assert j.isWindowModified()
    assert j.documento.pilha.count() == 1  # one undo step: "Recuperar alterações"
    assert pendentes() == []
    assert ler(arquivo).valor(("receitas_base", "iptu", "realizada")) == 0
    # Saving keeps them; nothing is offered again.
    j.salvar()
    qtbot.waitUntil(lambda: not j.isWindowModified(), timeout=15000)
    assert ler(arquivo).valor(("receitas_base", "iptu", "realizada")) == Decimal("1234.56")


def test_recusar_recuperacao_descarta(janela, qtbot, ambiente):
    from siops.forms.declaracao import Declaracao
    from siops.forms.entes import ente
    from siops.ops_format import salvar

    arquivo = ambiente / "M353170_2025_SegundoBimestre.OPS"
    salvar(Declaracao(ente("M353170"), 2025, 2), arquivo)
    d = Diario(arquivo, "M353170", 2025, 2)
    d.iniciar()
    d.registrar(DefinirTexto("fundo_lei", "Lei 1"))
    d.fechar()
    d.trava.soltar()  # as if its program had died
    j = janela
    j.dialogos.respostas.append(Resposta.NAO)
    j.oferecer_recuperacao()
    qtbot.waitUntil(lambda: not d.caminho.exists())
    assert j.documento is None
    assert len(j.dialogos.perguntas) == 1
