"""Fuzzing the readers of the command line (issue 11, item 1): mutated .OPS files through
``siops validar`` and mutated CSV interchange files through ``siops importar-planilha``.

Each case is a valid file (a demo declaration, full declarations of a state and of the DF, an
empty one; the CSV exported by ``forms.planilha.exportar_csv``) changed by one to three
mutations drawn by hypothesis (``apoio_mutacoes``: byte flips, truncation, element duplication,
removal and moves, huge and tiny numbers, odd ids and attributes, inserted markup, encoding
changes, enormous texts), half of the .OPS cases with the content digest recomputed so the
change reaches the semantic checks. The verb runs in-process (``app.cli.main``, stderr
captured: fast) and a sample runs again through the real ``siops`` console script, which must
end the same way.

Every case must end in acceptance (exit 0/1; the file then opens and saves back to the same
content) or in exit 2 with a Portuguese message — never exit 70 (the "erro inesperado" that
hides a traceback in a log), never a traceback, never over 2 s, and the input files are never
changed (the declaration of a refused CSV import included).

Hypothesis runs derandomized (the same cases on every run, so the counts in
``docs/reliability.md`` can be reproduced). Sizes: ``SIOPS_CONF_FUZZ_OPS`` (CI 300, full 3000),
``SIOPS_CONF_FUZZ_CSV`` (CI 200, full 2000), ``SIOPS_CONF_FUZZ_AMOSTRA`` (cases run again as a
subprocess, CI 16, full 160).
"""

from __future__ import annotations

import collections
import hashlib
from pathlib import Path

import pytest
from apoio_comum import BUGS_CONHECIDOS, bug_conhecido, rodar_cli, rodar_siops, tamanho
from apoio_mutacoes import (
    lista_mutacoes_csv,
    lista_mutacoes_ops,
    mutar_csv,
    mutar_ops,
    problema_na_mensagem,
)
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.reliability

N_OPS = tamanho("fuzz_ops", 300, 3000)
N_CSV = tamanho("fuzz_csv", 200, 2000)
N_AMOSTRA = tamanho("fuzz_amostra", 16, 160)
#: The issue's bound for one file, in-process and as a subprocess.
SEGUNDOS = 2.0


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
def bases() -> list[tuple[str, bytes]]:
    """Valid .OPS files: demo (município), full (state, 6º bim.), full DF, empty."""
    from siops import ops_format
    from siops.forms.declaracao import Declaracao, DefinirTexto
    from siops.forms.demo import declaracao_demo
    from siops.forms.entes import ente
    from siops.forms.gerador import declaracao_cheia

    estado = declaracao_cheia(ente("E35"), 2025, 6, 3)
    for cid, campo in estado.catalogo.campos.items():
        estado.aplicar(DefinirTexto(cid, f'{campo.titulo} — Conceição & "Filhos" <ltda>'))
    return [
        ("demo-M353170-2026-5", ops_format.para_bytes(declaracao_demo())),
        ("cheia-E35-2025-6", ops_format.para_bytes(estado)),
        ("cheia-E53-2024-3", ops_format.para_bytes(declaracao_cheia(ente("E53"), 2024, 3, 5))),
        ("vazia-M355030-2025-1", ops_format.para_bytes(Declaracao(ente("M355030"), 2025, 1))),
    ]


def _listagem(pasta: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in pasta.iterdir()}


@pytest.fixture
def registros(tmp_path, monkeypatch) -> Path:
    """A private folder for the CLI's "erro inesperado" log (``siops-erro.log``)."""
    import tempfile

    pasta = tmp_path / "registros"
    pasta.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(pasta))
    return pasta


def _erro_interno(registros: Path, o_que: object) -> str:
    """The known bug behind an exit 70 (fails the case when it is a new one)."""
    log = registros / "siops-erro.log"
    texto = log.read_text(encoding="utf-8")
    log.unlink()
    rotulo = bug_conhecido(texto)
    assert rotulo is not None, (o_que, texto[-3000:])
    return rotulo


def _texto_bugs(conhecidos: collections.Counter[str]) -> str:
    if not conhecidos:
        return "; 0 tracebacks"
    return "; erro interno (saída 70) só dos bugs já relatados: " + ", ".join(
        f"{n}× {r} ({BUGS_CONHECIDOS[r][1]})" for r, n in sorted(conhecidos.items())
    )


def _conferir_recusa(saida, o_que: str) -> None:
    assert saida.stderr.startswith("siops: "), (o_que, saida.stderr)
    motivo = problema_na_mensagem(saida.stderr.removeprefix("siops: "))
    assert motivo is None, (o_que, motivo, saida.stderr)


def test_fuzz_ops_validar(bases, tmp_path, registros, relatorio):
    """Mutated .OPS files through ``siops validar`` (see module docstring)."""
    from siops import ops_format

    rodar_cli("validar", tmp_path / "aquecer.OPS")  # imports and catalogs outside the timing
    pasta = tmp_path / "casos"
    pasta.mkdir()
    resultados: collections.Counter[str] = collections.Counter()
    conhecidos: collections.Counter[str] = collections.Counter()
    por_tipo: collections.Counter[str] = collections.Counter()
    amostra: list[tuple[bytes, int, str]] = []
    mais_lento = 0.0

    @_config(N_OPS)
    @given(
        base=st.integers(0, len(bases) - 1),
        muts=lista_mutacoes_ops(),
        redigest=st.booleans(),
    )
    def caso(base: int, muts: list, redigest: bool) -> None:
        nonlocal mais_lento
        nome, original = bases[base]
        dados = mutar_ops(original, muts, redigest)
        arq = pasta / "M355030_2025_PrimeiroBimestre.OPS"
        arq.write_bytes(dados)
        antes = _listagem(pasta)
        saida = rodar_cli("validar", arq)
        o_que = (nome, [str(m) for m in muts], redigest)
        assert _listagem(pasta) == antes, o_que  # nothing written, nothing changed
        if saida.codigo == 70:
            conhecidos[_erro_interno(registros, o_que)] += 1
            arq.unlink()
            return
        assert saida.codigo in (0, 1, 2), (o_que, saida)
        assert saida.segundos < SEGUNDOS, (o_que, saida.segundos)
        if saida.codigo == 2:
            _conferir_recusa(saida, str(o_que))
            resultados["recusado"] += 1
        else:
            # accepted: it opens, and saving it gives back the same content
            d = ops_format.ler(arq)
            de_novo = ops_format.de_bytes(ops_format.para_bytes(d), "de novo")
            assert dict(de_novo.celulas_digitadas()) == dict(d.celulas_digitadas()), o_que
            assert de_novo.textos() == d.textos(), o_que
            resultados["aceito"] += 1
        for m in muts:
            por_tipo[m.tipo] += 1
        mais_lento = max(mais_lento, saida.segundos)
        if sum(resultados.values()) % max(1, N_OPS // N_AMOSTRA) == 0 and len(amostra) < N_AMOSTRA:
            amostra.append((dados, saida.codigo, saida.stderr))
        arq.unlink()

    caso()
    total = sum(resultados.values()) + sum(conhecidos.values())

    # the sample again, through the real console script: the same outcome, within 2 s
    lento_sub = 0.0
    for i, (dados, codigo, stderr) in enumerate(amostra):
        arq = pasta / f"amostra{i}.OPS"
        arq.write_bytes(dados)
        saida = rodar_siops("validar", arq, cwd=pasta)
        assert saida.codigo == codigo, (i, saida, stderr)
        assert "Traceback" not in saida.stderr
        if codigo == 2:
            _conferir_recusa(saida, f"amostra {i}")
        assert saida.segundos < SEGUNDOS, (i, saida.segundos)
        assert arq.read_bytes() == dados
        lento_sub = max(lento_sub, saida.segundos)

    assert total >= N_OPS * 0.9
    relatorio(
        casos=total + len(amostra),
        aceitos=resultados["aceito"],
        recusados=resultados["recusado"],
        subprocessos=len(amostra),
        mais_lento_s=round(max(mais_lento, lento_sub), 3),
        mutacoes=dict(sorted(por_tipo.items())),
        bugs_conhecidos=dict(conhecidos),
        resumo=f"{total} .OPS mutados em processo + {len(amostra)} pelo comando siops: "
        f"{resultados['aceito']} aceitos, {resultados['recusado']} recusados com mensagem"
        + _texto_bugs(conhecidos)
        + "; 0 acima de 2 s, 0 originais alterados",
    )


@pytest.fixture(scope="module")
def planilha() -> tuple[bytes, bytes]:
    """The target declaration (.OPS, demo of São Paulo) and a full CSV for the same period."""
    from siops import ops_format
    from siops.forms.declaracao import DefinirTexto
    from siops.forms.demo import declaracao_demo
    from siops.forms.entes import ente
    from siops.forms.gerador import declaracao_cheia
    from siops.forms.planilha import exportar_csv

    alvo = declaracao_demo("M355030", 2025, 2)
    cheia = declaracao_cheia(ente("M355030"), 2025, 2, 7)
    cheia.aplicar(DefinirTexto("fundo_lei", 'Lei nº 12/1990 — São João; "aspas"'))
    return ops_format.para_bytes(alvo), exportar_csv(cheia).encode("utf-8")


def test_fuzz_csv_importar_planilha(planilha, tmp_path, registros, relatorio):
    """Mutated CSV files through ``siops importar-planilha`` (see module docstring)."""
    from siops import ops_format

    ops_original, csv_original = planilha
    pasta = tmp_path / "casos"
    pasta.mkdir()
    resultados: collections.Counter[str] = collections.Counter()
    conhecidos: collections.Counter[str] = collections.Counter()
    por_tipo: collections.Counter[str] = collections.Counter()
    amostra: list[tuple[bytes, int]] = []
    mais_lento = 0.0

    @_config(N_CSV)
    @given(muts=lista_mutacoes_csv())
    def caso(muts: list) -> None:
        nonlocal mais_lento
        dados = mutar_csv(csv_original, muts)
        arq_ops = pasta / "M355030_2025_SegundoBimestre.OPS"
        arq_csv = pasta / "dados.csv"
        arq_ops.write_bytes(ops_original)
        arq_csv.write_bytes(dados)
        saida = rodar_cli("importar-planilha", arq_ops, arq_csv)
        o_que = [str(m) for m in muts]
        if saida.codigo == 70:
            assert arq_ops.read_bytes() == ops_original, o_que  # "nenhum arquivo foi alterado"
            conhecidos[_erro_interno(registros, o_que)] += 1
            return
        assert saida.codigo in (0, 2), (o_que, saida)
        assert saida.segundos < SEGUNDOS, (o_que, saida.segundos)
        assert arq_csv.read_bytes() == dados, o_que
        nomes = sorted(p.name for p in pasta.iterdir())
        if saida.codigo == 2:
            _conferir_recusa(saida, str(o_que))
            assert arq_ops.read_bytes() == ops_original, o_que  # all or nothing
            assert nomes == ["M355030_2025_SegundoBimestre.OPS", "dados.csv"], (o_que, nomes)
            resultados["recusado"] += 1
        else:
            ops_format.ler(arq_ops)  # the saved declaration opens
            bak = pasta / "M355030_2025_SegundoBimestre.OPS.bak"
            assert bak.read_bytes() == ops_original, o_que  # the previous version is kept
            bak.unlink()
            resultados["aceito"] += 1
        for m in muts:
            por_tipo[m.tipo] += 1
        mais_lento = max(mais_lento, saida.segundos)
        if sum(resultados.values()) % max(1, N_CSV // N_AMOSTRA) == 0 and len(amostra) < N_AMOSTRA:
            amostra.append((dados, saida.codigo))

    caso()
    total = sum(resultados.values()) + sum(conhecidos.values())
    for i, (dados, codigo) in enumerate(amostra):
        arq_ops, arq_csv = pasta / f"a{i}.OPS", pasta / f"a{i}.csv"
        arq_ops.write_bytes(ops_original)
        arq_csv.write_bytes(dados)
        saida = rodar_siops("importar-planilha", arq_ops, arq_csv, cwd=pasta)
        assert saida.codigo == codigo, (i, saida)
        assert "Traceback" not in saida.stderr
        if codigo == 2:
            _conferir_recusa(saida, f"amostra {i}")
            assert arq_ops.read_bytes() == ops_original
        assert saida.segundos < SEGUNDOS, (i, saida.segundos)
        mais_lento = max(mais_lento, saida.segundos)

    assert total >= N_CSV * 0.9
    relatorio(
        casos=total + len(amostra),
        aceitos=resultados["aceito"],
        recusados=resultados["recusado"],
        subprocessos=len(amostra),
        mais_lento_s=round(mais_lento, 3),
        mutacoes=dict(sorted(por_tipo.items())),
        bugs_conhecidos=dict(conhecidos),
        resumo=f"{total} CSV mutados em processo + {len(amostra)} pelo comando siops: "
        f"{resultados['aceito']} importados, {resultados['recusado']} recusados com a linha"
        + _texto_bugs(conhecidos)
        + "; 0 acima de 2 s, .OPS intacto a cada recusa",
    )
