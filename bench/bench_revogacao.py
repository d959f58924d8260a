"""Validar a assinatura com a consulta de revogação (LCR em cache) contra a verificação sem ela
(issue 21).

A base é a verificação completa de hoje de uma declaração cheia assinada (``xmldsig.verificar``:
assinatura, anti-envelopamento, cadeia); a figura é a mesma verificação com a revogação estrita
do servidor, com a LCR da AC já no cache do processo (o caso de todo envio depois do primeiro
até o ``nextUpdate``). A LCR tem ``REVOGADOS`` entradas, como a de uma AC da ICP-Brasil de
porte médio. Meta: no máximo 2× a base. Também a primeira validação (LCR buscada pela rede
local) e só a cadeia (``validar_cadeia``) com e sem revogação.
"""

from __future__ import annotations

import datetime as dt

from cryptography import x509

from bench.medir import linha, mediana
from siops.assinatura import revogacao, xmldsig
from siops.assinatura.assinador import AssinadorChave
from siops.assinatura.certificados import validar_cadeia
from siops.forms.entes import ente
from siops.forms.gerador import declaracao_cheia
from siops.ops_format import para_bytes
from siops.transmissor import icp_teste

REVOGADOS = 5000


def main(rapido: bool = False) -> list[dict]:
    pub = icp_teste.PublicacaoTeste().iniciar()
    try:
        return _medir(pub, rapido)
    finally:
        pub.parar()
        revogacao.esvaziar_cache()


def _medir(pub: icp_teste.PublicacaoTeste, rapido: bool) -> list[dict]:
    hier = icp_teste.gerar_hierarquia(publicacao=pub.url)
    pub.hierarquia = hier
    quando = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
    n = 500 if rapido else REVOGADOS
    for serial in range(1, n + 1):  # a LCR de uma AC com milhares de certificados revogados
        pub.revogados["intermediaria"].append(
            icp_teste._Revogado(serial * 7919, quando, x509.ReasonFlags.superseded)
        )
    e = icp_teste.emitir_ecpf(hier, "MEDICAO DE REVOGACAO", "52998224725", ocsp=False)
    assert e.chave is not None
    d = declaracao_cheia(ente("M355030"), 2025, 1)
    assinado = xmldsig.assinar(para_bytes(d), AssinadorChave(e.chave, e.cert, e.cadeia))
    raizes, inter = [hier.raiz], [hier.intermediaria]
    rep = 3 if rapido else 7

    def sem() -> object:
        return xmldsig.verificar(assinado, raizes, inter)

    def com() -> object:
        return xmldsig.verificar(assinado, raizes, inter, revogacao=revogacao.ESTRITA)

    revogacao.esvaziar_cache()
    primeira = mediana(lambda: (revogacao.esvaziar_cache(), com()), repeticoes=3, aquecimento=0)
    base = mediana(sem, repeticoes=rep)
    revogacao.esvaziar_cache()
    com()  # a LCR entra no cache
    pedidos = pub.pedidos.get("/lcr/intermediaria.crl", 0)
    cache = mediana(com, repeticoes=rep)
    assert pub.pedidos.get("/lcr/intermediaria.crl", 0) == pedidos, "a LCR não ficou em cache"
    base_cadeia = mediana(lambda: validar_cadeia(e.cert, inter, raizes), repeticoes=rep)
    cache_cadeia = mediana(
        lambda: validar_cadeia(e.cert, inter, raizes, revogacao=revogacao.ESTRITA), repeticoes=rep
    )
    return [
        linha(
            f"verificar assinatura + LCR em cache ({n} revogados)",
            cache,
            "s",
            base,
            "≤ 2× a verificação sem revogação",
            cache <= 2 * base,
        ),
        linha(f"verificar assinatura + LCR buscada ({n} revogados)", primeira, "s", base),
        linha("só a cadeia + LCR em cache", cache_cadeia, "s", base_cadeia),
    ]
