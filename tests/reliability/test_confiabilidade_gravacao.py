"""Crashes during saves (issue 11, item 2): SIGKILL at random moments of ``ops_format.salvar``
of a large declaration, and of the client's editing with its autosave journal.

Both run in children forked by a zygote subprocess (``apoio_zigoto``): real processes, killed
with SIGKILL, nothing cleaned up after them.

Save. A child saves version 1, 2, 3… of a large declaration (a state's 6º bimestre with every
cell and long texts in every field, ~0.3 MB) in a loop, and after each save returns it writes
how many saves completed (``r``). The kill comes at a random delay between 0 and 3 save
durations. Afterwards the file must open and be, byte for byte, version ``r`` (the last
completed save) or ``r + 1`` (the one in flight, if its rename happened); the ``.bak`` must
be the version before; the only leftovers may be hidden temporary files.

Autosave journal. A child opens the declaration as the client does (``app.documento
.Documento``, which journals every applied command) and applies edits, undos and redos —
saving as the window does every 250 operations — reporting how many operations completed.
After the kill, recovery as the client does it (``app.diario.pendentes`` → replay the journal
over the file) must give exactly the state after ``r`` or ``r + 1`` operations: an edit that
returned to the user is never lost, even when the kill lands in a save or a journal line.

Sizes: ``SIOPS_CONF_KILLS_GRAVACAO`` (CI 120, full 1000), ``SIOPS_CONF_KILLS_DIARIO`` (CI 40,
full 300).
"""

from __future__ import annotations

import collections
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from apoio_comum import RAIZ_PROJETO, tamanho
from apoio_zigoto import operacoes_de_edicao, versoes_gravacao

pytestmark = pytest.mark.reliability

N_GRAVACAO = tamanho("kills_gravacao", 120, 1000)
N_DIARIO = tamanho("kills_diario", 40, 300)
VERSOES = 40
SEMENTE = 20250101


@pytest.fixture
def zigoto(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., dict]]:
    """``pedir(cmd=…, **campos)`` to the zygote subprocess (see ``apoio_zigoto``)."""
    dados = tmp_path / "dados"
    monkeypatch.setenv("SIOPS_DADOS", str(dados))  # the journals the zygote's children write
    env = dict(
        os.environ,
        PYTHONPATH=str(RAIZ_PROJETO),
        SIOPS_DADOS=str(dados),
        QT_QPA_PLATFORM="offscreen",
    )
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("apoio_zigoto.py"))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )

    def pedir(**pedido: Any) -> dict:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(json.dumps(pedido, default=str) + "\n")
        proc.stdin.flush()
        linha = proc.stdout.readline()
        assert linha, f"o zigoto terminou (código {proc.poll()})"
        return json.loads(linha)

    yield pedir
    try:
        pedir(cmd="sair")
    except (AssertionError, OSError, ValueError):
        pass
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(30)
    for f in (proc.stdin, proc.stdout):
        if f is not None:
            try:
                f.close()
            except OSError:  # the zygote died: its end of the pipe is gone
                pass


def _progresso(p: Path) -> int:
    texto = p.read_text(encoding="ascii").strip()
    return int(texto or 0)


def test_sigkill_durante_gravacao_de_declaracao_grande(zigoto, tmp_path, relatorio):
    from siops.ops_format import ler, para_bytes

    pasta = tmp_path / "MS-SIOPS"
    pasta.mkdir()
    arquivo = pasta / "E35_2025_SextoBimestre.OPS"
    bak = pasta / "E35_2025_SextoBimestre.OPS.bak"
    progresso = tmp_path / "progresso"
    prep = zigoto(cmd="preparar_gravacao", arquivo=str(arquivo), versoes=VERSOES, semente=SEMENTE)
    duracao = prep["segundos"]
    versoes = [para_bytes(d) for d in versoes_gravacao(SEMENTE, VERSOES)]
    indice = {v: i for i, v in enumerate(versoes)}
    assert len(indice) == VERSOES and prep["bytes"] == len(versoes[0])
    rnd = random.Random(SEMENTE)
    vistos: collections.Counter[str] = collections.Counter()
    completadas: list[int] = []
    sobras_total = 0
    for caso in range(N_GRAVACAO):
        pid = zigoto(cmd="gravar", progresso=str(progresso))["pid"]
        time.sleep(rnd.uniform(0.0, 3.0 * duracao))
        os.kill(pid, signal.SIGKILL)
        assert zigoto(cmd="colher", pid=pid)["sinal"] == signal.SIGKILL, caso
        r = _progresso(progresso)
        dados = arquivo.read_bytes()
        ler(arquivo)  # never ArquivoInvalido
        v = indice.get(dados)
        assert v is not None, (caso, r, "o arquivo não é nenhuma versão completa")
        if v == r % VERSOES:
            vistos["última gravação concluída"] += 1
        else:
            assert v == (r + 1) % VERSOES, (caso, r, v)
            vistos["gravação em curso já trocada"] += 1
        if bak.exists():
            ler(bak)
            b = indice.get(bak.read_bytes())
            esperados = {(r - 1) % VERSOES, r % VERSOES} if r else {0}
            assert b in esperados, (caso, r, b)
        else:
            assert r == 0, (caso, r)  # the first save of the loop keeps the backup
        sobras = [p.name for p in pasta.iterdir() if p not in (arquivo, bak)]
        assert all(n.startswith(".") and n.endswith(".tmp") for n in sobras), (caso, sobras)
        sobras_total += bool(sobras)
        completadas.append(r)
    # Coverage, not behaviour: some kills must have landed inside a save (a temporary left
    # behind, or the new version already swapped in). Which outcomes appear depends on the
    # machine's timing (on a loaded CI machine every kill may land before the swap), so both
    # are reported rather than both required.
    assert sobras_total > 0 or vistos["gravação em curso já trocada"] > 0, vistos
    relatorio(
        casos=N_GRAVACAO,
        bytes_declaracao=len(versoes[0]),
        gravacao_ms=round(duracao * 1000, 1),
        desfechos=dict(vistos),
        mortes_no_meio_da_escrita=sobras_total,
        resumo=f"{N_GRAVACAO} SIGKILL em gravações de uma declaração de "
        f"{len(versoes[0]) // 1024} kB ({duracao * 1000:.1f} ms cada): o arquivo sempre abre e "
        f"é a versão anterior ({vistos['última gravação concluída']}) ou a nova "
        f"({vistos['gravação em curso já trocada']}); {sobras_total} mortes no meio da escrita "
        "deixaram só temporários ocultos; .bak sempre a versão anterior",
    )


class Simulacao:
    """The states after each operation of ``operacoes_de_edicao``, computed with the core
    (undo and redo as ``QUndoStack`` does them: a new edit drops the redo branch)."""

    def __init__(self, inicial: Any, ops: list[tuple]) -> None:
        self.d = inicial.copia()
        self.ops = ops
        self.pilha: list[list[Any]] = []  # [comando feito, inverso]
        self.indice = 0
        self.impressoes = [impressao(self.d)]

    def estado(self, n: int) -> int:
        from siops.forms.declaracao import DefinirCelula, DefinirTexto

        while len(self.impressoes) <= n:
            op = self.ops[len(self.impressoes) - 1]
            if op[0] in ("celula", "texto"):
                c = DefinirCelula(op[1], op[2]) if op[0] == "celula" else DefinirTexto(*op[1:])
                inv = self.d.aplicar(c)
                del self.pilha[self.indice :]
                self.pilha.append([c, inv])
                self.indice += 1
            elif op[0] == "desfazer":
                self.indice -= 1
                par = self.pilha[self.indice]
                par[0] = self.d.aplicar(par[1])
            else:
                par = self.pilha[self.indice]
                par[1] = self.d.aplicar(par[0])
                self.indice += 1
            self.impressoes.append(impressao(self.d))
        return self.impressoes[n]


def impressao(d: Any) -> int:
    """A hash of a declaration's typed cells and texts."""
    return hash((tuple(sorted(d.celulas_digitadas())), tuple(sorted(d.textos().items()))))


def test_sigkill_durante_edicao_com_diario(zigoto, tmp_path, relatorio):
    from siops.app.diario import pendentes
    from siops.forms.declaracao import Lote
    from siops.forms.demo import declaracao_demo
    from siops.ops_format import ler

    pasta = tmp_path / "MS-SIOPS"
    pasta.mkdir()
    arquivo = pasta / "M355030_2025_SegundoBimestre.OPS"
    progresso = tmp_path / "progresso"
    n_ops = 40_000
    zigoto(
        cmd="preparar_diario",
        arquivo=str(arquivo),
        semente=SEMENTE,
        operacoes=n_ops,
        salvar_a_cada=250,
    )
    inicial = declaracao_demo("M355030", 2025, 2)
    sim = Simulacao(inicial, operacoes_de_edicao(inicial, SEMENTE, n_ops))
    rnd = random.Random(SEMENTE + 1)
    desfechos: collections.Counter[str] = collections.Counter()
    linhas_cortadas = 0
    recuperadas = 0
    maior = 0
    for caso in range(N_DIARIO):
        pid = zigoto(cmd="editar", progresso=str(progresso))["pid"]
        time.sleep(rnd.uniform(0.0, 0.25))
        os.kill(pid, signal.SIGKILL)
        assert zigoto(cmd="colher", pid=pid)["sinal"] == signal.SIGKILL, caso
        r = _progresso(progresso)
        assert r < n_ops, "a sequência de operações acabou antes do SIGKILL"
        d = ler(arquivo)  # the file always opens
        no_arquivo = impressao(d)
        pend = pendentes()
        assert len(pend) <= 1, (caso, pend)
        if pend:
            p = pend[0]
            bruto = p.caminho.read_bytes()
            linhas_cortadas += not bruto.endswith(b"\n")
            if p.arquivo_mudou():
                desfechos["SIGKILL entre a gravação e o reinício do diário"] += 1
            d.aplicar(Lote(p.comandos, "Recuperar alterações"))
            recuperadas += p.edicoes
            p.descartar()
        final = impressao(d)
        if final == sim.estado(r):
            desfechos["estado da última operação concluída"] += 1
        else:
            assert final == sim.estado(r + 1), (caso, r, no_arquivo)
            desfechos["operação em curso também recuperada"] += 1
        maior = max(maior, r)
    assert maior > 250  # some kills came after a save of the loop
    relatorio(
        casos=N_DIARIO,
        desfechos=dict(desfechos),
        edicoes_recuperadas=recuperadas,
        linhas_cortadas=linhas_cortadas,
        maior_operacao=maior,
        resumo=f"{N_DIARIO} SIGKILL durante edições com o diário de recuperação (edições, "
        f"desfazer, refazer, gravações a cada 250): o arquivo sempre abre e arquivo + diário "
        f"dão exatamente o estado da última operação concluída (ou da seguinte); "
        f"{recuperadas} edições recuperadas, {linhas_cortadas} diários com a última linha "
        "cortada pelo SIGKILL",
    )
