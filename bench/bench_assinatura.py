"""Assinar a cópia de transmissão: A1 e token (SoftHSM2) contra o signxml puro (issue 7).

O documento é a cópia de transmissão de uma declaração cheia (todas as células digitáveis). A
base de comparação é o signxml sozinho, com a mesma configuração (envelopada, RSA-SHA256, C14N
exclusiva, certificado no KeyInfo) e uma chave em memória; a meta é que a nossa assinatura — com
a análise endurecida, a cadeia no KeyInfo e, no A3, a ida ao token pela thread do PKCS#11 —
custe no máximo 2× isso. Também a verificação completa (assinatura + cadeia + anti-envelopamento)
contra a verificação pura do signxml.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from lxml import etree
from signxml import (
    CanonicalizationMethod,
    DigestAlgorithm,
    SignatureMethod,
    XMLSigner,
    XMLVerifier,
    methods,
)
from signxml.verifier import SignatureConfiguration

from bench.medir import linha, mediana
from siops.assinatura import assinador as mod_assinador
from siops.assinatura import xmldsig
from siops.assinatura.assinador import AssinadorA1, AssinadorPKCS11
from siops.forms.entes import ente
from siops.forms.gerador import declaracao_cheia
from siops.ops_format import para_bytes
from siops.transmissor import icp_teste, token_teste

PIN = "123456"


def _token(pasta: Path, hier: icp_teste.HierarquiaTeste) -> tuple[str, str]:
    """Um token SoftHSM2 com o e-CPF de teste; devolve (módulo, rótulo)."""
    modulo = token_teste.exigir_softhsm()
    if modulo not in mod_assinador._BIBLIOTECAS:  # o SoftHSM lê a configuração ao carregar
        token_teste.preparar_softhsm(pasta / "softhsm")
    rotulo = f"BENCH-{pasta.name[-8:]}"
    t = token_teste.iniciar_token(rotulo, PIN)
    token_teste.gerar_chave_e_certificado(t, hier, "MEDICAO DE ASSINATURA", "52998224725")
    return modulo, rotulo


def main(rapido: bool = False) -> list[dict]:
    conf_antes = os.environ.get("SOFTHSM2_CONF")
    try:
        return _medir(rapido)
    finally:  # não deixa o SOFTHSM2_CONF de uma pasta apagada para os outros módulos
        if conf_antes is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = conf_antes


def _medir(rapido: bool) -> list[dict]:
    rep = 3 if rapido else 15
    with tempfile.TemporaryDirectory(prefix="bench-assinatura-") as tmp:
        pasta = Path(tmp)
        hier = icp_teste.gerar_hierarquia(pasta / "icp")
        emitido = icp_teste.emitir_ecpf(hier, "MEDICAO DE ASSINATURA", "52998224725")
        assert emitido.chave is not None
        pfx = icp_teste.gravar_pfx(
            pasta / "a1.pfx", emitido.chave, emitido.cert, emitido.cadeia, "senha"
        )
        doc = para_bytes(declaracao_cheia(ente("M355030"), 2025, 6))

        signer = XMLSigner(
            method=methods.enveloped,
            signature_algorithm=SignatureMethod.RSA_SHA256,
            digest_algorithm=DigestAlgorithm.SHA256,
            c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
        )

        def puro() -> bytes:
            raiz = etree.fromstring(doc)
            return etree.tostring(signer.sign(raiz, key=emitido.chave, cert=[emitido.cert]))

        base = mediana(puro, rep)
        a1 = AssinadorA1(pfx, "senha")
        t_a1 = mediana(lambda: xmldsig.assinar(doc, a1), rep)

        modulo, rotulo = _token(pasta, hier)
        with AssinadorPKCS11(
            modulo, rotulo, lambda _t, _a: PIN, intermediarios=[hier.intermediaria]
        ) as a3:
            t_a3 = mediana(lambda: xmldsig.assinar(doc, a3), rep)
        abrir = mediana(
            lambda: AssinadorPKCS11(modulo, rotulo, lambda _t, _a: PIN).__enter__().fechar(),
            max(3, rep // 3),
        )

        assinado = xmldsig.assinar(doc, a1)
        cfg = SignatureConfiguration(location="./", expect_references=1)
        verif_puro = mediana(
            lambda: XMLVerifier().verify(assinado, x509_cert=emitido.cert, expect_config=cfg), rep
        )
        verif = mediana(lambda: xmldsig.verificar(assinado, [hier.raiz]), rep)

    kb = len(doc) / 1024
    return [
        linha(
            f"assinatura: signxml puro, chave em memória ({kb:.0f} kB)", base * 1000, "ms", meta="—"
        ),
        linha(
            "assinatura: A1 (.pfx) via Assinador",
            t_a1 * 1000,
            "ms",
            base * 1000,
            "≤ 2×",
            t_a1 <= 2 * base,
        ),
        linha(
            "assinatura: A3 no token SoftHSM2",
            t_a3 * 1000,
            "ms",
            base * 1000,
            "≤ 2×",
            t_a3 <= 2 * base,
        ),
        linha("token: abrir sessão, PIN e localizar chave", abrir * 1000, "ms", meta="—"),
        linha(
            "verificação: completa (cadeia, anti-envelopamento)",
            verif * 1000,
            "ms",
            verif_puro * 1000,
            "≤ 2×",
            verif <= 2 * verif_puro,
        ),
    ]


if __name__ == "__main__":
    for r in main():
        print(r)
