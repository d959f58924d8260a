"""A "zygote" process for the crash tests (issue 11, item 2): it imports the program once, then
forks a child per case that saves (or edits with the autosave journal) in a loop until the test
kills it with SIGKILL at a random moment.

Why a zygote: a fresh interpreter per kill would spend most of the time importing; forking
the pytest process itself would copy its threads (servers' clients, Qt). The zygote is a plain
subprocess that has only imported the core (and PySide6's QtCore/QtGui for the journal); each
child is a real, separate process that dies by SIGKILL — nothing it did is cleaned up.

Protocol: one JSON object per line on stdin, one JSON answer per line on stdout.

* ``{"cmd": "preparar_gravacao", "arquivo", "versoes", "semente"}`` → ``{"segundos", "bytes"}``:
  builds ``versoes`` large declarations (a state's 6º bimestre, every cell and every text field
  filled) that differ in one cell, and measures one save.
* ``{"cmd": "gravar", "progresso"}`` → ``{"pid"}``: resets the file to version 0, then forks a
  child that saves version 1, 2, … (cycling) with ``ops_format.salvar`` and, after each save
  returns, writes the number of completed saves into the file ``progresso``.
* ``{"cmd": "preparar_diario", "arquivo", "semente", "operacoes", "salvar_a_cada"}`` → ``{}``.
* ``{"cmd": "editar", "progresso"}`` → ``{"pid"}``: resets the file and the journals, then forks a
  child that opens the declaration as the client does (``app.documento.Documento``, with its
  autosave journal) and applies the operations of ``operacoes_de_edicao`` — edits, undos,
  redos —, saving as the window does (``instantaneo`` → ``salvar`` → ``salvo``) every
  ``salvar_a_cada`` operations and calling ``diario.sincronizar`` as the window's timer would;
  after each operation returns, the number of completed operations goes to ``progresso``.
* ``{"cmd": "colher", "pid"}`` → ``{"sinal"}``: reaps the child (the signal that killed it).
* ``{"cmd": "sair"}``.

``operacoes_de_edicao`` is also imported by the test, which replays the same operations to know
the state after each one.
"""

from __future__ import annotations

import json
import os
import random
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any


def celula_livre(d: Any) -> tuple[str, str, str]:
    """A typed previsão inicial cell (no crítica compares it): changing it changes nothing else
    that matters; it tells versions apart."""
    return next(k for k, _ in d.celulas_digitadas() if k[2] == "previsao_inicial")


def declaracao_grande(semente: int) -> Any:
    """A state's 6º bimestre with every typed cell and every text field filled (long texts)."""
    from siops.forms.declaracao import DefinirTexto
    from siops.forms.entes import ente
    from siops.forms.gerador import declaracao_cheia

    d = declaracao_cheia(ente("E35"), 2025, 6, semente)
    rnd = random.Random(semente)
    for cid, campo in d.catalogo.campos.items():
        n = rnd.randint(200, 1900)
        texto = (f'{campo.titulo} — Conceição & "Filhos" <ltda> ' * 60)[:n]
        d.aplicar(DefinirTexto(cid, texto))
    d.modificada = False
    return d


def versoes_gravacao(semente: int, n: int) -> list[Any]:
    """``n`` versions of the large declaration, version ``i`` with ``i`` cents more in one cell."""
    from siops.forms.declaracao import DefinirCelula

    base = declaracao_grande(semente)
    celula = celula_livre(base)
    out = []
    for i in range(n):
        d = base.copia()
        d.aplicar(DefinirCelula(celula, base.valor(celula) + Decimal(i) / 100))
        d.modificada = False
        out.append(d)
    return out


def operacoes_de_edicao(d: Any, semente: int, n: int) -> list[tuple]:
    """``n`` operations over ``d`` (not applied): ``("celula", chave, valor)``,
    ``("texto", campo, texto)``, ``("desfazer",)``, ``("refazer",)``.

    Every operation changes the declaration (values are unique to their index; an undo follows
    an edit or a redo, a redo follows an undo), so each writes exactly one journal line.
    """
    rnd = random.Random(semente)
    cat = d.catalogo
    celulas = sorted(k for k in cat.editaveis if cat.editavel(k, d.bimestre))
    campos = sorted(cat.campos)
    ops: list[tuple] = []
    desfeitos = 0  # how many undone commands can be redone
    feitos = 0  # how many commands can be undone
    for i in range(n):
        sorteio = rnd.random()
        if sorteio < 0.08 and feitos:
            ops.append(("desfazer",))
            feitos -= 1
            desfeitos += 1
        elif sorteio < 0.14 and desfeitos:
            ops.append(("refazer",))
            feitos += 1
            desfeitos -= 1
        else:
            if sorteio < 0.2:
                ops.append(("texto", rnd.choice(campos), f"Texto da operação {i} — ação"))
            else:
                valor = Decimal(rnd.randint(1, 10**9)) + Decimal(i % 100) / 100
                ops.append(("celula", rnd.choice(celulas), valor + Decimal(i) * 10**9))
            feitos += 1
            desfeitos = 0  # a new edit drops the redo branch (QUndoStack does the same)
    return ops


def _progresso(fd: int, n: int) -> None:
    os.pwrite(fd, f"{n:012d}".encode(), 0)


def _filho_gravar(arquivo: Path, versoes: list[Any], progresso: Path) -> None:
    from siops.ops_format import salvar

    fd = os.open(progresso, os.O_WRONLY)
    i = 0
    while True:
        i += 1
        salvar(versoes[i % len(versoes)], arquivo)
        _progresso(fd, i)


def _filho_editar(
    arquivo: Path, inicial: Any, ops: list[tuple], salvar_a_cada: int, progresso: Path
) -> None:
    from PySide6.QtCore import QCoreApplication

    from siops.app.documento import Documento
    from siops.forms.declaracao import DefinirCelula, DefinirTexto
    from siops.ops_format import salvar

    QCoreApplication([])
    fd = os.open(progresso, os.O_WRONLY)
    doc = Documento(inicial.copia(), arquivo)
    for n, op in enumerate(ops, start=1):
        if op[0] == "celula":
            doc.executar(DefinirCelula(op[1], op[2]))
        elif op[0] == "texto":
            doc.executar(DefinirTexto(op[1], op[2]))
        elif op[0] == "desfazer":
            doc.pilha.undo()
        else:
            doc.pilha.redo()
        _progresso(fd, n)
        if n % 97 == 0 and doc.diario is not None:
            doc.diario.sincronizar()  # the window's timer
        if n % salvar_a_cada == 0:
            copia, indice = doc.instantaneo()
            salvar(copia, arquivo)
            doc.salvo(arquivo, indice)
    os._exit(0)


def _limpar(arquivo: Path) -> None:
    for p in arquivo.parent.iterdir():
        if p.name.startswith((arquivo.name, f".{arquivo.name}")):
            p.unlink()


def main() -> None:
    """Serve the protocol of the module docstring until ``sair`` or end of input."""
    estado: dict[str, Any] = {}
    for linha in sys.stdin:
        pedido = json.loads(linha)
        cmd = pedido["cmd"]
        resposta: dict[str, Any] = {}
        if cmd == "preparar_gravacao":
            import time

            from siops.ops_format import para_bytes, salvar

            arquivo = Path(pedido["arquivo"])
            versoes = versoes_gravacao(pedido["semente"], pedido["versoes"])
            estado.update(arquivo=arquivo, versoes=versoes)
            _limpar(arquivo)
            t0 = time.perf_counter()
            for d in versoes[:10]:
                salvar(d, arquivo)
            resposta = {
                "segundos": (time.perf_counter() - t0) / 10,
                "bytes": len(para_bytes(versoes[0])),
            }
        elif cmd == "gravar":
            from siops.ops_format import salvar

            arquivo = estado["arquivo"]
            _limpar(arquivo)
            salvar(estado["versoes"][0], arquivo)
            Path(pedido["progresso"]).write_text("0")  # before the fork: never a stale count
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:
                try:
                    _filho_gravar(arquivo, estado["versoes"], Path(pedido["progresso"]))
                finally:
                    os._exit(1)
            resposta = {"pid": pid}
        elif cmd == "preparar_diario":
            from siops.forms.demo import declaracao_demo

            inicial = declaracao_demo("M355030", 2025, 2)
            estado.update(
                arquivo=Path(pedido["arquivo"]),
                inicial=inicial,
                ops=operacoes_de_edicao(inicial, pedido["semente"], pedido["operacoes"]),
                salvar_a_cada=pedido["salvar_a_cada"],
            )
        elif cmd == "editar":
            from siops.app.diario import pasta_diarios
            from siops.ops_format import salvar

            arquivo = estado["arquivo"]
            _limpar(arquivo)
            for p in pasta_diarios().iterdir():
                p.unlink()
            salvar(estado["inicial"], arquivo)
            Path(pedido["progresso"]).write_text("0")
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:
                try:
                    _filho_editar(
                        arquivo,
                        estado["inicial"],
                        estado["ops"],
                        estado["salvar_a_cada"],
                        Path(pedido["progresso"]),
                    )
                finally:
                    os._exit(1)
            resposta = {"pid": pid}
        elif cmd == "colher":
            _, status = os.waitpid(pedido["pid"], 0)
            resposta = {
                "sinal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
                "saida": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            }
        elif cmd == "sair":
            break
        print(json.dumps(resposta), flush=True)


if __name__ == "__main__":
    main()
