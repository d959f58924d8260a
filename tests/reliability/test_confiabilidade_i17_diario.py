"""Issue 17, item 6: the crash-recovery journal must never lose a completed edit — with the same
declaration asked for by two instances, with a reused process id, and with edits typed while a
slow "Salvar como" runs.

Every instance here is a real, separate ``python`` process driving the real main window
(``app.janela.JanelaPrincipal``, offscreen, with ``DialogosFalsos`` recording what it would show)
through a small line protocol on stdin (``PILOTO`` below); each is killed with SIGKILL, so
nothing it did is cleaned up. The recovery then happens as the user sees it: the next window
(the ``janela_cliente`` fixture, in this process) offers the journal back, and the exact values
typed (111,11, 333,33, …) must come back.

The slow save is a save that waits on a gate before writing (a slow network share): the real
``ops_format`` save still writes the file; only its moment is chosen by the test.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from apoio_comum import RAIZ_PROJETO

pytestmark = [pytest.mark.reliability, pytest.mark.gui]

# typed cells (the Anexo 12 receita rows are computed from the ledger since issue 19)
IPTU = ("receitas_totais", "impostos_taxas", "realizada")
FPM = ("receitas_totais", "contribuicoes", "realizada")
ITR = ("receitas_totais", "patrimonial", "realizada")

PILOTO = textwrap.dedent(
    """
    import json, sys, threading, time
    from pathlib import Path

    from siops.app import janela_arquivo
    from siops.app.cliente import criar_aplicacao
    from siops.app.dialogos import DialogosFalsos, Resposta
    from siops.app.janela import JanelaPrincipal

    app = criar_aplicacao()
    j = JanelaPrincipal()
    j.dialogos = DialogosFalsos(j)
    j.show()
    porta = threading.Event()
    porta.set()
    _salvar = janela_arquivo.salvar

    def salvar_lento(d, caminho):
        porta.wait(60)  # a slow disk: the save writes when the test opens the gate
        _salvar(d, caminho)

    janela_arquivo.salvar = salvar_lento

    def ate(condicao, limite=20.0):
        fim = time.monotonic() + limite
        while not condicao():
            app.processEvents()
            time.sleep(0.005)
            if time.monotonic() > fim:
                raise TimeoutError("o piloto esperou demais")

    def folga(segundos=0.1):
        fim = time.monotonic() + segundos
        while time.monotonic() < fim:
            app.processEvents()
            time.sleep(0.005)

    def estado():
        d = j.documento
        return {
            "documento": str(d.caminho) if d is not None and d.caminho else None,
            "mensagens": [list(m) for m in j.dialogos.mensagens],
            "perguntas": [list(p) for p in j.dialogos.perguntas],
            "ocupado": j.tarefas.ocupado(),
        }

    folga()
    print(json.dumps({"pid": __import__("os").getpid()}), flush=True)
    for linha in sys.stdin:
        p = json.loads(linha)
        cmd = p["cmd"]
        r = {}
        if cmd == "abrir":
            r["ok"] = bool(j.abrir_arquivo(Path(p["arquivo"])))
            folga()
        elif cmd == "editar":
            m = j.vista(p["tabela"]).modelo()
            r["ok"] = bool(m.setData(m.index(*m.posicao(p["linha"], p["coluna"])), p["valor"]))
        elif cmd == "salvar_como":
            if p.get("lento"):
                porta.clear()
            j.dialogos.arquivos.append(Path(p["arquivo"]))
            j.salvar_como()
            ate(lambda: not j.dialogos.arquivos)
            if p.get("lento"):
                folga()
            else:
                ate(lambda: not j.tarefas.ocupado())
                folga()
        elif cmd == "liberar":
            porta.set()
            ate(lambda: not j.tarefas.ocupado())
            folga()
        elif cmd == "recuperar":
            j.dialogos.respostas.append(Resposta.SIM)
            j.oferecer_recuperacao()
            ate(lambda: j.documento is not None)
            folga()
        elif cmd == "fechar":
            j.dialogos.respostas.append(Resposta.NAO)
            j.close()
            folga(0.3)
            r["fechou"] = not j.isVisible()
        r.update(estado())
        print(json.dumps(r), flush=True)
    """
)


class Instancia:
    """One running copy of the program (a real process), driven by ``PILOTO``."""

    def __init__(self, pasta: Path) -> None:
        script = pasta / "piloto.py"
        if not script.exists():
            script.write_text(PILOTO, encoding="utf-8")
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(RAIZ_PROJETO))
        self.proc = subprocess.Popen(
            [sys.executable, str(script)],
            cwd=RAIZ_PROJETO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.pid = self._ler()["pid"]

    def _ler(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        linha = self.proc.stdout.readline()
        if not linha:
            self.proc.wait(30)
            assert self.proc.stderr is not None
            raise AssertionError(f"a instância terminou: {self.proc.stderr.read()[-3000:]}")
        return json.loads(linha)

    def pedir(self, **pedido: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(pedido) + "\n")
        self.proc.stdin.flush()
        return self._ler()

    def abrir(self, arquivo: Path) -> dict[str, Any]:
        return self.pedir(cmd="abrir", arquivo=str(arquivo))

    def editar(self, chave: tuple[str, str, str], valor: str) -> None:
        r = self.pedir(cmd="editar", tabela=chave[0], linha=chave[1], coluna=chave[2], valor=valor)
        assert r["ok"], r

    def matar(self) -> None:
        """SIGKILL: the program gets no chance to clean anything."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)
        assert self.proc.returncode == -signal.SIGKILL
        self.encerrar()

    def encerrar(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(30)
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if f is not None:
                try:
                    f.close()
                except OSError:
                    pass


@pytest.fixture
def instancias(tmp_path: Path):
    """``nova()`` starts an instance; every one still running is killed at the end."""
    vivas: list[Instancia] = []

    def nova() -> Instancia:
        i = Instancia(tmp_path)
        vivas.append(i)
        return i

    yield nova
    for i in vivas:
        i.encerrar()


def _declaracao(caminho: Path, bimestre: int = 1) -> Path:
    from siops.forms.declaracao import Declaracao
    from siops.forms.entes import ente
    from siops.ops_format import salvar

    caminho.parent.mkdir(parents=True, exist_ok=True)
    salvar(Declaracao(ente("M353170"), 2025, bimestre), caminho)
    return caminho


def _recuperar(j: Any, qtbot: Any, arquivo: Path) -> Any:
    """Open ``arquivo`` in the next window, answering Sim to the recovery offer."""
    from siops.app.dialogos import Resposta

    j.dialogos.respostas.append(Resposta.SIM)
    j.abrir_arquivo(arquivo)
    qtbot.waitUntil(lambda: j.documento is not None, timeout=15000)
    qtbot.wait(50)
    assert any(t == "Recuperar alterações" for t, _ in j.dialogos.perguntas), (
        "nenhuma recuperação foi oferecida",
        j.dialogos.perguntas,
    )
    return j.documento.declaracao


def _diarios() -> list[Path]:
    from siops.app.diario import pasta_diarios

    return sorted(pasta_diarios().glob("*.diario"))


def test_i17_6_duas_instancias_mesma_declaracao(janela_cliente, qtbot, instancias, relatorio):
    """A second instance is refused the declaration another window has open (by any path
    spelling, and as the target of "Salvar como"), never touches the first one's journal, and
    after a SIGKILL of both every edit of the first comes back."""
    from siops.ops_format import ler

    pasta = Path(os.environ["SIOPS_HOME"])
    arquivo = _declaracao(pasta / "M353170_2025_PrimeiroBimestre.OPS")
    outro = _declaracao(pasta / "M353170_2025_SegundoBimestre.OPS", 2)
    atalho = pasta / "atalho.OPS"
    atalho.symlink_to(arquivo)
    a, b = instancias(), instancias()
    assert a.abrir(arquivo)["ok"]
    a.editar(IPTU, "111,11")
    casos = 0
    (pasta / "sub").mkdir()
    for caminho in (arquivo, atalho, pasta / "sub" / ".." / arquivo.name):
        r = b.abrir(caminho)
        casos += 1
        assert r["documento"] is None, ("a segunda instância abriu a mesma declaração", r)
        titulo, texto, _ = r["mensagens"][-1]
        assert titulo == "Abrir declaração", r
        assert "já está aberta em outra janela do programa" in texto, r
    # "Salvar como" over the file the first instance has open is refused too.
    antes = arquivo.read_bytes()
    assert b.abrir(outro)["ok"]
    b.editar(FPM, "5,00")
    r = b.pedir(cmd="salvar_como", arquivo=str(arquivo))
    casos += 1
    assert r["documento"] == str(outro), r
    assert "já está aberta em outra janela do programa" in r["mensagens"][-1][1], r
    assert arquivo.read_bytes() == antes
    # The second closes cleanly: the first one's journal stays.
    diarios_antes = {p: p.read_bytes() for p in _diarios()}
    assert b.pedir(cmd="fechar")["fechou"]
    casos += 1
    for p, conteudo in diarios_antes.items():
        if str(arquivo.resolve()) in conteudo.decode("utf-8").splitlines()[0]:
            assert p.exists() and p.read_bytes() == conteudo, "o diário da primeira sumiu"
            break
    else:
        raise AssertionError("a primeira instância não tinha diário")
    a.editar(FPM, "333,33")
    a.matar()
    b.encerrar()
    d = _recuperar(janela_cliente, qtbot, arquivo)
    assert d.valor(IPTU) == Decimal("111.11")
    assert d.valor(FPM) == Decimal("333.33")
    assert ler(arquivo).valor(FPM) == 0
    # Closed in this window, the declaration is free again: another instance opens it.
    janela_cliente.definir_documento(None)
    c = instancias()
    assert c.abrir(arquivo)["ok"]
    relatorio(
        casos=casos + 2,
        resumo="duas instâncias e a mesma declaração: a segunda é recusada (mesmo por outro "
        "caminho ou atalho, e como destino de Salvar como) com a mensagem de que a declaração "
        "já está aberta em outra janela; ao fechar não apaga o diário da primeira; SIGKILL "
        "na primeira: 111,11 e 333,33 voltam; fechada, a declaração abre em outra instância",
    )


def test_i17_6_pid_reutilizado(janela_cliente, qtbot, instancias, relatorio):
    """The journal's owner is decided by its lock, not by a process id: a journal whose header
    names a live process (PID reuse in a fresh PID namespace) is offered, and one whose owner
    is alive is never offered, whatever its header says."""
    pasta = Path(os.environ["SIOPS_HOME"])
    arquivo = _declaracao(pasta / "M353170_2025_PrimeiroBimestre.OPS")
    viva_arquivo = _declaracao(pasta / "M353170_2025_TerceiroBimestre.OPS", 3)
    a = instancias()
    assert a.abrir(arquivo)["ok"]
    a.editar(IPTU, "333,33")
    a.matar()
    (diario,) = _diarios()
    # The next program started in a fresh PID namespace got the dead one's PID: here, the
    # window that is about to look is that process.
    linhas = diario.read_text(encoding="utf-8").splitlines()
    cab = json.loads(linhas[0])
    cab["pid"] = os.getpid()
    diario.write_text("\n".join([json.dumps(cab), *linhas[1:]]) + "\n", encoding="utf-8")
    # A live instance whose journal names a dead PID.
    viva = instancias()
    assert viva.abrir(viva_arquivo)["ok"]
    viva.editar(ITR, "7,77")
    (do_vivo,) = [p for p in _diarios() if p != diario]
    linhas = do_vivo.read_text(encoding="utf-8").splitlines()
    cab = json.loads(linhas[0])
    cab["pid"] = 999_999_999
    do_vivo.write_text("\n".join([json.dumps(cab), *linhas[1:]]) + "\n", encoding="utf-8")
    from siops.app.diario import pendentes

    assert [p.arquivo for p in pendentes()] == [arquivo.resolve()], pendentes()
    d = _recuperar(janela_cliente, qtbot, arquivo)
    assert d.valor(IPTU) == Decimal("333.33")
    # The live one was never offered nor touched.
    assert do_vivo.exists()
    viva.editar(ITR, "8,88")
    viva.matar()
    (p,) = pendentes()
    assert p.arquivo == viva_arquivo.resolve() and p.edicoes == 2
    relatorio(
        casos=2,
        resumo="PID reutilizado: um diário cujo cabeçalho nomeia um processo vivo (o próprio "
        "programa, como num namespace de PIDs novo) é oferecido e 333,33 volta; o de uma "
        "janela viva com PID morto no cabeçalho nunca é oferecido (decide a trava, não o PID)",
    )


def test_i17_6_salvar_como_lento(janela_cliente, qtbot, instancias, relatorio):
    """A value typed while a slow "Salvar como" runs survives a SIGKILL both while the save is
    still writing and after it finished (it is in the new file's journal, with the current
    state, not an empty one)."""
    from siops.ops_format import ler

    pasta = Path(os.environ["SIOPS_HOME"])
    arquivo = _declaracao(pasta / "M353170_2025_PrimeiroBimestre.OPS")
    novo = pasta / "copia" / "Nova.OPS"
    novo.parent.mkdir()
    casos = 0
    for matar_antes_do_fim in (True, False):
        for p in _diarios():
            p.unlink()
        novo.unlink(missing_ok=True)
        a = instancias()
        assert a.abrir(arquivo)["ok"]
        a.editar(IPTU, "111,11")
        r = a.pedir(cmd="salvar_como", arquivo=str(novo), lento=True)
        assert r["ocupado"], r
        a.editar(FPM, "333,33")  # typed while the save runs
        if matar_antes_do_fim:
            a.matar()
            assert not novo.exists()
            j = janela_cliente
            d = _recuperar(j, qtbot, arquivo)
        else:
            r = a.pedir(cmd="liberar")
            assert r["documento"] == str(novo), r
            a.editar(ITR, "4,44")  # after the save, before any other
            a.matar()
            assert ler(novo).valor(IPTU) == Decimal("111.11")
            j = janela_cliente
            d = _recuperar(j, qtbot, novo)
            assert d.valor(ITR) == Decimal("4.44")
        assert d.valor(IPTU) == Decimal("111.11")
        assert d.valor(FPM) == Decimal("333.33")
        j.definir_documento(None)
        j.dialogos.perguntas.clear()
        casos += 1
    relatorio(
        casos=casos,
        resumo="Salvar como lento: 333,33 digitado durante a gravação volta após SIGKILL "
        "durante a gravação (diário do arquivo antigo) e depois dela (diário do arquivo novo, "
        "com o estado atual)",
    )


def test_i17_6_recuperar_e_morrer_de_novo(janela_cliente, qtbot, instancias, relatorio):
    """Recovered edits are journalled again at once: a second SIGKILL right after a recovery
    gives them back again."""
    pasta = Path(os.environ["SIOPS_HOME"])
    arquivo = _declaracao(pasta / "M353170_2025_PrimeiroBimestre.OPS")
    a = instancias()
    assert a.abrir(arquivo)["ok"]
    a.editar(IPTU, "333,33")
    a.matar()
    b = instancias()
    r = b.pedir(cmd="recuperar")
    assert r["documento"] == str(arquivo.resolve()) or r["documento"] == str(arquivo), r
    b.editar(FPM, "2,22")
    b.matar()
    d = _recuperar(janela_cliente, qtbot, arquivo)
    assert d.valor(IPTU) == Decimal("333.33")
    assert d.valor(FPM) == Decimal("2.22")
    relatorio(
        casos=1,
        resumo="recuperar e morrer de novo: após a recuperação e um novo SIGKILL, 333,33 e a "
        "edição seguinte voltam outra vez",
    )
