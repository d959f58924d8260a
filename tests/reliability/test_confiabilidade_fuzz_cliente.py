"""Fuzzing the client's readers (issue 11, item 1), with the real main window offscreen.

The open path is ``JanelaPrincipal.abrir_arquivo`` (``app/janela_arquivo.py``): Arquivo → Abrir,
the welcome screen's recent files and ``siops abrir ARQ`` all end there. Each mutated .OPS
(the same strategies as the command-line fuzzer) must either open — the document shown, the
críticas run after the first paint without an exception — or be refused with the dialog
"Não foi possível abrir …" whose details are one Portuguese sentence; never an exception
escaping to Qt, never over 2 s, and the file never changes (opening writes nothing: the
autosave journal starts at the first edit).

The CSV path is Arquivo → Importar planilha… (``importar_planilha_de``, read on the background
worker, applied as one undo step): mutated CSVs over an open declaration either import (and are
undone for the next case) or end in the "Nada foi importado" dialog with Portuguese details.

Sizes: ``SIOPS_CONF_FUZZ_CLIENTE_OPS`` (CI 60, full 600), ``SIOPS_CONF_FUZZ_CLIENTE_CSV``
(CI 30, full 300). Derandomized hypothesis: the same cases every run.
"""

from __future__ import annotations

import collections
import hashlib
import time
import traceback
from pathlib import Path

import pytest
from apoio_comum import BUGS_CONHECIDOS, bug_conhecido, tamanho
from apoio_mutacoes import (
    lista_mutacoes_csv,
    lista_mutacoes_ops,
    mutar_csv,
    mutar_ops,
    problema_na_mensagem,
)
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

pytestmark = [pytest.mark.reliability, pytest.mark.gui]

N_OPS = tamanho("fuzz_cliente_ops", 60, 600)
N_CSV = tamanho("fuzz_cliente_csv", 30, 300)
SEGUNDOS = 2.0
#: The English texts that the known bugs (``apoio_comum.BUGS_CONHECIDOS``) let reach the
#: client's dialog.
INGLES_CONHECIDO = {
    "new-line character seen in unquoted field": "B1",
    "field larger than field limit": "B1",
    "codec can't decode": "B2",
}


def _config(n: int) -> settings:
    return settings(
        max_examples=n,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )


@pytest.fixture(scope="module")
def bases() -> list[bytes]:
    from siops import ops_format
    from siops.forms.declaracao import Declaracao
    from siops.forms.demo import declaracao_demo
    from siops.forms.entes import ente
    from siops.forms.gerador import declaracao_cheia

    return [
        ops_format.para_bytes(declaracao_demo()),
        ops_format.para_bytes(declaracao_cheia(ente("E35"), 2025, 6, 3)),
        ops_format.para_bytes(Declaracao(ente("M355030"), 2025, 1)),
    ]


def _listagem(pasta: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in pasta.iterdir()}


def test_fuzz_abrir_no_cliente(janela_cliente, qtbot, bases, tmp_path, relatorio):
    """Mutated .OPS files through the window's open path (see module docstring)."""
    j = janela_cliente
    pasta = tmp_path / "casos"
    pasta.mkdir()
    resultados: collections.Counter[str] = collections.Counter()
    mais_lento = 0.0

    @_config(N_OPS)
    @given(base=st.integers(0, len(bases) - 1), muts=lista_mutacoes_ops(), redigest=st.booleans())
    def caso(base: int, muts: list, redigest: bool) -> None:
        nonlocal mais_lento
        dados = mutar_ops(bases[base], muts, redigest)
        arq = pasta / "M355030_2025_PrimeiroBimestre.OPS"
        arq.write_bytes(dados)
        antes = _listagem(pasta)
        n_msgs = len(j.dialogos.mensagens)
        o_que = (base, [str(m) for m in muts], redigest)
        t0 = time.perf_counter()
        aberto = j.abrir_arquivo(arq)
        if aberto:
            doc = j.documento
            assert doc is not None and doc.caminho == arq, o_que
            # the críticas start right after the first paint: let them run
            qtbot.waitUntil(lambda: doc._verificador is not None, timeout=int(SEGUNDOS * 1000))
            segundos = time.perf_counter() - t0
            assert doc.declaracao.ente.codigo, o_que
            resultados["aberto"] += 1
            j.definir_documento(None)
        else:
            segundos = time.perf_counter() - t0
            assert j.documento is None, o_que
            novas = j.dialogos.mensagens[n_msgs:]
            assert len(novas) == 1, (o_que, novas)
            titulo, texto, detalhes = novas[0]
            assert titulo == "Abrir declaração" and texto.startswith("Não foi possível abrir")
            motivo = problema_na_mensagem(detalhes)
            assert motivo is None, (o_que, motivo, detalhes)
            resultados["recusado"] += 1
        assert segundos < SEGUNDOS, (o_que, segundos)
        assert _listagem(pasta) == antes, o_que
        mais_lento = max(mais_lento, segundos)
        arq.unlink()

    caso()
    total = sum(resultados.values())
    assert total >= N_OPS * 0.9
    relatorio(
        casos=total,
        abertos=resultados["aberto"],
        recusados=resultados["recusado"],
        mais_lento_s=round(mais_lento, 3),
        resumo=f"{total} .OPS mutados abertos pela janela (offscreen): {resultados['aberto']} "
        f"abertos com as críticas, {resultados['recusado']} recusados com mensagem em "
        "português; 0 exceções, 0 acima de 2 s, 0 arquivos alterados",
    )


def test_fuzz_planilha_no_cliente(janela_cliente, qtbot, tmp_path, relatorio):
    """Mutated CSVs through Arquivo → Importar planilha… (see module docstring)."""
    from siops import ops_format
    from siops.forms.demo import declaracao_demo
    from siops.forms.entes import ente
    from siops.forms.gerador import declaracao_cheia
    from siops.forms.planilha import exportar_csv

    j = janela_cliente
    arq = tmp_path / "M355030_2025_SegundoBimestre.OPS"
    ops_format.salvar(declaracao_demo("M355030", 2025, 2), arq)
    assert j.abrir_arquivo(arq)
    doc = j.documento
    qtbot.waitUntil(lambda: doc._verificador is not None)
    original = dict(doc.declaracao.celulas_digitadas())
    csv = exportar_csv(declaracao_cheia(ente("M355030"), 2025, 2, 9)).encode("utf-8")
    pasta = tmp_path / "csv"
    pasta.mkdir()
    resultados: collections.Counter[str] = collections.Counter()
    conhecidos: collections.Counter[str] = collections.Counter()
    mais_lento = 0.0

    @_config(N_CSV)
    @given(muts=lista_mutacoes_csv())
    def caso(muts: list) -> None:
        nonlocal mais_lento
        dados = mutar_csv(csv, muts)
        entrada = pasta / "planilha.csv"
        entrada.write_bytes(dados)
        n_msgs, n_pilha = len(j.dialogos.mensagens), doc.pilha.index()
        o_que = [str(m) for m in muts]
        t0 = time.perf_counter()
        with qtbot.capture_exceptions() as excecoes:
            j.importar_planilha_de(entrada)
            qtbot.waitUntil(lambda: not j.tarefas.ocupado(), timeout=int(SEGUNDOS * 1000))
        segundos = time.perf_counter() - t0
        assert entrada.read_bytes() == dados, o_que
        novas = j.dialogos.mensagens[n_msgs:]
        if excecoes:  # an exception escaped to Qt's event loop: only a known bug may do that
            for tipo, valor, tb in excecoes:
                texto = "".join(traceback.format_exception(tipo, valor, tb))
                rotulo = bug_conhecido(texto)
                assert rotulo is not None, (o_que, texto)
                conhecidos[rotulo] += 1
            assert dict(doc.declaracao.celulas_digitadas()) == original, o_que
            return
        if doc.pilha.index() > n_pilha:  # imported as one undo step
            assert not novas, (o_que, novas)
            doc.pilha.undo()
            assert dict(doc.declaracao.celulas_digitadas()) == original, o_que
            resultados["importado"] += 1
        elif not novas:  # a valid CSV that changes nothing (empty, or the same values)
            assert dict(doc.declaracao.celulas_digitadas()) == original, o_que
            resultados["importado"] += 1
        else:
            assert len(novas) == 1, (o_que, novas)
            titulo, texto, detalhes = novas[0]
            assert titulo == "Importar planilha" and texto.startswith("Nada foi importado")
            assert dict(doc.declaracao.celulas_digitadas()) == original, o_que
            rotulo = next((r for t, r in INGLES_CONHECIDO.items() if t in detalhes), None)
            if rotulo:
                conhecidos[rotulo] += 1
            else:
                motivo = problema_na_mensagem(detalhes)
                assert motivo is None, (o_que, motivo, detalhes)
                resultados["recusado"] += 1
        assert segundos < SEGUNDOS, (o_que, segundos)
        mais_lento = max(mais_lento, segundos)

    caso()
    total = sum(resultados.values()) + sum(conhecidos.values())
    assert total >= N_CSV * 0.9
    bugs = (
        "; erro (mensagem em inglês ou exceção) só dos bugs já relatados: "
        + ", ".join(f"{n}× {r} ({BUGS_CONHECIDOS[r][1]})" for r, n in conhecidos.items())
        if conhecidos
        else "; 0 mensagens em inglês, 0 exceções"
    )
    relatorio(
        casos=total,
        importados=resultados["importado"],
        recusados=resultados["recusado"],
        bugs_conhecidos=dict(conhecidos),
        mais_lento_s=round(mais_lento, 3),
        resumo=f"{total} CSV mutados importados pela janela: {resultados['importado']} "
        f"importados (um passo de desfazer), {resultados['recusado']} recusados com mensagem"
        + bugs
        + "; 0 acima de 2 s",
    )
