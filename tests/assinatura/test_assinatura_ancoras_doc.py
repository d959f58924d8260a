"""Issue 21, item 1: the fingerprints DECLARED for the shipped anchors are the files' own.

``docs/confianca-icp-brasil.md`` declares, for each shipped root, the SHA-256 of the certificate
(DER), its end of validity, the file and the file's SHA-256, and the same for the ACs below the
roots; ``manifesto.json`` declares them too. Here the files are loaded and every declaration is
checked against what is computed from them — both ways: nothing declared that is not shipped,
nothing shipped that is not declared. And the update command reads the ITI's published set as
it comes (a .zip of DER certificates with its ``hashsha512.txt``).
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from siops.assinatura import confianca
from siops.forms.tempo import data_br

DOC = Path(__file__).resolve().parents[2] / "docs" / "confianca-icp-brasil.md"

# The roots, as independent public projects list the certificates the ITI publishes
# (see the doc: not checked on the ITI's site from this machine).
IMPRESSOES_PUBLICADAS = {
    "Autoridade Certificadora Raiz Brasileira v5": (
        "caa53fc6091c6951887c976e378f6ef89aa6377c55d97b6475422b71ed7e9b17"
    ),
    "Autoridade Certificadora Raiz Brasileira v10": (
        "6e0bff069a26994c15de2c4888cc54af84882e5495b7fbf66be9ccffec7489f6"
    ),
    "Autoridade Certificadora Raiz Brasileira v11": (
        "1406710058180fa4081aab3f246f1702429c552a11fa3143b84c88cb3ab8e5e7"
    ),
    # v12: the fingerprint two independent public sources give for the ITI's certificate
    "Autoridade Certificadora Raiz Brasileira v12": (
        "d8478e37ce19c690cf657381e68fe600e4e1a042536830f06847e03e554c4b01"
    ),
}


def _linhas_do_documento() -> tuple[set[tuple[str, ...]], list[tuple[str, ...]]]:
    texto = DOC.read_text(encoding="utf-8")
    raizes = set(
        re.findall(
            r"^\| (Autoridade Certificadora Raiz Brasileira v\d+) \| `([0-9a-f]{64})` \| "
            r"(\d\d/\d\d/\d{4}) \| `([\w.-]+)` \| `([0-9a-f]{64})` \|$",
            texto,
            re.MULTILINE,
        )
    )
    acs = re.findall(
        r"^\| 1º e 2º nível [^|]* \| (\d+) \| `([\w.-]+)` \| `([0-9a-f]{64})` \|$",
        texto,
        re.MULTILINE,
    )
    return raizes, acs


def _cn(c: x509.Certificate) -> str:
    return str(c.subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)[0].value)


def test_impressoes_declaradas_no_documento_sao_as_dos_arquivos() -> None:
    base = confianca.pasta()
    declaradas, acs = _linhas_do_documento()
    assert len(declaradas) >= 3, "a tabela de raízes sumiu do documento"
    calculadas = set()
    for arquivo in sorted(base.glob("raiz-v*.pem")):
        dados = arquivo.read_bytes()
        cert = x509.load_pem_x509_certificate(dados)
        calculadas.add(
            (
                _cn(cert),
                hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest(),
                data_br(cert.not_valid_after_utc),
                arquivo.name,
                hashlib.sha256(dados).hexdigest(),
            )
        )
    assert declaradas == calculadas
    # the loader (which checks the manifest) gives the same certificates
    assert {confianca.impressao(c) for c in confianca.raizes_oficiais()} == {
        d[1] for d in declaradas
    }
    inter = base / "intermediarias.pem"
    assert acs == [
        (
            str(len(x509.load_pem_x509_certificates(inter.read_bytes()))),
            inter.name,
            hashlib.sha256(inter.read_bytes()).hexdigest(),
        )
    ]
    assert int(acs[0][0]) == len(confianca.intermediarias_oficiais())


def test_impressoes_do_manifesto_sao_as_dos_arquivos_e_as_publicadas() -> None:
    base = confianca.pasta()
    m = json.loads((base / "manifesto.json").read_text(encoding="utf-8"))
    for item in m["raizes"]:
        dados = (base / item["arquivo"]).read_bytes()
        cert = x509.load_pem_x509_certificate(dados)
        assert hashlib.sha256(dados).hexdigest() == item["sha256_arquivo"]
        assert confianca.impressao(cert) == item["sha256"]
        assert IMPRESSOES_PUBLICADAS[item["nome"]] == item["sha256"] == confianca.impressao(cert)
        assert _cn(cert) == item["nome"]
        assert cert.not_valid_after_utc.date().isoformat() == item["valido_ate"]
    assert {i["nome"] for i in m["raizes"]} == set(IMPRESSOES_PUBLICADAS)


def _pacote_do_iti(pasta: Path) -> tuple[Path, Path]:
    """The shipped set repackaged as the ITI publishes it: one DER .crt per AC in a .zip,
    plus a text file with the .zip's SHA-512."""
    base = confianca.pasta()
    certs = list(confianca.raizes_oficiais()) + list(confianca.intermediarias_oficiais())
    pacote = pasta / "ACcompactado.zip"
    with zipfile.ZipFile(pacote, "w") as z:
        for n, c in enumerate(certs):
            z.writestr(f"ACcompactado/ac{n:03d}.crt", c.public_bytes(Encoding.DER))
        z.writestr("ACcompactado/LEIAME.txt", "Certificados das ACs da ICP-Brasil")
    resumo = pasta / "hashsha512.txt"
    resumo.write_text(f"{hashlib.sha512(pacote.read_bytes()).hexdigest()}  ACcompactado.zip\n")
    assert (base / "manifesto.json").exists()
    return pacote, resumo


def test_atualizar_a_partir_do_pacote_do_iti(tmp_path: Path, capsys) -> None:
    pacote, resumo = _pacote_do_iti(tmp_path)
    destino = tmp_path / "novo"
    args = ["atualizar", "--de", str(pacote), "--sha512", str(resumo), "--fonte", "ITI (teste)"]
    assert confianca.main([*args, "--pasta", str(destino)]) == 0
    novo = json.loads((destino / "manifesto.json").read_text(encoding="utf-8"))
    assert [r["sha256"] for r in novo["raizes"]] == [
        r["sha256"] for r in confianca.manifesto()["raizes"]
    ]
    assert novo["intermediarias"]["quantidade"] == len(confianca.intermediarias_oficiais())
    assert novo["fonte"] == "ITI (teste)"
    assert "Confira as impressões digitais" in capsys.readouterr().out
    # a package that is not the one the published SHA-512 describes: refused, nothing written
    with zipfile.ZipFile(pacote, "a") as z:
        z.writestr("ACcompactado/intrusa.crt", b"nada")
    outro = tmp_path / "outro"
    assert confianca.main([*args, "--pasta", str(outro)]) == 2
    assert "não é o publicado em hashsha512.txt" in capsys.readouterr().err
    assert not outro.exists()


@pytest.mark.parametrize("formato", ["der", "pem"])
def test_atualizar_com_varios_arquivos(tmp_path: Path, formato: str) -> None:
    raizes = confianca.raizes_oficiais()
    arquivos = []
    for n, c in enumerate(raizes):
        p = tmp_path / f"ICP-Brasil{n}.crt"
        p.write_bytes(c.public_bytes(Encoding.DER if formato == "der" else Encoding.PEM))
        arquivos.append(p)
    novo = confianca.atualizar(arquivos, "teste", tmp_path / "novo")
    assert {r["sha256"] for r in novo["raizes"]} == {confianca.impressao(c) for c in raizes}
    assert novo["intermediarias"]["quantidade"] == 0
