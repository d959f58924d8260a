"""Fuzzing the server's reception (issue 11, item 1): mutated declarations sent to the REAL
server process (``POST /api/v1/transmissoes``) by a registered técnico.

Two ways to mutate, drawn per case: the .OPS is mutated *before* signing (the signature is then
valid and the change must be caught by the re-read and the re-run críticas — when the mutation
broke the XML so that it cannot be signed, it goes unsigned), or the signed file is mutated
*after* signing (the signature, the parser or the schema must catch it). The body always
carries its own SHA-256 as ``Idempotency-Key``, so every case reaches the verification.

Every case ends in acceptance (201/200 with a receipt that verifies against the server's AC,
for exactly those bytes) or a 4xx whose JSON has a Portuguese ``erro``, a documented ``codigo``
and Portuguese ``motivos``; never a 5xx, never over 2 s. At the end the server is still up,
``siops-servidor admin verificar`` finds the database and the files consistent, and the
content-addressed store holds exactly the accepted files (a refused file is never stored).

Size: ``SIOPS_CONF_FUZZ_SERVIDOR`` (CI 120, full 1200). Derandomized hypothesis.
"""

from __future__ import annotations

import collections
import hashlib
import re
import time
from pathlib import Path

import pytest
import requests
from apoio_comum import BUGS_CONHECIDOS, bug_conhecido, tamanho
from apoio_mutacoes import lista_mutacoes_ops, mutar_ops, problema_na_mensagem
from apoio_servidor import NS_RECIBO, ops_demo
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.reliability

N = tamanho("fuzz_servidor", 120, 1200)
SEGUNDOS = 2.0
ENTE = "M355030"  # São Paulo/SP
API = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def _codigos_documentados() -> set[str]:
    texto = API.read_text(encoding="utf-8")
    secao = texto[texto.index("## 9. Códigos de erro") :]
    return set(re.findall(r"`([a-z_]+)`", secao))


def test_fuzz_recepcao_do_servidor(servidor_modulo, pki, relatorio):
    from siops.assinatura.xmldsig import AssinaturaInvalida, assinar, verificar

    s = servidor_modulo
    tec = pki.pessoa("fuzz-tec", "Técnica do Fuzz")
    senha = s.registrar_cadeia(ENTE, pki.pessoa("fuzz-chefe"), pki.pessoa("fuzz-sec"), tec)
    token = s.token(tec.cpf, senha)
    assinador = tec.assinador()
    ac = s.ac_recibos()
    documentados = _codigos_documentados()
    bases = [ops_demo(ENTE, 2025, b) for b in range(1, 6)]
    resultados: collections.Counter[str] = collections.Counter()
    conhecidos: collections.Counter[str] = collections.Counter()
    reconexoes = [0]
    codigos: collections.Counter[str] = collections.Counter()
    aceitos: set[str] = set()
    mais_lento = 0.0

    @settings(
        max_examples=N,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(
        base=st.integers(0, len(bases) - 1),
        muts=lista_mutacoes_ops(),
        redigest=st.booleans(),
        antes_de_assinar=st.booleans(),
    )
    def caso(base: int, muts: list, redigest: bool, antes_de_assinar: bool) -> None:
        nonlocal mais_lento
        if antes_de_assinar:
            mutado = mutar_ops(bases[base], muts, redigest)
            try:
                corpo = assinar(mutado, assinador)
            except AssinaturaInvalida:
                corpo = mutado  # not even XML: goes as it is
        else:
            corpo = mutar_ops(assinar(bases[base], assinador), muts, False)
        o_que = (base, [str(m) for m in muts], redigest, antes_de_assinar)
        t0 = time.perf_counter()
        try:
            r = s.transmitir(token, corpo)
        except requests.ConnectionError:
            # a kept-alive connection the server closed while idle (uvicorn's keep-alive
            # timeout): the transmitter repeats on connection errors, so do we — once
            reconexoes[0] += 1
            s.http.close()
            r = s.transmitir(token, corpo)
        segundos = time.perf_counter() - t0
        if r.status_code == 500:
            log = s.log.read_text(encoding="utf-8", errors="replace")
            rotulo = bug_conhecido(log[log.rindex("Traceback") :] if "Traceback" in log else "")
            assert rotulo is not None, (o_que, r.text[:2000], log[-3000:])
            conhecidos[rotulo] += 1
            return
        assert r.status_code < 500, (o_que, r.status_code, r.text[:2000])
        assert segundos < SEGUNDOS, (o_que, segundos)
        doc = r.json()
        if r.status_code in (200, 201):
            digest = hashlib.sha256(corpo).hexdigest()
            assert doc["digest"] == digest
            v = verificar(doc["recibo"].encode(), [ac])
            assert v.raiz.findtext(f"{{{NS_RECIBO}}}Digest") == digest
            assert v.raiz.findtext(f"{{{NS_RECIBO}}}Protocolo") == doc["protocolo"]
            aceitos.add(digest)
            resultados["aceito"] += 1
        else:
            assert 400 <= r.status_code < 500, o_que
            assert doc["codigo"] in documentados, (o_que, doc)
            motivo = problema_na_mensagem(doc["erro"])
            assert motivo is None, (o_que, motivo, doc)
            for m in doc.get("motivos", []):
                assert "Traceback" not in m and not re.search(r"\{urn:|Element '", m), (o_que, m)
            codigos[doc["codigo"]] += 1
            resultados["recusado"] += 1
        mais_lento = max(mais_lento, segundos)

    caso()
    total = sum(resultados.values()) + sum(conhecidos.values())
    assert s.vivo()
    rel = s.verificar()
    guardados = s.arquivos_guardados()
    # the signed documents of the chain are stored too (cadastros): only declarations count
    declaracoes = {d for (d,) in s.consultar("SELECT digest FROM transmissoes")}
    assert declaracoes == aceitos
    assert aceitos <= guardados
    recusados_guardados = {
        d for (d,) in s.consultar("SELECT DISTINCT digest FROM recusas") if d not in aceitos
    } & guardados
    assert not recusados_guardados, recusados_guardados
    assert total >= N * 0.9
    relatorio(
        casos=total,
        aceitos=resultados["aceito"],
        recusados=resultados["recusado"],
        codigos=dict(sorted(codigos.items())),
        mais_lento_s=round(mais_lento, 3),
        integridade=rel.get("integridade"),
        bugs_conhecidos=dict(conhecidos),
        reconexoes=reconexoes[0],
        resumo=f"{total} transmissões mutadas ao servidor real: {resultados['aceito']} aceitas "
        f"com recibo que confere, {resultados['recusado']} recusadas (4xx, motivo em português; "
        f"{len(codigos)} códigos distintos); "
        + (
            "respostas 500 só do bug já relatado: "
            + ", ".join(f"{n}× {r} ({BUGS_CONHECIDOS[r][1]})" for r, n in conhecidos.items())
            if conhecidos
            else "0 respostas 5xx"
        )
        + "; 0 acima de 2 s, nenhum arquivo recusado guardado, banco íntegro",
    )
